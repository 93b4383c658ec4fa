"""Issue 15, tasks stage (second round): the word index's matches in order without a sort, and
the first-word sets that spare _result and _is_optional the matcher, lose nothing.

No timing here (tools/bench_tasks.py measures): each shortcut is checked against the work it
spares, on every corpus letter's paragraphs and the texts the tasks stage analyses.
"""
from __future__ import annotations

import pytest

from pipeline.extract import tasks as T
from pipeline.structure import parse_paragraphs


@pytest.fixture(scope="module")
def texts(shared_dir) -> list[str]:
    """Every corpus letter's text and paragraphs, and every text the tasks stage ran the matcher
    on while extracting them (actions, leads, pieces)."""
    from pipeline.extract.header import extract_header
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document
    from pipeline.structure import parse_sections

    out: list[str] = []
    cached = T._find_patterns

    def recorded(text: str) -> tuple[T.PatternMatch, ...]:
        out.append(text)
        return cached(text)

    T._find_patterns = recorded  # type: ignore[assignment]
    try:
        for f in sorted((shared_dir / "corpus").glob("*.txt")):
            raw = normalize_document(read_document(f))
            seg = segment_document(raw)
            out.append(seg.text)
            out.extend(p.content for p in parse_paragraphs(seg))
            T.extract_tasks(seg, extract_header(seg, raw), parse_sections(seg))
    finally:
        T._find_patterns = cached
    return list(dict.fromkeys(out))


@pytest.mark.filterwarnings("ignore::UserWarning")  # spaCy: no pattern needs its Matcher today
def test_walk_order_is_the_sorted_order(texts):
    assert len(texts) > 2000
    for t in texts:
        spans, lower = T._tokens(t)
        if spans:
            assert T._find_patterns(t) == T._find_patterns_sorted(t, spans, lower), t[:80]


def test_trie_ids_sorted_at_every_node():
    stack = [T._word_trie()]
    while stack:
        node = stack.pop()
        for k, v in node.items():
            if k is None:
                assert list(v) == sorted(v, key=lambda x: x[1])
            else:
                stack.append(v)


@pytest.mark.parametrize("label", ["RESULT", "OPTIONAL"])
def test_first_words_lose_no_match(texts, label):
    pre = T._first_words(label)
    assert pre
    found = 0
    for t in texts:
        for x in (t, t.lower()):
            hit = any(m.label == label for m in T._find_patterns(x))
            found += hit
            assert not hit or not pre.isdisjoint(T._tokens(x)[1]), x[:80]
    assert found > 100


def test_result_and_optional_as_without_the_prefilter(texts, monkeypatch):
    got = [(T._result(t), T._is_optional(t)) for t in texts]
    monkeypatch.setattr(T, "_first_words", lambda label: None)
    assert got == [(T._result(t), T._is_optional(t)) for t in texts]
