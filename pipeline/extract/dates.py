"""Dates of the header: "Sơn Tây, ngày 15 tháng 3 năm 2024" -> place "Sơn Tây", date 2024-03-15.

A compiled pattern reads the usual forms (and their ASCII spelling); a blank day or month
("ngày    tháng 4 năm 2026", a draft) gives None, never a guess. dateparser is the fallback for
what the pattern does not cover, and only where a day, month and year are all written.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import regex

from ..rules import rx

_DATE = regex.compile(
    r"(?:ng[àa]y|NGÀY)\s*(?P<d>\d{1,2})?[\s.…_]*(?:th[áa]ng|THÁNG)\s*(?P<m>\d{1,2})?[\s.…_]*"
    r"(?:n[ăa]m|NĂM)\s*(?P<y>\d{4})")
_PLACE = regex.compile(r"^\s*(?P<place>[^,\d]{2,40}?)\s*,\s*(?:ng[àa]y|NGÀY|th[áa]ng(?=\s*\d{1,2}\s*n[ăa]m))(?!\p{Ll})"
                       r"|^\s*(?P<place>\p{Lu}[^,\d]{1,39}?)\s+(?:ng[àa]y|NGÀY)\b")  # OCR lost the comma
_NUMERIC = regex.compile(r"\b(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})\b")


@dataclass(frozen=True)
class PlaceDate:
    place: str | None
    date: str | None
    blank: bool = False  # day or month left blank (a draft)
    rule_id: str | None = None


def iso_date(y: int, m: int, d: int) -> str | None:
    """ISO string of a real calendar date, else None.

    >>> iso_date(2024, 2, 30) is None
    True
    """
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_place_date(line: str) -> PlaceDate:
    """Place and ISO date of a header date line.

    >>> parse_place_date("Sơn Tây, ngày 15 tháng 3 năm 2024")
    PlaceDate(place='Sơn Tây', date='2024-03-15', blank=False, rule_id='date-vn')
    >>> parse_place_date("Lâm Đồng, ngày      tháng 12 năm 2025").date is None
    True
    >>> parse_place_date("Lâm Đồng, ngày 29 tháng 1 2 năm 2025").date
    '2025-12-29'
    """
    pm = _PLACE.match(line)
    place = " ".join(pm.group("place").split()) if pm else None
    # the digits of a day or month set apart by a text layer ("tháng 1 2 năm 2025",
    # lamdong-van-ban-cua-so-noi-vu.pdf): one number where the two make a valid one
    line = rx.sub(r"(ng[àa]y\s*)(\d)\s+(\d)(?=\s*th[áa]ng)",
                     lambda g: g.group(1) + g.group(2) + g.group(3) if int(g.group(2) + g.group(3)) <= 31 else g.group(0), line)
    line = rx.sub(r"(th[áa]ng\s*)(\d)\s+(\d)(?=\s*n[ăa]m)",
                     lambda g: g.group(1) + g.group(2) + g.group(3) if int(g.group(2) + g.group(3)) <= 12 else g.group(0), line)
    m = _DATE.search(line)
    if m:
        if not m.group("d") or not m.group("m"):
            return PlaceDate(place, None, True, "date-vn-blank")
        return PlaceDate(place, iso_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), False, "date-vn")
    m = _NUMERIC.search(line)
    if m:
        return PlaceDate(place, iso_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), False,
                         "date-numeric")
    return PlaceDate(place, _dateparser_fallback(line), False, "dateparser")


def _dateparser_fallback(text: str) -> str | None:
    """Only where a day, a month and a year are all written in digits or words."""
    if not rx.search(r"\d{4}", text) or len(rx.findall(r"\d+", text)) < 3:
        return None
    try:
        import dateparser  # slow import: only here
    except ImportError:  # pragma: no cover
        return None
    got = dateparser.parse(text, languages=["vi"], settings={"STRICT_PARSING": True})
    return got.date().isoformat() if got else None
