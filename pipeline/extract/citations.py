"""Cited documents: "Quyết định số 1879/QĐ-UBND ngày 15/12/2023 của Chủ tịch UBND tỉnh". (issue 5)

One compiled pass over the text finds every document code (number + symbol: "1879/QĐ-UBND",
"30/2020/NĐ-CP", Party codes "18-NQ/TW", "174 KL/TW"); each code is then read in its
neighbourhood: the head word before it (type), the date and "của X" after it (issuer), the
cue words before it (relation). Codes are kept only where the text cites them as a document:
a head word, "số", a typed symbol, or a list that continues a citation. Mentions of one
document (same code) are merged into one Citation; short back-references ("Quyết định số
1879" without its symbol) count as mentions of their antecedent.

Data: rules/citation_heads.toml (head words, type codes), rules/citation_cues.toml (relations),
rules/citation_issuers.toml (issuer of a symbol), rules/citation_names.toml (words of body names).
"""
from __future__ import annotations

import datetime as _dt
import re
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter
from typing import Any

import regex

from ..models import Citation, Header, Segments, Span
from ..resolve import expand_abbreviations, fold

try:  # the header owner's resolver (pipeline/resolve.py); the local fallback below works without it
    from ..resolve import resolve_body as _resolve_body
except ImportError:  # pragma: no cover
    _resolve_body = None  # type: ignore[assignment]
from ..rules import first_literals, literal_alternation, load_rules

# ---- the code itself --------------------------------------------------------------------------
# A symbol part: a capital (or digit-led unit code like "C04"), letters, digits, "." ("CGC.BT"),
# "&" ("SNV-CCHC&VTLT"). Đ may be written as the Icelandic Ð by some PDF fonts.
_UP = r"A-ZĐÐĂÂÊÔƠƯ"
_PART = rf"[{_UP}][{_UP}a-zđ0-9.&]*(?<!\.)"
# Parts joined by "-" (a line break, even a blank line of a PDF, may follow it: "545/HD-\nBTV") or
# "/" ("KH/UBND").
# A space may stand before the hyphen too ("12/KH - UBND").
_SYMBOL = rf"{_PART}(?:(?:[ ]?-[ \t]*(?:\n[ \t]*){{0,2}}|/)(?:{_PART}|[0-9]+[{_UP}a-z][{_UP}a-z0-9]*))*"
_CODE_RE = regex.compile(
    rf"""(?<![\p{{L}}\p{{N}}/.,-])
    (?P<num>[0-9]{{1,6}})
    (?:
        (?P<psep>-[ \t]?(?:\n[ \t]*)?|[ ](?=[{_UP}][{_UP}a-zđ]{{0,4}}/))(?P<ptype>[{_UP}][{_UP}a-zđ]{{0,4}})/(?P<porg>{_SYMBOL})
      | [ ]{{0,3}}/[ ]?(?P<sym>(?:(?:19|20)[0-9]{{2}}[ ]?/[ ]?)?{_SYMBOL})
    )
    (?![\p{{L}}\p{{N}}])""",
    regex.V1 | regex.VERBOSE,
)
# its groups by number (a group's name costs a lookup at every use; speed, issue 15)
_CODE_NUM, _CODE_PTYPE, _CODE_PORG, _CODE_SYM = (_CODE_RE.groupindex[g] for g in ("num", "ptype", "porg", "sym"))

_WS_RE = regex.compile(r"\s+", regex.V1)
# Characters str.split takes for spaces and \s may not (the separators U+001C-U+001F; U+180E,
# a space in older Unicode): where none stands, str.split splits exactly at the runs of \s.
_ODD_SPACES = ("\x1c", "\x1d", "\x1e", "\x1f", "\u180e")


# The characters str.isspace takes for spaces, but for " " and "\n" (Python's Unicode data)
_OTHER_SPACES_RE = re.compile("[\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _squash(s: str) -> str:
    """``_WS_RE.sub(" ", s).strip()``: runs of spaces and line breaks as one space, none at the
    ends; by str.split where that splits alike (a pattern substitution cost a tenth of the
    citation pass on long sentences; speed, issue 15), and where " " and "\\n" are the only
    spaces, by replacing (half the time of str.split on a sentence)."""
    if _OTHER_SPACES_RE.search(s) is None:
        t = s.replace("\n", " ")
        while "  " in t:
            t = t.replace("  ", " ")
        return t.strip(" ")
    if "\x1c" in s or "\x1d" in s or "\x1e" in s or "\x1f" in s or "\u180e" in s:   # _ODD_SPACES
        return _WS_RE.sub(" ", s).strip()
    return " ".join(s.split())
_PAREN_RE = regex.compile(r"[()]")
_TINH_RE = regex.compile(r"tỉnh[ \t]+(\p{Lu}\p{L}*(?:[ \t]+\p{Lu}\p{L}*){0,2})", regex.V1)
_PART_SPLIT_RE = regex.compile(r"[-/]")
_SO_RE = regex.compile(r"(?<![\p{L}])(?P<so>[Ss]ố)\s*(?P<colon>:)?\s*\Z", regex.V1 | regex.REVERSE)
_SO_COLON = _SO_RE.groupindex["colon"]
_QH_RE = regex.compile(r"QH[0-9]{0,2}")
_SENT_END_RE = regex.compile(r"(?:[.;!?](?=\s)|\n\s*\n)")
_SENT_END_REV_RE = regex.compile(_SENT_END_RE.pattern, regex.REVERSE)
_KEY_TRANS = str.maketrans({"Đ": "d", "đ": "d", "Ð": "d", "ð": "d"})
_KEY_RE = regex.compile(r"[^0-9a-z]+")

# ---- dates --------------------------------------------------------------------------------------
_DATE = (r"(?P<d>[0-3]?[0-9])\s*(?:[/.-]\s*(?P<m>[01]?[0-9])\s*[/.-]\s*(?P<y>(?:19|20)[0-9]{2})"
         r"|\s+tháng\s+(?P<m2>[01]?[0-9])\s+năm\s+(?P<y2>(?:19|20)[0-9]{2}))")
_TAIL_DATE_RE = regex.compile(rf"[\s,]*(?:\(\s*)?(?:ban\s+hành\s+|ký\s+)?ngày\s+{_DATE}", regex.V1 | regex.I)
_PRE_DATE_RE = regex.compile(
    rf"(?:^|[\s(;:.,“\"])ngày\s+{_DATE}\s*,\s*(?P<rest>[^;:]{{0,120}})\Z", regex.V1 | regex.I | regex.REVERSE)


def _date_of(m: Any) -> str | None:
    # groups by number: the regex module looks a group's name up at a fifth of a microsecond's
    # cost each time (speed, issue 15)
    gi = m.re.groupindex
    d, mo, mo2, y, y2 = m.group(gi["d"], gi["m"], gi["m2"], gi["y"], gi["y2"])
    return _iso_date(d, mo or mo2, y or y2)


@lru_cache(maxsize=4096)
def _iso_date(d: str | None, mo: str | None, y: str | None) -> str | None:
    """The ISO date of day, month and year as written; remembered (dates recur; speed, issue 15)."""
    if d is None or mo is None or y is None:
        return None
    try:
        di, mi, yi = int(d), int(mo), int(y)
    except (TypeError, ValueError):
        return None
    try:
        return _dt.date(yi, mi, di).isoformat()
    except ValueError:  # "31/02/2024": no such day
        return None


# ---- rules --------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _hkey(head: str) -> str:
    """Lookup key of a head word as written: case, spacing and Ð/Đ ignored; "Nghị đinh" kept apart.
    Remembered: the same head words and names recur (speed, issue 15)."""
    return " ".join(head.replace("Ð", "Đ").replace("ð", "đ").lower().split())


def _ws(words: str) -> str:
    """A phrase as a pattern: any run of spaces or line breaks between words, Đ/Ð alike."""
    out = []
    for w in words.split():
        out.append("".join("[ĐÐđ]" if ch in "Đđ" else regex.escape(ch) for ch in w))
    return r"\s+".join(out)


@dataclass(frozen=True)
class _Rules:
    head_re: Any
    head_by_fold: dict[str, dict[str, Any]]
    type_by_code: dict[str, str]
    party_types: frozenset[str]
    cue_re: Any
    cues: tuple[dict[str, Any], ...]
    issuers: tuple[tuple[Any, dict[str, Any]], ...]
    name_stop: frozenset[str]
    name_stop_phrases: Any
    exclude_re: Any
    titled_re: Any
    post_re: Any
    post: tuple[dict[str, Any], ...]
    body_re: Any
    bodies: tuple[dict[str, Any], ...]
    about_names: Any
    title_only: frozenset[str]
    closed_names: Any
    # first/last words of the phrases above, to skip a regex call where it cannot match (speed)
    stop_first: frozenset[str] = frozenset()
    head_first: frozenset[str] = frozenset()
    closed_last: frozenset[str] = frozenset()
    body_first: frozenset[str] = frozenset()
    national_by_fold: dict[str, str] = field(default_factory=dict)
    # the literals that open every cue (rules.first_literals), one alternation: cue_re is tried
    # only where one stands (None: some cue opens otherwise, cue_re runs everywhere)
    cue_first_re: Any = None
    post_first_re: Any = None
    # the same literals case-folded, one ``re`` pattern run over a case-folded stretch
    # (_first_folded): a faster prefilter where folding keeps the stretch's length
    cue_first_folded: Any = None
    post_first_folded: Any = None
    # folded first literal -> the cues (index, own pattern) that may open with it (_cue_dispatch)
    cue_dispatch: Any = None
    # the exclude_before phrases as _may_exclude compares them (_exkey, one space between
    # words) and the most words one holds; None: no phrase (exclude_re is always tried)
    exclude_phrases: tuple[str, ...] | None = None
    exclude_words: int = 0
    # (symbol, party) -> _type_from_symbol's answer, remembered: symbols recur (speed, issue 15)
    symbol_types: dict[tuple[str, bool], str | None] = field(default_factory=dict, compare=False, repr=False)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    heads = load_rules("citation_heads.toml")
    head_by_fold: dict[str, dict[str, Any]] = {}
    spell: list[str] = []
    titled: list[str] = []
    type_by_code: dict[str, str] = {}
    for r in heads:
        for h in r["head"]:
            head_by_fold[_hkey(h)] = r
            spell.append(h)
            if r.get("titled"):
                titled.append(h)
        for c in r.get("codes", []):
            type_by_code.setdefault(c.upper(), r["type"])
    spell.sort(key=len, reverse=True)
    alts = "|".join(_ws(h) for h in spell)
    # The head word right before the code: "Quyết định số 1879", "Nghị định 30", "Quyết định số: 1056".
    head_re = regex.compile(rf"(?<![\p{{L}}])(?P<head>{alts})\s*(?P<so>(?:số|so)\s*:?\s*)?(?:(?:này|nêu\s+trên)\s*)?\Z",
                            regex.V1 | regex.I | regex.REVERSE)
    titled_alts = "|".join(_ws(h) for h in sorted(titled, key=len, reverse=True))
    titled_re = regex.compile(
        rf"(?<![\p{{L}}])(?P<head>{titled_alts})(?!\s+sư)\s+(?P<title>\p{{L}}(?:(?!\s(?:tại|theo|của|ngày)\s)[^;:.()“”\"0-9]){{0,120}}?)\s+số\s*\Z",
        regex.V1)
    cues = tuple(c for c in load_rules("citation_cues.toml") if c.get("position", "before") == "before")
    post = tuple(c for c in load_rules("citation_cues.toml") if c.get("position") == "after")
    cue_re = _alternation(cues)
    cue_first_re = _first_alternation(cues)
    post_first_re = _first_alternation(post)
    post_re = _alternation(post)
    issuers = tuple((regex.compile(rf"(?:{r['symbol']})\Z", regex.V1), r) for r in load_rules("citation_issuers.toml"))
    names = {r["id"]: r for r in load_rules("citation_names.toml")}
    stop = frozenset(w for r in names.values() if r.get("kind") == "stop_word" for w in r["words"])
    phrases = [p for r in names.values() if r.get("kind") == "stop_phrase" for p in r["words"]]
    stop_phrases = regex.compile(rf"(?:{'|'.join(_ws(p) for p in phrases)})(?![\p{{L}}])", regex.V1)
    excl = [p for r in names.values() if r.get("kind") == "exclude_before" for p in r["words"]]
    exclude_re = regex.compile(rf"(?<![\p{{L}}])(?:{'|'.join(_ws(p) for p in excl)})\s*(?:số\s*)?:?\s*\Z", regex.V1 | regex.I | regex.REVERSE)
    party = frozenset(c.upper() for r in heads for c in r.get("codes", []))
    bodies = tuple(r for r in names.values() if r.get("kind") == "body")
    about = [p for r in names.values() if r.get("kind") == "named_by_subject" for p in r["words"]]
    about_re = regex.compile(rf"(?:{'|'.join(_ws(p) for p in about) or '(?!)'})(?![\p{{L}}])", regex.V1)
    body_alts = "|".join(f"(?P<b{i}>{'|'.join(_name_pattern(a) for a in [r['name'], *r.get('aliases', [])])})"
                         for i, r in enumerate(bodies))
    body_re = regex.compile(rf"(?:{body_alts})(?![\p{{L}}])", regex.V1 | regex.I)
    closed = "|".join(_ws(w) for r in names.values() if r.get("kind") == "closed_name" for w in r["words"])
    return _Rules(
        head_re=head_re, head_by_fold=head_by_fold, type_by_code=type_by_code, party_types=party,
        cue_re=cue_re, cue_first_re=cue_first_re, post_first_re=post_first_re,
        cue_first_folded=_first_folded(cues), post_first_folded=_first_folded(post),
        cue_dispatch=_cue_dispatch(cues), cues=cues,
        exclude_phrases=tuple(sorted({" ".join(_exkey(p).split()) for p in excl})) if excl else None,
        exclude_words=max((len(p.split()) for p in excl), default=0), issuers=issuers, name_stop=stop, name_stop_phrases=stop_phrases,
        exclude_re=exclude_re, titled_re=titled_re, post_re=post_re, post=post, body_re=body_re,
        bodies=bodies, about_names=about_re,
        title_only=frozenset(_hkey(w) for r in names.values() if r.get("kind") == "title_only" for w in r["words"]),
        closed_names=regex.compile(rf"(?<![\p{{L}}])(?:{closed or '(?!)'})\Z", regex.V1 | regex.I | regex.REVERSE),
        stop_first=frozenset(_wkey(_first_token(p)) for p in phrases),
        head_first=frozenset(_wkey(_first_token(h)) for h in spell),
        national_by_fold={fold(r["issuer"]): r["issuer"] for _rx, r in issuers
                          if r.get("scope") == "national" and r.get("issuer")},
        body_first=frozenset(_wkey(_first_token(a)) for r in bodies for a in [r["name"], *r.get("aliases", [])]),
        closed_last=frozenset(_wkey(w.split()[-1]) for r in names.values() if r.get("kind") == "closed_name"
                              for w in r["words"]))


_FIRST_TOKEN_RE = regex.compile(r"[\p{L}][\p{L}\p{N}.&]*(?<!\.)", regex.V1)


def _first_token(phrase: str) -> str:
    m = _FIRST_TOKEN_RE.search(phrase)
    return m.group() if m else phrase


def _exkey(w: str) -> str:
    """Case-folded, Ð/ð as đ: what the case-insensitive phrases of _ws compare (_may_exclude)."""
    return w.casefold().replace("ð", "đ")


def _may_exclude(before: str, R: _Rules) -> bool:
    r"""Whether ``R.exclude_re`` may match at the end of ``before`` (most codes are not excluded,
    and this test costs a fraction of the pattern's; speed, issue 15).

    The pattern reads, from the end: spaces, ":", "số" (after spaces or glued to the phrase),
    spaces, and a phrase whose words stand apart by spaces, in any case. So once the spaces and
    ":" are taken off the end, the last words (one more than a phrase holds), case-folded and
    one space apart, end with a phrase, or do so once a "số" is taken off their end. str spaces
    are the pattern's \s and a few more, so this holds wherever the pattern matches."""
    if R.exclude_phrases is None:
        return True
    t = before.rstrip()
    if t.endswith(":"):
        t = t[:-1].rstrip()
    parts = t.rsplit(None, R.exclude_words + 1)
    if len(parts) > R.exclude_words + 1:
        parts = parts[1:]
    tail = _exkey(" ".join(parts))
    if tail.endswith(R.exclude_phrases):
        return True
    return tail.endswith("số") and tail[:-2].rstrip(" ").endswith(R.exclude_phrases)


def _wkey(w: str) -> str:
    """A word for the prefilter sets: lower case, Đ and Ð alike."""
    return w.lower().replace("ð", "đ")


def _alternation(cues: tuple[dict[str, Any], ...]) -> Any:
    alts = "|".join(f"(?P<c{i}>{c['pattern']})" for i, c in enumerate(cues)) or "(?!)"
    return regex.compile(rf"(?<![\p{{L}}])(?:{alts})(?![\p{{L}}])", regex.V1 | regex.I)


def _first_alternation(cues: tuple[dict[str, Any], ...]) -> Any:
    """The literals that open every match of ``_alternation(cues)`` as one pattern with its
    lookbehind, or None where a cue's opening cannot be read (then no prefilter)."""
    firsts: list[str] = []
    for c in cues:
        got = first_literals(c["pattern"], ignorecase=True)
        if not got:
            return None
        firsts += got
    alts = literal_alternation(firsts)
    return regex.compile(rf"(?<![\p{{L}}])(?:{alts.pattern})", regex.V1 | regex.I) if alts else None


def _first_folded(cues: tuple[dict[str, Any], ...]) -> Any:
    """The literals that open every match of ``_alternation(cues)``, case-folded, as one
    ``re`` pattern (a trie of them: the standard library's engine skips to a possible first
    letter fast) for a case-folded text; None where a cue's opening cannot be read."""
    firsts: set[str] = set()
    for c in cues:
        got = first_literals(c["pattern"], ignorecase=True)
        if not got:
            return None
        firsts.update(f.casefold() for f in got)
    return re.compile(_trie(sorted(firsts))) if firsts else None


def _cue_dispatch(cues: tuple[dict[str, Any], ...]) -> dict[str, tuple[tuple[int, Any], ...]] | None:
    """For each literal of ``_first_folded(cues)``: the cues, in order, one of whose first
    literals it begins with, each as ``_alternation`` would try it alone (its lookbehind, its
    group ``c<i>``, its lookahead). The folded prefilter finds the longest literal at a position
    (_trie); every literal that stands there begins it, so a cue that may match there is among
    these, and the first of them that matches is what the whole alternation matches."""
    firsts: list[tuple[str, ...]] = []
    for c in cues:
        got = first_literals(c["pattern"], ignorecase=True)
        if not got:
            return None
        firsts.append(tuple(f.casefold() for f in got))
    own = [regex.compile(rf"(?<![\p{{L}}])(?:(?P<c{i}>{c['pattern']}))(?![\p{{L}}])", regex.V1 | regex.I)
           for i, c in enumerate(cues)]
    return {lit: tuple((i, own[i]) for i, fs in enumerate(firsts) if lit.startswith(fs))
            for lit in {f for fs in firsts for f in fs}}


def _trie(words: list[str]) -> str:
    """A pattern matching exactly the given literals, their shared openings written once."""
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


def _prefiltered(pat: Any, first: Any, text: str, lo: int, hi: int, folded: Any = None,
                 dispatch: dict[str, tuple[tuple[int, Any], ...]] | None = None) -> Iterable[Any]:
    """``pat.finditer(text, lo, hi)`` with ``pat`` tried only where ``first`` (the literals that
    open its every match, ``_first_alternation``) finds one: the same matches, since a match can
    start nowhere else (speed, issue 15). ``first`` None: plain finditer.

    ``folded`` (``_first_folded``): the same literals found in text[lo:hi].casefold() instead,
    where folding keeps every character one character (so positions agree): case-insensitive
    matching compares case-folded text, so wherever ``first`` finds a literal its folded form
    stands in the folded text; ``pat`` (which holds the lookbehind of ``first``) then decides.
    A third of the time of the case-insensitive alternation (speed, issue 15). ``dispatch``
    (``_cue_dispatch``): where the folded literal found is known, only the cues that may open
    with it are tried, in order, instead of the whole alternation."""
    if first is None:
        yield from pat.finditer(text, lo, hi)
        return
    if folded is not None:
        stretch = text[lo:hi]
        low = stretch.casefold()
        if len(low) == len(stretch):
            pos = 0
            while True:
                f = folded.search(low, pos)
                if f is None:
                    return
                tries = dispatch.get(f.group()) if dispatch is not None else None
                if tries is None:
                    m = pat.match(text, lo + f.start(), hi)
                else:
                    m = None
                    for _i, own in tries:
                        m = own.match(text, lo + f.start(), hi)
                        if m is not None:
                            break
                if m is None:
                    pos = f.start() + 1
                    continue
                yield m
                pos = (m.end() if m.end() > m.start() else m.start() + 1) - lo
    pos = lo
    while pos < hi:
        f = first.search(text, pos, hi)
        if f is None:
            return
        m = pat.match(text, f.start(), hi)
        if m is None:
            pos = f.start() + 1
            continue
        yield m
        pos = m.end() if m.end() > m.start() else m.start() + 1


def _cue_matches(text: str, lo: int, hi: int, R: _Rules) -> Iterable[Any]:
    """``R.cue_re.finditer(text, lo, hi)``, prefiltered by the cues' first words."""
    return _prefiltered(R.cue_re, R.cue_first_re, text, lo, hi, R.cue_first_folded, R.cue_dispatch)


def _post_search(text: str, lo: int, hi: int, R: _Rules) -> Any:
    """``R.post_re.search(text, lo, hi)``, prefiltered by the after-cues' first words."""
    return next(iter(_prefiltered(R.post_re, R.post_first_re, text, lo, hi, R.post_first_folded)), None)


def _name_pattern(name: str) -> str:
    """A body's name as a pattern that tolerates "và", dashes and commas left out or added."""
    words = [w for w in regex.split(r"[\s,\-–]+", name) if w and w != "và"]
    return r"(?:\s*[,\-–])?\s+(?:và\s+)?".join(_ws(w) for w in words)


# ---- body names ("của X") ------------------------------------------------------------------------
_TOKEN_RE = regex.compile(r"\s*(?:(?P<w>[\p{L}][\p{L}\p{N}.&]*(?<!\.))|(?P<p>[,\-–;:()./“”\"]))", regex.V1)
# its groups by number (a group's name costs a lookup at every use; speed, issue 15)
_TW, _TP = _TOKEN_RE.groupindex["w"], _TOKEN_RE.groupindex["p"]


def _is_cap(w: str) -> bool:
    return w[:1].isupper()


def parse_name(text: str, max_words: int = 16) -> tuple[str | None, int]:
    """The body name at the start of ``text`` ("Chủ tịch UBND tỉnh về việc …" -> "Chủ tịch UBND tỉnh").

    A name runs over capitalised words and the lowercase words of names ("nhân dân", "tỉnh");
    it ends at a stop word or phrase (rules/citation_names.toml), a head word, punctuation, or
    a column gap of the layout. Known bodies (kind "body") are taken whole whatever their commas.
    Returns (name or None, characters consumed).

    >>> parse_name("Chính phủ quy định chức năng")[0]
    'Chính phủ'
    """
    R = _rules()
    pos = 0
    words: list[tuple[str, int, int]] = []  # (word, start, end)
    fm = _FIRST_TOKEN_RE.match(text)
    bm = R.body_re.match(text) if fm is not None and _wkey(fm.group()) in R.body_first else None
    if bm:
        words.append((text[bm.start():bm.end()], bm.start(), bm.end()))
        pos = bm.end()
    lower_run = 0
    n = len(text)
    while pos < n and len(words) < max_words:
        m = _TOKEN_RE.match(text, pos)
        if not m:
            break
        # the word's span read once, the word cut from it (speed, issue 15); (-1, -1): punctuation
        ws, we = m.span(_TW)
        gap = text[pos:ws if ws >= 0 else m.start(_TP)]
        if "\n" not in gap and "   " in gap and words:
            break  # a column gap: the next column of the page, not this name
        if ws < 0:
            p = m.group(_TP)
            if p in "-–" and words:
                # "Lao động - Thương binh", "Sơn Hà - Sơn Tây": a dash between capitals
                nxt = _TOKEN_RE.match(text, m.end())
                if nxt and nxt.group(_TW) and _is_cap(nxt.group(_TW)) and not _starts_head(text, nxt.start(_TW)):
                    pos = m.end()
                    continue
            if p == "," and words and _comma_name(text, m.end()):
                pos = m.end()
                continue
            break
        w = text[ws:we]
        cap = w[0].isupper()   # _is_cap(w), w never empty
        wk = w.lower().replace("ð", "đ")   # _wkey(w)
        if not words:
            if not cap or (wk in R.stop_first and R.name_stop_phrases.match(text, ws)):
                return None, 0
        elif wk in R.stop_first and R.name_stop_phrases.match(text, ws):
            break
        elif w == "và":
            nxt = _TOKEN_RE.match(text, m.end())
            if not (nxt and nxt.group(_TW) and _is_cap(nxt.group(_TW)) and not _starts_head(text, nxt.start(_TW))):
                break
            pos = m.end()
            continue
        elif cap:
            if _starts_head(text, ws):
                break
            if w.isupper() and len(w) > 1 and not words[-1][0].isupper() and _caps_run(text, ws):
                break  # "Bộ Công an CỘNG HÒA XÃ HỘI …": the next column's heading
            lower_run = 0
        else:
            if w in R.name_stop or lower_run >= 5 or (len(w) == 1 and text[m.end():m.end() + 1] == ")"):
                break
            if _wkey(words[-1][0]) in R.closed_last and R.closed_names.search(text, 0, words[-1][2]):
                break  # "Thủ tướng Chính phủ hết hiệu lực …": a name that takes no lowercase word after it
            if lower_run == 0 and _is_cap(words[-1][0]) and _PLACE_END_RE.search(text, 0, words[-1][2]):
                break  # "Thuế tỉnh Ninh Bình vướng mắc về …": a name ends with its place (tw-1776153109)
            lower_run += 1
        if w[0].isdigit():
            break
        words.append((w, ws, we))
        pos = we   # m.end(): the word ends the match
    # a name does not end on a link word
    while words and words[-1][0] in ("các", "của", "và"):
        words.pop()
    if not words:
        return None, 0
    end = words[-1][2]
    if _hkey(text[:end]) in R.title_only:
        return None, 0
    if R.about_names.match(text):
        # "Ban Chỉ đạo Trung ương về tổng kết Nghị quyết số 18-NQ/TW": the subject is part of the name
        am = _ABOUT_TAIL_RE.match(text, end)
        if am:
            end = am.end()
    name = _squash(text[: end])
    return name, end


_PLACE_END_RE = regex.compile(
    r"(?<![\p{L}])(?:tỉnh|huyện|thành\s+phố|thị\s+xã|thị\s+trấn|quận|xã|phường)\s+\p{Lu}\p{L}*(?:\s+\p{Lu}\p{L}*){0,3}\Z",
    regex.V1 | regex.REVERSE)
_ABOUT_TAIL_RE = regex.compile(
    rf"\s+về\s+[^,;.()\n]{{0,80}}?[0-9]{{1,6}}(?:-|\s?/\s?)(?:{_SYMBOL})", regex.V1)
_CAPS_RUN_RE = regex.compile(r"\p{Lu}{2,}\s+\p{Lu}{2,}", regex.V1)


def _caps_run(text: str, i: int) -> bool:
    return _CAPS_RUN_RE.match(text, i) is not None and not text[i:i + 4].startswith(("UBND", "HĐND", "MTTQ"))


def _starts_head(text: str, i: int) -> bool:
    m = _FIRST_TOKEN_RE.match(text, i)
    if m is None or _wkey(m.group()) not in _rules().head_first:
        return False  # no head word starts with this word: skip the long alternation
    return _head_at_re().match(text, i) is not None


@lru_cache(maxsize=1)
def _head_at_re() -> Any:
    """A head word that starts a citation here ("… của UBND tỉnh và Công văn số …" ends a name)."""
    spell = [h for r in load_rules("citation_heads.toml") for h in r["head"]]
    alts = "|".join(_ws(h) for h in sorted(spell, key=len, reverse=True))
    return regex.compile(rf"(?:{alts})\s+(?:số|[0-9])", regex.V1 | regex.I)


_COMMA_NAME_RE = regex.compile(r"\s*\p{Lu}\p{Ll}*(?:\s+\p{Ll}+)?\s+và\s+\p{Lu}", regex.V1)


def _comma_name(text: str, i: int) -> bool:
    """A comma inside a name: "Sở Văn hóa, Thể thao và Du lịch"."""
    return _COMMA_NAME_RE.match(text, i) is not None


# ---- context: the letter's own place ------------------------------------------------------------
@dataclass(frozen=True)
class Context:
    """What the letter says about itself, for resolving "UBND tỉnh" and bare symbols."""

    own_code: str | None = None
    issuer: str | None = None
    parent: str | None = None
    province: str | None = None     # "Lâm Đồng"
    province_kind: str = "tỉnh"
    district: str | None = None     # "Sơn Tây"
    district_kind: str = "huyện"
    header: Header | None = None    # the letter's header, for resolve.resolve_body


_UNIT_RE = regex.compile(
    r"(?<![\p{L}])(?P<kind>TỈNH|tỉnh|Tỉnh|THÀNH PHỐ|[Tt]hành phố|HUYỆN|[Hh]uyện|THỊ XÃ|[Tt]hị xã|QUẬN|[Qq]uận)"
    r"[ \t]+(?P<name>\p{Lu}[\p{L}]*(?:[ \t]+\p{Lu}[\p{L}]*){0,2})", regex.V1)
_UNIT_KIND, _UNIT_NAME = _UNIT_RE.groupindex["kind"], _UNIT_RE.groupindex["name"]   # by number (speed)
# its kinds in capitals, as written in the pattern: a text holding none of them has no unit
# match whose kind is in capitals
_UNIT_CAPS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "THỊ XÃ", "QUẬN")
_UNIT_WORD_RE = regex.compile(r"(?:tỉnh|huyện|thành\s+phố|quận|thị\s+xã|xã|phường)(?![\p{L}])", regex.V1 | regex.I)
_OWN_CODE_RE = regex.compile(r"(?<![\p{L}])Số\s*:?\s*(?P<code>[0-9]{1,6}\s*[/-]\s*\S+)", regex.V1)


def _title(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


def _unit(kind: str) -> str:
    k = kind.lower()
    return {"tỉnh": "tỉnh", "thành phố": "thành phố", "huyện": "huyện", "thị xã": "thị xã", "quận": "quận"}.get(k, k)



def _take_unit(m: regex.Match[str], province: str | None, kind: str | None, district: str | None,
               dkind: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """Fill the province or the district slot from one unit match, where still empty."""
    u = _unit(m.group(_UNIT_KIND))
    if u in ("tỉnh", "thành phố") and not province:
        province, kind = _title(m.group(_UNIT_NAME)), u
    elif u in ("huyện", "thị xã", "quận") and not district:
        district, dkind = _title(m.group(_UNIT_NAME)), u
    return province, kind, district, dkind

def build_context(text: str, header: Header) -> Context:
    """Own code and localities from the header, else from the top of the text.

    >>> build_context("UBND TỈNH LÂM ĐỒNG\\nSỞ NỘI VỤ\\nSố: 12/SNV-TCBC", Header()).province
    'Lâm Đồng'
    """
    own = header.code
    top = text[:1500]
    if not own:
        m = _OWN_CODE_RE.search(top)
        if m:
            cm = _CODE_RE.match(regex.sub(r"\s+", "", m.group("code")))
            if cm:
                own = _canonical(cm)[2]
    province = kind = district = dkind = None
    header_ok = bool(header.issuer or header.parent_body)
    for src in (header.issuer, header.parent_body, header.place):
        for m in _UNIT_RE.finditer(src or ""):
            if _UNIT_WORD_RE.match(m.group(_UNIT_NAME)):
                header_ok = False   # "tỉnh Huyện Sơn Tây": a header misread; the text decides
                continue
            province, kind, district, dkind = _take_unit(m, province, kind, district, dkind)
    if not header_ok:
        province = kind = district = dkind = None
    top_lines = text[:600]
    if (not province or not district) and any(k in top_lines for k in _UNIT_CAPS):
        # the header lines in capitals at the top ("UBND TỈNH LÂM ĐỒNG", "HUYỆN SƠN TÂY")
        for m in _UNIT_RE.finditer(top_lines):
            if not m.group(_UNIT_KIND).isupper() or _UNIT_WORD_RE.match(m.group(_UNIT_NAME)):
                continue
            province, kind, district, dkind = _take_unit(m, province, kind, district, dkind)
    if not province:
        # the province the text names most often ("… của tỉnh Quảng Ngãi")
        cnt = Counter(_TINH_RE.findall(text))   # findall of its one group: the names, in order
        if cnt:
            province, kind = cnt.most_common(1)[0][0], "tỉnh"
    return Context(own_code=own, issuer=header.issuer if header_ok else None,
                   parent=header.parent_body if header_ok else None, province=province,
                   province_kind=kind or "tỉnh", district=district, district_kind=dkind or "huyện",
                   header=header if header_ok else None)


_COUNTRY_RE = regex.compile(r"\s+nước\s+Cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam$", regex.V1 | regex.I)
_DEPT_RE = regex.compile(r"(?:(?:Phó\s+)?Giám\s+đốc\s+)?Sở\s+(?!.*Trung\s+ương)", regex.V1)
_BARE_UNIT_RE = regex.compile(r"(?<![\p{L}])(?P<u>tỉnh|thành phố|huyện|thị xã|quận|xã)\s*\Z", regex.V1 | regex.I)


def resolve_issuer(issuer_text: str | None, ctx: Context) -> str | None:
    """Full name of a body as written in a citation, with the letter's locality where it is bare.

    >>> resolve_issuer("Chủ tịch UBND tỉnh", Context(province="Quảng Ngãi"))
    'Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi'
    """
    if not issuer_text:
        return None
    name = _issuer_as_named(issuer_text)
    if ctx.header is not None and _resolve_body is not None:
        # the header's own resolver: the letter's locality, and provinces merged on 2025-07-01
        name = _resolve_body(name, ctx.header)
    else:
        name = expand_abbreviations(name)
        m = _BARE_UNIT_RE.search(name)
        if m:
            u = m.group("u").lower()
            if u in ("tỉnh", "thành phố") and ctx.province:
                name = f"{name} {ctx.province}"
            elif u in ("huyện", "thị xã", "quận") and ctx.district:
                name = f"{name} {ctx.district}"
    if ctx.province and _DEPT_RE.match(name) and not _UNIT_WORD_RE.search(name):
        # "Sở Nội vụ" in a letter of Lâm Đồng is Sở Nội vụ tỉnh Lâm Đồng: one graph node for it
        name = f"{name} {ctx.province_kind} {ctx.province}"
    return name


@lru_cache(maxsize=4096)
def _issuer_as_named(issuer_text: str) -> str:
    """The part of resolve_issuer that reads the name alone (not the letter): spaces squashed, a
    known body's proper name, the country's name off. Remembered per name: issuers recur from
    citation to citation and letter to letter (speed, issue 15)."""
    name = _squash(issuer_text)
    bm = _rules().body_re.match(name)
    if bm:
        # a known body written loosely ("Sở Tài nguyên Môi trường"): its proper name
        i = bm.lastgroup
        name = _rules().bodies[int(i[1:])]["name"] + name[bm.end():]
    return _COUNTRY_RE.sub("", name)


def issuer_from_symbol(symbol: str | None, ctx: Context) -> tuple[str | None, str | None]:
    """(issuer, rule id) read from a symbol's parts: "QĐ-TTg" -> Thủ tướng Chính phủ.

    >>> issuer_from_symbol("2020/NĐ-CP", Context())[0]
    'Chính phủ'
    """
    if not symbol:
        return None, None
    R = _rules()
    r = _issuer_rule(symbol)
    if r is not None:
        scope = r.get("scope")
        name = r["issuer"]
        if scope == "unknown" or not name:
            return None, r["id"]
        if name.endswith(" ủy") and scope in ("district", "province"):
            place = ctx.district if scope == "district" else ctx.province
            return (f"{name} {place}" if place else name), r["id"]
        if scope == "district" and ctx.district:
            name = f"{name} {ctx.district}"
        elif scope == "province" and ctx.province:
            name = (f"{name} {ctx.province}" if name.endswith(("tỉnh", "thành phố"))
                    else f"{name} {ctx.province_kind} {ctx.province}")
        elif scope == "ubnd":
            name = _ubnd_of_context(ctx)
            if name is None:
                return None, r["id"]
        return name, r["id"]
    # "Trung tâm đã có Công văn số 428/TTXT-ĐTDN" in a letter numbered 644/TTXT-ĐTDN: a symbol
    # whose body part is the letter's own was issued by the letter's own issuer
    org = _body_part(symbol, R)
    if org and ctx.own_code and ctx.issuer and org == _body_part(_OWN_NUM_RE.sub("", ctx.own_code), R):
        return ctx.issuer, "iss.own_body"
    return None, None


_OWN_NUM_RE = regex.compile(r"\A[0-9.]+\s*[-/]\s*")


@lru_cache(maxsize=4096)
def _issuer_rule(symbol: str) -> dict[str, Any] | None:
    """The first rule of rules/citation_issuers.toml that matches a part of the symbol (the type
    code comes first in a typed symbol, "QĐ-UBND"; the issuer is the next part), else None.
    Remembered per symbol: a letter cites the same symbols again and again (speed, issue 15)."""
    parts = [p for p in _PART_SPLIT_RE.split(symbol.replace("Ð", "Đ")) if p and not p.isdigit()]
    for p in parts:
        for rx, r in _rules().issuers:
            if rx.match(p):
                return r
    return None


def _body_part(symbol: str, R: _Rules) -> str | None:
    """The part of a symbol that names its body: the first part that is no year and no type code.

    >>> _body_part("KH-TTXT", _rules()), _body_part("2024/QĐ-UBND", _rules()), _body_part("CTr/TU", _rules())
    ('TTXT', 'UBND', 'TU')
    """
    for p in _PART_SPLIT_RE.split(symbol.replace("Ð", "Đ")):
        if p and not p.isdigit() and p.upper() not in R.type_by_code:
            return p.upper()
    return None


def _ubnd_of_context(ctx: Context) -> str | None:
    for cand in (ctx.issuer, ctx.parent):
        if cand and _hkey(cand).replace("uỷ", "ủy").startswith("ủy ban nhân dân"):
            return cand
    if ctx.province:
        return f"Ủy ban nhân dân {ctx.province_kind} {ctx.province}"
    return None


# ---- one pass over the text -------------------------------------------------------------------
@dataclass
class _Mention:
    start: int
    end: int            # end of the code
    tail_end: int       # end of date / "của X" after it
    number: str
    symbol: str
    code: str
    party: bool
    type: str | None = None
    type_rule: str | None = None
    date: str | None = None
    issuer_text: str | None = None
    issuer_rule: str | None = None
    relation: str = "refers"
    relation_explicit: bool = False
    rule_id: str = ""
    head_start: int = -1
    sentence: str = ""
    source: int = 0     # which text (0: the document, 1+: separated footnotes)
    extra: dict[str, Any] = field(default_factory=dict)


def _canonical(m: Any) -> tuple[str, str, str, bool]:
    """(number, symbol, code, party) of a code match, normalised."""
    num, ptype, porg, raw = m.group(_CODE_NUM, _CODE_PTYPE, _CODE_PORG, _CODE_SYM)   # by number (speed)
    sym, party = _canonical_symbol(f"{ptype}/{porg}" if ptype else raw, bool(ptype))
    code = f"{num}-{sym}" if party else f"{num}/{sym}"
    return num, sym, code, party


@lru_cache(maxsize=4096)
def _canonical_symbol(sym: str, party: bool) -> tuple[str, bool]:
    """(symbol, party) of a symbol as matched, normalised; remembered per symbol (a letter cites
    the same symbols again and again; speed, issue 15)."""
    if not sym.isascii() or " " in sym or "\n" in sym:
        sym = _WS_RE.sub("", sym).replace("Ð", "Đ")
    sym = _fix_typos(sym)
    sym = _strip_footnote_mark(sym)
    if not party:
        pm = _PARTY_SLASH_RE.fullmatch(sym)
        if pm and pm.group(1).upper() in _party_orgs():
            # "57/NQ/TW": a Party document written with a slash; its code is "57-NQ/TW"
            party = True
    return sym, party


_PARTY_SLASH_RE = regex.compile(r"[A-ZĐ][A-Za-zĐ]{0,4}/([A-ZĐ][A-ZĐ0-9]*)", regex.V1)
_MARK_RE = regex.compile(r"(?<=[A-Za-zĐđ])([0-9]{1,2})\Z", regex.V1)


@lru_cache(maxsize=1)
def _party_orgs() -> frozenset[str]:
    return frozenset(r["symbol"] for r in load_rules("citation_issuers.toml") if r.get("party"))


@lru_cache(maxsize=4096)
def _strip_footnote_mark(sym: str) -> str:
    """"NĐ-CP1": a footnote mark glued to the symbol ("126/2024/NĐ-CP1" in lamdong-519).
    Remembered per symbol (speed, issue 15)."""
    m = _MARK_RE.search(sym)
    if not m:
        return sym
    last = _PART_SPLIT_RE.split(sym)[-1]
    base = last[: -len(m.group(1))]
    rx = [rx for rx, _r in _rules().issuers]
    if any(r.match(base) for r in rx) and not any(r.match(last) for r in rx):
        return sym[: -len(m.group(1))]
    return sym


@lru_cache(maxsize=1)
def _typos() -> tuple[tuple[Any, str], ...]:
    return tuple((regex.compile(r["pattern"], regex.V1), r["replace"]) for r in load_rules("citation_typos.toml"))


@lru_cache(maxsize=4096)
def _fix_typos(sym: str) -> str:
    """Common misspellings of symbols: "CD-TTg" is "CĐ-TTg" (rules/citation_typos.toml)."""
    if "D-" not in sym and "Đ-" not in sym and "QH" not in sym:
        return sym  # every typo of the table sits before a hyphen or in "QH…": most symbols skip the table
    for rx, rep in _typos():
        sym = rx.sub(rep, sym)
    return sym


_SENT_BREAK_RE = regex.compile(
    r"(?:\n[ \t]*\n\s*(?=(?:[0-9]{1,2}[ \t]+)?\p{Lu})|\.(?=\s+[\p{Lu}0-9(“\"-])|[:!?](?=\s)|\n\s*(?:[-+•]|[0-9]+\.|[a-zđ]\)|[IVX]+\.)\s)", regex.V1)
_CLAUSE_BREAK_RE = regex.compile(r"(?:[;:!?]|\.(?=\s)|\n\s*(?:[-+•]|[0-9]+\.|[a-zđ]\)|[IVX]+\.)\s)", regex.V1)
_LIST_GAP_RE = regex.compile(r"\A[\s,;]*(?:và|hoặc|cùng)?[\s,]*(?:các\s+)?(?:số\s*)?\Z", regex.V1 | regex.I)
# The same without \A, tried at a position of the whole text: \A does not hold at a start
# position, \Z holds at the end position (_list_gap)
_LIST_GAP_AT_RE = regex.compile(_LIST_GAP_RE.pattern.removeprefix(r"\A"), regex.V1 | regex.I)
_LIST_ITEM_RE = regex.compile(r"(?:\A|[,;(]|\svà|\shoặc)[\s*_)]*(?:(?:các|và|cả)\s+)?(?:số\s*)?\Z", regex.V1)
# The same pattern read backwards: whether it matches anywhere (it ends at \Z) is one try from the
# end, not a try at every position of a long gap (speed, issue 15)
_LIST_ITEM_REV_RE = regex.compile(_LIST_ITEM_RE.pattern, regex.V1 | regex.REVERSE)
_LAST_SEP_RE = regex.compile(r"[,;(](?=[^,;(]*\Z)", regex.V1)
_ABOUT_RE = regex.compile(r"(?<![\p{L}])(?:về\s+việc|V/v)(?![\p{L}])", regex.V1)
_CUA_RE = regex.compile(r"[\s,]*(?:\(\s*)?của\s+", regex.V1)
_PRE_CUA_RE = regex.compile(
    r"của\s+(?P<rest>(?:(?!của\s)[^;:()]){1,80}?)\s+(?:tại|theo)\s+(?:(?:Mục|mục|Điều|điều|khoản|điểm|Phụ\s+lục)\s+[\w.]+\s+)*\Z",
    regex.V1 | regex.REVERSE)
_PRE_ISSUE_RE = regex.compile(
    r"\A(?P<rest>.{1,90}?)\s+(?:đã\s+|vừa\s+)?(?:ban\s+hành|có|gửi|ký)\s+\Z", regex.V1 | regex.S)
_LEAD_MARK_RE = regex.compile(r"\A[\s“\"]*(?:\([0-9]{1,2}\)|[-+•*]|[0-9]{1,2}\.|[a-zđ]\))?\s*", regex.V1)
_DOC_VERBS = frozenset({"amends", "replaces", "repeals", "guides"})
# verbs that describe the previous citation only when they follow it directly ("… của UBND tỉnh
# thực hiện Nghị quyết …"); after a comma they may open a new item of this letter's own list
_PLAIN_VERBS = frozenset({"implements", "continues"})
# What a document does with a cited one, strongest first, for a document cited several times.
_RELATION_ORDER = ("replaces", "repeals", "amends", "implements", "continues", "based_on", "guides", "per",
                   "responds", "refers")


# Characters that a match of _SENT_BREAK_RE or _CLAUSE_BREAK_RE may hold, besides spaces (\s):
# read off the two patterns. Every character that a try of either pattern at a position reads,
# its lookaheads' included, is one of these or a space, but for the last one it reads.
_BREAK_CHARS = frozenset(".:;!?-+•)0123456789abcdefghijklmnopqrstuvwxyzđIVX")


def _resync(text: str, a: int, lo: int) -> int:
    """The last position q <= a where no match of the break patterns can straddle q (q is lo, or
    text[q-1] is a character none of their matches holds); never below lo. A scan from q finds
    what a scan from lo finds from q on."""
    q = min(a, len(text))
    while q > lo:
        c = text[q - 1]
        if not (c.isspace() or c in _BREAK_CHARS):
            return q
        q -= 1
    return lo


def _settle(text: str, b: int, hi: int) -> int:
    """An end for a scan that must find the breaks starting before b as a scan up to hi does:
    past the first character at b or after that no match holds (a try at a position before b
    reads no further than that character), at most hi."""
    n = min(hi, len(text))
    i = b
    while i < n:
        c = text[i]
        if not (c.isspace() or c in _BREAK_CHARS):
            return i + 1
        i += 1
    return hi


class _Breaks:
    """Sentence and clause breaks of a text, looked up by bisection.

    The breaks are those of one scan of the window [lo, hi) of the text, but only the stretches
    near the codes (``near``: their spans) are scanned, each from a point where no break can
    straddle (``_resync``), so each finds the breaks of the whole scan; a lookup outside them
    scans its own stretch the same way (speed, issue 15: a third of the window is read)."""

    # Every lookup stays within this many characters of a code (the head and cue before it, the
    # tail and after-cue behind it), so only that stretch of the text is scanned.
    MARGIN = 1000
    # The stretches near a code [start, end) that the lookups of _read_before/_read_after read:
    # the head (160 before the code), the sentence (500 before the head) or clause (220); the
    # tail (at most 343 after the code) and the after-cue (220 after the tail).
    SENT_NEAR = (660, 563)
    CLAUSE_NEAR = (380, 0)

    def __init__(self, text: str, lo: int = 0, hi: int | None = None,
                 near: list[tuple[int, int]] | None = None):
        hi = len(text) if hi is None else hi
        self.text, self.lo, self.hi = text, lo, hi
        self.sent, self.sent_cov = self._scan_near(_SENT_BREAK_RE, near, self.SENT_NEAR)
        self.sent_starts = [a for a, _ in self.sent]
        self.clause, self.clause_cov = self._scan_near(_CLAUSE_BREAK_RE, near, self.CLAUSE_NEAR)
        self.clause_starts = [a for a, _ in self.clause]

    def _scan_near(self, pat: Any, near: list[tuple[int, int]] | None, pad: tuple[int, int]
                   ) -> tuple[list[tuple[int, int]], tuple[list[int], list[int]]]:
        """The breaks that start in the stretches near the codes, and those stretches (starts,
        ends): all of the window where ``near`` is None."""
        text, lo, hi = self.text, self.lo, min(self.hi, len(self.text))
        if near is None:
            return [m.span() for m in pat.finditer(text, lo, self.hi)], ([lo], [max(lo, hi)])
        cov_lo: list[int] = []
        cov_hi: list[int] = []
        for s, e in sorted(near):
            a, b = max(lo, s - pad[0]), min(hi, e + pad[1])
            if a >= b:
                continue
            if cov_hi and a <= cov_hi[-1]:   # one scan for stretches that meet
                cov_hi[-1] = max(cov_hi[-1], b)
                continue
            q = _resync(text, a, lo)
            if cov_hi and q <= cov_hi[-1]:
                cov_hi[-1] = max(cov_hi[-1], b)
            else:
                cov_lo.append(q)
                cov_hi.append(b)
        spans: list[tuple[int, int]] = []
        for q, b in zip(cov_lo, cov_hi, strict=True):
            got = [m.span() for m in pat.finditer(text, q, _settle(text, b, self.hi))]
            while got and got[-1][0] >= b:
                got.pop()
            spans += got
        return spans, (cov_lo, cov_hi)

    def _within(self, which: str, a: int, b: int) -> list[tuple[int, int]]:
        """The breaks (spans) that start in [a, b)."""
        spans, starts, (cov_lo, cov_hi) = ((self.sent, self.sent_starts, self.sent_cov) if which == "sent"
                                            else (self.clause, self.clause_starts, self.clause_cov))
        k = bisect_right(cov_lo, a) - 1
        if k >= 0 and b <= cov_hi[k]:
            return spans[bisect_left(starts, a):bisect_left(starts, b)]
        pat = _SENT_BREAK_RE if which == "sent" else _CLAUSE_BREAK_RE
        q = _resync(self.text, a, self.lo)
        return [m.span() for m in pat.finditer(self.text, q, _settle(self.text, b, self.hi))
                if a <= m.start() < b]

    def _first_sent(self, a: int) -> int | None:
        """Start of the first sentence break that starts at a or after, else None."""
        cov_lo, cov_hi = self.sent_cov
        k = bisect_right(cov_lo, a) - 1
        if k >= 0 and a < cov_hi[k]:
            i = bisect_left(self.sent_starts, a)
            if i < len(self.sent) and self.sent[i][0] < cov_hi[k]:
                return self.sent[i][0]
            a = cov_hi[k]   # none in the rest of this stretch: look on from its end
        for m in _SENT_BREAK_RE.finditer(self.text, _resync(self.text, a, self.lo), self.hi):
            if m.start() >= a:
                return m.start()
        return None

    def sentence_start(self, lo: int, hs: int) -> int:
        """End of the last sentence break that starts in [lo, hs), else lo."""
        got = self._within("sent", lo, hs)
        return min(got[-1][1], hs) if got else lo

    def has_break(self, a: int, b: int) -> bool:
        f = self._first_sent(a)
        return f is not None and f < b

    def next_break(self, a: int) -> int | None:
        return self._first_sent(a)

    def clause_start(self, lo: int, hs: int) -> int:
        """End of the last clause break inside [lo, hs], else lo."""
        for _a, e in reversed(self._within("clause", lo, hs)):
            if e <= hs:
                return e
        return lo


def _scan(text: str, R: _Rules, own_key: str | None, source: int) -> list[_Mention]:
    """Every citing mention of a code in one text, read in its neighbourhood, in text order."""
    out: list[_Mention] = []
    prev: _Mention | None = None
    state: dict[str, Any] = {}
    codes = list(_CODE_RE.finditer(text))
    if not codes:
        return out
    # groups by number (a group's name costs a lookup at every use; speed, issue 15)
    head_so, head_g = R.head_re.groupindex["so"], R.head_re.groupindex["head"]
    titled_g = R.titled_re.groupindex["head"]
    br = _Breaks(text, max(0, codes[0].start() - _Breaks.MARGIN), codes[-1].end() + _Breaks.MARGIN,
                 near=[m.span() for m in codes])
    for m in codes:
        s = m.start()
        num, sym, code, party = _canonical(m)
        ptype = m.group(_CODE_PTYPE)
        if party and ptype and ptype.upper() not in R.party_types:
            continue
        if _DANGLING_RE.match(text, m.end()):
            # "Nghị quyết 19/NQ-" in a table cell whose next line holds another column first
            rest = _column_continuation(text, s, m.end())
            if rest:
                sym = f"{sym}-{rest}"
                code = f"{num}-{sym}" if party else f"{num}/{sym}"
        if len(sym) < 2:
            continue  # "1185/S V-CCVC": letters lost in the text layer, not a symbol
        if own_key and _key(code) == own_key:
            # the document's own number (header "Số:", "ban hành kèm theo Quyết định số …" of itself)
            prev = None
            continue
        win_start = max(0, s - 160)
        before = text[win_start:s]
        if _may_exclude(before, R) and R.exclude_re.search(before):
            continue
        hm = R.head_re.search(before)
        rule = ""
        head_type = None
        head_start = s
        if hm:
            so, head = hm.group(head_so, head_g)
            so = so or ""
            if ":" in so and head.isupper():
                continue  # "GIẤY MỜI\nSố: 560/GM-UBND": the document's own header
            hr = R.head_by_fold.get(_hkey(head))
            head_type = hr["type"] if hr else None
            rule = hr["id"] if hr else "head"
            head_start = win_start + hm.start(head_g)
        else:
            tm = R.titled_re.search(before)
            if tm:
                hr = R.head_by_fold.get(_hkey(tm.group(titled_g)))
                head_type = hr["type"] if hr else None
                rule = (hr["id"] if hr else "head") + ".titled"
                head_start = win_start + tm.start(titled_g)
        cont = prev is not None and prev.source == source and _list_gap(text, prev.tail_end, s)
        if not rule:
            so_m = _SO_RE.search(before)
            if cont:
                rule = "list"
                head_type = prev.type if prev else None
                head_start = s
                if head_type and _bare_symbol(sym, party, R):
                    # "Nghị định số 104/2024/NĐ-CP …; số 1187/BTC-ĐT": a symbol without a type code
                    # or a year is a công văn's, whatever the list began with (quangngai-575-ub)
                    head_type = None
            elif so_m and so_m.group(_SO_COLON) and _line_head(text, win_start + so_m.start()):
                continue  # "Số: 45/QĐ-SNV" opening a line: the header of a letter (one enclosed, or a
                # second letter of the file), not a citation
            elif so_m and not so_m.group(_SO_COLON):
                rule = "so"
                head_start = win_start + so_m.start()
            elif _typed(sym, party, R):
                rule = "typed_symbol"
            else:
                continue
        t = head_type or None
        type_from_symbol = _type_from_symbol(sym, party, R)
        if not t:  # "văn bản số …", "số …", a bare code: the symbol's type code, else Công văn
            t = type_from_symbol or ("Công văn" if rule != "list" else None) or "Công văn"
        mt = _Mention(start=s, end=m.end(), tail_end=m.end(), number=num, symbol=sym, code=code, party=party,
                      type=t, rule_id=f"cit.{rule}", head_start=head_start, source=source)
        _read_tail(text, mt)
        _read_before(text, mt, prev, R, state, br)
        _read_after(text, mt, R, br)
        out.append(mt)
        prev = mt
    return out


_DANGLING_RE = regex.compile(r"-[ \t]*\n", regex.V1)
_CELL_PART_RE = regex.compile(rf"(?<=[ \t]{{3}})(?P<part>[{_UP}][{_UP}0-9&]+)(?=[ \t]|$)", regex.V1)
_CELL_DATE_PART_RE = regex.compile(rf"(?<=[ \t])(?P<part>[{_UP}][{_UP}0-9&]+)(?=[ \t]+ngày(?![\p{{L}}])|[ \t]*$)", regex.V1)


def _column_continuation(text: str, start: int, end: int) -> str | None:
    """The rest of a symbol cut by a hyphen at the end of a line of a table laid out as text,
    whose next line holds other cells first: "Nghị quyết 19/NQ-" over "2.1. Tổng số biên chế …
    Người   9.976     HĐND ngày" (corpus lamdong-329-bao-cao-cchc-nam-2025.txt). The rest is the
    first cell of that line that opens with a known issuer part (rules/citation_issuers.toml);
    returns it ("HĐND") or None.
    """
    nl = text.find("\n", end)
    if nl < 0:
        return None
    nxt_end = text.find("\n", nl + 1)
    line = text[nl + 1: nxt_end if nxt_end >= 0 else len(text)]
    issuers = [rx for rx, _r in _rules().issuers]
    # a cell after a column gap of the layout, or (PDF text, cells one space apart) the part
    # followed by the rest of the cell, its date
    for rx_cell in (_CELL_PART_RE, _CELL_DATE_PART_RE):
        for pm in rx_cell.finditer(line):
            part = pm.group("part")
            if any(rx.match(part) for rx in issuers):
                return part
    return None


def _line_head(text: str, i: int) -> bool:
    """Only spaces or table rules ("|") stand between the line's start and i."""
    j = text.rfind("\n", 0, i) + 1
    return not text[j:i].strip(" \t|")


_YEAR_PART_RE = regex.compile(r"(?:^|/)(?:19|20)[0-9]{2}/")


def _bare_symbol(sym: str, party: bool, R: _Rules) -> bool:
    """A symbol with no type code and no year ("BTC-ĐT", "UBND-VX"): a công văn's."""
    return not party and _type_from_symbol(sym, party, R) is None and not _YEAR_PART_RE.search(sym) \
        and not _QH_RE.fullmatch(sym.split("/")[-1].split("-")[0])


def _typed(sym: str, party: bool, R: _Rules) -> bool:
    if party:
        return True
    parts = [p for p in sym.split("/") if not p.isdigit()]
    if not parts:
        return False
    first = parts[-1].split("-")[0]
    return first.upper() in R.type_by_code and "-" in parts[-1] or bool(_QH_RE.fullmatch(first))


def _type_from_symbol(sym: str, party: bool, R: _Rules) -> str | None:
    """The document type a symbol's type code names ("QĐ-UBND" -> Quyết định), else None;
    remembered per symbol in ``R.symbol_types`` (speed, issue 15)."""
    got = R.symbol_types.get((sym, party), _UNSEEN)
    if got is _UNSEEN:
        if len(R.symbol_types) >= 8192:
            R.symbol_types.clear()
        got = R.symbol_types[(sym, party)] = _symbol_type(sym, party, R)
    return got


_UNSEEN = object()


def _symbol_type(sym: str, party: bool, R: _Rules) -> str | None:
    parts = [p for p in sym.split("/") if not p.isdigit()]
    if not parts:
        return None
    tail = parts[0] if party else parts[-1]
    first = tail.split("-")[0]
    if not party and "-" not in tail:
        if _QH_RE.fullmatch(first):
            return "Luật"
        return None
    return R.type_by_code.get(first.upper()) or None


def _read_tail(text: str, mt: _Mention) -> None:
    """Date and "của X" after the code."""
    pos = mt.end
    dm = _TAIL_DATE_RE.match(text, pos, min(len(text), pos + 60))
    if dm:
        mt.date = _date_of(dm)
        pos = dm.end()
        if text[dm.start():dm.end()].lstrip(" \t\n,").startswith("("):
            close = text.find(")", pos, pos + 3)
            if close >= 0:
                pos = close + 1
    cm = _CUA_RE.match(text, pos, min(len(text), pos + 20))
    if cm:
        name, used = parse_name(text[cm.end(): cm.end() + 200])
        if name:
            mt.issuer_text = name
            mt.issuer_rule = "cit.issuer.cua"
            pos = cm.end() + used
            if not mt.date:
                dm = _TAIL_DATE_RE.match(text, pos, min(len(text), pos + 60))
                if dm:
                    mt.date = _date_of(dm)
                    pos = dm.end()
    mt.tail_end = pos


# The words a list gap may hold (_LIST_GAP_RE), case-folded
_GAP_WORDS = ("và", "hoặc", "cùng", "các", "số")


def _list_gap(text: str, a: int, b: int) -> bool:
    r"""``_LIST_GAP_RE.match(text[a:b]) is not None`` without cutting the text out (the gap
    between two citations may be long; speed, issue 15). An empty gap is one.

    Most gaps are sentences: past the spaces, commas and semicolons that open the gap (str
    spaces are the pattern's \s and a few more) a gap stands on one of its words, in any case;
    where none stands, the pattern cannot match and is not tried."""
    if a >= b:
        return True
    i = a
    while i < b and (text[i].isspace() or text[i] in ",;"):
        i += 1
    if i < b and not text[i:i + 4].casefold().startswith(_GAP_WORDS):
        return False
    return _LIST_GAP_AT_RE.match(text, a, b) is not None


def _paren_depth(text: str, a: int, b: int) -> int:
    """Open parentheses at b, counted from a; a stray ")" (an item mark "c)") is ignored."""
    seg = text[a:b]
    if "(" not in seg:
        return 0
    if ")" not in seg:
        return seg.count("(")   # nothing closes: every "(" is open (speed, issue 15)
    depth = 0
    for m in _PAREN_RE.finditer(text, a, b):
        if m.group() == "(":
            depth += 1
        elif depth:
            depth -= 1
    return depth


def _cue_before(text: str, lo: int, hs: int, R: _Rules, after_prev: bool = False) -> dict[str, Any] | None:
    """The nearest relation cue in text[lo:hs] within its rule's gap of the head at hs.

    after_prev: text[lo:hs] follows another citation of the clause, whose description ("về việc
    … thực hiện …", "quy định chi tiết … thi hành Luật …,") holds no cue for this one. A cue
    counts there only where it opens a list item (right after a comma: ", căn cứ Luật …, Nghị
    định số …"; ", thay thế Nghị định số …") or stands in the last item, not after "về việc".
    """
    found = None
    for cm in _cue_matches(text, lo, hs, R):
        i = cm.lastgroup
        rule = R.cues[int(i[1:])]
        if rule["relation"] == "skip":
            continue
        if after_prev and rule["relation"] != "inherit":
            sep = _LAST_SEP_RE.search(text, lo, cm.start())
            opens_item = sep is not None and not text[sep.end():cm.start()].strip()
            last = _LAST_SEP_RE.search(text, cm.end(), hs) is None
            seg_start = sep.end() if sep is not None else lo
            about = _ABOUT_RE.search(text, seg_start, cm.start())
            if not opens_item and (not last or about is not None):
                continue
        if hs - cm.end() <= int(rule.get("gap", 80)):
            found = rule
    return found


def _read_before(text: str, mt: _Mention, prev: _Mention | None, R: _Rules, state: dict[str, Any],
                 br: _Breaks | None = None) -> None:
    """Relation from the cue words before the head; issuer/date written before it.

    A list shares its cue: "thực hiện theo Kết luận số 174-KL/TW …, Kết luận số 177-KL/TW …;
    Hướng dẫn số 31-HD/BTCTW …" are all per. A document verb after another citation in the same
    clause ("Nghị định số 33/2012 … sửa đổi, bổ sung … Nghị định số 45/2010") describes that
    citation, not this letter. A citation in parentheses does not change the list's cue.
    """
    br = br or _Breaks(text)
    hs = mt.head_start
    lo = max(0, hs - 500)
    sent_lo = br.sentence_start(lo, hs)
    same = prev if prev is not None and prev.source == mt.source else None
    sprev = same if same is not None and same.tail_end <= hs else None
    if same is None or br.has_break(min(same.tail_end, hs), hs):
        state.clear()
    clause_lo = br.clause_start(max(sent_lo, hs - 220), hs)
    prev_in_clause = sprev is not None and sprev.tail_end >= clause_lo
    cue_lo = sprev.tail_end if prev_in_clause and sprev is not None else clause_lo
    rule = _cue_before(text, cue_lo, hs, R, after_prev=prev_in_clause)
    in_paren = _paren_depth(text, sent_lo, hs) > 0
    in_list = (sprev is not None and sprev.tail_end >= sent_lo
               and _LIST_ITEM_REV_RE.match(text[sprev.tail_end:hs]) is not None)
    if rule is not None and rule["relation"] == "inherit":
        if sprev is not None:
            mt.relation, mt.extra["weak"] = sprev.relation, sprev.extra.get("weak", False)
        mt.extra["relation_rule"] = rule["id"]
    elif rule is not None and prev_in_clause and (rule["relation"] in _DOC_VERBS or (
            rule["relation"] in _PLAIN_VERBS and sprev is not None and _verb_right_after(text, sprev.tail_end, hs, rule, R))):
        # "Nghị định số 126 …, thay thế Nghị định số 45 … và Nghị định số 33 …": the verb is the
        # previous citation's; what it acts on (and the rest of that list) is only referred to
        mt.extra["relation_rule"] = "verb_of_previous"
        if not in_paren:
            state["rel"] = ("refers", False, "verb_of_previous")
    elif rule is not None:
        mt.relation, mt.extra["weak"] = rule["relation"], bool(rule.get("weak"))
        mt.extra["relation_rule"] = rule["id"]
        if not in_paren:
            state["rel"] = (mt.relation, mt.extra["weak"], rule["id"])
    elif in_list and sprev is not None:
        rel, weak, rid = state.get("rel") or (sprev.relation, sprev.extra.get("weak", False), "inherit")
        mt.relation, mt.extra["weak"], mt.extra["relation_rule"] = rel, weak, rid
    # issuer named before: "ý kiến chỉ đạo của Chủ tịch UBND tỉnh tại Thông báo kết luận số 54"
    if not mt.issuer_text and _may_cua_before(text, clause_lo, hs):
        pm = _PRE_CUA_RE.search(text, clause_lo, hs)
        if pm:
            rest = pm.group("rest")
            name, used = parse_name(rest)
            if name and used >= len(rest.rstrip()) - 1:
                mt.issuer_text = name
                mt.issuer_rule = "cit.issuer.cua_tai"
    # "(1) Hội Cựu giáo chức tỉnh có Văn bản số 16/CGC.BT ngày 19/8/2024"
    if not mt.issuer_text:
        seg = text[clause_lo:hs]
        # _pre_issue needs a space at the end and one of its verbs, which taking a list mark off
        # the start cannot give: where they are missing, the mark is not taken off (speed)
        if seg[-1:].isspace() and any(w in seg for w in _ISSUE_VERB_WORDS):
            im = _pre_issue(_LEAD_MARK_RE.sub("", seg, count=1))
        else:
            im = None
        if im:
            name, used = parse_name(im.group("rest"))
            if name and used >= len(im.group("rest").rstrip()) - 1:
                mt.issuer_text = name
                mt.issuer_rule = "cit.issuer.subject"
    # "Ngày 01/10/2025, Sở Nội vụ đã ban hành Công văn số 1843/SNV-TCBC"
    if (not mt.date or not mt.issuer_text) and _may_date_before(text, max(0, hs - 170), hs):
        dm = _PRE_DATE_RE.search(text, max(0, hs - 170), hs)
        if dm:
            rest = dm.group("rest")
            im = _pre_issue(rest)
            if im or not rest.strip():
                if not mt.date:
                    mt.date = _date_of(dm)
                if im and not mt.issuer_text:
                    name, used = parse_name(im.group("rest"))
                    if name and used >= len(im.group("rest").rstrip()) - 1:
                        mt.issuer_text = name
                        mt.issuer_rule = "cit.issuer.ban_hanh"


# The words _PRE_ISSUE_RE ends on (case as written): a text holding none cannot match it.
_ISSUE_VERB_WORDS = ("hành", "có", "gửi", "ký")


def _pre_issue(s: str) -> Any:
    r"""``_PRE_ISSUE_RE.match(s)``, tried only where s ends with a space (its \s+\Z; every \s
    is a space to str.isspace) and holds one of its verbs."""
    if not s[-1:].isspace() or not any(w in s for w in _ISSUE_VERB_WORDS):
        return None
    return _PRE_ISSUE_RE.match(s)


def _may_cua_before(text: str, a: int, b: int) -> bool:
    """Whether _PRE_CUA_RE may match in text[a:b]: its one literal, "của", stands there."""
    return text.find("của", a, b) >= 0


def _may_date_before(text: str, a: int, b: int) -> bool:
    """Whether _PRE_DATE_RE may match in text[a:b]: it needs "ngày" (case aside: no other
    character folds to n, g, à or y, so lower() finds every spelling) and a comma after the date."""
    return text.find(",", a, b) >= 0 and "ngày" in text[a:b].lower()


def _verb_right_after(text: str, a: int, hs: int, rule: dict[str, Any], R: _Rules) -> bool:
    """The cue opens the text right after the previous citation, with no comma between: "Kế hoạch
    số 677/KH-UBND ngày 25/02/2025 của UBND tỉnh thực hiện Nghị quyết số 03/NQ-CP" tells what the
    plan does, not what this letter does (corpus lamdong-329-bao-cao-cchc-nam-2025.txt)."""
    while a < hs and text[a].isspace():
        a += 1
    cm = R.cue_re.match(text, a, hs)
    return cm is not None and R.cues[int(cm.lastgroup[1:])] is rule


def _read_after(text: str, mt: _Mention, R: _Rules, br: _Breaks | None = None) -> None:
    """A cue after the citation in its sentence: "Quyết định số 04/2019/QĐ-TTg … hết hiệu lực"."""
    end = min(len(text), mt.tail_end + 220)
    pm = _post_search(text, mt.tail_end, end, R)
    if pm is None:
        return
    nb = (br or _Breaks(text)).next_break(mt.tail_end)
    if nb is not None and nb < end:
        end = nb
    cb = _CODE_RE.search(text, mt.tail_end, end)
    if cb:
        end = cb.start()
    pm = _post_search(text, mt.tail_end, end, R)
    if pm:
        i = pm.lastgroup
        mt.extra["post"] = R.post[int(i[1:])]["relation"]
        mt.extra["post_rule"] = R.post[int(i[1:])]["id"]


def _sentence(text: str, a: int, b: int) -> str:
    lo = max(0, a - 200)
    mm = _SENT_END_REV_RE.search(text, lo, a)   # the last sentence end before the citation, found backwards
    s = mm.end() if mm else lo
    e = text.find(".", b)
    e2 = text.find(";", b)
    cands = [x for x in (e, e2) if x >= 0]
    e = min(cands) + 1 if cands else len(text)
    e = min(e, b + 300)
    return _squash(text[s:e])


def _share_list_issuers(ms: list[_Mention], texts: list[str]) -> None:
    """Codes of one list with the same issuer part share the "của X" written once at its end
    ("Kết luận số 174-KL/TW ngày 4/7/2025, Kết luận số 177-KL/TW, ngày 11/7/2025; Kết luận số
    178-KL/TW ngày 17/7/2025 của Bộ Chính trị"). One pass from the end of the list."""
    carry: tuple[str, str | None, str] | None = None   # (org part, issuer_text, rule) of the next item
    for i in range(len(ms) - 1, -1, -1):
        mt = ms[i]
        nxt = ms[i + 1] if i + 1 < len(ms) else None
        joined = (nxt is not None and nxt.source == mt.source
                  and _list_gap(texts[mt.source], mt.tail_end, nxt.head_start))
        org = _org_part(mt)
        if not joined or carry is None or carry[0] != org:
            carry = None
        if mt.issuer_text:
            carry = (org, mt.issuer_text, "cit.issuer.list")
        elif carry is not None and carry[1]:
            mt.issuer_text, mt.issuer_rule = carry[1], carry[2]
        else:
            carry = (org, None, "")


def _org_part(mt: _Mention) -> str:
    return mt.symbol.split("/")[-1].split("-")[-1] if mt.party else mt.symbol.split("-", 1)[-1]


_BARE_NUM_RE = regex.compile(r"(?<![0-9/.,-])([0-9]{1,6})(?![0-9])(?!\s*[/-]\s*[0-9A-ZĐ])")
# "(Công văn) nêu trên / dẫn trên / trên / đã nêu": patterns that open with a literal are found by a
# fast scan; the space before and the word before "trên" are checked after (a third of the time
# of one alternation with a lookbehind on the corpus)
_TREN_RE = regex.compile(r"trên(?![\p{L}])", regex.V1)
_DA_NEU_RE = regex.compile(r"đã\s+nêu(?![\p{L}])", regex.V1)
_NEU_BEFORE_RE = regex.compile(r"(?<=\s)(?:nêu|dẫn)\s+\Z", regex.V1)


@lru_cache(maxsize=1)
def _head_end_re() -> Any:
    spell = [h for r in load_rules("citation_heads.toml") for h in r["head"]]
    alts = "|".join(_ws(h) for h in sorted(spell, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}])(?P<head>{alts})\s+(?:số\s*)?\Z", regex.V1 | regex.I | regex.REVERSE)


def _backrefs(text: str, ms: list[_Mention], R: _Rules) -> list[tuple[_Mention, str, bool]]:
    """Short back-references to an earlier citation: "Quyết định số 1879" (no symbol), "Công văn
    nêu trên", "văn bản nêu trên". Returns (antecedent, relation, weak) for each.

    Anchored on what is cheap to find (the numbers this document cites, "nêu trên"), then the
    head word before it is checked, so the pass stays fast on long texts.
    """
    out: list[tuple[_Mention, str, bool]] = []
    if not ms:
        return out
    # A number refers back only where the same number is cited before it, so the numbers are
    # read from the first citation on, and a number where it is first cited is passed over (its
    # antecedent must start before its head; speed, issue 15). ``first``: each number cited
    # (leading zeros aside) -> where it is first cited.
    first: dict[str, int] = {}
    for x in ms:
        n = x.number.lstrip("0") or "0"
        first[n] = min(first.get(n, x.start), x.start)
    lo = ms[0].start
    hits: list[tuple[int, int, str | None]] = []
    for m in _BARE_NUM_RE.finditer(text, lo):
        n = m.group(1)
        if n[0] == "0":
            n = n.lstrip("0") or "0"
        f = first.get(n)
        if f is not None and f < m.start():
            hits.append((m.start(), m.end(), n))
    for m in _TREN_RE.finditer(text, lo):
        a = m.start()
        if not text[a - 1].isspace():
            continue
        pm = _NEU_BEFORE_RE.search(text, max(0, a - 12), a)   # "nêu trên", "dẫn trên"
        hits.append((pm.start() if pm else a, m.end(), None))
    hits += [(m.start(), m.end(), None) for m in _DA_NEU_RE.finditer(text, lo) if text[m.start() - 1].isspace()]
    head_end = _head_end_re()
    head_g = head_end.groupindex["head"]   # by number (speed)
    starts = [x.start for x in ms]
    by_num: dict[tuple[str, str | None], list[_Mention]] = {}
    by_type: dict[str, list[_Mention]] = {}
    for x in ms:
        n = x.number.lstrip("0") or "0"
        by_num.setdefault((n, x.type), []).append(x)
        by_num.setdefault((n, None), []).append(x)
        if x.type:
            by_type.setdefault(x.type, []).append(x)
    for start, _end, num in sorted(hits):
        hm = head_end.search(text, max(0, start - 40), start)
        if not hm:
            continue
        hstart = hm.start(head_g)
        k = bisect_left(starts, hstart)
        if k < len(ms) and ms[k].head_start <= hstart < ms[k].end:
            continue  # the head of a full citation
        hr = R.head_by_fold.get(_hkey(hm.group(head_g)))
        if not hr:
            continue
        t = hr["type"]
        if num is not None:
            cands = by_num.get((num, t or None), []) if t else by_num.get((num, None), [])
        elif t:  # "văn bản nêu trên" may point at anything (a draft, an attachment): not linked
            cands = by_type.get(t, [])
        else:
            cands = []
        j = bisect_left([x.start for x in cands], hstart) - 1 if cands else -1
        if j < 0:
            continue
        ant = cands[j]
        rule = _cue_before(text, max(0, hstart - 200), hstart, R)
        if rule is not None and rule["relation"] in ("inherit", "skip"):
            rule = None
        out.append((ant, rule["relation"] if rule else "refers", bool(rule and rule.get("weak"))))
    return out


@lru_cache(maxsize=8192)
def _key(code: str) -> str:
    """Comparison key of a code: "280/CĐ-TTg" and "280/CD-TTg" are one."""
    return _KEY_RE.sub(" ", code.translate(_KEY_TRANS).lower()).strip()


def extract_citations(seg: Segments, header: Header) -> list[Citation]:
    """Every distinct document the text cites with a number, never the document itself.

    Args: the document's segments (the whole text and separated footnotes are read) and its
    header (own code, issuer and place resolve "UBND tỉnh" and exclude the document itself).
    Returns one Citation per cited code, in order of first mention.

    >>> from pipeline.models import Segments, Header
    >>> [c.code for c in extract_citations(Segments(text="Thực hiện Công văn số 1313/UBND-NC ngày 14/3/2024"), Header())]
    ['1313/UBND-NC']
    """
    R = _rules()
    text = seg.text or seg.body or ""
    ctx = build_context(text, header)
    own_key = _key(ctx.own_code) if ctx.own_code else None
    texts = [text]
    for fn in seg.footnotes:
        if fn.text and fn.text not in text:
            texts.append(fn.text)
    mentions: list[_Mention] = []
    for i, t in enumerate(texts):
        ms = _scan(t, R, own_key, i)
        _share_list_issuers(ms, texts)
        mentions += ms
    return _merge(mentions, texts, ctx, R)


def _merge(mentions: list[_Mention], texts: list[str], ctx: Context, R: _Rules) -> list[Citation]:
    groups: dict[str, list[_Mention]] = {}
    for mt in mentions:
        groups.setdefault(_key(mt.code), []).append(mt)
    _merge_yearless(groups)
    back: dict[str, list[_Mention]] = {}
    for i, t in enumerate(texts):
        for ant, rel, weak in _backrefs(t, [m for m in mentions if m.source == i], R):
            ghost = _Mention(start=-1, end=-1, tail_end=-1, number=ant.number, symbol=ant.symbol, code=ant.code,
                             party=ant.party, relation=rel, rule_id="cit.backref", source=i)
            ghost.extra["weak"] = weak
            back.setdefault(_key(ant.code), []).append(ghost)
    out: list[Citation] = []
    for key, ms in groups.items():
        first = ms[0]
        date = next((m.date for m in ms if m.date), None)
        itext = next((m.issuer_text for m in ms if m.issuer_text), None)
        irule = next((m.issuer_rule for m in ms if m.issuer_text), None)
        issuer = resolve_issuer(itext, ctx) if itext else None
        if issuer and _GENERIC_BODY_RE.fullmatch(issuer):
            # "của Ủy ban nhân dân", "của Bộ": a body named by its kind only; the symbol says which
            sym_issuer, sym_rule = issuer_from_symbol(first.symbol, ctx)
            if sym_issuer:
                issuer, irule = sym_issuer, sym_rule
        if issuer and _fold(issuer) in R.national_by_fold:
            # "Chính phú" (a scan's misreading): the one national body whose name it folds to
            issuer = R.national_by_fold[_fold(issuer)]
        if not issuer:
            issuer, irule2 = issuer_from_symbol(first.symbol, ctx)
            irule = irule2 if issuer else irule
        refs = back.get(key, [])
        rel, rel_rule = _relation(ms + refs)
        if rel == "per" and issuer and ctx.header is not None and _is_recipient(issuer, ctx.header):
            # "Kính gửi: Ban Thường trực Ủy ban MTTQ tỉnh … Trên cơ sở đề nghị của Ban Thường trực …
            # tại Công văn số 477/MTTQ-BTT": acting on the addressee's own request answers it
            # (lamdong-ubnd-co-y-kien-doi-voi-dieu-le-hoi)
            rel, rel_rule = "responds", "cue.per+recipient"
        typ = next((m.type for m in ms if m.rule_id.startswith("cit.head")), None) or first.type
        spans = tuple([_span(a, b) for a, b in sorted([(m.start, m.end) for m in ms if m.source == 0], key=_first)])
        sentence = _sentence(texts[first.source], first.head_start, first.tail_end)
        out.append(_citation(typ, first.number, first.symbol, first.code, date, issuer, itext, rel,
                             len(ms) + len(refs), spans, _rule_trail(first.rule_id, rel_rule, irule), sentence))
    return _share_body_issuers(out, R)


_new = object.__new__
_first = itemgetter(0)


def _span(start: int, end: int) -> Span:
    """``Span(start, end)``, its ``__dict__`` filled at once: a frozen dataclass sets each field
    through object.__setattr__ (speed, issue 15; tests/test_citations_speed4.py)."""
    span = _new(Span)
    fields = span.__dict__
    fields["start"] = start
    fields["end"] = end
    return span


def _citation(type: str | None, number: str | None, symbol: str | None, code: str, date: str | None,
              issuer: str | None, issuer_text: str | None, relation: str, mentions: int,
              spans: tuple[Span, ...], rule_id: str | None, sentence: str | None) -> Citation:
    """``Citation(...)`` with these fields (``appendix`` None), its ``__dict__`` filled at once as
    _span's (speed, issue 15; tests/test_citations_speed4.py)."""
    c = _new(Citation)
    fields = c.__dict__
    fields["type"] = type
    fields["number"] = number
    fields["symbol"] = symbol
    fields["code"] = code
    fields["date"] = date
    fields["issuer"] = issuer
    fields["issuer_text"] = issuer_text
    fields["relation"] = relation
    fields["mentions"] = mentions
    fields["spans"] = spans
    fields["rule_id"] = rule_id
    fields["sentence"] = sentence
    fields["appendix"] = None
    return c


def _share_body_issuers(cs: list[Citation], R: _Rules) -> list[Citation]:
    """A symbol no rule knows gets the issuer that the letter names for another code of the same
    body part: "Tờ trình số 34/TTr-ĐLS … của Đoàn Luật sư tỉnh Lâm Đồng" then "Tờ trình số
    220/TTr-ĐLS" (corpus lamdong-to-trinh-sap-nhap-doan-ls.txt)."""
    known: dict[str, str] = {}
    for c in cs:
        if c.issuer and c.issuer_text and c.symbol:
            part = _body_part(c.symbol, R)
            if part:
                known.setdefault(part, c.issuer)
    if not known:
        return cs
    out = []
    for c in cs:
        part = _body_part(c.symbol, R) if c.symbol and not c.issuer else None
        if part and part in known:
            c = replace(c, issuer=known[part], rule_id=f"{c.rule_id}+iss.same_body")
        out.append(c)
    return out


_fold = lru_cache(maxsize=4096)(fold)   # issuers repeat: resolve.fold once per distinct name
_GENERIC_BODY_RE = regex.compile(
    r"(?:Ủy|Uỷ)\s+ban\s+nhân\s+dân|Hội\s+đồng\s+nhân\s+dân|UBND|HĐND|Bộ|Sở|Ban|Cục|Chi\s+cục|Tỉnh\s+ủy|Huyện\s+ủy",
    regex.V1)
_KEY_YEAR_RE = regex.compile(r" (?:19|20)[0-9]{2}(?= )")
_YEARLY_KINDS = frozenset({"nd", "tt", "ttlt"})   # type codes in _key form ("126 nd cp")


def _merge_yearless(groups: dict[str, list[_Mention]]) -> None:
    """"Nghị định số 126/NĐ-CP" in a letter that cites "126/2024/NĐ-CP": the year left out, one
    document; its mentions join the full code's (in place; a code that two full codes fit stays).
    Only for kinds that always carry a year (decrees, circulars; Decree 30/2020 Art. 15): a
    "12/QĐ-UBND" and a "12/2024/QĐ-UBND" are two decisions. Dates that differ keep them apart."""
    full: dict[str, list[str]] = {}
    for key in groups:
        short = _KEY_YEAR_RE.sub("", key, count=1)
        if short != key:
            full.setdefault(short, []).append(key)
    for key in [k for k in groups if k in full and len(full[k]) == 1]:
        parts = key.split()
        if len(parts) < 2 or parts[1] not in _YEARLY_KINDS:
            continue
        target = full[key][0]
        d1 = {m.date for m in groups[key] if m.date}
        d2 = {m.date for m in groups[target] if m.date}
        if d1 and d2 and not d1 & d2:
            continue
        groups[target] += groups.pop(key)


def _is_recipient(issuer: str, header: Header) -> bool:
    """The cited document's issuer is an addressee of this letter (locality and title aside)."""
    target = _recipient_key(issuer)
    return bool(target) and any(_recipient_key(r) == target for r in header.recipients if r)


@lru_cache(maxsize=4096)
def _recipient_key(name: str) -> str:
    """A body's name with its holder's title and locality off, folded (_is_recipient).
    Remembered per name: addressees and issuers recur (speed, issue 15)."""
    k = _TITLE_RE.sub("", _fold(expand_abbreviations(name)))
    return _FOLD_PLACE_RE.sub("", k).strip()


_FOLD_PLACE_RE = regex.compile(r"\s+(?:tinh|thanh pho|huyen)(?:\s+\S+){0,3}$")


def _rule_trail(found: str, relation: str | None, issuer: str | None) -> str:
    """The rules behind a citation, in one string: how it was found, its relation, its issuer.

    >>> _rule_trail("cit.head.quyet_dinh", "cue.per", "iss.ttg")
    'cit.head.quyet_dinh+cue.per+iss.ttg'
    """
    return "+".join([x for x in (found, relation, issuer) if x and x != "inherit"])


def _relation(ms: list[_Mention]) -> tuple[str, str | None]:
    """One relation for a document cited several times, and the cue rule that gave it.

    A reply ("trả lời", "phúc đáp") is a reply wherever it is said; a cue after the citation
    ("… hết hiệu lực") next; else the strongest cue of any mention (_RELATION_ORDER), a mere
    "nhận được" counting only where nothing else is said of the document.
    """
    for m in ms:
        if m.relation == "responds" and not m.extra.get("weak"):
            return "responds", m.extra.get("relation_rule")
    for m in ms:
        if m.extra.get("post"):
            return str(m.extra["post"]), m.extra.get("post_rule")
    for r in _RELATION_ORDER:
        for m in ms:
            if m.relation == r:
                return r, m.extra.get("relation_rule")
    return "refers", None


# ---- graph identity ------------------------------------------------------------------------------
_TITLE_RE = regex.compile(r"^(chu tich|pho chu tich|thu truong|giam doc|bo truong|truong ban)\s+")


def citation_key(citation_or_code: Citation | str, issuer: str | None = None, date: str | None = None) -> str:
    """Identity of a document in the citation graph: code + issuing institution + year.

    The institution drops an office holder's title ("Chủ tịch UBND tỉnh X" and "UBND tỉnh X"
    are one institution); abbreviations are expanded. An unknown issuer or year leaves its
    slot empty, so a stub can later be matched to the real document.

    >>> citation_key("1313/UBND-NC", "UBND tỉnh Quảng Ngãi", "2024-03-14")
    '1313/ubnd-nc|uy ban nhan dan tinh quang ngai|2024'
    """
    if isinstance(citation_or_code, Citation):
        code = citation_or_code.code
        issuer = issuer if issuer is not None else citation_or_code.issuer
        date = date if date is not None else citation_or_code.date
    else:
        code = citation_or_code
    inst = _TITLE_RE.sub("", fold(expand_abbreviations(issuer or "")))
    year = (date or "")[:4]
    if not year:
        ym = regex.search(r"/((?:19|20)[0-9]{2})/", code or "")
        year = ym.group(1) if ym else ""
    c = regex.sub(r"\s+", "", (code or "").lower()).replace("đ", "d").replace("ð", "d")
    return f"{c}|{inst}|{year}"


# ---- speed ----------------------------------------------------------------------------------------
def bench(texts: Iterable[str], clock: Any = time.process_time) -> float:
    """MB of text per second that extract_citations reads on one core (UTF-8 bytes).

    The default clock is the process's CPU time: the work of one core, not what other jobs on a
    loaded machine take of it; pass ``time.perf_counter`` for wall-clock time.
    """
    items = list(texts)
    size = sum(len(t.encode("utf-8")) for t in items)
    _rules()
    t0 = clock()
    for t in items:
        extract_citations(Segments(text=t, body=t), Header())
    dt = clock() - t0
    return size / 1e6 / dt if dt > 0 else float("inf")
