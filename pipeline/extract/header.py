"""Header fields: type, số/ký hiệu, issuer, place, date, subject, Kính gửi, signer, Nơi nhận.

Reads the parts ``segment_document`` cut (header, title, recipients, signature, cc) with the
patterns of segment.py (built from rules/landmarks.toml) and the rules of rules/doctypes.toml,
signer*.toml, header.toml and header_issuers.toml. In a scan (``RawDocument.ocr``) a body's name
or a symbol that no rule confirms comes out null and is listed in ``review``: never a guess.
Pure and deterministic; every pattern compiled once.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate
from typing import Any, Literal

import regex

from ..landmarks import landmark
from ..models import Header, RawDocument, Received, Segments, Signer, Span
from ..repair import repair_dropped_capitals, unconfirmed_words
from ..resolve import (
    body_name,
    capitalize_units,
    expand_abbreviations,
    find_unit,
    fix_unit_spelling,
    fold,
    province_on,
)
from ..rules import first_literals, literal_alternation, load_rules, rx
from ..segment import (
    BODY_KIND_START,
    BODY_START,
    DATE_LINE,
    DIEN,
    KINH_GUI,
    KINH_MOI,
    NAME,
    NOI_NHAN,
    SIGNED_NOISE,
    SO_LINE,
    TITLE_WORDS,
    VV,
    doctypes,
    header_words,
    is_caps,
    is_date_line,
    is_title_line,
    match_doctype_title,
    motto_match,
    new_to_python,
    so_match,
    strip_rank,
    vv_match,
)
from ..segment import (
    needles as needles_of,
)
from .dates import iso_date, parse_place_date
from .scan_signer import confirm_scan_signer

_NUMBER = regex.compile(
    rf"^{landmark('so')}\s*[:.]?\s*(?P<num>\d+(?:\.\d+)?(?:-\d+(?=\s*/))?[a-zA-Z]?)?\s*"
    r"(?P<sep>/|-(?=\s*[\p{L}])|\s(?=[\p{Lu}Đ]{1,6}\s*/))?\s*"
    r"(?P<sym>[\p{L}\d&.]+(?:\s*[-/]\s*[\p{L}\d&.]+)*(?:\([\p{L}\d]{1,6}\))?)?")  # "1413/CAT-PC04(Đ1)"
_LEVEL = regex.compile(rf"^(?:{header_words('level')}) ")  # rules/header_words.toml, folded
_PARTY_LEVEL = regex.compile(rf"^(?:{header_words('level-party')}) ")


class _LevelStart:
    """A line that starts with an administrative level ("TỈNH LÂM ĐỒNG"; OCR "TÍNH LÂM ĐÒNG")."""

    @staticmethod
    def match(s: str) -> bool:
        f = fold(s) + " "
        return bool(_LEVEL.match(f)) and not _PARTY_LEVEL.match(f)


_LEVEL_START = _LevelStart()
# the words of rules/header_words.toml: a kind of body alone on its line, a second unit on a
# flattened line, where a body's name starts
_BARE_KIND = regex.compile(rf"^(?:{header_words('bare-kind')})$")
_SECOND_UNIT = regex.compile(rf"(?<=\S)\s+(?=(?:{header_words('second-unit')})(?:\s|$))")
_KIND_START = BODY_KIND_START
_COMMITTEE = regex.compile(rf"^({header_words('committee')})\s+(.+)$")  # a name in words
_OFFICE = regex.compile(rf"^(?:{header_words('office')})$", regex.IGNORECASE)
_CAPS_THEN_NAME = regex.compile(
    r"^(?P<caps>(?:(?:KT|TM|TL|TUQ|Q)\.\s*)?[\p{Lu}Đ][\p{Lu}Đ ,.]*?[\p{Lu}Đ])\s+"
    r"(?P<name>\p{Lu}\p{Ll}+(?:\s\p{Lu}\p{Ll}*){1,4})(?:\s+[\p{Lu}Đ]{2,}.*)?$")
_CITATION_PAREN = regex.compile(r"\s*\((?:[^()]*\bsố\s+\d|[Tt]heo\s)[^()]*\)?\s*$")
_LOWER = regex.compile(r"\p{Ll}")
_BARE_SYMBOL = regex.compile(r"^\d{0,6}\s*/\s*[\p{Lu}Đ][\p{L}\d&]*(?:\s*-\s*[\p{Lu}Đ][\p{L}\d&]*)*$")
# the characters a line BODY_START matches opens with (None where they cannot be read: all lines tried)
_BODY_FIRST = frozenset(lit[:1] for lit in first_literals(BODY_START)) or None
_TRICH_YEU = regex.compile(r"^(?:\d+\.\s*)?Trích\s+yếu(?:\s+nội\s+dung)?\s*:\s*(\S.*)$", regex.IGNORECASE)


@lru_cache(maxsize=1)
def _signer_rules() -> tuple[tuple[str, regex.Pattern[str], str], ...]:
    return tuple((r["id"], regex.compile(r["pattern"], regex.V1 | regex.IGNORECASE), r["prefix"])
                 for r in load_rules("signer.toml"))


@lru_cache(maxsize=1)
def _mark_rules() -> tuple[tuple[str, str, str, regex.Pattern[str]], ...]:
    return tuple((r["id"], r["field"], r["value"], regex.compile(r["pattern"], regex.V1))
                 for r in load_rules("header.toml"))


@lru_cache(maxsize=1)
def _any_mark() -> regex.Pattern[str] | None:
    """The mark rules as one alternation: it matches a line at its start exactly where one of the
    rules does, so a line no rule matches costs one call (issue 15). None where the patterns do
    not combine (a numbered back-reference would point elsewhere once they are joined)."""
    return any_of(tuple(pat for _rid, _field, _value, pat in _mark_rules()))


@lru_cache(maxsize=1)
def _mark_first() -> frozenset[str] | None:
    """The characters a line any mark rule matches opens with (None where a rule's opening
    cannot be read: every line is then tried)."""
    firsts = [first_literals(pat) for _rid, _field, _value, pat in _mark_rules()]
    if not all(firsts) or not all(lit for lits in firsts for lit in lits):
        return None
    return frozenset(lit[0] for lits in firsts for lit in lits)


# back-references, conditionals and subroutine calls: what they refer to moves once patterns are joined
_UNSAFE_TO_JOIN = regex.compile(r"\\[1-9]|\\g<|\(\?P?=|\(\?\(|\(\?(?:[&R0-9+>]|-[0-9]|P>)|\(\?[a-zA-Z-]*V0")


def any_of(patterns: tuple[regex.Pattern[str], ...]) -> regex.Pattern[str] | None:
    """One pattern that ``match``es (and ``search``es) a string wherever one of ``patterns`` does:
    each kept in its own group with its own flags, so it is a prefilter that never drops a match.
    None where that cannot be made sure: a numbered back-reference, flags other than
    V1/IGNORECASE, or a pattern that does not compile once joined.

    >>> any_of((regex.compile("^KHẨN$", regex.V1), regex.compile("^MẬT$", regex.V1))).match("MẬT") is not None
    True
    """
    if not patterns:
        return None
    parts = []
    for pat in patterns:
        flags = pat.flags & ~(regex.V1 | regex.UNICODE | regex.IGNORECASE | regex.FULLCASE)
        if flags or not pat.flags & regex.V1 or _UNSAFE_TO_JOIN.search(pat.pattern):
            return None
        # V1 scopes inline flags to their group; IGNORECASE (with V1's full case folding) likewise
        inner = f"(?:{pat.pattern})"
        parts.append(f"(?i:{inner})" if pat.flags & regex.IGNORECASE else inner)
    try:
        return regex.compile("|".join(parts), regex.V1)
    except regex.error:
        return None


def match_signer_prefix(line: str) -> tuple[str, str, str] | None:
    """(rule id, prefix, rest of the line) where a signature line starts with KT./TM./TL./TUQ./Q.

    >>> match_signer_prefix("KT. CHỦ TỊCH")
    ('kt', 'KT.', 'CHỦ TỊCH')
    """
    s = line.strip()
    first = _signer_first_ascii()
    if first is not None and s[:1].isascii() and s[:1].lower() not in first:
        # an ASCII character other than the rules' first letters (in either case) opens no rule;
        # a line opening with any other character is tried as before
        return None
    for rid, pat, prefix in _signer_rules():
        m = pat.match(s)
        if m:
            return rid, prefix, s[m.end():].strip()
    return None


@lru_cache(maxsize=1)
def _signer_first_ascii() -> str | None:
    """The lower-case ASCII letters the signer prefix rules open with ("tkq"), or None where a
    rule's opening is not such a letter (every line is then tried)."""
    lits = [lit for _rid, pat, _prefix in _signer_rules() for lit in first_literals(pat, ignorecase=True) or ("",)]
    if not all(lit[:1].isascii() and lit[:1].isalpha() for lit in lits):
        return None
    return "".join(sorted({lit[0].lower() for lit in lits}))


def find_marks(lines: list[str]) -> dict[str, tuple[str, str]]:
    """{field: (value, rule id)} for urgency, secrecy and copy marks standing on a line of their own.

    >>> find_marks(["HỎA TỐC", "UBND TỈNH A"])["urgency"]
    ('Hỏa tốc', 'hoa-toc')
    """
    out: dict[str, tuple[str, str]] = {}
    rules = _mark_rules()
    any_mark = _any_mark()
    first = _mark_first()
    for ln in lines:
        if first is not None and ln.lstrip()[:1] not in first:
            continue  # the joined line opens with the same character: no rule can match it
        s = " ".join(ln.split())
        if not s or len(s) > 25:
            continue
        if any_mark is not None and not any_mark.match(s):
            continue  # no rule matches this line: the rules are not tried one by one
        for rid, field, value, pat in rules:
            if field not in out and pat.match(s):
                out[field] = (value, rid)
    return out


def doctype_from_symbol(symbol: str | None) -> str | None:
    """The type name a symbol's type code gives ("QĐ-UBND" -> Quyết định; "UBND-NC" -> None).

    >>> doctype_from_symbol("2026/QĐ-TTg"), doctype_from_symbol("CV/TĐTN"), doctype_from_symbol("UBND-NC")
    ('Quyết định', 'Công văn', None)
    """
    if not symbol:
        return None
    s = rx.sub(r"^\d{4}/", "", symbol)
    head = rx.split(r"[-/]", s, maxsplit=1)[0]
    if head == "CV":
        return "Công văn"
    for d in doctypes():
        if d.code and d.code == head and ("-" in s or "/" in s):
            return d.name
    return None


def parse_number(line: str) -> tuple[str | None, str | None, str | None]:
    """(number, symbol, code) of a "Số" line; a blank number gives (None, symbol, None).

    >>> parse_number("Số: 583 /UBND")
    ('583', 'UBND', '583/UBND')
    >>> parse_number("Số 156-CV/TĐTN")
    ('156', 'CV/TĐTN', '156-CV/TĐTN')
    >>> parse_number("Số:            /BC-UBND")
    (None, 'BC-UBND', None)
    >>> parse_number("Số: II/TB-UBND")
    (None, 'TB-UBND', None)
    >>> parse_number("Số: 299-TTg"), parse_number("Số: 111-11/PT-NC")
    (('299', 'TTg', '299-TTg'), ('111-11', 'PT-NC', '111-11/PT-NC'))
    """
    # OCR junk before the number ("Só:¿92 /TB-UBND"): the number is unreadable, the symbol is not
    line = rx.sub(r"^((?:S[ốỐóồ]|SỐ)\s*:\s*)\S*?[^\w\s/.-]\S*?(?=\s*/)", _group1, line.strip())
    m = _NUMBER.match(line)
    if not m:
        return None, None, None
    num, sep, sym = m.group("num"), m.group("sep"), m.group("sym")
    if sym:
        sym = rx.sub(r"\s*([-/])\s*", _group1, sym).strip(".-/")
        sym = rx.sub(r"\s.*$", "", sym)
    if not sym:
        return num, None, None
    if "/" in sym and (num is None or sep != "/"):
        head, rest = sym.split("/", 1)
        if not rx.fullmatch(r"[A-ZĐ\d][A-ZĐa-z\d]*", head) or rx.fullmatch(r"[IlL|!]+", head):
            # an illegible handwritten number OCR read as letters ("II/TB-UBND", "đ/KH-BCA",
            # "9 ÉØ/GM-UBND"): the symbol stands, the number is unknown
            sym, num, sep = rest, None, "/"
    # "156-CV/TĐTN", and "174 KL/TW" where a space stands for the hyphen
    party = bool("/" in sym and (sep == "-" or (sep is None and num and not rx.match(r"\d{4}/", sym))))
    if num and sep is None and "/" not in sym:
        return num, sym, f"{num}/{sym}"
    if num and sep == "-" and "/" not in sym:
        # the older form with a hyphen ("Số: 299-TTg", "Số: 201-QĐ", before Decree 110/2004
        # set the slash): the code keeps it as written
        return num, sym, f"{num}-{sym}"
    if not num:
        return None, sym, None
    code = f"{num}-{sym}" if party else f"{num}/{sym}"
    return num, sym, code


def extract_header(seg: Segments, raw: RawDocument) -> Header:
    """The header of the document, in the ``document`` shape of contract/EXTRACT.md.

    Args:
        seg: the document's segments.
        raw: the normalised document (for stamped values and OCR flags).
    Returns:
        a Header; a field the page leaves blank is None (listed in ``review`` where a person
        should look).

    >>> from pipeline.normalize import normalize_document
    >>> from pipeline.segment import segment_document
    >>> raw = normalize_document(RawDocument("x", "txt", "", "BỘ NỘI VỤ\\nSố: 8977/BNV-TCPCP\\n"
    ...     "V/v trả lời đề nghị\\nHà Nội, ngày 06 tháng 10 năm 2025\\nKính gửi: Sở Nội vụ\\nNội dung./."))
    >>> extract_header(segment_document(raw), raw).code
    '8977/BNV-TCPCP'
    """
    header_lines = [ln.strip() for ln in seg.header.split("\n")]
    all_lines = seg.text.split("\n")
    review: list[str] = []
    received, skip = _find_received(all_lines[:30])
    header_lines = [ln for ln in header_lines if ln not in skip]

    marks = find_marks(all_lines[:30] + all_lines[-15:])
    # number
    number = symbol = code = None
    rules: dict[str, str] = {}
    spans: dict[str, Span] = {}
    index = _TextIndex(seg.text)
    number_rule = "number.so-line"
    so_line = next((ln for ln in header_lines if so_match(ln)), None)
    if so_line is None:
        so_line = next((ln.strip() for ln in all_lines[:40] if so_match(ln.strip()) and "/" in ln), None)
        number_rule = "number.so-line-below-header"
    if so_line is None:
        bare = next((ln for ln in header_lines if _BARE_SYMBOL.match(ln)), None)
        if bare:
            so_line = "Số: " + bare  # OCR lost the word "Số:"; the number slot is blank or illegible
            number_rule = "number.bare-symbol"
    number_at: str | None = so_line
    if so_line:
        number, symbol, code = parse_number(so_line)
        if number is None and symbol:
            # an e-signature stamps the number beside the blank slot: a bare number just above
            k = header_lines.index(so_line) if so_line in header_lines else -1
            if k > 0 and rx.match(r"^\d{1,6}$", header_lines[k - 1]):
                number = header_lines[k - 1]
                code = f"{number}/{symbol}"
                review.append("number")
                number_rule = "number.stamped-above-slot"
                number_at = header_lines[k - 1] + "\n" + so_line
    # place and date
    date_line = _date_line(header_lines) or _date_line(_top_lines(all_lines))
    place = date = None
    if date_line:
        pdv = parse_place_date(date_line)
        place, date = (fix_unit_spelling(pdv.place) if pdv.place else None), pdv.date
    # values an e-signature stamped over blank slots count as written
    st = raw.stamped or {}
    date_rule = "date.header-line"
    if not number and st.get("number") and symbol:
        number = st["number"].strip()
        code = f"{number}/{symbol}"
        number_rule = "number.e-signature-stamp"
    if not date and st.get("day") and date_line:
        date_rule = "date.e-signature-stamp"
        filled = rx.sub(r"ng[àa]y\s*(?=th[áa]ng)", f"ngày {st['day']} ", date_line)
        if st.get("month"):
            filled = rx.sub(r"th[áa]ng\s*(?=n[ăa]m)", f"tháng {st['month']} ", filled)
        date = parse_place_date(filled).date
    if raw.ocr:
        number, code, date = _ocr_review(number, code, date, so_line, date_line, raw, review)
        if symbol and not symbol_confirmed(symbol):
            # a type or body code OCR may have misread ("239/TTIr-UBND" for "239/TTr-UBND"):
            # the symbol and code are left for a person (issue 14)
            symbol = code = None
            review.append("code")
    # type and subject
    dtype = None
    subject = None
    type_rule = subject_rule = None
    if seg.title:
        tl = seg.title.split("\n")
        d = match_doctype_title(tl[0])
        dtype = d.name if d else None
        type_rule = f"doctype.{d.id}" if d else None
        subject = _clean_subject(tl[1:])
        subject_rule = "subject.under-title"
        body_like = [x.strip() for x in tl[1:] if x.strip()]
        if d and d.id == "giay-moi" and body_like and not VV.match(body_like[0]) and body_like[-1].endswith("."):
            # an invitation that opens with its sentence ("Ủy ban nhân dân tỉnh tổ chức …."): no trích yếu
            subject = None
    if subject is None:
        subject = _subject_from_header(header_lines)
        subject_rule = "subject.vv-in-header"
        if subject is None:
            # the V/v block below the header (layouts where it follows the date row)
            i_vv = next((i for i, ln in enumerate(all_lines[:50]) if vv_match(ln.strip())), None)
            if i_vv is not None:
                subject = _subject_from_header([ln.strip() for ln in all_lines[i_vv:i_vv + 8]])
                subject_rule = "subject.vv-below-header"
        if subject is None:
            # forms that name it ("2. Trích yếu: V/v …", a phiếu trình)
            m = next((m for m in (_TRICH_YEU.match(ln.strip()) for ln in all_lines[:60]) if m), None)
            if m:
                subject = _clean_subject([m.group(1)])
                subject_rule = "subject.trich-yeu"
    if dtype is None:
        dtype = doctype_from_symbol(symbol)
        type_rule = f"doctype.{_doctype_id(dtype)}.symbol" if dtype else None
        if dtype is None:
            dtype, type_rule = "Công văn", "doctype.cong-van.default"
    # issuer
    issuer_text, issuer, parent = _issuer(header_lines)
    by_symbol = _issuer_of_symbol(symbol)
    if issuer and by_symbol and fold(issuer) != fold(by_symbol) and fold(by_symbol).endswith(" " + fold(issuer)):
        # the header's first word lost ("TÀI CHÍNH" where a font dropped "SỞ", lamdong-cv-1925-signed-signed.pdf)
        # and the symbol's body code names the body whose name ends so ("STC": Sở Tài chính)
        issuer = by_symbol
    subject = _drop_enacting_tail(subject, issuer_text)
    subject_read = subject  # as the text has it: the subject's span is located by it
    subject, subject_review, subject_repair = _checked_subject(subject, raw.ocr)
    review += subject_review
    issuer, parent = _with_place(issuer, place), _with_place(parent, place)
    if issuer and parent is None and place and rx.match(r"^Sở\s", issuer) and find_unit(place) \
            and "province" not in (find_unit(place) or {}):
        # a department (Sở) sits under the provincial People's Committee of its place, the
        # province in force on the letter's date (rules/admin_units.toml: merged 1 July 2025)
        parent = f"Ủy ban nhân dân tỉnh {province_on(place, date)}"
    elif issuer and parent and date and rx.match(r"^(Ủy ban nhân dân|Hội đồng nhân dân) tỉnh ", parent):
        # the province a district's committee belonged to, as in force on the letter's date
        head, prov = parent.split(" tỉnh ", 1)
        if find_unit(prov) and province_on(prov, date) != prov and _parent_of(issuer):
            parent = f"{head} tỉnh {province_on(prov, date)}"
    if raw.ocr:
        # a scan: a body's name is kept only where it is a known body or of a known pattern;
        # else null, for a person (what OCR read stays in issuer_text) (issue 14)
        issuer_ok, parent_ok = confirm_issuer(issuer), confirm_issuer(parent)
        if issuer and not issuer_ok:
            review.append("issuer")
        if parent and not parent_ok:
            review.append("parent_body")
        issuer, parent = issuer_ok, parent_ok
    recipients = tuple(parse_recipients(seg.recipients))
    signer = parse_signer(seg.signature)
    if raw.ocr:
        # a scan: the name only where a second read vouched for it, the title only a known one
        signer, signer_review = confirm_scan_signer(signer, raw)
        review += signer_review
    cc = tuple(parse_cc(seg.cc))
    attachments = _attachments(all_lines, seg)
    # provenance (STYLE.md principle 2): the rule behind each field and where it stands
    head_end = seg.body_span.start if seg.body_span.start else len(seg.text)
    so_span = index.line_span(number_at)
    if so_span is not None:
        for f, v in (("number", number), ("symbol", symbol), ("code", code)):
            if v:
                rules[f] = number_rule
                spans[f] = index.locate(v, so_span.start, so_span.end) or so_span
    if date_line:
        ds = index.line_span(date_line)
        if place:
            rules["place"] = "place.date-line"
            if ds:
                spans["place"] = index.locate(place, ds.start, ds.end) or ds
        if date:
            rules["date"] = date_rule
            if ds:
                m = DATE_LINE.search(seg.text, ds.start, ds.end)
                spans["date"] = Span(m.start(), m.end()) if m else ds
    if dtype and type_rule:
        rules["type"] = type_rule
        if type_rule.endswith(".symbol") and "symbol" in spans:
            spans["type"] = spans["symbol"]
        elif seg.title and not type_rule.endswith((".symbol", ".default")):
            t0 = index.line_span(seg.title.split("\n")[0])
            if t0:
                spans["type"] = t0
    if subject_read and subject_rule:
        rules["subject"] = subject_rule if subject else "subject.ocr-unconfirmed"
        if subject_repair:
            rules["subject.repair"] = subject_repair
        sp = index.locate(subject_read, 0, None)
        if sp:
            spans["subject"] = sp
        if subject and rules["type"].endswith(".default") and sp:
            spans["type"] = sp  # a công văn is known by its V/v line
    if "type" not in spans and "type" in rules and "symbol" in spans:
        spans["type"] = spans["symbol"]
    if issuer_text:
        units = issuer_text.split(" / ")
        if issuer:
            rules["issuer"] = "issuer.header-caps"
            sp = index.locate(units[-1], 0, head_end)
            if sp:
                spans["issuer"] = sp
        if parent:
            if len(units) >= 2:
                rules["parent_body"] = "parent.header-caps"
                sp = index.locate(units[-2], 0, head_end)
                if sp:
                    spans["parent_body"] = sp
            else:
                rules["parent_body"] = "parent.admin-units"
                if "issuer" in spans:
                    spans["parent_body"] = spans["issuer"]
    if recipients:
        first_line = seg.recipients.split("\n")[0].strip()
        rules["recipients"] = ("recipients.kinh-gui" if KINH_GUI.match(first_line) else
                               "recipients.dien" if DIEN.match(first_line) else "recipients.kinh-moi")
        sp = index.block_span(seg.recipients)
        if sp:
            spans["recipients"] = sp
    if cc:
        rules["cc"] = "cc.noi-nhan"
        sp = index.block_span(seg.cc)
        if sp:
            spans["cc"] = sp
    sig_at = seg.body_span.end
    if seg.signature:
        first = index.line_span(seg.signature.split("\n")[0], sig_at)
        sig_at = first.start if first else sig_at
    if signer.name:
        rules["signer.name"] = "signer.name-after-title"
        sp = index.locate(signer.name, sig_at, None) or index.locate(signer.name, seg.body_span.end, None)
        if sp:
            spans["signer.name"] = sp
    if signer.title:
        rules["signer.title"] = "signer.title-caps"
        sp = index.locate(signer.title, sig_at, None)
        if sp:
            spans["signer.title"] = sp
    if signer.authority:
        rid = next((r for r, _p, pre in _signer_rules() if pre == signer.authority), None)
        rules["signer.authority"] = f"signer.{rid}" if rid else "signer.prefix"
        sp = index.locate(signer.authority.rstrip("."), sig_at, None)
        if sp:
            spans["signer.authority"] = sp
    for f in ("urgency", "secrecy"):
        if f in marks:
            rules[f] = f"header.{marks[f][1]}"
            sp = index.line_span(next((x.strip() for x in all_lines[:30] + all_lines[-15:]
                                       if find_marks([x]).get(f)), None))
            if sp:
                spans[f] = sp
    if received:
        rules["received"] = "header.received-stamp"
    copy = _copy_info(all_lines, marks)
    if copy:
        rules["copy"] = f"header.{marks['copy'][1]}"
    if attachments:
        rules["attachments"] = f"attachment.{attachments[0][1]}"
        spans["attachments"] = attachments[0][2]
    return Header(
        type=dtype, number=number, symbol=symbol, code=code, issuer=issuer, issuer_text=issuer_text,
        parent_body=parent, place=place, date=date, subject=subject,
        recipients=recipients, signer=signer, cc=cc,
        urgency=marks["urgency"][0] if "urgency" in marks else None,
        secrecy=marks["secrecy"][0] if "secrecy" in marks else None,
        received=received, copy=copy, attachments=tuple(a[0] for a in attachments),
        review=tuple(review), rule_ids=rules, spans=spans)


def _doctype_id(name: str) -> str:
    return next((d.id for d in doctypes() if d.name == name), "cong-van")


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    return unicodedata.normalize("NFD", c)[0].lower()


class _FoldTable(dict):  # type: ignore[type-arg]
    """str.translate table: each character to _fold_char(c), computed once per character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()
# Runs of letters and digits: the stdlib re's [^\W_] is exactly str.isalnum() (its \w is
# isalnum() or "_"), so a run-wise scan keeps the same characters as a per-character test.
_ALNUM_RUN = re.compile(r"[^\W_]+")


def _fold_key(value: str) -> str:
    """The letters and digits of value, each folded (_fold_char)."""
    return "".join(_ALNUM_RUN.findall(value)).translate(_FOLD_TABLE)


class _KeyWindow:
    """Letters and digits of text[lo:hi], folded (_fold_char), grown on demand (``extend``).

    Kept per run of letters and digits: run r starts at text offset starts[r] and at key offset
    cum[r] (cum has one more entry: the key's length)."""

    def __init__(self, text: str, lo: int) -> None:
        self.text, self.lo, self.hi = text, lo, lo
        self.starts: list[int] = []
        self.cum: list[int] = [0]
        self.key = ""

    def extend(self, hi: int) -> None:
        """Grow the window to text[lo:hi]."""
        ms = list(_ALNUM_RUN.finditer(self.text, self.hi, hi))
        runs = [m.group() for m in ms]
        self.starts += [m.start() for m in ms]
        self.cum += accumulate(map(len, runs), initial=self.cum[-1])
        self.cum.pop(-len(runs) - 1)  # accumulate repeats the old total first
        self.key += "".join(runs).translate(_FOLD_TABLE)
        self.hi = hi

    def k(self, offset: int) -> int:
        """Key offset of the first letter or digit at or after text offset ``offset``."""
        r = bisect_right(self.starts, offset) - 1
        if r < 0:
            return 0
        run_len = self.cum[r + 1] - self.cum[r]
        return self.cum[r] + min(run_len, offset - self.starts[r])

    def pos(self, k: int) -> int:
        """Text offset of key offset ``k``."""
        r = bisect_right(self.cum, k) - 1
        return self.starts[r] + k - self.cum[r]


# The same key at C speed, for text whose every character is one of ``_ascii_fold_chars``: the
# marks taken off by NFD and dropped with everything else outside ASCII, then the ASCII letters
# and digits kept in lower case. Each of those characters gives alone what _fold_key gives it
# (none for one that is not a letter or digit, else one), and NFD moves no ASCII character, so
# a text of them gives, character by character, what _fold_key gives: the same key, and the
# same count of letters and digits for each stretch of it.
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


def _ascii_key(value: str) -> str:
    """_fold_key(value) for a value of ``_ascii_fold_chars`` only."""
    return (unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
            .encode("ascii", "ignore").translate(_ASCII_LOWER, _ASCII_NOT_ALNUM).decode("ascii"))


# where Vietnamese text draws its characters from: Latin, the combining marks, Latin Extended
# Additional (the letters with two marks) and the general punctuation
_ASCII_FOLD_RANGES = ((0x0000, 0x0250), (0x0300, 0x0370), (0x1E00, 0x1F00), (0x2000, 0x2070))


@lru_cache(maxsize=1)
def _not_ascii_foldable() -> re.Pattern[str]:
    """A character outside ``_ascii_fold_chars``: those of _ASCII_FOLD_RANGES that _ascii_key
    gives what _fold_key gives, and whose being kept (a letter or digit) is str.isalnum()."""
    ok = [chr(c) for lo, hi in _ASCII_FOLD_RANGES for c in range(lo, hi)
          if _ascii_key(chr(c)) == _fold_key(chr(c)) and bool(_fold_key(chr(c))) == chr(c).isalnum()]
    return re.compile("[^" + "".join(re.escape(c) for c in ok) + "]")


class _TextIndex:
    """Letters and digits of a text, folded (no tone marks, lower case), each mapped back to its
    offset: a value is found whatever its case, tone-mark style or spacing ("583 /UBND").

    Folded on demand, from each start asked for, a growing window at a time: the values looked
    for stand in the header and the signature, and folding the whole text of every document cost
    more than the rest of extract_header."""

    # A value stands a few hundred characters from where it is looked for (the subject under the
    # number, the name under the title): a small first window and steps of half a window (at
    # least _STEP) fold little past it, and a value far away or absent still costs folding the
    # text about once (speed, issue 15: doubling from 1024 folded a whole kilobyte per subject).
    _FIRST_WINDOW = 256
    _STEP = 512

    def __init__(self, text: str) -> None:
        self.text = text
        self._windows: dict[int, _KeyWindow] = {}
        # from each start asked for: the text offsets folded to (the first is the start) and the
        # key's length at each, and the key (_ascii_key; None once a character outside
        # _ascii_fold_chars is met: that start is then read the long way)
        self._ascii: dict[int, tuple[list[int], list[int], list[str | None]]] = {}

    def locate(self, value: str | None, lo: int = 0, hi: int | None = None) -> Span | None:
        """Span of the first occurrence of value in text[lo:hi], else None."""
        if not value:
            return None
        needle = _fold_key(value) if _not_ascii_foldable().search(value) else _ascii_key(value)
        if not needle:
            return None
        n = len(self.text)
        lo = max(0, min(lo, n))
        hi = n if hi is None else max(lo, min(hi, n))
        got = self._ascii_locate(needle, lo, hi)
        if got is not False:
            return got
        w, base = self._window(lo)
        searched = base  # key offsets before this hold no occurrence's start
        while True:
            if w.hi >= hi:
                at = w.key.find(needle, searched, w.k(hi))
            else:
                # the key of text[lo:w.hi] is a prefix of that of text[lo:hi]: an occurrence in it
                # is the first one in the whole range too
                at = w.key.find(needle, searched)
            if at >= 0:
                return Span(w.pos(at), w.pos(at + len(needle) - 1) + 1)
            if w.hi >= hi:
                return None
            searched = max(base, len(w.key) - len(needle) + 1)
            w.extend(min(hi, w.hi + max(self._STEP, (w.hi - w.lo) // 2) if w.hi > w.lo else w.lo + self._FIRST_WINDOW))

    def _ascii_locate(self, needle: str, lo: int, hi: int) -> Span | None | Literal[False]:
        """``locate`` with the key folded by _ascii_key, grown as the windows grow; False where
        the text holds a character outside _ascii_fold_chars before the answer is known."""
        ends, lens, box = self._ascii.setdefault(lo, ([lo], [0], [""]))
        text = self.text
        searched = 0
        while True:
            key = box[0]
            if key is None:
                return False
            at = key.find(needle, searched)
            if at >= 0:
                start = self._ascii_pos(ends, lens, at)
                end = self._ascii_pos([start], [at], at + len(needle) - 1) + 1
                # the first occurrence ends past hi: every later one does too
                return Span(start, end) if end <= hi else None
            e = ends[-1]
            if e >= hi:
                return None
            searched = max(0, len(key) - len(needle) + 1)
            new = min(hi, e + max(self._STEP, (e - lo) // 2) if e > lo else lo + self._FIRST_WINDOW)
            chunk = text[e:new]
            if _not_ascii_foldable().search(chunk):
                box[0] = None
                return False
            key = box[0] = key + _ascii_key(chunk)
            ends.append(new)
            lens.append(len(key))

    def _ascii_pos(self, ends: list[int], lens: list[int], k: int) -> int:
        """Text offset of the key's k-th letter or digit (the key of _ascii_locate whose
        stretches end at ``ends`` with lengths ``lens``)."""
        r = bisect_right(lens, k) - 1  # the last stretch end with at most k letters before it
        p, c = ends[r], lens[r]
        text = self.text
        while k - c > 8:  # each character gives at most one: k - c more characters hold at most k - c
            q = p + (k - c)
            c += len(_ascii_key(text[p:q]))
            p = q
        while True:  # the last few, one character at a time
            if text[p].isalnum():
                if c == k:
                    return p
                c += 1
            p += 1

    def _window(self, lo: int) -> tuple[_KeyWindow, int]:
        """A window that holds text offset lo (one already folded, where its key maps one
        character to one: the key from lo on is then that of a window opened at lo), and the
        key offset of lo in it."""
        w = self._windows.get(lo)
        if w is not None:
            return w, 0
        for w in self._windows.values():
            if w.lo <= lo <= w.hi and len(w.key) == w.cum[-1]:
                return w, w.k(lo)
        w = self._windows[lo] = _KeyWindow(self.text, lo)
        return w, 0

    def line_span(self, line: str | None, lo: int = 0) -> Span | None:
        """Span of the first line of the text (from lo) that is this line, stripped; else None."""
        if not line:
            return None
        first = line.split("\n")[0].strip()
        last = line.split("\n")[-1].strip()
        at = lo
        while True:
            at = self.text.find(first, at)
            if at < 0:
                return None
            if at == 0 or self.text[at - 1] == "\n":
                end = self.text.find(last, at) + len(last) if last != first else at + len(first)
                return Span(at, max(end, at + len(first)))
            at += 1

    def block_span(self, block: str | None) -> Span | None:
        """Span of a block of whole lines (a segment of the text)."""
        if not block:
            return None
        at = self.text.find(block)
        if at >= 0:
            return Span(at, at + len(block))
        lines = [ln for ln in block.split("\n") if ln.strip()]
        a = self.line_span(lines[0])
        if a is None:
            return None
        b = self.line_span(lines[-1], a.start)
        return Span(a.start, b.end if b else a.end)


@lru_cache(maxsize=1)
def _attachment_rules() -> tuple[tuple[str, bool, regex.Pattern[str]], ...]:
    return tuple((r["id"], bool(r.get("line")), regex.compile(r["pattern"]))
                 for r in load_rules("header_attachments.toml"))


@lru_cache(maxsize=1)
def _attachment_needles() -> tuple[tuple[str, ...], ...]:
    """For each attachment rule, strings every match holds: the literal runs of the pattern's top
    level ("kèm", "theo", "này"), else "(" for a pattern that opens with ``\\(`` after a
    lookbehind, else none. A line that lacks one of them is not searched."""
    lead = regex.compile(r"(?:\(\?<!(?:[^()\\]|\\.)*\))?\\\(")
    return tuple(required_literals(pat) or (("(",) if lead.match(pat.pattern) and not _top_level_alternation(pat.pattern)
                                            else ())
                 for _rid, _whole, pat in _attachment_rules())


def required_literals(pat: regex.Pattern[str]) -> tuple[str, ...]:
    """Runs of plain characters at the top level of a case-sensitive pattern: each one stands, as
    written, in every match (a top-level "|" leaves none; a quantified or optional part is not
    top level). Read with the standard library's parser; a pattern it cannot read (``\\p{Lu}``,
    a repeated group name) gives none, so the caller searches every line as before.

    >>> required_literals(regex.compile("(?:gửi )?kèm theo (?:Công văn|Kế hoạch) này"))
    ('kèm theo ', ' này')
    >>> required_literals(regex.compile("Phụ lục|phụ lục|PHỤ LỤC"))
    ()
    """
    import re._constants as sre_c
    import re._parser as sre_p
    if pat.flags & (regex.IGNORECASE | regex.VERBOSE):
        return ()
    try:
        parsed = sre_p.parse(pat.pattern)
    except Exception:  # noqa: BLE001 - any syntax the stdlib does not read: no prefilter
        return ()
    if parsed.state.flags & (sre_c.SRE_FLAG_IGNORECASE | sre_c.SRE_FLAG_VERBOSE):
        return ()
    out: list[str] = []
    run: list[str] = []
    for op, av in parsed.data:
        if op is sre_c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return tuple(out)


def _top_level_alternation(pattern: str) -> bool:
    """``pattern`` has a "|" outside every group (so its opening is not in every match)."""
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a set, to its closing "]" ("[]…]" and "[^]…]" hold a "]")
            i += 1
            if pattern[i:i + 1] == "^":
                i += 1
            if pattern[i:i + 1] == "]":
                i += 1
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


@lru_cache(maxsize=1)
def _attachment_trigger_literals() -> tuple[str, ...] | None:
    """Literals one of which stands in every line an attachment rule can match: the literals
    that open each rule's matches (rules.first_literals), else one of the rule's needles. None
    where a rule has neither: every line is then read."""
    out: list[str] = []
    for (_rid, _whole, pat), needles in zip(_attachment_rules(), _attachment_needles(), strict=True):
        # the more telling of the two: the one whose shortest literal is longest
        got = max((first_literals(pat.pattern), needles[:1]), key=lambda c: min(map(len, c), default=0))
        if not got:
            return None
        out += got
    return tuple(sorted(set(out)))


@lru_cache(maxsize=1)
def _attachment_triggers() -> regex.Pattern[str] | None:
    """``_attachment_trigger_literals`` as one alternation (None where there are none)."""
    lits = _attachment_trigger_literals()
    return literal_alternation(lits) if lits is not None else None


def _attachment_lines(lines: list[str], text: str | None = None) -> Iterable[int]:
    """Indices of the lines that hold a trigger of ``_attachment_triggers`` (all lines where
    there is none), in order: each literal found in the joined lines with str.find (a pass of
    the alternation over the whole text cost more), not one test per line per rule."""
    lits = _attachment_trigger_literals()
    if lits is None:
        return range(len(lines))
    if text is None:
        text = "\n".join(lines)
        if text.count("\n") != len(lines) - 1:
            return range(len(lines))   # a line with a line break of its own: read them all
    # (a text given is the lines joined by "\n", as find_attachments documents: not checked again)
    found: set[int] = set()
    for lit in lits:
        # one find per line that holds the literal: after a find, the search goes on from the
        # line's end (the "\n" counted between two finds gives the line's index)
        at = text.find(lit)
        line, prev = 0, 0
        while at >= 0:
            line += text.count("\n", prev, at)
            found.add(line)
            prev = text.find("\n", at)
            if prev < 0:
                break
            at = text.find(lit, prev)
    return sorted(found)


@lru_cache(maxsize=1)
def _attachment_lower_needles() -> tuple[tuple[str, ...], ...]:
    """For each attachment rule, segment.needles of its pattern (one of them stands in every
    match, lower-cased), else none."""
    return tuple(needles_of(pat) or () for _rid, _whole, pat in _attachment_rules())


def find_attachments(lines: list[str], text: str | None = None) -> list[tuple[str, str, int, int, int]]:
    """(attachment as written, rule id, line index, start, end in the line) for each attachment
    the lines name (rules/header_attachments.toml), once each; a bare "Phụ lục" gives way to a
    numbered one.

    >>> [a[0] for a in find_attachments(["Báo cáo (có Phụ lục kèm theo).", "PHỤ LỤC I", "PHỤ LỤC II"])]
    ['PHỤ LỤC I', 'PHỤ LỤC II']

    ``text``, where given, is the lines joined by "\\n" (so they are not joined again).
    """
    rules = _attachment_rules()
    # (the lines alone where no text is given: the one-argument call stays as it was)
    picked = _attachment_lines(lines) if text is None else _attachment_lines(lines, text)
    stripped = [(i, s) for i in picked if (s := lines[i].strip())]
    lows: dict[int, str] = {}
    hits: list[tuple[int, int, regex.Match[str]]] = []
    # rule by rule, each over the lines that hold its needles (a list kept per needle), then the
    # hits put back in the order of a pass line by line, rule by rule
    for k, ((_rid, whole, pat), needles, lower_needles) in enumerate(
            zip(rules, _attachment_needles(), _attachment_lower_needles(), strict=True)):
        cands = stripped
        for n in needles:
            cands = [c for c in cands if n in c[1]]
        if lower_needles:
            # (one of the needles segment.needles reads off the pattern, in the lower-cased line)
            kept = []
            for i, s in cands:
                low = lows.get(i)
                if low is None:
                    low = lows[i] = s.lower()
                for n in lower_needles:
                    if n in low:
                        kept.append((i, s))
                        break
            cands = kept
        for i, s in cands:
            for m in [pat.fullmatch(s)] if whole else pat.finditer(s):
                if m and m.group("what"):
                    hits.append((i, k, m))
    hits.sort(key=lambda h: (h[0], h[1]))  # stable: the matches of one rule on one line keep their order
    found: list[tuple[str, str, int, int, int]] = []
    for i, k, m in hits:
        ln = lines[i]
        what = " ".join(m.group("what").split()).rstrip(" .,;:")
        off = len(ln) - len(ln.lstrip())
        found.append((what, rules[k][0], i, off + m.start("what"), off + m.end("what")))
    out: list[tuple[str, str, int, int, int]] = []
    for a in found:
        key = fold(a[0])
        if key in {fold(x[0]) for x in out}:
            continue
        out.append(a)
    numbered = [x for x in out if rx.match(r"^phu luc \S", fold(x[0]))]
    if numbered:
        out = [x for x in out if fold(x[0]) != "phu luc"]
    return out


def _attachments(lines: list[str], seg: Segments) -> list[tuple[str, str, Span]]:
    """Attachments with rule id and span in ``seg.text`` (the lines are those of seg.text)."""
    found = find_attachments(lines, seg.text)  # (the lines are seg.text's: it is not joined again)
    if not found:
        return []
    offs = list(accumulate((len(ln) + 1 for ln in lines), initial=0))
    return [(what, rid, Span(offs[i] + a, offs[i] + b)) for what, rid, i, a, b in found]


def _with_place(body: str | None, place: str | None) -> str | None:
    """A body printed without its province ("VĂN PHÒNG UBND TỈNH") named with the place of the
    date line where that place is a province."""
    if not body or not place or not rx.search(r"\b(?:tỉnh|thành phố)$", body):
        return body
    u = find_unit(place)
    return f"{body} {place}" if u and "province" not in u else body


def _top_lines(all_lines: list[str]) -> list[str]:
    """The first 45 lines, stripped, up to the body: "UBND, ngày 11/8/2025 của …" below it is a
    citation (read only where the header holds no date line)."""
    top = []
    for ln in all_lines[:45]:
        t = ln.strip()
        # (a line that opens with none of BODY_START's first characters cannot match it)
        if (_BODY_FIRST is None or t[:1] in _BODY_FIRST) and BODY_START.match(t):
            break
        top.append(t)
    return top


def _date_line(lines: list[str]) -> str | None:
    """The "Place, ngày … tháng … năm …" line; one with a place first, never a "Căn cứ" line."""
    first = None
    for ln in lines:  # the first candidate with a place: the lines after it are not searched
        if is_date_line(ln) and not rx.match(r"^(?:Căn\s+cứ|Theo|Thực\s+hiện)", ln):
            if parse_place_date(ln).place:
                return ln
            if first is None:
                first = ln
    return first


_RECEIVED = r"^(?:CÔNG\s+VĂN\s+)?ĐẾN\b"
_RECEIVED_FIRST = first_literals(_RECEIVED) or ("",)   # ("",): every line is tried


def _find_received(lines: list[str]) -> tuple[Received | None, set[str]]:
    """The incoming stamp of the receiving office ("ĐẾN / Số: 4521 / Ngày: 05/3/2024 / Chuyển: …",
    on one line or several) and the lines it used, so they are not read as the document's own."""
    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s.startswith(_RECEIVED_FIRST) or not rx.match(_RECEIVED, s):
            continue   # (the literals the stamp opens with first: a string test, issue 15)
        used = {s}
        blob = s
        for nxt in lines[i + 1:i + 5]:
            t = nxt.strip()
            if rx.match(r"^(?:S[ốo]|Ng[àa]y|Chuyển|Giờ|Lưu\s+hồ\s+sơ)\b", t):
                used.add(t)
                blob += " " + t
            elif t:
                break
        num = rx.search(r"S[ốo]\s*:?\s*(\d+)", blob)
        day = rx.search(r"Ng[àa]y\s*:?\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})", blob)
        date = None
        if day:
            y = int(day.group(3))
            date = iso_date(y + 2000 if y < 100 else y, int(day.group(2)), int(day.group(1)))
        if num or date:
            return Received(number=num.group(1) if num else None, date=date), used
    return None, set()


def _ocr_review(number: str | None, code: str | None, date: str | None, so_line: str | None,
                date_line: str | None, raw: RawDocument, review: list[str]) -> tuple[Any, Any, Any]:
    """In a scan the number and day are often handwritten: keep them only when read cleanly.

    A value is dropped (and listed in ``review``) when OCR read its word with low confidence
    (``RawDocument.low_confidence_words``, see readers/ocr.py), when it holds characters a
    number cannot, or when the page's mean confidence is low."""
    low_words = tuple(getattr(raw, "low_confidence_words", ()) or ())
    mean_low = raw.ocr_confidence is not None and raw.ocr_confidence < 60

    def shaky(line: str | None, value: str | None) -> bool:
        if not line:
            return False
        if mean_low or rx.search(r"[?�\[\]@†$§¿#Ÿ]", line):
            return True
        toks = line.split()
        return any(w in low_words or (value and value in w and any(value in lw for lw in low_words))
                   for w in toks if any(ch.isdigit() for ch in w))

    if so_line and (shaky(so_line, number) or (number and not number.replace(".", "").isdigit())):
        number, code = None, None
        review.append("number")

    elif not number:
        review.append("number")
    if date_line and shaky(date_line, None):
        date = None
        review.append("date")
    elif not date:
        review.append("date")
    return number, code, date


def _copy_info(lines: list[str], marks: dict[str, tuple[str, str]]) -> dict[str, Any] | None:
    """A certified copy (SAO Y, TRÍCH SAO): the copy's own number is kept apart."""
    if "copy" not in marks:
        return None
    kind = marks["copy"][0]
    out: dict[str, Any] = {"kind": kind, "number": None, "symbol": None, "code": None}
    at = None
    for i in range(len(lines) - 1, -1, -1):
        if rx.match(r"^(?:SAO\s+Y|TRÍCH\s+SAO|SAO\s+LỤC)", lines[i].strip()):
            at = i
            break
    if at is not None:
        for ln in lines[at:at + 12]:
            if SO_LINE.match(ln.strip()):
                n, s, c = parse_number(ln.strip())
                out.update(number=n, symbol=s, code=c)
                break
    return out


def _clean_subject(lines: list[str]) -> str | None:
    parts = [ln.strip() for ln in lines if ln.strip()]
    if not parts:
        return None
    text = ""
    for p in parts:
        if text.endswith(("-", "/")) and rx.match(r"^[\p{Lu}\d]", p):
            text += p
        else:
            text = f"{text} {p}" if text else p
    text = rx.sub(r"^[^\p{L}\d(]+", "", text)  # OCR specks before "Về việc"
    text = VV.sub("", text, count=1).strip()
    text = rx.sub(r"^(?:về\s+việc|v/v)\s*:?\s*", "", text, flags=regex.IGNORECASE)
    if is_caps(text):
        text = capitalize_units(text.lower())
    text = " ".join(text.split()).rstrip(" .;:")
    # an OCR-garbled "Kính gửi" run onto the subject ("… năm 2030 Kính 8ửi")
    text = rx.sub(r"\s+K[íi]nh\s+\S{2,4}i\s*:?.*$", "", text).rstrip(" .;:-_")
    return text[:1].upper() + text[1:] if text else None


_LINKING_WORDS = frozenset({"cua", "thuoc", "tai", "voi", "cho", "va", "den", "tu", "giua", "ve", "doi", "trong",
                            "theo", "giao", "gui", "tren", "hoac", "la", "nhu"})


def _drop_enacting_tail(subject: str | None, issuer_text: str | None) -> str | None:
    """A subject run on into the enacting authority ("… HUYỆN CHÂU THÀNH ỦY BAN NHÂN DÂN TỈNH TÂY
    NINH" where a web copy joined the lines): the issuer's own name at its end is cut off.

    >>> _drop_enacting_tail("Phê duyệt kế hoạch ủy ban nhân dân tỉnh tây ninh", "ỦY BAN NHÂN DÂN TỈNH TÂY NINH")
    'Phê duyệt kế hoạch'
    """
    if not subject or not issuer_text:
        return subject
    unit = fold(issuer_text.split(" / ")[-1])
    words = subject.split()
    n = len(unit.split())
    if len(unit) < 6 or len(words) <= n or fold(" ".join(words[-n:])) != unit:
        return subject
    if fold(words[-n - 1]) in _LINKING_WORDS:
        return subject  # "… thuộc thẩm quyền của Bộ Tư pháp" names the issuer inside the subject
    head = " ".join(words[:-n])
    head = rx.sub(r"\s+(?i:chủ\s+tịch|bộ\s+trưởng|giám\s+đốc|cục\s+trưởng|tổng\s+cục\s+trưởng|trưởng\s+ban)$", "", head)
    return head if len(head) >= 10 else subject


def _checked_subject(subject: str | None, ocr: bool) -> tuple[str | None, list[str], str | None]:
    """The subject after the checks of pipeline/repair.py: (subject, fields for review, repair rule ids).

    Words that lost their first capital to a font without a glyph map are restored where the
    stretch is a known name ("iệp hội oanh nghiệp": Hiệp hội Doanh nghiệp), and the subject is
    listed in review. From a scan, a subject with a word that reads as no Vietnamese, marks aside
    ("Ngãj"), is null and listed in review (what OCR read keeps its span); one with a word right
    but for its marks ("quôc gia") or an unknown code ("thuê ITNIN" for "thuế TNDN") is kept and
    listed in review (issue 14).

    >>> _checked_subject("Tổ chức Đại hội của iệp hội oanh nghiệp tỉnh", False)
    ('Tổ chức Đại hội của Hiệp hội Doanh nghiệp tỉnh', ['subject'], 'glyph.associations')
    >>> _checked_subject("Thi hành án trên địa bàn tỉnh Quảng Ngãj", True)
    (None, ['subject'], None)
    >>> _checked_subject("Triển khai chương trình quôc gia", True)
    ('Triển khai chương trình quôc gia', ['subject'], None)
    """
    if not subject:
        return subject, [], None
    if ocr:
        types, bodies = _symbol_vocabulary()
        garbled, doubtful = unconfirmed_words(subject, lambda w: w in types or bool(bodies.fullmatch(w)))
        if garbled:
            return None, ["subject"], None
        return subject, ["subject"] if doubtful else [], None
    fixed = repair_dropped_capitals(subject)
    if not fixed.repairs:
        return subject, [], None
    return fixed.text, ["subject"], ",".join(sorted({r.rule_id for r in fixed.repairs}))


def _subject_from_header(lines: list[str]) -> str | None:
    i = next((k for k, ln in enumerate(lines) if vv_match(ln)), None)
    if i is None:
        return None
    got = [lines[i]]
    for ln in lines[i + 1:]:
        if not ln or motto_match(ln) or is_date_line(ln) or so_match(ln) or KINH_GUI.match(ln) \
                or (is_caps(ln) and len(ln) > 3 and not is_caps(got[-1])):
            break
        got.append(ln)
    return _clean_subject(got)


def _issuer(header: list[str]) -> tuple[str | None, str | None, str | None]:
    """(issuer as written, issuer in full words, parent body) from the header's caps lines."""
    org: list[str] = []
    started = False
    for ln in header:
        s = " ".join(ln.split()).strip(" *")
        if not s:
            if started:
                continue
            continue
        if motto_match(s) or so_match(s) or is_date_line(s) or vv_match(s) or KINH_GUI.match(s) \
                or _BARE_SYMBOL.match(s):
            if started:
                late = [" ".join(x.split()) for x in header[header.index(ln) + 1:]]
                org += [x for x in late if is_caps(x) and _KIND_START.match(x) and len(x) < 90
                        and not motto_match(x) and not find_marks([x])]
                break
            continue
        if find_marks([s]):
            continue
        if not is_caps(s) or len(s) > 90:
            if started:
                break
            continue
        started = True
        org.append(s)
    if not org:
        return None, None, None
    units: list[str] = []
    for s in org:
        for piece in _SECOND_UNIT.split(s) if len(s.split()) >= 5 else [s]:
            if units and _BARE_KIND.match(units[-1]) and not _KIND_START.match(piece) \
                    and not _LEVEL_START.match(piece) and find_unit(piece):
                units[-1] = f"{units[-1]} TỈNH {piece}"  # OCR lost the level word: "ỦY BAN NHÂN DÂN / QUẢNG NGÃI"
                continue
            if units and not _KIND_START.match(piece) and not _BARE_KIND.match(units[-1]) \
                    and _KIND_START.match(units[-1]) and not _LEVEL_START.match(piece) or units and (
                    _LEVEL_START.match(piece) and (_BARE_KIND.match(units[-1]) or len(units[-1].split()) <= 3
                                                   and not units[-1].startswith(("UBND", "SỞ"))
                                                   or _names_no_place(units[-1]))
                    or units[-1].endswith(",") or piece.startswith("VÀ ")):
                units[-1] = f"{units[-1]} {piece}"
            else:
                units.append(piece)
    text = " / ".join(units)
    known = _known_bodies()
    issuer = body_name(units[-1])
    issuer = known.get(fold(issuer), issuer)  # a known body in its own spelling ("Phủ Thủ tướng")
    parent = body_name(units[-2]) if len(units) >= 2 else None
    if parent:
        parent = known.get(fold(parent), parent)
    organ = _standing_organ(units[-1])
    if organ:
        # "BAN THƯỜNG TRỰC" under "ỦY BAN MTTQ VIỆT NAM XÃ X", or both on one line: the issuer is
        # the organ of the whole body, not "Ban Thường trực" alone (issue 14; lamdong-477.pdf)
        name, rest = organ
        if rest and parent and fold(parent).startswith(fold(body_name(rest)) + " "):
            rest = ""  # "THƯỜNG TRỰC HĐND" under "HĐND TỈNH LÂM ĐỒNG": the organ of the body above
        body = body_name(rest) if rest else (body_name(units[-2]) if len(units) >= 2 else None)
        if body:
            above = (units[-2] if len(units) >= 2 else None) if rest else (units[-3] if len(units) >= 3 else None)
            return text, f"{name} {body}", body_name(above) if above else None
    committee = _COMMITTEE.match(issuer)
    if committee and not _LEVEL.match(fold(committee.group(2))):
        committee = None
    if committee and parent:
        # "MẶT TRẬN TỔ QUỐC VIỆT NAM" over "ỦY BAN XÃ TÂN HÀ": the committee of the body above
        pw = parent.split()
        # "MTTQ VIỆT NAM TỈNH LÂM ĐỒNG" over "ỦY BAN XÃ TÂN HÀ": the body's name without its own level
        at = next((i for i in range(1, len(pw)) if _LEVEL.match(fold(" ".join(pw[i:])) + " ")), len(pw))
        issuer = f"{committee.group(1)} {' '.join(pw[:at])} {committee.group(2)}"
        parent = (f"{committee.group(1)} {parent}" if at < len(pw)
                  else body_name(units[-3]) if len(units) >= 3 else None)
    if parent and _OFFICE.match(issuer):
        issuer = f"{issuer} {parent}"
    if parent is None:
        parent = _parent_of(issuer)
    return text, issuer, parent


@lru_cache(maxsize=1)
def _issuer_rules() -> tuple[dict[str, Any], ...]:
    return load_rules("header_issuers.toml")


@lru_cache(maxsize=1)
def _organ_patterns() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple((r["name"], regex.compile(rf"^(?:{r['pattern']})(?:\s+|$)", regex.IGNORECASE))
                 for r in _issuer_rules() if r["kind"] == "standing-organ")


def _standing_organ(unit: str) -> tuple[str, str] | None:
    """(organ name, the body's own name after it) where a header unit opens with a standing organ
    of rules/header_issuers.toml ("BAN THƯỜNG TRỰC ỦY BAN MTTQ …"); the rest may be empty."""
    s = expand_abbreviations(" ".join(unit.split())) if unit.startswith("BCH") else " ".join(unit.split())
    s = rx.sub(r"^Ban Chấp hành", "BAN CHẤP HÀNH", s)
    for name, pat in _organ_patterns():
        m = pat.match(s)
        if m:
            return name, s[m.end():].strip()
    return None


def _names_no_place(unit: str) -> bool:
    """A unit that names a kind of body with no level of its own ("ỦY BAN MTTQ VIỆT NAM"): the
    level line under it ("TỈNH LÂM ĐỒNG") completes it."""
    name = fold(body_name(unit))
    return any(name == fold(r["name"]) for r in _issuer_rules() if r["kind"] == "local")


@lru_cache(maxsize=1)
def _known_bodies() -> dict[str, str]:
    """{folded name: name} of bodies named alone: rules/header_issuers.toml and the national
    issuers of rules/citation_issuers.toml."""
    out = {fold(r["issuer"]): r["issuer"] for r in load_rules("citation_issuers.toml")
           if r.get("issuer") and r.get("scope") in ("national", "province")}
    out.update({fold(r["name"]): r["name"] for r in _issuer_rules() if r["kind"] == "body"})
    return out




def confirm_issuer(name: str | None) -> str | None:
    """The name of a body read by OCR where it is a known body or of a known pattern (a local
    body's kind before a unit rules/admin_units.toml knows), in its right spelling; else None.

    >>> confirm_issuer("Cục Cảnh sát điêu tra tội phạm vẻ ma túy")
    'Cục Cảnh sát điều tra tội phạm về ma túy'
    >>> confirm_issuer("Ủy ban nhân dân tỉnh Quảng Ngãi"), confirm_issuer("Ủy tỉnh Lâm"), confirm_issuer("Tỉnh Phú Thọ")
    ('Ủy ban nhân dân tỉnh Quảng Ngãi', None, None)
    """
    if not name:
        return None
    name = " ".join(expand_abbreviations(name).split())
    f = fold(name)
    known = _known_bodies()
    if f in known:
        return known[f]
    words = name.split()
    for organ, _pat in _organ_patterns():
        k = len(organ.split())
        if fold(" ".join(words[:k])) == fold(organ) and len(words) > k:
            rest = confirm_issuer(" ".join(words[k:]))
            return f"{organ} {rest}" if rest else None
    pm = rx.match(r"^(tinh|thanh|huyen|quan|thi) uy ", f)
    if pm and len(words) > 2:
        # a Party committee named by its place ("Tỉnh ủy Lâm Đồng")
        level = {"tinh": "tỉnh", "thanh": "thành phố", "huyen": "huyện", "quan": "quận", "thi": "thị xã"}[pm.group(1)]
        unit = find_unit(f"{level} {' '.join(words[2:])}")
        return f"{words[0].capitalize()} ủy {unit['name']}" if unit else None
    if f.startswith("van phong ") and len(words) > 2:
        rest = confirm_issuer(" ".join(words[2:]))
        return f"Văn phòng {rest}" if rest else None
    for kind in _local_kinds():
        k = len(kind.split())
        if len(words) <= k + 1 or fold(" ".join(words[:k])) != fold(kind):
            continue
        tail = " ".join(words[k:])
        lv_m = _LEVEL.match(fold(tail))
        lv = lv_m.group(0).strip() if lv_m else None
        unit = find_unit(tail) if lv else None
        if unit and lv:
            written = " ".join(tail.split()[:len(lv.split())]).lower()
            return f"{kind} {written} {unit['name']}"
    return None


@lru_cache(maxsize=1)
def _local_kinds() -> tuple[str, ...]:
    """Kinds of local bodies named before a level and unit, longest first: those of
    rules/header_issuers.toml and the known bodies without their level word ("Công an tỉnh")."""
    kinds = {r["name"] for r in _issuer_rules() if r["kind"] == "local"}
    for name in _known_bodies().values():
        kinds.add(rx.sub(r"\s+(?:tỉnh|huyện|xã)$", "", name))
    return tuple(sorted(kinds, key=len, reverse=True))


@lru_cache(maxsize=1)
def _symbol_vocabulary() -> tuple[frozenset[str], regex.Pattern[str]]:
    """(type codes, pattern of body codes) a symbol's parts are checked against."""
    types = frozenset(d.code for d in doctypes() if d.code) | {"CV"}
    bodies = [r["symbol"] for r in load_rules("citation_issuers.toml")]
    bodies += [regex.escape(r["abbr"]) for r in load_rules("abbreviations.toml")]
    bodies += [regex.escape(c) for r in _issuer_rules() if r["kind"] == "body-code" for c in r["codes"]]
    return types, regex.compile("(?:" + "|".join(bodies) + ")")


def _issuer_of_symbol(symbol: str | None) -> str | None:
    """The body a symbol's body code names (rules/citation_issuers.toml), e.g. "STC-HTDN": Sở Tài chính."""
    if not symbol:
        return None
    parts = [p for p in rx.split(r"[-/]", symbol) if p and not rx.fullmatch(r"\d{4}", p)]
    types, _bodies = _symbol_vocabulary()
    if parts and parts[0] in types:
        parts = parts[1:]
    if not parts:
        return None
    joined = _symbol_issuers_joined()
    if joined is not None:
        m = joined.fullmatch(parts[0])
        return _symbol_issuers()[int(m.lastgroup[1:])][1] if m and m.lastgroup else None
    for pat, issuer in _symbol_issuers():
        if pat.fullmatch(parts[0]):
            return issuer
    return None


@lru_cache(maxsize=1)
def _symbol_issuers_joined() -> regex.Pattern[str] | None:
    """The body-code patterns of ``_symbol_issuers`` as one alternation, rule i in group "r<i>":
    ``fullmatch`` tries the branches in order, so the group that matched is the first rule whose
    pattern matches the whole code, as the loop over the rules finds it (one call, not one per
    rule). None where a pattern has groups, flags or references of its own."""
    pats = [pat.pattern for pat, _issuer in _symbol_issuers()]
    if not pats or any("(" in p and regex.sub(r"\(\?:", "", p).count("(") for p in pats) \
            or any(pat.flags & ~(regex.UNICODE | regex.VERSION0) for pat, _i in _symbol_issuers()) \
            or any(_UNSAFE_TO_JOIN.search(p) for p in pats):
        return None
    try:
        return regex.compile("|".join(f"(?P<r{i}>{p})" for i, p in enumerate(pats)))
    except regex.error:
        return None


@lru_cache(maxsize=1)
def _symbol_issuers() -> tuple[tuple[regex.Pattern[str], str], ...]:
    """(compiled body-code pattern, issuer) of the national and province rules of
    rules/citation_issuers.toml, in file order: compiled once, not looked up in ``regex``'s
    cache per rule per document (issue 15)."""
    return tuple((regex.compile(r["symbol"]), str(r["issuer"])) for r in load_rules("citation_issuers.toml")
                 if r.get("issuer") and r.get("scope") in ("national", "province"))


def symbol_confirmed(symbol: str | None) -> bool:
    """Whether each leading part of a symbol is known: its type code (rules/doctypes.toml) and
    its body's code (rules/citation_issuers.toml, abbreviations.toml, header_issuers.toml); the
    unit codes after the body ("UBND-KTTH") are free. For a scan, where OCR may misread one.

    >>> symbol_confirmed("TTr-UBND"), symbol_confirmed("TTIr-UBND"), symbol_confirmed("UBND-KTTH")
    (True, False, True)
    >>> symbol_confirmed("2026/QĐ-TTg"), symbol_confirmed("CV/TĐTN"), symbol_confirmed("QĐĐ-UBND")
    (True, True, False)
    """
    if not symbol:
        return False
    parts = [p for p in rx.split(r"[-/]", symbol) if p and not rx.fullmatch(r"\d{4}", p)]
    if not parts:
        return False
    types, bodies = _symbol_vocabulary()
    if parts[0] in types:
        return len(parts) == 1 or bool(bodies.fullmatch(parts[1]))
    return bool(bodies.fullmatch(parts[0]))


def _parent_of(issuer: str) -> str | None:
    """The body above a one-level issuer where the units table knows it (a district's province)."""
    m = rx.match(r"^(Ủy ban nhân dân|Hội đồng nhân dân)\s+(huyện|quận|thị xã|thành phố)\s+(.+)$", issuer)
    if not m:
        return None
    u = find_unit(f"{m.group(2)} {m.group(3)}")
    if u and u.get("province"):
        return f"{m.group(1)} tỉnh {u['province']}"
    return None


def _items(lines: list[str]) -> list[str]:
    """Entries of a list written one per line ("- X;"), wrapped lines joined."""
    items: list[str] = []
    open_item = False
    # two entries on one line ("- V01, C04 - Bộ Công an; - Thường trực Tỉnh ủy;", a .doc table cell)
    # (the split needs a ";", the mark test one of its characters first: string tests, issue 15)
    # (a ";" that ends the line, spaces aside, has no mark after it: only one before the end splits)
    lines = [p for ln in lines for p in (rx.split(r"(?<=;)\s*(?=[-–+]\s+\p{Lu})", ln) if ";" in ln.rstrip()[:-1]
                                         else (ln,))]
    for ln in lines:
        s = ln.strip()
        if not s:
            continue
        if s[0] in "-–+•*":
            items.append(rx.sub(r"^[-–+•*]\s*", "", s))
            open_item = not s.endswith((";", "."))
            continue
        if items and open_item:
            items[-1] = f"{items[-1]} {s}"
        else:
            items.append(s)
        open_item = not s.endswith((";", "."))
    return [c for c in map(_clean_item, items) if c]  # each item cleaned once


def _clean_item(s: str) -> str:
    s = " ".join(s.split())
    c = s[-1:]
    if c.isdigit() or new_to_python(c):  # (\d is isdigit(): an entry that ends otherwise has no page number)
        s = rx.sub(r"(?<=[.;)])\s+\d{1,3}$", "", s)  # a page number run onto the last entry
    if not s[-1:].isalnum():  # (an entry that ends on a letter or digit has nothing to drop)
        s = rx.sub(r"[\s;,.:]+$", "", s)
    s = s.strip()
    if not _two_letters(s):
        return ""  # OCR specks ("⁄", "_")
    return s


def _two_letters(s: str) -> bool:
    """At least two letters (\\p{L}, which is str.isalpha()) in s: read until the second."""
    seen = False
    for c in s:
        if c.isalpha():
            if seen:
                return True
            seen = True
        elif new_to_python(c):
            return len(rx.findall(r"\p{L}", s)) >= 2  # a character only the regex module knows
    return False


def parse_recipients(block: str) -> list[str]:
    """Addressees of the Kính gửi block (also "X điện:" of a công điện, "Thành phần mời").

    >>> parse_recipients("Kính gửi:\\n- Công an huyện;\\n- Ủy ban nhân dân các xã.")
    ['Công an huyện', 'Ủy ban nhân dân các xã']
    """
    if not block.strip():
        return []
    lines = block.split("\n")
    first = lines[0].strip()
    m = KINH_GUI.match(first) or DIEN.match(first) or KINH_MOI.match(first)
    rest = m.group(1).strip() if m else first
    body = ([rest] if rest else []) + lines[1:]
    if len(body) == 1 and ";" in body[0] and rx.search(r";\s*[-–]\s", body[0]):
        body = [p for p in rx.split(r"\s*;\s*(?=[-–]\s)", body[0])]
    # OCR noise between two listed addressees (segment.py skipped over it the same way)
    kept: list[str] = []
    for i, ln in enumerate(body):
        t = ln.strip()
        # (the entry before and the lines ahead are read only for a short line that could be noise)
        if t and len(t) <= 12 and not rx.match(r"^[-–+•*]", t):
            prev = next((x.strip() for x in reversed(kept) if x.strip()), "")
            if prev.endswith(";"):
                ahead = [x for x in body[i + 1:i + 6] if x.strip()][:2]
                if any(rx.match(r"^\s*[-–+•*]", x) for x in ahead):
                    continue
        kept.append(ln)
    body = kept
    out = []
    for it in _items(body):
        it = _CITATION_PAREN.sub("", it).strip()
        if it:
            out.append(it)
    return out


def parse_cc(block: str) -> list[str]:
    """Entries of Nơi nhận, "-" and the trailing ";" or "." removed.

    >>> parse_cc("Nơi nhận:\\n- Như trên;\\n- Lưu: VT, NC.")
    ['Như trên', 'Lưu: VT, NC']
    """
    if not block.strip():
        return []
    lines = block.split("\n")
    m = NOI_NHAN.match(lines[0].strip())
    rest = m.group(1).strip() if m else lines[0]
    return _items(([rest] if rest else []) + lines[1:])


@lru_cache(maxsize=1)
def _known_titles() -> dict[str, str]:
    return {fold(r["title"]): r["title"] for r in load_rules("signer_titles.toml")}


@lru_cache(maxsize=1)
def _deputies() -> dict[str, str]:
    return {fold(r["deputy_of"]): r["title"] for r in load_rules("signer_titles.toml") if r.get("deputy_of")}


def _deputy_title(head_line: str) -> str | None:
    """The deputy's title under "KT. <head>" ("CỤC TRƯỞNG" -> "Phó Cục trưởng"); the head may be
    followed by its body ("TRƯỞNG BAN BAN CHÍNH SÁCH")."""
    words = head_line.replace(",", " ").split()
    for k in range(len(words), 0, -1):
        got = _deputies().get(fold(" ".join(words[:k])))
        if got:
            return got
    return None


def _known_titles_folded() -> dict[str, str]:
    """Known titles keyed without their prefix: "KT. PHÓ CHỦ TỊCH THƯỜNG TRỰC" is known too."""
    return _known_titles_any()


@lru_cache(maxsize=1)
def _known_titles_any() -> dict[str, str]:
    out = dict(_known_titles())
    for prefix in ("kt", "tm", "tl", "tuq", "q"):
        out.update({f"{prefix} {k}": v for k, v in _known_titles().items()})
    return out


def _case_title(s: str) -> str:
    """"PHÓ CHÁNH VĂN PHÒNG" -> "Phó Chánh Văn phòng"; a title of rules/signer_titles.toml
    written without its marks gets them back."""
    known = _known_titles().get(fold(s))
    if known:
        return known
    words = s.split()
    for k in range(len(words) - 1, 0, -1):
        head = _known_titles().get(fold(" ".join(words[:k])))
        if head and _KIND_START.match(" ".join(words[k:])):
            # "GIÁM ĐỐC SỞ NỘI VỤ": the title, then the body in its own spelling
            return f"{head} {body_name(' '.join(words[k:]))}"
    low = " ".join(s.lower().split()).strip(" ,.")
    low = rx.sub(r"^pho\b", "phó", low)  # OCR lost the tone mark ("PHO CỤC TRƯỞNG")
    low = rx.sub(r"\b(?:trương|truong|trưong|truởng)$", "trưởng", low)  # "THỨ TRƯƠNG"
    low = rx.sub(r"(\bphó\s+)(\p{Ll})", lambda m: m.group(1) + m.group(2).upper(), low)
    low = rx.sub(r"(^|,\s*)(\p{Ll})", lambda m: m.group(1) + m.group(2).upper(), low)
    low = rx.sub(r"\b((?i:chánh|chủ nhiệm|thủ trưởng))\s+(văn phòng)", lambda m: f"{m.group(1)} Văn phòng", low)
    low = rx.sub(r"^phó\b", "Phó", low)
    return low


# a title OCR misspelt ("THỨ TRƯƠNG", "PHO CỤC TRƯỞNG"), compared without tone marks
_FOLDED_TITLE = regex.compile(rf"^(?:{header_words('title-folded')})\b")  # rules/header_words.toml


# a caps line after the title that is no name: a title OCR misread ("THỨ TRƯƠNG"), or the heading
# of an attached outline ("ĐỀ CƯƠNG", lamdong-1-5240-signed.pdf); compared without tone marks
_NOT_A_NAME = regex.compile(rf"\b(?:{header_words('not-a-name')})\b")  # rules/header_words.toml
_HEADING = regex.compile(rf"^(?:{header_words('heading')})")  # "CHƯƠNG I" of a charter after the signature


def _group1(m: regex.Match[str]) -> str:
    """The replacement r"\\1" as a function: the regex module reads a template string anew on
    every call (the groups replaced always take part, so the text is the same)."""
    return m.group(1)


def _opens_capital_digit_or_paren(s: str) -> bool:
    """s opens with a \\p{Lu} letter, a \\d digit or "(" (Python's category "Lu" and "Nd" lie
    within the regex module's classes; tests/test_header_speed3.py checks every code point)."""
    c = s[:1]
    if not c:
        return False
    if c.isascii():
        return c.isupper() or c.isdigit() or c == "("
    return unicodedata.category(c) in ("Lu", "Nd")


def _without_captions(ln: str) -> str:
    """A signature line with its parts set apart by three white spaces or more that are
    e-signature captions left out, white space made single."""
    t = ln.strip()
    if "   " not in t and t.isprintable():
        # one part: every white space but " " is unprintable (tests/test_header_speed3.py)
        return "" if SIGNED_NOISE.match(t) else " ".join(t.split())
    return " ".join(" ".join(p for p in rx.split(r"\s{3,}", t) if not SIGNED_NOISE.match(p)).split())


def parse_signer(block: str) -> Signer:
    """Authority prefix, own title and name of the signature block; "(Đã ký)" and stamps ignored.

    >>> parse_signer("TL. CHỦ TỊCH\\nKT. CHÁNH VĂN PHÒNG\\nPHÓ CHÁNH VĂN PHÒNG\\n(Đã ký)\\nNguyễn Văn A")
    Signer(name='Nguyễn Văn A', title='Phó Chánh Văn phòng', authority='KT.')
    """
    # an e-signature's captions printed beside the title ("KT. GIÁM ĐỐC      Ký bởi: Sở Nội vụ")
    raw_lines = [_without_captions(ln) for ln in block.split("\n")]
    lines: list[str] = []
    for s in raw_lines:
        if not s or SIGNED_NOISE.match(s) or "@" in s or rx.match(r"^[\d\s:./+-]+$", s):
            continue
        if not _opens_capital_digit_or_paren(s):  # (else neither pattern can match at its start)
            s = rx.sub(r"^[^\p{Lu}\d(]{1,2}(?=\p{Lu}\p{Ll})", "", s)
            s = rx.sub(r"^[^\p{L}\d(]+(?=\p{Lu})", "", s)  # OCR marks before a title ("<=—— CHỦ TỊCH")
        if "-" in s or "–" in s:  # (the pattern needs one of them)
            s = rx.sub(r"^((?:(?:KT|TM|TL|TUQ|Q)\.\s*)?[\p{Lu}Đ ,.]{4,}?)\s*[-–]\s+\S.*$", _group1, s)
        if not is_caps(s) and is_title_line(s):
            s = s.upper()  # a title in sentence case ("KT. Giám đốc"): a DOCX style printed it in capitals
        # (a name needs a lower-case letter: a line without one is not tried)
        m = _CAPS_THEN_NAME.match(s) if _LOWER.search(s) else None
        if m and (TITLE_WORDS.search(m.group("caps")) or match_signer_prefix(m.group("caps"))):
            lines += [m.group("caps"), m.group("name")]
            continue
        lines.append(s)
    # a prefix alone on its line belongs to the next; "X PHÓ X" is two lines
    merged: list[str] = []
    for s in lines:
        prev = match_signer_prefix(merged[-1]) if merged else None
        if prev is not None and not prev[2]:
            merged[-1] = f"{merged[-1]} {s}"
            continue
        merged.append(s)
    seq: list[str] = []
    for s in merged:
        if is_caps(s):
            seq += [p.strip(" ,") for p in rx.split(r"\s+(?=PHÓ\s|THỨ\s+TRƯỞNG|(?:KT|TM|TL|TUQ)\.)", s)
                    if p.strip(" ,")]
        else:
            seq.append(s)
    name = None
    title_i = None
    for i, s in enumerate(seq):
        if not is_caps(s) and NAME.match(s) and title_i is not None and not _HEADING.match(fold(s)):
            name = s
            break
        if is_caps(s) and (TITLE_WORDS.search(s) or match_signer_prefix(s) or _FOLDED_TITLE.search(fold(s))):
            title_i = i
    pre = [i for i, x in enumerate(seq[:title_i] if title_i is not None else []) if is_caps(x) and match_signer_prefix(x)]
    if pre and pre[-1] + 1 < (title_i or 0) and TITLE_WORDS.search(seq[pre[-1] + 1]) \
            and not match_signer_prefix(seq[pre[-1] + 1]):
        # "TM. HỘI ĐỒNG / CHỦ TỊCH / GIÁM ĐỐC SỞ NỘI VỤ / name": the title is the line under the
        # prefix; the line above the name is the signer's other office (lamdong-10797-…txt)
        title_i = pre[-1] + 1
    if title_i is not None and title_i + 1 < len(seq) and is_caps(seq[title_i + 1]) \
            and not match_signer_prefix(seq[title_i + 1]) and len(seq[title_i + 1].split()) <= 3 \
            and fold(f"{seq[title_i]} {seq[title_i + 1]}") in _known_titles_folded():
        # a title printed over two lines ("PHÓ CHỦ TỊCH" / "THƯỜNG TRỰC", "CHÁNH VĂN" / "PHÒNG")
        seq = seq[:title_i] + [f"{seq[title_i]} {seq[title_i + 1]}"] + seq[title_i + 2:]
    if name is None and title_i is not None:
        # a name in capitals after the title
        for s in seq[title_i + 1:]:
            if is_caps(s) and not TITLE_WORDS.search(s) and 2 <= len(s.split()) <= 5 and not match_signer_prefix(s) \
                    and not _NOT_A_NAME.search(fold(s)) and not _KIND_START.match(s) \
                    and not _HEADING.match(fold(s)):  # "VỤ CẢI CÁCH …": a body; "CHƯƠNG I": a heading
                name = " ".join(w.capitalize() for w in s.lower().split())
                break
    if name is None:
        # columns read out of order: the name printed before the title lines
        names = [x for x in seq if not is_caps(x) and NAME.match(x) and not _HEADING.match(fold(x))]
        name = names[-1] if names else None
    name = strip_rank(name) if name else None
    if title_i is None:
        return Signer(name=name)
    title_line = seq[title_i]
    authority = None
    p = match_signer_prefix(title_line)
    if p:
        authority, title_line = p[1], p[2]
        deputy = _deputy_title(title_line) if authority == "KT." else None
        if deputy:
            # "KT. CỤC TRƯỞNG" with no own title under it (OCR lost the line): KT. is signed by
            # the deputy (Decree 30/2020/NĐ-CP, Art. 13), rules/signer_titles.toml `deputy_of`
            return Signer(name=name, title=deputy, authority=authority)
    elif title_i > 0:
        q = match_signer_prefix(seq[title_i - 1])
        if q:
            authority = q[1]
    return Signer(name=name, title=_case_title(title_line) if title_line else None, authority=authority)
