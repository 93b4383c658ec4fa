"""Apply the current rules to stored documents from their stored text (no file is read again)."""
from __future__ import annotations

from dataclasses import replace

from .models import Footnote, RawDocument
from .store import Store


def reprocess_store(store: Store) -> int:
    """Re-extract every stored document with today's rules; returns how many were done.

    The stored text is the normalised one, with footnotes already moved out: they are taken
    back from the stored extraction, so reprocessing sees what the first pass saw.
    """
    from . import extract_document
    from .record import make_record
    n = 0
    for doc_id, text, old in list(store.stored_texts()):
        src = old.get("source") or {}
        raw = RawDocument(path=src.get("path", ""), format=src.get("format", "txt"), sha256=src.get("sha256", ""),
                          text=text, pages=src.get("pages") or 1, ocr=bool(src.get("ocr")),
                          ocr_confidence=src.get("ocr_confidence"))
        raw = replace(raw, footnotes=tuple(Footnote(f["mark"], f["text"]) for f in old.get("footnotes") or []),
                      member=src.get("member"), envelope=old.get("envelope"))  # a letter from a package
        # a record (pipeline.record) counted from the day the letter was registered
        store.replace_extraction(doc_id, make_record(extract_document(raw).to_dict(), store.received_date(doc_id)))
        n += 1
    return n
