"""Readers on real documents: the seed's PDF and DOCX, e-signed PDFs, the corpus, bad input."""
from __future__ import annotations

import collections
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, SHARED

from pipeline.errors import EmptyDocument, MissingTool, ReadError, TooLarge
from pipeline.readers import Limits, read_document, sniff_format

NO_OCR = Limits(ocr=False)
SEED = REPO / "corpus" / "583-UBND-son-tay-2024"
HAS_SOFFICE = shutil.which("soffice") is not None
HAS_TESSERACT = shutil.which("tesseract") is not None


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def corpus_files(*exts: str) -> list[str]:
    d = SHARED / "corpus"
    return sorted(p.name for p in d.iterdir() if p.suffix.lower() in exts) if d.is_dir() else []


# --- the seed letter as DOCX and PDF (tools/make_seed_docs.py) --------------------------------


@pytest.mark.parametrize("ext", [".pdf", ".docx"])
def test_seed_body_reads_unbroken_and_footnotes_apart(ext: str) -> None:
    raw = read_document(SEED.with_suffix(ext))
    text = fold(raw.text)
    # paragraph 3.b, cut by a page break and footnote 2 in the PDF, reads on
    assert "trong đội ngũ cán bộ, công chức, viên chức của tỉnh Quảng Ngãi nhằm phát hiện" in text
    assert [f.mark for f in raw.footnotes] == ["1", "2"]
    assert raw.footnotes[0].text.startswith("Kết luận chỉ đạo của Ban Chỉ đạo CCHC")
    assert raw.footnotes[1].text.startswith("Cụ thể:")
    assert "Lĩnh vực Cải cách tài chính công" in raw.footnotes[1].text
    # no footnote text or mark left in the body
    assert "Kết luận chỉ đạo của Ban Chỉ đạo" not in text
    assert "thời gian quy định." in text and "bị trừ điểm của huyện" in text


@pytest.mark.parametrize("ext", [".pdf", ".docx"])
def test_seed_header_columns_are_blocks_not_interleaved(ext: str) -> None:
    lines = [ln for ln in read_document(SEED.with_suffix(ext)).text.splitlines() if ln.strip()]
    i = {key: next(k for k, ln in enumerate(lines) if ln.startswith(key))
         for key in ("ỦY BAN NHÂN DÂN", "HUYỆN SƠN TÂY", "Số: 583", "V/v", "CỘNG HÒA", "Sơn Tây, ngày",
                     "Nơi nhận", "- Lưu", "CHỦ TỊCH", "Nguyễn Ngọc Trân")}
    assert i["ỦY BAN NHÂN DÂN"] < i["HUYỆN SƠN TÂY"] < i["Số: 583"] < i["V/v"] < i["CỘNG HÒA"] < i["Sơn Tây, ngày"]
    assert i["Nơi nhận"] < i["- Lưu"] < i["CHỦ TỊCH"] < i["Nguyễn Ngọc Trân"]


def test_seed_docx_renders_numbering_and_tables_in_order() -> None:
    text = read_document(SEED.with_suffix(".docx")).text
    assert text.index("Kính gửi") < text.index("1. Thực hiện nhiệm vụ CCHC năm 2024") < text.index("b) Phòng Nội vụ")


# --- e-signed PDFs: number and day stamped in the signature widget ----------------------------

SIGNED = [
    ("lamdong-cong-van-so-11902-cua-bnv.pdf", {"number": "11902", "day": "11"},
     r"Số: 11902 /BNV-TCPCP", r"Hà Nội, ngày 11 tháng 12 năm 2025"),
    ("quangngai-05-signed-20250517-044750.pdf", {"number": "11", "day": "08"},
     r"Số: 11 /TB-UBND", r"Quảng Ngãi, ngày 08 tháng 01 năm 2025"),
    ("lamdong-stc.pdf", {"number": "464", "day": "15"}, r"Số: 464 /STC-VP", r"ngày 15 tháng 01 năm 2026"),
    ("lamdong-10-y-kien-cua-snv-doi-voi-de-an-dai-hoi.pdf", {"number": "1578", "day": "01", "month": "4"},
     r"Số: 1578 /SNV-TCBC", r"Lâm Đồng, ngày 01 tháng 4 năm 2026"),
]


@pytest.mark.parametrize("name,stamped,number_line,date_line", SIGNED)
def test_esigned_values_are_put_in_place(shared_dir: Path, name: str, stamped: dict[str, str],
                                         number_line: str, date_line: str) -> None:
    raw = read_document(shared_dir / "corpus" / name, NO_OCR)
    assert raw.stamped == stamped
    assert number_line in raw.text and date_line in raw.text
    # the signature box's own text (signer, e-mail, time) is a stamp block, not the letter's text
    assert "@" not in raw.text


def test_bnv_signature_is_not_in_the_cc_list(shared_dir: Path) -> None:
    lines = read_document(shared_dir / "corpus" / "lamdong-cong-van-so-11902-cua-bnv.pdf", NO_OCR).text.splitlines()
    cc = lines[lines.index("Nơi nhận:"): lines.index("- Lưu: VT, TCPCP, PTG, NTQN.") + 1]
    assert not any("BỘ TRƯỞNG" in ln or "Vũ Chiến Thắng" == ln for ln in cc)
    assert lines.index("KT. BỘ TRƯỞNG") > lines.index("- Lưu: VT, TCPCP, PTG, NTQN.")


# --- every original in the corpus reads, or fails with a ReadError naming the problem -------


@pytest.mark.parametrize("name", corpus_files(".pdf", ".docx"))
def test_corpus_original_reads(shared_dir: Path, name: str) -> None:
    try:
        raw = read_document(shared_dir / "corpus" / name, NO_OCR)
    except ReadError as e:
        assert e.message and str(shared_dir) in str(e)
        return
    assert raw.text.strip()
    assert unicodedata.is_normalized("NFC", raw.text)


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (libreoffice-writer-nogui) not installed")
@pytest.mark.parametrize("name", corpus_files(".doc"))
def test_corpus_doc_reads(shared_dir: Path, name: str) -> None:
    raw = read_document(shared_dir / "corpus" / name, NO_OCR)
    assert raw.format == "doc" and raw.text.strip()


def _bag_f1(a: str, b: str) -> float:
    ca = collections.Counter(re.findall(r"\w+", fold(a).lower()))
    cb = collections.Counter(re.findall(r"\w+", fold(b).lower()))
    inter = sum((ca & cb).values())
    return 2 * inter / max(1, sum(ca.values()) + sum(cb.values()))


@pytest.mark.parametrize("name", [n for n in corpus_files(".pdf", ".docx")
                                  if (SHARED / "corpus" / n).with_suffix(".txt").exists()])
def test_text_layer_matches_its_txt_twin(shared_dir: Path, name: str) -> None:
    """The words read from an original are the words of its careful .txt twin (bag of words)."""
    src = shared_dir / "corpus" / name
    raw = read_document(src, NO_OCR)
    if any("OCR" in w for w in raw.warnings):
        pytest.skip("scan or garbage text layer: OCR territory")
    twin = src.with_suffix(".txt").read_text(encoding="utf-8")
    body = raw.text + "\n" + "\n".join(f.text for f in raw.footnotes)
    assert _bag_f1(body, twin) >= 0.95


# --- scans and images --------------------------------------------------------------------------


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_scanned_pdf_is_ocrd_with_confidence(shared_dir: Path) -> None:
    raw = read_document(shared_dir / "corpus" / "quangngai-575-ub-signed-20250510-124908.pdf",
                        Limits(ocr_max_pages=1))
    assert raw.ocr and raw.ocr_confidence is not None and raw.ocr_confidence > 50
    assert "ỦY BAN NHÂN DÂN" in raw.text and "Kính gửi" in raw.text
    lines = raw.text.splitlines()
    # header columns as blocks, as for a text layer
    assert lines.index("TỈNH QUẢNG NGÃI") < next(k for k, ln in enumerate(lines) if ln.startswith("CỘNG HÒA"))
    assert raw.ocr_words and all(0 <= c <= 100 or c == -1 for _, c in raw.ocr_words)


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_image_is_ocrd(shared_dir: Path) -> None:
    raw = read_document(shared_dir / "corpus" / "quangngai-crop-so-ky-hieu.png")
    assert raw.format == "image" and raw.ocr
    assert "/CT-UBND" in raw.text


def test_missing_tesseract_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pipeline.readers import ocr

    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    png = tmp_path / "a.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(MissingTool, match="tesseract-ocr-vie"):
        read_document(png)


def test_missing_soffice_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pipeline.readers import doc

    monkeypatch.setattr(doc.shutil, "which", lambda name: None)
    f = tmp_path / "a.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(MissingTool, match="libreoffice-writer-nogui"):
        read_document(f)


# --- bad input -----------------------------------------------------------------------------------


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    f = tmp_path / "letter.txt"
    f.write_bytes(SEED.with_suffix(".pdf").read_bytes())
    assert sniff_format(f.read_bytes()[:8], ".txt") == "pdf"
    raw = read_document(f)
    assert raw.format == "pdf" and "HUYỆN SƠN TÂY" in raw.text


def test_docx_named_pdf_is_read_as_docx(tmp_path: Path) -> None:
    f = tmp_path / "letter.pdf"
    f.write_bytes(SEED.with_suffix(".docx").read_bytes())
    assert read_document(f).format == "docx"


def test_too_many_pages(tmp_path: Path) -> None:
    with pytest.raises(TooLarge, match="trang"):
        read_document(SEED.with_suffix(".pdf"), Limits(max_pages=2))


def test_docx_unpacking_too_big() -> None:
    with pytest.raises(TooLarge, match="giải nén"):
        read_document(SEED.with_suffix(".docx"), Limits(max_unpacked=10_000))


def encrypt_pdf(data: bytes) -> bytes:
    """The PDF with an incremental update adding a Standard security handler (a password nobody
    knows): enough for a reader to meet an encrypted file."""
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    obj = (b"%d 0 obj\n<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <" % size + b"11" * 32
           + b"> /U <" + b"22" * 32 + b"> >>\nendobj\n")
    off = len(data)
    xref = b"xref\n%d 1\n%010d 00000 n \n" % (size, off)
    trailer = (b"trailer\n<< /Size %d /Root %s /Encrypt %d 0 R /Prev %d /ID [<00><00>] >>\nstartxref\n%d\n%%%%EOF\n"
               % (size + 1, root, size, startxref, off + len(obj)))
    return data + obj + xref + trailer


def test_encrypted_pdf(tmp_path: Path) -> None:
    f = tmp_path / "locked.pdf"
    f.write_bytes(encrypt_pdf(SEED.with_suffix(".pdf").read_bytes()))
    with pytest.raises(ReadError, match="mã hóa"):
        read_document(f)


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    import zipfile

    f = tmp_path / "x.docx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("hello.txt", "xin chào")
    with pytest.raises(ReadError, match="không phải DOCX"):
        read_document(f)


def test_empty_pdf_text_without_ocr_says_scan(shared_dir: Path) -> None:
    with pytest.raises(EmptyDocument, match="bản quét"):
        read_document(shared_dir / "corpus" / "tw-464-ttg-signed.pdf", NO_OCR)


def test_real_footnote_in_a_corpus_pdf(shared_dir: Path) -> None:
    raw = read_document(shared_dir / "corpus" / "lamdong-ttr-bc-cchc-quy-i-nam-2026.pdf", NO_OCR)
    assert [(f.mark, f.text) for f in raw.footnotes] == [
        ("1", "Gồm: Sở Khoa học và Công nghệ, Sở Tài chính, Sở Nội vụ, Sở Tư pháp và Văn phòng UBND tỉnh.")]
    assert "của tỉnh tổng hợp và kết quả" in fold(raw.text)
    assert "Gồm: Sở Khoa học" not in raw.text


def test_many_footnotes_and_table_rows_that_are_not(shared_dir: Path) -> None:
    """lamdong-329: 17 footnotes on 35 pages, and tables whose small rows start "2.1. Số…"."""
    raw = read_document(shared_dir / "corpus" / "lamdong-329-bao-cao-cchc-nam-2025.pdf", NO_OCR)
    marks = [f.mark for f in raw.footnotes]
    assert marks == [str(k) for k in range(1, 18)]
    assert raw.footnotes[0].text.startswith("Thường trực Tỉnh ủy và Ủy ban nhân dân tỉnh đã thành lập")
    # note 13 opens with a number; its raised mark, referenced in the body, says it is a note
    notes = {f.mark: f.text for f in raw.footnotes}
    assert notes["13"].startswith("08 chi cục thuộc Sở Nông nghiệp và Môi trường")
    assert "08 chi cục" not in notes["12"]
    assert not any(f.text[:1] in ".%" or (f.text[:1].isdigit() and f.mark != "13") for f in raw.footnotes)


def test_docx_list_numbering_is_rendered(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Thực hiện nhiệm vụ CCHC năm 2024", style="List Number")
    d.add_paragraph("Khắc phục những hạn chế", style="List Number")
    d.add_paragraph("Như trên;", style="List Bullet")
    f = tmp_path / "list.docx"
    d.save(str(f))
    assert read_document(f).text.splitlines() == [
        "1. Thực hiện nhiệm vụ CCHC năm 2024", "2. Khắc phục những hạn chế", "- Như trên;"]


def test_numbering_formats() -> None:
    from pipeline.readers.docx import Numbering

    num = Numbering(levels={"7": {0: (1, "decimal", "%1."), 1: (1, "lowerLetter", "%2)"),
                                  2: (1, "upperRoman", "%3.")}})
    labels = [num.label("7", lvl) for lvl in (0, 1, 1, 0, 1, 2)]
    assert labels == ["1.", "a)", "b)", "2.", "a)", "I."]


def test_docx_text_box_and_table_cells_are_read(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Kính gửi: Sở Nội vụ")
    t = d.add_table(rows=2, cols=3)
    for r, row in enumerate(t.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"ô {r}{c}"
    f = tmp_path / "table.docx"
    d.save(str(f))
    lines = [ln for ln in read_document(f).text.splitlines() if ln]
    assert lines == ["Kính gửi: Sở Nội vụ", "ô 00", "ô 01", "ô 02", "ô 10", "ô 11", "ô 12"]


def test_docx_text_box_is_read_once(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    p = d.add_paragraph("Trước hộp.")
    box = ('<w:p><w:r><w:t>Nội dung trong hộp</w:t></w:r></w:p>')
    p._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
        f'<w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{box}</w:txbxContent>'
        '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    d.add_paragraph("Sau hộp.")
    f = tmp_path / "box.docx"
    d.save(str(f))
    assert [ln for ln in read_document(f).text.splitlines() if ln] == [
        "Trước hộp.", "Nội dung trong hộp", "Sau hộp."]


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (libreoffice-writer-nogui) not installed")
def test_rtf_is_converted(tmp_path: Path) -> None:
    f = tmp_path / "letter.rtf"
    f.write_bytes(rb"{\rtf1\ansi\ansicpg1258{\fonttbl{\f0 Times New Roman;}}\f0 K\u237?nh g\u7917?i: S\u7903? N\u7897?i v\u7909?\par}")
    raw = read_document(f)
    assert raw.format == "rtf" and "Kính gửi: Sở Nội vụ" in raw.text


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_handwritten_number_in_a_scan_is_not_vouched_for(shared_dir: Path) -> None:
    """lamdong-560-gm.pdf: the number 560 and the day 06 are handwritten; the slot passes agree
    on "560" (readers/ocr_slots.py), not on "06": the day leaves the text and is marked."""
    raw = read_document(shared_dir / "corpus" / "lamdong-560-gm.pdf", Limits(ocr_max_pages=1))
    so_line = next(ln for ln in raw.text.splitlines() if ln.startswith("Số"))
    digits = [w for w in so_line.split() if any(c.isdigit() for c in w)]
    assert all(w == "560/GM-UBND" or w in raw.low_confidence_words for w in digits)
    date_line = next(ln for ln in raw.text.splitlines() if "ngày" in ln)
    assert "06" not in date_line


def test_encrypted_docx_is_named(tmp_path: Path) -> None:
    f = tmp_path / "locked.docx"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024 + "EncryptedPackage".encode("utf-16-le")
                  + b"\0" * 1024)
    with pytest.raises(ReadError, match="mã hóa"):
        read_document(f)


def test_docx_blocks_name_header_and_signature() -> None:
    raw = read_document(SEED.with_suffix(".docx"))
    roles = {b.role: b.text for b in raw.blocks}
    assert roles["header_left"].startswith("ỦY BAN NHÂN DÂN") and "Số: 583" in roles["header_left"]
    assert roles["header_right"].startswith("CỘNG HÒA")
    assert roles["cc"].startswith("Nơi nhận") and roles["signature"].endswith("Nguyễn Ngọc Trân")


def test_pdf_blocks_name_the_parts(shared_dir: Path) -> None:
    raw = read_document(shared_dir / "corpus" / "quangngai-05-signed-20250517-044750.pdf", NO_OCR)
    roles: dict[str, list[str]] = {}
    for b in raw.blocks:
        roles.setdefault(b.role, []).append(b.text)
    assert roles["header_left"][0].startswith("ỦY BAN NHÂN DÂN")
    assert roles["header_right"][0].startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert any("ttcbth@quangngai.gov.vn" in t for t in roles["stamp"])    # the e-signature box
    assert roles["cc"][0].startswith("Nơi nhận")


def test_word_gap_in_a_font_with_overlapping_boxes(shared_dir: Path) -> None:
    """lamdong-s-van-ban-dat-tru-so.pdf draws "Tự do" without a space, its letters' boxes
    overlapping by ~0.1 x height: the gap is measured from the run's own letter spacing."""
    raw = read_document(shared_dir / "corpus" / "lamdong-s-van-ban-dat-tru-so.pdf", NO_OCR)
    assert "Độc lập – Tự do – Hạnh phúc" in raw.text and "Tựdo" not in raw.text


# --- speed work that must not change reading (issue 15) -------------------------------------


@pytest.mark.parametrize("name, holds_text", [
    ("lamdong-cv-1925-signed-signed.pdf", False),          # the signature widget is a picture only
    ("lamdong-cong-van-so-11902-cua-bnv.pdf", True),       # the widget stamps the number and day
])
def test_page_one_is_flattened_only_where_a_stamp_holds_text(
        shared_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str, holds_text: bool) -> None:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    import pipeline.readers.pdf as pdf_reader

    path = shared_dir / "corpus" / name
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[0]
        assert raw.FPDFPage_GetAnnotCount(page.raw) > 0
        assert pdf_reader._stamps_text(page, raw) is holds_text
        page.close()
    finally:
        pdf.close()
    skipped = read_document(path, NO_OCR)
    monkeypatch.setattr(pdf_reader, "_stamps_text", lambda page, raw: True)   # flatten as before
    flattened = read_document(path, NO_OCR)
    assert (skipped.text, skipped.blocks, skipped.stamped) == (flattened.text, flattened.blocks, flattened.stamped)


def test_character_boxes_are_pdfiums_own(shared_dir: Path) -> None:
    """The boxes written into one array are those FPDFText_GetLooseCharBox gives one by one."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from pipeline.readers.pdf import _char_boxes

    pdf = pdfium.PdfDocument(shared_dir / "corpus" / "lamdong-329-bao-cao-cchc-nam-2025.pdf")
    try:
        page = pdf[1]
        tp = page.get_textpage()
        n = tp.count_chars()
        boxes = _char_boxes(raw, tp.raw, n)
        assert n > 1000 and len(boxes) == 4 * n
        text = tp.get_text_range()
        lettered = _char_boxes(raw, tp.raw, n, text)      # no box asked for spaces and line ends
        rect = raw.FS_RECTF()
        for i in range(0, n, 7):
            raw.FPDFText_GetLooseCharBox(tp.raw, i, rect)
            assert boxes[4 * i:4 * i + 4] == [rect.left, rect.top, rect.right, rect.bottom]
            skipped = text[i] in " \xa0\t\r\n"
            assert lettered[4 * i:4 * i + 4] == ([0.0] * 4 if skipped else boxes[4 * i:4 * i + 4])
        tp.close()
        page.close()
    finally:
        pdf.close()


def test_page_text_is_pypdfiums_own(shared_dir: Path) -> None:
    """The reader's text of a range of characters (PDFium handles, no pypdfium2 objects) is what
    pypdfium2's get_text_range gives, on every page of the corpus PDFs."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from pipeline.readers.pdf import _text_range

    pages = 0
    for path in sorted((shared_dir / "corpus").glob("*.pdf")):
        try:
            pdf = pdfium.PdfDocument(path)
        except pdfium.PdfiumError:
            continue
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                n = tp.count_chars()
                for index, count in ((0, n), (0, min(n, 200)), (3, n - 5)):
                    want = tp.get_text_range(index, count) if count > 0 else ""
                    assert _text_range(tp.raw, raw, index, count) == want, (path.name, i, index, count)
                tp.close()
                page.close()
                pages += 1
        finally:
            pdf.close()
    assert pages > 100
