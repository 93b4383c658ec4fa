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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .errors import CongvanError
from .i18n import t

FORMATS = ("csv", "xlsx", "json", "ics")
STATUS_VI = {"open": "Đang thực hiện", "done": "Hoàn thành", "overdue": "Quá hạn"}
RECURRENCE_VI = {"monthly": "Hằng tháng", "quarterly": "Hằng quý", "yearly": "Hằng năm",
                 "periodic": "Định kỳ"}


class ExportError(CongvanError):
    """An export that cannot be written (unknown format, bad path)."""


@dataclass(frozen=True)
class Column:
    """One exported column: its row key, header, XLSX width, whether it prints, its kind."""
    key: str
    label: str
    width: int
    printed: bool = True
    kind: str = "text"


def table_columns(table: str = "tasks", lang: str = "vi") -> list[Column]:
    """The columns of an export (``tasks`` or ``register``) from ``rules/export_labels.toml``.

    >>> [c.label for c in table_columns("register")][:2]
    ['Ngày đến', 'Số đến']
    """
    # on first use: `congvan tasks` imports this module for letter_name, and the rules module
    # brings the regex engine (~15 ms of a cold command; issue 15)
    from .rules import load_rules
    if lang not in ("vi", "en"):
        raise ExportError(f"Ngôn ngữ không hỗ trợ: {lang!r} (chỉ 'vi' hoặc 'en')")
    return [Column(r["key"], r[lang], int(r.get("width", 15)), bool(r.get("print")), r.get("kind", "text"))
            for r in load_rules("export_labels.toml") if r.get("table", "tasks") == table]


def columns(lang: str = "vi") -> list[tuple[str, str, int]]:
    """(row key, header label, XLSX width) of each exported task column, in order.

    >>> columns()[1][1]
    'Số, ký hiệu'
    """
    return [(c.key, c.label, c.width) for c in table_columns("tasks", lang)]


def letter_name(row: Mapping[str, Any]) -> str | None:
    """How a task's letter is named: its code, else (a letter without a number) its file name.

    >>> letter_name({"document_code": None, "source_path": "/in/du-thao.pdf"})
    '[du-thao.pdf]'
    """
    if row.get("document_code"):
        return str(row["document_code"])
    if row.get("source_path"):
        return f"[{Path(str(row['source_path'])).name}]"
    return None


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


def _named(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [dict(r, document_code=letter_name(r)) for r in rows]


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
    for i, task in enumerate(ex.tasks, start=1):
        out.append({
            "id": i, "document_code": h.code, "document_date": h.date, "document_subject": h.subject,
            "issuer": h.issuer, "lead": task.lead, "assignees": list(task.assignees),
            "coordinators": list(task.coordinators), "action": task.action, "deadline_date": task.deadline.date,
            "deadline_text": task.deadline.text, "recurrence": task.deadline.recurrence,
            "report_to": task.report_to, "section": task.section, "status": status, "source_path": ex.raw.path,
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
        return _write_csv(_named(rows), path, lang)
    if fmt == "xlsx":
        return write_xlsx(_named(rows), table_columns("tasks", lang), path, title=t("export.tasks_title", lang),
                          sheet=t("export.tasks_sheet", lang), lang=lang)
    if fmt == "json":
        path.write_text(json.dumps([dict(r) for r in rows], ensure_ascii=False, indent=2, default=str) + "\n",
                        encoding="utf-8")
        return len(rows)
    return _write_ics(rows, path, lang)


def _write_csv(rows: Sequence[Mapping[str, Any]], path: Path, lang: str) -> int:
    header, body = _table(rows, lang)
    # utf-8-sig: Excel opens a BOM-marked CSV with Vietnamese intact
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(body)
    return len(rows)


def _xlsx_value(col: Column, value: Any, lang: str) -> Any:
    """A cell's value: a real date for a date column (so it sorts and filters as a date), else text."""
    if col.kind == "date" and value:
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    if col.key in ("id", "incoming_number") and isinstance(value, int):
        return value
    return _cell(col.key, value, lang) or None


LINE_HEIGHT = 15.0  # points: one line of 11 pt Calibri, the sheet's font


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (a little generous:
    words do not break where the characters would)."""
    room = max(1, width - 1)
    return max(1, sum(max(1, -(-int(len(part) * 0.9) // room)) for part in str(text or "").split("\n")))


def write_xlsx(rows: Sequence[Mapping[str, Any]], cols: list[Column], path: Path, title: str, sheet: str,
               lang: str = "vi") -> int:
    """Write ``rows`` as one print-ready sheet: A4 landscape fitted to the page width, the header row
    repeated on every printed page, the printed columns first (the print area), real dates,
    wrapped text, a page number in the footer. Returns the number of rows.

    >>> write_xlsx([{"id": 1}], table_columns("tasks"), Path("/tmp/t.xlsx"), "Nhiệm vụ", "Nhiệm vụ")
    1
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append([c.label for c in cols])
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for r in rows:
        ws.append([_xlsx_value(c, r.get(c.key), lang) for c in cols])
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in ws.iter_rows(min_row=2):
        for c, cell in zip(cols, row, strict=False):
            cell.alignment = wrap
            cell.border = border
            if c.kind == "date":
                cell.number_format = "DD/MM/YYYY"
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width
    # Row heights are written, not left to the reader: LibreOffice keeps a wrapped row one line
    # high when the file does not say (the cells then print over each other).
    ws.row_dimensions[1].height = LINE_HEIGHT * max(_lines(c.label, c.width) for c in cols) + 4
    for i, r in enumerate(rows, start=2):
        ws.row_dimensions[i].height = LINE_HEIGHT * max(
            _lines(_cell(c.key, r.get(c.key), lang), c.width) for c in cols if c.printed) + 3
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    printed = sum(1 for c in cols if c.printed) or len(cols)
    ws.print_area = f"A1:{get_column_letter(printed)}{max(1, len(rows) + 1)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = t("export.page", lang)
    wb.save(path)
    return len(rows)


def task_uid(row: Mapping[str, Any]) -> str:
    """A UID that stays the same across exports and is never another task's: the task's id for
    life (``task_keys``) with a digest of its letter and action; without an id (tasks exported
    straight from an extraction) the digest of the letter, section, lead and action.

    >>> task_uid({"id": 12, "document_sha256": "ab", "action": "tham mưu"}).startswith("congvan-task-12-")
    True
    """
    key = "|".join(str(row.get(k) or "") for k in ("document_sha256", "document_code", "document_date",
                                                      "section", "lead", "action"))
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    if row.get("id") is not None and row.get("document_sha256"):
        return f"congvan-task-{row['id']}-{digest[:10]}@congvan"
    return digest[:20] + "@congvan"


def _write_ics(rows: list[Mapping[str, Any]], path: Path, lang: str) -> int:
    """One VTODO per task with a due date, each UID once; returns the number of VTODOs written."""
    from icalendar import Calendar, Todo

    cal = Calendar()
    cal.add("prodid", "-//congvan//tasks//VI")
    cal.add("version", "2.0")
    labels = {k: lab for k, lab, _ in columns(lang)}
    stamp = datetime.now(UTC).replace(microsecond=0)  # RFC 5545: when this calendar was made
    uids: set[str] = set()
    for r in _named(rows):
        due = r.get("deadline_date")
        if not due:
            continue
        try:
            due_d = date.fromisoformat(str(due)[:10])
        except ValueError:
            continue
        uid = task_uid(r)
        if uid in uids:
            continue
        uids.add(uid)
        todo = Todo()
        todo.add("uid", uid)
        todo.add("dtstamp", stamp)
        todo.add("due", due_d)
        lead = r.get("lead") or ""
        action = str(r.get("action") or "")
        summary = f"{lead}: {action}" if lead else action
        todo.add("summary", summary[:200])
        lines = [f"{labels[k]}: {_cell(k, r.get(k), lang)}" for k in
                 ("id", "document_code", "document_date", "document_subject", "issuer", "lead", "assignees",
                  "coordinators", "action", "deadline_text", "recurrence", "report_to", "section")
                 if r.get(k)]
        todo.add("description", "\n".join(lines))
        status = r.get("status")
        todo.add("status", "COMPLETED" if status == "done" else "NEEDS-ACTION")
        cal.add_component(todo)
    path.write_bytes(cal.to_ical())
    return len(uids)
