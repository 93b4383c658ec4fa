"""Speed work changes no output: the readers give what they gave before, on every corpus file.

``tests/data/readers_golden.json`` holds, per corpus file, digests of what ``read_document`` gave
(text, footnotes, blocks, OCR words) and its small fields (pages, stamped values, warnings) as
captured before the PDF/OCR readers were made faster (issue 15). A change that alters reading on
purpose regenerates it and a person reviews the diff:

    CONGVAN_REGEN_GOLDEN=1 .venv/bin/pytest -q tests/test_speed_identity.py

Every format is held: pdf, scans, images, doc, txt (readers/legacy.py's syllable check) and docx
(whose tables, issue 10, come apart from the text and leave the text as it was).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SHARED

from pipeline.errors import ReadError
from pipeline.models import RawDocument
from pipeline.readers import read_document

GOLDEN = REPO / "tests" / "data" / "readers_golden.json"
REGEN = os.environ.get("CONGVAN_REGEN_GOLDEN") == "1"
HELD = {"pdf", "image", "doc", "rtf", "txt", "docx"}


def _digest(value: Any) -> str:
    blob = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def describe(raw: RawDocument) -> dict[str, Any]:
    """What the readers gave for one file, as the golden file keeps it."""
    return {
        "format": raw.format,
        "pages": raw.pages,
        "ocr": raw.ocr,
        "text": _digest(raw.text),
        "chars": len(raw.text),
        "footnotes": _digest([[f.mark, f.text] for f in raw.footnotes]),
        "blocks": _digest([[b.text, b.page, b.role, list(b.bbox) if b.bbox else None] for b in raw.blocks]),
        "stamped": dict(sorted(raw.stamped.items())),
        "warnings": list(raw.warnings),
        "ocr_confidence": None if raw.ocr_confidence is None else round(raw.ocr_confidence, 6),
        "ocr_words": _digest([[w, c] for w, c in raw.ocr_words]),
        "low_confidence_words": list(raw.low_confidence_words),
    }


def read_one(path: Path) -> dict[str, Any]:
    try:
        return describe(read_document(path))
    except ReadError as e:
        return {"error": type(e).__name__, "message": str(e)}


def corpus_names() -> list[str]:
    d = SHARED / "corpus"
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.suffix.lower() != ".jsonl" and p.is_file())


def _load() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}


def _save(data: dict[str, Any]) -> None:
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
                      encoding="utf-8")


def test_golden_file_covers_the_corpus(shared_dir: Path) -> None:
    if REGEN:
        _save({name: read_one(shared_dir / "corpus" / name) for name in corpus_names()})
    golden = _load()
    assert golden, f"{GOLDEN} is missing: CONGVAN_REGEN_GOLDEN=1 writes it"
    assert sorted(golden) == corpus_names()


@pytest.mark.parametrize("name", corpus_names())
def test_readers_give_what_they_gave(shared_dir: Path, name: str) -> None:
    want = _load().get(name)
    if want is None:
        pytest.skip(f"{name} is not in {GOLDEN.name}: CONGVAN_REGEN_GOLDEN=1 adds it (review the diff)")
    if want.get("format", "error") not in HELD and "error" not in want:
        pytest.skip(f"{want['format']} reader is not held by this file")
    assert read_one(shared_dir / "corpus" / name) == want
