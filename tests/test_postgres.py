"""PostgreSQL: several ingests at once into one database, the command line on a postgresql://
address, search the PostgreSQL way. Skips where no PostgreSQL is reachable (conftest.pg_url)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.store import open_store
from pipeline.store.postgres import redact, tsquery_sql

SEED = Path(__file__).resolve().parents[1] / "corpus" / "583-UBND-son-tay-2024.txt"


def letters(folder: Path, numbers: range) -> list[Path]:
    """Distinct letters made from the seed: each its own số (so its own bytes and code)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    out = []
    for n in numbers:
        p = folder / f"cv-{n}.txt"
        p.write_text(text.replace("Số: 583", f"Số: {n}"), encoding="utf-8")
        out.append(p)
    return out


def congvan(*args: str) -> list[str]:
    return [str(Path(sys.executable).parent / "congvan"), *args]


def test_three_ingests_at_once_store_every_letter_once_and_number_without_gaps(pg_db: str, tmp_path: Path) -> None:
    parts = [tmp_path / f"part{i}" for i in range(3)]
    for i, part in enumerate(parts):
        letters(part, range(1000 + 10 * i, 1000 + 10 * i + 7))
    (parts[2] / "same-bytes.txt").write_bytes((parts[0] / "cv-1000.txt").read_bytes())  # stored once
    (parts[1] / "gui-lai.txt").write_bytes((parts[0] / "cv-1001.txt").read_bytes() + b"\n\n")  # re-sent
    env = dict(os.environ, CONGVAN_DB=pg_db)
    procs = [subprocess.Popen(congvan("ingest", str(p), "--jobs", "1", "--no-progress", "--received", "2026-03-02"),
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for p in parts]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()
    store = open_store(pg_db)
    rows = list(store.db.query("SELECT sha256, code, received_number, received_year, duplicate_of FROM documents"))
    assert len(rows) == 22 and len({r["sha256"] for r in rows}) == 22  # 21 letters + 1 re-sent copy
    numbers = sorted(r["received_number"] for r in rows if r["duplicate_of"] is None)
    assert numbers == list(range(1, 22))
    assert [r for r in rows if r["duplicate_of"] is not None][0]["received_number"] is None
    assert {r["received_year"] for r in rows if r["duplicate_of"] is None} == {2026}
    per_doc = list(store.db.query("SELECT document_id, count(*) AS n FROM tasks GROUP BY document_id"))
    assert len(per_doc) == 21 and len({r["n"] for r in per_doc}) == 1  # each letter's tasks once


def test_cli_searches_postgres_and_finds_the_seed(pg_db: str) -> None:
    runner = CliRunner()
    got = runner.invoke(main, ["ingest", str(SEED), "--db", pg_db, "--jobs", "1", "--no-progress"])
    assert got.exit_code == 0, got.output
    got = runner.invoke(main, ["search", "dang ky dat dai", "--db", pg_db])
    assert got.exit_code == 0, got.output
    assert "583/UBND" in got.output
    got = runner.invoke(main, ["show", "583/UBND", "--db", pg_db])
    assert got.exit_code == 0 and "583/UBND" in got.output


def test_serve_says_it_serves_sqlite_only(pg_db: str) -> None:
    got = CliRunner().invoke(main, ["serve", "--db", pg_db])
    assert got.exit_code != 0 and "SQLite" in got.output


def test_search_ranks_and_marks_words_with_diacritics_folded(pg_db: str) -> None:
    from pipeline.ingest import ingest
    store = open_store(pg_db)
    ingest(store, [SEED], jobs=1)
    for q in ("Đăng ký đất đai", "dang ky dat dai", "DANG KY"):
        hits = store.search(q)
        assert hits and hits[0]["code"] == "583/UBND", q
        assert "[" in hits[0]["snippet"] and "]" in hits[0]["snippet"]
    index = store.conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'docs_search_gin' "
                               "AND schemaname = current_schema()").fetchone()[0]
    assert "gin" in index.lower()


def test_near_tier_becomes_phrase_distances() -> None:
    sql, args = tsquery_sql('NEAR("dang" "ky", 2)')
    assert sql.count("tsquery_phrase") == 6 and args[:4] == ["dang", "ky", "ky", "dang"]


COMMANDS = [["summary"], ["search", "cai cach hanh chinh"], ["show", "583/UBND"], ["tasks"],
            ["tasks", "--overdue", "--as-of", "2024-07-01"], ["register"], ["cites", "583/UBND", "--depth", "2"],
            ["cited-by", "1313/UBND-NC"], ["missing"]]


def test_every_command_says_the_same_on_both_backends(pg_db: str, tmp_path: Path) -> None:
    """The seed and a re-sent copy of it, ingested into SQLite and into PostgreSQL: every reading
    command prints the same (the database's name, times and search snippets aside), then
    reprocess and tasks done agree."""
    import re
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "seed.txt").write_bytes(SEED.read_bytes())
    (inbox / "gui-lai.txt").write_bytes(SEED.read_bytes() + b"\n")
    runner = CliRunner()
    dbs = {"sqlite": str(tmp_path / "s.db"), "postgresql": pg_db}

    def say(args: list[str], db: str) -> str:
        got = runner.invoke(main, [*args, "--db", db], catch_exceptions=False)
        assert got.exit_code == 0, (args, got.output)
        out = got.output.replace(redact(db), "DB").replace(db, "DB")
        if args[0] == "search":  # the snippets differ by design: ts_headline marks a phrase as one
            out = "\n".join(line for line in out.splitlines() if "[" not in line)
        return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", "T", out)

    for db in dbs.values():
        say(["ingest", str(inbox), "--jobs", "1", "--no-progress", "--received", "2024-03-20"], db)
    for args in COMMANDS:
        assert say(args, dbs["sqlite"]) == say(args, dbs["postgresql"]), args
    for kind in ("tasks",):
        for fmt in ("csv", "json", "ics"):
            files = {name: tmp_path / f"{name}-{kind}.{fmt}" for name in dbs}
            for name, db in dbs.items():
                say(["export", kind, "--format", fmt, "-o", str(files[name])], db)
            same = [re.sub(rb"DTSTAMP:\S+", b"", files[n].read_bytes()) for n in ("sqlite", "postgresql")]
            assert same[0] == same[1], (kind, fmt)
    graphs = {name: tmp_path / f"{name}.json" for name in dbs}
    for name, db in dbs.items():
        say(["graph", "--format", "json", "-o", str(graphs[name])], db)
    assert graphs["sqlite"].read_text() == graphs["postgresql"].read_text()
    for db in dbs.values():
        say(["reprocess"], db)
        say(["tasks", "done", "1"], db)
    for args in (["tasks"], ["summary"]):
        assert say(args, dbs["sqlite"]) == say(args, dbs["postgresql"]), args
