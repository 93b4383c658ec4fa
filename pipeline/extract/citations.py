"""Cited documents (Quyết định số 1879/QĐ-UBND ngày 15/12/2023 của …). (issue 5)"""
from __future__ import annotations

from ..models import Citation, Header, Segments


def extract_citations(seg: Segments, header: Header) -> list[Citation]:
    """Every distinct document the text cites, never the document itself."""
    return []
