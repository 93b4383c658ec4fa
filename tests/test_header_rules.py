"""Each header rule file's examples, run both ways through the code that uses them."""
from __future__ import annotations

import re

import pytest

from pipeline.extract.header import doctype_from_symbol, find_marks, match_signer_prefix
from pipeline.resolve import expand_abbreviations, find_unit
from pipeline.rules import load_rules
from pipeline.segment import match_doctype_title

DOCTYPES = load_rules("doctypes.toml")


def _doctype_of(example: str) -> str | None:
    """A title line gives its type; a code ("12/QĐ-UBND", "31-HD/BTCTW") its symbol's type."""
    d = match_doctype_title(example)
    if d:
        return d.name
    if example.startswith("V/v"):
        return "Công văn"
    m = re.match(r"^\d+(?:/(?P<sym>\S+)|-(?P<party>\S+/\S+))$", example)
    if m:
        return doctype_from_symbol(m.group("sym") or m.group("party")) or "Công văn"
    return None


@pytest.mark.parametrize("rule", DOCTYPES, ids=[r["id"] for r in DOCTYPES])
def test_doctype_examples(rule):
    for ex in rule["examples"]:
        assert _doctype_of(ex) == rule["name"], ex
    for cex in rule.get("counterexamples", []):
        assert _doctype_of(cex) != rule["name"], cex


SIGNER = load_rules("signer.toml")


@pytest.mark.parametrize("rule", SIGNER, ids=[r["id"] for r in SIGNER])
def test_signer_prefix_examples(rule):
    for ex in rule["examples"]:
        got = match_signer_prefix(ex)
        assert got and got[0] == rule["id"] and got[1] == rule["prefix"], ex
    for cex in rule.get("counterexamples", []):
        got = match_signer_prefix(cex)
        assert not got or got[0] != rule["id"], cex


MARKS = load_rules("header.toml")


@pytest.mark.parametrize("rule", MARKS, ids=[r["id"] for r in MARKS])
def test_header_mark_examples(rule):
    for ex in rule["examples"]:
        got = find_marks([ex])
        assert got.get(rule["field"]) == (rule["value"], rule["id"]), ex
    for cex in rule.get("counterexamples", []):
        got = find_marks([cex])
        assert got.get(rule["field"], (None, None))[1] != rule["id"], cex


ABBR = load_rules("abbreviations.toml")


@pytest.mark.parametrize("rule", ABBR, ids=[r["id"] for r in ABBR])
def test_abbreviation_examples(rule):
    for text, full in rule["examples"]:
        assert expand_abbreviations(text) == full
    for cex in rule.get("counterexamples", []):
        assert rule["full"] not in expand_abbreviations(cex), cex


UNITS = load_rules("admin_units.toml")


@pytest.mark.parametrize("rule", UNITS, ids=[r["id"] for r in UNITS])
def test_admin_unit_examples(rule):
    for ex in rule["examples"]:
        u = find_unit(ex)
        assert u is not None and u["id"] == rule["id"], ex


ATTACHMENTS = load_rules("header_attachments.toml")


@pytest.mark.parametrize("rule", ATTACHMENTS, ids=[r["id"] for r in ATTACHMENTS])
def test_attachment_examples(rule):
    from pipeline.extract.header import find_attachments
    for line, what in rule["examples"]:
        got = [(a[0], a[1]) for a in find_attachments([line])]
        assert (what, rule["id"]) in got, (line, got)
    for cex in rule.get("counterexamples", []):
        got = [a[1] for a in find_attachments([cex])]
        assert rule["id"] not in got, (cex, got)


RANKS = load_rules("signer_ranks.toml")


@pytest.mark.parametrize("rule", RANKS, ids=[r["id"] for r in RANKS])
def test_signer_rank_examples(rule):
    from pipeline.segment import strip_rank
    for line, name in rule["examples"]:
        assert re.match(rule["pattern"], line) and strip_rank(line) == name, line
    for cex in rule.get("counterexamples", []):
        assert strip_rank(cex) == cex, cex


TITLES = load_rules("signer_titles.toml")


@pytest.mark.parametrize("rule", TITLES, ids=[r["id"] for r in TITLES])
def test_signer_title_examples(rule):
    from pipeline.extract.header import _case_title
    for ex in rule["examples"]:
        assert _case_title(ex) == rule["title"], ex
