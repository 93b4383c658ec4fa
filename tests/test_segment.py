"""segment_document on the seed: each part where a clerk would put it."""
from __future__ import annotations

from pipeline.models import RawDocument
from pipeline.normalize import normalize_document
from pipeline.segment import match_doctype_title, segment_document


def test_seed_segments(shared_dir):
    raw = normalize_document(RawDocument(path="seed.txt", format="txt", sha256="", text=(
        shared_dir / "seed" / "583-UBND-son-tay-2024.txt").read_text(encoding="utf-8")))
    seg = segment_document(raw)
    assert seg.header.startswith("ỦY BAN NHÂN DÂN\nHUYỆN SƠN TÂY")
    assert "Sơn Tây, ngày 15 tháng 3 năm 2024" in seg.header_right
    assert seg.recipients.startswith("Kính gửi:") and seg.recipients.endswith("Ủy ban nhân dân các xã.")
    assert seg.body.startswith("Thực hiện Công văn số 1313/UBND-NC")
    assert seg.body.endswith("nghiêm túc triển khai thực hiện./.")
    assert seg.text[seg.body_span.start:seg.body_span.end] == seg.body
    assert seg.cc.startswith("Nơi nhận:") and seg.cc.endswith("- Lưu: VT, Hồ sơ CCHC.")
    assert seg.signature == "CHỦ TỊCH\n\nNguyễn Ngọc Trân"
    assert len(seg.footnotes) == 2
    assert "3. Tăng cường trách nhiệm" in seg.body and "b) Phòng Nội vụ phối hợp" in seg.body


def test_titled_document_without_kinh_gui():
    raw = normalize_document(RawDocument(path="t.txt", format="txt", sha256="", text=(
        "BỘ NỘI VỤ\nSố: 1187 /QĐ-BNV\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 15 tháng 10 năm 2025\n\n"
        "QUYẾT ĐỊNH\nPhê duyệt Đề án\n\nBỘ TRƯỞNG BỘ NỘI VỤ\n\nCăn cứ Nghị định số 25/2025/NĐ-CP;\n"
        "Điều 1. Phê duyệt./.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nBỘ TRƯỞNG\nPhạm Thị Thanh Trà")))
    seg = segment_document(raw)
    assert seg.title == "QUYẾT ĐỊNH\nPhê duyệt Đề án"
    assert seg.body.startswith("BỘ TRƯỞNG BỘ NỘI VỤ") and seg.body.endswith("Điều 1. Phê duyệt./.")
    assert seg.signature == "BỘ TRƯỞNG\nPhạm Thị Thanh Trà"


def test_doctype_titles():
    assert match_doctype_title("  CÔNG ĐIỆN ").name == "Công điện"
    assert match_doctype_title("Căn cứ Quyết định") is None
