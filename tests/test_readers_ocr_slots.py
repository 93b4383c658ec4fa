"""Scanned headers: the number and date slots are read again and kept only when vouched for.

readers/ocr_slots.py; the nine scans with gold files in ../shared/gold (header only) are the
measure: what comes out is never a wrong number or date, and the printed or clearly written ones
that Tesseract agrees on across its passes come out.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from pipeline import extract_document
from pipeline.readers import Limits, read_document
from pipeline.readers.ocr_slots import clean_slot, decide

HAS_TESSERACT = shutil.which("tesseract") is not None
SCANS = ("lamdong-560-gm", "lamdong-qd932", "quangngai-22-ttr-signed-20250510-124908",
         "quangngai-2352-07-ct-ubnd-signed-20250221-092046", "quangngai-574-ub-signed-20250510-124908",
         "quangngai-575-ub-signed-20250510-124908", "quangngai-84-qd-ub-signed-20250513-162846",
         "tw-1776153109-2191-ct-cs", "tw-464-ttg-signed")


def test_passes_must_agree() -> None:
    assert decide([("560", 96), ("560", 97), ("560", 91), ("560", 95)]) == "560"
    # one pass lost the "3" of a stamped "30" (tw-464-ttg-signed.pdf): refused, not "30" or "0"
    assert decide([("0", 96), ("30", 91), ("30", 84), ("30", 85)]) is None
    assert decide([("84", 96), ("84", 40), ("84", 85), ("84", 95)]) is None      # one unsure pass
    assert decide([("oF", 72), ("oF", 80), ("OF", 34), ("04", 49)]) is None
    # a typed month the page read at 97 and most passes agree with (lamdong-qd932.pdf)
    assert decide([("5", 93), ("J", 31), ("5", 62), ("5", 80)], page_value="5") == "5"
    # the page read a handwritten "23", the passes "43": refused (lamdong-1-5240-signed.pdf)
    assert decide([("43", 90), ("43", 91), ("43", 88), ("23", 60)], page_value="23") is None


def _slot(draw_extra: bool) -> Image.Image:
    img = Image.new("L", (120, 60), 255)
    d = ImageDraw.Draw(img)
    d.rectangle((30, 15, 45, 45), fill=0)             # a digit-sized blot inside the slot
    if draw_extra:
        d.rectangle((70, 15, 119, 45), fill=0)        # ink running out of the right edge
    else:
        d.rectangle((112, 15, 119, 45), fill=0)       # the edge of the "/" beside the slot
    return img


def test_a_slot_cut_through_its_ink_is_refused() -> None:
    """A digit joined to the "/" (lamdong-qd932.pdf "932/") would be read truncated: refused."""
    ink = clean_slot(_slot(False), (15, 45), 30)
    assert isinstance(ink, Image.Image) and ink.size == (16, 31)     # the neighbour's edge left out
    assert clean_slot(_slot(True), (15, 45), 30) is False
    assert clean_slot(Image.new("L", (120, 60), 255), (15, 45), 30) is None   # blank slot


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_scan_numbers_and_dates_are_never_wrong(shared_dir: Path) -> None:
    """Over the nine gold scans every code and date given equals the gold; some are given."""
    given = {"code": 0, "date": 0}
    for stem in SCANS:
        gold = json.loads((shared_dir / "gold" / f"{stem}.json").read_text(encoding="utf-8"))["document"]
        raw = read_document(shared_dir / "corpus" / f"{stem}.pdf", Limits(ocr_max_pages=1))
        doc = extract_document(raw).to_dict()["document"]
        for field in ("code", "date"):
            if doc.get(field) is not None:
                given[field] += 1
                assert doc[field] == gold[field], (stem, field, doc[field], gold[field])
            else:
                assert field.replace("code", "number") in doc["review"], (stem, field)
    # lamdong-560-gm 560; dates of lamdong-qd932 (typed), quangngai-575, quangngai-84, tw-464 (stamped)
    assert given["code"] >= 1 and given["date"] >= 4, given


def _font(size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    for name in ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                 "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"):
        if Path(name).exists():
            return ImageFont.truetype(name, size)
    pytest.skip("no TrueType font with Vietnamese letters installed")


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_scanned_page_inside_a_text_pdf_is_ocrd_in_place(tmp_path: Path) -> None:
    """A text PDF whose page 2 is an image (a scanned annex): its words come in at page 2."""
    fpdf = pytest.importorskip("fpdf")
    font_path = _font(10).path
    scan = Image.new("L", (1700, 2200), 255)
    d = ImageDraw.Draw(scan)
    big = _font(56)
    d.text((150, 200), "PHỤ LỤC KÈM THEO CÔNG VĂN", font=big, fill=0)
    d.text((150, 320), "Danh sách cơ quan được giao nhiệm vụ", font=big, fill=0)
    png = tmp_path / "annex.png"
    scan.save(png)
    pdf = fpdf.FPDF()
    pdf.add_font("Serif", "", font_path)
    pdf.set_font("Serif", size=12)
    for text in ("Trang một: Sở Nội vụ đề nghị các cơ quan báo cáo kết quả thực hiện nhiệm vụ.",
                 None, "Trang ba: Nơi nhận: Như trên; Lưu: VT, TCBC."):
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
        else:
            pdf.image(str(png), x=0, y=0, w=210)
    out = tmp_path / "mixed.pdf"
    pdf.output(str(out))
    raw = read_document(out)
    assert "trang 2 là ảnh quét, chữ lấy bằng OCR" in raw.warnings
    one, annex, three = (raw.text.index(s) for s in ("Trang một", "PHỤ LỤC", "Trang ba"))
    assert one < annex < three and "nhiệm vụ" in raw.text[annex:three]
    assert not raw.ocr and raw.ocr_words
    assert read_document(out, Limits(ocr=False)).warnings == ("trang 2 là ảnh quét, chưa OCR",)
