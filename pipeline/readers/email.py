"""E-mail (.eml, RFC 5322/MIME): each attached letter becomes a document.

An attachment is a letter when its bytes are one (PDF, DOCX, DOC, RTF, ODT), or a package of
letters (edXML, an attached mail, a ZIP); pictures (logos, signatures) and the mail's own text
are not letters. Each letter carries the mail as its envelope: sender, subject, the mail's Date
as the day the letter arrived (ngày đến, in Vietnam's time, UTC+7), its attachments.
A MIME message whose root part is an edXML envelope (how some exchange systems send edXML
with its files as MIME parts) is read as an edXML package; a web page saved as one file (MHTML,
often named .doc) is read as the page.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from ..errors import EmptyDocument, ReadError

if TYPE_CHECKING:  # pragma: no cover
    from ..models import RawDocument
    from . import Limits, ReadContext

# The formats of readers/__init__.py that are a letter (or a package of letters) when attached.
LETTER_FORMATS = frozenset({"pdf", "docx", "doc", "rtf", "odt", "edxml", "eml", "zip"})
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def parse_message(data: bytes, name: str) -> EmailMessage:
    """The message, or a ReadError where the bytes are no mail."""
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except (ValueError, TypeError, IndexError, LookupError) as e:  # the parser is lenient; these are rare
        raise ReadError(f"thư (e-mail) hỏng, không đọc được ({e})", name) from e
    if not msg.keys():
        raise ReadError("không phải thư e-mail (không có phần đầu thư)", name)
    return msg  # type: ignore[return-value]


def mail_date(value: str | None) -> tuple[str | None, str | None]:
    """(the Date header as ISO date-time, the day it names in Vietnam) or (None, None).

    >>> mail_date("Fri, 15 Mar 2024 20:30:00 +0000")
    ('2024-03-15T20:30:00+00:00', '2024-03-16')
    """
    if not value:
        return None, None
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None, None
    if when.tzinfo is None:
        return when.isoformat(), when.date().isoformat()
    return when.isoformat(), when.astimezone(VIETNAM).date().isoformat()


def _header(msg: Message, key: str) -> str | None:
    try:
        v = msg.get(key)
    except (ValueError, IndexError, TypeError):  # a malformed header the policy cannot parse
        return None
    return " ".join(str(v).split()) if v is not None else None


def _party(value: str | None) -> dict[str, str | None]:
    pairs = getaddresses([value]) if value else []
    name, addr = pairs[0] if pairs else ("", "")
    return {"id": addr or None, "name": name or None}


def _payload(part: Message) -> bytes:
    try:
        got = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError):
        got = None
    if isinstance(got, bytes):
        return got
    body = part.get_payload()
    return body.encode("utf-8", "replace") if isinstance(body, str) else b""


def attachment_name(part: Message) -> str | None:
    """An attachment's file name as its sender wrote it, however the mail client encoded it:
    RFC 2231 (``filename*=UTF-8''C%C3%B4ng…``, continued over ``filename*0*``, ``filename*1*``,
    in any charset Python knows, Windows-1258 too), encoded-words inside the quotes
    (``"=?UTF-8?B?…?="``, what Outlook and Gmail send), ``name=`` of Content-Type only, raw UTF-8.
    Decomposed accents (macOS) are composed (NFC); a path before the name is dropped.

    >>> m = email.message_from_bytes(b"Content-Disposition: attachment; filename*=UTF-8''C%C3%B4ng%20v%C4%83n.pdf\\n\\n",
    ...                              policy=email.policy.default)
    >>> attachment_name(m)
    'Công văn.pdf'
    """
    import unicodedata
    from pathlib import PureWindowsPath

    try:
        name = part.get_filename()
    except (LookupError, ValueError, TypeError, IndexError, AttributeError):   # a charset Python lacks, a broken header
        name = None
    if not name:
        return None
    name = unicodedata.normalize("NFC", "".join(ch for ch in str(name) if ch >= " " and ch != "\x7f"))
    return PureWindowsPath(name).name.strip() or None


def envelope_of(msg: Message) -> dict[str, Any]:
    """The ``envelope`` object of a mail (contract/EXTRACT.md), without its attachments."""
    sent, day = mail_date(_header(msg, "Date"))
    return {"kind": "email", "from": _party(_header(msg, "From")),
            "to": [{"id": a or None, "name": n or None} for n, a in getaddresses([_header(msg, "To") or ""])
                   if a or n],
            "subject": _header(msg, "Subject"), "code": None, "sent": sent, "date": day, "received_date": day,
            "due_date": None,
            "message_id": _header(msg, "Message-ID"), "attachments": []}


def read_eml(data: bytes, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    """Every letter attached to a mail, each with the mail as its envelope."""
    from dataclasses import replace

    from . import ReadContext, detect_format, read_documents
    from .edxml import find_mime_edxml, read_edxml_parts

    msg = parse_message(data, name)
    root_xml = find_mime_edxml(msg)
    if root_xml is not None:
        return read_edxml_parts(root_xml, msg, name, limits, ctx)
    envelope = envelope_of(msg)
    letters: list[tuple[str, bytes, str]] = []
    html_body: bytes | None = None
    for i, part in enumerate(msg.walk()):
        if part.is_multipart():
            continue
        filename = attachment_name(part)
        ctype = part.get_content_type()
        if ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime") and "signed-data" not in str(
                part.get_param("smime-type") or ""):
            raise ReadError("thư được mã hóa (S/MIME): không đọc được tệp đính kèm", name)
        disposition = part.get_content_disposition()
        if not filename and disposition != "attachment":
            if ctype == "text/html" and html_body is None:
                html_body = _payload(part)
            continue
        blob = _payload(part)
        ctx.take(len(blob), name, limits)
        fname = filename or f"tep-dinh-kem-{i}"
        fmt = detect_format(blob, fname) if blob.strip() else "empty"
        envelope["attachments"].append({"name": fname, "content_type": ctype, "size": len(blob),
                                        "sha256": hashlib.sha256(blob).hexdigest(), "format": fmt,
                                        "letter": fmt in LETTER_FORMATS})
        if fmt in LETTER_FORMATS:
            letters.append((fname, blob, fmt))
    if not letters:
        if html_body is not None and not _header(msg, "From"):
            # a web page saved as one MIME file (MHTML), the letter itself
            from .html import read_html
            return [read_html(html_body, name, hashlib.sha256(data).hexdigest())]
        attached = ", ".join(a["name"] for a in envelope["attachments"])
        if not attached:
            raise EmptyDocument("thư không có tệp đính kèm nào (không có văn bản để đọc)", name)
        raise EmptyDocument(f"thư không có tệp đính kèm là văn bản (PDF, DOCX, DOC, edXML, ZIP); "
                            f"chỉ có: {attached[:200]}", name)
    out: list[RawDocument] = []
    for fname, blob, _fmt in letters:
        where = f"{name}!{fname}"
        inner = ReadContext(depth=ctx.depth + 1, unpacked=ctx.unpacked, errors=ctx.errors)
        try:
            docs = read_documents(blob, where, limits, context=inner)
        except ReadError as e:
            ctx.fail(e)
            continue
        finally:
            ctx.unpacked = inner.unpacked
        for raw in docs:
            env = dict(envelope)
            if raw.envelope:
                # a package inside the mail (an edXML, a forwarded mail): its own envelope
                # speaks of the letter, the mail of when it arrived here
                env = dict(raw.envelope, via=envelope)
            out.append(replace(raw, envelope=env))
    return out
