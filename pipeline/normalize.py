"""Normalise a document's text: NFC, plain line ends, layout columns serialised, footnotes apart.

Text readers (and ``pdftotext -layout``) give the two header columns side by side on one line
("  UBND TỈNH LÂM ĐỒNG   CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM") and the Nơi nhận list beside the
signature ("Nơi nhận:          GIÁM ĐỐC"). ``normalize_document`` serialises those regions into
reading order (left block, then right block), drops page numbers, rules and e-signature stamp
blocks, moves TXT footnotes (lines starting with a superscript mark) into
``RawDocument.footnotes`` and rejoins a paragraph a footnote cut in two.

The body lines keep their wording; leading indentation is removed. Offsets computed later
(Segments, citations, tasks) are offsets into this normalised text.
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import lru_cache
from itertools import compress, repeat
from typing import Any

import regex

from .landmarks import landmark, landmark_label, landmarks
from .models import Footnote, RawDocument
from .readers.tables import align_tables
from .rules import load_rules, rx

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = {c: str(i) for i, c in enumerate(SUPERSCRIPT_DIGITS)}

# A gap that separates two layout columns on one line.
_GAP = regex.compile(r"\S(\s{3,})(?=\S)")
# Anchors of the right header column (national motto, Party header, place and date).
_L = landmark
_RIGHT_ANCHOR = regex.compile(landmarks("motto", "party-motto", "youth-union-motto", "motto-second-line", "place-date-start"))
_KINH_GUI = regex.compile(rf"{_L('kinh-gui')}\s*:?|{_L('kinh-moi')}\s*:", regex.IGNORECASE)
# "Nơi" alone where OCR lost "nhận:", known by the signer's prefix beside it (lamdong-560-gm.pdf)
_NOI_NHAN = regex.compile(rf"^\s*\|?\s*(?:{_L('noi-nhan')}\s*:?|{_L('noi-nhan-cut')})", regex.IGNORECASE)
_NOI_NHAN_ANYWHERE = regex.compile(_L("noi-nhan"))
_NOI_NHAN_CUT = regex.compile(rf"^(\s*)({_L('noi-nhan-cut')})\s+(?=(?:KT|TM|TL|TUQ)\.)")
_SO_WORD_END = regex.compile(rf"{_L('so')}\s*:?\s*\d*$")
_DATE_WORDS = regex.compile(_L("date-in-words"), regex.IGNORECASE)
_VV_AFTER_SPACE = regex.compile(rf"\s(?={_L('vv')}\s)")
_STAYS_LEFT = regex.compile(rf"^(?:{_L('vv')}|{_L('so')}|-)")
_NEXT_PART = regex.compile(rf"^\s*(?:{landmarks('appendix', 'list-heading', 'attached-to')}\b|.*{_L('motto')}\s+CH[ỦU]\s+NGH[ĨI]A)")
_BODY_OPENING = regex.compile(_L("body-opening"))
_ITEM_OR_NOI_NHAN = regex.compile(rf"^(?:[-–+•]|{_L('noi-nhan')})")
_RULE_LINE = regex.compile(r"^[\s_\-=–—.*~]{3,}$")
_RULE_LINE_FIRST = frozenset(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f_-=–—.*~")  # and any non-ASCII
_RULE_TOKEN = regex.compile(r"_{3,}|-{4,}|={4,}")
_PAGE_NUMBER_TAIL = regex.compile(r"^(.*\S)\s{8,}\d{1,3}\s*$")
_PAGE_NUMBER_LINE = regex.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_STAMP_TIME = regex.compile(r"^\s*(?:\d{1,2}[./]\d{1,2}[./]\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[+-]\d{2}:\d{2})?"
                            r"|[+-]\d{2}:\d{2})\s*$")
_TABLE_ROW = regex.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEP = regex.compile(r"^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
_FOOTNOTE_START = regex.compile(rf"^\s*([{SUPERSCRIPT_DIGITS}]+)\s*(\S.*)$")
_SUP_IN_TEXT = regex.compile(rf"(?<=\S)[{SUPERSCRIPT_DIGITS}]+")
_HEADING = regex.compile(rf"^\s*(?:[0-9]+(?:\.[0-9]+)*\.|[a-zđ]\)|[IVXLC]+\.|{_L('section-heading')})\s")
# Words that make a run of capitals a signer's title ("KT. CHỦ TỊCH", "PHÓ GIÁM ĐỐC").
_TITLE_WORD = regex.compile(rf"{_L('signer-title-word')}|\b(?:KT|TM|TL|TUQ)\.")


# Every character str.isspace holds (tests/test_read_speed3.py checks the list).
ISSPACE_CHARS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                 "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _lines_with(lines: list[str], needle: str) -> list[int]:
    """Indices of the lines holding ``needle``: the test runs in C over all lines (map), Python
    only looks at the few it finds (issue 15)."""
    return list(compress(range(len(lines)), map(str.__contains__, lines, repeat(needle))))


def normalize_document(raw: RawDocument) -> RawDocument:
    """The document's text in reading order, NFC, with TXT footnotes moved to ``footnotes``.

    Args:
        raw: what a reader gave.
    Returns:
        a RawDocument with ``text`` normalised; footnotes the reader found are kept, footnotes
        found in the text are added.

    >>> normalize_document(RawDocument("x", "txt", "", "UBND TỈNH A    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).text
    'UBND TỈNH A\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'
    """
    text = unicodedata.normalize("NFC", raw.text)
    if "\r" in text:  # a scan for "\r" costs a tenth of replacing "\r\n" in a text without it
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n").replace("\u00a0", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("Ð", "Đ").replace("ð", "đ")
    lines = [ln.rstrip() for ln in text.replace("\t", "    ").split("\n")]
    lines = _drop_signature_stamp(lines)
    lines = _drop_signature_captions(lines)
    lines = _unpipe_tables(lines)
    lines = _clean_rules_and_page_numbers(lines)
    lines = _serialise_header(lines)
    lines = _split_inline_title(lines)
    lines = _serialise_signature(lines)
    lines = [ln.strip() for ln in lines]
    footnotes = list(raw.footnotes)
    if not raw.footnotes or raw.format == "txt":
        lines, found = _separate_footnotes(lines)
        have = {f.mark for f in footnotes}
        footnotes += [f for f in found if f.mark not in have]
    out = "\n".join(lines)
    if any(c in out for c in SUPERSCRIPT_DIGITS):  # a scan for each digit costs less than the pattern's
        out = _SUP_IN_TEXT.sub("", out)
    if "\n\n\n" in out:
        out = rx.sub(r"\n{3,}", "\n\n", out)
    out = out.strip("\n")
    # tables (T1): each cell's span found again in the rewritten text (readers/tables.py)
    tables = align_tables(raw.tables, out) if raw.tables else ()
    return replace(raw, text=out, footnotes=tuple(footnotes), tables=tables)


def _drop_signature_stamp(lines: list[str]) -> list[str]:
    """Remove the e-signature stamp printed at the top ("TRUNG TÂM CÔNG / BÁO VÀ TIN HỌC /
    ttcbth@quangngai.gov.vn / 24.01.2025 20:01:14 / +07:00"): lines up to its time lines.
    Source: quangngai-*-signed-*.txt of the corpus."""
    head = lines[:12]
    email_at = next((i for i, ln in enumerate(head) if _EMAIL.search(ln) and len(ln.strip()) < 60), None)
    if email_at is None:
        return lines
    end = email_at
    while end + 1 < len(lines) and _STAMP_TIME.match(lines[end + 1]):
        end += 1
    if end == email_at and not any(_STAMP_TIME.match(x) for x in lines[email_at + 1:email_at + 3]):
        return lines
    # the stamp's own caption lines sit right above the e-mail, far to the right
    start = email_at
    while start > 0 and lines[start - 1].strip() and (
            len(lines[start - 1]) - len(lines[start - 1].lstrip()) >= 30 or lines[start - 1].strip().isupper()):
        start -= 1
    return lines[:start] + lines[end + 1:]


_CAPTION = regex.compile(rf"^\s*{_L('esign-caption')}", regex.IGNORECASE)


def _drop_signature_captions(lines: list[str]) -> list[str]:
    """Captions an e-signature prints ("Ký bởi: ỦY BAN NHÂN / DÂN TỈNH LÂM ĐỒNG", "Thời gian ký:
    13/11/2025 / 15:53:50") with the lines they wrap onto. Source: lamdong-493-tb.txt."""
    # A caption ends in ":", most lines have none: the lines holding one are found in C and
    # only they are matched; the lines between captions are kept whole (issue 15).
    caps = [i for i in _lines_with(lines, ":") if _CAPTION.match(lines[i])]
    if not caps:
        return lines
    out: list[str] = []
    at = 0
    for i in caps:
        out += lines[at:i]
        at = i + 1
        nxt = lines[at] if at < len(lines) else ""
        if nxt.strip() and (at not in caps) and (nxt.strip().isupper() or _STAMP_TIME.match(nxt)
                                                  or rx.match(r"^\s*\d{1,2}:\d{2}", nxt)):
            at += 1   # the line the caption wraps onto
    return out + lines[at:]


def _unpipe_tables(lines: list[str]) -> list[str]:
    """A two-column pipe table (header or signature laid out as a table) becomes its left
    column then its right column; other tables keep their rows, cells joined by " | "."""
    # A table row holds "|": the lines holding one are found in C, a table is looked for only
    # from them, and the lines between are kept whole (issue 15).
    bars = _lines_with(lines, "|")
    if not bars:
        return lines
    out: list[str] = []
    i = 0
    for b in bars:
        if b < i or not _TABLE_ROW.match(lines[b]):
            continue   # a row of the table just read, or no row
        out += lines[i:b]
        i = b
        j = i
        rows: list[list[str]] = []
        while j < len(lines) and _TABLE_ROW.match(lines[j]):
            if not _TABLE_SEP.match(lines[j]):
                cells = [c.strip() for c in lines[j].strip().strip("|").split("|")]
                rows.append(cells)
            j += 1
        joined = " ".join(" ".join(r) for r in rows)
        two_col = all(len(r) == 2 for r in rows) and bool(
            _RIGHT_ANCHOR.search(joined) or _NOI_NHAN_ANYWHERE.search(joined))
        if two_col:
            out += [r[0] for r in rows if r[0]]
            out += [r[1] for r in rows if r[1]]
        else:
            out += [" | ".join(c for c in r if c) for r in rows if any(r)]
        i = j
    return out + lines[i:]


# A line _clean_line may change: one that ends with a space (it is stripped), a digit or "-"
# (_PAGE_NUMBER_TAIL and _PAGE_NUMBER_LINE end with \d or "-", then \s only, and every \s is a
# space to str.isspace), one made of rule characters and spaces only (_RULE_LINE: its first and
# last characters are such), or one holding a run of rule characters (_RULE_TOKEN).
_RULE_CHARS = "_-=–—.*~"
_RULE_RUNS = ("___", "----", "====")


def _clean_rules_and_page_numbers(lines: list[str]) -> list[str]:
    """Rule lines and page numbers dropped, rule runs inside lines blanked: _clean_line runs on
    the lines it may change, picked by their last and first characters and by a search of the
    joined text for the rule runs; the others are kept as they are (speed, issue 15)."""
    out = list(lines)
    # Narrower still (issue 15): a line ending in a digit is looked at only where it may end
    # in a page number (_may_end_in_page_number), one ending in a rule character other than "-"
    # only where the character before it is no letter nor digit (a rule line holds none).
    cands = [i for i, ln in enumerate(lines)
             if (c := ln[-1:]) and (c.isdigit() and _may_end_in_page_number(ln) or c == "-" or c.isspace()
                                    or c in _RULE_CHARS and (ln[0] in _RULE_CHARS or ln[0].isspace())
                                    and not ln[-2:-1].isalnum())]
    text = "\n".join(lines)
    if any(r in text for r in _RULE_RUNS):
        if text.count("\n") != len(lines) - 1:
            cands = list(range(len(lines)))    # a line holds a line break: read them all
        else:
            cands = sorted(set(cands) | set(_lines_holding(text, _RULE_RUNS)))
    for i in cands:
        out[i] = _clean_line(lines[i])
    return out


def _may_end_in_page_number(ln: str) -> bool:
    r"""False where a line ending in a digit keeps its end through _clean_line's page-number
    patterns: both need one to three \d at the end after a space, a "-" or the line's start
    with eight spaces of indent, so ASCII digits ending the line that are four or more, fill
    the line, or follow a letter or other ASCII character rule them out (issue 15)."""
    if not ln[-1].isascii():
        return True
    r = ln.rstrip("0123456789")
    if not r or len(ln) - len(r) > 3:
        return False
    e = r[-1]
    return e.isspace() or e == "-" or not (e.isascii() or e.isalpha())


def _lines_holding(text: str, needles: tuple[str, ...]) -> list[int]:
    """Indices of the lines of ``text`` (split at "\n") that hold one of ``needles``."""
    out = []
    for nd in needles:
        at = text.find(nd)
        while at >= 0:
            line = text.count("\n", 0, at)
            out.append(line)
            nxt = text.find("\n", at)
            if nxt < 0:
                break
            at = text.find(nd, nxt)
    return out


def _clean_line(ln: str) -> str:
    # Each pattern runs only where the line's first or last character allows it (a character
    # outside ASCII but a letter always runs it).
    c = ln[:1]
    if (c in _RULE_LINE_FIRST or not (c.isascii() or c.isalpha())) and _RULE_LINE.match(ln) and ln.strip():
        return ""
    if "___" in ln or "----" in ln or "====" in ln:
        ln = _RULE_TOKEN.sub(" ", ln)
    ln = ln.rstrip()
    c = ln[-1:]  # ln is stripped: a page number must be its last character
    if (c.isdigit() or not (c.isascii() or c.isalpha())) and _gap_before_number(ln):  # a letter is never \d nor \s
        m = _PAGE_NUMBER_TAIL.match(ln)
        if m:
            ln = m.group(1)
    c = ln[-1:]
    if (c.isdigit() or c == "-" or not (c.isascii() or c.isalpha())) and len(ln) - len(ln.lstrip()) >= 8 \
            and _PAGE_NUMBER_LINE.match(ln):
        return ""
    return ln


def _gap_before_number(ln: str) -> bool:
    r"""What _PAGE_NUMBER_TAIL needs of a stripped line: eight spaces (\s, a space to str.isspace)
    right before its last one to three characters; most lines ending in a digit ("năm 2025") fail
    here without the pattern's backtracking over the whole line (speed, issue 15)."""
    return any(len(g := ln[-k - 8:-k]) == 8 and g.isspace() for k in (1, 2, 3))


def _header_end(lines: list[str]) -> int:
    """Index of the first line after the header block: the Kính gửi line, the type-word title,
    or the first long body line after the date, within the first 40 lines."""
    seen_date = False
    for i, ln in enumerate(lines[:40]):
        s = ln.strip()
        if not s:
            continue
        if _KINH_GUI.match(s) or _NOI_NHAN.match(ln):
            return i
        if seen_date and _BODY_OPENING.match(s):
            return i  # "Căn cứ …" of a web copy: its dates are not the header's (tvpl-van-ban-quyet-dinh-3745.txt)
        if _DATE_WORDS.search(s):
            seen_date = True
            continue
        if seen_date and rx.match(r"^(?:[\p{Lu}Đ ]{4,})$", s) and not _RIGHT_ANCHOR.search(s):
            return i
        if seen_date and len(s) > 90 and not _GAP.search(s):
            return i
    return min(len(lines), 40)


_NOT_SEARCHED: Any = object()


def _split_columns(line: str, right_at: int | None, anchor: Any = _NOT_SEARCHED) -> tuple[str, str]:
    """Cut one layout line into its left and right column parts (``anchor``: the right-column
    anchor's match in ``line``, where the caller searched it already)."""
    s = line.rstrip()
    if not s.strip():
        return "", ""
    m = anchor if anchor is not _NOT_SEARCHED and len(s) == len(line) else _RIGHT_ANCHOR.search(s)
    if m and s[:m.start()].strip():
        left, right = s[:m.start()], s[m.start():]
        # "Số: 565   /TB-UBND" keeps its number whole; a V/v piece stays left
        return left.strip(), right.strip()
    if m:
        return "", s.strip()
    gaps = [g for g in _GAP.finditer(s)]
    for g in gaps:
        left, right = s[:g.start(1)], s[g.end(1):]
        if right.startswith("/") or _SO_WORD_END.search(left.strip()):
            continue  # the gap inside "Số: 565   /TB-UBND"
        return left.strip(), right.strip()
    indent = len(s) - len(s.lstrip())
    if right_at is not None and indent >= max(right_at - 4, 20) and not _STAYS_LEFT.match(s.lstrip()):
        return "", s.strip()
    return s.strip(), ""


def _serialise_header(lines: list[str]) -> list[str]:
    end = _header_end(lines)
    if end == 0:
        return lines
    block = lines[:end]
    # the right-column anchor of each line, searched once (it was searched up to six times a line)
    anchor = {ln: _RIGHT_ANCHOR.search(ln) for ln in block}
    if any(len(ln) > 150 and anchor[ln] and (_VV_AFTER_SPACE.search(ln) or _KINH_GUI.search(ln))
           for ln in block):
        # a flattened web copy: the whole header on one line, in reading order already
        return _split_inline_header(lines, end, flat=True)
    if not any(_GAP.search(ln) or ((am := anchor[ln]) is not None and am.start() > 0 and ln[:am.start()].strip())
               for ln in block):
        return _split_inline_header(lines, end)
    right_at = None
    for ln in block:
        m = anchor[ln]
        if m and ln[:m.start()].strip():
            right_at = m.start() if right_at is None else min(right_at, m.start())
    left: list[str] = []
    right: list[str] = []
    for ln in block:
        a, b = _split_columns(ln, right_at, anchor[ln])
        if a:
            left.append(a)
        vv = _VV_AFTER_SPACE.search(b) if b else None
        if b and vv:
            # "Lâm Đồng, ngày 15 tháng 4 năm 2026 V/v góp ý …": the subject starts under the
            # number in the left column (lamdong-2873-sxd-*.txt)
            left.append(b[vv.end():].strip())
            b = b[:vv.start()].strip()
        if b:
            right.append(b)
    out = left + right
    return _split_inline_header(out, len(out)) + [""] + lines[end:]


_INLINE_HEADER_CUT = regex.compile(
    rf"(?<=\S)\s+(?={_L('motto')}|{_L('motto-second-line')}|{_L('vv')}\s|{_L('kinh-gui')}\s*:)"
    rf"|(?<={_L('date-in-words')})\s+(?=\S)"
    rf"|(?<={_L('motto-end')})\s+(?=\S)")


def _split_inline_header(lines: list[str], end: int, flat: bool = False) -> list[str]:
    """Header written on few long lines ("Số: 2739/VPCP-ĐMDN V/v quy định …"; "Hà Nội, ngày 05
    tháng 04 năm 2019 Kính gửi: Bộ …"): a line break before each header element.
    Source: tvpl-*.txt of the corpus (web copies)."""
    cut = _INLINE_HEADER_CUT
    out: list[str] = []
    stop = end
    for i, ln in enumerate(lines):
        if i < stop and len(ln) < 400:
            parts = [p for p in cut.split(ln) if p is not None]
            if flat:
                parts = [q for p in parts for q in _cut_place_date(p)]
            if len(parts) > 1 and _KINH_GUI.match(parts[-1]):
                # the addressees run on into the first sentence ("Kính gửi: Sở Y tế Thực hiện …")
                parts[-1:] = [p for p in _BODY_AFTER_ADDRESSEE.split(parts[-1]) if p]
            out += parts
        else:
            out.append(ln)
    return out


_PLACE_DATE = regex.compile(_L("place-date-start"))


def _cut_place_date(part: str) -> list[str]:
    """"… cải cách hành chính Hà Nội, ngày 05 tháng 01 năm 2026": the place and date of a
    flattened header start a part of their own (at the leftmost place word)."""
    m = _PLACE_DATE.search(part) if "," in part else None
    if not m or m.start() == 0 or not part[:m.start()].strip():
        return [part]
    return [part[:m.start()].rstrip(), part[m.start():]]


_BODY_AFTER_ADDRESSEE = regex.compile(rf"(?<=[\p{{L}}.;])\s+(?={_L('body-opening')})")


@lru_cache(maxsize=1)
def _inline_title() -> regex.Pattern[str]:
    titles = sorted((r["title"] for r in load_rules("doctypes.toml") if r.get("title")), key=len, reverse=True)
    alts = "|".join(regex.escape(t).replace(r"\ ", r"\s+") for t in titles)
    return regex.compile(
        rf"^(?:({alts})\s+|(?={_L('vv')}))(?=[\p{{Lu}}Đ])(.+?)"
        rf"(?:\s+({_L('enacting-office')}[\p{{Lu}}Đ\s,]*))?"
        rf"(?:\s+({_L('preamble')}\b.*))?$")


def _split_inline_title(lines: list[str]) -> list[str]:
    """A title written on one line with its subject, the enacting authority and the first
    "Căn cứ" ("QUYẾT ĐỊNH VỀ CƠ CHẾ … THU HỒI Căn cứ Luật …", web copies): one part a line.
    Source: tvpl-quyet-dinh-*.txt of the corpus."""
    pat = _inline_title()
    for i, ln in enumerate(lines[:50]):
        s = ln.strip()
        if len(s) < 15 or len(s) > 600 or not s[:4].isupper():
            continue
        m = pat.match(s)
        if m and (m.group(1) or m.group(3) or m.group(4)) \
                and sum(c.isupper() for c in m.group(2) if c.isalpha()) >= 0.8 * max(1, sum(c.isalpha() for c in m.group(2))):
            # the title may stand on the line above already ("VỀ VIỆC … TỔNG CỤC TRƯỞNG …")
            parts = [x for x in (m.group(1), m.group(2), m.group(3), m.group(4)) if x]
            return lines[:i] + parts + lines[i + 1:]
    return lines


def _may_open_noi_nhan(line: str) -> bool:
    """False where _NOI_NHAN cannot match: after spaces and one "|", an N must come (str.isspace
    holds every character the pattern's \\s does; no other letter folds to "n"). A string test
    costs a third of the pattern's on the lines of a whole letter (speed, issue 15)."""
    s = line.lstrip()
    if s[:1] == "|":
        s = s[1:].lstrip()
    return s[:1] in ("N", "n")


_SPACES_AND_BAR = ISSPACE_CHARS + "|"


def _noi_nhan_start(lines: list[str]) -> int | None:
    """Index of the first line _NOI_NHAN matches. The lines that may open the list are picked in
    C (issue 15): after every space and "|" (more than _may_open_noi_nhan strips) an N; each
    is then tested as before, in order."""
    may_open = map(str.startswith, map(str.lstrip, lines, repeat(_SPACES_AND_BAR)), repeat(("N", "n")))
    return next((i for i in compress(range(len(lines)), may_open)
                 if _may_open_noi_nhan(lines[i]) and _NOI_NHAN.match(lines[i])), None)


def _serialise_signature(lines: list[str]) -> list[str]:
    """From "Nơi nhận:" to the end: the Nơi nhận list first, then the signature block."""
    start = _noi_nhan_start(lines)
    if start is None:
        return _split_inline_signature(lines)
    lines = list(lines)
    lines[start] = _NOI_NHAN_CUT.sub(lambda m: m.group(1) + landmark_label("noi-nhan-cut") + "     ", lines[start])
    stop = min(len(lines), start + 45)
    for k in range(start + 1, stop):
        # an appendix, or the next document of the file (its own header, its "Kèm theo" line)
        # begins: lamdong-779qd…txt carries the Điều lệ after the decision
        if _NEXT_PART.match(lines[k]):
            stop = k
            break
    left: list[str] = []
    right: list[str] = []
    below = False  # the signature block printed under the Nơi nhận list, not beside it
    for ln in lines[start:stop]:
        if not ln.strip():
            left.append("")
            continue
        indent = len(ln) - len(ln.lstrip())
        if below:
            # its lines keep their order whatever their indent ("KT. CHỦ TỊCH" at the margin,
            # "PHÓ CHỦ TỊCH" indented under it: lamdong-kh-tuyen-truyen-cchc-nam-2026.txt)
            left.append(ln.strip())
            continue
        if not right and indent < 8 and left and _starts_signature(ln.strip()):
            below = True
            left.append(ln.strip())
            continue
        s = ln.strip()
        if "|" not in s and " ".join(s.split()) == s:
            # no bar and no two spaces running (every \s is a space to str.isspace): neither
            # split below cuts the line, so it is its only piece (issue 15)
            pieces = [s] if s != "-" else []
        else:
            pieces = [p.strip() for p in rx.split(r"\s{3,}|\s*\|\s*", s) if p.strip() and p.strip() != "-"]
            if len(pieces) == 1:
                pieces = [p.strip() for p in rx.split(r"\s{2,}(?=[-–] \S)", s) if p.strip()]
        pieces = [q for p in pieces for q in _title_then_item(p)]
        if len(pieces) > 1:
            # "- cc item      TITLE      - next cc item": items go left, the rest right
            for k, piece in enumerate(pieces):
                if piece.startswith(("- ", "– ", "+ ")) or (k == 0 and indent < 8):
                    left.append(piece)
                else:
                    right.append(piece)
        elif _ITEM_OR_NOI_NHAN.match(s) and (m := _TRAILING_TITLE.match(s)) and _TITLE_WORD.search(m.group(2)):
            # "- Như trên; CHÁNH VĂN PHÒNG": columns joined by a single space (DOCX tables);
            # the cheap test first (the three have no effect but their answer)
            left.append(m.group(1))
            right.append(m.group(2))
        elif indent >= 8:
            right.append(ln.strip())
        else:
            left.append(ln.strip())
    sig = _split_inline_signature(left)
    return lines[:start] + sig + [""] + right + [""] + lines[stop:]


def _starts_signature(s: str) -> bool:
    """A line alone at the margin after the Nơi nhận items that opens the signature block: a
    signer's prefix or title in capitals ("KT. CHỦ TỊCH", "GIÁM ĐỐC"), not a list item."""
    if s.startswith(("-", "–", "+", "•")) or _NOI_NHAN.match(s) or not s.isupper() or len(s) > 60:
        return False
    return bool(_TITLE_WORD.search(s)) and len(rx.split(r"\s{3,}", s)) == 1


_TITLE_THEN_ITEM = regex.compile(
    r"^(?P<title>(?:(?:KT|TM|TL|TUQ|Q)\.\s*)?[\p{Lu}Đ][\p{Lu}Đ ,.]*?[\p{Lu}Đ])\s*(?P<item>[-–]\s*\p{Lu}[\p{Ll}\p{Lu}].*)$")


def _title_then_item(piece: str) -> list[str]:
    """"PHÓ GIÁM ĐỐC- Giám đốc Sở (để b/c);": a Nơi nhận entry that pdftotext set right after the
    signer's title on the same line (lamdong-van-ban-cua-so-noi-vu.txt) is split off."""
    if "-" not in piece and "–" not in piece:
        return [piece]   # the item opens with one of them (issue 15)
    m = _TITLE_THEN_ITEM.match(piece)
    if not m or not _TITLE_WORD.search(m.group("title")) or len(m.group("title").split()) > 8:
        return [piece]
    item = m.group("item")
    return [m.group("title"), "- " + rx.sub(r"^[-–]\s*", "", item)]


_TRAILING_TITLE = regex.compile(
    r"^(.*?[;:.,)])\s+((?:(?:KT|TM|TL|TUQ|Q)\.\s*)?[\p{Lu}Đ][\p{Lu}Đ]+(?:[ ,]+[\p{Lu}Đ]+\.?)+)$")


_INLINE_SIGNATURE = regex.compile(
    r"^(.*?\S)\s+((?:(?:KT|TM|TL|TUQ|Q)\.\s*)?[\p{Lu}Đ][\p{Lu}Đ]+(?:[ ,]+[\p{Lu}Đ]{1,}\.?)+)"
    r"\s+(\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}*){1,4})(?:\s+([\p{Lu}Đ]{2,}\s.*))?\s*$")


# Every line _INLINE_SIGNATURE matches holds a title word of two capitals or more followed by a
# space or a comma ("BỘ TRƯỞNG, CHỦ NHIỆM"): a plain search finds it where the pattern's lazy
# opening would try every split of the line first (speed, issue 15).
_INLINE_SIGNATURE_NEEDS = regex.compile(r"[\p{Lu}Đ][\p{Lu}Đ][ ,]")
# ... and the end of the title, spaces, then the name's first two letters (group 2's last
# capital, an optional ".", \s+, group 3's "\p{Lu}\p{Ll}"): few lines pass both searches, and
# the pattern itself runs on those alone (issue 15).
_INLINE_SIGNATURE_NAME = regex.compile(r"[\p{Lu}Đ]\.?\s+\p{Lu}\p{Ll}")


def _split_inline_signature(lines: list[str]) -> list[str]:
    """"- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng": the signer's title
    and name written on the cc line (web copies) go on lines of their own."""
    pat = _INLINE_SIGNATURE
    out = []
    for ln in lines[-60:]:
        m = pat.match(ln) if _INLINE_SIGNATURE_NEEDS.search(ln) and _INLINE_SIGNATURE_NAME.search(ln) else None
        if m and _TITLE_WORD.search(m.group(2)) and rx.search(r"\p{Ll}", m.group(1)):
            # what follows the name (an appendix title run on by a web copy) keeps a line of its own
            out += [m.group(1), m.group(2), m.group(3)] + ([m.group(4)] if m.group(4) else [])
        else:
            out.append(ln)
    return lines[:-60] + out if len(lines) > 60 else out


_SUPERSCRIPTS = frozenset(SUPERSCRIPT_DIGITS)


def _separate_footnotes(lines: list[str]) -> tuple[list[str], list[Footnote]]:
    """Lines starting with a superscript mark ("¹ Kết luận …") are footnotes: their block runs to
    a numbered heading, a line that continues the cut paragraph (starts in lower case), or the
    next footnote. The paragraph the footnote cut is joined again.
    Source: seed/583-UBND-son-tay-2024.txt (footnote 2 in the middle of 3.b)."""
    out: list[str] = []
    notes: list[Footnote] = []
    i = 0
    n = len(lines)
    # a footnote opens only on a line whose first character but spaces is a digit (a superscript
    # mark, _FOOTNOTE_START, or a plain one, _PLAIN_NOTE: str.isdigit holds both and every \d);
    # the lines between are kept as they are, as the loop below keeps them (speed, issue 15)
    cands = [k for k, ln in enumerate(lines) if ln.lstrip()[:1].isdigit()] + [n]
    c = 0
    while i < n:
        while cands[c] < i:
            c += 1
        if cands[c] > i:
            out += lines[i:cands[c]]
            i = cands[c]
            continue
        # a line opening with a letter holds no mark (neither \s nor a superscript digit)
        # nor one whose first character but spaces is no superscript (\s is a space to str.isspace)
        m = None if lines[i][:1].isalpha() or lines[i].lstrip()[:1] not in _SUPERSCRIPTS \
            else _FOOTNOTE_START.match(lines[i])
        if not m:
            p = _plain_footnote(lines, i, out, len(notes) + 1)
            if p is not None:
                j, note = p
                notes.append(note)
                k = j
                while k < n and not lines[k].strip():
                    k += 1
                while out and not out[-1].strip():
                    out.pop()
                if k < n and out and not _HEADING.match(lines[k]):
                    out[-1] = out[-1].rstrip() + " " + lines[k].strip()
                    k += 1
                i = k
                continue
            out.append(lines[i])
            i += 1
            continue
        mark = "".join(_SUP_TO_DIGIT[c] for c in m.group(1))
        body = [m.group(2).strip()]
        j = i + 1
        continued = False
        while j < n:
            s = lines[j].strip()
            if not s:
                j += 1
                continue
            if _FOOTNOTE_START.match(s) or _HEADING.match(s) or _NOI_NHAN.match(s):
                break
            if s[0].islower():
                continued = True
                break
            if not s.startswith(("-", "+", "•")) and not body[-1].endswith(":") and len(body) >= 1 \
                    and not lines[j - 1].strip() and not s.startswith(("(", "“", "\"")):
                # a new paragraph that is not a list item of the footnote: the body again
                if not _looks_like_note_item(s, body):
                    break
            body.append(s)
            j += 1
        notes.append(Footnote(mark=mark, text=_join_note(body)))
        if continued:
            # drop blank lines kept before the note, then glue the continuation on
            while out and not out[-1].strip():
                out.pop()
            if out:
                out[-1] = out[-1].rstrip() + " " + lines[j].strip()
                j += 1
        i = j
    return out, notes


_PLAIN_NOTE = regex.compile(r"^(\d{1,2})\s+(\p{Lu}.*)$")


def _plain_footnote(lines: list[str], i: int, out: list[str], want: int) -> tuple[int, Footnote] | None:
    """A footnote pdftotext printed with a plain digit ("1 Công văn số 5956/…") at the foot of a
    page that cut a sentence: accepted only when its number is the next one expected, a blank line
    precedes it and the paragraph above stops mid-sentence. Returns (index after it, footnote).
    Source: lamdong-3367-ub-bao-cao-ket-qua-tong-hop-yeu-cau-hoi-to-ch.txt."""
    s = lines[i].strip()
    c = s[:1]
    if not c.isdigit() and (c.isascii() or c.isalpha()):
        return None  # _PLAIN_NOTE opens with a digit: most lines are passed over here
    if i == 0 or lines[i - 1].strip():
        return None  # no blank line above: tested before the pattern, the cheaper test (issue 15)
    m = _PLAIN_NOTE.match(s)
    if not m or int(m.group(1)) != want or _GAP.search(m.group(2)):
        return None  # a table row ("1   Trần Thanh Tài   Phó Giám đốc") is not a footnote
    prev = next((x for x in reversed(out) if x.strip()), "")
    if not prev or rx.search(r"[.;:!?”\")]\s*$", prev) or _HEADING.match(lines[i]):
        return None
    body = [m.group(2).strip()]
    j = i + 1
    while j < len(lines) and lines[j].strip():
        body.append(lines[j].strip())
        j += 1
    return j, Footnote(mark=m.group(1), text=" ".join(body))


def _join_note(parts: list[str]) -> str:
    """A footnote's lines as one text; its own list items ("- Lĩnh vực …") keep a line each."""
    out = ""
    for p in parts:
        sep = "\n" if p.startswith(("-", "+", "•")) else " "
        out = f"{out}{sep}{p}" if out else p
    return out


def _looks_like_note_item(s: str, body: list[str]) -> bool:
    return body[-1].endswith(":") or s.startswith(("-", "+"))
