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

The XML is parsed with defusedxml and no DTD allowed: a package with a DOCTYPE (the door to
XXE and "billion laughs") is refused, not parsed; nothing is fetched from the network.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, replace
from email.message import Message
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

from ..errors import EmptyDocument, ReadError

if TYPE_CHECKING:  # pragma: no cover
    from ..models import RawDocument
    from . import Limits, ReadContext

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
# What a package's main attachment may be: a letter in any form the readers know.
LETTER_FORMATS = frozenset({"pdf", "docx", "doc", "rtf", "odt", "txt", "html", "image"})


@dataclass(frozen=True)
class Attachment:
    """One file of a package, decoded."""

    content_id: str
    name: str
    content_type: str | None
    data: bytes
    description: str | None = None


def parse_xml(data: bytes, name: str) -> Element:
    """The root element of an XML document, parsed with no DTD, entities or network allowed."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise ReadError("gói edXML có khai báo DOCTYPE/thực thể (cách tấn công XXE, billion laughs): "
                        "từ chối đọc", name) from e
    except (ParseError, ValueError) as e:
        raise ReadError(f"gói edXML hỏng (XML sai cú pháp: {e})", name) from e


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


def _decode(text: str | None, where: str) -> bytes:
    if not text:
        return b""
    try:
        # non-strict decoding skips line breaks and spaces in C (joining split text is 20x slower)
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError) as e:
        raise ReadError("tệp đính kèm của gói edXML hỏng (base64 sai)", where) from e


def inline_attachments(root: Element, name: str) -> list[Attachment]:
    """The files carried base64 in AttachmentEncoded/Attachment/ContentTransferEncoded."""
    out = []
    for block in _children(root, "AttachmentEncoded"):
        for i, a in enumerate(_children(block, "Attachment")):
            att_name = _text(a, "AttachmentName") or f"dinh-kem-{i + 1}"
            cte = _find(a, "ContentTransferEncoded")
            out.append(Attachment(_cid(_text(a, "ContentId")), att_name, _text(a, "ContentType"),
                                  _decode(cte.text if cte is not None else None, f"{name}!{att_name}"),
                                  _text(a, "Description")))
    return out


def _is_edxml(blob: bytes) -> bool:
    from . import detect_format
    return detect_format(blob, "x.xml") == "edxml"


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
    """The letter of an edXML package (files inline as base64)."""
    root = parse_xml(data, name)
    return _letter(envelope_of(root, name), inline_attachments(root, name), name, limits, ctx)


def read_edxml_parts(xml: bytes, msg: Message, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    """The letter of an edXML package sent as MIME: the envelope in the root part, the files
    in the other parts (matched to the manifest by Content-ID) and any inline ones."""
    root = parse_xml(xml, name)
    envelope = envelope_of(root, name)
    atts = inline_attachments(root, name)
    names = {r["content_id"]: r["name"] for r in envelope["references"]}
    for i, p in enumerate(p for p in msg.walk() if not p.is_multipart()):
        blob = p.get_payload(decode=True)
        if not isinstance(blob, bytes) or blob == xml:
            continue
        cid = _cid(p.get("Content-ID"))
        att_name = names.get(cid) or p.get_filename() or f"phan-{i + 1}"
        atts.append(Attachment(cid, att_name, p.get_content_type(), blob))
    return _letter(envelope, atts, name, limits, ctx)


def _unwrap(att: Attachment, fmt: str, where: str, limits: Limits, ctx: ReadContext) -> tuple[bytes, str]:
    """Gateways that zip each file before encoding it (one file in the zip): the file inside."""
    from . import detect_format
    from .archive import open_zip, read_member

    if fmt != "zip" or att.name.lower().endswith(".zip"):
        return att.data, fmt
    zf, files = open_zip(att.data, where, limits)
    if len(files) != 1:
        return att.data, fmt
    inner = read_member(zf, files[0], where, limits, ctx)
    return inner, detect_format(inner, att.name)


def _letter(envelope: dict[str, Any], atts: list[Attachment], name: str, limits: Limits,
            ctx: ReadContext) -> list[RawDocument]:
    """One package, one letter: the first attachment (in the manifest's order) that reads as a
    letter is the letter; the others are its appendices, listed in the envelope."""
    from . import ReadContext, detect_format, read_documents

    order = {r["content_id"]: i for i, r in enumerate(envelope["references"]) if r["content_id"]}
    atts = sorted(atts, key=lambda a: order.get(a.content_id, len(order)))
    refs_seen = {a.content_id for a in atts}
    listed: list[dict[str, Any]] = []
    main: RawDocument | None = None
    failures: list[ReadError] = []
    for a in atts:
        where = f"{name}!{a.name}"
        ctx.take(len(a.data), name, limits)
        data, fmt = a.data, detect_format(a.data, a.name) if a.data.strip() else "empty"
        try:
            data, fmt = _unwrap(a, fmt, where, limits, ctx)
        except ReadError as e:
            failures.append(e)
        entry = {"name": a.name, "content_id": a.content_id or None, "content_type": a.content_type,
                 "description": a.description, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                 "format": fmt, "role": "appendix"}
        if main is None and fmt in LETTER_FORMATS:
            inner = ReadContext(depth=ctx.depth + 1, unpacked=ctx.unpacked, errors=None)
            try:
                docs = read_documents(data, where, limits, context=inner)
                main = docs[0]
                entry["role"] = "main"
            except ReadError as e:
                failures.append(e)
                entry["error"] = e.message
            ctx.unpacked = inner.unpacked
        listed.append(entry)
    for r in envelope["references"]:
        if r["content_id"] and r["content_id"] not in refs_seen:
            listed.append({"name": r["name"], "content_id": r["content_id"], "content_type": r["content_type"],
                           "description": r["description"], "missing": True, "role": "appendix"})
    envelope["attachments"] = listed
    if main is None:
        if failures:
            first = failures[0]
            raise ReadError(f"văn bản trong gói edXML không đọc được ({first.message})", first.path or name)
        if not atts:
            raise EmptyDocument("gói edXML không có tệp đính kèm nào (không có văn bản để đọc)", name)
        raise EmptyDocument("gói edXML không có tệp đính kèm nào là văn bản (PDF, DOCX, DOC…)", name)
    warnings = tuple(f"tệp đính kèm {e.path}: {e.message}" for e in failures)
    return [replace(main, envelope=envelope, warnings=main.warnings + warnings)]
