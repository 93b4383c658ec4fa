"""The body as a tree of numbered sections (Phần/Chương/Mục/Điều/khoản/điểm; I., 1., a), -). (issue 4/6)

Text arrives one paragraph per line (DOCX, the seed) or as layout-wrapped lines (pdftotext
-layout: first lines indented, wrapped mid-sentence, page numbers at the right margin). Lines
are joined into paragraphs first: a line that does not start a new item continues the previous
one. Each paragraph then gets its item marker and its place in the tree; numbered nodes become
:class:`~pipeline.models.Section` with a path such as ``"3.b"``, ``"II.4.a"`` or
``"Điều 1.IV.1.a"``. Dash and plus items ("-", "+") are paragraphs of their numbered parent:
they do not add to the path (contract/ANNOTATION.md: "numbered headings joined by '.'").
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

import regex

from .landmarks import landmark, landmarks
from .models import Section, Segments, Span
from .rules import load_rules, load_table, rx

# Rank of each marker kind: a marker closes every open item of equal or deeper rank.
# "(1)" items sit under a), as in plans that number their duties "(1) … (2) …" (issue 10).
RANK = {"phan": 0, "chuong": 1, "muc": 2, "dieu": 3, "roman": 4, "arabic": 5, "letter": 9,
        "paren": 10, "dash": 11, "plus": 12}
NUMBERED = ("phan", "chuong", "muc", "dieu", "roman", "arabic", "letter", "paren")

MARKER_FILE = "task_structure.toml"


@lru_cache(maxsize=1)
def _markers() -> tuple[tuple[str, regex.Pattern[str], str], ...]:
    """The item markers of rules/task_structure.toml in file order: (kind, pattern, first characters)."""
    return tuple((r["id"], regex.compile(r["grammar"]), r["first"]) for r in load_rules(MARKER_FILE) if r["id"] in RANK)


_PAGE_NO = regex.compile(r"\s{8,}\d{1,3}\s*$")
_FOOTNOTE = regex.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S")
_END_PUNCT = regex.compile(r"[.;:!?…]\W{0,3}$")
# _END_PUNCT at the end of each line of a text: \W less the line break, so that a match stays in
# its line (one a line at most: every match ends where its line does)
_TAIL_ENDS_CLAUSE = regex.compile(r"(?m)[.;:!?…][^\w\n]{0,3}$")
_PAGE_ONLY = regex.compile(r"\d{1,3}|-\s*\d{1,3}\s*-|Trang\s+\d+.*")  # a line that is only a page number
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"  # what _FOOTNOTE opens with
# the white space str.split() splits at but " " and "\n" (str.isspace, spelt out: a class of
# literal ranges is scanned faster than [^\S \n]; tests/test_structure_speed2.py checks the set)
_OTHER_SPACE = re.compile("[\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


@lru_cache(maxsize=1)
def _open_end() -> regex.Pattern[str]:
    """A line ending in a comma or a function word (rules/task_structure.toml [words] open_end)."""
    words = load_table(MARKER_FILE)["words"]["open_end"]
    return regex.compile(r"(?:,|\s(?:" + "|".join(regex.escape(w) for w in words) + r"))$")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body, its item marker and its place in the tree.

    ``path`` is the numbered path of the item it belongs to ("3.b"); ``parent`` the index of the
    enclosing item paragraph (a dash item's parent is its numbered item), or None.
    """

    index: int
    text: str
    span: Span
    kind: str | None = None
    marker: str | None = None
    label: str | None = None
    path: str | None = None
    parent: int | None = None
    rank: int = 99
    footnote: bool = False
    quoted: bool = False

    @cached_property
    def content(self) -> str:
        """The text without its item marker (computed once: the task rules ask for it often)."""
        if self.kind is None:
            return self.text
        m = _marker_of(self.text)
        return self.text[m[2]:].strip() if m else self.text


# The marker patterns a line can open with, by its first character: each pattern's first
# character is one of a set of its own (the sets do not overlap), so a line is tried against one
# pattern at most instead of nine. Any other digit than 0-9 can open only an arabic marker (\d).
@lru_cache(maxsize=1)
def _marker_table() -> tuple[dict[str, tuple[tuple[str, regex.Pattern[str]], ...]], tuple[tuple[str, regex.Pattern[str]], ...]]:
    markers = _markers()
    by_first = {c: tuple((k, p) for k, p, first in markers if c in first) for _k, _p, f in markers for c in f}
    return by_first, tuple((k, p) for k, p, _f in markers if k == "arabic")


_DIGIT = regex.compile(r"\d")


@cache
def _opens_arabic(c: str) -> bool:
    """A character outside the table that opens an arabic marker: a digit (\\d) other than 0-9.
    By character, once: lines open with a few dozen characters (Python's isdecimal follows an
    older Unicode than the regex engine's \\d)."""
    return not c.isascii() and _DIGIT.match(c) is not None


def _marker_of(line: str) -> tuple[str, regex.Match[str], int] | None:
    c = line[:1]
    by_first, arabic_only = _marker_table()
    pats = by_first.get(c)
    if pats is None:
        if not _opens_arabic(c):  # the ASCII digits are in the table ("" is ASCII)
            return None
        pats = arabic_only
    for kind, pat in pats:
        m = pat.match(line)
        if m:
            return kind, m, m.end()
    return None


def _ends_clause(line: str) -> bool:
    """``_END_PUNCT.search(line)`` for a line without a final newline: the match can only stand in
    its last four characters, so only those are searched (this runs on every line)."""
    return _END_PUNCT.search(line, max(0, len(line) - 4)) is not None


_new = object.__new__
_set = object.__setattr__


def _span(start: int, end: int) -> Span:
    """``Span(start, end)``, its ``__dict__`` filled at once (see _paragraph; thousands a corpus)."""
    span = _new(Span)
    fields = span.__dict__
    fields["start"] = start
    fields["end"] = end
    return span


def _wrap_width(lines: list[str]) -> int | None:
    """The width text was wrapped at (pdftotext -layout style), or None for one paragraph a line.

    Wrapped text has most lines of about the same length, many ending mid-sentence.
    """
    # each line stripped once: the long lines, right-stripped (len(ln.strip()) is the length of
    # the right-stripped line stripped on the left)
    long = [r for ln in lines if len((r := ln.rstrip()).lstrip()) > 20]
    if len(long) < 8:
        return None
    lens = sorted(map(len, long))
    p90 = lens[int(len(lens) * 0.9) - 1]
    if p90 > 130:
        return None  # one paragraph a line: its lines' ends need not be read
    # the lines that do not end a clause (_ends_clause: a match starts in a line's last four
    # characters), counted in one search over those ends (issue 15: one call, not one a line)
    open_ends = len(long) - len(_TAIL_ENDS_CLAUSE.findall("\n".join([r[-4:] for r in long])))
    if open_ends >= 0.3 * len(lens):
        return p90
    return None


def join_lines(text: str, offset: int = 0) -> list[tuple[str, Span, bool]]:
    """Paragraphs of ``text`` as (joined text, span, is_footnote).

    A line starts a new paragraph when it starts an item marker, or, in one-paragraph-per-line
    text, when it does not start in lower case; in layout text, when it is indented and the
    previous line ended a sentence or clause. Footnotes (lines opening with ¹ ² …) are kept
    apart, and the body paragraph they interrupt continues after them (seed, note 2).

    >>> [p[0] for p in join_lines("1. Đề nghị Phòng Nội vụ\\nbáo cáo.\\n2. Khác")]
    ['1. Đề nghị Phòng Nội vụ báo cáo.', '2. Khác']
    """
    raw_lines = text.split("\n")
    width = _wrap_width(raw_lines)
    prev_line = ""
    paras: list[list[Any]] = []  # [text, start, end, footnote]
    pos = offset
    in_footnote = False
    last_body: list[Any] | None = None
    by_first, arabic_only = _marker_table()
    page_no = _PAGE_NO.sub
    end_punct = _END_PUNCT.search
    for raw in raw_lines:
        start = pos
        pos += len(raw) + 1
        line = raw.rstrip()
        c = line[-1:]
        if c.isdigit() or not (c.isascii() or c.isalpha()):  # a page number must end the (stripped) line
            line = page_no("", line)  # (a letter is never \d nor \s)
        left = line.lstrip()
        stripped = left.rstrip()  # line.strip(), each side once
        first = stripped[:1]
        if not stripped or ((first.isdigit() or first in "-T" or not (first.isascii() or first.isalpha()))
                            and _PAGE_ONLY.fullmatch(stripped)):
            continue
        lstart = start + (len(line) - len(left))
        lend = lstart + len(stripped)  # start + len(line.rstrip())
        # the kind of marker the line opens with (_marker_of, its table read here: this runs on every line)
        kind = None
        pats = by_first.get(first)
        if pats is not None or _opens_arabic(first):
            for k, pat in pats or arabic_only:
                if pat.match(stripped):
                    kind = k
                    break
        if first in _SUPERSCRIPTS and _FOOTNOTE.match(stripped):  # a footnote opens with a superscript
            in_footnote = True
            paras.append([stripped, lstart, lend, True])
            continue
        if in_footnote:
            if (first.isalpha() and first.islower()) or (kind is not None and kind not in ("dash", "plus")):
                in_footnote = False
                if first.islower() and last_body is not None:
                    last_body[0] += " " + stripped
                    last_body[2] = lend
                    continue
            else:
                paras[-1][0] += " " + stripped
                paras[-1][2] = lend
                continue
        prev = paras[-1] if paras and not paras[-1][3] else None
        if prev is None or kind is not None:
            new = True
        elif first.isalpha() and first.islower():
            new = False
        else:
            # _ends_clause(prev_line), once a line
            ended = end_punct(prev_line, max(0, len(prev_line) - 4)) is not None
            if (first.isdigit() or first in "(“\"") and not ended:
                new = False  # "ngày\n15/5/2023 của …": a wrapped date or citation, not a new paragraph
            elif ended:
                new = True
            elif width and len(line) - len(line.lstrip(" ")) < 3 and (len(prev_line) >= (0.9 if _looks_heading(prev[0]) else 0.75) * width or (
                    len(prev_line) >= 0.6 * width and _open_end().search(prev_line))):
                new = False  # the previous line was wrapped mid-sentence (a heading must fill the line)
            else:
                new = True
        if new or prev is None:
            para = [stripped, lstart, lend, False]
            paras.append(para)
            last_body = para
        else:
            prev[0] += " " + stripped
            prev[2] = lend
        prev_line = line.rstrip()
    # a paragraph is its lines stripped and joined by one space: only a double space or other
    # white space than " " in it needs collapsing (issue 15: this ran on every paragraph; a layout
    # copy's indents, stripped, put double spaces in its text, not in its paragraphs)
    if _OTHER_SPACE.search(text) is None:
        return [(" ".join(p[0].split()) if "  " in p[0] else p[0], _span(p[1], p[2]), p[3]) for p in paras]
    return [(" ".join(p[0].split()), _span(p[1], p[2]), p[3]) for p in paras]


def _looks_heading(text: str) -> bool:
    """A short numbered heading without final punctuation ("1. Mục tiêu")."""
    m = _marker_of(text)
    return m is not None and m[0] in NUMBERED and len(text.split(None, 20)) <= 20 and not _END_PUNCT.search(text)


# the landmarks of a letter have one home, rules/landmarks.toml (pipeline/landmarks.py)
_MOTTO = regex.compile("(?i)" + landmarks("motto", "motto-second-line"))
_DATE_LINE = regex.compile("(?i)" + landmark("date-in-words"))
_KINH_GUI = regex.compile(r"(?im)^\s*" + landmarks("kinh-gui", "kinh-trinh") + r"\s*:?")
# "Nơi nhận:" (a mixed-case line needs its colon: "Nơi nhận hồ sơ …" in a sentence is no landmark)
_BODY_END = regex.compile(r"(?m)^\s*" + landmark("noi-nhan") + r"(?:\s*:|(?<=\p{Lu}))|\./\.")
_BODY_OPENING = regex.compile(r"^(?:" + landmarks("body-opening", "section-heading") + r"|[IVX]+\.|1\.)")


@lru_cache(maxsize=1)
def _title_word() -> regex.Pattern[str]:
    """A document type's title line (QUYẾT ĐỊNH, KẾ HOẠCH …: rules/doctypes.toml), skipped with the header."""
    titles = sorted({r["title"] for r in load_rules("doctypes.toml") if r.get("title")}, key=len, reverse=True)
    return regex.compile(r"^(?:" + "|".join(regex.escape(t) for t in titles) + r")\b")


def body_region(seg: Segments) -> tuple[str, int]:
    """The body text and its offset in ``seg.text``.

    Uses the segmenter's body where it has cut one; while ``seg.body`` is still the whole
    document, skips the header (motto, number, date, title, Kính gửi) and stops at "Nơi nhận"
    or the closing "./." itself.
    """
    return _body_region(seg.text, seg.header, seg.recipients, seg.body, seg.body_span.start)


@lru_cache(maxsize=16)
def _body_region(seg_text: str, header: str, recipients: str, text: str, off: int) -> tuple[str, int]:
    # cached: sections and tasks both ask for the body of the same document, and the search for
    # its end runs over the whole body
    whole = not header and not recipients and (text == seg_text or _MOTTO.search(text[:1500]))
    if whole:
        start = _header_end(text)
        text, off = text[start:], off + start
    m = _body_end(text)
    if m:
        end = m.end() if m.group(0) == "./." else m.start()
        text = text[:end]
    return text, off


@lru_cache(maxsize=1)
def _body_end_triggers() -> tuple[str, ...]:
    """Words one of which every match of _BODY_END holds (rules/task_structure.toml [words])."""
    return tuple(load_table(MARKER_FILE)["words"]["body_end_triggers"])


def _body_end(text: str) -> regex.Match[str] | None:
    """``_BODY_END.search(text)``, started where it can first match (issue 15): a match holds a
    trigger word and opens at most at the line start before it, past only white space; no
    trigger, no match. The search from the start cost a scan of the whole body at every position."""
    found = [i for i in (text.find(w) for w in _body_end_triggers()) if i >= 0]
    if not found:
        return None
    start = min(found)
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return _BODY_END.search(text, start)


def _header_end(text: str) -> int:
    """Offset where the body starts in a whole document (see body_region)."""
    head = text[:4000]
    cut = 0
    for pat in (_MOTTO, _DATE_LINE):
        for m in pat.finditer(head):
            cut = max(cut, head.find("\n", m.end()) + 1 if "\n" in head[m.end():] else m.end())
            break
    kg = _KINH_GUI.search(head)
    if kg:
        # the Kính gửi block runs over its "-" lines and the wrapped lines after them
        pos = kg.end()
        lines = head[pos:].split("\n")
        consumed = len(lines[0]) + 1
        last_ended = _END_PUNCT.search(lines[0].strip()) is not None and len(lines[0].strip()) > 12
        for ln in lines[1:]:
            s = ln.strip()
            if not s:
                consumed += len(ln) + 1
                continue
            if last_ended and s[:1] != "-" and not (s[:1].islower()):
                break
            last_ended = bool(_END_PUNCT.search(s))
            consumed += len(ln) + 1
        cut = max(cut, pos + consumed)
        return cut
    # no Kính gửi (Quyết định, Thông báo, Kế hoạch): skip the title lines after the date
    rest = text[cut:]
    off = cut
    for ln in rest.split("\n"):
        s = ln.strip()
        if s and (len(s.split(None, 13)) >= 14 or _BODY_OPENING.match(s)) and not _title_word().match(s):
            return off
        off += len(ln) + 1
    return cut


@lru_cache(maxsize=1)
def _inline_marker() -> regex.Pattern[str]:
    """An item marker inside a paragraph, after the end of a clause: "… như sau: 1. Sở Tài chính: a) …
    b) … 2. Sở Nội vụ …" in a web copy that lost its line breaks (issue 10, item 6;
    rules/task_structure.toml "inline")."""
    return regex.compile(next(r["grammar"] for r in load_rules(MARKER_FILE) if r["id"] == "inline"))


@lru_cache(maxsize=1)
def _inline_prefilter() -> tuple[regex.Pattern[str], ...]:
    """Patterns one of which every match of the inline marker holds (rules/task_structure.toml
    "inline" prefilter): cheap searches that spare most paragraphs the marker's own (issue 15)."""
    rule = next(r for r in load_rules(MARKER_FILE) if r["id"] == "inline")
    return tuple(regex.compile(p) for p in rule.get("prefilter", ()))


_LETTERS = "abcdđefghiklmnopqrstuvxy"  # "đ" and "f" are each used by some offices and skipped by others


def _neighbours(kind: str, label: str) -> tuple[str, ...]:
    """The labels next to ``label`` in its numbering ("2" -> "1", "3"; "e" -> "d", "đ", "f", "g")."""
    if kind == "sub":  # "4.2": "4.1", "4.3" and its parent "4"
        head, _dot, last = label.rpartition(".")
        return f"{head}.{int(last) - 1}", f"{head}.{int(last) + 1}", head
    if kind == "letter":
        i = _LETTERS.find(label)
        if i < 0:
            return ()
        return tuple(_LETTERS[k] for k in (i - 2, i - 1, i + 1, i + 2) if 0 <= k < len(_LETTERS))
    n = int(label)
    return str(n - 1), str(n + 1)


def _prefiltered(paras: list[tuple[str, Span, bool]]) -> set[int]:
    """The indexes of the paragraphs split_flattened looks into: not a footnote, 40 characters or
    more, and holding a match of a prefilter of the inline marker.

    Each prefilter runs once over the candidates joined by NUL, not once a paragraph (issue 15: the
    calls cost more than the scan). A match found there is one inside a paragraph (the prefilters
    match no NUL and have no anchor nor lookaround: tests/test_tasks_speed3.py compares with the
    search a paragraph); each paragraph a match touches is kept, so none of the matches the
    searches one by one would find can be hidden by one that runs over a separator."""
    idx = [k for k, (ptext, _span, foot) in enumerate(paras) if not foot and len(ptext) >= 40]
    pre = _inline_prefilter()
    if not pre or not idx:
        return set(idx)
    starts = []
    pos = 0
    for k in idx:
        starts.append(pos)
        pos += len(paras[k][0]) + 1
    joined = "\x00".join([paras[k][0] for k in idx])
    hit: set[int] = set()
    for p in pre:
        for m in p.finditer(joined):
            a = bisect_right(starts, m.start()) - 1
            b = bisect_right(starts, max(m.start(), m.end() - 1)) - 1
            hit.update(idx[a:b + 1])
    return hit


_SPACES = regex.compile(r"\s+")


def _find_words(src: str, words: list[str], at: int) -> int:
    r"""Where ``words`` first stand in ``src`` from ``at`` on, white space between them: the start of
    ``regex.search(r"\s+".join(map(regex.escape, words)), src, at)``, or -1 (issue 15: a pattern
    compiled per piece cost more than the search). The same answer: a word (from str.split) holds
    no white space, so ``\s+`` between two words takes the whole run of it and never backtracks."""
    first, rest = words[0], words[1:]
    pos = src.find(first, at)
    while pos >= 0:
        end = pos + len(first)
        for w in rest:
            gap = _SPACES.match(src, end)
            if gap is None or not src.startswith(w, gap.end()):
                break
            end = gap.end() + len(w)
        else:
            return pos
        pos = src.find(first, pos + 1)
    return -1


def split_flattened(paras: list[tuple[str, Span, bool]], text: str, offset: int) -> list[tuple[str, Span, bool]]:
    """Paragraphs that hold several numbered items run together, cut at each item.

    A marker inside a paragraph counts only when the numbering itself bears it out: its
    predecessor or successor of the same kind stands in the same paragraph (or opens it), so
    "theo khoản 2. Điều 5" or a lone "a)" in a sentence stays where it is.

    >>> [p[0] for p in split_flattened([("1. Sở Tài chính: a) Rà soát. b) Báo cáo. 2. Sở Nội vụ: theo dõi.", Span(0, 64), False)], "", 0)]
    ['1. Sở Tài chính:', 'a) Rà soát.', 'b) Báo cáo.', '2. Sở Nội vụ: theo dõi.']
    """
    out: list[tuple[str, Span, bool]] = []
    candidates = _prefiltered(paras)
    for k, (ptext, span, foot) in enumerate(paras):
        if k not in candidates:
            out.append((ptext, span, foot))
            continue
        found = []
        for m in _inline_marker().finditer(ptext):
            kind = next(k for k in ("dieu", "arabic", "letter", "paren", "sub") if m.group(k))
            found.append((m.start("m") if kind != "sub" else m.start("sub"), kind, m.group(kind)))
        if not found:
            out.append((ptext, span, foot))
            continue
        own = _marker_of(ptext)
        labels = {(k, lab) for _p, k, lab in found}
        if own and own[0] in ("arabic", "letter", "paren", "dieu"):
            labels.add((own[0], own[1].group("l")))
            labels.add(("sub", own[1].group("l")))  # "4. …" is the parent of an inline "4.1."
        cuts = [pos for pos, kind, lab in found
                if kind == "dieu" or any((kind, x) in labels for x in _neighbours(kind, lab) if x)]
        if not cuts:
            out.append((ptext, span, foot))
            continue
        bounds = [0, *cuts, len(ptext)]
        src = text[span.start - offset:span.end - offset]
        pieces: list[tuple[str, int]] = []
        at = 0
        for a, b in zip(bounds, bounds[1:], strict=False):
            piece = ptext[a:b].strip()
            if not piece:
                continue
            # the piece's place in the source: its first words, however the lines were wrapped there
            hit = _find_words(src, piece.split()[:4], at)
            at = hit if hit >= 0 else at
            pieces.append((piece, span.start + at))
        for k, (piece, start) in enumerate(pieces):
            end = pieces[k + 1][1] if k + 1 < len(pieces) else span.end
            while end > start and text[end - offset - 1:end - offset].isspace():
                end -= 1
            out.append((piece, _span(start, end), foot))
    return out


@lru_cache(maxsize=1)
def _closing_paragraph() -> regex.Pattern[str]:
    """rules/task_clauses.toml "closing-paragraph": a plain paragraph after the numbered items that
    speaks of all of them ("… các nội dung trên", "Trên đây là Kế hoạch …")."""
    return regex.compile(next(r["grammar"] for r in load_rules("task_clauses.toml") if r["id"] == "closing-paragraph"))




def _paragraph(index: int, text: str, span: Span, kind: str | None, marker: str | None, label: str | None,
               path: str | None, parent: int | None, rank: int, footnote: bool, quoted: bool, content: str) -> Paragraph:
    """``Paragraph(index, text, …)`` with its content set, its ``__dict__`` filled at once: a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``, a third of the cost of
    _parse (issue 15). The same fields, in the same order (tests/test_tasks_speed3.py)."""
    para = _new(Paragraph)
    _set(para, "__dict__", {"index": index, "text": text, "span": span, "kind": kind, "marker": marker,
                            "label": label, "path": path, "parent": parent, "rank": rank,
                            "footnote": footnote, "quoted": quoted, "content": content})
    return para


@lru_cache(maxsize=1)
def _group_numbers() -> dict[str, tuple[int, int | None]]:
    """Each marker kind's groups ``m`` and ``l`` by number (None where the grammar names no label
    ``l``: dash and plus name only ``m``): ``regex`` looks a group's name up on every read, by
    number the read costs a quarter (issue 15)."""
    return {k: (pat.groupindex["m"], pat.groupindex.get("l")) for k, pat, _f in _markers()}


@lru_cache(maxsize=64)
def _parse(text: str, offset: int) -> tuple[Paragraph, ...]:
    out: list[Paragraph] = []
    append = out.append
    # (rank, paragraph index, kind, label, the numbered path down to this entry): each entry keeps
    # its path, built from the one below it, so a paragraph's path is read off the top
    stack: list[tuple[int, int, str, str, str | None]] = []
    in_quote = False
    quoted_run = 0
    lines = split_flattened(join_lines(text, offset), text, offset)
    # the closing comes after the last item: a paragraph before it is an item's own text
    marks = [None if f else _marker_of(t) for t, _s, f in lines]  # each paragraph's marker, once
    last_item = max((k for k, mk in enumerate(marks) if mk), default=-1)
    groups = _group_numbers()  # kind -> (the marker's group, the label's; None for dash and plus)
    # a paragraph without a marker is its own content, one with a marker its text after it: set
    # here, where cached_property's first read took a lock (issue 15)
    for i, ((ptext, span, foot), mk) in enumerate(zip(lines, marks, strict=True)):
        if foot:
            append(_paragraph(i, ptext, span, None, None, None, None, None, 99, True, False, ptext))
            continue
        # a straight quote can close a curly one (“Đối thoại về cải cách hành chính" in a Kế hoạch);
        # the closing marks are counted only where they are read: inside a quotation or after an opening
        opens = ptext.count("“")
        closes = ptext.count("”") + ptext.count("’’") + ptext.count('"') if in_quote or opens else 0
        if in_quote and (rx.match(r"[IVX]{1,5}\s*\.\s", ptext) or quoted_run >= 12):
            in_quote = False  # an unbalanced mark, not a quotation: a new part or a long run ends it
        if in_quote:
            # a quotation of another document running over paragraphs: its items are not ours
            append(_paragraph(i, ptext, span, None, None, None, stack[-1][4] if stack else None,
                              stack[-1][1] if stack else None, 99, False, True, ptext))
            quoted_run += 1
            if closes > opens:
                in_quote = False
            continue
        if opens > closes:
            in_quote, quoted_run = True, 0
        if mk is None:
            if stack and i > last_item and _closing_paragraph().match(ptext):
                stack.clear()  # "Yêu cầu các sở … thực hiện tốt các nội dung trên": the letter's closing, no item's
            # a plain paragraph belongs to the innermost numbered item
            while stack and stack[-1][2] in ("dash", "plus"):
                stack.pop()
            if stack:
                append(_paragraph(i, ptext, span, None, None, None, stack[-1][4], stack[-1][1], 99, False, False, ptext))
            else:
                append(_paragraph(i, ptext, span, None, None, None, None, None, 99, False, False, ptext))
            continue
        kind, m, _ = mk
        mg, lg = groups[kind]
        marker = m.group(mg)
        label = (m.group(lg) or marker) if lg is not None else marker
        rank = RANK[kind]
        if kind == "arabic":
            rank += label.count(".")
        if kind == "roman" and stack and stack[-1][2] == "letter" and label in ("i", "v"):
            kind, rank = "letter", RANK["letter"]
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if kind == "arabic" and "." in label and stack and stack[-1][2] == "arabic" \
                and label.startswith(stack[-1][3] + "."):
            label_in_path = label.rsplit(".", 1)[1]
        else:
            label_in_path = label
        if kind == "dieu":
            label_in_path = f"Điều {label}"
        elif kind in ("phan", "chuong", "muc"):
            label_in_path = marker
        below = stack[-1][4] if stack else None
        if kind in NUMBERED:
            below = label_in_path if below is None else below + "." + label_in_path
        stack.append((rank, i, kind, label_in_path, below))
        append(_paragraph(i, ptext, span, kind, marker, label, below, parent, rank, False, False,
                          ptext[mk[2]:].strip()))  # Paragraph.content, its marker at hand
    return tuple(out)


def _path(stack: list[tuple[int, int, str, str, str | None]]) -> str | None:
    """The numbered labels of the open items joined by ".", or None where none is numbered."""
    return stack[-1][4] if stack else None


def parse_paragraphs(seg: Segments) -> list[Paragraph]:
    """Paragraphs of the body in order, each with its marker, path and parent.

    >>> from pipeline.models import Segments
    >>> [p.path for p in parse_paragraphs(Segments(text="1. A\\na) B\\n- C", body="1. A\\na) B\\n- C"))]
    ['1', '1.a', '1.a']
    """
    text, off = body_region(seg)
    return list(_parse(text, off))


def parse_sections(seg: Segments) -> list[Section]:
    """Numbered sections of the body with their paths ("3.b") and spans (to the next sibling).

    >>> from pipeline.models import Segments
    >>> t = "1. Thực hiện\\nĐề nghị...\\n2. Khắc phục\\na) Phòng Nội vụ tham mưu"
    >>> [s.path for s in parse_sections(Segments(text=t, body=t))]
    ['1', '2', '2.a']
    """
    paras = parse_paragraphs(seg)
    ends = _section_ends(paras)
    out: list[Section] = []
    for j in sorted(ends):  # the numbered paragraphs with a path, in order
        p = paras[j]
        end = ends[j]
        content = p.content
        title = content.split(":")[0] if ":" in content[:200] else content
        title = title if len(title) <= 200 else title[:200].rsplit(" ", 1)[0] + "…"
        # Section(path=…, label=…, title=…, span=…, level=…), its __dict__ filled at once (see _paragraph)
        section = _new(Section)
        _set(section, "__dict__", {"path": p.path, "label": p.marker or "", "title": title.strip(),
                                   "span": _span(p.span.start, end), "level": p.rank})
        out.append(section)
    return out


def _section_ends(paras: list[Paragraph]) -> dict[int, int]:
    """For each numbered paragraph with a path, by index: the end of the last paragraph before
    the next item of its rank or above (its own span's end at least).

    One pass with a stack of the open items (their ranks rise along it), each keeping the largest
    end seen inside it and handing it to the item around it when it closes: the same ends as a
    scan forward from every item, which cost a copy of the rest of the list per item (issue 15)."""
    ends: dict[int, int] = {}
    stack: list[list[int]] = []  # [index, rank, largest end so far]
    for j, q in enumerate(paras):
        if q.kind is not None and not q.footnote:
            while stack and stack[-1][1] >= q.rank:
                k, _rank, end = stack.pop()
                ends[k] = end
                if stack and end > stack[-1][2]:
                    stack[-1][2] = end
        if stack and q.span.end > stack[-1][2]:
            stack[-1][2] = q.span.end
        if q.kind in NUMBERED and q.path is not None:
            stack.append([j, q.rank, q.span.end])
    while stack:
        k, _rank, end = stack.pop()
        ends[k] = end
        if stack and end > stack[-1][2]:
            stack[-1][2] = end
    return ends
