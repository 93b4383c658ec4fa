"""The incoming register (sổ đăng ký văn bản đến) of Decree 30/2020/NĐ-CP, Appendix IV.

One row per registered letter, in số đến order: Ngày đến, Số đến, Tác giả, Số và ký hiệu, Ngày văn
bản, Tên loại, Trích yếu nội dung, Đơn vị hoặc người nhận, Ngày chuyển, Ký nhận, Ghi chú. The
columns a clerk fills in by hand (who it went to, when, the signature) are left blank; Ghi chú
says what the store knows: re-sent copies received later, fields to check against the original,
urgency and secrecy marks. A re-sent letter is not registered again (Decree 30/2020, Art. 22:
one số đến per letter).

Rows are plain dicts with the snake_case keys of the JSON export (``REGISTER_KEYS``, and ``file``:
the file's name, which stands for the code of a letter without a number in the printed register).
"""
from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .export import ExportError, table_columns, write_xlsx
from .i18n import current_lang, label, t

REGISTER_KEYS = ("incoming_number", "received_date", "issuer", "code", "date", "type", "subject",
                 "handled_by", "forwarded_date", "received_by", "notes")
FORMATS = ("table", "csv", "xlsx", "json")


def register_rows(store: Any, year: int | None = None, date_from: str | None = None,
                  date_to: str | None = None, lang: str | None = None) -> list[dict[str, Any]]:
    """The register's rows from a store, in số đến order.

    Args: ``year`` (of arrival), ``date_from``/``date_to`` (ISO dates of arrival, inclusive).
    Returns dicts keyed by ``REGISTER_KEYS``.

    >>> from pipeline.store import Store
    >>> register_rows(Store(":memory:"))
    []
    """
    rows = []
    for e in store.register_entries(year=year, date_from=date_from, date_to=date_to):
        rows.append({
            "incoming_number": e["received_number"], "received_date": e["received_date"],
            "issuer": e["issuer"], "code": e["code"], "file": Path(e["path"]).name, "date": e["date"],
            "type": e["type"], "subject": e["subject"],
            "handled_by": None, "forwarded_date": None, "received_by": None,
            "notes": "; ".join(_notes(e, lang)) or None,
        })
    return rows


def _vn_date(iso: str) -> str:
    """2026-03-05 as an office writes it: 05/03/2026 (anything else as it came)."""
    parts = str(iso)[:10].split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else str(iso)


def _notes(e: Mapping[str, Any], lang: str | None) -> list[str]:
    notes = []
    if not e.get("code"):
        notes.append(t("register.no_number", lang))
    for kind in ("urgency", "secrecy"):
        if e.get(kind):
            notes.append(str(e[kind]))
    if e.get("handling_due"):
        notes.append(t("register.due", lang, date=_vn_date(e["handling_due"])))
    if e.get("envelope_kind"):
        notes.append(t("register.via", lang, kind=e["envelope_kind"]))
    if e.get("ocr"):
        notes.append(t("register.ocr", lang))
    if e.get("review"):
        notes.append(t("register.review", lang, fields=", ".join(label(f, lang) for f in e["review"])))
    notes += [str(w) for w in e.get("warnings") or []]  # what the reader noticed: OCR, garbled text
    if e.get("copies"):
        names = ", ".join(Path(c["path"]).name for c in e["copies"])
        notes.append(t("register.copies", lang, n=len(e["copies"]), names=names))
    return notes


def write_register(rows: list[dict[str, Any]], fmt: str, path: str | Path, lang: str = "vi") -> int:
    """Write the register as csv | xlsx | json; returns the number of rows.

    The XLSX prints on A4 landscape, fitted to the page width, the header row on every page, dates
    as real dates, the trích yếu wrapped.
    """
    path = Path(path)
    cols = table_columns("register", lang)
    shown = [dict(r, code=_code(r)) for r in rows]
    if fmt == "json":
        path.write_text(json.dumps([{k: r.get(k) for k in (*REGISTER_KEYS, "file")} for r in rows], ensure_ascii=False,
                                   indent=2) + "\n", encoding="utf-8")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow([c.label for c in cols])
            w.writerows([["" if r.get(c.key) is None else r.get(c.key) for c in cols] for r in shown])
    elif fmt == "xlsx":
        write_xlsx(shown, cols, path, title=t("register.title", lang), sheet=t("register.sheet", lang), lang=lang)
    else:
        raise ExportError(f"Định dạng không hỗ trợ: {fmt!r} (chọn một trong csv, xlsx, json)")
    return len(rows)


def _code(row: Mapping[str, Any]) -> str | None:
    """The Số, ký hiệu cell: the code, else (a letter without a number) its file name in brackets."""
    return row.get("code") or (f"[{row['file']}]" if row.get("file") else None)


def format_register(rows: list[dict[str, Any]], lang: str | None = None, width: int = 120) -> str:
    """The register as a text table for the terminal (subject cut to the width)."""
    cols = table_columns("register", current_lang(lang))
    shown = [c for c in cols if c.key in ("incoming_number", "received_date", "code", "issuer", "subject", "notes")]
    head = {c.key: c.label for c in shown}
    fixed = {"incoming_number": 6, "received_date": 10, "code": 16, "issuer": 26, "notes": 18}
    fixed["subject"] = max(20, width - sum(fixed.values()) - 2 * len(fixed))

    def cut(s: Any, n: int) -> str:
        s = "" if s is None else " ".join(str(s).split())
        return s if len(s) <= n else s[: n - 1] + "…"

    lines = ["  ".join(cut(head[c.key], fixed[c.key]).ljust(fixed[c.key]) for c in shown).rstrip()]
    lines.append("  ".join("-" * fixed[c.key] for c in shown))
    for r in rows:
        r = dict(r, code=_code(r))
        lines.append("  ".join(cut(r.get(c.key), fixed[c.key]).ljust(fixed[c.key]) for c in shown).rstrip())
    return "\n".join(lines)
