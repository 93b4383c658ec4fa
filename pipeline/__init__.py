"""congvan: read incoming Vietnamese official letters and extract header, citations and tasks.

The package exports four verbs:

- ``read_document(path) -> RawDocument``
- ``extract_document(raw) -> Extraction``
- ``extract_file(path) -> Extraction`` (the two above)
- ``open_store(path) -> Store``
"""
from __future__ import annotations

from .models import Extraction, RawDocument
from .readers import read_document

__version__ = "0.1.0"


def extract_document(raw: RawDocument) -> Extraction:
    """Run every extraction stage over a document already read.

    >>> extract_document(read_document("corpus/583-UBND-son-tay-2024.txt")).header.code
    '583/UBND'
    """
    from .extract.citations import extract_citations
    from .extract.header import extract_header
    from .extract.tasks import extract_tasks
    from .normalize import normalize_document
    from .segment import segment_document
    from .structure import parse_sections

    raw = normalize_document(raw)
    seg = segment_document(raw)
    header = extract_header(seg, raw)
    sections = parse_sections(seg)
    citations = extract_citations(seg, header)
    tasks = extract_tasks(seg, header, sections)
    return Extraction(raw=raw, header=header, citations=tuple(citations), tasks=tuple(tasks),
                      footnotes=seg.footnotes, sections=tuple(sections))


def extract_file(path: str) -> Extraction:
    """Read and extract one file.

    >>> extract_file("corpus/583-UBND-son-tay-2024.txt").header.date
    '2024-03-15'
    """
    return extract_document(read_document(path))


def open_store(path: str):  # type: ignore[no-untyped-def]
    """The SQLite store at ``path`` (created with its schema where new)."""
    from .store import Store
    return Store(path)


__all__ = ["read_document", "extract_document", "extract_file", "open_store", "__version__"]
