"""Batch ingest: a kill -9 half way loses and doubles nothing; bad bytes never crash a worker."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.ingest import find_files, ingest, process_file
from pipeline.store import Store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"


def make_inbox(folder: Path, n: int) -> None:
    sys.path.insert(0, str(REPO / "tools"))
    from make_inbox import generate
    generate(folder, n, seed=7, mix=(1.0, 0.0, 0.0))


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as c:
            return c.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_killed_ingest_resumes_without_loss_or_double(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "k.db"
    make_inbox(inbox, 120)
    cmd = [str(Path(sys.executable).with_name("congvan")), "ingest", str(inbox), "--db", str(db), "--jobs", "1",
           "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while stored(db) < 10 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.fail("ingest finished before it could be killed; make the inbox bigger")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    half = stored(db)
    assert 10 <= half < 120
    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(db) as c:
        n, distinct = c.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone()
        fts = c.execute("SELECT count(*) FROM docs_fts").fetchone()[0]
        orphans = c.execute("SELECT count(*) FROM tasks WHERE document_id NOT IN (SELECT id FROM documents)").fetchone()[0]
    assert n == distinct == fts == 120
    assert orphans == 0
    assert f"bỏ qua {half}" in rerun.stdout


def mutations(data: bytes, rng: random.Random, n: int) -> list[bytes]:
    out = [data[: len(data) // 2], data[: 64], data[:-200]]
    for _ in range(n):
        b = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        out.append(bytes(b))
    return out


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_fuzzed_bytes_never_crash_a_worker(tmp_path: Path, suffix: str) -> None:
    src = REPO / "corpus" / f"583-UBND-son-tay-2024{suffix}"
    if not src.exists():
        pytest.skip(f"{src.name} not generated")
    rng = random.Random(1)
    for i, data in enumerate(mutations(src.read_bytes(), rng, 25)):
        p = tmp_path / f"f{i}{suffix}"
        p.write_bytes(data)
        res = process_file(str(p))
        assert "extraction" in res or ("error" in res and res["error"]), res
        if "error" in res:
            assert "không lường trước" not in res["error"], (p.name, res["error"])


def test_find_files_skips_other_kinds(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.xyz").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.PDF").write_bytes(b"%PDF")
    assert sorted(p.name for p in find_files([tmp_path])) == ["a.txt", "c.PDF"]


def test_received_register_runs_per_year(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.db")
    inbox = tmp_path / "in"
    make_inbox(inbox, 3)
    files = sorted(inbox.iterdir())
    ingest(store, files[:2], jobs=1, received_date="2025-12-30")
    ingest(store, files[2:], jobs=1, received_date="2026-01-02")
    rows = [(r["received_year"], r["received_number"]) for r in
            store.db.query("SELECT received_year, received_number FROM documents ORDER BY id")]
    assert rows == [(2025, 1), (2025, 2), (2026, 1)]


def test_watch_picks_up_new_files(tmp_path: Path) -> None:
    inbox, db = tmp_path / "watch", tmp_path / "w.db"
    inbox.mkdir()
    cmd = [str(Path(sys.executable).with_name("congvan")), "ingest", "--watch", str(inbox), "--db", str(db),
           "--interval", "0.2", "--no-progress", "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        (inbox / "moi.txt").write_bytes(SEED.read_bytes())
        deadline = time.time() + 60
        while stored(db) < 1 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert stored(db) == 1
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _crash_on_poison(path: str, limits: object = None) -> dict:
    if "poison" in path:
        os._exit(11)  # what a segfault in a C library looks like to the pool
    return process_file(path)


def test_a_worker_that_dies_fails_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.ingest as ing
    folder = tmp_path / "in"
    make_inbox(folder, 8)
    (folder / "poison.txt").write_bytes(SEED.read_bytes() + b"\n")
    monkeypatch.setattr(ing, "process_file", _crash_on_poison)
    store = Store(tmp_path / "p.db")
    rep = ingest(store, [folder], jobs=2)
    assert rep.stored == 8
    assert [Path(p).name for p, _ in rep.errors] == ["poison.txt"]
