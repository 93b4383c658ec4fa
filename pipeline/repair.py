"""Words that lost their first capital: repaired against the names the rules know.

Some PDFs embed subset fonts in which some capitals have no Unicode mapping; their text layer (and
a .txt made from it) drops those letters wherever they stand: "V/v tổ chức Đại hội của iệp hội
oanh nghiệp tỉnh" for "… của Hiệp hội Doanh nghiệp tỉnh", "Sở ài chính" for "Sở Tài chính"
(lamdong-cv-1925-signed-signed.pdf). Nothing in the text says which letter is missing, so a word is
repaired only where the stretch it stands in is exactly a known name with word-initial capitals
dropped (rules/glyph_names.toml: its own names and those of other rule files), and at least one of
the damaged words reads as no Vietnamese syllable on its own (rules/glyph_syllables.toml): "oanh"
is a word, "iệp" is none. A clean letter has no such stretch, so the repair never fires there
(tests/test_repair.py runs it over every corpus letter).

>>> repair_dropped_capitals("Tổ chức Đại hội của iệp hội oanh nghiệp tỉnh").text
'Tổ chức Đại hội của Hiệp hội Doanh nghiệp tỉnh'
>>> repair_dropped_capitals("Tổ chức Đại hội của Hiệp hội Doanh nghiệp tỉnh").repairs
()
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from typing import Any

from pipeline.rules import load_rules, load_table

NAMES_FILE = "glyph_names.toml"
SYLLABLES_FILE = "glyph_syllables.toml"

# The two ways of placing a tone mark on "oa", "oe", "uy" (hòa/hoà, thủy/thuỷ): one key for both.
_OLD_STYLE = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé", "ỏe": "oẻ",
              "õe": "oẽ", "ọe": "oẹ", "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}
_OLD_STYLE_RE = re.compile("|".join(_OLD_STYLE))
_WORD = re.compile(r"[^\W\d_]+")
# what may stand between two words of a name: spaces and line breaks, a comma or a hyphen between them
_GAP = re.compile(r"\s*[,-]?\s+|\s+")


@dataclass(frozen=True)
class Repair:
    """One repaired stretch: text[start:end] was ``damaged`` and becomes ``repaired``."""

    start: int
    end: int
    damaged: str
    repaired: str
    rule_id: str


@dataclass(frozen=True)
class Repaired:
    """A text with its repairs (offsets into the text as given)."""

    text: str
    repairs: tuple[Repair, ...] = ()


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    """A word's lookup form: NFC, lower case, tone marks placed the old way (hòa and hoà alike).
    Remembered: the words of headers and subjects repeat from letter to letter (speed, issue 15)."""
    w = unicodedata.normalize("NFC", word).lower()
    return _OLD_STYLE_RE.sub(lambda m: _OLD_STYLE[m.group(0)], w)


@cache
def syllables() -> frozenset[str]:
    """The Vietnamese syllables in use (rules/glyph_syllables.toml), in ``_key`` form."""
    return frozenset(_key(w) for w in load_table(SYLLABLES_FILE)["syllables"].split())


def reads_as_syllable(word: str) -> bool:
    """True where word (any case) is a Vietnamese syllable in use.

    >>> reads_as_syllable("oanh"), reads_as_syllable("iệp"), reads_as_syllable("Hiệp")
    (True, False, True)
    """
    return _key(word) in syllables()


def _values(entry: dict[str, Any], field: str) -> list[str]:
    v = entry.get(field)
    if isinstance(v, str):
        return [v]
    if isinstance(v, list):
        return [x for x in v if isinstance(x, str)]
    return []


@cache
def known_names() -> tuple[tuple[str, str], ...]:
    """(name, rule id) of every name a repair may restore: rules/glyph_names.toml's own and those
    of the rule files it lists under ``sources``."""
    out: dict[str, str] = {}
    for entry in load_rules(NAMES_FILE):
        for n in _values(entry, "names"):
            out.setdefault(n, entry["id"])
    for file, field in load_table(NAMES_FILE).get("sources", []):
        for entry in load_rules(file):
            for n in _values(entry, field):
                out.setdefault(n, f"{file.removesuffix('.toml')}.{entry['id']}")
    return tuple(out.items())


@cache
def _damaged_index() -> tuple[dict[tuple[str, ...], list[tuple[tuple[str, ...], tuple[int, ...], str]]],
                              tuple[int, ...]]:
    """Every damaged form of every known name: the word keys with some capitals dropped ->
    [(the name's words, the positions dropped, rule id)]; and the name lengths in words."""
    index: dict[tuple[str, ...], list[tuple[tuple[str, ...], tuple[int, ...], str]]] = {}
    for name, rid in known_names():
        words = tuple(_WORD.findall(name))
        if len(words) < 2:
            continue  # one word alone is too little to say which letter went missing
        caps = [i for i, w in enumerate(words) if w[0].isupper() and len(w) > 1]
        for drop in product((False, True), repeat=len(caps)):
            dropped = tuple(i for i, d in zip(caps, drop, strict=True) if d)
            if not dropped:
                continue
            key = tuple(_key(w[1:] if i in dropped else w) for i, w in enumerate(words))
            index.setdefault(key, []).append((words, dropped, rid))
    return index, tuple(sorted({len(k) for k in index}, reverse=True))


@cache
def _damaged_firsts() -> frozenset[str]:
    """The first word keys of every damaged form (``_damaged_index``)."""
    return frozenset(k[0] for k in _damaged_index()[0])


def repair_dropped_capitals(text: str) -> Repaired:
    """text with each stretch that is a known name missing word-initial capitals restored.

    A stretch is repaired only where each damaged word starts lower case, at least one of them
    reads as no Vietnamese syllable on its own, and every name it could be restores the same
    letters. Offsets of the repairs are into ``text``.

    >>> r = repair_dropped_capitals("Kính gửi: Sở ội vụ")
    >>> r.text, r.repairs[0].rule_id
    ('Kính gửi: Sở Nội vụ', 'glyph.provincial-departments')
    """
    if not text:
        return Repaired(text)
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    if all(w[0].isupper() or reads_as_syllable(w) for _s, _e, w in words):
        return Repaired(text)  # no word that could have lost its capital: the names need not be indexed
    index, lengths = _damaged_index()
    firsts = _damaged_firsts()
    keys = [_key(w) for _s, _e, w in words]
    repairs: list[Repair] = []
    i = 0
    while i < len(words):
        found = None
        if keys[i] not in firsts:
            i += 1   # no damaged name starts with this word: no window from here is in the index
            continue
        for n in lengths:
            if i + n > len(words):
                continue
            # the index first (a lookup), then the gaps between the words (a pattern each)
            hits = index.get(tuple(keys[i:i + n]))
            if not hits:
                continue
            window = words[i:i + n]
            if any(not _GAP.fullmatch(text, a[1], b[0]) for a, b in zip(window, window[1:], strict=False)):
                continue
            restored = set()
            for name_words, dropped, rid in hits:
                if all(window[j][2][0].islower() for j in dropped) and \
                        any(not reads_as_syllable(window[j][2]) for j in dropped):
                    restored.add((tuple(name_words[j][0] if j in dropped else "" for j in range(n)), rid))
            letters = {r[0] for r in restored}
            if len(letters) == 1:  # one reading only: several names that disagree leave it alone
                adds = next(iter(letters))
                rid = min(r[1] for r in restored)
                start, end = window[0][0], window[-1][1]
                out, at = [], start
                for (s, _e, _w), add in zip(window, adds, strict=True):
                    out.append(text[at:s] + add)
                    at = s
                out.append(text[at:end])
                found = Repair(start, end, text[start:end], "".join(out), rid)
                i += n
                break
        if found:
            repairs.append(found)
        else:
            i += 1
    if not repairs:
        return Repaired(text)
    parts, at = [], 0
    for r in repairs:
        parts += [text[at:r.start], r.repaired]
        at = r.end
    parts.append(text[at:])
    return Repaired("".join(parts), tuple(repairs))


_ROMAN = re.compile(r"[IVXLC]+")


def _bare(word: str) -> str:
    """A word without any mark, lower case: "quốc", "quôc" and "quoc" alike."""
    w = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in w if not unicodedata.combining(c)).lower()


@cache
def _bare_syllables() -> frozenset[str]:
    return frozenset(_bare(w) for w in syllables())


def unconfirmed_words(text: str, is_code: Any = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of an OCR reading that do not read as Vietnamese: (garbled, doubtful).

    garbled: words whose letters, marks aside, are no syllable in use ("ửi" of "8ửi", "nghỉệp1"):
    OCR made them up. doubtful: words that are a syllable only with other marks ("quôc" for
    "quốc": a person still reads it) and capitals that are no syllable, no Roman numeral and not
    known to ``is_code`` (a predicate on a word, e.g. the document-type and body codes of the
    rules): "ITNIN" where the page says "TNDN" (tw-1776153109-2191-ct-cs.pdf).

    >>> unconfirmed_words("Chính sách thuê ITNIN lần thứ V")
    ((), ('ITNIN',))
    >>> unconfirmed_words("Triên khai chương trình quôc gia Kính 8ửix")
    (('ửix',), ('Triên', 'quôc'))
    """
    garbled: list[str] = []
    doubtful: list[str] = []
    for w in _WORD.findall(text):
        if len(w) == 1 or reads_as_syllable(w):
            continue
        if w.isupper() and len(w) > 1 and _bare(w) not in _bare_syllables():
            if not _ROMAN.fullmatch(w) and not (is_code and is_code(w)):
                doubtful.append(w)
        elif _bare(w) in _bare_syllables():
            doubtful.append(w)
        else:
            garbled.append(w)
    return tuple(garbled), tuple(doubtful)
