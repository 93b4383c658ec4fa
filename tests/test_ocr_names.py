"""Personal names in scans read a second time (pipeline/readers/ocr_names.py, rules/ocr_names.toml).

The rule file's examples read as names and its counterexamples do not; the passes' verdicts
follow the rules of the module; and on real scans the signer's name that whole-page OCR read
wrong under the signature is put right or left doubtful, never kept wrong.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.readers.ocr_names import decide, fold, name_read, plausible_name, surnames
from pipeline.rules import load_rules

HAS_TESSERACT = shutil.which("tesseract") is not None
RULES = load_rules("ocr_names.toml")


@pytest.mark.parametrize("name", [x for r in RULES for x in r["examples"]])
def test_examples_read_as_names(name: str) -> None:
    assert plausible_name(name)


@pytest.mark.parametrize("text", [x for r in RULES for x in r.get("counterexamples", ())])
def test_counterexamples_do_not(text: str) -> None:
    assert not plausible_name(text)


def test_surnames_are_spelt_with_their_marks() -> None:
    # a family name without its marks would let a misread one through ("Nguyên" for "Nguyễn")
    assert "Nguyễn" in surnames() and "Nguyên" not in surnames() and "Trân" not in surnames()
    assert fold("Nguyên") == fold("Nguyễn") == "nguyen"


def test_pass_read_drops_stroke_marks() -> None:
    assert name_read([("“Nguyễn", 95.0), ("Văn", 96.0), ("Cường", 96.0)]) == ("Nguyễn Văn Cường", 95.0)
    assert name_read([(":", 40.0), ("Lê", 93.0), ("Huy", 93.0), ("Vịnh.", 91.0)]) == ("Lê Huy Vịnh", 91.0)
    assert name_read([("Ý", 0.0), ("Văn", 96.0), ("Long", 96.0)]) is None


def test_decide_needs_agreement() -> None:
    same = ("Nguyễn Hoàng Giang", 96.0)
    assert decide([same, same, same]) == "Nguyễn Hoàng Giang"
    # every pass agrees, on a family name spelt wrong: no name
    assert decide([("Nguyên Văn Long", 96.0)] * 3) is None
    # a pass unsure
    assert decide([same, same, ("Nguyễn Hoàng Giang", 40.0)]) is None
    # the page's read and two passes agree, the third reads no name
    assert decide([same, same, None], "Nguyễn Hoàng Giang") == "Nguyễn Hoàng Giang"
    # ... but not where a pass reads another name
    assert decide([same, same, ("Nguyễn Hoàng Giảng", 90.0)], "Nguyễn Hoàng Giang") is None


def _page(shared_dir: Path, name: str, index: int):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    from pipeline.readers.ocr import ocr_pdf_pages

    path = shared_dir / "corpus" / name
    if not path.exists():
        pytest.skip(f"{path} not in this corpus")
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        return ocr_pdf_pages(pdf, [index], name)[0]
    finally:
        pdf.close()


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract not installed")
def test_name_under_signature_put_right(shared_dir: Path) -> None:
    # the signature crosses the marks of "Trần" and "Hiền": whole-page OCR reads "Trân Phước
    # Hiên" at 96/96/86; the passes read it right, and agree
    page = _page(shared_dir, "quangngai-84-qd-ub-signed-20250513-162846.pdf", 2)
    assert "Trần Phước Hiền" in page.vouched
    assert not any(w.startswith(("Trân", "Hiên")) for w, _ in page.words)


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract not installed")
def test_name_passes_disagree_left_doubtful(shared_dir: Path) -> None:
    # a stroke over the grave of "Hà": the passes read "Hà", "Hỗ", "Hã"; no name is vouched for,
    # and the words stay doubtful (the header then gives null + review)
    page = _page(shared_dir, "quangngai-575-ub-signed-20250510-124908.pdf", 0)
    assert page.vouched == ()
    doubtful = [w for (w, _), d in zip(page.words, page.doubtful, strict=True) if d]
    assert "Vân" in doubtful
