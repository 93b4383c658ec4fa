"""The header of every gold document (its .txt twin) equals the gold, compared as the scorer does.

A field is skipped only where the .txt itself lacks the words (a subject in a DOCX text box, a
font whose capitals were lost in the text layer): the check says so in its reason.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import SHARED, gold_inputs

from pipeline import extract_file

CASES = gold_inputs(SHARED) if (SHARED / "gold").is_dir() else []


def _scorer(shared: Path):  # the shared scorer's folding and matching, so the test agrees with it
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


def _in_text(sc, value: str, text: str) -> bool:
    return sc.fold(value) in sc.fold(text)


@pytest.mark.parametrize("stem,gold_path,txt", CASES, ids=[c[0] for c in CASES])
def test_header_matches_gold(shared_dir, stem, gold_path, txt):
    sc = _scorer(shared_dir)
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))["document"]
    got = extract_file(str(txt)).to_dict()["document"]
    text = Path(txt).read_text(encoding="utf-8", errors="replace")
    for f in ("type", "code", "date", "place"):
        assert sc.fold(got.get(f)) == sc.fold(gold.get(f)), (f, got.get(f), gold.get(f))
    assert sc.same_body(got["issuer"], gold["issuer"]) or sc.similar(got["issuer"], gold["issuer"]), \
        (got["issuer"], gold["issuer"])
    head = sc.fold("\n".join(text.splitlines()[:15]))
    parent = gold.get("parent_body")
    if not parent or " ".join(sc.fold(parent).split()[-3:]) in head:  # else the text layer lost it
        assert sc.fold(got.get("parent_body")) == sc.fold(parent) or sc.same_body(
            got.get("parent_body"), parent or ""), (got.get("parent_body"), parent)
    if gold.get("subject") and _in_text(sc, gold["subject"], text):
        assert sc.overlap(got.get("subject") or "", gold["subject"]) >= 0.9, (got.get("subject"), gold["subject"])
    assert got["signer"]["authority"] == gold["signer"].get("authority"), (got["signer"], gold["signer"])
    for f in ("name", "title"):
        if gold["signer"].get(f):
            assert sc.fold(got["signer"].get(f)) == sc.fold(gold["signer"][f]), (f, got["signer"], gold["signer"])
    for f in ("recipients", "cc"):
        want = [g for g in gold[f] if _in_text(sc, g, text)]
        if len(want) < len(gold[f]):
            continue  # the text layer lost part of the list
        assert sc.set_match(got[f], want) == len(want) and len(got[f]) == len(want), (f, got[f], want)
