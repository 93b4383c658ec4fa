"""Words that lost their first capital to a font without a glyph map (pipeline/repair.py).

The rules' examples both ways; the syllable list checked against a regeneration; the real letter
whose font lost H, D, T, N, B (lamdong-cv-1925-signed-signed, as PDF and as its .txt twin); and
every corpus letter, so that the repair never fires on a clean one.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import extract_document
from pipeline.models import RawDocument
from pipeline.readers import read_document
from pipeline.repair import known_names, reads_as_syllable, repair_dropped_capitals, unconfirmed_words
from pipeline.rules import load_rules

REPO = Path(__file__).resolve().parents[1]
DAMAGED = "lamdong-cv-1925-signed-signed"
# The corpus letters whose text layer lost capitals (a person looked at each: every repair right).
# A repair firing on any other letter fails here: look at it before adding it.
LETTERS_WITH_HOLES = {DAMAGED}


@pytest.mark.parametrize("rule", load_rules("glyph_names.toml"), ids=lambda r: r["id"])
def test_examples_repair_and_counterexamples_stay(rule: dict) -> None:
    for damaged, repaired in rule["examples"]:
        got = repair_dropped_capitals(damaged)
        assert got.text == repaired, (damaged, got.text)
        assert got.repairs and all(damaged[r.start:r.end] == r.damaged for r in got.repairs)
    for clean in rule.get("counterexamples", []):
        assert repair_dropped_capitals(clean).repairs == (), clean


def test_names_come_from_the_other_rule_files() -> None:
    names = dict(known_names())
    assert names["Hiệp hội Doanh nghiệp"] == "glyph.associations"
    assert names["Nghị định"] == "doctypes.nghi-dinh"
    assert names["Bình Thuận"].startswith("admin_units.")


def test_a_damaged_word_that_is_a_word_is_left_alone() -> None:
    # "oanh" and "ao" are words: alone they say nothing of a lost capital
    assert reads_as_syllable("oanh") and reads_as_syllable("ao") and not reads_as_syllable("iệp")
    assert repair_dropped_capitals("hội oanh nghiệp").repairs == ()
    assert repair_dropped_capitals("Liên đoàn ao động").repairs == ()
    # where two names would restore different letters, nothing is restored
    assert repair_dropped_capitals("thành phố ồ Chí Minh").text in ("thành phố Hồ Chí Minh", "thành phố ồ Chí Minh")


def test_unconfirmed_words_of_an_ocr_reading() -> None:
    assert unconfirmed_words("Chính sách thuế TNDN", lambda w: w == "TNDN") == ((), ())
    assert unconfirmed_words("Chính sách thuê ITNIN") == ((), ("ITNIN",))
    assert unconfirmed_words("thi hành án trên địa bàn tỉnh Quảng Ngãj")[0] == ("Ngãj",)
    assert unconfirmed_words("Triên khai quôc gia")[1] == ("Triên", "quôc")


@pytest.mark.skipif(not (shutil.which("dawg2wordlist") and shutil.which("combine_tessdata")),
                    reason="tesseract-ocr's combine_tessdata and dawg2wordlist not installed")
def test_syllables_file_is_what_the_generator_gives() -> None:
    """rules/glyph_syllables.toml is generated (tools/make_glyph_syllables.py), never hand-edited."""
    r = subprocess.run([sys.executable, str(REPO / "tools" / "make_glyph_syllables.py"), "--check"],
                       capture_output=True, text=True)
    if "needed" in r.stderr:
        pytest.skip(r.stderr.strip())
    assert r.returncode == 0, "rules/glyph_syllables.toml differs from a regeneration: run the tool, review the diff"


@pytest.mark.parametrize("suffix", [".txt", ".pdf"])
def test_the_damaged_letter_gets_its_subject_back(shared_dir: Path, suffix: str) -> None:
    raw = read_document(shared_dir / "corpus" / f"{DAMAGED}{suffix}")
    doc = extract_document(raw)
    h = doc.header
    assert h.subject == "Tổ chức Đại hội của Hiệp hội Doanh nghiệp tỉnh lần thứ V, nhiệm kỳ 2025-2030"
    assert "subject" in h.review and h.rule_ids["subject.repair"] == "glyph.associations"
    # the span stays over the source text, which still reads "iệp hội … oanh nghiệp"
    sp = h.spans["subject"]
    assert " ".join(doc.raw.text[sp.start:sp.end].split()).endswith("iệp hội oanh nghiệp tỉnh lần thứ V, nhiệm kỳ 2025-2030")


def test_clean_subjects_are_not_touched() -> None:
    text = ("SỞ TÀI CHÍNH\nSố: 12/STC-HCSN\nV/v góp ý dự thảo của Hiệp hội Doanh nghiệp tỉnh\n"
            "Lâm Đồng, ngày 5 tháng 3 năm 2025\nKính gửi: Sở Nội vụ\nNội dung./.\n")
    h = extract_document(RawDocument(path="t.txt", format="txt", sha256="", text=text)).header
    assert h.subject == "Góp ý dự thảo của Hiệp hội Doanh nghiệp tỉnh"
    assert "subject" not in h.review and "subject.repair" not in h.rule_ids


def test_the_repair_fires_on_no_clean_corpus_letter(shared_dir: Path) -> None:
    """Every corpus text (the .txt files: each letter as its text layer reads): repairs only in the
    letters known to have lost capitals, and there many (the font lost them throughout)."""
    fired: dict[str, int] = {}
    for f in sorted((shared_dir / "corpus").glob("*.txt")):
        got = repair_dropped_capitals(f.read_text(encoding="utf-8", errors="replace"))
        if got.repairs:
            fired[f.stem] = len(got.repairs)
    assert set(fired) == LETTERS_WITH_HOLES, fired
    assert fired[DAMAGED] >= 20
