"""normalize_document: columns serialised, page numbers dropped, TXT footnotes moved apart."""
from __future__ import annotations

from pipeline.models import Footnote, RawDocument
from pipeline.normalize import normalize_document


def norm(text: str, **kw) -> RawDocument:
    return normalize_document(RawDocument(path="t.txt", format="txt", sha256="", text=text, **kw))


def test_side_by_side_header_columns_become_left_then_right():
    r = norm("  UBND TỈNH LÂM ĐỒNG   CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n     SỞ NỘI VỤ       Độc lập - Tự do"
             " - Hạnh phúc\n   Số: 565   /TB-UBND        Quảng Ngãi, ngày 15 tháng 11 năm 2024\n\nKính gửi: A\n")
    lines = r.text.split("\n")
    assert lines[:3] == ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ", "Số: 565   /TB-UBND"]
    assert lines[3:6] == ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                          "Quảng Ngãi, ngày 15 tháng 11 năm 2024"]


def test_noi_nhan_beside_the_signature_becomes_list_then_signature():
    r = norm("Nội dung./.\n\nNơi nhận:                         GIÁM ĐỐC\n- Như trên;\n- Lưu: VT, TCCC.\n\n"
             "                                  Đỗ Văn Chung\n")
    assert r.text.split("\n")[1:] == ["", "Nơi nhận:", "- Như trên;", "- Lưu: VT, TCCC.", "", "GIÁM ĐỐC",
                                      "Đỗ Văn Chung"]


def test_right_margin_page_numbers_and_rules_are_dropped():
    r = norm("đề xuất Chủ tịch Ủy ban nhân dân tỉnh xem xét.                                6\n"
             "             _______________\nTiếp theo.\n")
    assert r.text == "đề xuất Chủ tịch Ủy ban nhân dân tỉnh xem xét.\n\nTiếp theo."


def test_seed_footnotes_are_separated_and_the_cut_paragraph_rejoined(shared_dir):
    raw = RawDocument(path="seed.txt", format="txt", sha256="",
                      text=(shared_dir / "seed" / "583-UBND-son-tay-2024.txt").read_text(encoding="utf-8"))
    r = normalize_document(raw)
    assert [f.mark for f in r.footnotes] == ["1", "2"]
    assert r.footnotes[0].text.startswith("Kết luận chỉ đạo của Ban Chỉ đạo CCHC")
    assert r.footnotes[1].text.startswith("Cụ thể:") and "Lĩnh vực Xây dựng" in r.footnotes[1].text
    assert "trong đội ngũ cán bộ, công chức, viên chức của tỉnh Quảng Ngãi nhằm phát hiện" in r.text
    assert "quy định." in r.text and "¹" not in r.text and "²" not in r.text
    assert "Lĩnh vực Cải cách tài chính công" not in r.text


def test_reader_footnotes_are_kept():
    r = norm("Văn bản.", footnotes=(Footnote("1", "Chú thích"),))
    assert r.footnotes == (Footnote("1", "Chú thích"),)


def test_pipe_table_header_is_read_as_two_columns():
    r = norm("|UBND TỈNH BÌNH THUẬN   |CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM   |\n"
             "|VĂN PHÒNG              |Độc lập - Tự do - Hạnh phúc          |\n"
             "|Số:    /VP-NCKSTTHC    |Bình Thuận, ngày   tháng 12 năm 2024 |\n\nKính gửi: A\n")
    assert r.text.split("\n")[:4] == ["UBND TỈNH BÌNH THUẬN", "VĂN PHÒNG", "Số:    /VP-NCKSTTHC",
                                      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]


def test_esignature_stamp_block_is_dropped():
    r = norm("                    TRUNG TÂM CÔNG\n                   BÁO VÀ TIN HỌC\n"
             "                         ttcbth@quangngai.gov.vn\n                     24.01.2025 20:01:14\n"
             "                  +07:00\n   ỦY BAN NHÂN DÂN\n")
    assert r.text == "ỦY BAN NHÂN DÂN"


def test_plain_digit_footnote_at_a_page_foot_is_moved_and_the_sentence_rejoined():
    r = norm("báo cáo kết quả thực hiện nhiệm vụ nhà nước giao năm\n\n\n"
             "1 Công văn số 5956/STNMT-CCBVMT ngày 24/10/2024 của Sở Tài nguyên và Môi trường.        5\n\n"
             "2025 và Công văn số 3191/SXD-VP ngày 25/10/2024.\n")
    assert r.footnotes == (Footnote("1", "Công văn số 5956/STNMT-CCBVMT ngày 24/10/2024 của Sở Tài nguyên và Môi trường."),)
    assert r.text == "báo cáo kết quả thực hiện nhiệm vụ nhà nước giao năm 2025 và Công văn số 3191/SXD-VP ngày 25/10/2024."


def test_numbered_table_row_is_not_a_footnote():
    r = norm("STT     Họ và tên\n\n  1      Trần Thanh Tài     Phó Giám đốc     Sở Tư pháp\n")
    assert r.footnotes == ()


def test_signature_printed_under_the_noi_nhan_list_keeps_its_order():
    # a DOCX table flattened to text: the prefix at the margin, the own title indented under it
    # (lamdong-kh-tuyen-truyen-cchc-nam-2026.txt); beside-the-list layouts are the test above
    r = norm("Nội dung./.\n Nơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT, NC.\nKT. CHỦ TỊCH\n"
             "                  PHÓ CHỦ TỊCH\n\t\n\n\nNguyễn Ngọc Phúc\n")
    lines = [x for x in r.text.split("\n") if x]
    assert lines[-3:] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Ngọc Phúc"]
