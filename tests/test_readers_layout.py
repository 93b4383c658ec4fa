"""The PDF layout (pipeline/readers/pdf.py) on hand-made segments: columns, marks, footnotes."""
from __future__ import annotations

from pipeline.readers.pdf import Seg, _rejoin_symbols, layout_page

W, H = 595.0, 842.0


def seg(x0: float, top: float, text: str, size: float = 15.0, width: float | None = None) -> Seg:
    return Seg(x0, top, x0 + (width if width is not None else 0.45 * size * len(text)), top + size, text, size)


def test_header_columns_read_left_block_then_right_block() -> None:
    segs = [seg(110, 60, "UBND TỈNH LÂM ĐỒNG", width=150), seg(300, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", width=250),
            seg(130, 76, "SỞ NỘI VỤ", width=80), seg(350, 76, "Độc lập - Tự do - Hạnh phúc", width=170),
            seg(110, 100, "Số: 12/SNV-TCBC", width=120), seg(330, 100, "Lâm Đồng, ngày 1 tháng 4 năm 2026", width=220),
            seg(90, 118, "V/v cho ý kiến", width=120),
            seg(85, 160, "Kính gửi: Sở Tư pháp", width=160),
            seg(85, 190, "Sở Nội vụ nhận được Công văn số 880/STP-BTTP ngày 30/3/2026 của Sở Tư pháp", width=460)]
    lines = [ln for ln in layout_page(segs, W, H, 1, True, set()).lines if ln]
    assert lines[:7] == ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ", "Số: 12/SNV-TCBC", "V/v cho ý kiến",
                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Lâm Đồng, ngày 1 tháng 4 năm 2026"]
    assert lines[7].startswith("Kính gửi")


def test_cc_and_signature_side_by_side_are_separated() -> None:
    segs = [seg(85, 300, "Nơi nhận:", 12, 60), seg(380, 300, "KT. GIÁM ĐỐC", 14, 110),
            seg(85, 315, "- Như trên;", 11, 60), seg(380, 316, "PHÓ GIÁM ĐỐC", 14, 110),
            seg(85, 328, "- Lưu: VT.", 11, 60), seg(385, 380, "Nguyễn Văn A", 14, 100)]
    lines = [ln for ln in layout_page(segs, W, H, 2, True, set()).lines if ln]
    assert lines == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]


def test_page_number_dropped_and_footnote_moved_out() -> None:
    segs = [seg(290, 40, "2", 13, 8),
            seg(85, 100, "đảm bảo nội dung và thời gian quy định", width=300), seg(386, 98, "1", 8, 4),
            seg(391, 100, ".", width=3),
            seg(85, 700, "1", 8, 4), seg(92, 702, "Kết luận của Ban Chỉ đạo tại Thông báo số 53/TB-VPCP.", 10, 300)]
    page = layout_page(segs, W, H, 2, False, set())
    assert [ln for ln in page.lines if ln] == ["đảm bảo nội dung và thời gian quy định."]
    assert [(f.mark, f.text) for f in page.footnotes] == [("1", "Kết luận của Ban Chỉ đạo tại Thông báo số 53/TB-VPCP.")]


def test_symbol_cut_at_its_hyphen_is_rejoined() -> None:
    assert _rejoin_symbols(["theo Quyết định số 2764/QĐ-", "TTg ngày 31/12/2024"]) == [
        "theo Quyết định số 2764/QĐ-TTg", "ngày 31/12/2024"]
    assert _rejoin_symbols(["Công văn 1676/SNV-", "", "TCBC nêu trên"]) == ["Công văn 1676/SNV-TCBC", "nêu trên"]
    # a dash that ends a line of prose is left alone
    assert _rejoin_symbols(["Độc lập - Tự do -", "Hạnh phúc"]) == ["Độc lập - Tự do -", "Hạnh phúc"]
