"""Shortcuts taken for speed in reading and normalising decide exactly what the long way decides
(issue 15). Each test runs the fast path and the plain computation side by side on real letters
and on texts built to sit at the edges of the shortcut."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from pipeline.readers import legacy


def _corpus_texts(shared: Path) -> list[str]:
    out = []
    for p in sorted((shared / "corpus").glob("*.txt")):
        text = unicodedata.normalize("NFC", p.read_text(encoding="utf-8", errors="replace"))
        out.append(text[:20000])
    return out


EDGE_TEXTS = [
    "",
    "    \n\n  ",
    "12345 67890 / -- ..",
    "UBND TỈNH LÂM ĐỒNG",                       # capitals: the frequent marks are counted lower case
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam",       # TCVN3 read as Latin-1
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",  # VNI
    "Cong hoa xa hoi chu nghia Viet Nam " * 20 + "đ",
    "a" * 100 + "đ" * 9,                       # 9 of 109 letters: just above 0.08
    "a" * 100 + "đ" * 8,                       # 8 of 108: just below
    "İİİ đ",                                    # lower() lengthens "İ"
    "x\u2003y\u3000đ\tz",                      # other spaces count as characters, not letters
]


@pytest.mark.parametrize("share", [0.08, 0.0, 0.3])
def test_marked_share_above_decides_like_the_share(shared_dir: Path, share: float) -> None:
    texts = _corpus_texts(shared_dir) + EDGE_TEXTS
    for text in texts:
        assert legacy._marked_share_above(text, share) == (legacy._marked_share(text) > share), text[:60]


def test_marked_share_above_takes_the_bound_on_plain_vietnamese() -> None:
    # the shortcut decides a real letter without the full count (else it saves nothing)
    text = "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành thực hiện nội dung sau đây. " * 50
    calls = []
    orig = legacy._marked_share
    try:
        legacy._marked_share = lambda t: calls.append(t) or orig(t)  # type: ignore[assignment]
        assert legacy._marked_share_above(text, 0.08)
    finally:
        legacy._marked_share = orig  # type: ignore[assignment]
    assert calls == []


def _plain_syllable_share(text: str) -> float:
    """syllable_share as it was written before its per-word memo (the reference)."""
    from collections import Counter
    counts = Counter(legacy._WORD.findall(unicodedata.normalize("NFC", text[:20000])))
    total = ok = 0
    for w, k in counts.items():
        if w.isupper() and len(w) > 1 and not any(c in legacy._VI_MARKED for c in w.lower()):
            continue
        total += k
        if legacy._is_syllable(w.lower()):
            ok += k
    return ok / total if total else 0.0


def test_syllable_share_matches_the_plain_count(shared_dir: Path) -> None:
    for text in _corpus_texts(shared_dir) + EDGE_TEXTS + ["UBND Sở ĐỒNG NAI xyzq Qu"]:
        assert legacy.syllable_share(text) == _plain_syllable_share(text), text[:60]


def _corpus_lines(shared: Path) -> list[str]:
    out = []
    for p in sorted((shared / "corpus").glob("*.txt")):
        out += p.read_text(encoding="utf-8", errors="replace").split("\n")
    return out


NOI_NHAN_EDGES = ["Nơi nhận:", "  | Nơi nhận: - Như trên;", "|Nơi nhận", "\u2003Nơi nhận:", "NƠI NHẬN:",
                  "noi nhan:", "nơi nhận", "| | Nơi nhận", "x Nơi nhận", "Nơi", "Nơi    KT. CHỦ TỊCH", "\x1cNơi nhận"]


def test_noi_nhan_string_test_passes_every_line_the_pattern_matches(shared_dir: Path) -> None:
    from pipeline.normalize import _NOI_NHAN, _may_open_noi_nhan
    lines = _corpus_lines(shared_dir) + NOI_NHAN_EDGES
    matched = [ln for ln in lines if _NOI_NHAN.match(ln)]
    assert len(matched) > 50
    assert all(_may_open_noi_nhan(ln) for ln in matched)
    assert sum(map(_may_open_noi_nhan, lines)) < len(lines) // 10   # and it passes over most lines


def test_segment_noi_nhan_first_literals(shared_dir: Path) -> None:
    from pipeline.segment import _NOI_NHAN_FIRST, NOI_NHAN
    assert _NOI_NHAN_FIRST != ("",)
    for ln in _corpus_lines(shared_dir) + NOI_NHAN_EDGES:
        s = ln.strip()
        if NOI_NHAN.match(s):
            assert s.startswith(_NOI_NHAN_FIRST), s


def _plain_odd_share(text: str) -> float:
    letters = sum(1 for c in text if c.isalpha())
    if not letters:
        return 0.0
    return sum(1 for c in text if c in legacy._ODD or c in legacy.TCVN3 and c not in legacy._VI_LETTERS
               and c.lower() not in legacy._VI_LETTERS) / letters


def test_odd_share_matches_the_per_character_count(shared_dir: Path) -> None:
    texts = _corpus_texts(shared_dir) + EDGE_TEXTS + ["Céng hoµ ¤ ¥ ÿ þ İ ß", "\u00ad\u00ad a"]
    for text in texts:
        assert legacy._odd_share(text) == _plain_odd_share(text), text[:60]


def test_inline_signature_lines_hold_what_the_prefilter_needs(shared_dir: Path) -> None:
    from pipeline.normalize import _INLINE_SIGNATURE, _INLINE_SIGNATURE_NEEDS
    lines = _corpus_lines(shared_dir) + [
        "- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng",
        "- Lưu: VT. KT. CHỦ TỊCH Nguyễn Văn An", "- Lưu VT Q.GIÁM ĐỐC Trần Thị Bình PHỤ LỤC I",
        "x GIÁM ĐỐC,SỞ Lê Văn C"]
    matched = [ln for ln in lines if _INLINE_SIGNATURE.match(ln)]
    assert len(matched) >= 4
    assert all(_INLINE_SIGNATURE_NEEDS.search(ln) for ln in matched)


def test_dien_and_kinh_moi_need_a_colon(shared_dir: Path) -> None:
    from pipeline.segment import DIEN, KINH_MOI
    lines = [ln.strip() for ln in _corpus_lines(shared_dir)] + [
        "Kính mời: Đại diện Sở Nội vụ", "Thành phần mời: các sở", "1. Kính mời ông A", "UBND TỈNH điện:"]
    matched = [s for s in lines if DIEN.match(s) or KINH_MOI.match(s)]
    assert len(matched) >= 3
    assert all(":" in s for s in matched)
