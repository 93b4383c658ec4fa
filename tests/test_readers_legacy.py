"""Legacy font encodings: every example runs both ways through pipeline/readers/legacy.py."""
from __future__ import annotations

import pytest

from pipeline.readers.legacy import (
    TCVN3,
    convert_legacy,
    detect_legacy,
    looks_like_tcvn3,
    syllable_share,
    tcvn3_to_unicode,
    vni_to_unicode,
)
from pipeline.readers.txt import decode_text

TCVN3_EXAMPLES = [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("Uû ban nh©n d©n tØnh L©m §ång", "Uỷ ban nhân dân tỉnh Lâm Đồng"),
    ("KÝnh göi: Së Tµi chÝnh", "Kính gửi: Sở Tài chính"),
    ("ngµy 15 th¸ng 3 n¨m 2024", "ngày 15 tháng 3 năm 2024"),
]
VNI_EXAMPLES = [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("UÛy ban nhaân daân tænh Laâm Ñoàng", "Ủy ban nhân dân tỉnh Lâm Đồng"),
    ("Kính göûi: Sôû Taøi chính", "Kính gửi: Sở Tài chính"),
    ("ngaøy 15 thaùng 3 naêm 2024", "ngày 15 tháng 3 năm 2024"),
]
UNICODE_COUNTEREXAMPLES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Ủy ban nhân dân tỉnh Quảng Ngãi, ngày 08 tháng 01 năm 2025",
    "Công văn số 1313/UBND-NC ngày 14/3/2024",
    "Résumé café naïve",                       # Latin-1 letters that are not Vietnamese
]


@pytest.mark.parametrize("legacy,unicode", TCVN3_EXAMPLES)
def test_tcvn3_examples(legacy: str, unicode: str) -> None:
    assert tcvn3_to_unicode(legacy) == unicode
    assert looks_like_tcvn3(" ".join(a for a, _ in TCVN3_EXAMPLES))
    assert detect_legacy(legacy * 3) == "tcvn3"


@pytest.mark.parametrize("legacy,unicode", VNI_EXAMPLES)
def test_vni_examples(legacy: str, unicode: str) -> None:
    assert vni_to_unicode(legacy) == unicode
    assert detect_legacy(legacy * 3) == "vni"
    assert convert_legacy(legacy, "vni") == unicode


@pytest.mark.parametrize("text", UNICODE_COUNTEREXAMPLES)
def test_unicode_is_left_alone(text: str) -> None:
    assert detect_legacy(text * 3) is None
    assert not looks_like_tcvn3(text)


def test_tcvn3_table_is_one_to_one() -> None:
    assert len(set(TCVN3.values())) == len(TCVN3)


def test_low_byte_garbage_is_not_tcvn3() -> None:
    # lamdong-298-pc04.pdf: code points cut to their low byte, not a font table -> OCR instead
    garbage = "BØ CÔNG AN CÔNG AN TÈNH LÂM \x10ÒNG CØNG HOÀ XÃ HØI CHæ NGH(A VIÆT NAM \x10Ùc l-p - Tå do"
    assert detect_legacy(garbage * 3) is None


def test_txt_in_tcvn3_is_decoded() -> None:
    data = " ".join(a for a, _ in TCVN3_EXAMPLES).encode("latin-1")
    assert decode_text(data) == " ".join(b for _, b in TCVN3_EXAMPLES)


def test_syllable_share() -> None:
    assert syllable_share("Cộng hòa xã hội chủ nghĩa Việt Nam") == 1.0
    assert syllable_share("xyzq brrr kkk") < 0.5


def test_txt_in_vni_is_decoded() -> None:
    data = " ".join(a for a, _ in VNI_EXAMPLES).encode("cp1252")
    assert decode_text(data) == " ".join(b for _, b in VNI_EXAMPLES)


def test_tcvn3_pasted_into_utf8_is_converted() -> None:
    data = " ".join(a for a, _ in TCVN3_EXAMPLES).encode("utf-8")
    assert decode_text(data) == " ".join(b for _, b in TCVN3_EXAMPLES)


def test_docx_typed_in_tcvn3_is_converted(tmp_path) -> None:
    import docx

    from pipeline.readers import read_document

    d = docx.Document()
    for a, _ in TCVN3_EXAMPLES:
        d.add_paragraph(a)
    f = tmp_path / "vntime.docx"
    d.save(str(f))
    raw = read_document(f)
    assert all(b in raw.text for _, b in TCVN3_EXAMPLES)
    assert raw.warnings
