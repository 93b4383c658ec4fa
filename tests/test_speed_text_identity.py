"""Speed work changes no output: header, citations and footnotes of every corpus TXT letter are
what they were before the text stages were made faster (issue 15).

``tests/data/text_golden.json`` holds, per corpus ``.txt`` file, digests of the ``document``,
``citations`` and ``footnotes`` parts of the extraction JSON (contract/EXTRACT.md), with the
letter's code and its number of citations in clear so that a diff can be read. ``tasks`` are left
out: they change on purpose (issue 10). A change that alters extraction on purpose regenerates the
file and a person reviews the diff:

    CONGVAN_REGEN_GOLDEN=1 .venv/bin/pytest -q tests/test_speed_text_identity.py
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SHARED

from pipeline.extract.citations import extract_citations
from pipeline.extract.header import extract_header
from pipeline.models import Extraction
from pipeline.normalize import normalize_document
from pipeline.readers import read_document
from pipeline.segment import segment_document

GOLDEN = REPO / "tests" / "data" / "text_golden.json"
REGEN = os.environ.get("CONGVAN_REGEN_GOLDEN") == "1"


def _digest(value: Any) -> str:
    blob = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def describe(path: Path) -> dict[str, Any]:
    """The held parts of one letter's extraction: the stages of ``pipeline.extract_document`` up
    to the citations (the task stages, changed apart, are not run)."""
    raw = normalize_document(read_document(path))
    seg = segment_document(raw)
    header = extract_header(seg, raw)
    if raw.envelope:
        from pipeline.envelope import apply_envelope
        header, envelope = apply_envelope(header, raw.envelope)
        raw = replace(raw, envelope=envelope)
    citations = extract_citations(seg, header)
    d = Extraction(raw=raw, header=header, citations=tuple(citations), tasks=(),
                   footnotes=seg.footnotes, sections=()).to_dict()
    return {"code": d["document"]["code"], "n_citations": len(d["citations"]),
            "document": _digest(d["document"]), "citations": _digest(d["citations"]),
            "footnotes": _digest(d["footnotes"])}


def txt_names() -> list[str]:
    d = SHARED / "corpus"
    return sorted(p.name for p in d.glob("*.txt")) if d.is_dir() else []


def _load() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}


def test_golden_covers_the_corpus_txt_letters(shared_dir: Path) -> None:
    if REGEN:
        data = {name: describe(shared_dir / "corpus" / name) for name in txt_names()}
        GOLDEN.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
                          encoding="utf-8")
    golden = _load()
    assert golden, f"{GOLDEN} missing: run with CONGVAN_REGEN_GOLDEN=1 and review it"
    missing = sorted(set(txt_names()) - set(golden))
    assert not missing, f"corpus TXT letters not in the golden file (regenerate and review): {missing[:5]}"


@pytest.mark.parametrize("name", txt_names())
def test_text_extraction_unchanged(shared_dir: Path, name: str) -> None:
    golden = _load().get(name)
    if golden is None:
        pytest.skip(f"{name} not in {GOLDEN.name}")
    assert describe(shared_dir / "corpus" / name) == golden


def test_joined_mark_rules_match_where_one_rule_does(shared_dir: Path) -> None:
    """The one-alternation prefilter of the header's mark rules (issue 15) matches a line exactly
    where one of the rules does: every line of the corpus TXT letters, and each rule's examples."""
    from pipeline.extract.header import _any_mark, _mark_rules
    from pipeline.rules import load_rules

    joined = _any_mark()
    assert joined is not None
    lines = {" ".join(ln.split()) for name in txt_names()
             for ln in (shared_dir / "corpus" / name).read_text(encoding="utf-8", errors="replace").split("\n")}
    lines |= {ex for r in load_rules("header.toml") for ex in r["examples"] + r.get("counterexamples", [])}
    for s in lines:
        assert (joined.match(s) is not None) == any(pat.match(s) for _r, _f, _v, pat in _mark_rules()), s
