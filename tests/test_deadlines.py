"""The deadline grammar on phrasings taken from the corpus, its rule examples, and due_date."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.extract.deadlines import (
    add_working_days,
    deadline_rules,
    due_date,
    find_deadline_phrases,
    is_working_day,
    parse_deadline,
)
from pipeline.models import Deadline
from pipeline.rules import load_rules

TABLE = Path(__file__).parent / "data" / "deadlines.tsv"


def _rows() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + [""] * 5)[:5]
        rows.append(tuple(cols))
    return rows


def test_table_is_big_enough():
    assert len(_rows()) >= 40


@pytest.mark.parametrize("phrase,ref,expected,recurrence,source", _rows(), ids=lambda v: str(v)[:40])
def test_deadline_table(phrase, ref, expected, recurrence, source):
    dl = parse_deadline(phrase, ref, strict=False)
    assert dl is not None, f"no deadline in {phrase!r} ({source})"
    assert (dl.date or "") == expected
    assert (dl.recurrence or "") == recurrence


@pytest.mark.parametrize("rule", deadline_rules(), ids=lambda r: r.id)
def test_rule_examples_both_ways(rule):
    entry = next(e for e in load_rules("deadlines.toml") if e["id"] == rule.id)
    for ex in entry["examples"]:
        assert any(m.rule.id == rule.id for m in find_deadline_phrases(ex, "2024-01-01", strict=False)), ex
    for ex in entry.get("counterexamples", []):
        assert not rule.pattern.search(ex), ex


def test_relative_deadline_keeps_text_and_days():
    dl = parse_deadline("trong 05 ngày làm việc kể từ ngày nhận được văn bản", "2024-03-01")
    assert dl.date is None and dl.relative_days == 5 and dl.working_days
    assert dl.text.startswith("trong 05 ngày làm việc")


def test_urgency():
    assert parse_deadline("khẩn trương hoàn thành trước ngày 30/6/2024").urgent
    assert parse_deadline("HỎA TỐC").urgent
    assert not parse_deadline("trước ngày 30/6/2024").urgent


def test_citation_dates_are_not_deadlines():
    assert parse_deadline("Thực hiện Công văn số 1313/UBND-NC ngày 14/3/2024 của UBND tỉnh") is None


def test_strict_leaves_out_topic_years():
    assert parse_deadline("kế hoạch cải cách hành chính năm 2024") is None


def test_due_date_skips_tet():
    # Tết Giáp Thìn: 08-14/02/2024 off; five working days after Wednesday 07/02 end on 21/02
    dl = Deadline(relative_days=5, working_days=True)
    assert due_date(dl, date(2024, 2, 7)) == date(2024, 2, 21)
    assert due_date(Deadline(relative_days=10), "2024-02-07") == date(2024, 2, 17)
    assert due_date(Deadline(date="2024-06-30")) == date(2024, 6, 30)
    assert due_date(Deadline(relative_days=3)) is None


def test_lunar_tet_is_not_a_working_day():
    assert not is_working_day(date(2025, 1, 29))  # mùng 1 Tết Ất Tỵ
    assert not is_working_day(date(2026, 2, 17))  # mùng 1 Tết Bính Ngọ


@pytest.mark.parametrize("entry", load_rules("holiday_swaps.toml"), ids=lambda e: e["id"])
def test_holiday_swap_examples(entry):
    for ex in entry["examples"]:
        start, rest = ex.split(" +")
        n, end = rest.split(" = ")
        assert add_working_days(date.fromisoformat(start), int(n)) == date.fromisoformat(end), ex
    for d in entry["work"]:
        assert is_working_day(date.fromisoformat(d))
    for d in entry["off"]:
        assert not is_working_day(date.fromisoformat(d))


def test_explicit_periodic_recurrence_wins_over_a_describing_one():
    dl = parse_deadline("căn cứ kế hoạch cải cách hành chính hằng năm của cơ quan, định kỳ hằng tháng có trách "
                        "nhiệm rà soát, cập nhật kết quả", "2025-11-28")
    assert dl is not None and dl.recurrence == "monthly"


def test_extension_end_and_period_are_not_deadlines():
    assert parse_deadline("thống nhất gia hạn thời gian tổ chức đại hội đến ngày 31/12/2024", "2024-11-01") is None
    assert parse_deadline("Cuộc thi diễn ra từ ngày 12/11/2025 đến ngày 25/12/2025", "2025-11-01") is None
    dl = parse_deadline("gia hạn đến ngày 31/12/2024 và báo cáo trước ngày 15/01/2025", "2024-11-01")
    assert dl is not None and dl.date == "2025-01-15"


def test_expected_event_date_is_not_a_deadline():
    assert parse_deadline("tập trung giải phóng mặt bằng các đoạn tuyến mà dự kiến khởi công trước ngày 30/4/2026",
                          "2026-03-20") is None
