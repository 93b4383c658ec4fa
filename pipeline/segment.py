"""Cut a document into header, Kính gửi, body, signature, Nơi nhận. (issue 4)"""
from __future__ import annotations

from .models import RawDocument, Segments, Span


def segment_document(raw: RawDocument) -> Segments:
    """Segments of the document; until the header work lands, the whole text is body."""
    return Segments(text=raw.text, body=raw.text, body_span=Span(0, len(raw.text)),
                    footnotes=raw.footnotes)
