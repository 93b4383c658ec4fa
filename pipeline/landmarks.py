"""The landmarks of a letter (rules/landmarks.toml), served as regex fragments.

One home for the words that mark where the parts of a công văn begin and end: the motto, "Số",
the place and date, "V/v", "Kính gửi", "Nơi nhận", the signature's title words. normalize.py,
segment.py and structure.py build their line patterns from these fragments, so a new spelling
(an OCR misreading, an older form) is one edit in rules/ and reaches every stage.

Imports nothing of the package but ``rules``.
"""
from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import regex

from .rules import RuleError, load_rules


@lru_cache(maxsize=1)
def _entries() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in load_rules("landmarks.toml")}


def landmark(rule_id: str) -> str:
    """The regex fragment of one landmark, wrapped in a non-capturing group.

    >>> landmark("vv")
    '(?:V/v|V/V|v/v|Về\\\\s+việc|VỀ\\\\s+VIỆC|V\\\\.v)'
    """
    try:
        return f"(?:{_entries()[rule_id]['pattern']})"
    except KeyError:
        raise RuleError(f"rules/landmarks.toml: no landmark {rule_id!r}") from None


def landmarks(*rule_ids: str) -> str:
    """Several landmarks as one alternation ("(?:a|b)").

    >>> landmarks("noi-nhan", "noi-nhan-cut").startswith("(?:(?:N[ơo]i")
    True
    """
    return "(?:" + "|".join(landmark(r) for r in rule_ids) + ")"


def landmark_label(rule_id: str) -> str:
    """The canonical wording a landmark stands for, where its rule gives one ("Nơi nhận:")."""
    return str(_entries()[rule_id].get("label") or "")


@cache
def landmark_re(rule_id: str, flags: int = 0) -> regex.Pattern[str]:
    """The landmark compiled as its rule is meant: anchored at the line start where ``where`` says
    "start", else searched. ``flags`` are added (segment.py matches the motto case-insensitively).

    >>> bool(landmark_re("kinh-gui").match("Kính gửi: Sở Nội vụ"))
    True
    """
    e = _entries()[rule_id]
    pat = landmark(rule_id)
    if e.get("where", "start") == "start":
        pat = r"^\s*" + pat
    return regex.compile(pat, flags)


def find_landmark(line: str) -> str | None:
    """The id of the first landmark (in file order) found in a line, else None.

    >>> find_landmark("Nơi nhận:")
    'noi-nhan'
    """
    for rid in _entries():
        if landmark_re(rid).search(line):
            return rid
    return None


def landmark_rules() -> tuple[dict[str, Any], ...]:
    """Every entry of rules/landmarks.toml (for tests and documentation)."""
    return tuple(_entries().values())
