"""Issuers: rules/header_issuers.toml both ways; standing organs give the whole body; a scan's
issuer is a known body or of a known pattern, else null and listed in review (issue 14)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import extract_document
from pipeline.extract.header import _standing_organ, confirm_issuer, symbol_confirmed
from pipeline.models import RawDocument
from pipeline.rules import load_rules

RULES = load_rules("header_issuers.toml")
HAS_TESSERACT = shutil.which("tesseract") is not None


@pytest.mark.parametrize("rule", RULES, ids=[r["id"] for r in RULES])
def test_issuer_rule_examples_both_ways(rule):
    for ex in rule["examples"]:
        if rule["kind"] == "body":
            assert confirm_issuer(ex) == rule["name"], ex
        elif rule["kind"] == "local":
            got = confirm_issuer(ex)
            assert got and got.startswith(rule["name"]), ex
        elif rule["kind"] == "standing-organ":
            got = _standing_organ(ex)
            assert got and got[0] == rule["name"], ex
        else:
            assert symbol_confirmed(ex), ex
    for cex in rule.get("counterexamples", []):
        if rule["kind"] == "body":
            assert confirm_issuer(cex) != rule["name"], cex
        elif rule["kind"] == "local":
            assert confirm_issuer(cex) is None, cex
        elif rule["kind"] == "standing-organ":
            got = _standing_organ(cex)
            assert not got or got[0] != rule["name"], cex
        else:
            assert not symbol_confirmed(cex), cex


def _header(text: str, ocr: bool = False):
    return extract_document(RawDocument(path="t.txt", format="txt", sha256="", text=text, ocr=ocr)).header


MTTQ = ("ỦY BAN MTTQ VIỆT NAM          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "{level}              Độc lập - Tự do - Hạnh phúc\nBAN THƯỜNG TRỰC\n"
        "Số: 12/MTTQ-BTT            Lâm Đồng, ngày 13 tháng 11 năm 2025\nV/v đề nghị\n\n"
        "Kính gửi: Ủy ban nhân dân tỉnh\n\nNội dung./.\n")


def test_standing_organ_under_its_body_gives_the_whole_body():
    h = _header(MTTQ.format(level="TỈNH LÂM ĐỒNG"))
    assert h.issuer == "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lâm Đồng"


def test_standing_organ_and_commune_body_on_one_line():
    h = _header("BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM XÃ TÂN HÀ      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                "         Độc lập - Tự do - Hạnh phúc\nSố: 12/MTTQ-BTT            Tân Hà, ngày 13 tháng 11 năm 2025\n"
                "V/v đề nghị\n\nKính gửi: Ủy ban nhân dân xã\n\nNội dung./.\n")
    assert h.issuer == "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Hà"


def test_mass_organisation_under_its_national_name():
    h = _header("HỘI NÔNG DÂN VIỆT NAM           CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                "BCH HỘI NÔNG DÂN XÃ TÂN HÀ        Độc lập - Tự do - Hạnh phúc\n"
                "Số: 15/CV-HND        Tân Hà, ngày 3 tháng 2 năm 2025\nV/v x\n\nKính gửi: Chi hội\n\nNội dung./.\n")
    assert (h.issuer, h.parent_body) == ("Ban Chấp hành Hội Nông dân xã Tân Hà", "Hội Nông dân Việt Nam")


def test_ocr_issuer_not_confirmed_is_null_and_reviewed():
    # what OCR made of "ỦY BAN MTTQ VIỆT NAM TỈNH LÂM ĐỒNG" (lamdong-477.pdf): no known body
    h = _header(MTTQ.replace("ỦY BAN MTTQ VIỆT NAM", "ỦY BAN VIỆT NAM   ").format(level="TỈNH ĐÔNG    "), ocr=True)
    assert h.issuer is None and "issuer" in h.review and "ĐÔNG" in (h.issuer_text or "")


def test_ocr_symbol_with_an_unknown_type_code_gives_no_code():
    h = _header("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 239/TTIr-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                "Quảng Ngãi, ngày 5 tháng 2 năm 2025\nTỜ TRÌNH\nVề việc x\n\nKính gửi: Hội đồng nhân dân tỉnh\n\n"
                "Nội dung./.\n", ocr=True)
    assert h.code is None and "code" in h.review
    assert h.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"


@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract-ocr tesseract-ocr-vie not installed")
def test_every_scan_issuer_is_known_or_null(shared_dir: Path):
    """Every scan of ../shared (gold or not, per SOURCES.jsonl): the issuer is a confirmed body
    (equal to the gold where there is one) or null and listed in review."""
    from pipeline.readers import Limits, read_document
    scans = [json.loads(x)["file"] for x in (shared_dir / "corpus" / "SOURCES.jsonl").read_text(encoding="utf-8").splitlines()
             if x.strip() and "OCR test input" in (json.loads(x).get("notes") or "")]
    assert len(scans) >= 15
    for name in scans:
        path = shared_dir / "corpus" / name
        doc = extract_document(read_document(path, Limits(ocr_max_pages=1))).to_dict()["document"]
        gold_path = shared_dir / "gold" / f"{path.stem}.json"
        if doc["issuer"] is None:
            assert "issuer" in doc["review"], name
            continue
        assert confirm_issuer(doc["issuer"]) == doc["issuer"], (name, doc["issuer"])
        if gold_path.exists():
            gold = json.loads(gold_path.read_text(encoding="utf-8"))["document"]
            assert doc["issuer"] == gold["issuer"], (name, doc["issuer"], gold["issuer"])


def _two_columns(left: str) -> str:
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Lâm Đồng, ngày 5 tháng 3 năm 2025"]
    rows = left.split("\n")
    out = [f"{(rows[i] if i < len(rows) else ''):40}      {right[i]}" if i < len(right) else rows[i]
           for i in range(max(len(rows), len(right)))]
    return "\n".join(out) + "\nSố: 12/UBND-VX\nV/v góp ý\n\nKính gửi: A\n\nNội dung./.\n"


@pytest.mark.parametrize(("left", "issuer", "parent"), [
    ("HĐND TỈNH LÂM ĐỒNG\nTHƯỜNG TRỰC HĐND", "Thường trực Hội đồng nhân dân tỉnh Lâm Đồng", None),
    ("MẶT TRẬN TỔ QUỐC VIỆT NAM\nỦY BAN XÃ TÂN HÀ", "Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Hà", None),
    ("UBMTTQ VIỆT NAM\nXÃ TÂN HÀ", "Ủy ban Mặt trận Tổ quốc Việt Nam xã Tân Hà", None),
    ("LIÊN ĐOÀN LAO ĐỘNG TỈNH LÂM ĐỒNG\nCÔNG ĐOÀN VIÊN CHỨC TỈNH", "Công đoàn viên chức tỉnh Lâm Đồng",
     "Liên đoàn Lao động tỉnh Lâm Đồng"),
    ("ĐẢNG BỘ XÃ TÂN HÀ\nCHI BỘ THÔN 1", "Chi bộ thôn 1", "Đảng bộ xã Tân Hà"),
    ("BẢO HIỂM XÃ HỘI VIỆT NAM\nBẢO HIỂM XÃ HỘI TỈNH LÂM ĐỒNG", "Bảo hiểm xã hội tỉnh Lâm Đồng", "Bảo hiểm xã hội Việt Nam"),
    ("NGÂN HÀNG NHÀ NƯỚC\nVIỆT NAM", "Ngân hàng Nhà nước Việt Nam", None),
    ("TỈNH ỦY LÂM ĐỒNG\nBAN TỔ CHỨC", "Ban Tổ chức", "Tỉnh ủy Lâm Đồng"),
])
def test_mass_organisation_and_party_bloc_issuers(left, issuer, parent):
    h = _header(_two_columns(left))
    assert (h.issuer, h.parent_body) == (issuer, parent)


def test_issuer_whose_kind_word_was_lost_is_named_by_its_symbol():
    # a font that lost its capitals "S", "Ở" (lamdong-cv-1925-signed-signed.pdf): "TÀI CHÍNH" and "STC"
    h = _header("                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n        TÀI CHÍNH                Độc lập - Tự do - Hạnh phúc\n\n"
                "  Số: 1925 /STC- HTDN            Bình Thuận, ngày 19 tháng 5 năm 2025\n  V/v tổ chức Đại hội\n\n"
                "                                    Kính gửi: Sở Nội vụ\n\nNội dung./.\n")
    assert (h.issuer, h.parent_body) == ("Sở Tài chính", "Ủy ban nhân dân tỉnh Bình Thuận")
