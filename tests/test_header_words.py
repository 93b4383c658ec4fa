"""rules/header_words.toml: every entry's examples match and its counterexamples do not, as
pipeline/segment.py and extract/header.py use each role."""
from __future__ import annotations

import pytest
import regex

from pipeline.rules import load_rules
from pipeline.segment import header_words

WORDS = load_rules("header_words.toml")
ROLES = {"body-kind": r"^(?:{})\b", "bare-kind": r"^(?:{})$", "level": r"^(?:{}) ", "level-party": r"^(?:{}) ",
         "title-folded": r"^(?:{})\b", "not-a-name": r"\b(?:{})\b",
         "heading": r"^(?:{})", "committee": r"^(?:{})\s", "office": r"^(?:{})$"}


@pytest.mark.parametrize("rule", WORDS, ids=[r["id"] for r in WORDS])
def test_header_word_examples_both_ways(rule):
    if rule["role"] == "second-unit":
        split = regex.compile(rf"(?<=\S)\s+(?=(?:{rule['pattern']})(?:\s|$))")
        for line, want in rule["examples"]:
            assert "|".join(split.split(line)) == want, line
        for cex in rule.get("counterexamples", []):
            assert split.split(cex) == [cex], cex
        return
    pat = regex.compile(ROLES[rule["role"]].format(rule["pattern"]))
    pad = " " if rule["role"].startswith("level") else ""
    for ex in rule["examples"]:
        assert pat.search(ex + pad), ex
    for cex in rule.get("counterexamples", []):
        assert not pat.search(cex + pad), cex


def test_every_role_is_used():
    assert {r["role"] for r in WORDS} == set(ROLES) | {"second-unit"}
    for role in ROLES:
        assert header_words(role)
