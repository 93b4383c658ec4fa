"""Tables kept as tables: PDF tables from their ruling lines, and cell spans anchored in the text.

* ``find_pdf_tables(data, page_texts, text)``: the ruled tables of a text PDF, found with
  pdfplumber's table finder (cells from the page's drawn lines and rectangles). pdfplumber parses a
  page in ~70-100 ms where the PDF reader spends ~7, so only pages that may hold a table are
  parsed: a page with a duty table's header row, one to three lines made mostly of the column
  names of ``rules/task_tables.toml``, an action's and a lead's among them ("Nội dung",
  "Cơ quan chủ trì"; running text that says "chủ trì" is no header), and the pages right after
  it while its table runs to the page foot (a table cut by a page break). A page with no such
  lines costs one regex pass (~0.35 ms); tables that name no duty are not looked for in PDFs.
  Measured on the corpus PDFs that hold tables (lamdong-329-bao-cao-cchc-nam-2025.pdf,
  lamdong-ttxt-05-11-….pdf, lamdong-so-tu-phap.pdf, and a soffice print of
  lamdong-kh-tuyen-truyen-cchc-nam-2026.docx): every table there is drawn with lines, and
  PDFium's path objects show the same (cells bounded by thin horizontal and vertical paths), so
  the line finder finds them all; column alignment of unruled text is not tried.
* A table cut by a page break is one table: the header row that Word repeats on the next page is
  dropped and a first row with an empty number cell (the rest of the row cut by the break) is
  joined to the last row of the previous page.
* ``align_tables(tables, text)``: each cell's span in ``text``, found in reading order. The PDF
  reader writes a row's cells side by side, line by line, so a cell's words may be interleaved
  with its neighbours': the span runs from its first line to its last. Used by the readers and
  again by normalize (which rewrites the text), so spans always point into the current text.
"""
from __future__ import annotations

import bisect
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import regex

from ..models import Span, Table, TableCell, TableRow
from ..rules import load_rules

_WORD = regex.compile(r"\w+")
_NEWLINE = regex.compile(r"\n")
_PARAGRAPH = re.compile(r"\s*(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[ivxlc]{1,6}\.)\s")  # lower-cased text
# how far past the previous cell a cell's first line may start (characters): a page break with its
# page number and repeated header sits between two rows
_WINDOW = 1500


@lru_cache(maxsize=1)
def _column_names() -> re.Pattern[str]:
    """A header cell's name anywhere in lower-cased text, the group named after its role: the
    column patterns of task_tables.toml, unanchored. Compiled with the standard ``re`` and matched
    on lower-cased text: it runs over every page of every PDF, and that way costs a fifth of
    ``regex`` with IGNORECASE (about 0.35 ms a page with the rest of the check)."""
    by_role: dict[str, list[str]] = {}
    for r in load_rules("task_tables.toml"):
        if r.get("kind") == "column":
            # the rules anchor each name at both ends (alternatives too): here it may stand anywhere
            by_role.setdefault(r["role"], []).append(regex.sub(r"(?<!\\)[\^$]", "", r["pattern"]))
    body = "|".join(f"(?P<{role}>{'|'.join(f'(?:{p})' for p in pats)})" for role, pats in by_role.items())
    body = body.replace(r"\s", r"[^\S\n]")     # a name stays on its line: lines are counted one by one
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def _names_columns(page_text: str) -> bool:
    """True where the page has a duty table's header row: one to three consecutive lines made
    mostly of column names, among them an action's ("Nội dung", "Nhiệm vụ") and a lead's ("Cơ quan
    chủ trì", "Trách nhiệm thực hiện"): the reader writes a row's cells side by side, a wrapped
    name over two lines ("Trách nhiệm Thời gian" / "TT Nội dung" / "thực hiện (Năm 2026)")."""
    page_text = page_text.lower()
    found = list(_column_names().finditer(page_text))   # one pass over the page
    if len(found) < 2:
        return False
    line_at = [0] + [m.end() for m in _NEWLINE.finditer(page_text)]
    per_line: dict[int, list[tuple[int, str]]] = {}
    for m in found:
        ln = bisect.bisect_right(line_at, m.start()) - 1
        per_line.setdefault(ln, []).append((sum(ch.isalnum() for ch in m.group(0)), m.lastgroup or ""))
    lines = page_text.split("\n")
    alnum: dict[int, int] = {}      # a line's letters and digits, counted once (windows overlap)
    for ln in per_line:
        roles: set[str] = set()
        names = covered = 0
        letters = 0
        for k in range(ln, min(len(lines), ln + 3)):
            if _PARAGRAPH.match(lines[k]) or lines[k].rstrip().endswith(":"):
                break     # a numbered heading ("1. Trách nhiệm thực hiện", "4. Phân công nhiệm vụ:")
            count = alnum.get(k)
            if count is None:
                count = alnum[k] = sum(map(str.isalnum, lines[k]))
            letters += count
            for size, role in per_line.get(k, []):
                covered += size
                names += 1
                roles.add(role)
            if letters > 240:
                break
            if {"action", "lead"} <= roles and names >= 3 and covered >= 0.6 * letters:
                return True
    return False


def find_pdf_tables(data: bytes, page_texts: Sequence[str], text: str) -> tuple[Table, ...]:
    """The ruled tables of a text PDF, cells anchored in ``text`` (the reader's final text).

    Args:
        data: the PDF's bytes; page_texts: the reader's text of each page (picks the pages to
        parse); text: the document text the spans point into.
    Returns: the tables in page order (empty where no page names table columns).
    """
    todo = [i for i, t in enumerate(page_texts) if _names_columns(t)]
    if not todo:
        return ()
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a declared dependency
        return ()
    tables: list[Table] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n = len(pdf.pages)
            seen: set[int] = set()
            ends: list[int] = []      # the last page each table reaches
            for start in todo:
                i = start
                while i < n and i not in seen:
                    seen.add(i)
                    found = _page_tables(pdf.pages[i], i + 1)
                    tables = _append_page(tables, found, ends)
                    if not _ends_low(found, pdf.pages[i]):
                        break
                    i += 1        # the table reaches the page foot: it may go on overleaf
    except Exception:  # noqa: BLE001 - pdfminer on a malformed page: the text is read already,
        pass           # the tables found so far are kept
    return align_tables(tables, text)


def _ends_low(found: list[tuple[Table, Any]], page: Any) -> bool:
    """The page's last table runs to within 15% of the page foot: it may continue overleaf."""
    if not found:
        return False
    bbox = found[-1][1]
    return bool(bbox[3] > page.height * 0.85)


def _page_tables(page: Any, page_no: int) -> list[tuple[Table, Any]]:
    """(Table, bbox) of each ruled table of one pdfplumber page with two or more rows and columns."""
    out: list[tuple[Table, Any]] = []
    for ft in page.find_tables():
        rows = ft.rows
        if len(rows) < 2:
            continue
        xs = sorted({round(c[0], 1) for r in rows for c in r.cells if c} |
                    {round(c[2], 1) for r in rows for c in r.cells if c})
        if len(xs) < 3:
            continue
        built: list[TableRow] = []
        prev_boxes: list[Any] = []
        for r in rows:
            cells: list[TableCell] = []
            boxes = list(r.cells)
            for j, box in enumerate(boxes):
                if box is None:
                    above = prev_boxes[j] if j < len(prev_boxes) else None
                    if above is not None and above[3] > (r.bbox[1] + 1):
                        cells.append(TableCell("", col=j, merged_above=True))
                    continue         # covered by the cell to the left (a horizontal merge)
                span = 1
                while j + span < len(boxes) and boxes[j + span] is None and not (
                        j + span < len(prev_boxes) and prev_boxes[j + span] is not None
                        and prev_boxes[j + span][3] > r.bbox[1] + 1):
                    span += 1
                crop = page.crop(box, strict=False)
                cell_text = crop.extract_text() or ""
                chars = [c for c in crop.chars if c["text"].strip()]
                bold = bool(chars) and all("bold" in c.get("fontname", "").lower() for c in chars)
                cells.append(TableCell(_clean(cell_text), col=j, colspan=span, bold=bold))
            # a vertical merge: pdfplumber gives the merged cell once, the rows it covers get None
            prev_boxes = [b if b is not None else (prev_boxes[j] if j < len(prev_boxes) else None)
                          for j, b in enumerate(boxes)]
            built.append(TableRow(tuple(cells)))
        out.append((Table(tuple(built), page=page_no, source="pdf"), ft.bbox))
    return out


def _clean(text: str) -> str:
    lines = [regex.sub(r"[ \u00a0]{2,}", " ", ln).strip() for ln in text.split("\n")]
    return unicodedata.normalize("NFC", "\n".join(ln for ln in lines if ln))


def _row_texts(row: TableRow) -> tuple[str, ...]:
    return tuple(" ".join(c.text.split()).lower() for c in row.cells)


def _append_page(tables: list[Table], found: list[tuple[Table, Any]], ends: list[int]) -> list[Table]:
    """Add one page's tables; the first one continues the previous page's last table when it has
    the same columns (its repeated header row dropped, a row cut by the break joined up)."""
    for k, (t, _bbox) in enumerate(found):
        prev = tables[-1] if tables else None
        if k == 0 and prev is not None and t.page == ends[-1] + 1 and _ncols(prev) == _ncols(t):
            rows = list(t.rows)
            if rows and prev.rows and _row_texts(rows[0]) == _row_texts(prev.rows[0]):
                rows = rows[1:]           # the header row repeated on the new page
            if rows and prev.rows and _cut_row(rows[0]):
                rows[0] = _join_rows(prev.rows[-1], rows[0])
                tables[-1] = replace(prev, rows=prev.rows[:-1] + tuple(rows))
            else:
                tables[-1] = replace(prev, rows=prev.rows + tuple(rows))
            ends[-1] = t.page or ends[-1]
            continue
        tables.append(t)
        ends.append(t.page or 0)
    return tables


def _ncols(t: Table) -> int:
    return max((sum(c.colspan for c in r.cells if not c.merged_above) + sum(1 for c in r.cells if c.merged_above))
               for r in t.rows) if t.rows else 0


def _cut_row(row: TableRow) -> bool:
    """The first row on a page whose number cell is empty: the rest of a row the break cut."""
    return bool(row.cells) and row.cells[0].col == 0 and not row.cells[0].text.strip() \
        and any(c.text.strip() for c in row.cells[1:])


def _join_rows(a: TableRow, b: TableRow) -> TableRow:
    by_col = {c.col: c for c in b.cells}
    cells = []
    for c in a.cells:
        more = by_col.get(c.col)
        if more is not None and more.text.strip():
            c = replace(c, text=(c.text + "\n" + more.text).strip())
        cells.append(c)
    return replace(a, cells=tuple(cells))


def _line_pattern(line: str) -> regex.Pattern[str] | None:
    words = _WORD.findall(line)
    if not words:
        return None
    return _compile(tuple(words))


@lru_cache(maxsize=8192)
def _compile(words: tuple[str, ...]) -> regex.Pattern[str]:
    # words in order, anything but letters and digits between them (spacing, punctuation and line
    # breaks differ between a cell's text and the page text)
    return regex.compile(r"(?<!\w)" + r"\W*".join(regex.escape(w) for w in words) + r"(?!\w)")


def _locate(text: str, cell: str, start: int) -> Span | None:
    """Where a cell's text sits in ``text`` at or after ``start``: from its first line's start to
    its last line's end (its lines may be interleaved with other cells' lines)."""
    lines = [ln for ln in cell.split("\n") if _WORD.search(ln)]
    if not lines:
        return None
    first = _line_pattern(lines[0])
    if first is None:
        return None
    m = first.search(text, start, min(len(text), start + _WINDOW + len(cell)))
    if m is None:
        return None
    end = m.end()
    pos = m.end()
    for ln in lines[1:]:
        pat = _line_pattern(ln)
        if pat is None:
            continue
        n = pat.search(text, pos, min(len(text), pos + _WINDOW + len(ln)))
        if n is None:
            continue
        pos = n.end() if n.end() > pos else pos
        end = max(end, n.end())
    start = m.start()
    # punctuation at either end of the cell ("93,01%", "(Năm 2026)", "- Sở Y tế") is the cell's too
    head = regex.match(r"^\W*", lines[0]).group(0).strip()  # type: ignore[union-attr]
    if head and text[max(0, start - len(head)):start] == head:
        start -= len(head)
    tail = regex.search(r"\W*$", lines[-1]).group(0).strip()  # type: ignore[union-attr]
    if tail:
        t = regex.compile(r"[ \t]*" + regex.escape(tail)).match(text, end)
        end = t.end() if t else end
    return Span(start, end)


def _anchor(text: str, t: Table, pos: int) -> int:
    """Where the search for a table's cells starts: before the longest line of its first rows
    (distinctive, unlike "Nội dung" that a heading may also say), by the length of the cells
    that come before it, wherever that is after ``pos``."""
    best: tuple[int, str, int] | None = None     # (words, line, characters of the cells before it)
    before = 0
    for r in t.rows[:3]:
        for c in r.cells:
            for ln in c.text.split("\n"):
                n = len(_WORD.findall(ln))
                if n >= 2 and (best is None or n > best[0]):
                    best = (n, ln, before)
            before += len(c.text) + 1
    if best is None:
        return pos
    pat = _line_pattern(best[1])
    m = pat.search(text, pos) if pat is not None else None
    return max(pos, m.start() - best[2] - 200) if m else pos


def align_tables(tables: Iterable[Table], text: str) -> tuple[Table, ...]:
    """The tables with each cell's span found anew in ``text``, in reading order.

    A cell whose words are not found within reach of the previous one (the normaliser dropped a
    number cell as a page number, a reader left it out) gets ``span`` None; the search goes on
    from where it was.

    >>> t = Table((TableRow((TableCell("1"), TableCell("Sở Y tế"))),))
    >>> [c.span for c in align_tables([t], "Bảng:\\n1\\nSở  Y tế\\n")[0].rows[0].cells]
    [Span(start=6, end=7), Span(start=8, end=16)]
    """
    out: list[Table] = []
    pos = 0
    begins: list[int] = []
    for t in tables:
        rows: list[TableRow] = []
        outer_pos = pos
        if t.nested_in is not None and t.nested_in < len(begins):
            pos = begins[t.nested_in]      # its text sits inside a cell of the table that holds it
        pos = _anchor(text, t, pos)
        begins.append(pos)
        for r in t.rows:
            row_start = pos
            cells: list[TableCell] = []
            starts: list[int] = []
            for c in r.cells:
                span = _locate(text, c.text, row_start) if c.text.strip() else None
                if span is not None:
                    starts.append(span.start)
                    # a DOCX cell follows the previous one; a PDF row's cells share its lines
                    row_start = span.end if t.source != "pdf" else row_start
                cells.append(replace(c, span=span))
            if starts:
                pos = row_start if t.source != "pdf" else max(starts) + 1
            rows.append(replace(r, cells=tuple(cells)))
        out.append(replace(t, rows=tuple(rows)))
        if t.nested_in is not None:
            pos = outer_pos
    return tuple(out)
