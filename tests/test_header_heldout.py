"""The header on letters nobody tuned for (issue 14): corpus letters without a gold file, annotated
by hand in tests/data/header_heldout.toml before congvan's output was looked at, read from their
originals and scored field by field as ../shared/eval/score.py scores gold.

Each field has a floor (the figure reached when the file was written); the test fails below it and
names the letters that miss. Skips where ../shared is absent.
"""
from __future__ import annotations

import importlib.util
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SHARED

from pipeline import extract_file

LETTERS: list[dict[str, Any]] = tomllib.loads(
    (REPO / "tests" / "data" / "header_heldout.toml").read_text(encoding="utf-8"))["letter"]

# issue 14 targets on letters kept aside: number and date where printed 0.95, subject 0.92,
# signer title 0.92, issuer 0.95. The floors are what these letters reach now (a drop fails).
FLOORS = {"type": 1.0, "code.given": 1.0, "date.given": 1.0, "code.not_wrong": 1.0, "date.not_wrong": 1.0,
          "place": 1.0, "issuer": 1.0, "parent_body": 1.0, "subject": 1.0, "signer.title": 1.0,
          "signer.name": 1.0, "signer.authority": 1.0}


@cache
def _scorer() -> Any:  # the shared scorer's folding and matching, so the test agrees with it
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score_letter(want: dict[str, Any], got: dict[str, Any]) -> dict[str, tuple[bool, Any, Any]]:
    """Field -> (right, got, want) for one annotated letter, compared as score.py compares gold;
    an empty string in the annotation is a null (a blank number or day)."""
    sc = _scorer()
    out: dict[str, tuple[bool, Any, Any]] = {}
    for f in ("type", "place"):
        if f in want:
            out[f] = (sc.fold(got.get(f)) == sc.fold(want[f]), got.get(f), want[f])
    for f in ("code", "date"):
        if f in want:
            w = want[f] or None
            if w:  # where the page prints one
                out[f"{f}.given"] = (sc.fold(got.get(f)) == sc.fold(w), got.get(f), w)
            out[f"{f}.not_wrong"] = (not got.get(f) or sc.fold(got.get(f)) == sc.fold(w), got.get(f), w)
    for f in ("issuer", "parent_body"):
        if f in want:
            g = got.get(f) or ""
            out[f] = (sc.same_body(g, want[f]) or sc.similar(g, want[f]), got.get(f), want[f])
    if "subject" in want:
        out["subject"] = (sc.overlap(got.get("subject") or "", want["subject"]) >= 0.9, got.get("subject"),
                          want["subject"])
    ws, gs = want.get("signer") or {}, got.get("signer") or {}
    for f in ("name", "title"):
        if ws.get(f):
            out[f"signer.{f}"] = (sc.fold(gs.get(f)) == sc.fold(ws[f]), gs.get(f), ws[f])
    if "authority" in ws:
        out["signer.authority"] = ((gs.get("authority") or None) == (ws["authority"] or None),
                                   gs.get("authority"), ws["authority"])
    return out


@pytest.fixture(scope="module")
def scored(shared_dir: Path) -> dict[str, dict[str, tuple[bool, Any, Any]]]:
    out = {}
    for letter in LETTERS:
        path = shared_dir / "corpus" / letter["file"]
        if not path.exists():
            continue
        out[letter["file"]] = score_letter(letter, extract_file(str(path)).to_dict()["document"])
    return out


def test_every_annotated_letter_is_in_the_corpus(shared_dir):
    missing = [x["file"] for x in LETTERS if not (shared_dir / "corpus" / x["file"]).exists()]
    assert not missing, missing
    gold = {p.stem for p in (shared_dir / "gold").glob("*.json")}
    assert not [x["file"] for x in LETTERS if Path(x["file"]).stem in gold], "a held-out letter has gold"


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_heldout_field_at_or_above_its_floor(scored, field):
    rows = [(name, r[field]) for name, r in scored.items() if field in r]
    assert rows, field
    acc = sum(ok for _, (ok, _, _) in rows) / len(rows)
    misses = [(name, got, want) for name, (ok, got, want) in rows if not ok]
    assert acc >= FLOORS[field], f"{field}: {acc:.3f} < {FLOORS[field]} on {len(rows)} letters; misses: {misses}"
