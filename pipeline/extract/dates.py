"""Dates of the header: "Sơn Tây, ngày 15 tháng 3 năm 2024" -> place "Sơn Tây", date 2024-03-15.

A compiled pattern reads the usual forms (and their ASCII spelling); a blank day or month
("ngày    tháng 4 năm 2026", a draft) gives None, never a guess. dateparser is the fallback for
what the pattern does not cover, and only where a day, month and year are all written.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..rules import load_rules, rx

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
    if place:
        w = place.split()
        if len(w) % 2 == 0 and w[:len(w) // 2] == w[len(w) // 2:]:
            # "… tỉnh Lâm Đồng Lâm Đồng, ngày": a flattened subject ending in the place runs into it
            place = " ".join(w[len(w) // 2:])
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
    m = _SPELT.search(line)
    if m:
        d, mo, y = spelt_number(m.group("d")), spelt_number(m.group("m")), spelt_number(m.group("y"))
        if d and mo and y:
            return PlaceDate(place, iso_date(y, mo, d), False, "date-spelt-out")
    return PlaceDate(place, _dateparser_fallback(line), False, "dateparser")


# "ngày mười lăm tháng ba năm một nghìn chín trăm tám mươi lăm" (rules/landmarks.toml date-spelt-out)
_SPELT = regex.compile(r"ng[àa]y\s+(?P<d>(?:\p{Ll}+\s+){1,4}?)th[áa]ng\s+(?P<m>(?:\p{Ll}+\s+){1,3}?)n[ăa]m\s+"
                       r"(?P<y>\d{4}|\p{Ll}+(?:\s+\p{Ll}+){1,9})", regex.IGNORECASE)


@lru_cache(maxsize=1)
def _number_words() -> dict[str, tuple[str, int]]:
    return {r["word"]: (r["role"], int(r["value"])) for r in load_rules("header_number_words.toml")}


def spelt_number(text: str) -> int | None:
    """The value of a number written in words (rules/header_number_words.toml), else None.

    >>> spelt_number("một nghìn chín trăm tám mươi lăm"), spelt_number("mồng năm"), spelt_number("chạp")
    (1985, 5, 12)
    >>> spelt_number("hai nghìn linh năm"), spelt_number("mươi") is None
    (2005, True)
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    table = _number_words()
    toks = [t for t in text.lower().split() if t]
    if not toks or any(t not in table for t in toks):
        return None
    toks = [t for t in toks if table[t][0] != "day-mark"]
    if len(toks) == 1 and table[toks[0]][0] == "month":
        return table[toks[0]][1]

    def under_100(ts: list[str]) -> int | None:
        if not ts:
            return 0
        roles = [table[t][0] for t in ts]
        vals = [table[t][1] for t in ts]
        if roles[0] == "zero-ten" and len(ts) == 2 and roles[1] == "digit":
            return vals[1]
        if roles[0] == "ten" and len(ts) <= 2 and (len(ts) == 1 or roles[1] == "digit"):
            return 10 + (vals[1] if len(ts) == 2 else 0)
        if roles[0] == "digit" and len(ts) >= 2 and roles[1] == "tens" and len(ts) <= 3 \
                and (len(ts) == 2 or roles[2] == "digit"):
            return vals[0] * 10 + (vals[2] if len(ts) == 3 else 0)
        if len(ts) == 1 and roles[0] == "digit":
            return vals[0]
        return None

    def under_1000(ts: list[str]) -> int | None:
        k = next((i for i, t in enumerate(ts) if table[t][0] == "hundred"), None)
        if k is None:
            return under_100(ts)
        if k != 1 or table[ts[0]][0] != "digit":
            return None
        rest = under_100(ts[2:])
        return None if rest is None else table[ts[0]][1] * 100 + rest

    k = next((i for i, t in enumerate(toks) if table[t][0] == "thousand"), None)
    if k is None:
        return under_1000(toks)
    head, tail = under_1000(toks[:k]), under_1000(toks[k + 1:])
    if not head or tail is None:
        return None
    return head * 1000 + tail


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
