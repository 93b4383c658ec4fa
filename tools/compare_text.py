"""Dump the CLI's JSON over the corpus and compare two dumps field by field (issue 15: speed work
changes no output).

    # before a change
    PYTHONPATH=$PWD .venv/bin/python tools/compare_text.py dump /tmp/s-base.jsonl
    # after it
    PYTHONPATH=$PWD .venv/bin/python tools/compare_text.py dump /tmp/s-new.jsonl
    PYTHONPATH=$PWD .venv/bin/python tools/compare_text.py compare /tmp/s-base.jsonl /tmp/s-new.jsonl

``dump`` runs ``congvan extract --format json`` (this tree's package) over the corpus' .txt, .docx,
.doc and text PDFs (``--scans`` adds the scanned PDFs and images, which OCR makes slow), one line
per document, in file order. ``compare`` matches documents by ``source.path`` (and their order
within a package) and prints every differing field as a JSON path with both values; it exits 1 on
any difference, on a document present in one dump only, or on a file that failed in one run only.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CONGVAN = ["-c", "import sys; from pipeline.cli import main; sys.exit(main())"]


def corpus_files(corpus: Path, scans: bool = False) -> list[Path]:
    """The corpus files to dump: text formats always, PDFs with a text layer, scans on request."""
    out = [p for p in sorted(corpus.iterdir()) if p.suffix.lower() in (".txt", ".docx", ".doc")]
    for p in sorted(corpus.glob("*.pdf")):
        if scans or not _is_scan(p):
            out.append(p)
    if scans:
        out += sorted(p for p in corpus.iterdir() if p.suffix.lower() in (".png", ".jpg", ".tif"))
    return sorted(out)


def _is_scan(p: Path) -> bool:
    sys.path.insert(0, str(REPO))
    from pipeline.errors import ReadError
    from pipeline.readers import Limits, read_document
    try:
        raw = read_document(p, Limits(ocr=False))
    except ReadError:
        return True
    return any("OCR" in w or "quét" in w for w in raw.warnings)


def dump(out: Path, files: list[Path], chunk: int = 40) -> int:
    """Run the CLI over ``files`` in chunks; write its JSON lines to ``out`` (stderr lines kept as
    ``{"error": ...}`` records so that a failure is compared too)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(0, len(files), chunk):
            part = [str(f) for f in files[i:i + chunk]]
            r = subprocess.run([sys.executable, *CONGVAN, "extract", "--format", "json", *part],
                               capture_output=True, text=True, env=env, cwd=REPO, check=False)
            for line in r.stdout.splitlines():
                if line.strip():
                    fh.write(line + "\n")
                    n += 1
            for line in r.stderr.splitlines():
                if line.strip():
                    fh.write(json.dumps({"error": line}, ensure_ascii=False) + "\n")
    return n


def _key(d: dict[str, Any], seen: dict[str, int]) -> str:
    if "error" in d:
        return "error:" + d["error"]
    path = (d.get("source") or {}).get("path", "?")
    seen[path] = seen.get(path, 0) + 1
    return f"{path}#{seen[path]}"


def load(path: Path) -> dict[str, Any]:
    seen: dict[str, int] = {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out[_key(d, seen)] = d
    return out


def diff(a: Any, b: Any, where: str = "$") -> list[str]:
    """Every differing leaf between two JSON values, as ``path: a != b``."""
    if type(a) is not type(b):
        return [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{where}.{k}: {a.get(k, '<absent>')!r} != {b.get(k, '<absent>')!r}")
            else:
                out += diff(a[k], b[k], f"{where}.{k}")
        return out
    if isinstance(a, list):
        out = [f"{where}: length {len(a)} != {len(b)}"] if len(a) != len(b) else []
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            out += diff(x, y, f"{where}[{i}]")
        return out
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def compare(a_path: Path, b_path: Path, limit: int = 40) -> int:
    a, b = load(a_path), load(b_path)
    problems = []
    for k in sorted(set(a) | set(b)):
        if k not in a or k not in b:
            problems.append(f"{k}: only in {'second' if k not in a else 'first'} dump")
            continue
        problems += [f"{k} {d}" for d in diff(a[k], b[k])]
    for p in problems[:limit]:
        print(p)
    if len(problems) > limit:
        print(f"... {len(problems) - limit} more")
    docs = sum(1 for k in a if not k.startswith("error:"))
    print(f"{docs} documents compared, {len(problems)} differences")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump", help="CLI JSON over the corpus, one line per document")
    d.add_argument("out", type=Path)
    d.add_argument("files", nargs="*", type=Path, help="default: the corpus' text-bearing files")
    d.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    d.add_argument("--scans", action="store_true", help="add scanned PDFs and images (OCR, slow)")
    c = sub.add_parser("compare", help="field-by-field differences between two dumps")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    c.add_argument("--limit", type=int, default=40)
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        corpus = args.corpus if args.corpus.is_dir() else Path("/work/shared/corpus")
        files = args.files or corpus_files(corpus, args.scans)
        n = dump(args.out, files)
        print(f"{len(files)} files, {n} documents -> {args.out}")
        return 0
    return compare(args.a, args.b, args.limit)


if __name__ == "__main__":
    sys.exit(main())
