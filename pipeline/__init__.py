"""congvan: read incoming Vietnamese official letters and extract header, citations and tasks.

The package exports these verbs:

- ``read_document(path) -> RawDocument``; ``read_documents(data, name) -> list[RawDocument]``
  (a package, an edXML, a mail or a ZIP, holds several letters)
- ``extract_document(raw) -> Extraction``
- ``extract_file(path) -> Extraction`` (the two above)
- ``extract_bytes(data, name) -> list[dict]``: a file's bytes to contract objects, a pure
  function to map over many files (a process pool, a Dask cluster)
- ``open_store(path) -> Store``
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .errors import CongvanError

if TYPE_CHECKING:  # pragma: no cover
    from .models import Extraction, RawDocument
    from .readers import Limits

# The readers and models load on first use (``pipeline.read_document`` still works), so that a
# command that reads nothing (`congvan --help`, `congvan search`) does not pay for them (issue 15).
_LAZY = {"read_document": "readers", "read_documents": "readers", "Limits": "readers",
         "DEFAULT_LIMITS": "readers", "Extraction": "models", "RawDocument": "models"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__ = "0.1.0"


def extract_document(raw: RawDocument) -> Extraction:
    """Run every extraction stage over a document already read.

    >>> extract_document(read_document("corpus/583-UBND-son-tay-2024.txt")).header.code
    '583/UBND'
    """
    if raw.appendices or raw.envelope and raw.envelope.get("attachments"):
        from .envelope import extract_package, has_appendices
        if has_appendices(raw):   # a package's other files: read beside the letter (issue 14)
            return extract_package(raw, extract_document)
    from .extract.citations import extract_citations
    from .extract.header import extract_header
    from .extract.tasks import extract_tasks
    from .models import Extraction
    from .normalize import normalize_document
    from .segment import segment_document
    from .structure import parse_sections

    raw = normalize_document(raw)
    seg = segment_document(raw)
    header = extract_header(seg, raw)
    if raw.envelope:
        from .envelope import apply_envelope
        header, envelope = apply_envelope(header, raw.envelope)
        raw = replace(raw, envelope=envelope)
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
    from .readers import read_document

    return extract_document(read_document(path))


def extract_bytes(data: bytes, name: str, limits: Limits | None = None, *,
                  with_text: bool = False) -> list[dict[str, Any]]:
    """Read and extract every letter in a file's bytes; never raises for a bad file.

    Pure (bytes and name in, plain dicts out, no state kept), so it can be mapped over files in
    worker processes or on a Dask cluster.

    Args:
        data: the file's bytes. name: its name or path (kept as ``source.path``; the format is
            taken from the bytes, the name only where they do not say).
        limits: sizes, pages and nesting refused.
        with_text: add ``"text"`` (the normalised text the store keeps) to each object.
    Returns:
        one ``congvan/extract/v1`` object per letter (an edXML package gives one, a mail one per
        attached letter, a ZIP one per letter inside); a file or member that cannot be read
        gives ``{"error": message, "path": where}`` in its place.

    >>> [d["document"]["code"] for d in extract_bytes(open("corpus/583-UBND-son-tay-2024.txt", "rb").read(),
    ...                                                 "583-UBND-son-tay-2024.txt")]
    ['583/UBND']
    """
    from .errors import ReadError

    errors: list[ReadError] = []
    try:
        from .readers import DEFAULT_LIMITS, read_documents

        raws = read_documents(data, name, limits or DEFAULT_LIMITS, errors)
    except CongvanError as e:
        return [{"error": e.message, "path": e.path or name}]
    except MemoryError:
        return [{"error": "hết bộ nhớ khi đọc tệp", "path": name}]
    return _extract_all(raws, errors, name, with_text)


def _extract_all(raws: list[RawDocument], errors: list[Any], name: str, with_text: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for raw in raws:
        try:
            ex = extract_document(raw)
        except CongvanError as e:
            out.append({"error": e.message, "path": e.path or name})
            continue
        d = ex.to_dict()
        if with_text:
            d["text"] = ex.raw.text
        out.append(d)
    out.extend({"error": e.message, "path": e.path or name} for e in errors)
    if not out:
        out.append({"error": "không có văn bản nào đọc được trong tệp", "path": name})
    return out


def extract_file_results(path: str, limits: Limits | None = None) -> list[dict[str, Any]]:
    """What ingest stores for one file: per letter {"path", "extraction", "text", "pages"}, per
    letter or member that failed {"path", "error"}; raises ReadError where the file itself
    cannot be read."""
    from .errors import ReadError
    from .readers import DEFAULT_LIMITS, read_path

    errors: list[ReadError] = []
    raws = read_path(path, limits or DEFAULT_LIMITS, errors)
    out = []
    for d in _extract_all(raws, errors, path, with_text=True):
        if "error" in d:
            out.append(d)
        else:
            text = d.pop("text")
            out.append({"path": path, "extraction": d, "text": text, "pages": d["source"].get("pages") or 0})
    return out


def extract_path(path: str, limits: Limits | None = None) -> list[Extraction]:
    """Every letter in the file at ``path``, extracted; raises ReadError for a bad file.

    >>> len(extract_path("corpus/583-UBND-son-tay-2024.txt"))
    1
    """
    from .readers import DEFAULT_LIMITS, read_path
    return [extract_document(raw) for raw in read_path(path, limits or DEFAULT_LIMITS)]


def open_store(path: str):  # type: ignore[no-untyped-def]
    """The store at ``path``: a SQLite file (created where new) or a ``postgresql://`` address."""
    from .store import open_store as _open
    return _open(path)


__all__ = ["read_document", "read_documents", "extract_document", "extract_file", "extract_bytes",
           "extract_path", "extract_file_results", "open_store", "__version__"]
