"""Issue 11, the daily work, on real letters of ../shared/corpus (its .txt and .docx files: every
kind of letter the office gets as text, letters without a number, a letter held twice):
task ids for life, letters without a number, the ICS, the citation tree, summary and missing,
listing formats, dates, languages."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.store import Store


def corpus_db(shared: Path, base: Path) -> Path:
    """The corpus' .txt and .docx letters ingested once per test session (received 2025-01-06);
    other test files of issue 11 import this."""
    db = base / "daily-corpus.db"
    if not db.exists():
        files = sorted(str(p) for p in (shared / "corpus").iterdir() if p.suffix in (".txt", ".docx"))
        res = CliRunner().invoke(main, ["ingest", *files, "--db", str(db), "--no-progress", "--jobs", "2",
                                        "--received", "2025-01-06"])
        assert res.exit_code == 0, res.output
    return db


@pytest.fixture()
def db(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> str:
    """A private copy of the corpus database (tests that change it do not touch the others)."""
    src = corpus_db(shared_dir, tmp_path_factory.getbasetemp())
    dst = tmp_path / "kho.db"
    Store(str(src)).close()  # checkpoint the WAL into the file before copying it
    shutil.copy(src, dst)
    return str(dst)


def run(*args: str) -> str:
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 0, res.output
    return res.output


def as_json(*args: str) -> list[dict]:
    return json.loads(run(*args, "--format", "json"))


def test_task_ids_survive_two_reprocesses_and_done_keeps_working(db: str) -> None:
    before = {r["id"]: (r["document_id"], r["section"], r["action"]) for r in as_json("tasks", "--db", db)}
    assert len(before) > 300
    some = sorted(before)[len(before) // 2]
    run("tasks", "done", str(some), "--db", db)
    for _ in range(2):
        run("reprocess", "--db", db)
        after = {r["id"]: (r["document_id"], r["section"], r["action"]) for r in as_json("tasks", "--db", db)}
        assert after == before
    done = [r for r in as_json("tasks", "--db", db, "--status", "done")]
    assert [r["id"] for r in done] == [some]
    run("tasks", "done", str(some), "--undo", "--db", db)


def test_a_changed_rule_keeps_the_ids_of_the_tasks_it_did_not_change(db: str) -> None:
    """A rule change that drops one task of a letter and rewords another: every other task keeps its id,
    and the reworded task gets a new id, never an old one."""
    from pipeline.record import make_record
    store = Store(db)
    doc_id = store.conn.execute("SELECT document_id FROM tasks GROUP BY document_id HAVING count(*) >= 4 "
                                "ORDER BY document_id LIMIT 1").fetchone()[0]
    ids = [r[0] for r in store.conn.execute("SELECT id FROM tasks WHERE document_id = ? ORDER BY seq", (doc_id,))]
    others = {r[0]: r[1] for r in store.conn.execute("SELECT id, action FROM tasks WHERE document_id != ?", (doc_id,))}
    top = store.conn.execute("SELECT max(id) FROM task_keys").fetchone()[0]
    ex = next(old for i, _, old in store.stored_texts() if i == doc_id)
    ex["tasks"] = list(ex["tasks"])
    del ex["tasks"][0]
    ex["tasks"][0] = dict(ex["tasks"][0], action=ex["tasks"][0]["action"] + " (sửa)")
    store.replace_extraction(doc_id, make_record(ex, store.received_date(doc_id)))
    now = [r[0] for r in store.conn.execute("SELECT id FROM tasks WHERE document_id = ? ORDER BY seq", (doc_id,))]
    assert now[1:] == ids[2:]
    assert now[0] > top  # a new task, a new id
    assert {r[0]: r[1] for r in store.conn.execute("SELECT id, action FROM tasks WHERE document_id != ?",
                                                   (doc_id,))} == others


def test_letter_without_number_is_shown_by_file_name_id_and_path_and_cited(db: str) -> None:
    store = Store(db)
    doc = next(store.db.query(
        "SELECT d.id, d.path FROM documents d WHERE d.code IS NULL AND d.duplicate_of IS NULL "
        "AND EXISTS (SELECT 1 FROM edges e WHERE e.document_id = d.id) "
        "AND EXISTS (SELECT 1 FROM tasks t WHERE t.document_id = d.id) ORDER BY d.id LIMIT 1"))
    name = Path(doc["path"]).name
    for ref in (name, doc["path"], str(doc["id"])):
        out = run("show", ref, "--db", db)
        assert out.startswith(f"== {doc['path']}"), ref
    cited = store.conn.execute("SELECT n.code FROM edges e JOIN nodes n ON n.id = e.target "
                               "WHERE e.document_id = ? LIMIT 1", (doc["id"],)).fetchone()[0]
    assert f"[{name}]" in run("cited-by", cited, "--db", db)
    rows = as_json("cited-by", cited, "--db", db)
    assert any(r["path"] == doc["path"] for r in rows)
    # its tasks name their letter
    tasks = [r for r in as_json("tasks", "--db", db, "--all") if r["document_id"] == doc["id"]]
    assert tasks and all(r["letter"] == f"[{name}]" for r in tasks)
    # its citations count in missing, and summary agrees with missing
    missing = as_json("missing", "--db", db, "--limit", "100000")
    assert any(r["code"] == cited for r in missing) or store.conn.execute(
        "SELECT 1 FROM nodes WHERE code = ? AND document_id IS NOT NULL", (cited,)).fetchone()
    assert len(missing) == store.counts()["missing"]


def test_letter_held_twice_without_number_is_registered_once(db: str) -> None:
    store = Store(db)
    twins = list(store.db.query(
        "SELECT a.path AS first, b.path AS second FROM documents b JOIN documents a ON a.id = b.duplicate_of "
        "WHERE b.code IS NULL"))
    assert any(Path(t["first"]).stem == Path(t["second"]).stem for t in twins)  # x.docx and x.txt
    numbers = [r["incoming_number"] for r in as_json("register", "--db", db)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == store.conn.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NULL").fetchone()[0]


def test_ics_one_vtodo_per_dated_task_unique_uids_printed_count_is_written_count(db: str, tmp_path: Path) -> None:
    from icalendar import Calendar
    out = tmp_path / "nv.ics"
    msg = run("export", "tasks", "--format", "ics", "-o", str(out), "--db", db)
    todos = list(Calendar.from_ical(out.read_bytes()).walk("VTODO"))
    uids = [str(t["UID"]) for t in todos]
    dated = [r for r in as_json("tasks", "--db", db) if r["deadline_date"]]
    assert len(todos) == len(set(uids)) == len(dated) > 20
    assert f" {len(todos)} " in msg
    stamps = {t.decoded("DTSTAMP").year for t in todos}
    assert stamps == {__import__("datetime").date.today().year}
    run("reprocess", "--db", db)
    out2 = tmp_path / "nv2.ics"
    run("export", "tasks", "--format", "ics", "-o", str(out2), "--db", db)
    assert [str(t["UID"]) for t in Calendar.from_ical(out2.read_bytes()).walk("VTODO")] == uids


def test_cites_depth_two_draws_each_document_under_the_one_that_cites_it(db: str) -> None:
    store = Store(db)
    # a held letter that cites a held letter that cites others
    code = store.conn.execute(
        "SELECT a.code FROM edges e1 JOIN nodes a ON a.id = e1.source JOIN nodes b ON b.id = e1.target "
        "JOIN edges e2 ON e2.source = b.id WHERE a.code != '' AND b.document_id IS NOT NULL "
        "GROUP BY a.id ORDER BY count(DISTINCT b.id) DESC, a.code LIMIT 1").fetchone()[0]
    rows = as_json("cites", code, "--depth", "2", "--db", db)
    level1 = {r["node_id"]: r for r in rows if r["depth"] == 1}
    level2 = [r for r in rows if r["depth"] == 2]
    assert level1 and level2
    assert all(r["via"] in level1 for r in level2)
    lines = run("cites", code, "--depth", "2", "--db", db).splitlines()
    parent = None
    for ln in lines:
        if ln.startswith("- "):
            parent = next(r for r in level1.values() if f" {r['code']}" in ln)
        else:
            child = next(r for r in level2 if f" {r['code']}" in ln)
            assert child["via"] == parent["node_id"], ln


def test_listing_commands_speak_json_and_csv_with_snake_case_keys(db: str) -> None:
    task = as_json("tasks", "--db", db)[0]
    assert {"id", "action", "lead", "deadline_date", "status", "letter"} <= set(task)
    hit = as_json("search", "cai cach hanh chinh", "--db", db)[0]
    assert {"code", "path", "snippet"} <= set(hit)
    reg = as_json("register", "--db", db)[0]
    assert {"incoming_number", "received_date", "issuer", "code", "date", "type", "subject", "handled_by",
            "forwarded_date", "received_by", "notes"} <= set(reg)
    assert {"cited_by", "code"} <= set(as_json("missing", "--db", db)[0])
    for cmd in (["tasks"], ["search", "dai hoi"], ["missing"], ["register"]):
        csv_out = run(*cmd, "--db", db, "--format", "csv")
        assert csv_out.splitlines()[0].count(",") >= 3, cmd
    for key in ("id", "action"):
        assert key in run("tasks", "--db", db, "--format", "csv").splitlines()[0].split(",")


@pytest.mark.parametrize("args", [["search", "x", "--since", "2025-13-01"], ["tasks", "--as-of", "garbage"],
                                  ["tasks", "--due-before", "31/12/2025"], ["register", "--from", "2025-02-30"]])
def test_bad_dates_are_a_one_line_error(db: str, args: list[str]) -> None:
    res = CliRunner().invoke(main, [*args, "--db", db])
    assert res.exit_code != 0
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "YYYY-MM-DD" in lines[0], res.output


def test_english_everywhere_on_request(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    res = CliRunner().invoke(main, ["--lang", "en", "tasks", "--db", db, "--overdue", "--as-of", "2025-06-01"])
    assert res.exit_code == 0 and "Deadline:" in res.output and "Hạn xử lý" not in res.output
    monkeypatch.setenv("CONGVAN_LANG", "en")
    help_ = run("--help")
    assert "Examples:" in help_ and "Ví dụ" not in help_ and "đọc công văn" not in help_
    assert "Due before this date" in run("tasks", "--help")
    bad = CliRunner().invoke(main, ["tasks", "--as-of", "x", "--db", db])
    assert "not a valid date" in bad.output
    assert "Received" in run("register", "--db", db).splitlines()[0]


def test_progress_bar_is_quiet_when_not_on_a_terminal(shared_dir: Path, tmp_path: Path) -> None:
    files = sorted(str(p) for p in (shared_dir / "corpus").glob("*.txt"))[:3]
    res = CliRunner().invoke(main, ["ingest", *files, "--db", str(tmp_path / "k.db")])
    assert res.exit_code == 0
    assert "\r" not in res.output and "━" not in res.output
