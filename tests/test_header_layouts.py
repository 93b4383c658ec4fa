"""The header on letters laid out otherwise than the gold (issue 14, "The header on unseen
letters"): signature blocks, older and other number shapes, dates in words, flattened web copies,
names that depend on the date. Each case is a kind seen in real letters, written small."""
from __future__ import annotations

import pytest

from pipeline import extract_document
from pipeline.extract.dates import parse_place_date, spelt_number
from pipeline.extract.header import parse_number, parse_signer
from pipeline.models import RawDocument, Signer
from pipeline.rules import load_rules


def _header(text: str):
    return extract_document(RawDocument(path="t.txt", format="txt", sha256="", text=text)).header


@pytest.mark.parametrize(("block", "want"), [
    ("GIÁM ĐỐC\n\n\nNguyễn Văn An", Signer("Nguyễn Văn An", "Giám đốc", None)),
    ("TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n\nTrần Văn B", Signer("Trần Văn B", "Phó Chánh Văn phòng", "KT.")),
    ("TL. CHỦ TỊCH\nLÃNH ĐẠO VĂN PHÒNG\n\nNguyễn Văn C", Signer("Nguyễn Văn C", "Lãnh đạo Văn phòng", "TL.")),
    ("TUQ. CHỦ TỊCH\nGIÁM ĐỐC SỞ NỘI VỤ\n\nTrần Văn B", Signer("Trần Văn B", "Giám đốc Sở Nội vụ", "TUQ.")),
    # a title over two lines
    ("TM. BAN THƯỜNG TRỰC\nPHÓ CHỦ TỊCH\nTHƯỜNG TRỰC\n\nPhạm Triều", Signer("Phạm Triều", "Phó Chủ tịch Thường trực", "TM.")),
    ("TL. CHỦ TỊCH\nCHÁNH VĂN\nPHÒNG\n\nĐỗ Tấn Sương", Signer("Đỗ Tấn Sương", "Chánh Văn phòng", "TL.")),
    # an e-signature's captions beside the title
    ("KT. GIÁM ĐỐC         Ký bởi: Sở Nội vụ\nPHÓ GIÁM ĐỐC        Thời gian ký: 12/03/2026 10:11\n\nTrần Hữu Tuấn",
     Signer("Trần Hữu Tuấn", "Phó Giám đốc", "KT.")),
    # the own title lost under "KT. <head>" (a scan): the deputy signs
    ("TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN BAN CHÍNH SÁCH, THUẾ\nMạnh Thị Tuyết Mai", Signer("Mạnh Thị Tuyết Mai", "Phó Trưởng ban", "KT.")),
    ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nLê Văn L", Signer("Lê Văn L", "Thứ trưởng", "KT.")),
])
def test_signature_layouts(block, want):
    assert parse_signer(block) == want


def test_signature_under_the_noi_nhan_list_with_an_indented_title():
    h = _header("UBND TỈNH LÂM ĐỒNG\nSố: 1/UBND\nV/v x\nLâm Đồng, ngày 1 tháng 2 năm 2026\nKính gửi: A\n\nNội dung./.\n"
                " Nơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT, NC.\nKT. CHỦ TỊCH\n                  PHÓ CHỦ TỊCH\n\t\n\n\nNguyễn Ngọc Phúc\n")
    assert h.signer == Signer("Nguyễn Ngọc Phúc", "Phó Chủ tịch", "KT.")


@pytest.mark.parametrize(("line", "want"), [
    ("Số: 299-TTg", ("299", "TTg", "299-TTg")),              # before 2004 the hyphen stood for the slash
    ("Số: 201-QĐ", ("201", "QĐ", "201-QĐ")),
    ("Số: 111-11/PT-NC", ("111-11", "PT-NC", "111-11/PT-NC")),
    ("Số: 15A/QĐ-UBND", ("15A", "QĐ-UBND", "15A/QĐ-UBND")),  # numbers with letters
    ("Số: 2.135/QĐ-TCHQ", ("2.135", "QĐ-TCHQ", "2.135/QĐ-TCHQ")),
    ("Số 156-CV/TĐTN", ("156", "CV/TĐTN", "156-CV/TĐTN")),
    ("Số: 1413/CAT-PC04(Đ1)", ("1413", "CAT-PC04(Đ1)", "1413/CAT-PC04(Đ1)")),  # a unit's mark in brackets
])
def test_number_shapes(line, want):
    assert parse_number(line) == want


NUMBER_WORDS = load_rules("header_number_words.toml")


@pytest.mark.parametrize("rule", NUMBER_WORDS, ids=[r["id"] for r in NUMBER_WORDS])
def test_number_word_examples_both_ways(rule):
    for phrase, value in rule["examples"]:
        assert rule["word"] in phrase.split() and spelt_number(phrase) == value, phrase
    for cex in rule.get("counterexamples", []):
        assert spelt_number(cex) is None, cex


def test_date_written_in_words():
    assert parse_place_date("Hà Nội, ngày mười lăm tháng ba năm một nghìn chín trăm tám mươi lăm").date == "1985-03-15"
    assert parse_place_date("Hà Nội, ngày mồng năm tháng giêng năm 1986").date == "1986-01-05"
    h = _header("PHỦ THỦ TƯỚNG           CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n                       Độc lập - Tự do - Hạnh phúc\n"
                "Số: 299-TTg\n      Hà Nội, ngày hai mươi tháng mười hai năm một nghìn chín trăm tám mươi\n\n"
                "Kính gửi: Ủy ban nhân dân các tỉnh\n\nNội dung./.\n")
    assert (h.code, h.date, h.issuer) == ("299-TTg", "1980-12-20", "Phủ Thủ tướng")


def test_flattened_web_copy_header():
    h = _header("BỘ NỘI VỤ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc Số: 5/BNV-CCHC V/v hướng dẫn "
                "xác định chỉ số cải cách hành chính Hà Nội, ngày 05 tháng 01 năm 2026 Kính gửi: - Các bộ, cơ quan ngang bộ; "
                "- Ủy ban nhân dân các tỉnh. Thực hiện Quyết định số 1187/QĐ-BNV, Bộ Nội vụ hướng dẫn như sau./.\n")
    assert (h.code, h.date, h.issuer) == ("5/BNV-CCHC", "2026-01-05", "Bộ Nội vụ")
    assert h.subject == "Hướng dẫn xác định chỉ số cải cách hành chính"
    assert h.recipients == ("Các bộ, cơ quan ngang bộ", "Ủy ban nhân dân các tỉnh")


def test_flattened_header_with_addressee_run_on_into_the_body():
    h = _header("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
                "Số: 123/UBND-VX Lâm Đồng, ngày 5 tháng 3 năm 2025 V/v triển khai công tác phòng, chống dịch bệnh năm 2025 "
                "Kính gửi: Sở Y tế Thực hiện chỉ đạo của Bộ Y tế, UBND tỉnh đề nghị Sở Y tế triển khai./.\n")
    assert (h.code, h.date, h.subject, h.recipients) == (
        "123/UBND-VX", "2025-03-05", "Triển khai công tác phòng, chống dịch bệnh năm 2025", ("Sở Y tế",))


@pytest.mark.parametrize(("day", "province"), [("ngày 5 tháng 3 năm 2025", "Bình Thuận"),
                                               ("ngày 5 tháng 8 năm 2025", "Lâm Đồng")])
def test_department_parent_is_the_province_in_force_on_the_date(day, province):
    # Bình Thuận merged into Lâm Đồng on 1 July 2025 (rules/admin_units.toml)
    h = _header(f"SỞ NỘI VỤ    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n  Độc lập - Tự do - Hạnh phúc\nSố: 1/SNV    "
                f"Bình Thuận, {day}\nV/v x\n\nKính gửi: A\n\nNội dung./.\n")
    assert h.parent_body == f"Ủy ban nhân dân tỉnh {province}"


def test_two_level_header_names_its_province_as_printed():
    h = _header("UBND TỈNH BÌNH THUẬN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ    Độc lập - Tự do - Hạnh phúc\n"
                "Số: 1/SNV    Bình Thuận, ngày 5 tháng 8 năm 2025\nV/v x\n\nKính gửi: A\n\nNội dung./.\n")
    assert h.parent_body == "Ủy ban nhân dân tỉnh Bình Thuận"
