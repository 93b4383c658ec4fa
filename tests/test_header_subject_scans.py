"""Never a wrong value from a scan (issue 14): every scan of ../shared/corpus, read by OCR.

Over every image-only PDF and image file of the corpus (the reader marks them ``ocr``): where a
gold file exists, the number, date and issuer given equal the gold (null is allowed); everywhere,
a value left null is listed in ``review``, a code given has known parts, an issuer given is a known
body, and a subject given has no word that reads as no Vietnamese (one with a doubtful word is
listed in review; one with a made-up word is null and listed). Only the first page is read (the
header is there), as tests/test_readers_ocr_slots.py does.
"""
from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pipeline import extract_document
from pipeline.extract.header import _checked_subject, confirm_issuer, symbol_confirmed
from pipeline.models import RawDocument
from pipeline.readers import Limits, read_document
from pipeline.repair import unconfirmed_words

HAS_TESSERACT = shutil.which("tesseract") is not None
IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


@cache
def _scans(corpus: Path) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Every PDF and image of the corpus that the reader read by OCR (image-only pages, a text
    layer of cut code points): its name and its header."""
    out = []
    for f in sorted(corpus.iterdir()):
        if f.suffix.lower() in IMAGES + (".pdf",):
            raw = read_document(f, Limits(ocr_max_pages=1))
            for r in raw if isinstance(raw, list) else [raw]:
                if r.ocr:
                    out.append((f.name, extract_document(r).to_dict()["document"]))
    return tuple(out)


def _overlap(a: str, b: str) -> float:
    import unicodedata
    def toks(s: str) -> set[str]:
        s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
        s = "".join(c for c in s if not unicodedata.combining(c)).lower()
        return set("".join(c if c.isalnum() else " " for c in s).split())
    ta, tb = toks(a), toks(b)
    return min(len(ta & tb) / len(ta), len(ta & tb) / len(tb)) if ta and tb else 0.0


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_no_scan_gives_a_wrong_or_unconfirmed_value(shared_dir: Path) -> None:
    scans = _scans(shared_dir / "corpus")
    assert len(scans) >= 20, [n for n, _ in scans]       # 20 PDFs and 2 PNG crops today
    checked = {"code": 0, "date": 0, "issuer": 0, "subject": 0}
    for name, doc in scans:
        review = doc["review"]
        gold_path = shared_dir / "gold" / f"{Path(name).stem}.json"
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["document"] if gold_path.exists() else None
        # where gold exists, what is given is right
        if gold:
            for field in ("code", "date", "issuer"):
                if doc[field] is not None:
                    checked[field] += 1
                    assert doc[field] == gold[field], (name, field, doc[field], gold[field])
            if doc["subject"] and gold.get("subject") and "subject" not in review:
                checked["subject"] += 1
                assert _overlap(doc["subject"], gold["subject"]) >= 0.9, (name, doc["subject"], gold["subject"])
        # everywhere: a value given is confirmed, a value withheld is listed for a person
        if doc["code"] is None:
            assert "number" in review or "code" in review, (name, review)
        else:
            assert symbol_confirmed(doc["symbol"]), (name, doc["code"])
        if doc["date"] is None:
            assert "date" in review, (name, review)
        if doc["issuer"] is not None:
            assert confirm_issuer(doc["issuer"]) == doc["issuer"], (name, doc["issuer"])
        elif doc["issuer_text"]:
            assert "issuer" in review, (name, doc["issuer_text"], review)
        if doc["subject"] is not None:
            garbled, doubtful = unconfirmed_words(doc["subject"])
            assert not garbled, (name, doc["subject"], garbled)
        if doc["rule_ids"].get("subject") == "subject.ocr-unconfirmed":
            assert doc["subject"] is None and "subject" in review and "subject" in doc["spans"], name
    # lamdong-560-gm's code, four dates, nine issuers and tw-464-ttg-signed's subject stand checked
    assert checked["code"] >= 1 and checked["date"] >= 4 and checked["issuer"] >= 8 and checked["subject"] >= 5, checked


def _scan_header(subject_line: str) -> dict[str, Any]:
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: /UBND-KTTH\n{subject_line}\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nQuảng Ngãi, ngày tháng 02 năm 2025\n"
            "Kính gửi: Sở Tài chính\nNội dung./.\n")
    return extract_document(RawDocument(path="scan.pdf", format="pdf", sha256="", text=text, ocr=True)).to_dict()["document"]


def test_an_ocr_subject_with_a_made_up_word_is_null_and_reviewed() -> None:
    doc = _scan_header("V/v thi hành án trên địa bàn tỉnh Quảng Ngãj")
    assert doc["subject"] is None and "subject" in doc["review"]
    assert doc["rule_ids"]["subject"] == "subject.ocr-unconfirmed"
    assert "subject" in doc["spans"]             # what OCR read is still found in the text


def test_an_ocr_subject_with_a_doubtful_word_is_kept_and_reviewed() -> None:
    doc = _scan_header("V/v chính sách thuê ITNIN")
    assert doc["subject"] == "Chính sách thuê ITNIN" and "subject" in doc["review"]
    ok = _scan_header("V/v tham gia ý kiến các dự thảo Nghị định của Chính phủ")
    assert ok["subject"] == "Tham gia ý kiến các dự thảo Nghị định của Chính phủ" and "subject" not in ok["review"]


def test_a_typed_letter_is_not_checked_as_ocr() -> None:
    assert _checked_subject("Chính sách thuế TNDN", False) == ("Chính sách thuế TNDN", [], None)
