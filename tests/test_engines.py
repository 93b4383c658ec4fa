"""The Dask engine (a local cluster of processes) stores what the default engine stores; the
rules travel in the wheel, so a worker that only installs congvan has them."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.engines import _repath, dask_engine
from pipeline.ingest import ingest
from pipeline.store import open_store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"


def inbox(folder: Path) -> Path:
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for n in (701, 702, 703):
        (folder / f"cv-{n}.txt").write_text(text.replace("Số: 583", f"Số: {n}"), encoding="utf-8")
    (folder / "gui-lai.txt").write_text(text.replace("Số: 583", "Số: 701") + "\n\n", encoding="utf-8")
    for suffix in (".docx", ".pdf"):
        if (REPO / "corpus" / f"583-UBND-son-tay-2024{suffix}").exists():
            (folder / f"seed{suffix}").write_bytes((REPO / "corpus" / f"583-UBND-son-tay-2024{suffix}").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "fake.pdf").write_bytes(b"%PDF-1.4\n garbage that is no pdf")
    return folder


def content(store: Any) -> dict[str, Any]:
    """What a store holds, keyed by file name and letter, not by ids or arrival order (of two
    copies of one letter, the one that arrives first is registered, the other flagged)."""
    q = store.db.query
    name = {r["id"]: r["code"] or Path(r["path"]).name for r in q("SELECT id, path, code FROM documents")}
    return {
        "documents": sorted((Path(r["path"]).name, r["sha256"], r["code"], r["issuer"], r["date"], r["subject"])
                            for r in q("SELECT * FROM documents")),
        "resent": sorted(r["code"] or "" for r in q("SELECT code FROM documents WHERE duplicate_of IS NOT NULL")),
        "citations": sorted((name[r["document_id"]], r["code"], r["relation"], r["target_node"] or "")
                            for r in q("SELECT * FROM citations")),
        "tasks": sorted((name[r["document_id"]], r["seq"], r["lead"] or "", r["action"] or "", r["deadline_date"] or "")
                        for r in q("SELECT * FROM tasks")),
        "edges": sorted((r["source"], r["target"], r["relation"] or "") for r in q("SELECT * FROM edges")),
        "errors": sorted((Path(r["path"]).name, r["reason"]) for r in q("SELECT * FROM ingest_errors")),
        "register": sorted(r["n"] for r in q("SELECT received_number AS n FROM documents "
                                              "WHERE received_number IS NOT NULL")),
    }


def test_dask_engine_stores_what_the_default_engine_stores(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    folder = inbox(tmp_path / "in")
    a, b = open_store(tmp_path / "pool.db"), open_store(tmp_path / "dask.db")
    ra = ingest(a, [folder], jobs=2, received_date="2026-03-02")
    rb = ingest(b, [folder], jobs=2, received_date="2026-03-02", engine=dask_engine(None, 2))
    assert (ra.stored, ra.duplicates, len(ra.errors)) == (rb.stored, rb.duplicates, len(rb.errors))
    assert rb.stored >= 4 and len(rb.errors) == 2
    ca, cb = content(a), content(b)
    assert ca == cb
    assert ca["register"] == list(range(1, len(ca["register"]) + 1))
    again = ingest(b, [folder], jobs=2, engine=dask_engine(None, 2))  # resume: nothing new
    assert again.stored == 0 and again.skipped == rb.stored


def test_results_come_back_under_the_inbox_path() -> None:
    res = {"path": "/tmp/w/x.txt", "extraction": {"source": {"path": "/tmp/w/x.txt"}},
           "results": [{"path": "/tmp/w/x.txt::a.pdf"}]}
    back = _repath(res, "/tmp/w/x.txt", "inbox/x.txt")
    assert back == {"path": "inbox/x.txt", "extraction": {"source": {"path": "inbox/x.txt"}},
                    "results": [{"path": "inbox/x.txt::a.pdf"}]}


def test_rules_travel_in_the_wheel(tmp_path: Path) -> None:
    """Build the wheel from a copy of the sources, unpack it, load the rules from that copy."""
    src = tmp_path / "src"
    src.mkdir()
    subprocess.run(f"tar -C {REPO} -cf - pipeline rules pyproject.toml README.md --exclude=__pycache__ "
                   f"| tar -C {src} -xf -", shell=True, check=True)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "whl"),
                            str(src)], capture_output=True, text=True, timeout=600)
    if built.returncode != 0:
        pytest.skip(f"could not build a wheel here (needs setuptools>=68 from PyPI): {built.stderr[-300:]}")
    wheel = next((tmp_path / "whl").glob("congvan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    rule_files = sorted(p.name for p in (REPO / "rules").iterdir() if p.suffix in (".toml", ".jsonl"))
    assert sorted(Path(n).name for n in names if n.startswith("pipeline/rules_data/")) == rule_files
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import pipeline, pipeline.rules as r; from pipeline import extract_file; "
            "print(pipeline.__file__); print(r.rules_dir()); "
            f"print(extract_file({str(SEED)!r}).header.code)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    where, rules, code_found = out.stdout.split()
    assert where.startswith(str(site)) and rules == str(site / "pipeline" / "rules_data")
    assert code_found == "583/UBND"
