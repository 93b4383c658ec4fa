"""Issue 15, tasks stage: the shortcuts taken for speed give the answers of the full patterns.

No timing here (speed is measured by tools/bench_tasks.py and tools/bench_real.py): these tests
check that each shortcut is exact, on the rules' own examples and on every corpus letter.
"""
from __future__ import annotations

import pytest
import regex

from pipeline.extract import tasks as T
from pipeline.models import Segments
from pipeline.rules import load_rules
from pipeline.structure import parse_paragraphs

CLAUSES = {r["id"]: r for r in load_rules("task_clauses.toml")}
PREFILTERED = sorted(rid for rid, r in CLAUSES.items() if r.get("prefilter"))


def _violations(grammar: regex.Pattern[str], prefilter: regex.Pattern[str], texts: list[str]) -> list[str]:
    """Texts where the grammar matches somewhere but its prefilter finds no trigger: each one
    would lose a match behind the prefilter."""
    return [t for t in texts if grammar.search(t) and not prefilter.search(t)]


def _corpus_texts(shared: object) -> list[str]:
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    out = []
    for f in sorted((shared / "corpus").glob("*.txt")):  # type: ignore[operator]
        seg = segment_document(normalize_document(read_document(f)))
        out.append(seg.text)
        out.extend(p.content for p in parse_paragraphs(seg))
    return out


def test_some_clauses_are_prefiltered():
    assert {"executes", "liability"} <= set(PREFILTERED)


@pytest.mark.parametrize("rid", PREFILTERED)
def test_prefilter_keeps_every_example(rid):
    r = CLAUSES[rid]
    grammar, pre = T._clause(rid), T._clause_prefilters()[rid]
    gated = T._Clause(rid)
    method = r.get("anchor", "search")
    for ex in r["examples"]:
        assert pre.search(ex), (rid, ex)
        assert getattr(gated, method)(ex) is not None, (rid, ex)
    for ex in r["examples"] + r.get("counterexamples", []):
        want = getattr(grammar, method)(ex)
        got = getattr(gated, method)(ex)
        assert (want and want.span()) == (got and got.span()), (rid, ex)
        assert gated.sub("", ex) == grammar.sub("", ex)
        assert [m.span() for m in gated.finditer(ex)] == [m.span() for m in grammar.finditer(ex)]


def test_a_wrong_prefilter_is_caught():
    # the check below fails for a prefilter that a match can lack
    grammar = T._clause("executes")
    assert _violations(grammar, regex.compile("(?i)khong-co-tu-nay"), CLAUSES["executes"]["examples"])


def test_gated_answers_where_the_trigger_is_absent():
    gated = T._Clause("liability")
    text = "Sở Nội vụ tổng hợp, báo cáo."
    assert gated.match(text) is None and gated.search(text) is None
    assert list(gated.finditer(text)) == [] and gated.sub("", text) == text


def test_prefilters_lose_no_match_on_the_corpus(shared_dir):
    texts = _corpus_texts(shared_dir)
    assert len(texts) > 1000
    for rid in PREFILTERED:
        bad = _violations(T._clause(rid), T._clause_prefilters()[rid], texts)
        assert not bad, (rid, bad[:3])


END_CASES = ["", ".", "a.", "a.\n", "Xong.”", "Xong.”)\n", "…", "b) Báo cáo;", "ngày 15.5 …", "hết ý . ", "a.\n\n",
             "kết thúc?!\"”", "1.2.3", "không dấu", "x;\t\n"]


def test_end_punct_tail_search_is_the_full_search(shared_dir):
    full = T._END_PUNCT_RX
    texts = END_CASES + _corpus_texts(shared_dir)
    for t in texts:
        for s in (t, t[:-1], t + "\n"):
            a, b = full.search(s), T._END_PUNCT.search(s)
            assert (a and a.span()) == (b and b.span()), repr(s[-20:])


def test_end_punct_tail_search_on_edge_cases():
    full = T._END_PUNCT_RX
    for t in END_CASES:
        a, b = full.search(t), T._END_PUNCT.search(t)
        assert (a and a.span()) == (b and b.span()), repr(t)


def test_extract_tasks_through_a_prefiltered_clause():
    # the closing article names who executes the document: a task only through the `executes` clause
    text = ("Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ và Thủ trưởng các cơ quan, đơn vị "
            "liên quan chịu trách nhiệm thi hành Quyết định này.")
    from pipeline.models import Header

    got = T.extract_tasks(Segments(text=text, body=text), Header(type="Quyết định"), [])
    assert got and got[0].lead.startswith("Chánh Văn phòng"), got


def test_lower_case_gives_the_same_pattern_matches(shared_dir):
    # _is_optional reads the matches of the action where it asks about its lower case, as long as
    # every pattern tests LOWER only (else it reads the lower case itself, and this does not hold)
    if T._word_index_rules()[1]:
        pytest.skip("a pattern tests more than LOWER: _is_optional reads the lower case itself")
    texts = [t for t in _corpus_texts(shared_dir) if len(t) < 3000]
    texts += [e for r in load_rules("task_patterns.jsonl") for e in r.get("examples", [])]
    n = 0
    for t in texts:
        low = t.lower()
        if len(low) == len(t):
            assert T.find_patterns(t) == T.find_patterns(low), t[:80]
            n += 1
    assert n > 1000


def test_every_deadline_rule_is_prefiltered_and_keeps_its_examples():
    from pipeline.extract.deadlines import deadline_rules

    rules = {r["id"]: r for r in load_rules("deadlines.toml")}
    for rule in deadline_rules():
        assert rule.prefilter is not None, rule.id
        for ex in rules[rule.id]["examples"]:
            assert rule.prefilter.search(ex), (rule.id, ex)


def test_deadline_prefilters_lose_no_match_on_the_corpus(shared_dir):
    from pipeline.extract.deadlines import deadline_rules

    texts = _corpus_texts(shared_dir)
    texts += [e for r in load_rules("deadlines.toml") for e in r["examples"] + r.get("counterexamples", [])]
    for rule in deadline_rules():
        bad = _violations(rule.pattern, rule.prefilter, texts)
        assert not bad, (rule.id, bad[:3])
    # and a prefilter a match can lack is caught
    (date_cue,) = [r for r in deadline_rules() if r.id == "date-cue"]
    assert _violations(date_cue.pattern, regex.compile("tháng"), texts)


def test_deadline_phrases_same_with_and_without_prefilters(shared_dir, monkeypatch):
    from dataclasses import replace

    from pipeline.extract import deadlines as D

    texts = [t for t in _corpus_texts(shared_dir) if len(t) < 3000]
    with_pre = [D._find_deadline_phrases.__wrapped__(t, "2025-06-01", s) for t in texts for s in (True, False)]
    bare = tuple(replace(r, prefilter=None) for r in D.deadline_rules())
    monkeypatch.setattr(D, "deadline_rules", lambda: bare)
    without = [D._find_deadline_phrases.__wrapped__(t, "2025-06-01", s) for t in texts for s in (True, False)]
    key = lambda ms: [(m.rule.id, m.span, m.text, m.date, m.relative_days, m.working_days) for m in ms]  # noqa: E731
    assert [key(x) for x in with_pre] == [key(x) for x in without]
    assert sum(1 for x in with_pre if x) > 100


def _labels_lost(texts: list[str]) -> list[str]:
    pat, _roles = T._label_rules()
    return [t for t in texts if pat.search(t) and not T._may_hold_label(t)]


def test_label_prefilter_keeps_every_example():
    for r in load_rules("task_labels.toml"):
        for ex in r["examples"]:
            for t in (ex + ": Sở Nội vụ", "- " + ex.upper() + " : Sở Nội vụ", "Rà soát. " + ex + ":\tSở Nội vụ"):
                assert T._may_hold_label(t), t
                assert T.split_labels(t)[1], t


def test_label_prefilter_loses_no_label_on_the_corpus(shared_dir, monkeypatch):
    texts = _corpus_texts(shared_dir)
    texts += [ex + ": x" for r in load_rules("task_labels.toml") for ex in r["examples"] + r.get("counterexamples", [])]
    assert not _labels_lost(texts)
    assert sum(1 for t in texts if T._label_rules()[0].search(t)) > 20
    # without a word the labels end with, the check fails
    fewer = tuple(w for w in T._label_last_words() if w != "hiện")
    monkeypatch.setattr(T, "_label_last_words", lambda: fewer)
    assert _labels_lost(texts)
