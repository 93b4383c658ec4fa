"""Readers: one registry of formats; the bytes say what a file is, not its name.

``read_documents(data, name) -> list[RawDocument]`` reads any file's bytes: a letter (PDF, DOCX,
DOC, RTF, ODT, TXT, HTML, a scan) gives one RawDocument, a package gives one per letter inside
it (an edXML package one, an e-mail one per attached letter, a ZIP one per letter in it).
``read_document(path)`` reads one file from disk and gives its first letter (what older callers
expect). A PDF named .txt is read as a PDF, a text file named .doc as text, HTML named .doc as
HTML; bytes that are none of these are refused with a one-line message, never stored as garbage.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import EmptyDocument, ReadError, TooLarge, UnsupportedFormat
from ..models import RawDocument


@dataclass(frozen=True)
class Limits:
    """What a reader refuses: bigger files, more pages, a DOCX or ZIP that unpacks to more."""

    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 300
    max_unpacked: int = 200 * 1024 * 1024   # DOCX, ZIP, e-mail and edXML alike, for the whole file
    ocr: bool = True
    ocr_max_pages: int = 3        # scans: OCR this many first pages (header p.1, signature by p.2-3)
    ocr_inner_pages: int = 5      # text PDFs: OCR at most this many scanned pages among them
    max_depth: int = 3            # packages inside packages (a ZIP in an e-mail in a ZIP)
    max_members: int = 1000       # files in one ZIP
    max_ratio: int = 200          # a ZIP member unpacking to more than this many times its size is a bomb
    ocr_max_pixels: int = 40_000_000  # a page is rendered for OCR within this many pixels (readers/ocr.py)


DEFAULT_LIMITS = Limits()


@dataclass
class ReadContext:
    """What is shared while one file and the packages inside it are read (never across files).

    ``unpacked`` counts the bytes taken out of packages so far, against ``Limits.max_unpacked``;
    ``errors``, where given, collects the members that could not be read, so one bad attachment
    does not lose the good ones.
    """

    depth: int = 0
    unpacked: int = 0
    errors: list[ReadError] | None = None

    def take(self, n: int, name: str, limits: Limits) -> None:
        """Count ``n`` more unpacked bytes; TooLarge past the limit."""
        self.unpacked += n
        if self.unpacked > limits.max_unpacked:
            raise TooLarge(f"gói giải nén ra hơn {limits.max_unpacked // (1024 * 1024)} MB, quá giới hạn "
                           "(có thể là zip bomb)", name)

    def fail(self, err: ReadError) -> None:
        """A member could not be read: kept where errors are collected, else raised."""
        if self.errors is None:
            raise err
        self.errors.append(err)


Reader = Callable[[bytes, str, Limits, ReadContext], list[RawDocument]]


@dataclass(frozen=True)
class Format:
    """One kind of file: its name, the suffixes that usually carry it, how to read it.

    ``letter``: a letter by itself (as opposed to a package of letters or a kind we refuse).
    """

    name: str
    label: str
    suffixes: tuple[str, ...]
    read: Reader
    letter: bool = True
    package: bool = False


def _one(fn: Callable[[bytes, str, Limits], RawDocument]) -> Reader:
    def read(data: bytes, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
        return [fn(data, name, limits)]
    return read


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_txt(data: bytes, name: str, limits: Limits) -> RawDocument:
    from .txt import read_txt
    return read_txt(Path(name), data, _sha(data))


def _read_pdf(data: bytes, name: str, limits: Limits) -> RawDocument:
    from .pdf import read_pdf
    return read_pdf(Path(name), data, _sha(data), limits)


def _read_docx(data: bytes, name: str, limits: Limits) -> RawDocument:
    from .docx import read_docx
    return read_docx(Path(name), data, _sha(data), limits)


def _read_doc(data: bytes, name: str, limits: Limits) -> RawDocument:
    from .doc import read_doc
    return read_doc(Path(name), data, _sha(data), limits, fmt="doc")


def _read_rtf(data: bytes, name: str, limits: Limits) -> RawDocument:
    from .doc import read_doc
    return read_doc(Path(name), data, _sha(data), limits, fmt="rtf")


def _read_odt(data: bytes, name: str, limits: Limits) -> RawDocument:
    # LibreOffice converts OpenDocument text as it does .doc (readers/doc.py)
    from .doc import convert_to_docx
    from .docx import read_docx
    raw = read_docx(Path(name), convert_to_docx(data, name, ".odt"), _sha(data), limits, fmt="odt")
    return replace(raw, size=len(data))


def _read_image(data: bytes, name: str, limits: Limits) -> RawDocument:
    from .ocr import read_image
    return read_image(Path(name), data, _sha(data), limits)


def _read_html(data: bytes, name: str, limits: Limits) -> RawDocument:
    from .html import read_html
    return read_html(data, name, _sha(data))


def _read_edxml(data: bytes, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    from .edxml import read_edxml
    return read_edxml(data, name, limits, ctx)


def _read_eml(data: bytes, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    from .email import read_eml
    return read_eml(data, name, limits, ctx)


def _read_zip(data: bytes, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    from .archive import read_zip
    return read_zip(data, name, limits, ctx)


def _refuse(why: str) -> Reader:
    def read(data: bytes, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
        raise UnsupportedFormat(why, name)
    return read


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pdf", "PDF", (".pdf",), _one(_read_pdf)),
    Format("docx", "DOCX", (".docx",), _one(_read_docx)),
    Format("doc", "DOC", (".doc",), _one(_read_doc)),
    Format("rtf", "RTF", (".rtf",), _one(_read_rtf)),
    Format("odt", "ODT", (".odt",), _one(_read_odt)),
    Format("txt", "TXT", (".txt", ".text"), _one(_read_txt)),
    Format("html", "HTML", (".html", ".htm"), _one(_read_html)),
    Format("image", "ảnh", (".png", ".jpg", ".jpeg", ".tif", ".tiff"), _one(_read_image)),
    Format("edxml", "edXML", (".edxml",), _read_edxml, package=True),
    Format("eml", "e-mail", (".eml",), _read_eml, package=True),
    Format("zip", "ZIP", (".zip",), _read_zip, package=True),
    Format("xml", "XML", (".xml",), _refuse(
        "tệp XML không phải gói edXML (gốc không phải <edXML> của QCVN 102:2016)"), letter=False),
    Format("xlsx", "bảng tính", (".xlsx", ".xls", ".ods"), _refuse(
        "là bảng tính (Excel/Calc), không phải văn bản"), letter=False),
    Format("pptx", "trình chiếu", (".pptx", ".ppt"), _refuse(
        "là bản trình chiếu (PowerPoint), không phải văn bản"), letter=False),
)}
# The suffixes a folder walk picks up. `.xml` is among them: e-office systems export edXML so.
SUFFIX_FORMATS = {s: f.name for f in FORMATS.values() if f.letter or f.package for s in f.suffixes}
SUFFIX_FORMATS[".xml"] = "edxml"
READABLE_SUFFIXES = frozenset(SUFFIX_FORMATS)
BINARY_FORMATS = frozenset({"pdf", "docx", "doc", "odt", "image", "zip", "xlsx", "pptx"})

_XML_ROOT = re.compile(rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>)*<(?:[\w.-]+:)?([\w.-]+)",
                       re.S)
_HTML = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|p[\s>]|div[\s>]|table[\s>])", re.I)
# An RFC 5322 message starts with header fields ("Name: value", folded lines) and a blank line.
_MAIL_HEAD = re.compile(rb"\A(?:[!-9;-~]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){2,}\r?\n")
_MAIL_FIELD = re.compile(rb"^(?:from|date|subject|mime-version|content-type|received|message-id|to|return-path):",
                         re.I | re.M)


def sniff_format(head: bytes, suffix: str) -> str:
    """The format the first bytes say, else the one the name says (a cheap test on a few bytes;
    ``detect_format`` looks at the whole file).

    >>> sniff_format(b"%PDF-1.7", ".txt")
    'pdf'
    """
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip" if suffix.lower() == ".zip" else "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:4] in (
            b"II*\x00", b"MM\x00*"):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return SUFFIX_FORMATS.get(suffix.lower(), "unknown")


def _zip_kind(data: bytes, suffix: str) -> str:
    """A ZIP container is a DOCX, an ODT, a spreadsheet or a plain archive: its parts say which."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
        mimetype = zf.read("mimetype")[:80] if "mimetype" in names and zf.getinfo("mimetype").file_size < 200 \
            else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, KeyError):
        # corrupt: the reader its name points to says so in its own words
        return "docx" if suffix == ".docx" else "zip"
    if "word/document.xml" in names or any(n.endswith("/document.xml") and n.startswith("word") for n in names):
        return "docx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if "xl/workbook.xml" in names or mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if suffix == ".docx":
        return "docx"   # a DOCX missing its main part: the DOCX reader names the problem
    return "zip"


def detect_format(data: bytes, name: str) -> str:
    """What ``data`` really is: a key of ``FORMATS``, or "unknown".

    Content first (magic numbers, the root of an XML file, the header of a mail), the name
    only where the content is plain text of no particular kind.

    >>> detect_format(b"%PDF-1.4 ...", "letter.txt")
    'pdf'
    >>> detect_format(b"<html><body>Kinh gui</body></html>", "letter.doc")
    'html'
    """
    suffix = Path(name).suffix.lower()
    head = data[:8192]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, suffix)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # an OLE file: Word 97-2003, or its spreadsheet and slide cousins (told by their names)
        return {".xls": "xlsx", ".ppt": "pptx"}.get(suffix, "doc")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff")) or head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text_head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text_head.startswith(b"<"):
        m = _XML_ROOT.match(text_head)
        root = m.group(1).lower() if m else b""
        if root == b"edxml":
            return "edxml"
        if root == b"html" or _HTML.search(text_head[:2048]):
            return "html"
        if b"<?mso-application" in text_head[:512] and b"Word.Document" in text_head[:512]:
            return "doc"   # Word 2003 XML: LibreOffice reads it as it reads .doc
        if text_head.startswith(b"<?xml") or m and suffix in (".xml", ".edxml"):
            return "xml"   # no letter; a text merely starting with "<" goes on to its name
    if _MAIL_HEAD.match(text_head) and len(_MAIL_FIELD.findall(text_head[:4096])) >= 2:
        return "eml"
    by_name = SUFFIX_FORMATS.get(suffix)
    if by_name in BINARY_FORMATS or by_name in ("edxml", "eml", "rtf"):
        # the name promises a kind the bytes are not: plain text is read as text, the rest refused
        return "txt" if _looks_like_text(head) else "unknown"
    if by_name:
        return by_name
    return "txt" if suffix == "" and _looks_like_text(head) else "unknown"


def _looks_like_text(head: bytes) -> bool:
    if not head.strip():
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:4096]
    control = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    return control <= max(2, len(sample) // 200)


def read_documents(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS,
                   errors: list[ReadError] | None = None, *, context: ReadContext | None = None
                   ) -> list[RawDocument]:
    """Every letter in a file's bytes: one for a letter, one per letter for a package.

    Args:
        data: the file's bytes.
        name: its name or path (for the format where the bytes do not say, and for messages).
        limits: sizes, pages and depths refused.
        errors: where given, the members of a package that cannot be read are added to it as
            ReadError and the others still come back; else the first one raises.
    Returns:
        RawDocuments; a letter taken from a package has ``path`` = the package, ``member`` = its
        name inside, ``sha256`` = that of its own bytes, and ``envelope`` = what the package said.
    Raises:
        ReadError (or a subclass) naming the file and the problem.

    >>> [r.format for r in read_documents(Path("corpus/583-UBND-son-tay-2024.pdf").read_bytes(), "583.txt")]
    ['pdf']
    """
    top = context is None
    ctx = context or ReadContext(errors=errors)
    if ctx.depth > limits.max_depth:
        raise TooLarge(f"gói lồng nhau quá {limits.max_depth} tầng", name)
    if not data.strip():
        raise EmptyDocument("tệp rỗng", name)
    if len(data) > limits.max_bytes:
        raise TooLarge(f"tệp quá lớn ({len(data) // (1024 * 1024)} MB > "
                       f"{limits.max_bytes // (1024 * 1024)} MB)", name)
    fmt = detect_format(data, name)
    spec = FORMATS.get(fmt)
    if spec is None:
        suffix = Path(name).suffix.lower()
        promised = FORMATS.get(SUFFIX_FORMATS.get(suffix, ""))
        if promised is not None:
            why = f"tên {suffix} nhưng nội dung không phải {promised.label} (không nhận ra định dạng)"
        else:
            why = (f"không nhận ra định dạng tệp (đuôi '{suffix or '—'}'); congvan đọc PDF, DOCX, DOC, "
                   "TXT, PNG, JPG, edXML, EML, ZIP")
        raise UnsupportedFormat(why, name)
    docs = spec.read(data, name, limits, ctx)
    if not spec.package:
        for raw in docs:
            if not raw.text.strip():
                raise EmptyDocument("không có chữ nào đọc được trong tệp", name)
        said = SUFFIX_FORMATS.get(Path(name).suffix.lower())
        if said in BINARY_FORMATS and said != fmt and fmt in ("txt", "html"):
            docs = [replace(r, warnings=r.warnings + (
                f"tên {Path(name).suffix} nhưng nội dung là {spec.label}: đã đọc như {spec.label}",))
                for r in docs]
    if top:
        docs = [_as_member(r, name) for r in docs]
    return docs


def _as_member(raw: RawDocument, package: str) -> RawDocument:
    """A letter read from inside ``package``: its path is the package, its member the rest."""
    prefix = package + "!"
    if raw.path.startswith(prefix):
        return replace(raw, path=package, member=raw.path[len(prefix):])
    return raw


def read_path(path: str | Path, limits: Limits = DEFAULT_LIMITS,
              errors: list[ReadError] | None = None) -> list[RawDocument]:
    """Every letter in the file at ``path`` (see ``read_documents``)."""
    p = Path(path)
    try:
        # Refuse a huge file before its bytes are in memory.
        size = p.stat().st_size
        if size > limits.max_bytes and p.is_file():
            raise TooLarge(f"tệp quá lớn ({size // (1024 * 1024)} MB > "
                           f"{limits.max_bytes // (1024 * 1024)} MB)", str(p))
        if p.suffix.lower() in (".xml", ".edxml") and p.is_file():
            with p.open("rb") as fh:
                if detect_format(fh.read(8192), p.name) == "edxml":
                    # an edXML package is read as a stream, never held whole (readers/edxml.py)
                    from .edxml import read_edxml_stream
                    fh.seek(0)
                    return [_as_member(r, str(p))
                            for r in read_edxml_stream(fh, str(p), limits, ReadContext(errors=errors))]
        data = p.read_bytes()
    except IsADirectoryError as e:
        raise ReadError("là thư mục, không phải tệp", str(p)) from e
    except OSError as e:
        raise ReadError(f"không đọc được tệp ({e.strerror or e})", str(p)) from e
    return read_documents(data, str(p), limits, errors)


def read_document(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    """Read one file into a RawDocument; raises a ReadError subclass naming the problem.

    A package holding several letters gives its first (``read_path`` gives them all).

    >>> read_document("corpus/583-UBND-son-tay-2024.txt").format
    'txt'
    """
    docs = read_path(path, limits)
    if not docs:
        raise EmptyDocument("không có văn bản nào trong tệp", str(path))
    first = docs[0]
    if len(docs) > 1:
        first = replace(first, warnings=first.warnings + (
            f"tệp chứa {len(docs)} văn bản; chỉ văn bản đầu được đọc ở đây", ))
    return first


__all__ = ["Limits", "DEFAULT_LIMITS", "ReadContext", "Format", "FORMATS", "READABLE_SUFFIXES",
           "SUFFIX_FORMATS", "detect_format", "sniff_format", "read_documents", "read_path", "read_document"]
