"""Labelled items, headings that name the body, other phrasings of a duty, and what is not a duty
(issue 10, items 2-6). rules/task_labels.toml runs both ways; the snippets are written anew after
the kinds found in corpus letters without a gold file."""
from __future__ import annotations

import pytest

from pipeline.extract.tasks import extract_tasks, label_of, split_labels
from pipeline.models import Header, Segments, Span
from pipeline.rules import load_rules

LABELS = load_rules("task_labels.toml")


def _tasks(text: str, **header):
    seg = Segments(text=text, header="ỦY BAN NHÂN DÂN", body=text, body_span=Span(0, len(text)))
    return extract_tasks(seg, Header(**header), [])


@pytest.mark.parametrize("entry", LABELS, ids=lambda e: e["id"])
def test_label_examples_both_ways(entry):
    for ex in entry["examples"]:
        got = label_of(f"- {ex}: Sở Nội vụ; UBND các xã")
        assert got is not None and got.rule_id == entry["id"], ex
    for ex in entry.get("counterexamples", []):
        got = label_of(f"- {ex}: Sở Nội vụ")
        assert got is None or got.rule_id != entry["id"], ex


def test_labels_give_the_fields_and_never_the_action():
    text = ("II. NHIỆM VỤ CỤ THỂ\n"
            "(1) Tiếp tục rà soát, sắp xếp các đơn vị sự nghiệp công lập.\n"
            "- Cơ quan thực hiện: Sở Nội vụ; UBND các xã, phường.\n"
            "- Cơ quan phối hợp: Sở Tài chính, Sở Y tế.\n"
            "- Thời gian hoàn thành: Trong tháng 8/2025.\n")
    [t] = _tasks(text, date="2025-06-01", type="Kế hoạch")
    assert t.action == "tiếp tục rà soát, sắp xếp các đơn vị sự nghiệp công lập"
    assert t.assignees[:2] == ("Sở Nội vụ", "UBND các xã, phường")
    assert t.coordinators == ("Sở Tài chính", "Sở Y tế")
    assert t.deadline.date == "2025-08-31"
    assert t.section == "II.1" and t.rule_id == "labelled-item"
    # the span covers the item and its labels
    assert text[t.span.start:t.span.end].startswith("(1) Tiếp tục") and text[t.span.start:t.span.end].endswith("8/2025.")


def test_labels_run_into_the_item_of_a_web_copy():
    text = "(2) Xây dựng đề án vị trí việc làm. - Cơ quan chủ trì: Sở Tài chính. - Thời hạn: trước ngày 30/9/2025."
    [t] = _tasks(text, date="2025-06-01", type="Kế hoạch")
    assert (t.lead, t.action, t.deadline.date) == ("Sở Tài chính", "xây dựng đề án vị trí việc làm", "2025-09-30")
    head, fields = split_labels("Rà soát. - Tiến độ: Quý III/2025")
    assert head == "Rà soát." and [f.role for f in fields] == ["deadline"]


def test_a_meeting_time_is_no_label_of_a_duty():
    # Giấy mời: "Thời gian:" under a plain lead-in is the meeting's, not a duty's field
    text = "Kính mời: Đại diện lãnh đạo Sở Nội vụ dự họp.\nThời gian: 14 giờ 00, ngày 15/5/2025."
    assert all(t.deadline.date != "2025-05-15" for t in _tasks(text, type="Giấy mời", date="2025-05-10"))


def test_a_section_deadline_is_inherited_by_its_items():
    text = ("1. Trong quý III năm 2025, các sở thực hiện:\n"
            "a) Sở Nội vụ rà soát biên chế.\n"
            "b) Sở Tài chính bố trí kinh phí trước ngày 15/8/2025.\n")
    got = {t.lead: t.deadline.date for t in _tasks(text, date="2025-06-01", type="Kế hoạch")}
    assert got == {"Sở Nội vụ": "2025-09-30", "Sở Tài chính": "2025-08-15"}


def test_heading_listing_bodies_names_who_acts_below():
    text = ("8. Các sở, ban, ngành; UBND các xã, phường, đặc khu; các cơ quan, đơn vị có liên quan\n"
            "a) Nghiên cứu, xây dựng, ban hành kế hoạch cụ thể.\n"
            "b) Chỉ đạo các đơn vị trực thuộc đẩy mạnh công tác tuyên truyền.\n")
    tasks = _tasks(text, type="Kế hoạch")
    assert [t.section for t in tasks] == ["8.a", "8.b"]
    assert tasks[0].assignees[:2] == ("Các sở, ban, ngành", "UBND các xã, phường, đặc khu")


def test_heading_with_the_acting_unit_in_parenthesis():
    text = ("2. Giao Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công tỉnh):\n"
            "a) Khẩn trương hoàn thành việc công bố danh mục thủ tục hành chính.\n")
    [t] = _tasks(text, type="Công văn")
    assert t.lead == "Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công tỉnh)"


def test_a_role_is_a_duty_and_a_function_statement_is_optional():
    text = ("Điều 2. Hội đồng an toàn, vệ sinh lao động có chức năng, nhiệm vụ tư vấn cho Ủy ban nhân dân tỉnh, cụ thể:\n"
            "1. Xây dựng Chương trình an toàn, vệ sinh lao động.\n"
            "Điều 3. Tổ chức và hoạt động của Hội đồng\n"
            "1. Sở Nội vụ là cơ quan thường trực của Hội đồng, làm đầu mối giúp Hội đồng.\n"
            "2. Hằng năm, Hội đồng tổ chức đối thoại với người lao động.\n")
    tasks = _tasks(text, type="Quyết định", subject="Thành lập Hội đồng An toàn, vệ sinh lao động tỉnh Lâm Đồng")
    by = {t.section: t for t in tasks}
    assert by["Điều 2"].optional and "Điều 2.1" not in by  # the items are subjects of advice
    assert by["Điều 3.1"].lead == "Sở Nội vụ" and by["Điều 3.1"].action.startswith("là cơ quan thường trực")
    assert by["Điều 3.2"].lead == "Hội đồng An toàn, vệ sinh lao động tỉnh Lâm Đồng"


@pytest.mark.parametrize("text", [
    "Điều 1. Thành viên Tổ giúp việc gồm:\n1. Sở Tư pháp:\n- Bà Trần Thị Như Ngọc - Phó Trưởng phòng Quản lý xử lý vi phạm hành chính.",
    "Chủ tịch UBND các xã chịu trách nhiệm trước pháp luật và trước UBND tỉnh về tính chính xác của số liệu.",
])
def test_not_duties(text):
    assert [t for t in _tasks(text, type="Quyết định") if not t.optional] == []


def test_a_lead_in_verb_inside_the_sentence_names_who_acts_below():
    text = ("b) Trường hợp hàng đóng chung container của nhiều chủ hàng:\n"
            "Thực hiện theo hướng dẫn tại công văn 6376/TCHQ-GSQL ngày 14/7/2015 của Tổng cục Hải quan và "
            "hướng dẫn công chức hải quan giám sát thực hiện như sau:\n"
            "- Kiểm tra, đối chiếu danh sách container với tờ khai.\n")
    tasks = _tasks(text, type="Công văn", issuer="Tổng cục Hải quan")
    assert [t.lead for t in tasks] == ["Công chức hải quan giám sát"]


def test_what_is_left_of_an_opening_adverbial_is_not_the_action():
    text = ("1. Các sở, ban, ngành căn cứ chức năng, nhiệm vụ được giao và những nội dung trong kế hoạch này "
            "để xây dựng kế hoạch cụ thể (hoàn thành trước ngày 15/3/2026).")
    [t] = _tasks(text, type="Kế hoạch", date="2026-01-10")
    assert t.action.startswith("xây dựng kế hoạch cụ thể") and t.deadline.date == "2026-03-15"
