"""Issue 12: no input stops a batch. Each case failed on this machine before the fix (a traceback
that aborted the batch, a hang, a worker left running, an error row per poll); each must now be
named once in ``ingest_errors`` while the good files are stored.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

import pipeline.ingest as ing
from pipeline.ingest import in_process, ingest, process_file, scan_paths, watch_folder
from pipeline.store import Store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"
CONGVAN = str(Path(sys.executable).with_name("congvan"))


def letter(n: int = 0) -> bytes:
    """The seed letter, made distinct by a trailing line (a different sha256)."""
    return SEED.read_bytes() + b"\n" * (n + 1)


def error_rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT path, reason FROM ingest_errors ORDER BY id").fetchall()


def doc_paths(db: Path) -> list[str]:
    with sqlite3.connect(db) as c:
        return [r[0] for r in c.execute("SELECT path FROM documents ORDER BY id")]


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ---- names that are not UTF-8 ---------------------------------------------------------------------
def test_a_name_that_is_not_utf8_is_stored_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"c\xf4ng-v\xe3n.txt")   # Latin-1 bytes in a name
    with open(bad, "wb") as fh:
        fh.write(letter(1))
    (folder / "ok.txt").write_bytes(letter(2))
    db = tmp_path / "n.db"
    rep = ingest(Store(db), [folder], engine=in_process)
    assert (rep.stored, rep.errors) == (2, [])
    assert any(p.endswith("c\\xf4ng-v\\xe3n.txt") for p in doc_paths(db))
    again = ingest(Store(db), [folder], engine=in_process)   # every rerun used to fail the same way
    assert (again.stored, again.skipped, again.errors) == (0, 2, [])


def test_a_failing_file_with_a_bad_name_is_recorded_by_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"h\xf6ng.txt"), "wb") as fh:
        fh.write(b"\x00\x01\x02binary" * 200)
    (folder / "ok.txt").write_bytes(letter())
    db = tmp_path / "c.db"
    run = subprocess.run([CONGVAN, "ingest", str(folder), "--db", str(db), "--no-progress", "--jobs", "1"],
                         capture_output=True, timeout=300)
    err = run.stderr.decode("utf-8")
    assert run.returncode == 1 and "Traceback" not in err
    assert "h\\xf6ng.txt" in err
    assert [p for p, _ in error_rows(db)] == [str(folder / "h\\xf6ng.txt")]
    assert len(doc_paths(db)) == 1


# ---- pipes, devices, links, folders with a file's name -----------------------------------------------
def test_a_fifo_named_on_the_command_line_is_an_error_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    ok = tmp_path / "ok.txt"
    ok.write_bytes(letter())
    db = tmp_path / "f.db"
    run = subprocess.run([CONGVAN, "ingest", str(fifo), str(ok), "--db", str(db), "--no-progress", "--jobs", "1"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert error_rows(db) == [(str(fifo), "không phải tệp thường (ống FIFO): không mở để đọc")]
    assert doc_paths(db) == [str(ok)]


def test_devices_and_fifos_in_a_folder_are_reported_without_being_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a.pdf")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    found = {Path(f.path).name: f.problem for f in scan_paths([tmp_path])}
    assert found["a.pdf"] and "FIFO" in found["a.pdf"]
    assert found["zero.txt"] and "thiết bị" in found["zero.txt"]


def test_links_loops_and_folders_named_like_files_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_bytes(letter(1))
    os.symlink(SEED, folder / "link.txt")                      # followed: stored
    os.symlink(tmp_path / "gone.txt", folder / "dangling.txt")  # points nowhere
    os.symlink("self.txt", folder / "self.txt")                 # points at itself (ELOOP)
    os.symlink(folder, folder / "sub" / "up")                   # a folder link back up: a loop
    (folder / "x.pdf").mkdir()                                  # a folder with a file's name
    (folder / "x.pdf" / "b.txt").write_bytes(letter(2))
    db = tmp_path / "l.db"
    rep = ingest(Store(db), [folder], engine=in_process)
    errors = {Path(p).name: why for p, why in error_rows(db)}
    assert set(errors) == {"dangling.txt", "self.txt", "up", "x.pdf"}
    assert "hỏng" in errors["dangling.txt"] and "vòng lặp" in errors["self.txt"]
    assert "vòng lặp" in errors["up"] and "thư mục" in errors["x.pdf"]
    assert sorted(Path(p).name for p in doc_paths(db)) == ["a.txt", "b.txt", "link.txt"]
    assert rep.stored == 3 and len(rep.errors) == 4


# ---- errors once per content ---------------------------------------------------------------------------
def test_a_rerun_does_not_duplicate_error_rows(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "dangling.txt")
    db = tmp_path / "e.db"
    for _ in range(3):
        ingest(Store(db), [tmp_path], engine=in_process)
    assert sorted(Path(p).name for p, _ in error_rows(db)) == ["dangling.txt", "empty.txt"]


def test_watch_records_a_failing_file_once_per_content(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = inbox / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary" * 200)
    (inbox / "ok.txt").write_bytes(letter())
    store = Store(tmp_path / "w.db")
    reports: list[Any] = []
    watch_folder(store, inbox, interval=0.01, polls=6, engine=in_process, on_report=reports.append)
    assert len(error_rows(tmp_path / "w.db")) == 1
    assert sum(r.stored for r in reports) == 1 and sum(len(r.errors) for r in reports) == 1
    bad.write_bytes(b"\x00\x01\x03binary" * 200)  # new content: a new failure, worth a new row
    os.utime(bad, ns=(time.time_ns(), time.time_ns() + 10**9))
    watch_folder(store, inbox, interval=0.01, polls=4, engine=in_process)
    assert len(error_rows(tmp_path / "w.db")) == 2


# ---- time limits and workers ------------------------------------------------------------------------------
def _hang_on_marker(path: str, limits: object = None) -> dict:
    """A reader that never returns for a file named *treo* (and starts a child that would outlive it)."""
    if "treo" in path:
        child = subprocess.Popen(["sleep", "600"])
        Path(path + ".pids").write_text(f"{os.getpid()} {child.pid}")
        time.sleep(600)
    return process_file(path)


def test_a_file_past_its_time_limit_is_an_error_and_its_worker_replaced(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.txt").write_bytes(letter(i))
    (folder / "1-treo.txt").write_bytes(letter(9))
    monkeypatch.setattr(ing, "process_file", _hang_on_marker)
    db = tmp_path / "t.db"
    rep = ingest(Store(db), [folder], jobs=2, file_timeout=2.0)
    assert rep.stored == 4
    assert [(Path(p).name, "quá thời gian" in why) for p, why in rep.errors] == [("1-treo.txt", True)]
    worker, child = map(int, (folder / "1-treo.txt.pids").read_text().split())
    deadline = time.monotonic() + 10
    while (alive(worker) or alive(child)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(worker) and not alive(child), "the hung worker or what it started is still running"
    import multiprocessing
    assert multiprocessing.active_children() == []


def test_a_worker_that_runs_out_of_memory_fails_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def greedy(path: str, limits: object = None) -> dict:
        if "greedy" in path:
            try:
                bytearray(2 * 1024 ** 3)   # what rendering a 14400x14400 pt page at 300 dpi asks for
            except MemoryError:
                return {"path": path, "error": "hết bộ nhớ khi đọc tệp"}
        return process_file(path)
    (tmp_path / "greedy.txt").write_bytes(letter(1))
    (tmp_path / "ok.txt").write_bytes(letter(2))
    monkeypatch.setattr(ing, "process_file", greedy)
    rep = ingest(Store(tmp_path / "m.db"), [tmp_path], jobs=1, worker_memory_mb=400)
    assert rep.stored == 1
    assert [Path(p).name for p, _ in rep.errors] == ["greedy.txt"]
    assert "--worker-memory-mb" in rep.errors[0][1]


KILLED_PARENT = textwrap.dedent("""
    import os, subprocess, sys, time
    from pathlib import Path
    import pipeline.ingest as ing
    from pipeline.store import Store

    def hang(path, limits=None):
        child = subprocess.Popen(["sleep", "600"])
        Path(path + ".pids").write_text(f"{os.getpid()} {child.pid}")
        time.sleep(600)

    ing.process_file = hang
    ing.ingest(Store(sys.argv[1]), sys.argv[2:], jobs=2, file_timeout=None)
""")


def test_workers_die_with_their_parent_on_kill_9(tmp_path: Path) -> None:
    files = []
    for i in range(2):
        f = tmp_path / f"{i}.txt"
        f.write_bytes(letter(i))
        files.append(f)
    parent = subprocess.Popen([sys.executable, "-c", KILLED_PARENT, str(tmp_path / "k.db"), *map(str, files)],
                              cwd=REPO)
    pid_files = [Path(str(f) + ".pids") for f in files]
    deadline = time.monotonic() + 120
    while not all(p.exists() and p.read_text() for p in pid_files) and time.monotonic() < deadline:
        assert parent.poll() is None, "the ingest ended before its workers started"
        time.sleep(0.05)
    pids = [int(x) for p in pid_files for x in p.read_text().split()]
    assert all(alive(p) for p in pids)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [p for p in pids if alive(p)]
    for p in left:  # do not leave them to the next test either
        os.kill(p, signal.SIGKILL)
    assert left == [], "workers (or their children) outlived a kill -9 of the ingest"


def test_the_cli_takes_a_file_timeout_and_its_default_is_the_library_s() -> None:
    from pipeline import cli
    assert cli.DEFAULT_FILE_TIMEOUT == ing.DEFAULT_FILE_TIMEOUT
    assert cli.DEFAULT_WORKER_MEMORY_MB == ing.DEFAULT_WORKER_MEMORY_MB
    from click.testing import CliRunner
    out = CliRunner().invoke(cli.main, ["ingest", "--help"]).output
    assert "--file-timeout" in out and "--worker-memory-mb" in out


# ---- two ingests at once ---------------------------------------------------------------------------------
TWICE = textwrap.dedent("""
    import json, sys
    from pipeline.ingest import ingest
    from pipeline.store import Store
    rep = ingest(Store(sys.argv[1]), [sys.argv[2]], jobs=1)
    print(json.dumps({"stored": rep.stored_paths, "skipped": rep.skipped, "errors": rep.errors}))
""")


def test_two_ingests_at_once_store_each_letter_once_and_say_which(tmp_path: Path) -> None:
    import json
    sys.path.insert(0, str(REPO / "tools"))
    from make_inbox import generate
    inbox = tmp_path / "in"
    generate(inbox, 16, seed=3)
    n = sum(1 for _ in inbox.iterdir())
    db = tmp_path / "two.db"
    Store(db).close()
    procs = [subprocess.Popen([sys.executable, "-c", TWICE, str(db), str(inbox)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [json.loads(p.communicate(timeout=600)[0]) for p in procs]
    a, b = (set(o["stored"]) for o in outs)
    assert not a & b, "both ingests say they stored the same file"
    assert a | b == {str(p) for p in inbox.iterdir()}
    assert all(len(o["stored"]) + o["skipped"] == n and not o["errors"] for o in outs)
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone() == (n, n)
