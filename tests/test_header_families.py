"""Kinds of header the held-out letters of issue 14 showed, on real corpus letters laid out as other
offices and copies lay them out: a signature block in sentence case (a DOCX whose style prints
capitals), a prefix without its period, a degree before the name, the name in capitals with the
department's name above it, a symbol with spaced dashes on the place-and-date line, a two-level
header flattened onto one line. Each letter is read from ../shared/corpus (skips where absent),
its text changed only where the layout differs, and extracted as a text letter.
"""
from __future__ import annotations

import hashlib

from pipeline import extract_document, read_document
from pipeline.extract.header import parse_signer
from pipeline.models import RawDocument
from pipeline.segment import is_title_line


def _extract(text: str, name: str) -> dict:
    raw = RawDocument(path=f"{name}.txt", format="txt", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text)
    return extract_document(raw).to_dict()["document"]


def _letter(shared_dir, name: str) -> str:
    return read_document(shared_dir / "corpus" / name).text


def test_signature_in_sentence_case(shared_dir):
    text = _letter(shared_dir, "lamdong-skhcn.pdf")
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n" in text
    doc = _extract(text.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n", "KT. Giám đốc\nPhó Giám đốc\n"), "skhcn-sentence")
    assert doc["signer"] == {"name": "Lê Thanh Liêm", "title": "Phó Giám đốc", "authority": "KT."}


def test_head_signing_alone_in_sentence_case(shared_dir):
    text = _letter(shared_dir, "lamdong-so-tu-phap.pdf")
    doc = _extract(text.replace("\nGIÁM ĐỐC\n", "\nGiám đốc\n"), "stp-sentence")
    assert doc["signer"] == {"name": "Phạm Thị Trà My", "title": "Giám đốc", "authority": None}


def test_title_line_in_any_case():
    assert is_title_line("KT. Giám đốc") and is_title_line("Phó Chánh Văn phòng") and is_title_line("PHÓ GIÁM ĐỐC")
    assert not is_title_line("Nguyễn Văn An") and not is_title_line("Giám đốc các sở, ngành triển khai")


def test_prefix_without_its_period(shared_dir):
    text = _letter(shared_dir, "lamdong-cong-van-so-11902-cua-bnv.pdf")
    doc = _extract(text.replace("KT. BỘ TRƯỞNG", "KT BỘ TRƯỞNG"), "bnv-kt")
    assert doc["signer"] == {"name": "Vũ Chiến Thắng", "title": "Thứ trưởng", "authority": "KT."}


def test_degree_before_the_name(shared_dir):
    text = _letter(shared_dir, "lamdong-17-9-2025-vv-lay-y-kien-du-thao-bc-so-ket-2021-202.pdf")
    doc = _extract(text.replace("\nNguyễn Văn Hồi", "\nTS. Nguyễn Văn Hồi"), "bnv-ts")
    assert doc["signer"]["name"] == "Nguyễn Văn Hồi"


def test_name_in_capitals_under_the_department_line(shared_dir):
    text = _letter(shared_dir, "lamdong-12094-cv-huongdantrienkhaidean-2025.pdf")
    doc = _extract(text.replace("\nPhạm Minh Hùng", "\nPHẠM MINH HÙNG"), "bnv-caps")
    assert doc["signer"] == {"name": "Phạm Minh Hùng", "title": "Vụ trưởng", "authority": "TL."}


def test_heading_after_the_signature_is_no_name():
    got = parse_signer("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNGUYỄN MINH\nĐIỀU LỆ\nChương I")
    assert got.name == "Nguyễn Minh" and got.title == "Phó Chủ tịch"


def test_symbol_with_spaced_dash_on_the_place_line(shared_dir):
    text = _letter(shared_dir, "lamdong-4186-so-nnmt-kien-bvd-hiep-hoi-bds-signed-signed-1.pdf")
    assert "Số: 4186 /SNNMT-CCQLĐĐ Lâm Đồng" in text
    doc = _extract(text.replace("4186 /SNNMT-CCQLĐĐ", "4186 / SNNMT - CCQLĐĐ"), "snnmt-spaced")
    assert (doc["code"], doc["place"], doc["date"]) == ("4186/SNNMT-CCQLĐĐ", "Lâm Đồng", "2026-04-09")


def test_two_level_header_flattened_onto_one_line(shared_dir):
    text = _letter(shared_dir, "lamdong-vpub-tinh.pdf")
    assert text.startswith("UBND TỈNH LÂM ĐỒNG\nVĂN PHÒNG\n")
    doc = _extract(text.replace("UBND TỈNH LÂM ĐỒNG\nVĂN PHÒNG\n", "UBND TỈNH LÂM ĐỒNG VĂN PHÒNG --------\n", 1),
                   "vpub-flat")
    assert doc["issuer"] == "Văn phòng Ủy ban nhân dân tỉnh Lâm Đồng"
    assert doc["parent_body"] == "Ủy ban nhân dân tỉnh Lâm Đồng"


def test_council_under_the_province_flattened_onto_one_line(shared_dir):
    text = _letter(shared_dir, "lamdong-10797-to-giup-viec-cchc.pdf")
    head = "UBND TỈNH LÂM ĐỒNG\nHỘI ĐỒNG THẨM ĐỊNH,\nĐÁNH GIÁ CHỈ SỐ CẢI CÁCH\nHÀNH CHÍNH TỈNH\n"
    assert text.startswith(head)
    doc = _extract(text.replace(head, " ".join(head.split()) + "\n", 1), "hdtd-flat")
    assert doc["issuer"].lower().startswith("hội đồng thẩm định, đánh giá chỉ số cải cách hành chính")
    assert doc["parent_body"] == "Ủy ban nhân dân tỉnh Lâm Đồng"


def test_place_repeated_by_a_flattened_subject(shared_dir):
    # a web copy runs the subject's last line ("… tỉnh Lâm Đồng") into the place and date
    text = _letter(shared_dir, "lamdong-2873-sxd-gop-y-cong-nhan-bcd-tl-hhbds.pdf")
    date_line = "Lâm Đồng, ngày 15 tháng 4 năm 2026\n"
    assert "động sản tỉnh Lâm Đồng\n" in text and date_line in text
    flat = text.replace(date_line, "", 1).replace("động sản tỉnh Lâm Đồng\n", "động sản tỉnh Lâm Đồng " + date_line, 1)
    doc = _extract(flat, "sxd-place")
    assert doc["place"] == "Lâm Đồng" and doc["date"] == "2026-04-15"


def _with_header(shared_dir, lines: str) -> dict:
    text = _letter(shared_dir, "lamdong-so-tu-phap.pdf")
    assert text.startswith("UBND TỈNH LÂM ĐỒNG\nSỞ TƯ PHÁP\n")
    return _extract(lines + text[len("UBND TỈNH LÂM ĐỒNG\nSỞ TƯ PHÁP\n"):], "stp-header")


def test_front_committee_of_a_commune_under_the_province_line(shared_dir):
    doc = _with_header(shared_dir, "MTTQ VIỆT NAM TỈNH LÂM ĐỒNG\nỦY BAN XÃ TÂN HÀ\n")
    assert doc["issuer"] == "Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Hà"
    assert doc["parent_body"] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lâm Đồng"


def test_standing_organ_of_a_commune_front_is_the_whole_body(shared_dir):
    doc = _with_header(shared_dir, "ỦY BAN MTTQ VIỆT NAM\nXÃ TÂN HÀ\nBAN THƯỜNG TRỰC\n")
    assert doc["issuer"] == "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Hà"


def test_veterans_association_of_a_commune(shared_dir):
    doc = _with_header(shared_dir, "CỰU CHIẾN BINH VIỆT NAM\nHỘI CCB XÃ TÂN HÀ\n")
    assert doc["issuer"] == "Hội Cựu chiến binh xã Tân Hà"


def test_party_committee_of_a_commune(shared_dir):
    doc = _with_header(shared_dir, "ĐẢNG BỘ TỈNH LÂM ĐỒNG\nĐẢNG ỦY XÃ TÂN HÀ\n*\n")
    assert (doc["issuer"], doc["parent_body"]) == ("Đảng ủy xã Tân Hà", "Đảng bộ tỉnh Lâm Đồng")
