"""Schema versions: a database made by an earlier congvan opens, is upgraded, loses nothing; a
column added to the declaration reaches old databases on both backends; a newer one is refused."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline.errors import StoreError
from pipeline.store import SCHEMA_VERSION, Store, open_store
from pipeline.store.migrations import declared_tables, migrate_sqlite

V1_DUMP = Path(__file__).parent / "data" / "store_v1.sql"


def old_database(tmp_path: Path) -> Path:
    """The store of commit db08e6d (schema version 1), rebuilt from its SQL dump."""
    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db)
    conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    conn.close()
    return db


def test_version_1_database_is_upgraded_and_keeps_everything(tmp_path: Path) -> None:
    db = old_database(tmp_path)
    raw = sqlite3.connect(db)
    before = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("documents", "citations", "tasks", "nodes", "edges", "ingest_errors", "task_recipients")}
    done_before = raw.execute("SELECT id, action FROM tasks WHERE status = 'done'").fetchall()
    raw.close()
    store = Store(db)
    versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    after = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert after == before and before["documents"] == 1
    assert [(r["id"], r["action"]) for r in store.task_rows(status="done")] == done_before
    assert store.search("dang ky dat dai")[0]["code"] == "583/UBND"
    assert [d["code"] for d in store.find_documents("583/UBND")] == ["583/UBND"]
    # every declared column now exists in the old file
    tables, _ = declared_tables(_declared())
    for t in tables:
        have = {r[1] for r in store.conn.execute(f'PRAGMA table_info("{t.name}")')}
        assert {c.name for c in t.columns} <= have, t.name
    store.close()
    Store(db).close()  # opening again changes nothing
    assert [r[0] for r in sqlite3.connect(db).execute("SELECT version FROM schema_version")] == versions


def _declared() -> str:
    from pipeline.store.sqlite import _SCHEMA
    return _SCHEMA


def test_a_column_added_to_the_declaration_reaches_an_old_file(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    Store(db).close()
    conn = sqlite3.connect(db, isolation_level=None)
    grown = _declared().replace("urgency TEXT, secrecy TEXT,", "urgency TEXT, secrecy TEXT, office TEXT DEFAULT 'vt',")
    assert grown != _declared()
    migrate_sqlite(conn, grown, str(db))
    cols = {r[1]: r[4] for r in conn.execute("PRAGMA table_info(documents)")}
    assert cols["office"] == "'vt'"


def test_a_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_version VALUES (?, '2099-01-01')", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="phiên bản"):
        Store(db)


def test_postgres_schema_upgrades_on_open(pg_db: str) -> None:
    store = open_store(pg_db)
    store.conn.execute("ALTER TABLE documents DROP COLUMN signer_authority")
    store.conn.execute("DELETE FROM schema_version")
    store.conn.execute("INSERT INTO schema_version VALUES (1, '2026-01-01')")
    store.close()
    store = open_store(pg_db)
    cols = {r[0] for r in store.conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'documents'")}
    assert "signer_authority" in cols
    assert [r[0] for r in store.conn.execute("SELECT version FROM schema_version ORDER BY version")] == \
        list(range(1, SCHEMA_VERSION + 1))
    store.conn.execute("INSERT INTO schema_version VALUES (?, '2099-01-01')", (SCHEMA_VERSION + 1,))
    store.close()
    with pytest.raises(StoreError, match="phiên bản"):
        open_store(pg_db)


def test_version_3_fills_the_body_identities_of_tasks_already_stored(tmp_path: Path) -> None:
    """A database of the previous versions gets its tasks' body identities (task_bodies, the new
    task columns) on open, so `tasks --assignee` finds its old tasks in SQL."""
    from pipeline.record import assignee_query
    store = Store(old_database(tmp_path))
    n_tasks = store.conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
    assert store.conn.execute("SELECT count(DISTINCT task_id) FROM task_bodies").fetchone()[0] == n_tasks
    assert store.conn.execute("SELECT count(*) FROM tasks WHERE names_folded IS NULL").fetchone()[0] == 0
    got = store.task_rows(assignee=assignee_query("UBND các xã"), include_optional=True)
    assert got and all(any("UBND các xã" in n for n in [r["lead"], *r["assignees"]]) for r in got)
    store.close()


def test_a_version_2_database_is_brought_to_3_with_the_same_keys_as_new_letters(tmp_path: Path) -> None:
    from pipeline.ingest import ingest
    db = tmp_path / "v2.db"
    store = Store(db)
    ingest(store, [Path(__file__).resolve().parents[1] / "corpus" / "583-UBND-son-tay-2024.txt"], jobs=1)
    q = "SELECT t.id, t.names_folded, t.cover_keys, t.coordinator_keys FROM tasks t ORDER BY t.id"
    fresh = store.conn.execute(q).fetchall()
    bodies = sorted(store.conn.execute("SELECT task_id, key FROM task_bodies").fetchall())
    assert bodies
    # what the store of version 2 held: no task_bodies, no new columns filled
    store.conn.execute("DELETE FROM task_bodies")
    store.conn.execute("UPDATE tasks SET names_folded = NULL, cover_keys = NULL, coordinator_keys = NULL")
    store.conn.execute("DELETE FROM schema_version WHERE version = 3")
    store.close()
    store = Store(db)
    assert store.conn.execute(q).fetchall() == fresh
    assert sorted(store.conn.execute("SELECT task_id, key FROM task_bodies").fetchall()) == bodies
    store.close()
