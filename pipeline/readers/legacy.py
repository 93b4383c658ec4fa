"""Legacy Vietnamese 8-bit font encodings (TCVN3/ABC, VNI) to Unicode.

Placeholder interface; the readers work (issue 3) fills in the tables.
"""
from __future__ import annotations


def looks_like_tcvn3(text: str) -> bool:
    """True where text decoded as Latin-1 reads like TCVN3-encoded Vietnamese."""
    return False


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 text (decoded as Latin-1) to Unicode NFC."""
    return text
