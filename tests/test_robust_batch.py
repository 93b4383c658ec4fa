"""Issue 12, done when: a batch of the real corpus plus one file of each bad case finishes with
each bad file named once in ``ingest_errors``, the good ones stored, no traceback, the memory of
the whole run (the ingest, its workers and what they start) under 1 GB, and no process of the run
left behind.

By default the batch is the corpus' TXT and DOCX letters, a DOC and a scan (a few minutes);
``CONGVAN_ROBUST_CORPUS=all`` takes the whole corpus (scans and all) with a time limit per file
above the slowest scan's.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from test_robust_ingest import alive  # a process still running (a zombie counts as gone)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"
GB = 1024 ** 3

# The ingest as `congvan ingest` runs it, with one reader that never returns (for "treo.txt"):
# no real file is known to hang a reader since FIFOs are no longer opened, so one is simulated.
RUN = textwrap.dedent("""
    import sys, time
    import pipeline.ingest as ing
    real = ing.process_file
    def process_file(path, limits=ing.DEFAULT_LIMITS):
        if path.endswith("treo.txt"):
            time.sleep(3600)
        return real(path, limits)
    ing.process_file = process_file
    from pipeline.cli import main
    main(sys.argv[1:])
""")


def make_bad_cases(bad: Path) -> dict[str, str]:
    """One file of each case of issue 12 in ``bad``; returns {name: what must happen}."""
    bad.mkdir()
    letter = SEED.read_bytes()
    cases: dict[str, str] = {}
    fs = os.fsencode(bad)
    with open(os.path.join(fs, b"h\xf6ng.txt"), "wb") as fh:          # name not UTF-8, content binary
        fh.write(b"\x00\x01\x02binary" * 300)
    cases["h\\xf6ng.txt"] = "error"
    with open(os.path.join(fs, b"c\xf4ng-v\xe3n.txt"), "wb") as fh:    # name not UTF-8, a good letter
        fh.write(letter + b"\n\n")
    cases["c\\xf4ng-v\\xe3n.txt"] = "stored"
    import pypdfium2 as pdfium  # 435 bytes, 10.6 GB when rendered
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14400, 14400)
    pdf.save(str(bad / "trang-khong-lo.pdf"))
    cases["trang-khong-lo.pdf"] = "error"
    os.mkfifo(bad / "pipe.txt")
    cases["pipe.txt"] = "error"
    (bad / "treo.txt").write_bytes(letter + b"\n\n\n")
    cases["treo.txt"] = "error"
    os.symlink(bad / "khong-co.txt", bad / "dangling.txt")
    cases["dangling.txt"] = "error"
    os.symlink("self.txt", bad / "self.txt")
    cases["self.txt"] = "error"
    (bad / "sub").mkdir()
    os.symlink(bad, bad / "sub" / "up")
    cases["up"] = "error"
    (bad / "x.pdf").mkdir()
    cases["x.pdf"] = "error"
    (bad / "rong.txt").write_bytes(b"")
    cases["rong.txt"] = "error"
    at = letter.index(b"\n", 2000)
    (bad / "mot-byte.txt").write_bytes(letter[:at] + b"\xff" + letter[at:] + b"\n\n\n\n")
    cases["mot-byte.txt"] = "stored"
    (bad / "thu.doc").write_bytes(letter + b"\n" * 5)                  # a text file named .doc
    cases["thu.doc"] = "either"
    return cases


def tree(root: int) -> dict[int, int]:
    """{pid: resident bytes} of ``root`` and every process under it."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parent[int(d)] = int(fields[1])
            rss[int(d)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    out, todo = {}, [root]
    while todo:
        p = todo.pop()
        if p in rss:
            out[p] = rss[p]
        todo += [c for c, pp in parent.items() if pp == p]
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to follow the processes of the run")
def test_corpus_plus_every_bad_case(shared_dir: Path, tmp_path: Path) -> None:
    corpus = shared_dir / "corpus"
    everything = os.environ.get("CONGVAN_ROBUST_CORPUS") == "all"
    if everything:
        inputs, timeout = [str(corpus)], "300"
    else:
        files = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".docx"))
        files += sorted(corpus.glob("*.doc"))[:1] + sorted(corpus.glob("*.png"))[:1]
        inputs, timeout = [str(p) for p in files], "120"
    cases = make_bad_cases(tmp_path / "bad")
    db = tmp_path / "batch.db"
    proc = subprocess.Popen([sys.executable, "-c", RUN, "ingest", *inputs, str(tmp_path / "bad"), "--db", str(db),
                             "--jobs", "2", "--no-progress", "--file-timeout", timeout],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak, seen = 0, set()
    deadline = time.monotonic() + (3600 if everything else 900)
    while proc.poll() is None and time.monotonic() < deadline:
        now = tree(proc.pid)
        seen |= set(now)
        peak = max(peak, sum(now.values()))
        time.sleep(0.2)
    if proc.poll() is None:
        proc.kill()
        pytest.fail("the batch did not finish")
    out, err = (s.decode("utf-8", "replace") for s in proc.communicate())
    time.sleep(1)
    left = [p for p in seen if p != proc.pid and alive(p)]
    print(f"\npeak memory of the run: {peak / 2**20:.0f} MB over {len(seen)} processes")
    assert "Traceback" not in err, err[-3000:]
    assert proc.returncode == 1  # some files failed, and the exit status says so
    assert left == [], f"processes of the run still running: {left}"
    assert peak < GB
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT path, reason FROM ingest_errors").fetchall()
        errors = [r[0] for r in rows]
        stored = {r[0] for r in c.execute("SELECT path FROM documents")}
    names = [Path(p).name for p in errors]
    for name, fate in cases.items():
        where = (names.count(name), any(Path(p).name == name for p in stored))
        want = {"error": [(1, False)], "stored": [(0, True)], "either": [(1, False), (0, True)]}[fate]
        assert where in want, (name, where, fate)
    assert [r for r in rows if str(tmp_path / "bad") not in r[0]] == [], "a corpus letter failed"
    # Every corpus letter is stored, once per content (the corpus holds one pair of identical files).
    wanted = [Path(p) for p in inputs if Path(p).is_file()] if not everything else \
        [p for p in corpus.iterdir() if p.suffix in (".txt", ".docx", ".doc", ".pdf", ".png")]
    by_sha: dict[str, set[str]] = {}
    for p in wanted:
        by_sha.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), set()).add(str(p))
    assert all(len(paths & stored) == 1 for paths in by_sha.values())
