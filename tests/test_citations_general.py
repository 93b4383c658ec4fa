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
