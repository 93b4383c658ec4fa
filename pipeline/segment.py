"""Cut a normalised document into header, title, Kính gửi, body, Nơi nhận, signature.

Works on the text ``normalize_document`` gives (columns serialised, footnotes apart), line by
line. Each part is kept as text; ``body_span`` gives the body's offsets in ``Segments.text``.
The patterns that find the parts are compiled once here and shared with extract/header.py.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any

import regex

from .landmarks import landmark, landmarks
from .models import RawDocument, Segments, Span
from .resolve import fold
from .rules import _PROPERTY_RE, first_literals, load_rules, rx

_L = landmark
KINH_GUI = regex.compile(rf"^(?:{_L('kinh-gui')})\s*[:;.]?\s*(.*)$")
KINH_MOI = regex.compile(rf"^(?:(?:\d+\.|[a-z]\))\s*)?(?:{_L('kinh-moi')}|{_L('thanh-phan')}|[^:]{{0,80}}\s{_L('kinh-moi')})"
                         r"\s*:\s*(.*)$", regex.IGNORECASE)
DIEN = regex.compile(rf"^{_L('dien')}\s*:\s*(.*)$")
NOI_NHAN = regex.compile(rf"^{landmarks('noi-nhan', 'noi-nhan-cut')}\s*:?\s*(.*)$")
# what every line NOI_NHAN matches opens with ("" where that cannot be read: every line is tried)
_NOI_NHAN_FIRST = first_literals(NOI_NHAN) or ("",)
# read in any case: web copies print the motto in lower case ("Cộng hòa xã hội …")
MOTTO = regex.compile(rf"^{landmarks('motto', 'motto-second-line', 'party-motto', 'youth-union-motto')}", regex.IGNORECASE)
SO_LINE = regex.compile(rf"^{_L('so')}\s*[:.]?\s*(?=[\d/ ]|$)|^{_L('so')}\s*:\s*\S{{1,6}}\s*/\s*\p{{Lu}}")
# OCR marks inside the numbers ("tháng 1] năm 2025", lamdong-477.pdf) keep the line a date line;
# the date itself is then unreadable (extract/header.py drops it for review)
DATE_LINE = regex.compile(landmarks("date-in-words", "date-numeric", "date-ocr-lost-ngay", "date-spelt-out"),
                          regex.IGNORECASE)


# letters the regex module matches, ignoring case, with a character whose lower() is another
# ("İ" for "i", "ſ" for "s"): a needle holds none of them (the test of test_header_speed3.py
# over every code point finds any other)
_LOWER_UNSAFE = frozenset("isıſẛṡƛ")


def needles(pattern: regex.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case strings one of which ``s.lower()`` holds wherever ``pattern`` matches in s (or
    None where none can be read off the pattern): the longest run of plain characters each
    branch of the pattern needs ("ng[àa]y" gives "ngày" and "ngay"). For a prefilter: a line
    that holds none of them is not searched (speed, issue 15). The lower-casing holds for the
    characters these needles use (tests/test_header_speed3.py checks every code point).

    >>> sorted(needles(regex.compile("(?:x|ng[àa]y)th[áa]ng|^Năm", regex.IGNORECASE)))
    ['năm', 'thang', 'tháng']
    """
    import re._constants as C
    import re._parser as P

    # named groups made plain (a name used in two branches is an error to the standard parser):
    # the characters a match needs do not change
    text = regex.sub(r"(?<!\\)\(\?P<\w+>", "(?:", pattern.pattern)
    try:
        parsed = P.parse(_PROPERTY_RE.sub(r"\\w", text),
                         C.SRE_FLAG_VERBOSE if pattern.flags & regex.VERBOSE else 0)
    except Exception:  # noqa: BLE001 - syntax of the regex module alone: no prefilter
        return None
    repeats = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))

    def best(cands: list[set[str]]) -> set[str] | None:
        """The candidate whose shortest string is longest; of equals the last (what follows an
        optional or variable opening is the more telling: "m[ờo]i" rather than "nh")."""
        got = None
        for c in cands:
            if c and all(c) and len(c) <= 16 and (got is None or min(map(len, c)) >= min(map(len, got))):
                got = c
        return got

    def of(seq: list[Any]) -> set[str] | None:
        cands: list[set[str]] = []
        run = {""}
        for op, av in seq:
            if op is C.LITERAL and chr(av).lower() not in _LOWER_UNSAFE:
                run = {r + chr(av) for r in run}
                continue
            if op is C.IN and av and len(av) <= 4 and all(o is C.LITERAL and chr(v).lower() not in _LOWER_UNSAFE
                                                          for o, v in av):
                run = {r + chr(v) for r in run for _o, v in av}
                continue
            cands.append(run)
            run = {""}
            if op is C.SUBPATTERN:
                cands.append(of(list(av[3].data)) or set())
            elif op is getattr(C, "ATOMIC_GROUP", None):
                cands.append(of(list(av.data)) or set())
            elif op is C.BRANCH:
                alts = [of(list(b.data)) for b in av[1]]
                if all(alts):
                    cands.append(set().union(*[a for a in alts if a]))
            elif op in repeats and av[0] >= 1:
                cands.append(of(list(av[2].data)) or set())
        cands.append(run)
        return best(cands)

    got = of(list(parsed.data))
    return tuple(sorted({n.lower() for n in got})) if got else None


def prefiltered(pattern: regex.Pattern[str], method: str = "search") -> Callable[[str], Any]:
    """``pattern.search`` (or ``match``) of a line, run only where the line holds one of the
    pattern's ``needles``: the same answer, one regex call fewer on most lines."""
    call = getattr(pattern, method)
    subs = needles(pattern)
    if not subs:
        return call  # type: ignore[no-any-return]

    def test(s: str) -> Any:
        low = s.lower()
        for n in subs:
            if n in low:
                return call(s)
        return None
    return test


VV = regex.compile(rf"^{_L('vv')}\s*[:.]?\s*", regex.V1)


def opening(pattern: regex.Pattern[str]) -> Callable[[str], Any]:
    """``pattern.match``, run only on a string whose first character opens one of the literals
    every match opens with (rules.first_literals; compared lower-cased where the pattern ignores
    case, as ``needles`` are): the same answer, no regex call on most lines. The pattern's own
    match where those cannot be read."""
    call = pattern.match
    ci = bool(pattern.flags & regex.IGNORECASE)
    if ci and pattern.flags & (regex.V1 | regex.FULLCASE):
        return call  # full case folding: one character may stand for two
    lits = first_literals(pattern, ignorecase=ci)
    firsts = frozenset(lit[0].lower() if ci else lit[0] for lit in lits if lit)
    if not lits or not all(lits) or ci and any(c in _LOWER_UNSAFE for c in firsts):
        return call
    if ci:
        return lambda s: call(s) if s[:1].lower() in firsts else None
    return lambda s: call(s) if s[:1] in firsts else None


# KINH_MOI.match of a line with one of its needles ("mời", "thành"): its "… kính mời:" branch
# reads up to 80 characters before giving up, on every line with a colon
kinh_moi_match = prefiltered(KINH_MOI, "match")
# MOTTO, SO_LINE and VV matches of a line, tried only where its first character can open one
motto_match = opening(MOTTO)
so_match = opening(SO_LINE)
vv_match = opening(VV)
# DATE_LINE.search of a line, tried only on lines with one of its needles ("ngày", "tháng"):
# a search of the whole pattern costs several times a plain regex call on every header line
is_date_line = prefiltered(DATE_LINE)
# "KT GIÁM ĐỐC" (a web copy or OCR lost the period): a prefix where capitals follow
SIGNER_PREFIX = regex.compile(r"^(?:(?:T\s*M|K\s*T|T\s*L|T\s*U\s*Q|Q)\s*[.:]|[TK]\s*/\s*(?:M|T|L|UQ)\s|(?:TM|KT|TL)\s+(?=[\p{Lu}Đ]{2}))")
# words that make a line of capitals an office title rather than a body's name
TITLE_WORDS = regex.compile(_L("signer-title-word"))


@lru_cache(maxsize=1)
def _rank_pattern() -> regex.Pattern[str]:
    alts = "|".join(f"(?:{r['pattern']})" for r in load_rules("signer_ranks.toml"))
    return regex.compile(rf"^(?:{alts})\s+(?=\p{{Lu}})")


@lru_cache(maxsize=1)
def _rank_first() -> frozenset[str] | None:
    """The characters a rank opens with (None where that cannot be read off the patterns)."""
    lits = first_literals(_rank_pattern())
    return frozenset(lit[0] for lit in lits) if lits else None


def new_to_python(c: str) -> bool:
    """A character Python's Unicode tables do not know (the regex module's are newer): str
    tests such as isupper() or isdigit() do not stand for a regex class on it."""
    return not c.isascii() and unicodedata.category(c) == "Cn"


def strip_rank(line: str) -> str:
    """A signer's name without the rank printed before it (rules/signer_ranks.toml).

    >>> strip_rank("Thượng tướng Nguyễn Văn Long")
    'Nguyễn Văn Long'
    """
    s = line.strip()
    first = _rank_first()
    if first is not None and s[:1] not in first:
        return s  # no rank opens with this character: the pattern is not run
    return _rank_pattern().sub("", s, count=1)


class _Name:
    """A person's name on its own line ("Nguyễn Văn An"), a rank before it allowed."""

    _pat = regex.compile(r"^(?:\p{Lu}\p{Ll}+)(?:\s+\p{Lu}[\p{Ll}]*){1,5}$")

    def match(self, s: str) -> regex.Match[str] | None:
        first = _rank_first()
        c = s.strip()[:1]
        if c and first is not None and all(f.isupper() for f in first) and not c.isupper() \
                and not new_to_python(c):
            # a line that opens with no capital holds no rank (each opens with one) and no name
            # (\p{Lu} first, and a \p{Lu} character is isupper(), but for one Python's tables lack)
            return None
        return self._pat.match(strip_rank(s))


NAME = _Name()
BODY_START = regex.compile(rf"^{landmark('body-opening')}")
SIGNED_NOISE = regex.compile(rf"^{landmark('signed-noise')}", regex.IGNORECASE)


@dataclass(frozen=True)
class Doctype:
    id: str
    name: str
    code: str
    title: str


@lru_cache(maxsize=1)
def doctypes() -> tuple[Doctype, ...]:
    """The document types of rules/doctypes.toml."""
    return tuple(Doctype(r["id"], r["name"], r["code"], r["title"]) for r in load_rules("doctypes.toml"))


@lru_cache(maxsize=1)
def _title_pattern() -> regex.Pattern[str]:
    titles = sorted((d.title for d in doctypes() if d.title), key=len, reverse=True)
    alts = "|".join(regex.escape(t).replace(r"\ ", r"\s+") for t in titles)
    return regex.compile(rf"^(?:BẢN\s+SAO\s+)?({alts})\s*(?:\(.*\))?\s*$")


@lru_cache(maxsize=1)
def _title_first() -> frozenset[str] | None:
    """The characters a line _title_pattern matches opens with (None where they cannot be read:
    every line is then tried)."""
    lits = first_literals(_title_pattern())
    return frozenset(lit[0] for lit in lits) if lits else None


@lru_cache(maxsize=1)
def _doctypes_by_folded_title() -> dict[str, Doctype]:
    """The first type (in file order) of each folded title: a lookup, not a pass over the types."""
    out: dict[str, Doctype] = {}
    for d in doctypes():
        if d.title:
            out.setdefault(fold(d.title), d)
    return out


def match_doctype_title(line: str) -> Doctype | None:
    """The type named by a title line ("QUYẾT ĐỊNH", "TỜ TRÌNH"), else None.

    >>> match_doctype_title("TỜ TRÌNH").name
    'Tờ trình'
    """
    s = line.strip()
    first = _title_first()
    if first is not None and s[:1] not in first and (len(s) > 30 or not s.isupper()):
        return None  # neither a title's first letter (the replacements keep it) nor a short caps line
    m = _title_pattern().match(s.replace("HOÀ", "HÒA").replace("THOẢ", "THỎA"))
    if not m:
        # OCR and ASCII spellings ("QUYÉT ĐỊNH", "QUYET DINH"): compare without diacritics, capitals only
        s = line.strip()
        if not s or not s.isupper() or len(s) > 30 or not rx.fullmatch(r"[\p{L} ]+", s):
            return None  # "QUYẾT ĐỊNH:" is the enacting formula, not the title
        return _doctypes_by_folded_title().get(fold(s))
    key = " ".join(m.group(1).split())
    for d in doctypes():
        if d.title and d.title.replace("HOÀ", "HÒA") == key:
            return d
    return None


@lru_cache(maxsize=8192)
def is_caps(line: str) -> bool:
    """A line written in capitals (letters only counted); remembered, as the signature and header
    readers ask it of the same lines several times."""
    letters = "".join(filter(str.isalpha, line))  # filter/map over str methods: no Python loop per character
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.8 * len(letters)


def header_words(role: str) -> str:
    """The fragments of rules/header_words.toml of one role, as one alternation ("a|b").

    >>> "SỞ" in header_words("body-kind")
    True
    """
    return "|".join(f"(?:{r['pattern']})" for r in load_rules("header_words.toml") if r["role"] == role)


# where a body's name starts ("SỞ NỘI VỤ", "ỦY BAN MTTQ …"), capitals as printed
BODY_KIND_START = regex.compile(rf"^(?:{header_words('body-kind')})\b")


@lru_cache(maxsize=1)
def _titles_folded() -> regex.Pattern[str]:
    """A title of rules/signer_titles.toml, folded ("pho giam doc")."""
    titles = sorted({regex.escape(fold(r["title"])) for r in load_rules("signer_titles.toml")}, key=len, reverse=True)
    return regex.compile(rf"^(?:{'|'.join(titles)})$")


def is_title_line(line: str) -> bool:
    """A signer's title line, in any case: capitals with a title word ("PHÓ GIÁM ĐỐC"), or a title
    of rules/signer_titles.toml written in sentence case, as a DOCX whose style prints capitals
    holds it ("KT. Giám đốc", "Phó Chánh Văn phòng"), after a prefix or not.

    >>> is_title_line("KT. Giám đốc"), is_title_line("Phó Giám đốc"), is_title_line("Nguyễn Văn An")
    (True, True, False)
    """
    s = line.strip()
    if is_caps(s):
        return bool(TITLE_WORDS.search(s) or SIGNER_PREFIX.match(s))
    if len(s) > 80 or not s[:1].isupper():
        return False
    m = SIGNER_PREFIX.match(s)
    rest = s[m.end():].strip() if m else s
    return bool(rest) and bool(_titles_folded().match(fold(rest)))


def _offsets(lines: list[str]) -> list[int]:
    """Offset of each line in the lines joined by "\n"."""
    return list(accumulate((len(ln) + 1 for ln in lines[:-1]), initial=0)) if lines else []


def _is_list_item(s: str) -> bool:
    return s.startswith(("-", "–", "+", "•", "*"))


def _recipients_end(lines: list[str], i: int, first: str) -> int:
    """Index after the last line of a Kính gửi block that starts at line i."""
    j = i + 1
    if first and not first.rstrip().endswith((",", ";", ":")):
        # "Kính gửi: Sở Nội vụ" alone, possibly wrapped in lower case
        while j < len(lines) and lines[j].strip() and lines[j].strip()[0].islower() and len(lines[j]) < 80:
            j += 1
        return j
    last = first
    while j < len(lines):
        s = lines[j].strip()
        if not s:
            # a blank line ends the list only when what follows is not a list item
            k = j + 1
            while k < len(lines) and not lines[k].strip():
                k += 1
            if k < len(lines) and _is_list_item(lines[k].strip()) and not (last or "").endswith("."):
                j = k
                continue
            if k < len(lines) and last and not last.endswith((";", ".", ":")) and lines[k].strip()[:1].islower():
                j = k  # an addressee wrapped over a blank line (OCR, DOCX)
                continue
            return j
        if _is_list_item(s):
            last = s
            j += 1
            continue
        ahead = [x.strip() for x in lines[j + 1:j + 6] if x.strip()][:2]
        if len(s) <= 12 and not last.endswith(".") and any(_is_list_item(x) for x in ahead):
            j += 1  # OCR noise between two addressees (a stamp's "ĐẾN", a stray mark: tw-464-ttg-signed.pdf)
            continue
        if last and not last.endswith((";", ".", ":")) and len(s) < 100 and not BODY_START.match(s):
            last = s  # an addressee wrapped over two lines
            j += 1
            continue
        return j
    return j


def segment_document(raw: RawDocument) -> Segments:
    """Segments of a normalised document.

    Args:
        raw: the output of ``normalize_document``.
    Returns:
        Segments with header (and header_left/right), title (type word and subject), recipients,
        body (+ body_span), cc (Nơi nhận), signature and footnotes.

    >>> seg = segment_document(RawDocument("x", "txt", "", "BỘ NỘI VỤ\\nSố: 1/BNV\\nV/v a\\n"
    ...     "Hà Nội, ngày 1 tháng 2 năm 2025\\nKính gửi: Sở Nội vụ\\nNội dung.\\nNơi nhận:\\n- Lưu: VT."))
    >>> seg.body
    'Nội dung.'
    """
    text = raw.text
    lines = text.split("\n")
    n = len(lines)
    limit = min(n, 70)

    # DIEN and KINH_MOI both need a ":" (their patterns end on it): a line without one skips them
    i_kg = next((i for i, s in enumerate(ln.strip() for ln in lines[:limit])
                 if KINH_GUI.match(s) or ":" in s and (DIEN.match(s) or i < 40 and kinh_moi_match(s))), None)
    i_title = None
    for i in range(min(n, 60)):
        if i_kg is not None and i > i_kg:
            break
        if match_doctype_title(lines[i]):
            i_title = i
            break
    # the header block: up to the title, the Kính gửi line, or the first body line
    i_date = next((i for i in range(min(n, 45)) if is_date_line(lines[i])), None)
    cands = [x for x in (i_title, i_kg) if x is not None]
    if cands:
        h_end = min(cands)
    else:
        h_end = _header_end_by_body(lines, i_date)
    # subject of a titled document: lines after the title
    subj_end = None
    if i_title is not None:
        subj_end = _subject_end(lines, i_title + 1)
    # recipients
    rec_text = ""
    rec_end = None
    if i_kg is not None:
        s = lines[i_kg].strip()
        m = KINH_GUI.match(s) or DIEN.match(s) or KINH_MOI.match(s)
        first = m.group(1).strip() if m else ""
        rec_end = _recipients_end(lines, i_kg, first)
        rec_text = "\n".join(lines[i_kg:rec_end]).strip()
        if not first:
            # a DOCX header table read cell by cell: "Kính gửi:" ends the left cell, the motto and
            # the date of the right cell come next, then the list (lamdong-cv-xin-y-kien-ngoai-bo.docx)
            j = i_kg + 1
            while j < n and j < i_kg + 8 and (not lines[j].strip() or motto_match(lines[j].strip())
                                               or is_date_line(lines[j])):
                j += 1
            if j > rec_end and j < n and _is_list_item(lines[j].strip()):
                end = _recipients_end(lines, j - 1, ":")
                rec_text = lines[i_kg].strip() + "\n" + "\n".join(lines[j:end]).strip()
                rec_end = end
    body_start_line = max(x for x in (h_end, subj_end or 0, rec_end or 0))
    b0_line = max(h_end, subj_end or 0)
    if i_kg is not None and rec_end is not None and i_kg > b0_line \
            and any(ln.strip() for ln in lines[b0_line:i_kg]) and not KINH_GUI.match(lines[i_kg].strip()):
        # invitees listed inside the body of a Giấy mời ("2. Thành phần mời:"): the body keeps them
        body_start_line = max(h_end, subj_end or 0)
    if i_kg is None and i_title is None:
        body_start_line = h_end
    # Nơi nhận and signature
    # NOI_NHAN runs only on lines that open with one of its first literals (speed, issue 15)
    i_nn = next((i for i in range(body_start_line, n)
                 if (s := lines[i].strip()).startswith(_NOI_NHAN_FIRST) and NOI_NHAN.match(s)), None)
    cc_text = ""
    sig_text = ""
    body_end_line = n
    if i_nn is not None:
        cc_end = _cc_end(lines, i_nn)
        cc_text = "\n".join(lines[i_nn:cc_end]).strip()
        sig_end = _signature_end(lines, cc_end)
        sig_lines = lines[cc_end:sig_end]
        # a signature written before Nơi nhận (DOCX/HTML copies): the caps lines just above
        k = _signature_above(lines, i_nn, body_start_line)
        if k is not None:
            sig_lines = lines[k:i_nn] + sig_lines
            body_end_line = k
        else:
            body_end_line = i_nn
        sig_text = "\n".join(sig_lines).strip()
    else:
        k = _signature_from_end(lines, body_start_line)
        if k is None:
            # an appendix printed after the signature, with no Nơi nhận (vbpl-doc-000022.txt)
            a = _appendix_start(lines, body_start_line)
            if a is not None:
                k = _signature_from_end(lines[:a], body_start_line)
        if k is not None:
            body_end_line = k
            sig_text = "\n".join(lines[k:_signature_end(lines, k)]).strip()
    # the offsets of two lines only: the lengths before each, one "\n" after each line
    b0 = sum(map(len, lines[:body_start_line])) + body_start_line if body_start_line < n else len(text)
    b1 = sum(map(len, lines[:body_end_line])) + body_end_line if body_end_line < n else len(text)
    while b0 < b1 and text[b0].isspace():
        b0 += 1
    while b1 > b0 and text[b1 - 1].isspace():
        b1 -= 1
    header_lines = lines[:h_end]
    left, right = _split_header(header_lines)
    title = ""
    if i_title is not None:
        title = "\n".join(lines[i_title:subj_end or i_title + 1]).strip()
    return Segments(
        text=text, header="\n".join(header_lines).strip(), header_left="\n".join(left).strip(),
        header_right="\n".join(right).strip(), title=title, recipients=rec_text,
        body=text[b0:b1], body_span=Span(b0, b1), signature=sig_text, cc=cc_text,
        footnotes=raw.footnotes, tables=raw.tables)


APPENDIX_HEAD = regex.compile(rf"^{landmark('appendix')}(?:\s+(?:số\s+)?[IVXLC\d]+[a-z]?)?\s*[:.]?\s*$")


def _appendix_start(lines: list[str], floor: int) -> int | None:
    """The line where an appendix begins ("PHỤ LỤC I", "Phụ Lục" alone on its line), else None."""
    return next((i for i in range(max(floor, 0), len(lines)) if APPENDIX_HEAD.match(lines[i].strip())), None)


def _header_end_by_body(lines: list[str], i_date: int | None) -> int:
    start = (i_date + 1) if i_date is not None else 0
    n = len(lines)
    j = start
    # V/v lines after the date (layouts where the subject sits under the date row)
    while j < min(n, start + 12):
        s = lines[j].strip()
        if s and (len(s) > 90 or BODY_START.match(s)) and not vv_match(s):
            return j
        j += 1
    return min(n, start)


def _subject_end(lines: list[str], i: int) -> int:
    """Index after the subject lines that follow a title line."""
    n = len(lines)
    j = i
    got: list[str] = []
    while j < n and len(got) < 8:
        s = lines[j].strip()
        if not s:
            if not got:
                j += 1
                continue
            k = j + 1
            while k < n and not lines[k].strip():
                k += 1
            if k < n and got:
                nxt = lines[k].strip()
                cont = nxt[:1].islower() or got[-1].endswith((",", "-", "–")) or (is_caps(got[-1]) and is_caps(nxt) and not _is_authority(nxt, lines)
                                             and len(got) < 3 and not KINH_GUI.match(nxt))
                if not cont and len(nxt) < 100 and not got[-1].endswith((".", ";", ":")) and not KINH_GUI.match(nxt):
                    # the last lines of the subject set apart by a blank line (PDF text layers), known
                    # by what follows them: Kính gửi or the first body line (lamdong-1005-…pdf,
                    # quangngai-05-signed-…pdf); a block with a sentence end is the body's
                    def _opens(x: str) -> bool:
                        return bool(KINH_GUI.match(x) or BODY_START.match(x) or rx.match(r"^(?:[IVX]+|\d+)\.\s", x))
                    k1 = k
                    while k1 < n and k1 < k + 3 and lines[k1].strip() and len(lines[k1].strip()) < 100 \
                            and not lines[k1].strip().endswith((".", ";", ":")) and not _opens(lines[k1].strip()):
                        k1 += 1
                    k2 = k1
                    while k2 < n and not lines[k2].strip():
                        k2 += 1
                    cont = k1 > k and k2 < n and _opens(lines[k2].strip())
                if cont and not BODY_START.match(nxt) and not _ENACTING.match(nxt):
                    j = k
                    continue
            return j
        if KINH_GUI.match(s) or BODY_START.match(s) or motto_match(s) or (got and _is_authority(s, lines)) \
                or (got and _ENACTING.match(s)) or (got and rx.search(r"(?i)\bs[ốo]\s*:", s)) \
                or rx.match(r"^(?:[IVX]+|\d+)\.\s", s) or NOI_NHAN.match(s):
            return j
        if got and len(s) > 110 and not s[:1].islower() and not got[-1].endswith((",", "-", "–")):
            return j
        got.append(s)
        j += 1
    return j


# the enacting formula and first article of a decision ("QUYẾT ĐỊNH:", "Điều 1."): never the
# subject, even where a web copy drops the colon (tvpl-van-ban-quyet-dinh-3745.txt)
_ENACTING = regex.compile(rf"^{landmark('enacting-words')}")


_AUTHORITY = regex.compile(rf"^{landmark('enacting-authority')}")


def _is_authority(s: str, lines: list[str]) -> bool:
    """A caps line under the subject that names who enacts ("BỘ TRƯỞNG BỘ NỘI VỤ", "CHÍNH PHỦ")."""
    if not is_caps(s) or len(s) > 80:
        return False
    if _AUTHORITY.match(s):
        return True
    head = [ln.strip() for ln in lines[:8]]
    return s in head


_ARCHIVE = regex.compile(rf"^{landmark('archive-line')}")


def _cc_end(lines: list[str], i: int) -> int:
    """Index after the Nơi nhận list that starts at line i."""
    n = len(lines)
    m = NOI_NHAN.match(lines[i].strip())
    j = i + 1
    last = m.group(1).strip() if m else ""
    had_item = bool(last)
    while j < n:
        s = lines[j].strip()
        if not s:
            k = j + 1
            while k < n and not lines[k].strip():
                k += 1
            if k < n and _is_list_item(lines[k].strip()) and not _ARCHIVE.match(last):
                j = k
                continue
            if k < n and last.endswith(",") and not SIGNER_PREFIX.match(lines[k].strip()) \
                    and not is_caps(lines[k].strip()):
                j = k  # an entry wrapped over a blank line
                continue
            if not had_item:
                j += 1
                continue
            return j
        if SIGNER_PREFIX.match(s) or (is_title_line(s) and not _is_list_item(s)):
            return j
        is_luu = bool(_ARCHIVE.match(last))
        if _is_list_item(s):
            if is_luu and last.endswith("."):
                return j
            last = s
            had_item = True
            j += 1
            continue
        if is_luu or (NAME.match(s) and len(s.split()) <= 5 and not s.endswith((";", ","))):
            return j
        last = s
        had_item = True
        j += 1
    return j


def _signature_end(lines: list[str], i: int) -> int:
    """Index after the signature block that starts at line i: through the signer's name."""
    n = len(lines)
    j = i
    seen_title = False
    while j < n and j < i + 25:
        s = lines[j].strip()
        if s:
            if seen_title and NAME.match(s) and not is_caps(s):
                return j + 1
            if SIGNER_PREFIX.match(s) or is_caps(s) or is_title_line(s):
                seen_title = True
        j += 1
    return j


def _signature_above(lines: list[str], i_nn: int, floor: int) -> int | None:
    """Start of a signature block printed just above Nơi nhận (title, then name), else None."""
    k = i_nn - 1
    seen_name = False
    start = None
    while k > floor and k >= i_nn - 12:
        s = lines[k].strip()
        if not s:
            k -= 1
            continue
        if NAME.match(s) and not seen_name and len(s.split()) <= 5:
            seen_name = True
        elif not seen_name and not any(x.strip() for x in lines[k + 1:i_nn]) and SIGNER_PREFIX.match(s) \
                and len(s) < 60:
            return k  # the prefix line alone above Nơi nhận, maybe a blank line between (PDF order)
        elif SIGNED_NOISE.match(s):
            pass
        elif seen_name and (SIGNER_PREFIX.match(s) or (is_caps(s) and len(s) < 60) or is_title_line(s)):
            start = k
        else:
            break
        k -= 1
    return start if seen_name and start is not None else None


def _signature_from_end(lines: list[str], floor: int) -> int | None:
    """With no Nơi nhận: the signature block at the end (prefix/title lines and a name)."""
    n = len(lines)
    last = n - 1
    while last > floor and not lines[last].strip():
        last -= 1
    k = last
    start = None
    seen_name = False
    while k > floor and k >= last - 14:
        s = lines[k].strip()
        if not s or SIGNED_NOISE.match(s):
            k -= 1
            continue
        if not seen_name and NAME.match(s):
            seen_name = True
        elif seen_name and (SIGNER_PREFIX.match(s) or (is_caps(s) and len(s) < 60) or is_title_line(s)):
            start = k
        else:
            break
        k -= 1
    return start


def _split_header(header: list[str]) -> tuple[list[str], list[str]]:
    """Left column (issuer, Số, V/v) and right column (motto, place and date) of the header."""
    left, right = [], []
    in_right = False
    for ln in header:
        s = ln.strip()
        if not s:
            continue
        if motto_match(s) or is_date_line(s):
            right.append(s)
            in_right = bool(motto_match(s))
            continue
        if in_right and not (so_match(s) or vv_match(s) or is_caps(s)):
            right.append(s)
            continue
        in_right = False
        left.append(s)
    return left, right
