"""Header forms that break naive rules (issue 4), each on a small letter written the way the
corpus prints it (pdftotext layout or one paragraph per line)."""
from __future__ import annotations

from pipeline.extract.header import extract_header, parse_number, parse_signer
from pipeline.models import RawDocument
from pipeline.normalize import normalize_document
from pipeline.segment import segment_document


def header_of(text: str, **kw):
    raw = normalize_document(RawDocument(path="t.txt", format="txt", sha256="", text=text, **kw))
    return extract_header(segment_document(raw), raw)


DRAFT = """  UBND TỈNH LÂM ĐỒNG      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
     SỞ NỘI VỤ                 Độc lập - Tự do - Hạnh phúc

   Số:        /SNV-TCBC        Lâm Đồng, ngày      tháng 4 năm 2026
 V/v góp ý dự thảo Kế hoạch
   cải cách hành chính

                 Kính gửi: Sở Tư pháp

     Sở Nội vụ đề nghị Sở Tư pháp góp ý./.

Nơi nhận:                          KT. GIÁM ĐỐC
- Như trên;                       PHÓ GIÁM ĐỐC
- Lưu: VT, TCBC.



                                  Nguyễn Văn An
"""


def test_draft_blank_number_and_day_are_null_not_guessed():
    h = header_of(DRAFT)
    assert (h.number, h.symbol, h.code, h.date) == (None, "SNV-TCBC", None, None)
    assert (h.issuer, h.parent_body, h.place) == ("Sở Nội vụ", "Ủy ban nhân dân tỉnh Lâm Đồng", "Lâm Đồng")
    assert h.subject == "Góp ý dự thảo Kế hoạch cải cách hành chính"
    assert h.recipients == ("Sở Tư pháp",)
    assert (h.signer.authority, h.signer.title, h.signer.name) == ("KT.", "Phó Giám đốc", "Nguyễn Văn An")
    assert h.cc == ("Như trên", "Lưu: VT, TCBC")


def test_stamped_number_and_day_count_as_written():
    h = header_of(DRAFT, stamped={"number": "1187", "day": "15"})
    assert (h.code, h.date) == ("1187/SNV-TCBC", "2026-04-15")


def test_number_split_by_a_gap_keeps_its_symbol():
    h = header_of(" ỦY BAN NHÂN DÂN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n TỈNH QUẢNG NGÃI    Độc lập - Tự do"
                  " - Hạnh phúc\n\n Số: 565   /TB-UBND        Quảng Ngãi, ngày 15 tháng 11 năm 2024\n\n"
                  "                 THÔNG BÁO\n  Kết luận của Phó Chủ tịch UBND tỉnh\n\n Ngày 12/11/2024, họp./.\n")
    assert (h.type, h.code, h.date, h.place) == ("Thông báo", "565/TB-UBND", "2024-11-15", "Quảng Ngãi")
    assert h.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi" and h.parent_body is None


def test_party_and_mass_organisation_codes_keep_their_hyphen():
    assert parse_number("Số 156-CV/TĐTN") == ("156", "CV/TĐTN", "156-CV/TĐTN")
    assert parse_number("Số 174 KL/TW") == ("174", "KL/TW", "174-KL/TW")
    h = header_of("TỈNH ĐOÀN LÂM ĐỒNG          ĐOÀN TNCS HỒ CHÍ MINH\n         ***\nSố 156-CV/TĐTN"
                  "        Lâm Đồng, ngày 05 tháng 3 năm 2024\nV/v tổ chức Tháng Thanh niên\n\n"
                  "Kính gửi: Các cơ sở Đoàn trực thuộc\n\nBan Thường vụ Tỉnh đoàn đề nghị./.\n")
    assert (h.type, h.number, h.symbol, h.code) == ("Công văn", "156", "CV/TĐTN", "156-CV/TĐTN")
    assert h.issuer == "Tỉnh đoàn Lâm Đồng" or h.issuer.lower() == "tỉnh đoàn lâm đồng"
    assert h.date == "2024-03-05"


def test_urgency_and_secrecy_marks_are_fields():
    h = header_of("HỎA TỐC\nMẬT\nBỘ NỘI VỤ\nSố: 12/BNV-VP\nV/v a\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Hà Nội, ngày 1 tháng 2 năm 2025\nKính gửi: Sở Nội vụ\nNội dung./.")
    assert (h.urgency, h.secrecy, h.issuer, h.code) == ("Hỏa tốc", "Mật", "Bộ Nội vụ", "12/BNV-VP")


def test_incoming_stamp_is_kept_apart():
    h = header_of("ĐẾN\nSố: 4521\nNgày: 05/3/2024\nChuyển: PNV\nỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n"
                  "Số: 1313/UBND-NC\nV/v cải cách hành chính\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Quảng Ngãi, ngày 14 tháng 3 năm 2024\nKính gửi: UBND các huyện\nNội dung./.")
    assert h.code == "1313/UBND-NC" and h.date == "2024-03-14"
    assert h.received is not None and (h.received.number, h.received.date) == ("4521", "2024-03-05")


def test_certified_copy_keeps_the_original_as_the_document():
    h = header_of("BỘ NỘI VỤ\nSố: 8977/BNV-TCPCP\nV/v trả lời\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Hà Nội, ngày 06 tháng 10 năm 2025\nKính gửi: Sở Nội vụ tỉnh Lâm Đồng\nNội dung./.\n"
                  "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTL. BỘ TRƯỞNG\nVỤ TRƯỞNG\nThang Thị Hạnh\n\n"
                  "SAO Y\nUBND TỈNH LÂM ĐỒNG\nSố: 45/SY-UBND\nLâm Đồng, ngày 08 tháng 10 năm 2025")
    assert h.code == "8977/BNV-TCPCP"
    assert h.copy is not None and h.copy["kind"] == "Sao y" and h.copy["code"] == "45/SY-UBND"


def test_typo_cong_hoa_and_ascii_only_text():
    h = header_of("UBND TINH LAM DONG\nSo: 12/UBND\nV/v tong hop bao cao\nCÔNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Lam Dong, ngay 5 thang 3 nam 2024\nKinh gui: So Noi vu\nNoi dung./.")
    assert (h.code, h.date, h.place) == ("12/UBND", "2024-03-05", "Lam Dong")
    assert h.subject == "Tong hop bao cao" and h.recipients == ("So Noi vu",)


def test_type_word_alone_above_the_subject():
    h = header_of("UBND TỈNH BÌNH THUẬN\nSỞ NỘI VỤ\nSố: 253/TTr-SNV\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Bình Thuận, ngày 22 tháng 01 năm 2025\n\nTỜ TRÌNH\nVề việc đề xuất gia hạn\nthời gian tổ chức đại hội\n\n"
                  "Kính gửi: Ủy ban nhân dân tỉnh\n\nSở Nội vụ kính trình./.")
    assert (h.type, h.subject) == ("Tờ trình", "Đề xuất gia hạn thời gian tổ chức đại hội")
    assert (h.issuer, h.parent_body) == ("Sở Nội vụ", "Ủy ban nhân dân tỉnh Bình Thuận")


def test_one_level_district_header_gets_its_province():
    h = header_of("ỦY BAN NHÂN DÂN\nHUYỆN SƠN TÂY\n\nSố: 583 /UBND\nV/v a\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "\nSơn Tây, ngày 15 tháng 3 năm 2024\n\nKính gửi: Công an huyện\n\nNội dung./.")
    assert (h.issuer, h.parent_body) == ("Ủy ban nhân dân huyện Sơn Tây", "Ủy ban nhân dân tỉnh Quảng Ngãi")


def test_signer_ignores_signed_marks_and_takes_the_prefix_above_the_title():
    s = parse_signer("TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n(Đã ký)\nHồ Đức Phớc")
    assert (s.authority, s.title, s.name) == ("KT.", "Phó Thủ tướng", "Hồ Đức Phớc")
    s = parse_signer("TL. BỘ TRƯỞNG\nVỤ TRƯỞNG\nVỤ TỔ CHỨC PHI CHÍNH PHỦ\nThang Thị Hạnh")
    assert (s.authority, s.title, s.name) == ("TL.", "Vụ trưởng", "Thang Thị Hạnh")


def test_ocr_number_not_read_cleanly_goes_to_review():
    h = header_of("BỘ NỘI VỤ\nSố: 1?3/BNV-VP\nV/v a\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Hà Nội, ngày 1 tháng 2 năm 2025\nKính gửi: Sở Nội vụ\nNội dung./.", ocr=True)
    assert h.number is None and h.code is None and "number" in h.review
    assert h.date == "2025-02-01"


def test_invitation_invitees_are_its_recipients():
    h = header_of("UBND TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\nSố: 560/GM-SNV\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Lâm Đồng, ngày 10 tháng 3 năm 2026\n\nGIẤY MỜI\nHọp triển khai công tác cải cách hành chính\n\n"
                  "Sở Nội vụ trân trọng kính mời:\n- Đại diện lãnh đạo Sở Tư pháp;\n- Đại diện lãnh đạo Sở Tài chính.\n"
                  "Thời gian: 8 giờ ngày 12/3/2026.\nĐịa điểm: Hội trường Sở Nội vụ./.")
    assert h.type == "Giấy mời"
    assert h.recipients == ("Đại diện lãnh đạo Sở Tư pháp", "Đại diện lãnh đạo Sở Tài chính")


def test_ocr_number_and_day_read_with_low_confidence_go_to_review():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSó:84 /TTr-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Quảng Ngãi, ngày 04tháng 02 năm 2025\nTỜ TRÌNH\nVề việc giao dự toán\n\nKính gửi: HĐND tỉnh\nNội dung./.")
    h = header_of(text, ocr=True, ocr_confidence=92.0, low_confidence_words=("Só:84", "04tháng"))
    assert (h.number, h.code, h.date, h.symbol) == (None, None, None, "TTr-UBND")
    # (a scan's signer not read is listed too: signer.name, signer.title, pipeline/extract/scan_signer.py)
    assert set(h.review) - {"signer.name", "signer.title"} == {"number", "date"}
    clean = header_of(text.replace("Só:84", "Số: 22"), ocr=True, ocr_confidence=95.0)
    assert (clean.code, clean.date) == ("22/TTr-UBND", "2025-02-04")


def test_invitation_with_numbered_invitee_heading_keeps_the_body():
    raw = normalize_document(RawDocument(path="t.txt", format="txt", sha256="", text=(
        "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: 560/GM-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Lâm Đồng, ngày 06 tháng 11 năm 2025\nGIÁY MỜI\nỦy ban nhân dân tỉnh tổ chức buổi làm việc\n\n"
        "1. Chủ trì: Phó Chủ tịch UBND tỉnh.\n2. Thành phần mời:\n- Lãnh đạo Văn phòng UBND tỉnh;\n"
        "- Đại diện VNPT Lâm Đồng.\n3. Nội dung: Họp đánh giá./.")))
    seg = segment_document(raw)
    h = extract_header(seg, raw)
    assert h.type == "Giấy mời" and h.code == "560/GM-UBND"
    assert h.recipients == ("Lãnh đạo Văn phòng UBND tỉnh", "Đại diện VNPT Lâm Đồng")
    assert seg.body.startswith("1. Chủ trì") and "3. Nội dung" in seg.body


def test_party_header_without_national_motto():
    h = header_of("   TỈNH ỦY LÂM ĐỒNG                 ĐẢNG CỘNG SẢN VIỆT NAM\n    BAN TỔ CHỨC\n"
                  "          *                       Lâm Đồng, ngày 12 tháng 5 năm 2025\n  Số 245-CV/BTCTU\n"
                  "V/v hướng dẫn sắp xếp tổ chức bộ máy\n\n         Kính gửi: Các huyện ủy, thành ủy, đảng ủy trực thuộc\n\n"
                  "Ban Tổ chức Tỉnh ủy hướng dẫn như sau./.\n\nNơi nhận:                       K/T TRƯỞNG BAN\n"
                  "- Như trên,                      PHÓ TRƯỞNG BAN\n- Lưu VP.\n\n                                 Nguyễn Văn Bình\n")
    assert (h.type, h.code, h.date) == ("Công văn", "245-CV/BTCTU", "2025-05-12")
    assert (h.issuer, h.parent_body) == ("Ban Tổ chức", "Tỉnh ủy Lâm Đồng")
    assert (h.signer.authority, h.signer.title, h.signer.name) == ("KT.", "Phó Trưởng ban", "Nguyễn Văn Bình")
    assert h.cc == ("Như trên", "Lưu VP")


def test_incoming_stamp_on_one_line():
    h = header_of("ĐẾN Số: 77 Ngày: 6/3/24\nBỘ NỘI VỤ\nSố: 12/BNV-VP\nV/v a\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Hà Nội, ngày 1 tháng 3 năm 2024\nKính gửi: Sở Nội vụ\nNội dung./.")
    assert h.received is not None and (h.received.number, h.received.date) == ("77", "2024-03-06")
    assert h.code == "12/BNV-VP" and h.issuer == "Bộ Nội vụ"


def test_ocr_header_that_lost_words_still_names_the_issuer():
    h = header_of("ỦY BAN NHÂN DÂN\nQUẢNG NGÃI\n/UBND-KTTH\nV/v tham gia ý kiến\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Quảng Ngãi, ngày 04 tháng 02 năm 2025\nKính gửi: Sở Tài chính\nNội dung./.", ocr=True)
    assert h.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"
    assert (h.number, h.symbol, h.code) == (None, "UBND-KTTH", None) and "number" in h.review


def test_signer_prefix_lines_above_the_title_in_layout_text():
    h = header_of("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\nSố: /TB-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Lâm Đồng, ngày  tháng 4 năm 2026\nTHÔNG BÁO\nKết luận của Phó Chủ tịch\n\nNội dung./.\n\n"
                  "Nơi nhận:\n- Chủ tịch, các PCT UBND tỉnh;\n- Lưu: VT, XDCT(Sơn).\nTL. CHỦ TỊCH\n"
                  "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n\n\nNguyễn Ngọc Nam\n")
    assert (h.signer.authority, h.signer.title, h.signer.name) == ("KT.", "Phó Chánh Văn phòng", "Nguyễn Ngọc Nam")
    assert h.cc == ("Chủ tịch, các PCT UBND tỉnh", "Lưu: VT, XDCT(Sơn)")
    s = parse_signer("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH\nTrần Văn Chiến")
    assert (s.authority, s.title, s.name) == ("KT.", "Phó Chủ tịch", "Trần Văn Chiến")


def test_web_copy_with_header_and_signature_run_together():
    h = header_of("Công văn 2739/VPCP-ĐMDN năm 2019 quy định về quản trị doanh nghiệp\nVĂN PHÒNG CHÍNH PHỦ -------\n"
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
                  "Số: 2739/VPCP-ĐMDN V/v quy định về quản trị doanh nghiệp\n"
                  "Hà Nội, ngày 05 tháng 04 năm 2019 Kính gửi: Bộ Kế hoạch và Đầu tư.\n"
                  "Văn phòng Chính phủ thông báo để Bộ Kế hoạch và Đầu tư biết, thực hiện./.\nNơi nhận:\n- Như trên;\n"
                  "- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng\n")
    assert (h.code, h.date, h.place, h.issuer) == ("2739/VPCP-ĐMDN", "2019-04-05", "Hà Nội", "Văn phòng Chính phủ")
    assert h.subject == "Quy định về quản trị doanh nghiệp" and h.recipients == ("Bộ Kế hoạch và Đầu tư",)
    assert h.cc == ("Như trên", "Lưu: VT, ĐMDN (2b). Trung Anh")
    assert (h.signer.title, h.signer.name) == ("Bộ trưởng, Chủ nhiệm", "Mai Tiến Dũng")


def test_signature_printed_before_noi_nhan():
    h = header_of("BỘ NỘI VỤ\nSố: 12/BNV-VP\nV/v a\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 1 tháng 2 năm 2025\n"
                  "Kính gửi: Sở Nội vụ\nNội dung./.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn Hồi\nNơi nhận:\n- Như trên;\n- Lưu: VT.")
    assert (h.signer.authority, h.signer.title, h.signer.name) == ("KT.", "Thứ trưởng", "Nguyễn Văn Hồi")
    assert h.cc == ("Như trên", "Lưu: VT")


def test_district_header_of_a_merged_province():
    h = header_of("ỦY BAN NHÂN DÂN\nHUYỆN HÀM THUẬN BẮC\nSố: 45/UBND-VP\nV/v a\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Hàm Thuận Bắc, ngày 3 tháng 4 năm 2025\nKính gửi: Phòng Nội vụ\nNội dung./.")
    assert (h.issuer, h.parent_body) == ("Ủy ban nhân dân huyện Hàm Thuận Bắc", "Ủy ban nhân dân tỉnh Bình Thuận")


def test_e_signature_stamp_with_time_zone_on_one_line_is_not_the_issuer():
    # quangngai-05-signed-*.txt: the publishing centre's stamp, its time and zone on one line
    h = header_of("                                        TRUNG TÂM CÔNG BÁO\n"
                  "                                         VÀ TIN HỌC\n"
                  "                                         ttcbth@quangngai.gov.vn\n"
                  "                                         09.01.2025 10:21:11 +07:00\n\n"
                  "  ỦY BAN NHÂN DÂN   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "  TỈNH QUẢNG NGÃI             Độc lập - Tự do - Hạnh phúc\n\n"
                  "   Số:  11 /TB-UBND        Quảng Ngãi, ngày 08 tháng 01 năm 2025\n\n"
                  "                 THÔNG BÁO\n   Kết luận của Phó Chủ tịch UBND tỉnh\n\n"
                  "    Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh chủ trì họp./.\n")
    assert h.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi" and h.parent_body is None
    assert h.code == "11/TB-UBND"


def test_signature_beside_noi_nhan_stops_before_the_next_document_of_the_file():
    # a decision followed in the same file by the charter it approves (its own header)
    h = header_of("ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "TỈNH BÌNH THUẬN             Độc lập - Tự do - Hạnh phúc\n"
                  "Số: 779  /QĐ-UBND       Bình Thuận, ngày  23  tháng  3 năm 2022\n\n"
                  "              QUYẾT ĐỊNH\nVề việc công nhận Điều lệ Quỹ Khuyến học tỉnh\n\n"
                  "Điều 1. Công nhận Điều lệ./.\n"
                  "Nơi nhận:                                KT. CHỦ TỊCH\n"
                  "- Như Điều 3;                       PHÓ CHỦ TỊCH\n"
                  "- Lưu: VT, NCKS.\n"
                  "                                        Nguyễn Minh                               2\n\n"
                  "ỦY BAN NHÂN DÂN    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "TỈNH BÌNH THUẬN             Độc lập - Tự do - Hạnh phúc\n\n"
                  "              ĐIỀU LỆ\n        QUỸ KHUYẾN HỌC TỈNH BÌNH THUẬN\n"
                  "     (Kèm theo Quyết định số 779 /QĐ-UBND ngày 23/3/2022)\n\n"
                  + "\n".join(f"     Điều {i}. Nội dung điều {i} của Điều lệ." for i in range(1, 40)) + "\n")
    assert (h.signer.authority, h.signer.title, h.signer.name) == ("KT.", "Phó Chủ tịch", "Nguyễn Minh")
    assert h.cc == ("Như Điều 3", "Lưu: VT, NCKS")


def test_run_on_decision_title_stops_at_the_enacting_authority():
    # web copies (tvpl-*) join the header, the title, the subject and the enacting authority
    h = header_of("ỦY BAN NHÂN DÂN TỈNH TÂY NINH -------\n"
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
                  "Số: 3745/QĐ-UBND Tây Ninh, ngày 30 tháng 12 năm 2021 QUYẾT ĐỊNH VỀ VIỆC PHÊ DUYỆT KẾ HOẠCH "
                  "SỬ DỤNG ĐẤT NĂM 2022 ỦY BAN NHÂN DÂN TỈNH TÂY NINH\n"
                  "Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;\nQUYẾT ĐỊNH\nĐiều 1.\n"
                  "Phê duyệt Kế hoạch sử dụng đất năm 2022.\n")
    assert h.type == "Quyết định" and h.code == "3745/QĐ-UBND"
    assert h.subject == "Phê duyệt kế hoạch sử dụng đất năm 2022"


def test_subject_never_runs_into_the_enacting_formula():
    h = header_of("BỘ NỘI VỤ    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Số: 12/QĐ-BNV    Hà Nội, ngày 05 tháng 3 năm 2026\n\n"
                  "QUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH QUY CHẾ\n\nQUYẾT ĐỊNH\nĐiều 1. Ban hành Quy chế.\n")
    assert h.subject == "Ban hành quy chế"


def test_signature_before_an_appendix_without_noi_nhan():
    # vbpl-doc-000022.txt: a circular with no Nơi nhận, its appendix table after the signature
    h = header_of("BỘ TƯ PHÁP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 01/2026/TT-BTP\n"
                  "Hà Nội, ngày 07 tháng 01 năm 2026\n\nTHÔNG TƯ\nQuy định tiêu chí chất lượng dịch vụ\n\n"
                  "Căn cứ Luật Ban hành văn bản quy phạm pháp luật;\n"
                  "Điều 1. Tiêu chí quy định tại Phụ lục kèm theo Thông tư này./.\n\n"
                  "KT. BỘ TRƯỞNG\n\nTHỨ TRƯỞNG\n\nNguyễn Thanh Tú\n\nPhụ Lục\n\n"
                  "TIÊU CHÍ, TIÊU CHUẨN CHẤT LƯỢNG DỊCH VỤ\n\n"
                  + "\n\n".join(f"{i}\n\nTiêu chí số {i} được đánh giá theo kỳ." for i in range(1, 20)) + "\n")
    assert (h.signer.authority, h.signer.title, h.signer.name) == ("KT.", "Thứ trưởng", "Nguyễn Thanh Tú")
    assert h.attachments and h.attachments[0] == "Phụ lục"


def test_noi_nhan_entry_set_right_after_the_signer_title_goes_to_the_list():
    # pdftotext puts a wrapped Nơi nhận entry on the title's line (lamdong-van-ban-cua-so-noi-vu.txt)
    h = header_of(DRAFT.replace("- Như trên;                       PHÓ GIÁM ĐỐC",
                                "- Như trên;                       PHÓ GIÁM ĐỐC- Giám đốc Sở (để b/c);"))
    assert h.cc == ("Như trên", "Giám đốc Sở (để b/c)", "Lưu: VT, TCBC")
    assert (h.signer.authority, h.signer.title) == ("KT.", "Phó Giám đốc")


def test_subject_tail_set_apart_by_a_blank_line_above_kinh_gui():
    h = header_of("UBND TỈNH BÌNH THUẬN\nSỞ NỘI VỤ\nSố: 1005/TTr-SNV\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Bình Thuận, ngày 05 tháng 5 năm 2025\nTỜ TRÌNH\n\n"
                  "Về việc thông báo kết quả đại hội và phê duyệt Điều lệ (sửa đổi, bổ sung)\n\n"
                  "Hội Nữ doanh nhân tỉnh Bình Thuận\nKính gửi: Chủ tịch Ủy ban nhân dân tỉnh\n\n"
                  "Sở Nội vụ nhận được Văn bản số 01/BC-HNDN của Hội./.\n")
    assert h.subject == ("Thông báo kết quả đại hội và phê duyệt Điều lệ (sửa đổi, bổ sung) "
                         "Hội Nữ doanh nhân tỉnh Bình Thuận")
    assert h.recipients == ("Chủ tịch Ủy ban nhân dân tỉnh",)


def test_kinh_gui_cell_then_motto_cell_then_the_list():
    # a DOCX header table read cell by cell (lamdong-cv-xin-y-kien-ngoai-bo.docx)
    h = header_of("BỘ TÀI CHÍNH\nSố: /BTC-CST\nV/v dự thảo Thông tư\nKính gửi:\n\n"
                  "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày tháng năm 2025\n"
                  "- Các Bộ, cơ quan ngang Bộ;\n- Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.\n\n"
                  "Thực hiện ý kiến chỉ đạo, Bộ Tài chính dự thảo Thông tư./.\n")
    assert h.recipients == ("Các Bộ, cơ quan ngang Bộ", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương")
    assert (h.place, h.date, h.symbol) == ("Hà Nội", None, "BTC-CST")


def test_two_noi_nhan_entries_on_one_line():
    from pipeline.extract.header import parse_cc
    assert parse_cc("Nơi nhận:\n- V01, C04 - Bộ Công an; - Thường trực Tỉnh ủy;\n- Lưu: VT.") == [
        "V01, C04 - Bộ Công an", "Thường trực Tỉnh ủy", "Lưu: VT"]


def test_authority_prefix_above_noi_nhan_with_a_blank_line_between():
    # PDF reading order: "KT. GIÁM ĐỐC", blank, Nơi nhận, then the title and name
    h = header_of("UBND TỈNH LÂM ĐỒNG\nSỞ TƯ PHÁP\nSố: 1130/STP-BTTP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Lâm Đồng, ngày 17 tháng 10 năm 2025\nV/v ý kiến\n\nKính gửi: Sở Nội vụ\n\n"
                  "Sở Tư pháp có ý kiến như trên./.\n\nKT. GIÁM ĐỐC\n\nNơi nhận:\n- Như trên;\n- Lưu: VT, BTTP.\n\n"
                  "PHÓ GIÁM ĐỐC\nTrần Thanh Tài\n")
    assert (h.signer.authority, h.signer.title, h.signer.name) == ("KT.", "Phó Giám đốc", "Trần Thanh Tài")


def test_ocr_letters_in_the_number_slot_leave_the_symbol():
    assert parse_number("Số: II/TB-UBND") == (None, "TB-UBND", None)
    assert parse_number("Số: đ/KH-BCA-C04") == (None, "KH-BCA-C04", None)
    assert parse_number("Số 156-CV/TĐTN") == ("156", "CV/TĐTN", "156-CV/TĐTN")


def test_signer_title_and_name_survive_ocr_misreadings():
    s = parse_signer("KT. CỤC TRƯỞNG\nPHO CỤC TRƯỞNG\nNguyễn Văn Bình")
    assert (s.authority, s.title, s.name) == ("KT.", "Phó Cục trưởng", "Nguyễn Văn Bình")
    # a heading of the attached outline in capitals is no name
    s = parse_signer("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nĐỀ CƯƠNG")
    assert s.name is None


def test_a_date_in_a_citation_is_not_the_document_date():
    # lamdong-477.pdf: OCR spoilt the month of the date line; a later line "UBND, ngày 11/8/2025 …"
    # is part of a citation, not the place and date
    h = header_of("ỦY BAN MTTQ VIỆT NAM\nTỈNH LÂM ĐỒNG\nBAN THƯỜNG TRỰC\nSố: 477/MTTQ-BTT\nV/v đề nghị thống nhất\n\n"
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLâm Đồng, ngày 13 tháng 1] năm 2025\n\n"
                  "Kính gửi: Ủy ban nhân dân tỉnh Lâm Đồng\n\nCăn cứ Quyết định số 706/QĐ-\n"
                  "UBND, ngày 11/8/2025 của Ủy ban nhân dân tỉnh Lâm Đồng về việc cho phép./.\n")
    assert h.place == "Lâm Đồng" and h.date is None


def test_title_is_the_line_under_the_prefix_not_the_office_above_the_name():
    # a council's decision: "TM. HỘI ĐỒNG / CHỦ TỊCH / (ký) / GIÁM ĐỐC SỞ NỘI VỤ / name"
    s = parse_signer("TM. HỘI ĐỒNG\nCHỦ TỊCH\nGIÁM ĐỐC SỞ NỘI VỤ\nĐỗ Văn Chung")
    assert (s.authority, s.title, s.name) == ("TM.", "Chủ tịch", "Đỗ Văn Chung")


def test_issuer_named_at_the_end_of_the_subject_is_kept():
    from pipeline.extract.header import _drop_enacting_tail
    subj = "Quy định tiêu chí thuộc thẩm quyền của Bộ Tư pháp"
    assert _drop_enacting_tail(subj, "BỘ TƯ PHÁP") == subj


def test_scanned_invitation_with_ocr_damage():
    # lamdong-560-gm.pdf as OCR reads it: "ngàyD6", "Nơi" without "nhận:", a number read as "9 ÉØ"
    h = header_of("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐÒNG\nSố: 9 ÉØ/GM-UBND\n\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Lâm Đông, ngàyD6 tháng 1] năm 2025\nGIẤY MỜI\n\n"
                  "Ủy ban nhân dân tỉnh tổ chức buổi làm việc để nghe Sở Nội vụ báo cáo\n"
                  "đánh giá kết quả cải cách hành chính.\n\n1. Chủ trì: Đồng chí Phó Chủ tịch UBND tỉnh.\n\n"
                  "2. Thời gian: 08h00 ngày 07/11/2025./.\n"
                  "Nơi TL. CHỦ TỊCH\n- Như thành phần mời; KT. CHÁNH VĂN PHÒNG\n- Phòng HCQT; PHÓ CHÁNH VĂN PHÒNG\n"
                  "- Lưu: VT, HCC, NC.\n\nThạch Cảnh Minh Vũ\n")
    assert (h.type, h.number, h.symbol, h.code, h.date) == ("Giấy mời", None, "GM-UBND", None, None)
    assert h.place == "Lâm Đồng" and h.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert h.subject is None  # the invitation opens with its sentence: no trích yếu
    assert (h.signer.authority, h.signer.title, h.signer.name) == ("KT.", "Phó Chánh Văn phòng", "Thạch Cảnh Minh Vũ")
    assert h.cc == ("Như thành phần mời", "Phòng HCQT", "Lưu: VT, HCC, NC")


def test_ocr_kinh_gui_and_noise_between_addressees():
    # tw-464-ttg-signed.pdf: "Kính" lost, a stamp's "ĐẾN" between the two addressees
    h = header_of("THỦ TƯỚNG CHÍNH PHỦ\nSố: 464/TTg-CĐS\nV/v triển khai các Nghị quyết cắt giảm,\n"
                  "đơn giản hóa TTHC, ĐKKD\n— : gửi:\n- Bộ trưởng, Thủ trưởng cơ quan ngang Bộ;\nCá\nĐỀN 12n\n"
                  "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố.\nTriển khai Kết luận số 18-KL/TW./.\n")
    assert h.subject == "Triển khai các Nghị quyết cắt giảm, đơn giản hóa TTHC, ĐKKD"
    assert h.recipients == ("Bộ trưởng, Thủ trưởng cơ quan ngang Bộ", "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố")


def test_military_rank_is_not_part_of_the_name():
    s = parse_signer("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nThượng tướng Nguyễn Văn Long\n\nĐỀ CƯƠNG")
    assert (s.authority, s.title, s.name) == ("KT.", "Thứ trưởng", "Nguyễn Văn Long")


def test_ocr_specks_and_page_numbers_leave_the_cc_list():
    from pipeline.extract.header import parse_cc
    assert parse_cc("Nơi nhận:\n- Như trên; :\n- ⁄\n- Lưu: VT, KSTT (2). 442") == ["Như trên", "Lưu: VT, KSTT (2)"]


def test_subject_lines_each_set_apart_by_blank_lines_then_the_body():
    # quangngai-05-signed-…pdf: the PDF text layer puts a blank line between subject lines
    h = header_of("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 11 /TB-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Quảng Ngãi, ngày 08 tháng 01 năm 2025\nTHÔNG BÁO\n\n"
                  "Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp nghe\n\n"
                  "báo cáo về tình hình cổ phần hóa Công ty TNHH\n\n"
                  "MTV Đầu tư Quảng Ngãi trong\nthời gian qua và nhiệm vụ trọng tâm\n\n"
                  "Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh chủ trì họp nghe\nbáo cáo về tình hình.\n"
                  "Sau khi nghe báo cáo, Phó Chủ tịch kết luận như sau:\n")
    assert h.subject == ("Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp nghe báo cáo về tình hình cổ phần hóa "
                         "Công ty TNHH MTV Đầu tư Quảng Ngãi trong thời gian qua và nhiệm vụ trọng tâm")


def test_first_body_paragraph_is_not_taken_for_the_subject():
    h = header_of("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12 /TB-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Quảng Ngãi, ngày 08 tháng 01 năm 2025\nTHÔNG BÁO\n\nKết luận của Phó Chủ tịch UBND tỉnh\n\n"
                  "Sáng nay, Phó Chủ tịch chủ trì họp\nvới các sở.\n\n1. Sở Tài chính rà soát./.\n")
    assert h.subject == "Kết luận của Phó Chủ tịch UBND tỉnh"


def test_title_read_without_tone_marks():
    # quangngai-575-ub-signed-…pdf as OCR reads it
    s = parse_signer("TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHO CHANH VAN PHONG\nHà Thị Lê Vân")
    assert (s.authority, s.title, s.name) == ("KT.", "Phó Chánh Văn phòng", "Hà Thị Lê Vân")
    s = parse_signer("KT. BỘ TRƯỞNG\nTHỨ TRƯƠNG\nThượng tướng Nguyễn Văn Long")
    assert (s.title, s.name) == ("Thứ trưởng", "Nguyễn Văn Long")


def test_digits_of_the_month_set_apart_by_the_text_layer():
    from pipeline.extract.dates import parse_place_date
    assert parse_place_date("Lâm Đồng, ngày 29 tháng 1 2 năm 2025").date == "2025-12-29"
    assert parse_place_date("Hà Nội, ngày 1 5 tháng 3 năm 2024").date == "2024-03-15"
    assert parse_place_date("Hà Nội, ngày 23 tháng 4 5 năm 2024").date is None
