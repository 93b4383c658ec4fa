"""resolve.py: body names in full words, relative names resolved against the letter, units by date."""
from __future__ import annotations

from pipeline.models import Header
from pipeline.resolve import body_name, fold, province_on, resolve_body

DISTRICT = Header(issuer="Ủy ban nhân dân huyện Sơn Tây", parent_body="Ủy ban nhân dân tỉnh Quảng Ngãi",
                  date="2024-03-15")


def test_body_names_in_full_words_and_normal_case():
    assert body_name("UBND TỈNH LÂM ĐỒNG") == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert body_name("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH") == "Sở Văn hóa, Thể thao và Du lịch"
    assert fold(body_name("UBND tỉnh Lâm Đồng")) == fold("UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG")


def test_relative_names_resolve_to_the_issuers_district_and_province():
    assert resolve_body("UBND huyện", DISTRICT) == "Ủy ban nhân dân huyện Sơn Tây"
    assert resolve_body("Chủ tịch UBND tỉnh", DISTRICT) == "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert resolve_body("Văn phòng Chính phủ", DISTRICT) == "Văn phòng Chính phủ"


def test_department_gets_its_province_on_request():
    h = Header(issuer="Sở Tư pháp", parent_body="Ủy ban nhân dân tỉnh Lâm Đồng", date="2025-11-13")
    assert resolve_body("Sở Nội vụ", h, add_locality=True) == "Sở Nội vụ tỉnh Lâm Đồng"
    assert resolve_body("Sở Nội vụ", h) == "Sở Nội vụ"


def test_units_by_date_across_the_july_2025_merger():
    assert province_on("Bình Thuận", "2024-11-28") == "Bình Thuận"
    assert province_on("Bình Thuận", "2026-01-10") == "Lâm Đồng"
    assert province_on("Kon Tum", "2025-07-01") == "Quảng Ngãi"
    old = Header(issuer="Sở Nội vụ", parent_body="Ủy ban nhân dân tỉnh Bình Thuận", date="2024-11-28")
    assert resolve_body("UBND tỉnh", old) == "Ủy ban nhân dân tỉnh Bình Thuận"
    assert resolve_body("UBND tỉnh", old, date="2025-08-01") == "Ủy ban nhân dân tỉnh Lâm Đồng"


def test_districts_are_looked_up_with_their_level_word():
    from pipeline.resolve import find_unit
    assert find_unit("huyện Sơn Tây")["province"] == "Quảng Ngãi"
    assert find_unit("thị xã Sơn Tây") is None  # Hà Nội's, not in the table
    assert find_unit("tỉnh Thừa Thiên Huế")["id"] == "hue"
    h = Header(issuer="Ủy ban nhân dân huyện Đức Trọng", date="2024-05-02")
    assert resolve_body("UBND tỉnh", h) == "Ủy ban nhân dân tỉnh Lâm Đồng"


def test_ocr_misspelt_province_takes_the_table_spelling_tone_style_kept():
    from pipeline.resolve import body_name, fix_unit_spelling
    assert body_name("CÔNG AN TỈNH LÂM ĐÒNG") == "Công an tỉnh Lâm Đồng"
    assert fix_unit_spelling("Lâm Đòng") == "Lâm Đồng"
    assert fix_unit_spelling("Ủy ban nhân dân tỉnh Khánh Hoà") == "Ủy ban nhân dân tỉnh Khánh Hoà"
    assert fix_unit_spelling("Sở Nội vụ") == "Sở Nội vụ"


def test_subject_in_capitals_keeps_the_capitals_of_known_units():
    from pipeline.resolve import capitalize_units
    assert capitalize_units("ban hành mức trợ giúp trên địa bàn tỉnh tuyên quang") == \
        "ban hành mức trợ giúp trên địa bàn tỉnh Tuyên Quang"
    assert capitalize_units("đất năm 2022 huyện châu thành tỉnh tây ninh") == "đất năm 2022 huyện châu thành tỉnh Tây Ninh"
    assert capitalize_units("tỉnh ủy chỉ đạo") == "tỉnh ủy chỉ đạo"
