"""Bodies and their names: folding for comparison, abbreviations expanded, one identity per body.

``fold`` is the comparison key: lower case, no diacritics, đ -> d, tone-mark style ignored
("hoà" = "hòa", "Thuỷ" = "Thủy"), punctuation squashed.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from .rules import load_rules


def fold(text: str | None) -> str:
    """Comparison key of a name.

    >>> fold("Ủy ban nhân dân tỉnh Lâm Đồng") == fold("UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG")
    True
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(regex.findall(r"[a-z0-9]+", s))


@lru_cache(maxsize=1)
def _abbrev_pattern() -> tuple[regex.Pattern[str], dict[str, str]]:
    table = {r["abbr"]: r["full"] for r in load_rules("abbreviations.toml")}
    alts = "|".join(regex.escape(a) for a in sorted(table, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alts})(?![\p{{L}}\p{{N}}])"), table


def expand_abbreviations(text: str) -> str:
    """Abbreviations of bodies written out in full words.

    >>> expand_abbreviations("UBND tỉnh")
    'Ủy ban nhân dân tỉnh'
    """
    pat, table = _abbrev_pattern()
    return pat.sub(lambda m: table[m.group(0)], text)
