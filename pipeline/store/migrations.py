"""Schema versions and the migrations applied when a database is opened (both backends).

The schema is declared once, as the SQLite DDL in ``store/sqlite.py`` (``_SCHEMA``); the
PostgreSQL tables are derived from it (``store/postgres.py``). Opening a database brings it to
``SCHEMA_VERSION``:

1. every column the declaration has and the database lacks is added (``ALTER TABLE … ADD
   COLUMN``), so a column added to ``_SCHEMA`` reaches databases made before it;
2. the declaration itself runs (``CREATE … IF NOT EXISTS``: new tables and indexes);
3. the numbered steps above the database's version run in order (``STEPS``: data changes that
   adding a column cannot express), each recorded in ``schema_version``.

A database newer than this congvan is refused with a message, never touched.

History: 1, the store of session 1 (commit db08e6d); 2, session 2 (task ids that survive
reprocessing, issue 11; the record fields of ``pipeline.record``: nothing to convert, stored
extractions keep their shape); 3, session 3 (issue 15: ``tasks --assignee`` matched in SQL on
each task's body identities, ``task_bodies`` and ``tasks.coordinator_keys``, ``cover_keys``,
``names_folded``, filled for the tasks already stored by ``pipeline.record.task_bodies``, the
record step that makes them for new letters: the store writes what it derives, as for a new one).
"""
from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import StoreError

SCHEMA_VERSION = 3


def fill_task_bodies(conn: Any) -> None:
    """Version 3: the body identities of the tasks already stored (``task_bodies``, the new task
    columns), from each task's names and its letter, by the record step that makes them for a new
    letter (``pipeline.record.task_bodies``). ``conn``: sqlite3's, or the PostgreSQL adapter."""
    import json

    from ..record import task_bodies  # the record layer derives; the store writes
    covers: dict[int, list[str]] = {}
    for tid, rec in conn.execute("SELECT task_id, recipient FROM task_recipients").fetchall():
        covers.setdefault(tid, []).append(rec)
    rows = conn.execute("SELECT t.id, t.lead, t.assignees, t.coordinators, t.lead_key, t.assignee_keys, "
                        "d.issuer, d.parent_body, d.date FROM tasks t JOIN documents d ON d.id = t.document_id "
                        "ORDER BY t.id").fetchall()
    updates, bodies = [], []
    for tid, lead, assignees, coordinators, lead_key, assignee_keys, issuer, parent, date in rows:
        b = task_bodies({"lead": lead, "assignees": json.loads(assignees or "[]"),
                         "coordinators": json.loads(coordinators or "[]"), "covers": covers.get(tid, []),
                         "lead_key": lead_key, "assignee_keys": json.loads(assignee_keys or "[]")},
                        {"issuer": issuer, "parent_body": parent, "date": date})

        def js(v: list[str]) -> str | None:
            return json.dumps(v, ensure_ascii=False) if v else None
        updates.append((b["lead_key"], js(b["assignee_keys"]), js(b["coordinator_keys"]), js(b["cover_keys"]),
                        b["names_folded"], tid))
        bodies += [(tid, k) for k in b["match_keys"]]
    conn.execute("DELETE FROM task_bodies")
    conn.executemany("UPDATE tasks SET lead_key = ?, assignee_keys = ?, coordinator_keys = ?, cover_keys = ?, "
                     "names_folded = ? WHERE id = ?", updates)
    conn.executemany("INSERT INTO task_bodies VALUES (?, ?)", bodies)


# Data steps by the version they bring a database to, (what, function(store connection)).
# Columns and tables need no step: they are added from the declaration.
STEPS: dict[int, tuple[str, Callable[[Any], None] | None]] = {
    2: ("task ids for life (task_keys), record fields; columns added from the declaration", None),
    3: ("body identities of stored tasks for tasks --assignee in SQL (task_bodies)", fill_task_bodies),
}


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    notnull: bool
    default: str | None
    pk: bool


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...]
    references: dict[str, tuple[str, str]]   # column -> (table, column)
    autoincrement: bool


@functools.cache
def declared_tables(schema_sql: str) -> tuple[list[Table], list[str]]:
    """The ordinary tables (FTS virtual tables and their shadow tables aside) and the index
    statements that ``schema_sql`` declares, read back from a scratch in-memory SQLite."""
    mem = sqlite3.connect(":memory:")
    try:
        mem.executescript(schema_sql)
        rows = mem.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall()
        virtual = [n for n, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
        tables = []
        for name, sql in rows:
            if name in virtual or name.startswith("sqlite_") or any(name.startswith(v + "_") for v in virtual):
                continue
            cols = tuple(Column(r[1], (r[2] or "TEXT").upper(), bool(r[3]), r[4], bool(r[5]))
                         for r in mem.execute(f'PRAGMA table_info("{name}")'))
            unique = []
            for idx in mem.execute(f'PRAGMA index_list("{name}")'):
                if idx[3] == "u":  # declared UNIQUE in the table
                    unique.append(tuple(r[2] for r in mem.execute(f'PRAGMA index_info("{idx[1]}")')))
            refs = {r[3]: (r[2], r[4] or "id") for r in mem.execute(f'PRAGMA foreign_key_list("{name}")')}
            tables.append(Table(name, cols, tuple(unique), refs, "AUTOINCREMENT" in (sql or "").upper()))
        indexes = [r[0] for r in mem.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                             "ORDER BY rowid")]
        return tables, indexes
    finally:
        mem.close()


def check_version(current: int | None, where: str) -> None:
    if current is not None and current > SCHEMA_VERSION:
        raise StoreError(f"cơ sở dữ liệu ở phiên bản {current}, congvan này chỉ biết đến "
                         f"{SCHEMA_VERSION}: hãy cập nhật congvan", where)


def migrate_sqlite(conn: sqlite3.Connection, schema_sql: str, where: str) -> int:
    """Bring the SQLite database on ``conn`` (autocommit) to ``SCHEMA_VERSION``; returns the
    version it had (0 for a new database)."""
    has_version = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone()
    current = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] if has_version else None
    check_version(current, where)
    tables, _ = declared_tables(schema_sql)
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [(t.name, c) for t in tables if t.name in have for c in t.columns
               if c.name not in {r[1] for r in conn.execute(f'PRAGMA table_info("{t.name}")')}]
    if missing:
        conn.execute("BEGIN IMMEDIATE")  # one process migrates; another waits, then finds it done
        try:
            for name, c in missing:
                if c.name not in {r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')}:
                    conn.execute(f'ALTER TABLE "{name}" ADD COLUMN {sqlite_column(c)}')
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    conn.executescript(schema_sql)  # IF NOT EXISTS throughout: new tables and indexes
    if current == SCHEMA_VERSION:
        return current
    current = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    if current is None:
        fresh = "documents" not in have
        current = SCHEMA_VERSION if fresh else 1  # a file without versions is the first store's
        if fresh:
            conn.execute("INSERT INTO schema_version VALUES (?, ?)", (SCHEMA_VERSION, now()))
            return 0
    for v in range(current + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM schema_version WHERE version = ?", (v,)).fetchone() is None:
                step = STEPS.get(v, ("", None))[1]
                if step:
                    step(conn)
                conn.execute("INSERT INTO schema_version VALUES (?, ?)", (v, now()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current


def sqlite_column(c: Column) -> str:
    """A column for ``ALTER TABLE ADD COLUMN`` (SQLite allows NOT NULL there only with a default)."""
    out = f'"{c.name}" {c.type}'
    if c.default is not None:
        out += f" DEFAULT {c.default}"
        if c.notnull:
            out += " NOT NULL"
    return out
