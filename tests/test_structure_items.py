"""Item markers and flattened web copies (issue 10, item 6): structure from the numbering itself."""
from __future__ import annotations

import pytest

from pipeline.models import Segments
from pipeline.rules import load_rules
from pipeline.structure import parse_paragraphs


def _paras(text: str):
    return parse_paragraphs(Segments(text=text, header="x", body=text))


def test_parenthesised_numbers_are_items_under_their_heading():
    ps = _paras("II. NHIỆM VỤ\n1. Sở Nội vụ:\n(1) Rà soát biên chế.\n(2) Báo cáo kết quả.\n- Thời hạn: tháng 8/2025.")
    assert [(p.kind, p.path) for p in ps] == [("roman", "II"), ("arabic", "II.1"), ("paren", "II.1.1"),
                                              ("paren", "II.1.2"), ("dash", "II.1.2")]


def test_flattened_copy_is_cut_at_its_numbering_and_spans_stay_true():
    text = ("Quyết định như sau: Điều 1. Ban hành Quy chế. Điều 2. Giao Sở Tài chính: (1) Rà soát văn bản "
            "trước ngày 30/6/2025. (2) Báo cáo UBND tỉnh.")
    ps = _paras(text)
    assert [p.path for p in ps] == [None, "Điều 1", "Điều 2", "Điều 2.1", "Điều 2.2"]
    for p in ps:
        assert " ".join(text[p.span.start:p.span.end].split()) == p.text


@pytest.mark.parametrize("text", [
    "Căn cứ khoản 2. Điều 5 như sau: a) theo quy định tại điểm a) khoản 1 Điều 3 của Nghị định này, còn dài.",
    "Thực hiện Công văn số 12/UBND ngày 5/3/2025: 2. Nội dung này không có mục 1 hay mục 3 nào đứng cạnh.",
])
def test_a_lone_number_in_a_sentence_is_not_an_item(text):
    assert len(_paras(text)) == 1


def test_straight_quote_closes_a_curly_one():
    # “Đối thoại về cải cách hành chính" (Kế hoạch tuyên truyền CCHC): the items after it are not quoted
    ps = _paras("8. Các sở:\na) Tích cực phối hợp thực hiện chương trình “Đối thoại về cải cách hành chính\" trên sóng.\n"
                "b) Thông tin, tuyên truyền đầy đủ.")
    assert [(p.path, p.quoted) for p in ps][-1] == ("8.b", False)


def test_flattened_tasks_keep_their_sections(shared_dir):
    """A real plan run together into one line per part keeps its duties' sections."""
    from pipeline.extract.tasks import extract_tasks
    from pipeline.models import Header

    src = (shared_dir / "corpus" / "lamdong-kh-tuyen-truyen-cchc-nam-2026.txt").read_text(encoding="utf-8")
    part = src[src.index("2. Văn phòng UBND tỉnh:"):src.index("3. Sở Khoa học")]
    flat = " ".join(part.split())
    seg = Segments(text=flat, header="x", body=flat)
    got = [t.section for t in extract_tasks(seg, Header(type="Kế hoạch"), [])]
    assert got == ["2.a", "2.b", "2.c", "2.d", "2.e"]


MARKERS = load_rules("task_structure.toml")


@pytest.mark.parametrize("entry", MARKERS, ids=lambda e: e["id"])
def test_marker_examples_both_ways(entry):
    from pipeline.structure import _inline_marker, _marker_of

    for ex in entry["examples"]:
        if entry["id"] == "inline":
            assert _inline_marker().search(ex), ex
        else:
            got = _marker_of(ex)
            assert got is not None and got[0] == entry["id"], ex
    for ex in entry.get("counterexamples", []):
        if entry["id"] == "inline":
            assert not _inline_marker().search(ex), ex
        else:
            got = _marker_of(ex)
            assert got is None or got[0] != entry["id"], ex


def test_sub_item_run_into_its_heading_is_cut(shared_dir):
    """A web copy (tvpl Công văn 19046/BTC-TCHQ) runs "4. Thời hạn nộp hồ sơ hải quan 4.1. Thời hạn …"
    into one line: 4.1 is an item of 4, and 4 is a heading."""
    from pipeline import extract_file

    ex = extract_file(str(shared_dir / "corpus" / "tvpl-cong-van-19046-btc-tchq.txt"))
    paths = {s.path for s in ex.sections}
    assert {"4", "4.1", "4.2", "9", "9.1", "9.2"} <= paths
    assert not any(t.section == "9" for t in ex.tasks)  # the heading over 9.1, 9.2 is no duty
