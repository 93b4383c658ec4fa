"""Every entry of rules/task_patterns.jsonl, run both ways through the code that uses it."""
from __future__ import annotations

import pytest

from pipeline.extract.tasks import (
    _analyse,
    _scan_body,
    _trigger_spans,
    extract_tasks,
    find_patterns,
    find_patterns_spacy,
)
from pipeline.models import Header, Segments
from pipeline.rules import load_rules

ENTRIES = load_rules("task_patterns.jsonl")


def _tasks(text: str):
    return extract_tasks(Segments(text=text, body=text), Header(), [])


def test_blank_vietnamese_pipeline_needs_no_pyvi():
    import spacy

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    assert [t.text for t in nlp("Đề nghị Phòng Nội vụ")] == ["Đề", "nghị", "Phòng", "Nội", "vụ"]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["id"])
def test_examples_both_ways(entry):
    rid, label = entry["id"], entry["label"]
    for ex in entry["examples"]:
        assert rid in {m.rule_id for m in find_patterns(ex)}, ex
        if label == "REQUEST":
            assert rid in {m.rule_id for m, _ in _trigger_spans(_analyse(ex))}, ex
        if label == "DUTY":
            assert _tasks(ex), ex
        if label == "OPTIONAL":
            assert any(t.optional for t in _tasks(ex)), ex
        if label == "NAME_END":  # the body named before the noun ends before it
            a = _analyse(ex)
            end = next(m for m in a.matches if m.rule_id == rid)
            body = next(m for m in a.matches if m.label == "BODY" and ex[m.start].isupper())
            span = _scan_body(a, body.start)
            assert span is not None and span[1] <= end.start, ex
    for ex in entry.get("counterexamples", []):
        if label == "REQUEST":
            assert rid not in {m.rule_id for m, _ in _trigger_spans(_analyse(ex))}, ex
        elif label == "DUTY":
            assert not _tasks(ex), ex
        else:
            assert rid not in {m.rule_id for m in find_patterns(ex)}, ex


def test_labels_are_known():
    assert {e["label"] for e in ENTRIES} <= {"REQUEST", "DUTY", "VERB", "BODY", "NOT_TRIGGER", "NOT_BODY",
                                             "OPTIONAL", "RESULT", "NAME_END"}


@pytest.mark.parametrize("entry", load_rules("task_clauses.toml"), ids=lambda e: e["id"])
def test_clause_examples_both_ways(entry):
    from pipeline.extract.tasks import _clauses

    pat = _clauses()[entry["id"]]
    find = pat.match if entry["anchor"] == "match" else pat.search
    for ex in entry["examples"]:
        assert find(ex), ex
    for ex in entry.get("counterexamples", []):
        assert not find(ex), ex


def test_word_index_matches_spacy_matcher(shared_dir):
    """The first-word index finds exactly what spaCy's Matcher finds with the same patterns."""
    files = sorted((shared_dir / "corpus").glob("*.txt"))[:12]
    assert files
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert find_patterns(line) == find_patterns_spacy(line), line


def test_word_only_patterns_need_no_spacy_import():
    """Task extraction with LOWER-only patterns does not pay spaCy's import (about a second per run)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from pipeline.extract.tasks import extract_tasks\n"
            "from pipeline.models import Header, Segments\n"
            "t = 'Giao Sở Y tế rà soát hồ sơ trước ngày 05/11/2025.'\n"
            "assert extract_tasks(Segments(text=t, body=t), Header(), [])\n"
            "print('spacy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
