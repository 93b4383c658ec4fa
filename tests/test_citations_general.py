"""Citation forms met on corpus letters nobody tuned for (the generality pass): one short snippet
per form, so that each fix stays fixed. Snippets are trimmed from the corpus file named."""
from __future__ import annotations

from pipeline.extract.citations import Context, extract_citations, issuer_from_symbol
from pipeline.models import Citation, Header, Segments


def cite(text: str, header: Header | None = None) -> dict[str, Citation]:
    return {c.code: c for c in extract_citations(Segments(text=text, body=text), header or Header())}


def test_party_code_with_a_space_after_its_hyphen() -> None:
    # lamdong-to-trinh-sap-nhap-doan-ls.txt (a footnote)
    cs = cite("1 Hướng dẫn số 31- HD/BTCTW ngày 23/4/2025 của Ban Tổ chức Trung ương")
    assert set(cs) == {"31-HD/BTCTW"}
    assert cs["31-HD/BTCTW"].date == "2025-04-23" and cs["31-HD/BTCTW"].type == "Hướng dẫn"


def test_party_code_cut_after_its_hyphen_by_a_line_break() -> None:
    # lamdong-329-bao-cao-cchc-nam-2025.txt
    cs = cite("triển khai Nghị quyết số 140/NQ-CP và Chương trình hành động số 06-\nCTr/TU, ngày 29/8/2025 "
              "của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số\n66-NQ/TW; theo Nghị quyết số 19-\nNQ/TW, ngày 25/10/2017")
    assert {"06-CTr/TU", "66-NQ/TW", "19-NQ/TW"} <= set(cs)
    assert cs["06-CTr/TU"].date == "2025-08-29" and cs["19-NQ/TW"].date == "2017-10-25"


def test_a_range_with_spaced_dash_is_no_party_code() -> None:
    assert cite("1 - Mức trợ cấp hằng tháng; giai đoạn 2021 - 2025/ kế hoạch") == {}


def test_symbol_cut_in_a_table_row_laid_out_as_text() -> None:
    # lamdong-329-bao-cao-cchc-nam-2025.txt: the cell "Nghị quyết 19/NQ-HĐND ngày 28/8/2025" wrapped,
    # the next line holding the other cells of the row first
    text = ("Nghị quyết 19/NQ-\n2.1.  Tổng số biên chế được giao trong năm       Người          9.976     HĐND ngày\n"
            "28/8/2025\n")
    assert set(cite(text)) == {"19/NQ-HĐND"}
    # the PDF's text layer of the same table: cells one space apart, the part followed by its date
    text = "Nghị quyết 19/NQ-\n2.1. Tổng số biên chế được giao trong năm Người 9.976 HĐND ngày\n\n28/8/2025\n"
    assert set(cite(text)) == {"19/NQ-HĐND"}
    assert set(cite("theo Quyết định số 12/QĐ-\nNgười lao động UBND sẽ")) == {"12/QĐ"}


def test_a_dangling_hyphen_in_plain_text_takes_no_word_of_the_next_line() -> None:
    assert set(cite("theo Quyết định số 12/QĐ-\nUBND ngày 01/02/2025")) == {"12/QĐ-UBND"}
    assert "12/QĐ-Người" not in cite("Quyết định số 12/QĐ-\nNgười lao động   Người")


def test_ocr_misreadings_of_symbols() -> None:
    # lamdong-1-4214-signed.pdf, lamdong-1-589-signed.pdf, lamdong-477.pdf (scans read by Tesseract)
    cs = cite("Nghị quyết số 163/2024/QHI5 ngày 27/11/2024 của Quốc hội; Nghị quyết số 163/2024/QHI15; "
              "Quyết định số 7619/QĐĐ-BCA ngày 08/9/2025 của Bộ trưởng Bộ Công an")
    assert set(cs) == {"163/2024/QH15", "7619/QĐ-BCA"}
    assert cs["163/2024/QH15"].mentions == 2 and cs["163/2024/QH15"].date == "2024-11-27"


def test_a_symbol_of_the_letters_own_body_is_issued_by_it() -> None:
    # lamdong-ttxt-05-11-bc-tinh-hinh-trien-khai-cai-thien-moi-t.txt: a centre cites its own letters
    ctx = Context(own_code="644/TTXT-ĐTDN", issuer="Trung tâm Xúc tiến đầu tư thương mại và Du lịch")
    assert issuer_from_symbol("KH-TTXT", ctx)[0] == ctx.issuer
    assert issuer_from_symbol("TTXT-ĐTDN", ctx) == (ctx.issuer, "iss.own_body")
    assert issuer_from_symbol("KH-HHDN", ctx) == (None, None)
    h = Header(code="644/TTXT-ĐTDN", issuer="Trung tâm Xúc tiến đầu tư thương mại và Du lịch")
    cs = cite("Trung tâm đã ban hành Kế hoạch số 173/KH-TTXT ngày 05/11/2025", h)
    assert cs["173/KH-TTXT"].issuer == h.issuer


def test_spaces_around_the_slash_and_the_hyphen() -> None:
    # "Quyết định số 779  /QĐ-UBND" (lamdong-779qdubdlquy-khuyen-hoc…, two spaces left for the
    # number of a signed copy), "1187 / QĐ-BNV", "12/KH - UBND"
    cs = cite("theo Quyết định số 779  /QĐ-UBND ngày 23/5/2025; Quyết định số 1187 / QĐ-BNV ngày "
              "15/10/2025; Kế hoạch số 12/KH - UBND ngày 01/02/2025")
    assert set(cs) == {"779/QĐ-UBND", "1187/QĐ-BNV", "12/KH-UBND"}
    assert cs["12/KH-UBND"].date == "2025-02-01"


def test_a_verb_right_after_a_citation_describes_that_citation() -> None:
    # lamdong-329-bao-cao-cchc-nam-2025.txt: a report lists plans and what each carries out
    cs = cite("UBND tỉnh đã ban hành: Kế hoạch số 677/KH-UBND ngày 25/02/2025 của UBND tỉnh thực hiện "
              "Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ; Kế hoạch số 3686/KH-UBND ngày 18/9/2025.")
    assert cs["03/NQ-CP"].relation == "refers" and cs["3686/KH-UBND"].relation == "refers"
    # after a comma the verb opens this letter's own clause
    cs = cite("Căn cứ Công văn số 12/UBND-VX ngày 01/02/2025 của UBND tỉnh, thực hiện Kế hoạch số "
              "34/KH-UBND ngày 03/02/2025")
    assert cs["34/KH-UBND"].relation == "implements"


def test_a_document_the_body_has_issued_is_only_referred_to() -> None:
    # lamdong-329…: "căn cứ vào tình hình thực tế …, Tỉnh ủy Lâm Đồng đã ban hành Quyết định 441-QĐ/TU"
    cs = cite("Thực hiện chỉ đạo của Trung ương, căn cứ vào tình hình thực tế của địa phương, Tỉnh ủy Lâm Đồng "
              "đã ban hành Quyết định 441-QĐ/TU ngày 24/9/2025")
    assert cs["441-QĐ/TU"].relation == "refers"


def test_an_unknown_symbol_shares_the_issuer_named_for_its_body() -> None:
    # lamdong-to-trinh-sap-nhap-doan-ls.txt
    cs = cite("theo Tờ trình số 34/TTr-ĐLS ngày 24/3/2026 của Đoàn Luật sư tỉnh Lâm Đồng. Trước đó, "
              "Tờ trình số 220/TTr-ĐLS ngày 03/10/2025 đã nêu")
    assert cs["220/TTr-ĐLS"].issuer == "Đoàn Luật sư tỉnh Lâm Đồng"
    assert cs["220/TTr-ĐLS"].rule_id.endswith("+iss.same_body")


def test_scan_misreadings_of_quoc_hoi_terms_and_of_chinh_phu() -> None:
    # tw-1776153109-2191-ct-cs.pdf (read by OCR): "67/2025/QHIS", "của Chính phú"
    cs = cite("Luật số 67/2025/QHIS; Nghị định số 268/2025/NĐ-CP ngày 14/10/2025 của Chính phú quy định")
    assert set(cs) == {"67/2025/QH15", "268/2025/NĐ-CP"}
    assert cs["268/2025/NĐ-CP"].issuer == "Chính phủ"


def test_a_list_item_with_a_bare_symbol_is_a_cong_van() -> None:
    # quangngai-575-ub-signed…pdf: "Công văn" lost before "số 1187/BTC-ĐT" at the end of a list of decrees
    cs = cite("tại Nghị định số 103/2024/NĐ-CP ngày 30/7/2024 và Nghị định số 104/2024/NĐ-CP ngày 31/7/2024 "
              "của Chính phủ; số 1187/BTC-ĐT ngày 24/01/2025 về việc xin ý kiến")
    assert cs["104/2024/NĐ-CP"].type == "Nghị định" and cs["1187/BTC-ĐT"].type == "Công văn"
    # a year or a Quốc hội term keeps the list's type
    cs = cite("các Nghị quyết số 202/2025/QH15, số 203/2025/QH15 của Quốc hội")
    assert {c.type for c in cs.values()} == {"Nghị quyết"}


def test_new_heads_and_central_bodies() -> None:
    cs = cite("Căn cứ Văn bản hợp nhất số 01/VBHN-BNV ngày 05/01/2024; Nghị quyết liên tịch số "
              "01/2016/NQLT-CP-UBTƯMTTQVN; Hướng dẫn số 25-HD/BTGDVTW; Công văn 4530/NHCS-TDNN")
    assert cs["01/VBHN-BNV"].type == "Văn bản hợp nhất" and cs["01/VBHN-BNV"].issuer == "Bộ Nội vụ"
    assert cs["01/2016/NQLT-CP-UBTƯMTTQVN"].type == "Nghị quyết liên tịch"
    assert cs["25-HD/BTGDVTW"].issuer == "Ban Tuyên giáo và Dân vận Trung ương"
    assert cs["4530/NHCS-TDNN"].issuer == "Ngân hàng Chính sách xã hội"


def test_a_body_name_ends_with_its_place() -> None:
    # tw-1776153109-2191-ct-cs.pdf: "… ngày 15/12/2025 của Thuế tỉnh Ninh Bình vướng mắc về việc …"
    cs = cite("Cục Thuế nhận được Công văn số 5770/NBI-QLDN2 ngày 15/12/2025 của\nThuế tỉnh Ninh Bình vướng mắc "
              "về việc xác định thời gian ưu đãi thuế")
    assert cs["5770/NBI-QLDN2"].issuer_text == "Thuế tỉnh Ninh Bình"
    assert cs["5770/NBI-QLDN2"].relation == "responds"


def test_a_letter_header_inside_the_text_is_no_citation() -> None:
    # a file holding a second letter, or a letter enclosed in a report: its "Số: …" opens a line
    text = ("Thực hiện Công văn số 12/UBND-VX ngày 01/02/2025.\n\nUBND TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ\n"
            "Số: 45/QĐ-SNV          Lâm Đồng, ngày 01 tháng 02 năm 2025\nQUYẾT ĐỊNH\n|Số: 46/KH-SNV  |")
    assert set(cite(text)) == {"12/UBND-VX"}
    assert set(cite("theo Văn bản số: 47/SNV-VP ngày 01/02/2025")) == {"47/SNV-VP"}


def test_a_decree_cited_without_its_year_is_the_same_decree() -> None:
    cs = cite("Căn cứ Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ; theo quy định tại "
              "Nghị định số 126/NĐ-CP. Quyết định số 12/QĐ-UBND; Quyết định số 12/2024/QĐ-UBND")
    assert set(cs) == {"126/2024/NĐ-CP", "12/QĐ-UBND", "12/2024/QĐ-UBND"}   # decisions: two kinds
    assert cs["126/2024/NĐ-CP"].mentions == 2
    assert [sp.start for sp in cs["126/2024/NĐ-CP"].spans] == sorted(sp.start for sp in cs["126/2024/NĐ-CP"].spans)


def test_a_body_named_by_its_kind_only_is_read_from_the_symbol() -> None:
    h = Header(code="12/UBND-VX", issuer="Ủy ban nhân dân huyện Sơn Tây", parent_body="Ủy ban nhân dân tỉnh Quảng Ngãi")
    cs = cite("Công văn số 77/UBND-VX ngày 01/02/2025 của Ủy ban nhân dân, đề nghị", h)
    assert cs["77/UBND-VX"].issuer == "Ủy ban nhân dân huyện Sơn Tây"


def test_acting_on_the_addressees_request_answers_it() -> None:
    # lamdong-stc.txt, lamdong-ubnd-co-y-kien-doi-voi-dieu-le-hoi.txt
    h = Header(code="464/STC-VP", issuer="Sở Tài chính", parent_body="Ủy ban nhân dân tỉnh Lâm Đồng",
               recipients=("Sở Nội vụ tỉnh Lâm Đồng",))
    cs = cite("Kính gửi: Sở Nội vụ tỉnh Lâm Đồng\nTheo đề nghị của Sở Nội vụ tại Công văn số 215/SNV-CCHC&VTLT "
              "ngày 14/01/2026, Sở Tài chính có ý kiến như sau", h)
    assert cs["215/SNV-CCHC&VTLT"].relation == "responds"
    h2 = Header(code="464/STC-VP", issuer="Sở Tài chính", parent_body="Ủy ban nhân dân tỉnh Lâm Đồng",
                recipients=("Ủy ban nhân dân tỉnh",))
    cs = cite("Theo đề nghị của Sở Nội vụ tại Công văn số 215/SNV-CCHC&VTLT ngày 14/01/2026", h2)
    assert cs["215/SNV-CCHC&VTLT"].relation == "per"


def test_more_opening_cues() -> None:
    assert cite("Trên cơ sở Công văn số 12/UBND-VX ngày 01/02/2025")["12/UBND-VX"].relation == "based_on"
    assert cite("Trên cơ sở đề nghị của Sở Nội vụ tại Tờ trình số 12/TTr-SNV")["12/TTr-SNV"].relation == "per"
    assert cite("Tiếp theo Công văn số 12/SNV-VP ngày 01/02/2025, Sở Nội vụ báo cáo bổ sung")["12/SNV-VP"].relation \
        == "continues"
    assert cite("Hưởng ứng Kế hoạch số 12/KH-UBND ngày 01/02/2025")["12/KH-UBND"].relation == "implements"
