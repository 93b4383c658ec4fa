"""Readers: ``read_document(path) -> RawDocument`` whatever the format.

The format is sniffed from the bytes, not trusted from the name: a PDF named .txt is read as a
PDF, a binary file named .txt is refused with a clear message.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import EmptyDocument, ReadError, TooLarge, UnsupportedFormat
from ..models import RawDocument


@dataclass(frozen=True)
class Limits:
    """What a reader refuses: bigger files, more pages, a DOCX that unpacks to more."""

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 300
    max_unpacked: int = 200 * 1024 * 1024
    ocr: bool = True
    ocr_max_pages: int = 3        # scans: OCR this many first pages (header p.1, signature by p.2-3)
    ocr_inner_pages: int = 5      # text PDFs: OCR at most this many scanned pages among them


DEFAULT_LIMITS = Limits()
SUFFIX_FORMATS = {".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".rtf": "rtf", ".txt": "txt", ".text": "txt",
                  ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image",
                  ".tiff": "image"}
READABLE_SUFFIXES = frozenset(SUFFIX_FORMATS)


def sniff_format(head: bytes, suffix: str) -> str:
    """The format the bytes say, else the one the name says.

    >>> sniff_format(b"%PDF-1.7", ".txt")
    'pdf'
    """
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:4] in (
            b"II*\x00", b"MM\x00*"):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return SUFFIX_FORMATS.get(suffix.lower(), "unknown")


def read_document(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    """Read one file into a RawDocument; raises a ReadError subclass naming the problem.

    >>> read_document("corpus/583-UBND-son-tay-2024.txt").format
    'txt'
    """
    p = Path(path)
    try:
        # Refuse a huge file before its bytes are in memory.
        size = p.stat().st_size
        if size > limits.max_bytes and p.is_file():
            raise TooLarge(f"tệp quá lớn ({size // (1024 * 1024)} MB > "
                           f"{limits.max_bytes // (1024 * 1024)} MB)", str(p))
        data = p.read_bytes()
    except IsADirectoryError as e:
        raise ReadError("là thư mục, không phải tệp", str(p)) from e
    except OSError as e:
        raise ReadError(f"không đọc được tệp ({e.strerror or e})", str(p)) from e
    if not data.strip():
        raise EmptyDocument("tệp rỗng", str(p))
    if len(data) > limits.max_bytes:
        raise TooLarge(f"tệp quá lớn ({len(data) // (1024 * 1024)} MB > "
                       f"{limits.max_bytes // (1024 * 1024)} MB)", str(p))
    fmt = sniff_format(data[:8], p.suffix)
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "txt":
        from .txt import read_txt
        raw = read_txt(p, data, sha)
    elif fmt == "pdf":
        from .pdf import read_pdf
        raw = read_pdf(p, data, sha, limits)
    elif fmt == "docx":
        from .docx import read_docx
        raw = read_docx(p, data, sha, limits)
    elif fmt in ("doc", "rtf"):
        from .doc import read_doc
        raw = read_doc(p, data, sha, limits, fmt=fmt)
    elif fmt == "image":
        from .ocr import read_image
        raw = read_image(p, data, sha, limits)
    else:
        raise UnsupportedFormat(
            f"không nhận ra định dạng tệp (đuôi '{p.suffix or '—'}'); congvan đọc PDF, DOCX, DOC, "
            "TXT, PNG, JPG", str(p))
    if not raw.text.strip():
        raise EmptyDocument("không có chữ nào đọc được trong tệp", str(p))
    return raw
