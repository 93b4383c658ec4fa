"""Duties written as table rows: one task per row of a table whose header names duty columns.

Plans (Kế hoạch), action programmes and the Phụ lục of decisions list duties as rows:
STT | Nội dung / Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm.
The column names and their roles, and the markers of group rows, are data
(``rules/task_tables.toml``); this module

* reads the header row (two rows where a merged name sits over "Chủ trì" | "Phối hợp"), gives
  each grid column its role, and keeps a table only where it has an ``action`` and a ``lead``
  column (a table of scores, "STT | Đơn vị | Tỷ lệ %", names no duty);
* makes one task per body row: the action cell is the action, the lead cell the lead (a cell
  "Sở A; UBND các xã" is two assignees, the first the lead), the coordinators cell the
  coordinators, the time cell the deadline (``deadlines.parse_deadline``; a year written in the
  time column's header, "Thời gian (Năm 2026)", dates "ngày 23 tháng 1"), the result cell
  ``Task.result``; a vertically merged cell gives its value to every row it covers;
* turns group rows (I., II., A.; a bold 1. with no body; a row of one merged cell) into section
  headings: ``section`` is the table's own section in the letter, then the group labels, then
  the row's number ("III.1.a.1"); a group row's body or time cell is inherited by its rows;
* recovers a table that a text copy flattened one cell per line (soffice TXT, web copies): the
  header is found from its column names, rows start at a line holding the next number, and the
  lines of a row are shared out among the columns in order (a time cell starts with a date or a
  time, a lead cell does not).

``merge_table_tasks`` is the one call ``extract_tasks`` makes: it adds the rows' tasks in reading
order and drops the sentence-level tasks found inside those tables' text.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import accumulate

import regex

from ..models import Deadline, Header, Section, Segments, Span, Table, TableCell, TableRow, Task
from ..rules import load_rules
from .deadlines import parse_deadline

ROLES = ("number", "action", "lead", "coordinators", "deadline", "result", "status", "note")
_SPACES = regex.compile(r"\s+")
# a trailing parenthesis of a header cell: "Thời gian (Năm 2026)", "Sản phẩm (*)"
_QUALIFIER = regex.compile(r"\s*\(([^()]*)\)\s*$")
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MARKER_CLEAN = regex.compile(r"[.)]+$")
# the leading marker of a group row written in one merged cell: "I. CÔNG TÁC …", "A - …", "1. …"
_LEADING_MARKER = regex.compile(r"^\s*([IVXLC]{1,6}|[A-ZĐ]|\d{1,2}(?:\.\d{1,2})*)\s*[.)\-–:]\s*\S")
# a numbered paragraph after a flattened table ("b) Tổ chức …", "2. Tổ chức …", "IV. TỔ CHỨC …"):
# the table has ended
_PARAGRAPH = regex.compile(r"^\s*(?:[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*\.|[IVXLC]{1,6}\.)\s+\S")
_NUMBER_LINE = regex.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6}|[A-ZĐ])[.)]?\s*$")
_BULLET = regex.compile(r"^\s*[-–+•]\s*")
_DIGIT = regex.compile(r"\d")


@dataclass(frozen=True)
class ColumnRule:
    id: str
    role: str
    pattern: regex.Pattern[str]


@dataclass(frozen=True)
class GroupRule:
    id: str
    pattern: regex.Pattern[str]
    bold: bool = False


@lru_cache(maxsize=1)
def column_rules() -> tuple[ColumnRule, ...]:
    """The ``kind = "column"`` entries of rules/task_tables.toml, compiled."""
    return tuple(ColumnRule(r["id"], r["role"], regex.compile(r["pattern"], regex.IGNORECASE | regex.V1))
                 for r in load_rules("task_tables.toml") if r.get("kind") == "column")


@lru_cache(maxsize=1)
def group_rules() -> tuple[GroupRule, ...]:
    """The ``kind = "group"`` entries of rules/task_tables.toml, compiled."""
    return tuple(GroupRule(r["id"], regex.compile(r["pattern"], regex.V1), bool(r.get("bold")))
                 for r in load_rules("task_tables.toml") if r.get("kind") == "group")


@dataclass(frozen=True)
class TimeRule:
    id: str
    pattern: regex.Pattern[str]
    prefix: str


@lru_cache(maxsize=1)
def time_rules() -> tuple[TimeRule, ...]:
    """The ``kind = "time"`` entries: time cells read again with a prefix ("2025" as "năm 2025")."""
    return tuple(TimeRule(r["id"], regex.compile(r["pattern"], regex.V1), r["prefix"])
                 for r in load_rules("task_tables.toml") if r.get("kind") == "time")


@lru_cache(maxsize=2)
def label_rules(after: bool = False) -> tuple[ColumnRule, ...]:
    """The ``kind = "cell-label"`` entries: "Chủ trì:" / "Phối hợp:" opening a part of a lead cell,
    or (``after``) the marks after a body: "Sở A (chủ trì)"."""
    return tuple(ColumnRule(r["id"], r["role"], regex.compile(r["pattern"], regex.IGNORECASE | regex.V1))
                 for r in load_rules("task_tables.toml")
                 if r.get("kind") == "cell-label" and (r.get("position") == "after") == after)


def marked_roles(bodies: Sequence[str]) -> tuple[list[str], list[str]]:
    """Bodies of a lead cell sorted by the marks after them ("Sở A (chủ trì)", "Sở B (phối hợp)"):
    (leads, coordinators), marks removed; an unmarked body counts as a lead.

    >>> marked_roles(["Sở Tài chính (phối hợp)", "Sở Nội vụ (chủ trì)"])
    (['Sở Nội vụ'], ['Sở Tài chính'])
    """
    marked: list[str] = []
    plain: list[str] = []
    coords: list[str] = []
    rules = label_rules(True)
    for body in bodies:
        for r in rules:
            m = r.pattern.search(body)
            if m:
                (coords if r.role == "coordinators" else marked).append(body[:m.start()].strip())
                break
        else:
            plain.append(body)
    # a body marked "(chủ trì)" leads even where the cell names it second
    return marked + plain, coords


def parse_time_cell(text: str, ref: str | None) -> Deadline | None:
    """The deadline a time column's cell gives: the deadline grammar (weak phrasings too: a cell
    holds nothing else), else a ``kind = "time"`` rule's reading ("30/9/2025", "2025").

    >>> parse_time_cell("2025", None).date, parse_time_cell("30/9/2025", None).date
    ('2025-12-31', '2025-09-30')
    """
    dl = parse_deadline(text, ref, strict=False)
    if dl is not None and (dl.date or dl.recurrence):
        return dl
    for rule in time_rules():
        if rule.pattern.match(text):
            again = parse_deadline(rule.prefix + text.strip(), ref, strict=False)
            if again is not None and again.date:
                return replace(again, rule_id=rule.id)
    return dl


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def column_role(name: str) -> tuple[str, str, str | None] | None:
    """(role, rule id, qualifier) of a header cell's text, else None.

    >>> column_role("Trách nhiệm\\nthực hiện")[:2]
    ('lead', 'col-lead')
    >>> column_role("Thời gian (Năm 2026)")
    ('deadline', 'col-deadline', 'Năm 2026')
    """
    text = _one_line(name).strip(" :*")
    qualifier = None
    q = _QUALIFIER.search(text)
    if q and q.start() > 0:
        qualifier = q.group(1).strip() or None
        text = text[:q.start()].strip(" :*")
    if not text or len(text) > 80:
        return None
    for rule in column_rules():
        if rule.pattern.match(text):
            return rule.role, rule.id, qualifier
    return None


def group_marker(label: str, bold: bool) -> str | None:
    """The rule id that makes ``label`` (a row's number cell) a group row's marker, else None.

    >>> group_marker("II.", False), group_marker("1", True), group_marker("1", False)
    ('group-roman', 'group-arabic-bold', None)
    """
    label = label.strip()
    for rule in group_rules():
        if rule.pattern.match(label) and (bold or not rule.bold):
            return rule.id
    return None


# ---------------------------------------------------------------- the grid of a table

@dataclass(frozen=True)
class _Cell:
    text: str
    span: Span | None
    bold: bool
    source: TableCell | None     # None: covered by a merge (its text is the merged cell's)


def _grid(table: Table) -> list[list[_Cell]]:
    """Rows of grid columns: a cell spanning columns fills each of them once (the first holds the
    text), a vertical merge's continuation takes the text of the cell above."""
    ncols = max((c.col + c.colspan for r in table.rows for c in r.cells), default=0)
    grid: list[list[_Cell]] = []
    empty = _Cell("", None, False, None)
    for r in table.rows:
        row = [empty] * ncols
        for c in r.cells:
            if c.merged_above and grid and c.col < ncols:
                above = grid[-1][c.col]
                cell = _Cell(above.text, above.span, above.bold, None)
            else:
                cell = _Cell(c.text, c.span, c.bold, c)
            for k in range(c.col, min(ncols, c.col + max(1, c.colspan))):
                row[k] = cell if k == c.col or c.merged_above else _Cell("", None, c.bold, None)
        grid.append(row)
    return grid


@dataclass(frozen=True)
class _Columns:
    roles: dict[int, tuple[str, str]]      # grid column -> (role, rule id)
    header_rows: int
    year: int | None                        # a year the time column's header names: it dates the cells
    names: tuple[str, ...]                  # the header's texts, to drop a repeated header row
    qualifier: str | None = None            # that header's parenthesis as written ("Năm 2026")


def _header(grid: list[list[_Cell]]) -> _Columns | None:
    """The duty columns named by the table's first rows, or None where it names no duty table."""
    for h in range(min(4, len(grid))):  # a title row or two may stand above the header
        roles: dict[int, tuple[str, str]] = {}
        year = None
        qualifier = None
        for j, cell in enumerate(grid[h]):
            if not cell.text.strip():
                continue
            got = column_role(cell.text)
            if got:
                roles[j] = (got[0], got[1])
                y = _YEAR.search(got[2] or "")
                if y and got[0] == "deadline":
                    year, qualifier = int(y.group(1)), got[2]
        have = {r for r, _ in roles.values()}
        if "status" in have or _sub_header_has(grid, h, "status"):
            return None          # a report's table of progress: what was done, not what to do
        if "action" not in have or "lead" not in have and not _sub_header_has(grid, h, "lead"):
            continue
        rows = h + 1
        # a second header row under merged names: "Đơn vị thực hiện" over "Chủ trì" | "Phối hợp"
        if rows < len(grid):
            sub = {j: column_role(c.text) for j, c in enumerate(grid[rows]) if c.text.strip()}
            if sub and all(v is not None for v in sub.values()):
                for j, got in sub.items():
                    assert got is not None
                    roles[j] = (got[0], got[1])
                    y = _YEAR.search(got[2] or "")
                    if y and got[0] == "deadline":
                        year, qualifier = int(y.group(1)), got[2]
                rows += 1
        # a row of column numbers under the header: "(1) | (2) | (3)"
        if rows < len(grid) and all(regex.fullmatch(r"\(?\d{1,2}\)?", c.text.strip() or "0")
                                    for c in grid[rows]):
            rows += 1
        names = tuple(_one_line(c.text).lower() for c in grid[h])
        return _Columns(roles, rows, year, names, qualifier)
    return None


def _sub_header_has(grid: list[list[_Cell]], h: int, role: str) -> bool:
    if h + 1 >= len(grid):
        return False
    return any((column_role(c.text) or ("",))[0] == role for c in grid[h + 1] if c.text.strip())


# ---------------------------------------------------------------- rows to tasks

def _bodies(cell: str) -> list[str]:
    """The bodies a lead or coordinators cell names, in order: "Sở A; UBND các xã" is two,
    a dash list one per item, a group stays a group ("Các sở, ban, ngành")."""
    from .tasks import split_bodies

    items: list[str] = []
    cur: list[str] = []
    for line in cell.split("\n"):
        if _BULLET.match(line) and cur:
            items.append(" ".join(cur))
            cur = []
        cur.append(_BULLET.sub("", line).strip())
    if cur:
        items.append(" ".join(cur))
    out: list[str] = []
    for item in items:
        for part in item.split(";"):
            part = _one_line(part).strip(" ,.;:-–")
            if not part:
                continue
            for body in split_bodies(part) or [part]:
                if body and body not in out:
                    out.append(body)
    return out


def _labelled(cell: str) -> tuple[str, str]:
    """A lead cell split by its labels ("Chủ trì: Sở A; Phối hợp: Sở B"): (lead part, the part
    labelled coordinators). A cell with no label is all lead."""
    rules = label_rules()
    if not cell.strip() or not any(r.pattern.search(cell) for r in rules):
        return cell, ""
    parts: dict[str, str] = {"lead": "", "coordinators": ""}
    role, sep = "lead", ""
    for chunk in regex.split(r"(\n|;)", cell):
        if chunk in ("\n", ";"):
            sep = sep if sep == ";" else chunk
            continue
        if not chunk.strip():
            continue
        for r in rules:
            m = r.pattern.match(chunk)
            if m:                     # a label opens a new part; otherwise the line goes on
                role, chunk, sep = r.role, chunk[m.end():], ";"
                break
        parts[role] = (parts.get(role, "") + sep + chunk) if parts.get(role) else chunk
        sep = ""
    return parts["lead"].strip(" ;"), parts["coordinators"].strip(" ;")


def _span(cells: Sequence[_Cell]) -> Span | None:
    spans = [c.span for c in cells if c.span is not None]
    if not spans:
        return None
    return Span(min(s.start for s in spans), max(s.end for s in spans))


def _section_of(start: int | None, sections: Sequence[Section]) -> str | None:
    """The deepest numbered section of the letter that holds the table."""
    if start is None:
        return None
    best: Section | None = None
    for s in sections:
        if s.span.start <= start < s.span.end and (best is None or s.span.end - s.span.start <= best.span.end - best.span.start):
            best = s
    return best.path if best else None


def _join(*parts: str | None) -> str | None:
    got = [p for p in parts if p]
    return ".".join(got) if got else None


def table_tasks(table: Table, index: int, header: Header, sections: Sequence[Section],
                columns: _Columns | None = None) -> list[Task]:
    """The tasks of one table's rows ([] where its header names no duty columns).

    Args:
        table: a table of the letter; index: its place in the letter's tables (``Task.row``);
        header: the letter's header (its date dates a time cell without a year); sections: the
        letter's numbered sections (the table's own section starts each task's ``section``).
    """
    grid = _grid(table)
    cols = columns or _header(grid)
    if cols is None:
        return []
    role_cols: dict[str, list[int]] = {}
    for j, (role, _rid) in sorted(cols.roles.items()):
        role_cols.setdefault(role, []).append(j)
    lead_rule = next((rid for role, rid in cols.roles.values() if role == "lead"), "col-lead")
    ref = f"{cols.year}-01-01" if cols.year else header.date
    qualifier = f" ({cols.qualifier})" if cols.qualifier else ""
    base = _section_of((table.span or Span(0, 0)).start if table.span else None, sections)

    def text_of(row: list[_Cell], role: str) -> str:
        seen: list[str] = []
        for j in role_cols.get(role, []):
            if j < len(row) and row[j].text.strip() and row[j].text not in seen:
                seen.append(row[j].text)
        return "\n".join(seen)

    groups: list[tuple[str, str]] = []           # (rule id, label) of the open group rows
    inherited: dict[str, str] = {}               # lead/coordinators/deadline a group row gives its rows
    out: list[Task] = []
    for i, row in enumerate(grid[cols.header_rows:], start=cols.header_rows):
        texts = [c.text for c in row]
        if not any(t.strip() for t in texts):
            continue
        if tuple(_one_line(t).lower() for t in texts) == cols.names:
            continue                               # the header repeated (a table pasted from pages)
        number = _MARKER_CLEAN.sub("", _one_line(text_of(row, "number")))
        action = _one_line(text_of(row, "action"))
        lead_cell = text_of(row, "lead")
        bold = any(c.bold for c in row if c.text.strip())
        distinct = {id(c.source) for c in row if c.text.strip()}
        gid = group_marker(number, bold) if number else None
        if gid == "group-arabic-bold" and (lead_cell.strip() or not action):
            gid = None
        if len(distinct) == 1 and not lead_cell.strip() and not gid:
            # one cell across the row: "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", or a bold title
            text = _one_line(next(c.text for c in row if c.text.strip()))
            m = _LEADING_MARKER.match(text)
            if m or bold:
                gid = "group-merged-row"
                number = m.group(1) if m else ""
        if gid:
            # the label's style says its level: a new "II" closes "I" and whatever opened under it
            kind = (group_marker(number, True) or gid) if gid == "group-merged-row" else gid
            if any(g[0] == kind for g in groups):
                while groups and groups.pop()[0] != kind:
                    pass
            groups.append((kind, number))
            inherited = {role: text_of(row, role) for role in ("lead", "coordinators", "deadline")
                         if text_of(row, role).strip()}
            continue
        if not action:
            continue
        lead_text = lead_cell if lead_cell.strip() else inherited.get("lead", "")
        coord_text = text_of(row, "coordinators") or inherited.get("coordinators", "")
        time_text = _one_line(text_of(row, "deadline") or inherited.get("deadline", ""))
        result = _one_line(text_of(row, "result")) or None
        lead_text, labelled = _labelled(lead_text)
        coord_text = "\n".join(x for x in (coord_text, labelled) if x.strip())
        bodies, marked = marked_roles(_bodies(lead_text)) if lead_text.strip() else ([], [])
        coords = [b for b in marked + (_bodies(coord_text) if coord_text.strip() else []) if b not in bodies]
        lead = bodies[0] if bodies else None
        deadline = Deadline()
        if time_text:
            dl = parse_time_cell(time_text, ref)
            deadline = replace(dl, text=time_text + qualifier) if dl else Deadline(text=time_text)
        section = _join(base, *[g[1] for g in groups if g[1]], number or None)
        span = _span(row)
        out.append(Task(
            lead=lead, action=action, assignees=tuple(bodies + coords), coordinators=tuple(coords),
            deadline=deadline, section=section, result=result,
            complete={"who": bool(lead), "what": len(action.split()) >= 3,
                      "when": bool(deadline.date or deadline.recurrence or deadline.relative_days is not None),
                      "result": result is not None, "responsibility": len(bodies) == 1},
            sentence=" | ".join(_one_line(t) for t in texts if t.strip()), span=span,
            rule_id=lead_rule, row={"table": index, "row": i}))
    return out


# ---------------------------------------------------------------- tables flattened into text

_MIN_COLUMNS = 3


def _header_at(lines: list[str], i: int) -> tuple[list[tuple[str, str, str | None]], int] | None:
    """The column names of a header written one name per line from line ``i`` (a name may wrap:
    "Trách nhiệm" / "thực hiện", "Thời gian" / "(Năm 2026)"): [(role, rule id, qualifier)] and
    the line after the header."""
    names: list[tuple[str, str, str | None]] = []
    k = i
    while k < len(lines) and len(names) < 10:
        best = None
        for w in (3, 2, 1):
            if k + w > len(lines) or any(not lines[x].strip() for x in range(k, k + w)):
                continue
            got = column_role(" ".join(lines[k:k + w]))
            if got:
                best = (got, w)
                break
        if best is None:
            break
        names.append(best[0])
        k += best[1]
    roles = {n[0] for n in names}
    if len(names) < _MIN_COLUMNS or names[0][0] != "number" or not {"action", "lead"} <= roles or "status" in roles:
        return None
    return names, k


@lru_cache(maxsize=4096)
def _time_like(line: str) -> bool:
    return bool(_DIGIT.search(line)) or parse_deadline(line, None, strict=False) is not None


def _share(lines: list[str], roles: list[str]) -> list[list[int]]:
    """Which lines go to which column: contiguous groups in column order, best score first. A time
    cell starts with a date or a time, a lead cell does not; an action cell starts long."""
    n, c = len(lines), len(roles)

    @cache
    def best(i: int, j: int) -> tuple[float, tuple[int, ...]]:
        if j == c:
            return (0.0, ()) if i == n else (-1e9, ())
        out: tuple[float, tuple[int, ...]] = (-1e9, ())
        for e in range(i, n + 1):
            if n - e < 0:
                break
            sc = _score(lines[i:e], roles[j])
            rest = best(e, j + 1)
            if sc + rest[0] > out[0]:
                out = (sc + rest[0], (e,) + rest[1])
        return out

    ends = best(0, 0)[1]
    groups: list[list[int]] = []
    start = 0
    for e in ends:
        groups.append(list(range(start, e)))
        start = e
    return groups


def _score(group: list[str], role: str) -> float:
    if any(not ln.strip() for ln in group):
        return 0.5 if len(group) == 1 else -5.0    # a blank line is an empty cell of its own
    if not group:
        return -0.5 if role in ("note", "result", "coordinators") else -3.0
    first = group[0]
    if role == "deadline":
        return 2.0 if _time_like(first) else -2.0
    if role == "lead":
        return -1.5 if _time_like(first) and len(first) < 60 else 0.5
    if role == "action":
        # a short line after the action is rather the start of the next cell ("Lãnh đạo" / "Sở Y tế")
        return (1.0 if len(first) > 40 else 0.0) - 0.3 * sum(1 for ln in group[1:] if len(ln.strip()) < 30)
    return 0.0


def text_tables(text: str, covered: Sequence[Span] = ()) -> list[tuple[Table, _Columns]]:
    """Duty tables that a text copy flattened one cell per line, rebuilt with spans into ``text``.

    >>> t = "TT\\nNội dung\\nĐơn vị chủ trì\\nThời hạn\\n1\\nRà soát hồ sơ tồn đọng của đơn vị\\nSở Nội vụ\\nTháng 6/2025\\n"
    >>> [[c.text for c in r.cells] for r in text_tables(t)[0][0].rows][1]
    ['1', 'Rà soát hồ sơ tồn đọng của đơn vị', 'Sở Nội vụ', 'Tháng 6/2025']
    """
    if not _number_header_somewhere(text):
        return []
    lines = text.split("\n")
    offs = [0, *accumulate(map((1).__add__, map(len, lines[:-1])))]  # each line's start (in C)
    # the lines a table's header can open at (a number column's name), found in one pass: the scan
    # below jumps from one to the next (issue 15: the same lines as _number_rule_match on each)
    number = _number_rule().match
    starts = [k for k, ln in enumerate(lines) if 0 < len(st := ln.strip()) < 16 and number(st) is not None]
    out: list[tuple[Table, _Columns]] = []
    at = 0  # index into starts
    while at < len(starts):
        i = starts[at]
        at += 1
        if any(s.start <= offs[i] < s.end for s in covered):
            continue
        got = _header_at(lines, i)
        if got is None:
            continue
        names, k = got
        roles = [r for r, _, _ in names]
        year, qualifier = None, None
        for role, _, q in names:
            y = _YEAR.search(q or "")
            if y and role == "deadline":
                year, qualifier = int(y.group(1)), q

        def cell(a: int, b: int, col: int) -> TableCell:
            if a >= b:
                return TableCell("", col=col)
            return TableCell("\n".join(ln.strip() for ln in lines[a:b]), Span(offs[a], offs[b - 1] + len(lines[b - 1])), col=col)

        header_row = _header_row(lines, offs, i, k, len(names))
        rows = [header_row]
        r = k
        while r < len(lines) and (_NUMBER_LINE.match(lines[r]) or _group_line(lines, r)):
            if not _NUMBER_LINE.match(lines[r]):
                # "II. NHIỆM VỤ CỤ THỂ" on its own line, a numbered row after it: a group row
                rows.append(TableRow((TableCell(lines[r].strip(), Span(offs[r], offs[r] + len(lines[r])),
                                                col=0, colspan=len(names)),)))
                r += 1
                continue
            e = r + 1
            while e < len(lines) and not _NUMBER_LINE.match(lines[e]) and not _PARAGRAPH.match(lines[e]) \
                    and e - r <= 4 * len(names):
                if not lines[e].strip() and not (e + 1 < len(lines) and lines[e + 1].strip()
                                                 and not _NUMBER_LINE.match(lines[e + 1])
                                                 and not _PARAGRAPH.match(lines[e + 1]) and e - r < len(names)):
                    break     # a blank line ends the row, unless it stands for an empty cell inside it
                e += 1
            body = list(range(r + 1, e))
            groups = _share([lines[x] for x in body], roles[1:])
            cells = [cell(r, r + 1, 0)]
            for j, g in enumerate(groups, start=1):
                blank = not g or not any(lines[body[x]].strip() for x in g)
                cells.append(TableCell("", col=j) if blank else cell(body[g[0]], body[g[-1]] + 1, j))
            rows.append(TableRow(tuple(cells)))
            r = e
        if len(rows) > 1:
            table = Table(tuple(rows), source="text")
            roles_map = {j: (role, rid) for j, (role, rid, _q) in enumerate(names)}
            out.append((table, _Columns(roles_map, 1, year, tuple(_one_line(c.text).lower() for c in header_row.cells),
                                        qualifier)))
        at = bisect_left(starts, max(r, i + 1))  # the scan goes on after the table
    return out


def _group_line(lines: list[str], r: int) -> bool:
    """A group heading inside a flattened table: a marked line ("I. …", "A. …") with a row number
    on the next line."""
    return bool(_LEADING_MARKER.match(lines[r]) and len(lines[r]) < 200 and r + 1 < len(lines)
                and _NUMBER_LINE.match(lines[r + 1]))


def _header_row(lines: list[str], offs: list[int], i: int, k: int, n: int) -> TableRow:
    """The header's names as cells (wrapped names joined), for the row that ``_columns`` reads."""
    cells: list[TableCell] = []
    x = i
    while x < k and len(cells) < n:
        w = 1
        for cand in (3, 2, 1):
            if x + cand <= k and column_role(" ".join(lines[x:x + cand])):
                w = cand
                break
        text = "\n".join(ln.strip() for ln in lines[x:x + w])
        cells.append(TableCell(text, Span(offs[x], offs[x + w - 1] + len(lines[x + w - 1])), col=len(cells), bold=True))
        x += w
    return TableRow(tuple(cells), header=True)


@lru_cache(maxsize=1)
def _number_rule() -> regex.Pattern[str]:
    rule = next(r for r in column_rules() if r.role == "number")
    return rule.pattern


def _number_rule_match(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) < 16 and _number_rule().match(s) is not None


@lru_cache(maxsize=1)
def _number_header_line() -> regex.Pattern[str]:
    pat = _number_rule().pattern.strip("^$")
    return regex.compile(rf"(?m)^[ \t]*(?:{pat})[ \t]*$", regex.IGNORECASE | regex.V1)


@lru_cache(maxsize=1)
def _number_header_after_break() -> regex.Pattern[str]:
    """_number_header_line opening with the line break before its line, not at a line start: the
    engine looks for the break's character instead of trying every position (issue 15)."""
    pat = _number_rule().pattern.strip("^$")
    return regex.compile(rf"(?m)\n[ \t]*(?:{pat})[ \t]*$", regex.IGNORECASE | regex.V1)


def _number_header_somewhere(text: str) -> bool:
    """A line holding only a number column's name ("STT", "TT"): the one pass a letter with no
    flattened table costs. The first line, or a line after a "\\n" (the only break a multiline
    ``^`` follows): ``_number_header_line().search(text)`` (tests/test_tasks_speed3.py)."""
    return _number_header_line().match(text) is not None or _number_header_after_break().search(text) is not None


# ---------------------------------------------------------------- the call from extract_tasks

def extract_table_tasks(seg: Segments, header: Header, sections: Sequence[Section]) -> tuple[list[Task], list[Span]]:
    """Tasks of every duty table of the letter (its reader's tables, then tables flattened into
    its text), and the spans of those tables.

    >>> from pipeline.models import Header, Segments
    >>> t = "TT\\nNội dung\\nCơ quan chủ trì\\nThời gian hoàn thành\\n1\\nRà soát hồ sơ tồn đọng\\nSở Nội vụ; UBND các xã\\nQuý II/2025\\n"
    >>> [(x.lead, x.assignees, x.deadline.date, x.row) for x in extract_table_tasks(Segments(text=t), Header(), [])[0]]
    [('Sở Nội vụ', ('Sở Nội vụ', 'UBND các xã'), '2025-06-30', {'table': 0, 'row': 1})]
    """
    tasks: list[Task] = []
    spans: list[Span] = []
    prev: tuple[_Columns, int, Span] | None = None     # the last duty table: its columns, width, span
    for i, table in enumerate(seg.tables):
        grid = _grid(table)
        cols = _header(grid)
        width = len(grid[0]) if grid else 0
        span = table.span
        if cols is None and prev is not None and span is not None and width == prev[1] \
                and 0 <= span.start - prev[2].end < 400:
            # a table Word split in two (or a page's part of one) with no header of its own
            cols = replace(prev[0], header_rows=0)
        if cols is None:
            continue
        got = table_tasks(table, i, header, sections, cols)
        if got and span is not None:
            spans.append(span)
            prev = (cols, width, span)
        tasks.extend(got)
    covered = [t.span for t in seg.tables if t.span is not None]
    for k, (table, cols) in enumerate(text_tables(seg.text, covered), start=len(seg.tables)):
        got = table_tasks(table, k, header, sections, cols)
        if got and table.span is not None:
            spans.append(table.span)
        tasks.extend(got)
    return tasks, spans


def merge_table_tasks(tasks: list[Task], seg: Segments, header: Header, sections: Sequence[Section]) -> list[Task]:
    """``tasks`` (found in sentences) with the duty tables' rows added in reading order, less the
    sentence tasks whose text lies inside one of those tables. Cheap for a letter with no table:
    one look for a number column's name in its text."""
    if not seg.tables and not _number_header_somewhere(seg.text):
        return tasks
    rows, spans = extract_table_tasks(seg, header, sections)
    if not rows:
        return tasks
    kept = [t for t in tasks if not _inside(t.span, spans)]
    # merged, each list keeping its own order: a row goes before the first sentence task after it
    rows.sort(key=_start)
    out: list[Task] = []
    i = 0
    for t in kept:
        while i < len(rows) and t.span is not None and _start(rows[i]) < t.span.start:
            out.append(rows[i])
            i += 1
        out.append(t)
    out.extend(rows[i:])
    return out


def _start(task: Task) -> int:
    return task.span.start if task.span is not None else 10**12


def _inside(span: Span | None, tables: Sequence[Span]) -> bool:
    """Most of ``span`` lies inside one of the tables."""
    if span is None:
        return False
    size = max(1, span.end - span.start)
    return any(min(span.end, t.end) - max(span.start, t.start) > size / 2 for t in tables)
