"""A text whose letters do not read as Vietnamese is flagged for a person to check the original."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import gold_inputs

from pipeline.readers import read_document

REPO = Path(__file__).resolve().parents[1]


def test_garbled_text_is_flagged(tmp_path: Path) -> None:
    f = tmp_path / "hong.txt"
    # what a PDF font without a Unicode map gives when its glyph codes are copied out as letters
    f.write_text("ỦY BAN NHÂN DÂN\n" + "Wkrqj bnsx fkìqk mkdq yqwr gzrq kqvw prtx. " * 20, encoding="utf-8")
    raw = read_document(f)
    assert raw.warnings and "hỏng" in raw.warnings[0]


@pytest.mark.parametrize("name", ["lamdong-493-tb.txt", "lamdong-4377-30-09-2025-17h58p29-signed.txt"])
def test_garbled_corpus_twins_are_flagged(shared_dir: Path, name: str) -> None:
    assert read_document(shared_dir / "corpus" / name).warnings


def test_sound_letters_are_not_flagged(shared_dir: Path) -> None:
    flagged = [stem for stem, _, txt in gold_inputs(shared_dir) if read_document(txt).warnings]
    assert flagged == []
    assert not read_document(REPO / "corpus" / "583-UBND-son-tay-2024.txt").warnings
