"""Header fields: type, số/ký hiệu, issuer, place, date, subject, Kính gửi, signer, Nơi nhận."""
from __future__ import annotations

from ..models import Header, RawDocument, Segments


def extract_header(seg: Segments, raw: RawDocument) -> Header:
    """The header of the document (issue 4 fills this in)."""
    return Header()
