"""Speed on real documents (issue 15): stage by stage, and the ratios side by side in one run.

- Stages: every corpus letter read and extracted in this process, the CPU time of each stage
  summed over the files (readers, normalize, segment, header, citations, tasks, store), and the
  PDF table finder (readers/tables.py, inside the readers' figure) on its own line.
- Real-document ingest: the corpus copied with one byte changed in each copy (a PDF gets a
  comment after its end, a text one more newline: the same letters, distinct files, so the store
  keeps every one), ingested by ``congvan ingest --jobs N``: CPU milliseconds per document.
- The ratios of issue 15, measured in the same run, CPU time, best of ``repeat``:
  whole pipeline on the corpus text PDFs against bare pdfplumber ``extract_text`` and bare
  pypdfium2 ``get_text_range``; TXT extraction against a bare read + NFC + one regex pass
  (the bare pass repeated until it takes >= 0.3 s); ``congvan search`` and ``congvan --help``
  from the shell against ``python -c pass``; one scanned page against bare ``tesseract -l vie``
  on the same page image at the same DPI (both with one OpenMP thread, as the reader runs it).

``tools/bench.py`` imports ``run(shared_dir, jobs) -> dict``.
Example: ``.venv/bin/python tools/bench_real.py --shared ../shared``
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TARGETS = {"pdf_vs_pdfplumber": (">=", 10.0), "pdf_vs_pypdfium2": ("<=", 2.5), "txt_vs_bare": ("<=", 25.0),
           "search_vs_python": ("<=", 6.0), "help_vs_python": ("<=", 3.0), "scan_page_vs_tesseract": ("<=", 1.4)}
STAGES = ("readers", "normalize", "segment", "header", "citations", "tasks", "store")


def cpu() -> float:
    """CPU seconds of this process and of its finished children (Tesseract, LibreOffice)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The least CPU time of ``repeat`` runs of ``fn`` (after one warm-up run)."""
    return best_of({"fn": fn}, repeat)["fn"]


def best_of(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """The least CPU time of each function over ``repeat`` rounds, the functions taking turns
    within a round, so that load from other processes falls on all of them alike."""
    for fn in fns.values():
        fn()                                   # warm-up: imports, compiled rules, caches
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = cpu()
            fn()
            times[name].append(cpu() - t0)
    return {k: min(v) for k, v in times.items()}


def text_pdfs(corpus: Path) -> list[Path]:
    """The corpus' PDFs read from their text layer (scans are OCR time, measured apart)."""
    from pipeline.errors import ReadError
    from pipeline.readers import Limits, read_document

    out = []
    for p in sorted(corpus.glob("*.pdf")):
        try:
            raw = read_document(p, Limits(ocr=False))
        except ReadError:
            continue
        if not any("OCR" in w or "quét" in w for w in raw.warnings):
            out.append(p)
    return out


# --- stage by stage --------------------------------------------------------------------------


def stages(files: list[Path]) -> dict[str, Any]:
    """CPU seconds of each stage over ``files`` (one pass; a failing file is counted apart)."""
    from pipeline.errors import CongvanError
    from pipeline.extract.citations import extract_citations
    from pipeline.extract.header import extract_header
    from pipeline.extract.tasks import extract_tasks
    from pipeline.models import Extraction
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document
    from pipeline.store import Store
    from pipeline.structure import parse_sections

    try:
        import pipeline.readers.pdf as pdf_reader
        tables_fn = pdf_reader.find_pdf_tables
    except (ImportError, AttributeError):
        pdf_reader, tables_fn = None, None
    spent = dict.fromkeys(STAGES, 0.0)
    spent["pdf tables (in readers)"] = 0.0

    def timed_tables(*a: Any, **k: Any) -> Any:
        t0 = time.process_time()
        try:
            return tables_fn(*a, **k)  # type: ignore[misc]
        finally:
            spent["pdf tables (in readers)"] += time.process_time() - t0

    if pdf_reader is not None and tables_fn is not None:
        pdf_reader.find_pdf_tables = timed_tables  # type: ignore[attr-defined]
    failed = 0
    by_format: dict[str, float] = {}
    tmp = tempfile.mkdtemp(prefix="congvan-bench-")
    try:
        store = Store(str(Path(tmp) / "stages.db"))
        for f in files:
            try:
                t = [cpu()]
                raw = read_document(f)
                t.append(cpu())
                raw = normalize_document(raw)
                t.append(cpu())
                seg = segment_document(raw)
                sections = parse_sections(seg)
                t.append(cpu())
                header = extract_header(seg, raw)
                t.append(cpu())
                citations = extract_citations(seg, header)
                t.append(cpu())
                tasks = extract_tasks(seg, header, sections)
                t.append(cpu())
                ex = Extraction(raw=raw, header=header, citations=tuple(citations), tasks=tuple(tasks),
                                footnotes=seg.footnotes, sections=tuple(sections))
                _store(store, ex)
                t.append(cpu())
            except (CongvanError, Exception) as e:  # noqa: BLE001 - others' work in progress: count, go on
                failed += 1
                if failed <= 3:
                    print(f"    stages: {f.name}: {type(e).__name__}: {e}"[:200], flush=True)
                continue
            for name, a, b in zip(STAGES, t, t[1:], strict=False):
                spent[name] += b - a
            key = f"readers: {raw.format}"
            by_format[key] = by_format.get(key, 0.0) + t[1] - t[0]
    finally:
        if pdf_reader is not None and tables_fn is not None:
            pdf_reader.find_pdf_tables = tables_fn  # type: ignore[attr-defined]
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(spent[s] for s in STAGES)
    return {"files": len(files), "failed": failed, "cpu_s": round(total, 3),
            "ms_per_doc": round(1000 * total / max(1, len(files) - failed), 2),
            "stages_s": {k: round(v, 3) for k, v in spent.items()},
            "readers_by_format_s": {k: round(v, 3) for k, v in sorted(by_format.items())},
            "shares": {k: round(v / total, 3) if total else 0.0 for k, v in spent.items()}}


def _store(store: Any, ex: Any) -> None:
    """Store one extraction as ingest does (the store's API as this tree has it)."""
    import inspect

    if "new_only" not in inspect.signature(store.save_extraction).parameters:
        store.save_extraction(ex.to_dict(), ex.raw.text)    # before pipeline/record.py
        return
    from pipeline.record import make_record
    store.save_extraction(make_record(ex.to_dict(), None), ex.raw.text, new_only=True)


# --- real documents, made distinct, through `congvan ingest` ----------------------------------


def distinct_copies(files: list[Path], copies: int, folder: Path) -> list[Path]:
    """``copies`` copies of each file, each changed by one byte so its sha256 differs."""
    out = []
    for k in range(copies):
        for f in files:
            data = f.read_bytes()
            if f.suffix.lower() == ".pdf":
                data += b"\n%" + str(k).encode() + b"\n"      # a comment after %%EOF
            elif f.suffix.lower() == ".txt":
                data += b"\n" * (k + 1)
            elif k:
                continue                                     # DOCX/DOC: a byte would break the zip
            dest = folder / f"{k}-{f.name}"
            dest.write_bytes(data)
            out.append(dest)
    return out


def real_ingest(files: list[Path], copies: int, jobs: int) -> dict[str, Any]:
    """``congvan ingest --jobs N`` over distinct copies: CPU ms per document (all processes)."""
    with tempfile.TemporaryDirectory(prefix="congvan-real-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        paths = distinct_copies(files, copies, folder)
        db = Path(tmp) / "real.db"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(congvan("ingest", str(folder), "--db", str(db), "--jobs", str(jobs)),
                              capture_output=True, text=True, check=False, cwd=REPO,
                              env=dict(os.environ, PYTHONPATH=str(REPO)))
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        n = len(paths)
        out = {"files": n, "copies": copies, "jobs": jobs, "wall_s": round(wall, 1),
               "cpu_s": round(used, 1), "cpu_ms_per_doc": round(1000 * used / n, 1),
               "docs_per_s": round(n / wall, 1), "exit": proc.returncode}
        out["db"] = str(db)
        # keep a copy of the store for the search figure
        keep = Path(tempfile.gettempdir()) / "congvan-bench-real.db"
        if db.exists():
            shutil.copy(db, keep)
            out["db"] = str(keep)
        return out


# --- the ratios -----------------------------------------------------------------------------


def pdf_ratios(pdfs: list[Path], repeat: int) -> dict[str, Any]:
    """Whole pipeline against bare pdfplumber and bare pypdfium2 on the same files, CPU time."""
    import pypdfium2 as pdfium
    from bench_readers import _pdfplumber, _pypdfium2  # the bare baselines, as bench_readers runs them

    from pipeline import extract_document
    from pipeline.readers import Limits, read_document

    no_ocr = Limits(ocr=False)

    def plumber() -> None:
        for f in pdfs:
            _pdfplumber(f)

    def pdfium_bare() -> None:
        for f in pdfs:
            _pypdfium2(f)

    def reader() -> None:
        for f in pdfs:
            read_document(f, no_ocr)

    def pipeline() -> None:
        for f in pdfs:
            extract_document(read_document(f, no_ocr))

    pages = sum(len(pdfium.PdfDocument(f)) for f in pdfs)
    s_plumber = best(plumber, max(1, repeat // 2))
    got = best_of({"pdfium": pdfium_bare, "reader": reader, "pipeline": pipeline}, repeat)
    s_pdfium, s_reader, s_pipe = got["pdfium"], got["reader"], got["pipeline"]
    return {"files": len(pdfs), "pages": pages, "pdfplumber_s": round(s_plumber, 3),
            "pypdfium2_s": round(s_pdfium, 3), "reader_s": round(s_reader, 3), "pipeline_s": round(s_pipe, 3),
            "pdf_vs_pdfplumber": round(s_plumber / s_pipe, 2), "pdf_vs_pypdfium2": round(s_pipe / s_pdfium, 2),
            "reader_vs_pypdfium2": round(s_reader / s_pdfium, 2)}


def txt_ratio(files: list[Path], repeat: int) -> dict[str, Any]:
    """TXT extraction against a bare read + NFC + one regex pass (repeated until >= 0.3 s)."""
    import regex

    from pipeline import extract_document
    from pipeline.readers import read_document

    pat = regex.compile(r"\d+/[\p{Lu}Đ]+(?:-[\p{Lu}Đ]+)*")

    def bare_once() -> None:
        for f in files:
            text = unicodedata.normalize("NFC", f.read_text(encoding="utf-8", errors="replace"))
            sum(1 for _ in pat.finditer(text))

    rounds = 1
    while True:
        t0 = cpu()
        for _ in range(rounds):
            bare_once()
        if cpu() - t0 >= 0.3:
            break
        rounds *= 2

    def bare() -> None:
        for _ in range(rounds):
            bare_once()

    def full() -> None:
        for f in files:
            extract_document(read_document(f))

    got = best_of({"bare": bare, "full": full}, repeat)
    b, x = got["bare"] / rounds, got["full"]
    return {"files": len(files), "mb": round(sum(f.stat().st_size for f in files) / 1e6, 2),
            "bare_s": round(b, 4), "bare_rounds": rounds, "extract_s": round(x, 3),
            "txt_vs_bare": round(x / b, 1), "ms_per_doc": round(1000 * x / len(files), 2)}


# What the `congvan` script does, run against this tree's package (so a copy of the tree, e.g.
# `git archive HEAD`, measures itself, not the installed one).
CONGVAN = ["-c", "import sys; from pipeline.cli import main; sys.exit(main())"]


def congvan(*args: str) -> list[str]:
    return [sys.executable, *CONGVAN, *args]


def _child_cpu(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``cmd`` (run in the tree, its package first)."""
    env = dict(env or os.environ, PYTHONPATH=str(REPO))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False, env=env, cwd=REPO)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def command_ratios(db: str | None, repeat: int) -> dict[str, Any]:
    """``congvan search`` and ``congvan --help`` from the shell against ``python -c pass`` (and, for
    the record, ``tasks --overdue`` and ``show``). The children keep their compiled modules in a
    scratch pycache, as an installed congvan does (with PYTHONDONTWRITEBYTECODE set, every run
    would compile each module edited since its .pyc was written)."""
    runs: dict[str, list[str]] = {"python -c pass": [sys.executable, "-c", "pass"],
                                  "congvan --help": congvan("--help")}
    if db:
        runs["congvan search"] = congvan("search", "cai cach hanh chinh", "--db", db)
        runs["congvan tasks --overdue"] = congvan("tasks", "--overdue", "--db", db)
        runs["congvan show"] = congvan("show", "1", "--db", db)
    out: dict[str, Any] = {}
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    with tempfile.TemporaryDirectory(prefix="congvan-pyc-") as pyc:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pyc
        for k in range(repeat + 1):            # taking turns; the first round warms the disk cache
            for name, cmd in runs.items():
                got = _child_cpu(cmd, env)
                if k:
                    samples[name].append(got)
    for name, got in samples.items():
        out[name] = {"cpu_ms": round(1000 * min(c for c, _ in got), 1),
                     "wall_ms": round(1000 * min(w for _, w in got), 1)}
    base = out["python -c pass"]["cpu_ms"]
    out["help_vs_python"] = round(out["congvan --help"]["cpu_ms"] / base, 2)
    if "congvan search" in out:
        out["search_vs_python"] = round(out["congvan search"]["cpu_ms"] / base, 2)
        out["tasks_overdue_vs_python"] = round(out["congvan tasks --overdue"]["cpu_ms"] / base, 2)
        out["show_vs_python"] = round(out["congvan show"]["cpu_ms"] / base, 2)
    return out


def scan_ratio(corpus: Path, repeat: int) -> dict[str, Any] | None:
    """Page 1 of a scanned corpus PDF through the reader (render, OCR, header slots, layout)
    against bare ``tesseract -l vie`` on the same page image (the one the reader makes: rendered
    at the reader's DPI, red channel, contrast stretched), saved as PNG."""
    import pypdfium2 as pdfium
    from PIL import ImageOps

    from pipeline.readers import read_document
    from pipeline.readers.ocr import DPI

    exe = shutil.which("tesseract")
    if not exe:
        return None
    scan = None
    for p in sorted(corpus.glob("*.pdf")):
        pdf = pdfium.PdfDocument(p)
        try:
            page = pdf[0]
            tp = page.get_textpage()
            empty = tp.count_chars() < 20
            tp.close()
            page.close()
        finally:
            pdf.close()
        if empty:
            scan = p
            break
    if scan is None:
        return None
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="congvan-scan-") as tmp:
        src = pdfium.PdfDocument(scan)
        one = pdfium.PdfDocument.new()
        one.import_pages(src, [0])
        one_path = Path(tmp) / "page1.pdf"
        one.save(str(one_path))
        page = src[0]
        png = Path(tmp) / "page1.png"
        # the image the reader hands Tesseract: the red channel, contrast stretched (readers/ocr.py)
        ImageOps.autocontrast(page.render(scale=DPI / 72).to_pil().convert("RGB").getchannel("R"),
                              cutoff=1).save(png)
        page.close()
        one.close()
        src.close()

        def ours() -> None:
            read_document(one_path)

        ours()
        bare_runs, mine_runs = [], []
        for _ in range(repeat):                # taking turns, as above
            bare_runs.append(_child_cpu([exe, str(png), "stdout", "-l", "vie"], env)[0])
            t0 = cpu()
            ours()
            mine_runs.append(cpu() - t0)
        bare, mine = min(bare_runs), min(mine_runs)
    return {"file": scan.name, "dpi": DPI, "tesseract_s": round(bare, 2), "reader_s": round(mine, 2),
            "scan_page_vs_tesseract": round(mine / bare, 2)}


def run(shared_dir: Path | str, jobs: int = 2, repeat: int = 5, copies: int = 2,
        quiet: bool = False) -> dict[str, Any]:
    """Every figure above; returns them as a dict (``summary``: one README paragraph)."""
    corpus = Path(shared_dir) / "corpus"
    say: Callable[..., None] = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    pdfs = text_pdfs(corpus)
    txts = sorted(corpus.glob("*.txt")) + sorted((Path(shared_dir) / "seed").glob("*.txt"))
    texts = pdfs + sorted(corpus.glob("*.txt")) + sorted(corpus.glob("*.docx"))
    res: dict[str, Any] = {}
    res["stages"] = st = stages(texts)
    say(f"  stages over {st['files']} text letters (PDF, TXT, DOCX; {st['failed']} failed): "
        f"{st['ms_per_doc']} ms CPU a letter; " +
        ", ".join(f"{k} {v:.2f} s ({100 * st['shares'][k]:.0f}%)" for k, v in st["stages_s"].items()))
    say("    " + ", ".join(f"{k} {v:.2f} s" for k, v in st["readers_by_format_s"].items()))
    res["real_ingest"] = ri = real_ingest(pdfs + sorted(corpus.glob("*.txt")) + sorted(corpus.glob("*.docx")),
                                          copies, jobs)
    say(f"  real documents made distinct: {ri['files']} files, ingest --jobs {jobs}: "
        f"{ri['cpu_ms_per_doc']} ms CPU a document, {ri['docs_per_s']} docs/s")
    res["pdf"] = p = pdf_ratios(pdfs, repeat)
    say(f"  text PDFs ({p['files']} files, {p['pages']} pages): pipeline {p['pipeline_s']} s, reader "
        f"{p['reader_s']} s, pdfplumber {p['pdfplumber_s']} s, pypdfium2 {p['pypdfium2_s']} s: "
        f"{p['pdf_vs_pdfplumber']}x faster than pdfplumber, {p['pdf_vs_pypdfium2']}x pypdfium2")
    res["txt"] = t = txt_ratio(txts, repeat)
    say(f"  TXT ({t['files']} files): extraction {t['extract_s']} s = {t['txt_vs_bare']}x a bare pass "
        f"({1000 * t['bare_s']:.1f} ms, repeated {t['bare_rounds']}x)")
    res["commands"] = c = command_ratios(ri.get("db"), max(3, repeat))
    say("  commands (CPU ms, best of runs): " + ", ".join(
        f"{k} {v['cpu_ms']} ({v['wall_ms']} wall)" for k, v in c.items() if isinstance(v, dict)))
    res["scan"] = s = scan_ratio(corpus, max(1, repeat - 1))
    if s:
        say(f"  one scanned page ({s['file']}, {s['dpi']} dpi): reader {s['reader_s']} s, bare tesseract "
            f"{s['tesseract_s']} s = {s['scan_page_vs_tesseract']}x")
    ratios = {"pdf_vs_pdfplumber": p["pdf_vs_pdfplumber"], "pdf_vs_pypdfium2": p["pdf_vs_pypdfium2"],
              "txt_vs_bare": t["txt_vs_bare"], "help_vs_python": c["help_vs_python"],
              "search_vs_python": c.get("search_vs_python"),
              "scan_page_vs_tesseract": s["scan_page_vs_tesseract"] if s else None}
    res["ratios"] = {k: {"value": v, "target": f"{TARGETS[k][0]} {TARGETS[k][1]}",
                         "met": v is not None and (v >= TARGETS[k][1] if TARGETS[k][0] == ">=" else v <= TARGETS[k][1])}
                     for k, v in ratios.items()}
    say("  ratios: " + ", ".join(f"{k} {r['value']} (target {r['target']}{'' if r['met'] else ', not met'})"
                                 for k, r in res["ratios"].items()))
    res["summary"] = summary(res)
    return res


def summary(r: dict[str, Any]) -> str:
    p, t, c, s, st, ri = r["pdf"], r["txt"], r["commands"], r.get("scan"), r["stages"], r["real_ingest"]
    parts = [
        f"Issue 15's ratios, one run, CPU time (best of runs): whole pipeline on {p['files']} text PDFs "
        f"({p['pages']} pages) {p['pdf_vs_pdfplumber']}x faster than bare pdfplumber extract_text "
        f"(target >= 10) and {p['pdf_vs_pypdfium2']}x bare pypdfium2 (target <= 2.5; the reader alone "
        f"{p['reader_vs_pypdfium2']}x)",
        f"TXT extraction {t['txt_vs_bare']}x a bare read + NFC + one regex pass (target <= 25)",
        f"`congvan --help` {c['help_vs_python']}x and `congvan search` {c.get('search_vs_python')}x "
        f"`python -c pass` (targets <= 3 and <= 6)",
    ]
    if s:
        parts.append(f"one scanned page {s['scan_page_vs_tesseract']}x bare `tesseract -l vie` at {s['dpi']} dpi "
                     "(target <= 1.4)")
    shares = ", ".join(f"{k} {100 * v:.0f}%" for k, v in st["shares"].items() if v >= 0.005)
    parts.append(f"real letters ({st['files']}: the text PDFs, TXT and DOCX of the corpus) cost "
                 f"{st['ms_per_doc']} ms of CPU each: "
                 f"{shares}; ingest of {ri['files']} distinct copies with --jobs {ri['jobs']}: "
                 f"{ri['cpu_ms_per_doc']} ms of CPU a document")
    return "; ".join(parts) + "."


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--only", choices=("pdf",), default=None,
                    help="only this ratio (pdf: the text PDFs against pdfplumber and pypdfium2)")
    a = ap.parse_args(argv)
    if a.only == "pdf":
        p = pdf_ratios(text_pdfs(Path(a.shared) / "corpus"), a.repeat)
        print(json.dumps(p, ensure_ascii=False))
        if a.json:
            a.json.write_text(json.dumps({"pdf": p}, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    res = run(a.shared, a.jobs, a.repeat, a.copies)
    print(res["summary"])
    if a.json:
        a.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
