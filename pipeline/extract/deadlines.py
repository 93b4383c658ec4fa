"""Deadlines as a grammar: dates, quarters, months, recurrences, relative periods. (issue 6)

The patterns live in ``rules/deadlines.toml`` (compiled regex with named groups); this module
turns a match into a :class:`~pipeline.models.Deadline`. ``due_date`` computes the end date of a
relative deadline ("trong 05 ngày làm việc kể từ ngày nhận được văn bản") from the day the
letter was received, skipping weekends, Vietnam's public holidays (``holidays.VN``, lunar Tết
included) and the announced day swaps of ``rules/holiday_swaps.toml``.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import regex

from ..models import Deadline, Span
from ..rules import load_rules, load_table, rx

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
DATE_KINDS = ("date", "day", "quarter", "month", "half", "year", "relative")


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    kind: str
    pattern: regex.Pattern[str]
    recurrence: str | None = None
    weak: bool = False
    # a pattern every match of ``pattern`` contains (a trigger word, a digit): where it is absent
    # from a text, the grammar is not run there (issue 15)
    prefilter: regex.Pattern[str] | None = None


@dataclass(frozen=True)
class DeadlineMatch:
    """One phrase of the grammar found in a text: the rule, its span, the value it gives."""

    rule: DeadlineRule
    span: Span
    text: str
    date: str | None = None
    relative_days: int | None = None
    working_days: bool = False


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for _ in range(3):
        for k, v in macros.items():
            pattern = pattern.replace("{" + k + "}", v)
    return pattern


@lru_cache(maxsize=1)
def deadline_rules() -> tuple[DeadlineRule, ...]:
    """The compiled rules of rules/deadlines.toml, in file order."""
    macros = load_table("deadlines.toml").get("macros", {})
    out = []
    for r in load_rules("deadlines.toml"):
        pat = regex.compile(_expand(r["grammar"], macros), regex.V0 | regex.IGNORECASE)
        pre = regex.compile(r["prefilter"], regex.V0 | regex.IGNORECASE) if r.get("prefilter") else None
        out.append(DeadlineRule(r["id"], r["kind"], pat, r.get("recurrence"), bool(r.get("weak")), pre))
    return tuple(out)


def _ref(ref: date | str | None) -> date | None:
    if isinstance(ref, str):
        try:
            return date.fromisoformat(ref[:10])
        except ValueError:
            return None
    return ref


def _value(rule: DeadlineRule, m: regex.Match[str], ref: date | None) -> tuple[str | None, int | None, bool]:
    """(ISO date, relative days, working days) of one match; date None where it cannot be known."""
    g = m.groupdict()
    year = int(g["y"]) if g.get("y") else (ref.year if ref else None)
    if rule.kind == "date":
        try:
            d, mo = int(g["d"]), int(g["m"])
            if year is None:
                return None, None, False
            val = date(year, mo, d)
        except (ValueError, TypeError):
            return None, None, False
        if not g.get("y") and ref and val < ref - timedelta(days=31):
            val = date(year + 1, mo, d)  # "trước ngày 15/01" in a December letter
        return val.isoformat(), None, False
    if rule.kind == "quarter":
        qs = [ROMAN[g[k].upper()] for k in ("q", "q2", "q3", "q4") if g.get(k)]
        if year is None:
            return None, None, False
        q = max(qs)
        mo = 3 * q
        return date(year, mo, calendar.monthrange(year, mo)[1]).isoformat(), None, False
    if rule.kind == "month":
        mo = int(g["m"])
        if not 1 <= mo <= 12 or year is None:
            return None, None, False
        return date(year, mo, calendar.monthrange(year, mo)[1]).isoformat(), None, False
    if rule.kind == "half":
        if year is None:
            return None, None, False
        return (date(year, 6, 30) if g["half"].lower() == "đầu" else date(year, 12, 31)).isoformat(), None, False
    if rule.kind == "year":
        return (date(year, 12, 31).isoformat() if year else None), None, False
    if rule.kind == "relative":
        return None, int(g["n"]), bool(g.get("wd"))
    return None, None, False


def find_deadline_phrases(text: str, ref: date | str | None = None, strict: bool = True) -> list[DeadlineMatch]:
    """Every phrase of the grammar in ``text``, left to right, overlaps resolved longest first.

    ``ref`` (the document date) supplies a missing year. ``strict`` leaves out weak rules.

    >>> [m.date for m in find_deadline_phrases("báo cáo trước ngày 30/6/2024")]
    ['2024-06-30']
    """
    return list(_find_deadline_phrases(text, ref, strict))


@lru_cache(maxsize=4096)
def _find_deadline_phrases(text: str, ref: date | str | None, strict: bool) -> tuple[DeadlineMatch, ...]:
    # cached: task extraction asks again about the same action text (half the calls on the corpus)
    refd = _ref(ref)
    found: list[DeadlineMatch] = []
    triggers: dict[str, bool] = {}  # each prefilter looked for once a text (most rules share "a digit")
    for rule in deadline_rules():
        if strict and rule.weak:
            continue
        pre = rule.prefilter
        if pre is not None:
            hit = triggers.get(pre.pattern)
            if hit is None:
                hit = triggers[pre.pattern] = pre.search(text) is not None
            if not hit:
                continue
        for m in rule.pattern.finditer(text):
            dt, n, wd = _value(rule, m, refd)
            found.append(DeadlineMatch(rule, Span(m.start(), m.end()), m.group(0), dt, n, wd))
    # date phrases and recurrences may overlap each other ("Định kỳ trước ngày 15 tháng 12 hằng
    # năm"), but within a family the longest phrase wins
    out: list[DeadlineMatch] = []
    for fam in (lambda k: k in DATE_KINDS, lambda k: k == "recurrence", lambda k: k == "urgent"):
        taken: list[DeadlineMatch] = []
        for dm in sorted((f for f in found if fam(f.rule.kind)),
                         key=lambda f: (-(f.span.end - f.span.start), f.span.start)):
            if any(dm.span.start < t.span.end and t.span.start < dm.span.end for t in taken):
                continue
            taken.append(dm)
        out.extend(taken)
    # a date that is the duty's content ("gia hạn … đến ngày …", "từ ngày … đến ngày …") is no deadline
    content = [f for f in found if f.rule.kind == "content"]
    out = [f for f in out if f.rule.kind not in DATE_KINDS or not any(
        c.span.start <= f.span.start and f.span.end <= c.span.end for c in content)]
    out.extend(content)
    return tuple(sorted(out, key=lambda f: (f.span.start, f.span.end)))


def parse_deadline(text: str, ref: date | str | None = None, strict: bool = True) -> Deadline | None:
    """The deadline a text states: its first date phrase, any recurrence, urgency.

    A recurring deadline gives no date unless the text names a year ("định kỳ hằng tháng trước
    ngày 20": monthly, date null). A relative one keeps its text and day count, date null.

    >>> parse_deadline("trong quý I năm 2024").date
    '2024-03-31'
    >>> parse_deadline("định kỳ hằng tháng trước ngày 20").recurrence
    'monthly'
    """
    phrases = find_deadline_phrases(text, ref, strict)
    dates = [p for p in phrases if p.rule.kind in DATE_KINDS]
    recs = [p for p in phrases if p.rule.kind == "recurrence"]
    urgent = any(p.rule.kind == "urgent" for p in phrases)
    if not dates and not recs:
        return Deadline(urgent=True, rule_id="urgent") if urgent else None
    first = dates[0] if dates else None
    rec = _recurrence(recs, first)
    if first is None:
        r = recs[0]
        return Deadline(text=_join_text(text, recs), recurrence=rec, urgent=urgent, rule_id=r.rule.id)
    dt = first.date
    if rec and first.rule.kind == "date" and not rx.search(r"\d{4}", first.text):
        dt = None
    if first.rule.kind == "quarter" and (first.rule and rx.search(r"quý\s+\S+\s*(?:,|và)", first.text, regex.I)):
        rec = rec or "quarterly"  # "trong quý II, III, IV": each quarter's tasks
    near = [first] + [r for r in recs if abs(r.span.start - first.span.end) < 4 or abs(first.span.start - r.span.end) < 4]
    return Deadline(date=dt, text=_join_text(text, near), recurrence=rec,
                    relative_days=first.relative_days, working_days=first.working_days,
                    urgent=urgent, rule_id=first.rule.id)


def _recurrence(recs: list[DeadlineMatch], first: DeadlineMatch | None) -> str | None:
    if not recs:
        return None
    specific = [r for r in recs if r.rule.recurrence != "periodic"]
    weekly = [r for r in recs if r.rule.id == "rec-interval"]
    if weekly:
        return "periodic"
    # "căn cứ kế hoạch cải cách hành chính hằng năm …, định kỳ hằng tháng rà soát": the explicit
    # "định kỳ" says how often the duty recurs; a bare "hằng năm" may only describe a noun
    specific.sort(key=lambda r: not r.text.lower().startswith("định kỳ"))
    return (specific or recs)[0].rule.recurrence


def _join_text(text: str, parts: list[DeadlineMatch]) -> str:
    s = min(p.span.start for p in parts)
    e = max(p.span.end for p in parts)
    return " ".join(text[s:e].split()).strip(" ,;")


@lru_cache(maxsize=1)
def _swaps() -> tuple[frozenset[date], frozenset[date]]:
    work: set[date] = set()
    off: set[date] = set()
    for r in load_rules("holiday_swaps.toml"):
        work.update(date.fromisoformat(d) for d in r.get("work", []))
        off.update(date.fromisoformat(d) for d in r.get("off", []))
    return frozenset(work), frozenset(off)


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    import holidays  # imported here: building the calendar is only needed for relative deadlines

    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_working_day(day: date) -> bool:
    """A day offices work: Monday-Friday, not a public holiday or announced day off, plus the
    Saturdays announced as worked in exchange (rules/holiday_swaps.toml).

    >>> is_working_day(date(2024, 2, 12))  # Tết Giáp Thìn
    False
    """
    work, off = _swaps()
    if day in work:
        return True
    if day in off or day in _holidays(day.year):
        return False
    return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def due_date(deadline: Deadline, received_date: date | str | None = None) -> date | None:
    """The day a deadline ends: its own date, else its relative period counted from the day the
    letter was received (working days skip weekends, holidays and day swaps); None if unknown.

    >>> due_date(Deadline(relative_days=5, working_days=True), date(2024, 2, 7))
    datetime.date(2024, 2, 21)
    """
    if deadline.date:
        return date.fromisoformat(deadline.date)
    rec = _ref(received_date)
    if deadline.relative_days is None or rec is None:
        return None
    if deadline.working_days:
        return add_working_days(rec, deadline.relative_days)
    return rec + timedelta(days=deadline.relative_days)
