"""edXML packages of the national document exchange (QCVN 102:2016/BTTTT).

A package is one letter. Its shape (namespace ``http://www.mic.gov.vn/TBT/QCVN_102_2016``)::

    edXML
      edXMLEnvelope
        edXMLHeader
          MessageHeader   From, To (OrganId, OrganName…), DocumentId, Code (CodeNumber,
                          CodeNotation), PromulgationInfo (Place, PromulgationDate), DocumentType
                          (Type, TypeName), Subject, Content, SignerInfo (Competence, Position,
                          FullName), DueDate, SteeringType, ToPlaces (Place…), OtherInfo (…)
          TraceHeaderList TraceHeader (OrganId, Timestamp)…, Bussiness (…)
        edXMLBody
          edXMLManifest   Reference (ContentId, ContentType, AttachmentName, Description)…
      AttachmentEncoded
        Attachment        ContentId, AttachmentName, ContentType, ContentTransferEncoded (base64)

Gateways differ: elements come with the ``edXML:`` prefix or in the default namespace or in
none, so elements are found by their local name; some zip each file before encoding it (one
file in the zip, unwrapped here); some send the files as MIME parts of a multipart message
whose root part is the edXML (readers/email.py hands those over to ``read_edxml_parts``).
Dates are written yyyy/MM/dd or ISO.

The XML is read as a stream (expat, fed a megabyte at a time), never held whole: the envelope's
small elements become a tree, and each attachment's base64 is decoded as it arrives, a chunk at a
time, into a SpooledTemporaryFile (in memory up to ``SPOOL_MEMORY``, then in the system's
temporary folder, deleted when read). A 100 MB package so costs a few megabytes of parsing plus
the one attachment being read, not three copies of itself. Entity and DTD refusal is defusedxml's
(the same handlers on the same expat): a package with a DOCTYPE (the door to XXE and "billion
laughs") is refused, not parsed; nothing is fetched from the network.

One attachment is the letter: the one whose number and date (as printed near its top) agree
with the envelope's, else the first PDF, DOCX or DOC in the manifest's order, else the first that
reads as a letter. The others are its appendices: read too (a Phụ lục often holds the duty table)
and handed on in ``RawDocument.appendices``; pipeline/envelope.py extracts them beside the letter.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field, replace
from email.message import Message
from typing import IO, TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from ..errors import EmptyDocument, ReadError, TooLarge

if TYPE_CHECKING:  # pragma: no cover
    from ..models import RawDocument
    from . import Limits, ReadContext

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
# What a package's main attachment may be: a letter in any form the readers know.
LETTER_FORMATS = frozenset({"pdf", "docx", "doc", "rtf", "odt", "txt", "html", "image"})
# Where the letter is looked for first (Decree 30/2020: a letter is sent as PDF, its draft as DOCX/DOC).
FIRST_CHOICE = ("pdf", "docx", "doc")
# Attachments read beyond the letter (appendices); the rest are listed, not read: each read may
# run OCR or LibreOffice, and one package must not take a worker's whole time.
MAX_APPENDICES = 12
# The decoded bytes of an attachment kept in memory before the spool moves to a temporary file.
SPOOL_MEMORY = 1024 * 1024
# Bytes of XML handed to expat at a time; characters of one envelope field at most (an
# attachment's base64 is streamed, the rest of a package is a few kilobytes of text).
FEED_CHUNK = 1 << 20
MAX_FIELD_CHARS = 1 << 20
# How far into a text the number and date of a letter are looked for (its header).
HEAD_CHARS = 3000
_SPOOL_ATTR = "{urn:congvan}spool"
_NOT_BASE64 = bytes(b for b in range(256) if not (chr(b).isascii() and (chr(b).isalnum() or chr(b) in "+/=")))


@dataclass
class Attachment:
    """One file of a package, decoded: in ``data`` (MIME parts) or in a spooled file (inline)."""

    content_id: str
    name: str
    content_type: str | None
    data: bytes | None = None
    description: str | None = None
    spool: IO[bytes] | None = field(default=None, repr=False)
    size: int = 0
    sha256: str = ""
    error: str | None = None   # its bytes could not be decoded

    def __post_init__(self) -> None:
        if self.data is not None:
            self.size, self.sha256 = len(self.data), hashlib.sha256(self.data).hexdigest()

    def read(self) -> bytes:
        """The file's bytes (a spooled file is read once, then closed and deleted)."""
        if self.data is not None:
            return self.data
        if self.spool is None:
            return b""
        self.spool.seek(0)
        blob = self.spool.read()
        self.close()
        return blob

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


# A decoded attachment: (its spooled file, size, sha256, what was wrong with its base64 or None).
Spool = tuple[IO[bytes], int, str, "str | None"]


class _Refused(ReadError):
    pass


def _refuse_dtd(*_args: object) -> Any:
    raise _Refused("gói edXML có khai báo DOCTYPE/thực thể (cách tấn công XXE, billion laughs): từ chối đọc")


class _Base64Sink:
    """Base64 text in, decoded bytes out to a spooled file, a few hundred kilobytes at a time;
    characters outside the alphabet (line breaks, spaces) are skipped, as ``b64decode`` does
    when not strict."""

    def __init__(self, where: str, name: str, limits: Limits, ctx: ReadContext) -> None:
        self.where, self.name, self.limits, self.ctx = where, name, limits, ctx
        self.pending = bytearray()
        self.out = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, prefix="congvan-edxml-")
        self.size = 0
        self.sha = hashlib.sha256()
        self.broken: str | None = None

    def write(self, text: str) -> None:
        if self.broken:
            return
        self.pending += text.encode("ascii", "ignore").translate(None, _NOT_BASE64)
        if len(self.pending) >= 1 << 18:
            n = len(self.pending) // 4 * 4
            self._emit(bytes(self.pending[:n]))
            del self.pending[:n]

    def _emit(self, chunk: bytes) -> None:
        try:
            blob = base64.b64decode(chunk, validate=False)
        except (binascii.Error, ValueError):
            # this file is lost, not the package: the letter may be another attachment
            self.broken = "tệp đính kèm của gói edXML hỏng (base64 sai)"
            self.pending.clear()
            return
        self.size += len(blob)
        if self.size > self.limits.max_bytes:
            raise TooLarge(f"tệp đính kèm của gói edXML lớn hơn {self.limits.max_bytes // (1024 * 1024)} MB "
                           "(giới hạn cỡ tệp): không đọc", self.where)
        if self.ctx.unpacked + len(blob) > self.limits.max_unpacked:
            raise TooLarge(f"các tệp đính kèm của gói edXML giải mã ra hơn "
                           f"{self.limits.max_unpacked // (1024 * 1024)} MB, quá giới hạn", self.name)
        self.ctx.take(len(blob), self.name, self.limits)
        self.sha.update(blob)
        self.out.write(blob)

    def close(self) -> Spool:
        if self.pending and not self.broken:
            self._emit(bytes(self.pending))
            self.pending.clear()
        return self.out, self.size, self.sha.hexdigest(), self.broken


def parse_package(stream: IO[bytes], name: str, limits: Limits, ctx: ReadContext
                  ) -> tuple[Element, list[Spool]]:
    """The package's tree, read a chunk at a time, with every ContentTransferEncoded text taken
    out of it and decoded into a spooled file (the element keeps the file's index).

    Returns (root element, [(spooled file, size, sha256)…]). Raises ReadError naming ``name``:
    a DOCTYPE or entity (refused), broken XML, an attachment past the limits.
    """
    builder = TreeBuilder()
    spools: list[Spool] = []
    sink: _Base64Sink | None = None
    depth_in_cte = 0
    chars = 0
    tag_of: dict[str, str] = {}

    def qname(raw: str) -> str:
        got = tag_of.get(raw)
        if got is None:
            got = tag_of[raw] = "{" + raw if "}" in raw else raw
        return got

    def start(raw: str, attrs: dict[str, str]) -> None:
        nonlocal sink, depth_in_cte, chars
        chars = 0
        tag = qname(raw)
        attrs = {qname(k): v for k, v in attrs.items()}
        if depth_in_cte:
            depth_in_cte += 1
        elif tag.rsplit("}", 1)[-1] == "ContentTransferEncoded":
            depth_in_cte = 1
            attrs[_SPOOL_ATTR] = str(len(spools))
            sink = _Base64Sink(f"{name}!tệp đính kèm {len(spools) + 1}", name, limits, ctx)
            spools.append((sink.out, 0, "", None))
        if depth_in_cte <= 1:
            builder.start(tag, attrs)

    def end(raw: str) -> None:
        nonlocal sink, depth_in_cte, chars
        chars = 0
        if depth_in_cte:
            depth_in_cte -= 1
            if depth_in_cte:
                return
            if sink is not None:
                spools[-1] = sink.close()
                sink = None
        builder.end(qname(raw))

    def data(text: str) -> None:
        nonlocal chars
        if sink is not None:
            sink.write(text)
            return
        chars += len(text)
        if chars > MAX_FIELD_CHARS:
            raise ReadError(f"gói edXML có một trường dài hơn {MAX_FIELD_CHARS // 1024} nghìn ký tự "
                            "ngoài phần tệp đính kèm: không phải gói hợp lệ", name)
        builder.data(text)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    # defusedxml's guard, on the parser it guards: no DOCTYPE, no entity, nothing external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        while chunk := stream.read(FEED_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        root = builder.close()
    except _Refused as e:
        _close_all(spools)
        raise ReadError(e.message, name) from None
    except ReadError:
        _close_all(spools)
        raise
    except (expat.ExpatError, AssertionError, ValueError) as e:
        _close_all(spools)
        raise ReadError(f"gói edXML hỏng (XML sai cú pháp: {e})", name) from e
    return root, spools


def _close_all(spools: list[Spool]) -> None:
    for fh, *_ in spools:
        fh.close()


def parse_xml(data: bytes, name: str) -> Element:
    """The root element of an edXML document, parsed with no DTD, entities or network allowed
    (the attachments' contents left out)."""
    from . import DEFAULT_LIMITS, ReadContext

    root, spools = parse_package(io.BytesIO(data), name, DEFAULT_LIMITS, ReadContext())
    _close_all(spools)
    return root


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Element | None, name: str) -> Element | None:
    if el is None:
        return None
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: Element | None, name: str) -> list[Element]:
    return [c for c in el if _local(c.tag) == name] if el is not None else []


def _find(el: Element | None, *path: str) -> Element | None:
    for p in path:
        el = _child(el, p)
    return el


def _text(el: Element | None, *path: str) -> str | None:
    got = _find(el, *path)
    if got is None or got.text is None:
        return None
    s = " ".join(got.text.split())
    # gateways fill what they do not know with "N/A" (e.g. a builder's strOrNa)
    return s if s and s.upper() not in ("N/A", "NULL") else None


_DATE_YMD = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?:$|[T ])")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:$|[T ])")


def edxml_date(value: str | None) -> str | None:
    """A date of a package as ISO: yyyy/MM/dd, yyyy-MM-dd[THH:mm:ss], dd/MM/yyyy.

    >>> edxml_date("2024/03/15"), edxml_date("2024-03-15T00:00:00+07:00"), edxml_date("15/03/2024")
    ('2024-03-15', '2024-03-15', '2024-03-15')
    """
    if not value:
        return None
    import datetime as dt

    s = value.strip()
    m = _DATE_YMD.match(s)
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = _DATE_DMY.match(s)
        if not m:
            return None
        d, mo, y = (int(x) for x in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def join_code(number: str | None, notation: str | None) -> str | None:
    """The số ký hiệu from CodeNumber and CodeNotation, as contract/EXTRACT.md writes it.

    >>> join_code("583", "UBND"), join_code("156", "CV/TĐTN"), join_code("12", "2024/QĐ-UBND")
    ('583/UBND', '156-CV/TĐTN', '12/2024/QĐ-UBND')
    """
    number = "".join((number or "").split()) or None
    notation = "".join((notation or "").split()).lstrip("/-") or None
    if number and ("/" in number or notation is None):
        return number
    if not number or not notation:
        return None
    # Party and mass-organisation symbols hold a slash of their own and keep the hyphen after
    # the number ("156-CV/TĐTN"); a year after the number is part of the state form.
    if "/" in notation and not re.match(r"^\d{4}/", notation):
        return f"{number}-{notation}"
    return f"{number}/{notation}"


def _party(el: Element | None) -> dict[str, Any]:
    return {"id": _text(el, "OrganId"), "name": _text(el, "OrganName"),
            "in_charge": _text(el, "OrganizationInCharge"), "address": _text(el, "OrganAdd"),
            "email": _text(el, "Email")}


def _fields(el: Element | None) -> dict[str, Any]:
    """A small element as a dict of its children's texts (lists where a name repeats)."""
    out: dict[str, Any] = {}
    for c in el if el is not None else []:
        key = _local(c.tag)
        value: Any = _fields(c) if len(c) else _text(c)
        if key in out:
            if not isinstance(out[key], list):
                out[key] = [out[key]]
            out[key].append(value)
        else:
            out[key] = value
    return out


def envelope_of(root: Element, name: str) -> dict[str, Any]:
    """The ``envelope`` object (contract/EXTRACT.md) of a parsed edXML package."""
    if _local(root.tag) != "edXML":
        raise ReadError(f"không phải gói edXML (gốc là <{_local(root.tag)}>)", name)
    env = _child(root, "edXMLEnvelope")
    head = _find(env, "edXMLHeader", "MessageHeader")
    if head is None:
        raise ReadError("gói edXML thiếu edXMLEnvelope/edXMLHeader/MessageHeader", name)
    number, notation = _text(head, "Code", "CodeNumber"), _text(head, "Code", "CodeNotation")
    raw_date = _text(head, "PromulgationInfo", "PromulgationDate")
    raw_due = _text(head, "DueDate")
    other = _fields(_child(head, "OtherInfo"))
    appendixes = other.get("Appendixes")
    listed = appendixes.get("Appendix") if isinstance(appendixes, dict) else None
    appendix_list = [listed] if isinstance(listed, str) else [a for a in listed or [] if isinstance(a, str) and a]
    trace = _child(_child(env, "edXMLHeader"), "TraceHeaderList")
    refs = [{"content_id": _cid(_text(r, "ContentId") or r.get("{http://www.w3.org/1999/xlink}href")),
             "content_type": _text(r, "ContentType"), "name": _text(r, "AttachmentName"),
             "description": _text(r, "Description")}
            for r in _children(_find(env, "edXMLBody", "edXMLManifest"), "Reference")]
    return {
        "kind": "edxml",
        "from": _party(_child(head, "From")),
        "to": [_party(t) for t in _children(head, "To")],
        "document_id": _text(head, "DocumentId"),
        "number": "".join((number or "").split()) or None,
        "symbol": "".join((notation or "").split()) or None,
        "code": join_code(number, notation),
        "place": _text(head, "PromulgationInfo", "Place"),
        "date": edxml_date(raw_date), "date_text": raw_date,
        "type": {"code": _text(head, "DocumentType", "Type"), "name": _text(head, "DocumentType", "TypeName"),
                 "detail": _text(head, "DocumentType", "TypeDetail")},
        "subject": _text(head, "Subject"),
        "content": _text(head, "Content"),
        "signer": {"competence": _text(head, "SignerInfo", "Competence"),
                   "position": _text(head, "SignerInfo", "Position"),
                   "name": _text(head, "SignerInfo", "FullName")},
        "due_date": edxml_date(raw_due), "due_date_text": raw_due,
        "steering_type": _text(head, "SteeringType"),
        "to_places": [p for p in (_text(x) for x in _children(_child(head, "ToPlaces"), "Place")) if p],
        "other_info": other,
        "appendixes": appendix_list,
        "trace": [_fields(t) for t in _children(trace, "TraceHeader")],
        "business": _fields(_child(trace, "Bussiness")) or None,
        "references": refs,
        "attachments": [],
    }


def _cid(value: str | None) -> str:
    s = (value or "").strip().strip("<>")
    return s[4:] if s.lower().startswith("cid:") else s


def inline_attachments(root: Element, name: str,
                       spools: list[Spool] | None = None) -> list[Attachment]:
    """The files carried base64 in AttachmentEncoded/Attachment/ContentTransferEncoded (their
    bytes in the spooled files ``parse_package`` decoded them into)."""
    out = []
    for block in _children(root, "AttachmentEncoded"):
        for i, a in enumerate(_children(block, "Attachment")):
            att_name = _text(a, "AttachmentName") or f"dinh-kem-{i + 1}"
            cte = _find(a, "ContentTransferEncoded")
            index = cte.get(_SPOOL_ATTR) if cte is not None else None
            att = Attachment(_cid(_text(a, "ContentId")), att_name, _text(a, "ContentType"),
                             None if index is not None else b"", _text(a, "Description"))
            if index is not None and spools is not None:
                att.spool, att.size, att.sha256, att.error = spools[int(index)]
            out.append(att)
    return out


def _is_edxml(blob: bytes) -> bool:
    from . import detect_format
    return detect_format(blob[:8192], "x.xml") == "edxml"


def find_mime_edxml(msg: Message) -> bytes | None:
    """The edXML envelope of a MIME package: the root part (``start`` of multipart/related, else
    the first part) where it is an edXML document; else None (an ordinary mail)."""
    if not msg.is_multipart():
        blob = msg.get_payload(decode=True)   # a single part: the edXML alone, files inline
        return blob if isinstance(blob, bytes) and _is_edxml(blob) else None
    parts = [p for p in msg.walk() if not p.is_multipart()]
    start = _cid(msg.get_param("start") if isinstance(msg.get_param("start"), str) else None)  # type: ignore[arg-type]
    ordered = sorted(parts, key=lambda p: _cid(p.get("Content-ID")) != start) if start else parts
    for p in ordered[:2]:
        if p.get_filename():
            continue
        blob = p.get_payload(decode=True)
        if isinstance(blob, bytes) and _is_edxml(blob):
            return blob
    return None


def read_edxml(data: bytes, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    """The letter of an edXML package (files inline as base64), from its bytes."""
    return read_edxml_stream(io.BytesIO(data), name, limits, ctx)


def read_edxml_stream(stream: IO[bytes], name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    """The letter of an edXML package read from an open file, a chunk at a time (see the module)."""
    root, spools = parse_package(stream, name, limits, ctx)
    try:
        envelope = envelope_of(root, name)
        return _letter(envelope, inline_attachments(root, name, spools), name, limits, ctx)
    finally:
        _close_all(spools)


def read_edxml_parts(xml: bytes, msg: Message, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    """The letter of an edXML package sent as MIME: the envelope in the root part, the files
    in the other parts (matched to the manifest by Content-ID) and any inline ones."""
    root, spools = parse_package(io.BytesIO(xml), name, limits, ctx)
    try:
        envelope = envelope_of(root, name)
        atts = inline_attachments(root, name, spools)
        names = {r["content_id"]: r["name"] for r in envelope["references"]}
        for i, p in enumerate(p for p in msg.walk() if not p.is_multipart()):
            blob = p.get_payload(decode=True)
            if not isinstance(blob, bytes) or blob == xml:
                continue
            cid = _cid(p.get("Content-ID"))
            att_name = names.get(cid) or p.get_filename() or f"phan-{i + 1}"
            ctx.take(len(blob), name, limits)
            atts.append(Attachment(cid, att_name, p.get_content_type(), blob))
        return _letter(envelope, atts, name, limits, ctx)
    finally:
        _close_all(spools)


def _unwrap(data: bytes, att: Attachment, fmt: str, where: str, limits: Limits, ctx: ReadContext
            ) -> tuple[bytes, str, str | None]:
    """Gateways that zip each file before encoding it (one file in the zip): the file inside
    (its bytes, its format, its name in the zip)."""
    from . import detect_format
    from .archive import member_name, open_zip, read_member

    if fmt != "zip" or att.name.lower().endswith(".zip"):
        return data, fmt, None
    zf, files = open_zip(data, where, limits)
    if len(files) != 1:
        return data, fmt, None
    inner = read_member(zf, files[0], where, limits, ctx)
    return inner, detect_format(inner, att.name), member_name(files[0])


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).casefold().split())


def agreement(raw: RawDocument, envelope: dict[str, Any]) -> int:
    """How far a text's header agrees with the envelope: 2 for its số ký hiệu (the number and
    symbol written together, or a number the e-signature stamped beside the symbol), 1 for its
    date (day, month, year in that order); 0 where the envelope says neither.

    Only digits and the envelope's own symbol are looked for, near the top of the text: the
    header's words are for extract/header.py, this only tells the letter from its appendices.

    >>> from pipeline.models import RawDocument
    >>> agreement(RawDocument("a", "txt", "", "Số: 583 /UBND\\nSơn Tây, ngày 15 tháng 3 năm 2024"),
    ...           {"number": "583", "symbol": "UBND", "date": "2024-03-15"})
    3
    """
    head = raw.text[:HEAD_CHARS]
    score = 0
    number = (envelope.get("number") or "").lstrip("0")
    symbol = _squash(envelope.get("symbol") or "")
    if number and symbol:
        flat = _squash(head)
        written = re.search(rf"(?<!\d)0*{re.escape(number)}[/-]{re.escape(symbol)}", flat)
        stamped = (raw.stamped.get("number") or "").lstrip("0") == number and symbol in flat
        score += 2 if written or stamped else 0
    date = envelope.get("date")
    if date:
        y, m, d = (int(x) for x in date.split("-"))
        month_year = rf"0?{m}\D{{1,15}}{y}(?!\d)"
        day = raw.stamped.get("day") or ""
        if re.search(rf"(?<!\d)0?{d}\D{{1,15}}{month_year}", head) or (
                day.isdigit() and int(day) == d and re.search(rf"(?<!\d){month_year}", head)):
            score += 1
    return score


def _number_line(raw: RawDocument, envelope: dict[str, Any]) -> bool:
    """The envelope's number stands on the letter's "Số" line (rules/landmarks.toml), as in the
    letter itself; an appendix names its letter's number in a sentence."""
    from ..landmarks import landmark_re

    number = (envelope.get("number") or "").lstrip("0")
    if not number:
        return False
    so = landmark_re("so")
    return any(so.match(line.strip()) and re.search(rf"(?<!\d)0*{re.escape(number)}(?!\d)", line)
               for line in raw.text[:HEAD_CHARS].splitlines())


def _same_text(a: RawDocument, b: RawDocument) -> bool:
    """Two files of one letter (the signed PDF and its Word copy): their openings read alike."""
    import difflib

    x, y = _squash(a.text[:2000]), _squash(b.text[:2000])
    m = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return bool(x and y) and m.quick_ratio() >= 0.85 and m.ratio() >= 0.8


def _choose(candidates: list[tuple[int, str, RawDocument]], envelope: dict[str, Any]) -> tuple[int, list[int]]:
    """The letter among ``candidates`` ((position, format, document)…): its index, and the
    indexes of the others that are copies of it (same number and date, same opening).

    The letter agrees most with the envelope (number, date), then has the number on its "Số"
    line, then is a PDF, DOCX or DOC, then comes first in the manifest.
    """
    scores = [agreement(raw, envelope) for _, _, raw in candidates]

    def rank(i: int) -> tuple[int, bool, int, int]:
        fmt = candidates[i][1]
        kind = 0 if fmt in FIRST_CHOICE else 1
        return (-scores[i], not (scores[i] and _number_line(candidates[i][2], envelope)), kind, i)

    pick = min(range(len(candidates)), key=rank)
    copies = [i for i in range(len(candidates)) if i != pick and scores[pick] and scores[i] == scores[pick]
              and _same_text(candidates[i][2], candidates[pick][2])]
    return pick, copies


def _never_a_letter(a: Attachment) -> str | None:
    """The format of a spooled attachment whose first bytes already say it is no letter, else None."""
    from . import FORMATS, detect_format

    if a.spool is None or a.size <= 8192:
        return None
    a.spool.seek(0)
    fmt = detect_format(a.spool.read(8192), a.name)
    spec = FORMATS.get(fmt)
    return fmt if fmt == "unknown" or spec is not None and not spec.letter and not spec.package else None


def _letter(envelope: dict[str, Any], atts: list[Attachment], name: str, limits: Limits,
            ctx: ReadContext) -> list[RawDocument]:
    """One package, one letter: every attachment that reads as a letter is read (one at a time,
    its bytes dropped once read), the one that is the letter chosen (see the module), the others
    kept as its appendices, all of them listed in the envelope."""
    from . import ReadContext, detect_format, read_documents

    order = {r["content_id"]: i for i, r in enumerate(envelope["references"]) if r["content_id"]}
    atts = sorted(atts, key=lambda a: order.get(a.content_id, len(order)))
    refs_seen = {a.content_id for a in atts}
    listed: list[dict[str, Any]] = []
    candidates: list[tuple[int, str, RawDocument]] = []
    failures: list[ReadError] = []
    for a in atts:
        where = f"{name}!{a.name}"
        if a.data is not None and a.spool is None:
            ctx.take(len(a.data), name, limits)
        refused = _never_a_letter(a)
        if refused or a.error:
            # a file no reader takes (a signature, a spreadsheet): listed, its bytes never loaded
            listed.append({"name": a.name, "content_id": a.content_id or None, "content_type": a.content_type,
                           "description": a.description, "size": a.size, "sha256": a.sha256,
                           "format": refused or "unknown", "role": "appendix"})
            if a.error:
                listed[-1]["error"] = a.error
                failures.append(ReadError(a.error, where))
            a.close()
            continue
        data = a.read()
        fmt = detect_format(data, a.name) if data.strip() else "empty"
        inner_name = None
        try:
            data, fmt, inner_name = _unwrap(data, a, fmt, where, limits, ctx)
        except ReadError as e:
            failures.append(e)
        entry: dict[str, Any] = {
            "name": a.name, "content_id": a.content_id or None, "content_type": a.content_type,
            "description": a.description, "size": len(data),
            "sha256": a.sha256 if inner_name is None and a.sha256 else hashlib.sha256(data).hexdigest(),
            "format": fmt, "role": "appendix"}
        listed.append(entry)
        if fmt not in LETTER_FORMATS:
            continue
        if len(candidates) > MAX_APPENDICES:
            entry["read"] = False
            continue
        inner = ReadContext(depth=ctx.depth + 1, unpacked=ctx.unpacked, errors=None)
        try:
            docs = read_documents(data, where, limits, context=inner)
            candidates.append((len(listed) - 1, fmt, docs[0]))
        except ReadError as e:
            failures.append(e)
            entry["error"] = e.message
        finally:
            ctx.unpacked = inner.unpacked
        del data
    for r in envelope["references"]:
        if r["content_id"] and r["content_id"] not in refs_seen:
            listed.append({"name": r["name"], "content_id": r["content_id"], "content_type": r["content_type"],
                           "description": r["description"], "missing": True, "role": "appendix"})
    envelope["attachments"] = listed
    if not candidates:
        if failures:
            first = failures[0]
            raise ReadError(f"văn bản trong gói edXML không đọc được ({first.message})", first.path or name)
        if not atts:
            raise EmptyDocument("gói edXML không có tệp đính kèm nào (không có văn bản để đọc)", name)
        raise EmptyDocument("gói edXML không có tệp đính kèm nào là văn bản (PDF, DOCX, DOC…)", name)
    pick, copies = _choose(candidates, envelope)
    main_at, _, main = candidates[pick]
    listed[main_at]["role"] = "main"
    appendices = []
    for i, (at, _, raw) in enumerate(candidates):
        if i == pick:
            continue
        listed[at]["read"] = True
        if i in copies:
            listed[at]["role"] = "copy"   # the letter again (its Word file): not an appendix
            continue
        # an appendix is named as the package's member, as the letter is
        appendices.append(replace(raw, path=name, member=listed[at]["name"], envelope=None))
    warnings = tuple(f"tệp đính kèm {e.path}: {e.message}" for e in failures)
    return [replace(main, envelope=envelope, warnings=main.warnings + warnings, appendices=tuple(appendices))]
