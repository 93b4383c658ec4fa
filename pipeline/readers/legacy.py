"""Legacy Vietnamese 8-bit font encodings (TCVN3/ABC, VNI Windows) to Unicode.

Before Unicode (Decree 30/2020 requires TCVN 6909:2001, i.e. Unicode), offices typed with
.VnTime fonts (TCVN3, TCVN 5712:1993 "ABC") or VNI-Times fonts (VNI Windows). Such text, read
byte for byte as Latin-1/cp1252, looks like "Céng hoµ x· héi chñ nghÜa ViÖt Nam" (TCVN3) or
"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam" (VNI). ``detect_legacy`` says which, and
``convert_legacy`` maps it back. TCVN3 has no capital toned letters (the .VnTimeH fonts draw the
lower-case codes as capitals), so capitals typed in those fonts come back lower case.

Examples (run by tests/test_readers_legacy.py):

>>> tcvn3_to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam")
'Cộng hoà xã hội chủ nghĩa Việt Nam'
>>> vni_to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")
'Cộng hòa xã hội chủ nghĩa Việt Nam'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# TCVN3 (ABC): one byte per letter. Codes 0xA1-0xFE; Unicode on the right.
TCVN3 = {
    "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ",
    "¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\u00ad": "ư", "®": "đ",
    "µ": "à", "¶": "ả", "·": "ã", "¸": "á", "¹": "ạ",
    "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
    "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ",
    "Ì": "è", "Î": "ẻ", "Ï": "ẽ", "Ð": "é", "Ñ": "ẹ",
    "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ",
    "×": "ì", "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị",
    "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó", "ä": "ọ",
    "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ",
    "ê": "ờ", "ë": "ở", "ì": "ỡ", "í": "ớ", "î": "ợ",
    "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
    "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự",
    "ú": "ỳ", "û": "ỷ", "ü": "ỹ", "ý": "ý", "þ": "ỵ",
}

# VNI Windows: a base letter followed by a mark byte; a few letters are one byte.
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
    "ì": "ì", "Ì": "Ì", "í": "í", "Í": "Í", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ",
    "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}
# mark byte (lower, upper) -> combining sequence applied to the base letter
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HATS = {"â": "\u0302", "ê": "\u0306"}          # â ê ô (circumflex) / ă (breve) after a, e, o
_VNI_HAT_TONES = {                                   # circumflex/breve with a tone in one byte
    "à": ("\u0302", "\u0300"), "á": ("\u0302", "\u0301"), "å": ("\u0302", "\u0309"),
    "ã": ("\u0302", "\u0303"), "ä": ("\u0302", "\u0323"),
    "è": ("\u0306", "\u0300"), "é": ("\u0306", "\u0301"), "ú": ("\u0306", "\u0309"),
    "ü": ("\u0306", "\u0303"), "ë": ("\u0306", "\u0323"),
}
_VNI_MARKS = "ùøûõïâêàáåãäèéúüë"
_VNI_MARKS_UP = "ÙØÛÕÏÂÊÀÁÅÃÄÈÉÚÜË"
_VNI_PAIR = re.compile(f"([aeiouyAEIOUYôÔöÖ])([{_VNI_MARKS}{_VNI_MARKS_UP}])")

# Characters real Vietnamese text has (letters of the alphabet with their marks).
_VI_LETTERS = set("aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstu"
                  "ùúủũụưừứửữựvxyỳýỷỹỵfjwz")
_VI_MARKED = set("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
# Bytes 0xA1-0xFF read as Latin-1 that Vietnamese Unicode text never has.
_ODD = set(chr(c) for c in range(0xA1, 0x100)) - _VI_LETTERS - {c.upper() for c in _VI_LETTERS} - {
    "°", "§", "«", "»", "±", "²", "³", "¹", "º", "·", "×", "÷", "©", "®", "¼", "½", "¾", "¶", "¿", "¡"}


# The maps as str.translate tables: one pass in C instead of a dict look-up per character in
# Python (issue 15); a character the map lacks stays as it is, as with dict.get(ch, ch).
_TCVN3_TABLE = str.maketrans(TCVN3)
_VNI_SINGLE_TABLE = str.maketrans(_VNI_SINGLE)


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) text, read as Latin-1, to Unicode NFC."""
    return unicodedata.normalize("NFC", text.translate(_TCVN3_TABLE))


def vni_to_unicode(text: str) -> str:
    """Convert VNI Windows text, read as cp1252/Latin-1, to Unicode NFC."""
    def pair(m: re.Match[str]) -> str:
        base, mark = m.group(1), m.group(2)
        upper = mark in _VNI_MARKS_UP
        mark = mark.lower() if upper else mark
        base = _VNI_SINGLE.get(base, base)
        if mark in _VNI_TONES:
            return base + _VNI_TONES[mark]
        if mark in _VNI_HATS:
            return base + (_VNI_HATS[mark] if base.lower() == "a" or mark == "â" else "\u0302")
        hat, tone = _VNI_HAT_TONES[mark]
        if base.lower() != "a":
            hat = "\u0302"
        return base + hat + tone

    out = _VNI_PAIR.sub(pair, text)
    out = out.translate(_VNI_SINGLE_TABLE)
    return unicodedata.normalize("NFC", out)


def _odd_share(text: str) -> float:
    letters = sum(map(str.isalpha, text))
    if not letters:
        return 0.0
    # each distinct character judged once, its occurrences counted by str.count (no Python loop
    # per character: this runs on every text whose first lines hold no precomposed letter)
    return sum(text.count(c) for c in set(text) if _is_odd(c)) / letters


def _is_odd(c: str) -> bool:
    return c in _ODD or c in TCVN3 and c not in _VI_LETTERS and c.lower() not in _VI_LETTERS


_LETTER_RE = re.compile(r"[^\W\d_]")
_MARKED_RE = re.compile("[" + "".join(sorted(_VI_MARKED)) + "]")
_PRECOMPOSED_RE = re.compile("[\u1ea0-\u1ef9]")


def _marked_share(text: str) -> float:
    """Share of the letters that carry a Vietnamese mark (counted by compiled patterns: this
    runs on every text read, so no per-character Python loop)."""
    low = text.lower()
    letters = len(_LETTER_RE.findall(low))
    return len(_MARKED_RE.findall(low)) / letters if letters else 0.0


# The most frequent marked letters of Vietnamese (nearly half of all marks in the corpus).
_FREQUENT_MARKED = tuple("đáàưộệịủảốạếâôềỉậêơự")


def _marked_share_above(text: str, share: float) -> bool:
    """``_marked_share(text) > share``, decided by bounds where they suffice: the frequent marked
    letters are at most all marked letters, and the characters other than spaces and line
    breaks at least all letters, so a bound above ``share`` decides it with a dozen
    ``str.count`` calls instead of two pattern passes over every character (issue 15).

    The counts are taken on the text as it is, not lowered (issue 15): str.lower turns a
    frequent letter and its capital into that letter, no other character into " " or "\n",
    and every character into one but "İ" (two), so the lower-case counts, then the capitals',
    are at most the lowered text's and ``most`` is exact (tests/test_read_speed3.py)."""
    most = len(text) + text.count("\u0130") - text.count(" ") - text.count("\n")
    if most > 0:
        # the most frequent letters first: a plain letter passes the bound after a few counts
        # (a part of the sum above it is the whole sum above it)
        found = 0
        for c in _FREQUENT_MARKED:
            found += text.count(c)
            if found / most > share:
                return True
        for c in _FREQUENT_MARKED_UPPER:
            found += text.count(c)
            if found / most > share:
                return True
        # digits and ASCII punctuation are never letters (tables of figures: tvpl-*.txt)
        most -= sum(map(text.count, _NOT_LETTERS))
        if most > 0 and found / most > share:
            return True
    return _marked_share(text) > share


_FREQUENT_MARKED_UPPER = tuple(c.upper() for c in _FREQUENT_MARKED)
_NOT_LETTERS = tuple("0123456789.,;:-|/()")


_TONES = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"))
_SYLLABLE = re.compile(r"^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
                       r"[aăâeêioôơuưy]{1,3}(?:ng|nh|ch|[cmnpt])?$")
_WORD = re.compile(r"[^\W\d_]+")


def syllable_share(text: str) -> float:
    """Share of the words in text that are well-formed Vietnamese syllables (0-1).

    Each distinct word is checked once (a letter repeats "của", "các", "và" hundreds of times):
    the verdict is remembered across documents (``_word_kind``), and the verdicts of a text's
    words are counted without a Python loop.

    >>> syllable_share("Cộng hòa xã hội chủ nghĩa Việt Nam")
    1.0
    """
    # Tallied per whitespace-separated token (``_token_tally``): str.split is several times
    # cheaper than the word pattern over every character, and every character str.split cuts at
    # is outside the pattern, so the words of the tokens are the words of the text (issue 15).
    return _share_of_nfc(unicodedata.normalize("NFC", text[:20000]))


def syllable_share_nfc(text: str) -> float:
    """``syllable_share`` of a text known to be NFC (the TXT reader's, and a piece of it: a
    substring of an NFC text, or such pieces joined by spaces, is NFC), without normalising
    it again (issue 15)."""
    return _share_of_nfc(text[:20000])


def _share_of_nfc(text: str) -> float:
    """``syllable_share`` of an NFC text of at most 20000 characters."""
    if len(_TALLIES) > _TALLIES_MAX:
        _TALLIES.clear()   # a bound on the memory kept (the verdicts are computed again)
    tally = sum(map(_TALLIES.__getitem__, text.split()))
    ok, bad = tally & _TALLY_MASK, tally >> _TALLY_SHIFT
    total = ok + bad
    return ok / total if total else 0.0


class _Tallies(dict):  # type: ignore[type-arg]
    """Token -> ``_token_tally``, filled on first sight: a plain dict, looked up in C by
    ``map`` without the bookkeeping of an lru_cache (issue 15)."""

    def __missing__(self, token: str) -> int:
        tally = self[token] = _token_tally(token)
        return tally


_TALLIES = _Tallies()
_TALLIES_MAX = 65536


# A token's tally: its syllables in the low bits, its other (counted) words above them; a text
# of 20000 characters holds fewer words than the low bits can count.
_TALLY_SHIFT = 20
_TALLY_MASK = (1 << _TALLY_SHIFT) - 1


def _token_tally(token: str) -> int:
    """Syllables + (other counted words << _TALLY_SHIFT) among the words of one token. A token
    of letters only (str.isalpha: never a digit nor "_") is one word; the others are cut by the
    word pattern. Remembered across documents (``_TALLIES``): tokens ("của", "Nam,") repeat."""
    words = (token,) if token.isalpha() else _WORD.findall(token)
    ok = bad = 0
    for w in words:
        kind = _word_kind(w)
        if kind == 2:
            ok += 1
        elif kind == 1:
            bad += 1
    return ok + (bad << _TALLY_SHIFT)


@lru_cache(maxsize=65536)
def _word_kind(w: str) -> int:
    """0: a word ``syllable_share`` leaves out (an acronym: capitals without marks), 1: a word
    that is not a syllable, 2: a syllable. Remembered across documents."""
    if w.isupper() and len(w) > 1 and not any(c in _VI_MARKED for c in w.lower()):
        return 0
    return 2 if _is_syllable(w.lower()) else 1


@lru_cache(maxsize=65536)
def _is_syllable(word: str) -> bool:
    """A lower-case word is one Vietnamese syllable: onset, vowels, coda (tone marks aside)."""
    bare = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word).translate(_TONES))
    return bool(_SYLLABLE.match(bare))


# Frequent words of administrative Vietnamese: the right conversion turns many words into these.
COMMON_WORDS = frozenset("""
của và các ngày tháng năm được số cộng hòa hoà xã hội chủ nghĩa việt nam độc lập tự do hạnh phúc
ủy uỷ ban nhân dân tỉnh huyện thành phố theo với trên có không này đã cho để những người công văn
thực hiện kính gửi sở tài chính nội vụ về việc quyết định nghị kế hoạch báo cáo đề trong tại đơn vị
cơ quan các phòng chủ tịch giám đốc nơi nhận lưu như sau thông tư chỉ đạo triển khai nhiệm quy
đồng thời cán bộ hành là một ra vào từ khi đến tổ chức hồ sơ trước kết quả yêu cầu phối hợp
""".split())


def common_share(text: str) -> float:
    """Share of words that are among the most frequent words of administrative Vietnamese."""
    words = _WORD.findall(unicodedata.normalize("NFC", text[:20000]))
    # counted by map in C (issue 15)
    return sum(map(COMMON_WORDS.__contains__, map(str.lower, words))) / len(words) if words else 0.0


def looks_like_tcvn3(text: str) -> bool:
    """True where text read as Latin-1 is TCVN3-encoded Vietnamese.

    >>> looks_like_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam"), looks_like_tcvn3("Cộng hòa")
    (True, False)
    """
    return detect_legacy(text) == "tcvn3"


# The control characters detect_legacy counts: below 32 but tab, line feed, CR and form feed.
_CONTROLS = tuple(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f")


def detect_legacy(text: str) -> str | None:
    """"tcvn3", "vni" or None: the legacy encoding whose conversion turns text into Vietnamese."""
    sample = text[:20000]
    if _PRECOMPOSED_RE.search(sample, 0, 5000) and _marked_share_above(sample, 0.08):
        return None                       # already Unicode Vietnamese
    odd = _odd_share(sample)
    if odd < 0.01:
        return None
    controls = sum(map(sample.count, _CONTROLS))   # a count per character, in C (issue 15)
    if controls > 0.002 * len(sample):
        return None      # code points cut to their low byte (lamdong-298-pc04.pdf): not a font table
    best, best_score = None, syllable_share(sample) + 2 * common_share(sample)
    for name, fn in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        conv = fn(sample)
        if syllable_share(conv) < 0.75 or not _marked_share_above(conv, 0.12) or _odd_share(conv) >= 0.01:
            continue
        score = syllable_share(conv) + 2 * common_share(conv)
        if score > best_score + 0.1:
            best, best_score = name, score
    return best


def convert_legacy(text: str, encoding: str) -> str:
    """Convert text in the named legacy encoding ("tcvn3" | "vni") to Unicode NFC."""
    return tcvn3_to_unicode(text) if encoding == "tcvn3" else vni_to_unicode(text)
