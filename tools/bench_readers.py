"""Reader speed on the corpus' PDFs, side by side with bare pdfplumber and bare pypdfium2.

All three read the same pages of the same text PDFs (scans are left out: that is OCR time) in
the same run; the figures are pages per second. Also: our DOCX reader in documents per second,
and the whole pipeline (read + extract) on the same PDFs where ``pipeline.extract_document``
exists. ``tools/bench.py`` imports ``run(shared_dir) -> dict``.

Example: ``.venv/bin/python tools/bench_readers.py --shared ../shared``
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pipeline.errors import ReadError  # noqa: E402
from pipeline.readers import Limits, read_document  # noqa: E402

NO_OCR = Limits(ocr=False)


def _text_pdfs(corpus: Path) -> list[tuple[Path, int]]:
    """The corpus' PDFs our reader reads from their text layer, with their page counts."""
    out = []
    for p in sorted(corpus.glob("*.pdf")):
        try:
            raw = read_document(p, NO_OCR)
        except ReadError:
            continue
        if any("OCR" in w or "quét" in w for w in raw.warnings):
            continue
        out.append((p, raw.pages))
    return out


def _time(fn: Any, files: list[Path], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for f in files:
            fn(f)
        best = min(best, time.perf_counter() - t0)
    return best


def _ours(f: Path) -> None:
    read_document(f, NO_OCR)


def _pdfplumber(f: Path) -> None:
    import pdfplumber

    with pdfplumber.open(f) as pdf:
        for page in pdf.pages:
            page.extract_text()


def _pypdfium2(f: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(f)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
    finally:
        pdf.close()


def _pipeline(f: Path) -> None:
    from pipeline import extract_document

    extract_document(read_document(f, NO_OCR))


def run(shared_dir: Path | str, repeat: int = 2, limit: int | None = None, quiet: bool = False) -> dict:
    """Measure the readers on ``shared_dir/corpus``; returns the figures as a dict."""
    corpus = Path(shared_dir) / "corpus"
    pdfs = _text_pdfs(corpus)
    if limit:
        pdfs = pdfs[:limit]
    files = [p for p, _ in pdfs]
    pages = sum(n for _, n in pdfs)
    rows: dict[str, dict[str, float]] = {}
    if files:                    # imports, compiled rules, models: paid once, not per page
        for fn in (_ours, _pdfplumber, _pypdfium2):
            fn(files[0])
        try:
            _pipeline(files[0])
        except Exception:  # noqa: S110 - reported below when timed
            pass
    for name, fn in (("congvan pdf reader", _ours), ("bare pdfplumber extract_text", _pdfplumber),
                     ("bare pypdfium2 get_text_range", _pypdfium2)):
        secs = _time(fn, files, repeat)
        rows[name] = {"seconds": round(secs, 3), "pages_per_s": round(pages / secs, 1)}
    try:
        secs = _time(_pipeline, files, 1)
        rows["congvan pipeline (read + extract)"] = {"seconds": round(secs, 3),
                                                     "pages_per_s": round(pages / secs, 1)}
    except Exception as e:  # the pipeline is other owners' work in progress: report, don't fail
        rows["congvan pipeline (read + extract)"] = {"error": str(e)[:80]}  # type: ignore[dict-item]
    docx = sorted(corpus.glob("*.docx"))
    if docx:
        secs = _time(_ours, docx, repeat)
        rows["congvan docx reader"] = {"seconds": round(secs, 3), "docs_per_s": round(len(docx) / secs, 1)}
    plumber = rows["bare pdfplumber extract_text"]["seconds"]
    result: dict[str, Any] = {
        "pdf_files": len(files), "pdf_pages": pages, "docx_files": len(docx), "readers": rows,
        "speedup_vs_pdfplumber": round(plumber / rows["congvan pdf reader"]["seconds"], 1),
    }
    pipe = rows["congvan pipeline (read + extract)"]
    if "seconds" in pipe:
        result["pipeline_speedup_vs_pdfplumber"] = round(plumber / pipe["seconds"], 1)
    ours = rows["congvan pdf reader"]
    summary = (f"{pages} pages of {len(files)} text PDFs: congvan PDF reader {ours['pages_per_s']} pages/s, "
               f"bare pdfplumber extract_text {rows['bare pdfplumber extract_text']['pages_per_s']} pages/s, "
               f"bare pypdfium2 {rows['bare pypdfium2 get_text_range']['pages_per_s']} pages/s "
               f"(reader {result['speedup_vs_pdfplumber']}x pdfplumber)")
    if "seconds" in pipe:
        summary += (f"; whole pipeline {pipe['pages_per_s']} pages/s "
                    f"({result['pipeline_speedup_vs_pdfplumber']}x pdfplumber)")
    if "congvan docx reader" in rows:
        summary += f"; DOCX reader {rows['congvan docx reader']['docs_per_s']} docs/s"
    result["summary"] = summary + "."
    if not quiet:
        print(f"{len(files)} text PDFs, {pages} pages (best of {repeat}); {len(docx)} DOCX")
        print(f"{'reader':40} {'seconds':>9} {'rate':>12}")
        for name, r in rows.items():
            if "error" in r:
                print(f"{name:40} {'—':>9} {'error: ' + str(r['error'])}")
                continue
            rate = f"{r['pages_per_s']} pages/s" if "pages_per_s" in r else f"{r['docs_per_s']} docs/s"
            print(f"{name:40} {r['seconds']:9.3f} {rate:>12}")
        print(f"congvan pdf reader vs bare pdfplumber: {result['speedup_vs_pdfplumber']}x")
        if "pipeline_speedup_vs_pdfplumber" in result:
            print(f"congvan pipeline vs bare pdfplumber: {result['pipeline_speedup_vs_pdfplumber']}x")
    return result


def run_ocr(shared_dir: Path, limit: int = 3) -> dict[str, Any]:
    """Seconds per OCR'd page on the corpus' scanned PDFs (Tesseract; page 1's slots re-read)."""
    scans = []
    for p in sorted((shared_dir / "corpus").glob("*.pdf")):
        try:
            raw = read_document(p, NO_OCR)
            if not any("quét" in w or "OCR" in w for w in raw.warnings):
                continue
        except ReadError:
            pass          # no text at all: a scan
        scans.append(p)
        if len(scans) >= limit:
            break
    pages = 0
    t0 = time.perf_counter()
    for p in scans:
        raw = read_document(p)
        pages += min(raw.pages, Limits().ocr_max_pages + 1)
    secs = time.perf_counter() - t0
    out = {"scan_files": len(scans), "ocr_pages": pages, "seconds": round(secs, 1),
           "seconds_per_page": round(secs / pages, 2) if pages else None}
    print(f"OCR: {len(scans)} scanned PDFs, {pages} pages in {secs:.1f} s "
          f"({out['seconds_per_page']} s a page, one Tesseract thread)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="only the first N PDFs")
    ap.add_argument("--ocr", type=int, default=0, metavar="N",
                    help="also time OCR on the first N scanned PDFs (seconds a page)")
    args = ap.parse_args(argv)
    if args.ocr:
        run_ocr(args.shared, args.ocr)
        return 0
    run(args.shared, args.repeat, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
