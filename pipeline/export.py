"""Export the task list: CSV, XLSX, JSON, ICS. (issue 6)

``rows`` are plain dicts from the store (keys: id, document_code, document_date,
document_subject, issuer, lead, assignees, coordinators, action, deadline_date, deadline_text,
recurrence, report_to, section, status, source_path). Column headers come from
``rules/export_labels.toml`` (Vietnamese by default, English with ``lang="en"``).
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .errors import CongvanError
from .rules import load_rules

FORMATS = ("csv", "xlsx", "json", "ics")
STATUS_VI = {"open": "Đang thực hiện", "done": "Hoàn thành", "overdue": "Quá hạn"}
RECURRENCE_VI = {"monthly": "Hằng tháng", "quarterly": "Hằng quý", "yearly": "Hằng năm",
                 "periodic": "Định kỳ"}


class ExportError(CongvanError):
    """An export that cannot be written (unknown format, bad path)."""


def columns(lang: str = "vi") -> list[tuple[str, str, int]]:
    """(row key, header label, XLSX width) of each exported column, in order.

    >>> columns()[1][1]
    'Số, ký hiệu'
    """
    if lang not in ("vi", "en"):
        raise ExportError(f"Ngôn ngữ không hỗ trợ: {lang!r} (chỉ 'vi' hoặc 'en')")
    return [(r["key"], r[lang], int(r.get("width", 15))) for r in load_rules("export_labels.toml")]


def _cell(key: str, value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value if v)
    if lang == "vi" and key == "status":
        return STATUS_VI.get(str(value), str(value))
    if lang == "vi" and key == "recurrence":
        return RECURRENCE_VI.get(str(value), str(value))
    return str(value)


def _table(rows: Iterable[Mapping[str, Any]], lang: str) -> tuple[list[str], list[list[str]]]:
    cols = columns(lang)
    return [c[1] for c in cols], [[_cell(k, r.get(k), lang) for k, _, _ in cols] for r in rows]


def rows_from_extraction(ex: Any, status: str = "open") -> list[dict[str, Any]]:
    """Task rows (the store's keys) straight from an :class:`~pipeline.models.Extraction`, for
    exporting without a database.

    >>> from pipeline import extract_file
    >>> rows_from_extraction(extract_file("../shared/seed/583-UBND-son-tay-2024.txt"))[5]["section"]
    '3.b'
    """
    h = ex.header
    out = []
    for i, t in enumerate(ex.tasks, start=1):
        out.append({
            "id": i, "document_code": h.code, "document_date": h.date, "document_subject": h.subject,
            "issuer": h.issuer, "lead": t.lead, "assignees": list(t.assignees),
            "coordinators": list(t.coordinators), "action": t.action, "deadline_date": t.deadline.date,
            "deadline_text": t.deadline.text, "recurrence": t.deadline.recurrence, "report_to": t.report_to,
            "section": t.section, "status": status, "source_path": ex.raw.path,
        })
    return out


def export_tasks(rows: Iterable[Mapping[str, Any]], fmt: str, path: str | Path, lang: str = "vi") -> int:
    """Write ``rows`` to ``path`` as csv | xlsx | json | ics; returns how many tasks were written
    (for ics: how many VTODOs, i.e. tasks with a due date).

    >>> export_tasks([{"id": 1, "lead": "Phòng Nội vụ", "action": "tham mưu"}], "csv", "/tmp/t.csv")
    1
    """
    rows = list(rows)
    fmt = fmt.lower()
    path = Path(path)
    if fmt not in FORMATS:
        raise ExportError(f"Định dạng không hỗ trợ: {fmt!r} (chọn một trong {', '.join(FORMATS)})")
    if path.parent and not path.parent.exists():
        raise ExportError(f"Thư mục không tồn tại: {path.parent}")
    if fmt == "csv":
        return _write_csv(rows, path, lang)
    if fmt == "xlsx":
        return _write_xlsx(rows, path, lang)
    if fmt == "json":
        path.write_text(json.dumps([dict(r) for r in rows], ensure_ascii=False, indent=2, default=str) + "\n",
                        encoding="utf-8")
        return len(rows)
    return _write_ics(rows, path, lang)


def _write_csv(rows: list[Mapping[str, Any]], path: Path, lang: str) -> int:
    header, body = _table(rows, lang)
    # utf-8-sig: Excel opens a BOM-marked CSV with Vietnamese intact
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(body)
    return len(rows)


def _write_xlsx(rows: list[Mapping[str, Any]], path: Path, lang: str) -> int:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header, body = _table(rows, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ" if lang == "vi" else "Tasks"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r in body:
        ws.append(r)
    for i, (_, _, width) in enumerate(columns(lang), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    ws.freeze_panes = "A2"
    if body:
        ws.auto_filter.ref = ws.dimensions
    wb.save(path)
    return len(rows)


def task_uid(row: Mapping[str, Any]) -> str:
    """A UID that stays the same across exports: from the document and the task, not the clock."""
    key = "|".join(str(row.get(k) or "") for k in ("document_code", "document_date", "section", "lead", "action"))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20] + "@congvan"


def _write_ics(rows: list[Mapping[str, Any]], path: Path, lang: str) -> int:
    from icalendar import Calendar, Todo

    cal = Calendar()
    cal.add("prodid", "-//congvan//tasks//VI")
    cal.add("version", "2.0")
    n = 0
    labels = {k: lab for k, lab, _ in columns(lang)}
    for r in rows:
        due = r.get("deadline_date")
        if not due:
            continue
        try:
            due_d = date.fromisoformat(str(due)[:10])
        except ValueError:
            continue
        todo = Todo()
        todo.add("uid", task_uid(r))
        todo.add("dtstamp", datetime(2000, 1, 1, tzinfo=UTC))  # fixed: the file stays stable
        todo.add("due", due_d)
        lead = r.get("lead") or ""
        action = str(r.get("action") or "")
        summary = f"{lead}: {action}" if lead else action
        todo.add("summary", summary[:200])
        lines = [f"{labels[k]}: {_cell(k, r.get(k), lang)}" for k in
                 ("document_code", "document_date", "document_subject", "issuer", "lead", "assignees",
                  "coordinators", "action", "deadline_text", "recurrence", "report_to", "section")
                 if r.get(k)]
        todo.add("description", "\n".join(lines))
        status = r.get("status")
        todo.add("status", "COMPLETED" if status == "done" else "NEEDS-ACTION")
        cal.add_component(todo)
        n += 1
    path.write_bytes(cal.to_ical())
    return n
