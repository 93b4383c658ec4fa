"""STYLE.md principle 2 for the header: every field set records the rule that set it and where
it stands in the normalised text (``Segments.text``)."""
from __future__ import annotations

import pytest

from pipeline.extract.header import extract_header
from pipeline.models import RawDocument
from pipeline.normalize import normalize_document
from pipeline.readers import read_document
from pipeline.resolve import fold
from pipeline.segment import segment_document

# fields whose value is printed as it stands (up to case, tone-mark style and spacing)
AS_WRITTEN = ("number", "symbol", "code", "place", "subject", "signer.name", "signer.authority")


def _fields(h):
    out = {"type": h.type, "number": h.number, "symbol": h.symbol, "code": h.code, "issuer": h.issuer,
           "parent_body": h.parent_body, "place": h.place, "date": h.date, "subject": h.subject,
           "recipients": h.recipients, "cc": h.cc, "signer.name": h.signer.name,
           "signer.title": h.signer.title, "signer.authority": h.signer.authority,
           "attachments": h.attachments}
    return {k: v for k, v in out.items() if v}


def _key(s: str) -> str:
    return fold(s).replace(" ", "")


def _check(seg, h):
    for field, value in _fields(h).items():
        assert field in h.rule_ids, f"{field} has no rule id"
        assert field in h.spans, f"{field} has no span"
        sp = h.spans[field]
        assert 0 <= sp.start < sp.end <= len(seg.text), field
        got = _key(seg.text[sp.start:sp.end])
        if field in AS_WRITTEN:
            assert _key(value.rstrip(".")) in got, (field, value, seg.text[sp.start:sp.end])
        elif field in ("recipients", "cc"):
            for item in value:
                assert _key(item) in got, (field, item)


def test_seed_every_field_has_rule_and_span(shared_dir):
    raw = normalize_document(read_document(str(shared_dir / "seed" / "583-UBND-son-tay-2024.txt")))
    seg = segment_document(raw)
    h = extract_header(seg, raw)
    _check(seg, h)
    assert h.rule_ids["type"] == "doctype.cong-van.default"
    assert h.rule_ids["number"] == "number.so-line"
    assert h.rule_ids["date"] == "date.header-line"
    assert "năm 2024" in seg.text[h.spans["date"].start:h.spans["date"].end]


DECISION = """UBND TỈNH LÂM ĐỒNG      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
     SỞ NỘI VỤ                 Độc lập - Tự do - Hạnh phúc

   Số: 12/QĐ-SNV             Lâm Đồng, ngày 05 tháng 3 năm 2026

                    QUYẾT ĐỊNH
     Về việc ban hành Quy chế làm việc

               GIÁM ĐỐC SỞ NỘI VỤ

Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc (có Phụ lục kèm theo).
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.

Nơi nhận:                          KT. GIÁM ĐỐC
- Như Điều 2;                       PHÓ GIÁM ĐỐC
- Lưu: VT.

                                  Trần Văn Bình
"""


@pytest.mark.parametrize("text", [DECISION])
def test_titled_document_fields_have_rule_and_span(text):
    raw = normalize_document(RawDocument(path="t.txt", format="txt", sha256="", text=text))
    seg = segment_document(raw)
    h = extract_header(seg, raw)
    _check(seg, h)
    assert h.rule_ids["type"] == "doctype.quyet-dinh"
    assert seg.text[h.spans["type"].start:h.spans["type"].end] == "QUYẾT ĐỊNH"
    assert h.rule_ids["signer.authority"] == "signer.kt"
    assert h.rule_ids["parent_body"] == "parent.header-caps"
    assert h.attachments == ("Phụ lục",) and h.rule_ids["attachments"] == "attachment.co-kem-theo"


from conftest import SHARED, gold_inputs  # noqa: E402

GOLD = gold_inputs(SHARED) if (SHARED / "gold").is_dir() else []


@pytest.mark.parametrize("stem,gold,path", GOLD, ids=[c[0] for c in GOLD])
def test_gold_documents_every_field_has_rule_and_span(stem, gold, path):
    raw = normalize_document(read_document(str(path)))
    seg = segment_document(raw)
    h = extract_header(seg, raw)
    for field in _fields(h):
        assert field in h.rule_ids, field
        assert field in h.spans, field
