"""edXML packages (QCVN 102:2016): real corpus letters wrapped on the fly as gateways wrap them.

The builders below follow what public exchange gateways write: the ``edXML:`` prefix on the
envelope, AttachmentEncoded outside it in the default namespace, ContentId with or without
"cid:", dates as yyyy/MM/dd, "N/A" where a field is unknown, files zipped before encoding by
some, sent as MIME parts by others.
"""
from __future__ import annotations

import base64
import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from pipeline import extract_bytes, extract_document
from pipeline.errors import ReadError
from pipeline.readers import read_documents, read_path
from pipeline.rules import load_rules

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
# Gold letters whose original is a PDF with a text layer: the header a sender's e-office keeps.
PDF_LETTERS = ["lamdong-58-cd-vpcp-10012026-1-signed", "lamdong-8-cv-1468-cua-dtp-don-doc-dai-hoi-va-sap-nhap",
               "lamdong-van-ban-8977-cua-bo-noi-vu"]


def _el(tag: str, value: Any) -> str:
    return f"<edXML:{tag}>{escape(str(value)) if value not in (None, '') else 'N/A'}</edXML:{tag}>"


def build_edxml(doc: dict[str, Any], files: list[tuple[str, bytes]], *, organ_id: str = "000.00.01.H30",
                number: str | None = None, date: str | None = None, subject: str | None = None,
                due: str = "2026/01/20", form: str = "inline") -> bytes:
    """A package for the letter ``doc`` (a contract ``document`` dict) carrying ``files``.

    form: "inline" (base64 in AttachmentEncoded), "zipped" (each file zipped, then base64),
    "mime" (a multipart/related message: the edXML, then one part per file).
    """
    code = doc.get("code") or ""
    num, _, sym = code.partition("/")
    if "-" in num:
        num, _, rest = num.partition("-")
        sym = f"{rest}/{sym}"
    day = (date or doc.get("date") or "").replace("-", "/")
    refs, atts = [], []
    for i, (name, data) in enumerate(files):
        cid = f"a{i}-{len(data)}"
        refs.append(f'<edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:{cid}" '
                    f'xlink:type="simple">{_el("Description", f"File dinh kem {i + 1}")}{_el("AttachmentName", name)}'
                    f'{_el("ContentType", "application/pdf")}{_el("ContentId", "cid:" + cid)}</edXML:Reference>')
        if form == "mime":
            continue
        blob = data
        if form == "zipped":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(f"{cid}{Path(name).suffix}", data)
            blob = buf.getvalue()
        atts.append(f"<Attachment><ContentType>application/pdf</ContentType><ContentId>{cid}</ContentId>"
                    f"<Description>File dinh kem {i + 1}</Description>"
                    f"<ContentTransferEncoded>{base64.encodebytes(blob).decode()}</ContentTransferEncoded>"
                    f"<AttachmentName>{escape(name)}</AttachmentName></Attachment>")
    signer = doc.get("signer") or {}
    head = (
        f"<edXML:From>{_el('OrganId', organ_id)}{_el('OrganizationInCharge', doc.get('issuer'))}"
        f"{_el('OrganName', doc.get('issuer'))}</edXML:From>"
        f"<edXML:To>{_el('OrganId', '000.00.00.H99')}{_el('OrganName', 'Sở Nội vụ')}</edXML:To>"
        f"<edXML:Code>{_el('CodeNumber', number or num)}{_el('CodeNotation', sym)}</edXML:Code>"
        f"<edXML:PromulgationInfo>{_el('Place', doc.get('place'))}{_el('PromulgationDate', day)}</edXML:PromulgationInfo>"
        f"<edXML:DocumentType>{_el('Type', 1)}{_el('TypeName', doc.get('type'))}{_el('TypeDetail', 0)}</edXML:DocumentType>"
        f"{_el('Subject', subject or doc.get('subject'))}{_el('Content', subject or doc.get('subject'))}"
        f"<edXML:SignerInfo>{_el('Competence', 'Trực tiếp')}{_el('Position', signer.get('title'))}"
        f"{_el('FullName', signer.get('name'))}</edXML:SignerInfo>"
        f"{_el('DueDate', due)}<edXML:ToPlaces>{_el('Place', 'Sở Nội vụ')}</edXML:ToPlaces>"
        f"<edXML:OtherInfo>{_el('Priority', 0)}{_el('PageAmount', 1)}<edXML:Appendixes>"
        f"<edXML:Appendix></edXML:Appendix></edXML:Appendixes></edXML:OtherInfo>"
        f"{_el('SteeringType', 0)}{_el('DocumentId', f'{organ_id},{day},{code}')}")
    xml = (f'<?xml version="1.0" encoding="utf-8"?>\n<edXML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:MessageHeader>{head}'
           f'</edXML:MessageHeader><edXML:TraceHeaderList id="1a2b" version="1.0"><edXML:TraceHeader>'
           f'{_el("OrganId", organ_id)}{_el("Timestamp", day + " 08:30:00")}</edXML:TraceHeader><edXML:Bussiness>'
           f'{_el("BussinessDocType", 0)}{_el("Paper", 0)}</edXML:Bussiness></edXML:TraceHeaderList>'
           f'<edXML:DigitalSignature/></edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest version="1.0">'
           f'{"".join(refs)}</edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope>'
           + (f'<AttachmentEncoded>{"".join(atts)}</AttachmentEncoded>' if atts else "") + "</edXML>").encode("utf-8")
    if form != "mime":
        return xml
    msg = EmailMessage()
    msg["MIME-Version"] = "1.0"
    msg.set_content(xml, maintype="text", subtype="xml", cte="8bit")
    msg.make_related()
    for i, (name, data) in enumerate(files):
        msg.add_related(data, maintype="application", subtype="pdf", cid=f"<a{i}-{len(data)}>",
                        disposition="attachment", filename=name)
    return bytes(msg)


def gold_doc(shared: Path, stem: str) -> dict[str, Any]:
    return json.loads((shared / "gold" / f"{stem}.json").read_text(encoding="utf-8"))["document"]


def _bare(shared: Path, stem: str) -> dict[str, Any]:
    [d] = extract_bytes((shared / "corpus" / f"{stem}.pdf").read_bytes(), f"{stem}.pdf")
    return d


def _one(data: bytes, name: str = "goi.edxml") -> dict[str, Any]:
    out = extract_bytes(data, name)
    assert len(out) == 1, out
    assert "error" not in out[0], out[0]
    return out[0]


@pytest.mark.parametrize("stem", PDF_LETTERS)
def test_package_is_one_letter_with_the_envelope_and_the_pdf_contents(shared_dir: Path, stem: str) -> None:
    pdf = (shared_dir / "corpus" / f"{stem}.pdf").read_bytes()
    doc = gold_doc(shared_dir, stem)
    appendix = (shared_dir / "corpus" / f"{PDF_LETTERS[0]}.pdf").read_bytes() if stem != PDF_LETTERS[0] else \
        (shared_dir / "corpus" / f"{PDF_LETTERS[1]}.pdf").read_bytes()
    got = _one(build_edxml(doc, [(f"{stem}.pdf", pdf), ("phu-luc.pdf", appendix)]))
    bare = _bare(shared_dir, stem)
    # the letter is the PDF: its own bytes key it, its contents are what the PDF gives alone
    assert got["source"]["path"] == "goi.edxml" and got["source"]["member"] == f"{stem}.pdf"
    assert got["source"]["sha256"] == bare["source"]["sha256"] and got["source"]["format"] == "pdf"
    # the letter's own citations and duties are what the PDF gives alone; the appendix's follow,
    # each naming it
    assert [c["code"] for c in got["citations"] if "appendix" not in c] == [c["code"] for c in bare["citations"]]
    assert [t["action"] for t in got["tasks"] if "appendix" not in t] == [t["action"] for t in bare["tasks"]]
    assert {t.get("appendix") for t in got["tasks"]} <= {None, "phu-luc.pdf"}
    assert got["citations"], "a letter of the corpus with citations"
    env = got["envelope"]
    assert env["kind"] == "edxml"
    assert env["from"]["id"] == "000.00.01.H30" and env["from"]["name"] == doc["issuer"]
    assert env["code"] == doc["code"] and env["date"] == doc["date"] and env["subject"] == doc["subject"]
    assert env["due_date"] == "2026-01-20"
    assert [(a["name"], a["role"]) for a in env["attachments"]] == [(f"{stem}.pdf", "main"),
                                                                    ("phu-luc.pdf", "appendix")]
    # the envelope says what the sender's e-office holds: where the text reads the same, no flag
    for field in ("code", "date"):
        if bare["document"][field] == doc[field]:
            assert f"envelope.{field}" not in got["document"]["review"]
            assert got["document"][field] == doc[field]


def test_envelope_with_another_number_is_flagged(shared_dir: Path) -> None:
    stem = PDF_LETTERS[2]
    doc = gold_doc(shared_dir, stem)
    pdf = (shared_dir / "corpus" / f"{stem}.pdf").read_bytes()
    bare = _bare(shared_dir, stem)
    other = str(int(doc["number"]) + 1)
    got = _one(build_edxml(doc, [(f"{stem}.pdf", pdf)], number=other))
    assert "envelope.number" in got["document"]["review"]
    # neither value silently replaces the other: the text's in the document, the envelope's beside it
    assert got["document"]["number"] == bare["document"]["number"]
    assert {"field": "number", "envelope": other, "document": bare["document"]["number"]} \
        in got["envelope"]["disagreements"]


def test_envelope_with_another_date_and_subject_is_flagged(shared_dir: Path) -> None:
    stem = PDF_LETTERS[1]
    doc = gold_doc(shared_dir, stem)
    pdf = (shared_dir / "corpus" / f"{stem}.pdf").read_bytes()
    got = _one(build_edxml(doc, [(f"{stem}.pdf", pdf)], date="2020-01-02",
                           subject="Về việc tổ chức hội nghị tổng kết công tác thi đua khen thưởng"))
    assert {"envelope.date", "envelope.subject"} <= set(got["document"]["review"])
    fields = {d["field"] for d in got["envelope"]["disagreements"]}
    assert {"date", "subject"} <= fields and "number" not in fields


def test_envelope_fills_what_the_text_leaves_blank(shared_dir: Path) -> None:
    # a letter drafted in Word: the number and day are written in only when it is registered
    stem = "lamdong-cv-cai-thien-chi-so-cchc-nam-2025"
    data = (shared_dir / "corpus" / f"{stem}.docx").read_bytes()
    bare = extract_bytes(data, f"{stem}.docx")[0]["document"]
    assert bare["code"] is None
    doc = dict(gold_doc(shared_dir, stem), code="123/UBND-VX", date="2025-03-04")
    got = _one(build_edxml(doc, [(f"{stem}.docx", data)]))["document"]
    assert (got["number"], got["symbol"], got["code"], got["date"]) == ("123", "UBND-VX", "123/UBND-VX", "2025-03-04")
    assert got["rule_ids"]["code"] == "envelope.edxml" and got["rule_ids"]["date"] == "envelope.edxml"
    assert not [r for r in got["review"] if r.startswith("envelope.")]


@pytest.mark.parametrize("form", ["zipped", "mime"])
def test_other_gateway_forms_read_the_same(shared_dir: Path, form: str) -> None:
    stem = PDF_LETTERS[0]
    doc = gold_doc(shared_dir, stem)
    pdf = (shared_dir / "corpus" / f"{stem}.pdf").read_bytes()
    files = [(f"{stem}.pdf", pdf), ("phu-luc.pdf", pdf[:5000])]
    inline = _one(build_edxml(doc, files))
    other = _one(build_edxml(doc, files, form=form))
    assert other["source"]["sha256"] == inline["source"]["sha256"]
    assert other["document"]["code"] == inline["document"]["code"]
    assert [t["action"] for t in other["tasks"]] == [t["action"] for t in inline["tasks"]]
    assert [a["name"] for a in other["envelope"]["attachments"]] == [f"{stem}.pdf", "phu-luc.pdf"]


def test_xml_named_package_and_folder_walk(shared_dir: Path, tmp_path: Path) -> None:
    stem = PDF_LETTERS[0]
    pdf = (shared_dir / "corpus" / f"{stem}.pdf").read_bytes()
    f = tmp_path / "vanban.xml"
    f.write_bytes(build_edxml(gold_doc(shared_dir, stem), [(f"{stem}.pdf", pdf)]))
    [raw] = read_path(f)
    assert raw.path == str(f) and raw.member == f"{stem}.pdf" and raw.envelope["kind"] == "edxml"
    assert extract_document(raw).to_dict()["envelope"]["code"] == gold_doc(shared_dir, stem)["code"]


def test_package_due_date_reaches_the_register(shared_dir: Path, tmp_path: Path) -> None:
    """DueDate is the letter's handling deadline: the register's Ghi chú says it, and how it came."""
    from pipeline.ingest import ingest
    from pipeline.register import register_rows
    from pipeline.store import open_store

    stem = PDF_LETTERS[1]
    pdf = (shared_dir / "corpus" / f"{stem}.pdf").read_bytes()
    f = tmp_path / "inbox" / "goi.edxml"
    f.parent.mkdir()
    f.write_bytes(build_edxml(gold_doc(shared_dir, stem), [(f"{stem}.pdf", pdf)], due="2026/01/20"))
    store = open_store(str(tmp_path / "kho.db"))
    ingest(store, [f.parent], jobs=1)
    [row] = register_rows(store, lang="vi")
    assert row["code"] == gold_doc(shared_dir, stem)["code"]
    assert "hạn giải quyết 20/01/2026" in row["notes"] and "edxml" in row["notes"]
    [row_en] = register_rows(store, lang="en")
    assert "to be handled by 20/01/2026" in row_en["notes"]


# --- bad packages: one line naming the file and the problem ------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader>
<Subject>&x;</Subject></MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa">'
          + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(8))
          + b']>\n<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader>'
          b"<MessageHeader><Subject>&i;</Subject></MessageHeader></edXMLHeader></edXMLEnvelope></edXML>")


@pytest.mark.parametrize("data,words", [
    (XXE, "XXE"),
    (LAUGHS, "XXE"),
    (b'<?xml version="1.0"?><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope>', "hỏng"),
    (b'<?xml version="1.0"?><edXML><edXMLEnvelope><edXMLHeader><MessageHeader><Subject>x</Subject>'
     b"</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>", "không có tệp đính kèm"),
    (b'<?xml version="1.0"?><edXML><edXMLEnvelope/></edXML>', "MessageHeader"),
    (b'<?xml version="1.0"?><edXML><edXMLEnvelope><edXMLHeader><MessageHeader/></edXMLHeader></edXMLEnvelope>'
     b"<AttachmentEncoded><Attachment><AttachmentName>a.pdf</AttachmentName><ContentTransferEncoded>"
     b"JVBERi0xLjQKJeLjz9MK!!!</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>", "không đọc được"),
])
def test_bad_package_gives_one_line(data: bytes, words: str) -> None:
    with pytest.raises(ReadError) as e:
        read_documents(data, "hop-thu/goi.edxml")
    msg = str(e.value)
    assert "\n" not in msg and "goi.edxml" in msg and words in msg, msg
    [err] = extract_bytes(data, "hop-thu/goi.edxml")
    assert words in err["error"] and "goi.edxml" in err["path"]


def test_xml_that_is_not_edxml_is_refused() -> None:
    with pytest.raises(ReadError, match="không phải gói edXML"):
        read_documents(b'<?xml version="1.0"?><catalog><book/></catalog>', "danh-muc.xml")


# --- the registry of organ codes (rules/organs.toml) ---------------------------------------------

@pytest.mark.parametrize("rule", load_rules("organs.toml"), ids=lambda r: r["id"])
def test_organ_rules_examples_both_ways(rule: dict[str, Any]) -> None:
    from pipeline.envelope import organ_body
    for code in rule["examples"]:
        assert rule["name"] in organ_body(code), code
    for code in rule.get("counterexamples", []):
        assert rule["name"] not in organ_body(code), code


def test_sender_gets_its_registered_body(shared_dir: Path) -> None:
    stem = PDF_LETTERS[0]
    pdf = (shared_dir / "corpus" / f"{stem}.pdf").read_bytes()
    got = _one(build_edxml(gold_doc(shared_dir, stem), [(f"{stem}.pdf", pdf)], organ_id="000.00.00.H30"))
    assert got["envelope"]["from"]["body"] == "Ủy ban nhân dân tỉnh Hậu Giang"
    # the name the sender wrote agrees with the letter: no flag for the registered body's name
    assert "envelope.issuer" not in got["document"]["review"]


def test_dates_codes_and_bare_namespaces() -> None:
    from pipeline.readers.edxml import edxml_date, envelope_of, join_code, parse_xml

    assert [edxml_date(s) for s in ("2024/03/15", "2024-03-15", "2024-03-15T08:00:00+07:00", "15/03/2024",
                                    "2024/02/30", "N/A", None)] == ["2024-03-15"] * 4 + [None] * 3
    assert join_code("583", "UBND") == "583/UBND"
    assert join_code("156", "CV/TĐTN") == "156-CV/TĐTN"       # Party form keeps its hyphen
    assert join_code("07", "2026/QĐ-TTg") == "07/2026/QĐ-TTg"
    assert join_code("583/UBND", None) == "583/UBND"
    # a gateway that writes no namespace and no prefix at all
    root = parse_xml(b"<edXML><edXMLEnvelope><edXMLHeader><MessageHeader><From><OrganId>X</OrganId>"
                     b"<OrganName>UBND huyen A</OrganName></From><Code><CodeNumber>12</CodeNumber>"
                     b"<CodeNotation>UBND-VP</CodeNotation></Code><PromulgationInfo><PromulgationDate>"
                     b"2025-07-01T00:00:00</PromulgationDate></PromulgationInfo><DueDate>2025/07/10</DueDate>"
                     b"</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>", "x.edxml")
    env = envelope_of(root, "x.edxml")
    assert (env["code"], env["date"], env["due_date"], env["from"]["id"]) == ("12/UBND-VP", "2025-07-01",
                                                                              "2025-07-10", "X")
