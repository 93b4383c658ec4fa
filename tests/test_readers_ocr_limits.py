"""OCR renders within a pixel budget: an absurd page is refused in one line, a big one scaled down
(issue 12: a 435-byte PDF with one blank 14400 x 14400 pt page rendered to 10.6 GB)."""
from __future__ import annotations

import resource
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from pipeline.errors import ReadError
from pipeline.readers import read_document
from pipeline.readers.ocr import DPI, MAX_PIXELS, MIN_DPI, page_scale

HAS_TESSERACT = shutil.which("tesseract") is not None


def _blank_pdf(path: Path, width: float, height: float) -> Path:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(width, height)
    pdf.save(str(path))
    pdf.close()
    return path


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_a_huge_blank_page_is_refused_in_one_line_without_rendering(tmp_path: Path) -> None:
    pdf = _blank_pdf(tmp_path / "huge.pdf", 14400, 14400)
    assert pdf.stat().st_size < 1000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ReadError) as e:
        read_document(pdf)
    message = str(e.value)
    assert "\n" not in message and "huge.pdf" in message
    assert "quá lớn" in message and "5080 x 5080 mm" in message
    # nothing near the 10.6 GB an uncapped render takes (ru_maxrss is in KiB)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024


def test_page_scale_keeps_the_dpi_of_ordinary_pages_and_caps_big_ones() -> None:
    assert page_scale(595, 842, 1, "a4") == DPI / 72              # A4
    assert page_scale(1191, 1684, 1, "a2") == DPI / 72            # A2 still fits
    big = page_scale(2384, 3370, 1, "a0")                         # A0: scaled down to the budget
    assert big < DPI / 72 and 2384 * 3370 * big * big <= MAX_PIXELS * 1.0001
    assert big * 72 >= MIN_DPI
    with pytest.raises(ReadError):
        page_scale(14400, 14400, 1, "huge")


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_an_image_past_the_pixel_budget_is_refused(tmp_path: Path) -> None:
    side = int(MAX_PIXELS ** 0.5) + 10
    path = tmp_path / "wide.png"
    Image.new("1", (side, side), 1).save(path)       # a 1-bit blank: a small file, many pixels
    with pytest.raises(ReadError) as e:
        read_document(path)
    assert "quá lớn" in str(e.value) and "\n" not in str(e.value)
