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

import regex

from .models import Footnote, RawDocument

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = {c: str(i) for i, c in enumerate(SUPERSCRIPT_DIGITS)}

# A gap that separates two layout columns on one line.
_GAP = regex.compile(r"\S(\s{3,})(?=\S)")
# Anchors of the right header column (national motto, Party header, place and date).
_RIGHT_ANCHOR = regex.compile(
    r"(?:C[ỘOÔ]NG\s+H[OÒ][AÀ]\s+X[ÃA]\s+H[ỘO]I|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|ĐOÀN\s+(?:TNCS|THANH\s+NIÊN\s+CỘNG\s+SẢN)\s+HỒ\s+CHÍ\s+MINH$"
    r"|Đ[ộo]c\s+l[ậa]p\s*[-–]|Ð[ộo]c\s+l[ậa]p"
    r"|(?<![\p{L}])(?:(?:[\p{Lu}Ð][\p{L}.]*\s){0,3}[\p{Lu}Ð][\p{L}.]*|Tp\.\s?[\p{L} ]+),\s*ng[àa]y\b)")
_KINH_GUI = regex.compile(r"K[íi]nh\s+g[ửu]i\s*:?|K[íi]nh\s+m[ờo]i\s*:", regex.IGNORECASE)
_NOI_NHAN = regex.compile(r"^\s*\|?\s*N[ơo]i\s+nh[ậa]n\s*:?", regex.IGNORECASE)
_SO_LINE = regex.compile(r"^\s*(?:S[ốo]|So)\s*:?\s*\d*\s*$")
_RULE_LINE = regex.compile(r"^[\s_\-=–—.*~]{3,}$")
_RULE_TOKEN = regex.compile(r"_{3,}|-{4,}|={4,}")
_PAGE_NUMBER_TAIL = regex.compile(r"^(.*\S)\s{8,}\d{1,3}\s*$")
_PAGE_NUMBER_LINE = regex.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_STAMP_TIME = regex.compile(r"^\s*(?:\d{1,2}[./]\d{1,2}[./]\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?|[+-]\d{2}:\d{2})\s*$")
_TABLE_ROW = regex.compile(r"^\s*\|.*\|\s*$")
_TABLE_SEP = regex.compile(r"^\s*\|(?:\s*:?-{3,}:?\s*\|)+\s*$")
_FOOTNOTE_START = regex.compile(rf"^\s*([{SUPERSCRIPT_DIGITS}]+)\s*(\S.*)$")
_SUP_IN_TEXT = regex.compile(rf"(?<=\S)[{SUPERSCRIPT_DIGITS}]+")
_HEADING = regex.compile(r"^\s*(?:[0-9]+(?:\.[0-9]+)*\.|[a-zđ]\)|[IVXLC]+\.|Điều\s+\d+|Chương\s+[IVXLC\d]+|Mục\s+\d+|Phần\s+[IVXLC\d]+)\s")
# Words that make a run of capitals a signer's title ("KT. CHỦ TỊCH", "PHÓ GIÁM ĐỐC").
_TITLE_WORD = regex.compile(r"TRƯỞNG|TỊCH|ĐỐC|CHÁNH|TƯỚNG|THƯ|NHIỆM|PHÓ|KT\.|TM\.|TL\.|TUQ\.|VIỆN")


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
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\u00a0", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("Ð", "Đ").replace("ð", "đ")
    lines = [ln.replace("\t", "    ").rstrip() for ln in text.split("\n")]
    lines = _drop_signature_stamp(lines)
    lines = _drop_signature_captions(lines)
    lines = _unpipe_tables(lines)
    lines = _clean_rules_and_page_numbers(lines)
    lines = _serialise_header(lines)
    lines = _serialise_signature(lines)
    lines = [ln.strip() for ln in lines]
    footnotes = list(raw.footnotes)
    if not raw.footnotes or raw.format == "txt":
        lines, found = _separate_footnotes(lines)
        have = {f.mark for f in footnotes}
        footnotes += [f for f in found if f.mark not in have]
    out = "\n".join(lines)
    out = _SUP_IN_TEXT.sub("", out)
    out = regex.sub(r"\n{3,}", "\n\n", out).strip("\n")
    return replace(raw, text=out, footnotes=tuple(footnotes))


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
    while start > 0 and lines[start - 1].strip() and len(lines[start - 1]) - len(lines[start - 1].lstrip()) >= 30:
        start -= 1
    return lines[:start] + lines[end + 1:]


_CAPTION = regex.compile(r"^\s*(?:Ký\s+bởi|Cơ\s+quan|Thời\s+gian\s+ký|Người\s+ký|Email|Chức\s+vụ)\s*:", regex.IGNORECASE)


def _drop_signature_captions(lines: list[str]) -> list[str]:
    """Captions an e-signature prints ("Ký bởi: ỦY BAN NHÂN / DÂN TỈNH LÂM ĐỒNG", "Thời gian ký:
    13/11/2025 / 15:53:50") with the lines they wrap onto. Source: lamdong-493-tb.txt."""
    out: list[str] = []
    skip_next = False
    for ln in lines:
        if _CAPTION.match(ln):
            skip_next = True
            continue
        if skip_next and ln.strip() and (ln.strip().isupper() or _STAMP_TIME.match(ln)
                                         or regex.match(r"^\s*\d{1,2}:\d{2}", ln)):
            skip_next = False
            continue
        skip_next = False
        out.append(ln)
    return out


def _unpipe_tables(lines: list[str]) -> list[str]:
    """A two-column pipe table (header or signature laid out as a table) becomes its left
    column then its right column; other tables keep their rows, cells joined by " | "."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _TABLE_ROW.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        rows: list[list[str]] = []
        while j < len(lines) and _TABLE_ROW.match(lines[j]):
            if not _TABLE_SEP.match(lines[j]):
                cells = [c.strip() for c in lines[j].strip().strip("|").split("|")]
                rows.append(cells)
            j += 1
        joined = " ".join(" ".join(r) for r in rows)
        two_col = all(len(r) == 2 for r in rows) and bool(
            _RIGHT_ANCHOR.search(joined) or regex.search(r"N[ơo]i nh[ậa]n", joined))
        if two_col:
            out += [r[0] for r in rows if r[0]]
            out += [r[1] for r in rows if r[1]]
        else:
            out += [" | ".join(c for c in r if c) for r in rows if any(r)]
        i = j
    return out


def _clean_rules_and_page_numbers(lines: list[str]) -> list[str]:
    out = []
    for ln in lines:
        if _RULE_LINE.match(ln) and ln.strip():
            out.append("")
            continue
        ln = _RULE_TOKEN.sub(" ", ln).rstrip()
        m = _PAGE_NUMBER_TAIL.match(ln)
        if m:
            ln = m.group(1)
        if _PAGE_NUMBER_LINE.match(ln) and len(ln) - len(ln.lstrip()) >= 8:
            out.append("")
            continue
        out.append(ln)
    return out


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
        if regex.search(r"ng[àa]y\s.*th[áa]ng\s.*n[ăa]m\s+\d{4}", s):
            seen_date = True
            continue
        if seen_date and regex.match(r"^(?:[\p{Lu}Đ ]{4,})$", s) and not _RIGHT_ANCHOR.search(s):
            return i
        if seen_date and len(s) > 90 and not _GAP.search(s):
            return i
    return min(len(lines), 40)


def _split_columns(line: str, right_at: int | None) -> tuple[str, str]:
    """Cut one layout line into its left and right column parts."""
    s = line.rstrip()
    if not s.strip():
        return "", ""
    m = _RIGHT_ANCHOR.search(s)
    if m and s[:m.start()].strip():
        left, right = s[:m.start()], s[m.start():]
        # "Số: 565   /TB-UBND" keeps its number whole; a V/v piece stays left
        return left.strip(), right.strip()
    if m:
        return "", s.strip()
    gaps = [g for g in _GAP.finditer(s)]
    for g in gaps:
        left, right = s[:g.start(1)], s[g.end(1):]
        if right.startswith("/") or regex.search(r"(?:S[ốo]|So)\s*:?\s*\d*$", left.strip()):
            continue  # the gap inside "Số: 565   /TB-UBND"
        return left.strip(), right.strip()
    indent = len(s) - len(s.lstrip())
    if right_at is not None and indent >= max(right_at - 4, 20) and not s.lstrip().startswith(("V/v", "Số", "-")):
        return "", s.strip()
    return s.strip(), ""


def _serialise_header(lines: list[str]) -> list[str]:
    end = _header_end(lines)
    if end == 0:
        return lines
    block = lines[:end]
    if not any(_GAP.search(ln) or (_RIGHT_ANCHOR.search(ln) and _RIGHT_ANCHOR.search(ln).start() > 0
                                    and ln[:_RIGHT_ANCHOR.search(ln).start()].strip())
               for ln in block):
        return _split_inline_header(lines, end)
    right_at = None
    for ln in block:
        m = _RIGHT_ANCHOR.search(ln)
        if m and ln[:m.start()].strip():
            right_at = m.start() if right_at is None else min(right_at, m.start())
    left: list[str] = []
    right: list[str] = []
    for ln in block:
        a, b = _split_columns(ln, right_at)
        if a:
            left.append(a)
        if b:
            right.append(b)
    out = left + right
    return _split_inline_header(out, len(out)) + [""] + lines[end:]


def _split_inline_header(lines: list[str], end: int) -> list[str]:
    """Header written on few long lines ("Số: 2739/VPCP-ĐMDN V/v quy định …"; "Hà Nội, ngày 05
    tháng 04 năm 2019 Kính gửi: Bộ …"): a line break before each header element.
    Source: tvpl-*.txt of the corpus (web copies)."""
    cut = regex.compile(
        r"(?<=\S)\s+(?=C[ỘOÔ]NG\s+H[OÒ][AÀ]\s+X[ÃA]\s+H[ỘO]I|Độc\s+lập\s*-|V/v\s|Về\s+việc\s"
        r"|K[íi]nh\s+g[ửu]i\s*:)|(?<=ng[àa]y[\s\d.…_]*th[áa]ng[\s\d.…_]*n[ăa]m\s+\d{4})\s+(?=\S)"
        r"|(?<=Hạnh\s+phúc)\s+(?=\S)")
    out: list[str] = []
    stop = end
    for i, ln in enumerate(lines):
        if i < stop and len(ln) < 400:
            out += [p for p in cut.split(ln) if p is not None]
        else:
            out.append(ln)
    return out


def _serialise_signature(lines: list[str]) -> list[str]:
    """From "Nơi nhận:" to the end: the Nơi nhận list first, then the signature block."""
    start = next((i for i, ln in enumerate(lines) if _NOI_NHAN.match(ln)), None)
    if start is None:
        return _split_inline_signature(lines)
    stop = min(len(lines), start + 45)
    for k in range(start + 1, stop):
        if regex.match(r"^\s*(?:PHỤ LỤC|DANH SÁCH|Phụ lục)\b", lines[k]):
            stop = k
            break
    left: list[str] = []
    right: list[str] = []
    for ln in lines[start:stop]:
        if not ln.strip():
            left.append("")
            continue
        indent = len(ln) - len(ln.lstrip())
        pieces = [p.strip() for p in regex.split(r"\s{3,}|\s*\|\s*", ln.strip()) if p.strip() and p.strip() != "-"]
        if len(pieces) == 1:
            pieces = [p.strip() for p in regex.split(r"\s{2,}(?=[-–] \S)", ln.strip()) if p.strip()]
        if len(pieces) > 1:
            # "- cc item      TITLE      - next cc item": items go left, the rest right
            for k, piece in enumerate(pieces):
                if piece.startswith(("- ", "– ", "+ ")) or (k == 0 and indent < 8):
                    left.append(piece)
                else:
                    right.append(piece)
        elif indent >= 8:
            right.append(ln.strip())
        else:
            left.append(ln.strip())
    sig = _split_inline_signature(left)
    return lines[:start] + sig + [""] + right + [""] + lines[stop:]


def _split_inline_signature(lines: list[str]) -> list[str]:
    """"- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng": the signer's title
    and name written on the cc line (web copies) go on lines of their own."""
    pat = regex.compile(
        r"^(.*?\S)\s+((?:(?:KT|TM|TL|TUQ|Q)\.\s*)?[\p{Lu}Đ][\p{Lu}Đ]+(?:[ ,]+[\p{Lu}Đ]{1,}\.?)+)"
        r"\s+(\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}*){1,4})\s*$")
    out = []
    for ln in lines[-60:]:
        m = pat.match(ln)
        if m and _TITLE_WORD.search(m.group(2)):
            out += [m.group(1), m.group(2), m.group(3)]
        else:
            out.append(ln)
    return lines[:-60] + out if len(lines) > 60 else out


def _separate_footnotes(lines: list[str]) -> tuple[list[str], list[Footnote]]:
    """Lines starting with a superscript mark ("¹ Kết luận …") are footnotes: their block runs to
    a numbered heading, a line that continues the cut paragraph (starts in lower case), or the
    next footnote. The paragraph the footnote cut is joined again.
    Source: seed/583-UBND-son-tay-2024.txt (footnote 2 in the middle of 3.b)."""
    out: list[str] = []
    notes: list[Footnote] = []
    i = 0
    n = len(lines)
    while i < n:
        m = _FOOTNOTE_START.match(lines[i])
        if not m:
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
        notes.append(Footnote(mark=mark, text=" ".join(body)))
        if continued:
            # drop blank lines kept before the note, then glue the continuation on
            while out and not out[-1].strip():
                out.pop()
            if out:
                out[-1] = out[-1].rstrip() + " " + lines[j].strip()
                j += 1
        i = j
    return out, notes


def _looks_like_note_item(s: str, body: list[str]) -> bool:
    return body[-1].endswith(":") or s.startswith(("-", "+"))
