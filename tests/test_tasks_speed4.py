"""Shortcuts of issue 15 (last round) give the answers of the code they replace."""

from pathlib import Path

import pytest

from pipeline.structure import _group_numbers, _marker_of, _markers, join_lines

CORPUS = Path("/work/shared/corpus")


def _texts() -> list[str]:
    if not CORPUS.is_dir():
        pytest.skip("corpus letters absent (/work/shared/corpus)")
    return [f.read_text(encoding="utf-8", errors="replace") for f in sorted(CORPUS.glob("*.txt"))]


@pytest.mark.parametrize("text", ["", " ", "a", "a ", " a b ", "a b c", "a\tb\nc d ", "a\u00a0b  c  ", "x " * 30])
def test_bounded_split_counts_words_up_to_its_bound(text: str) -> None:
    # len(s.split(None, k)) == min(len(s.split()), k + 1): word counts compared with a bound
    for k in range(0, 30):
        assert len(text.split(None, k)) == min(len(text.split()), k + 1)


def test_bounded_split_on_corpus_paragraphs() -> None:
    for text in _texts():
        for para, _span, _foot in join_lines(text):
            for k in (1, 2, 3, 10, 13, 20, 25):
                assert len(para.split(None, k)) == min(len(para.split()), k + 1)


def test_marker_groups_by_number_are_the_named_groups() -> None:
    groups = _group_numbers()
    for kind, pat, _first in _markers():
        mg, lg = groups[kind]
        assert pat.groupindex["m"] == mg
        assert pat.groupindex.get("l") == lg
    for text in _texts():
        for para, _span, _foot in join_lines(text):
            mk = _marker_of(para)
            if mk is None:
                continue
            kind, m, _end = mk
            mg, lg = groups[kind]
            assert m.group(mg) == m.group("m")
            if lg is not None:
                assert m.group(lg) == m.group("l")
