"""Mails as offices' clients really send them: names in every encoding, packages inside, nothing inside.

Real corpus letters are attached on the fly; nothing from the corpus is copied into the repo.
"""
from __future__ import annotations

import base64
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from test_arrivals import MAIL_DATE, build_mail, build_zip, corpus
from test_edxml import build_edxml, gold_doc

from pipeline import extract_bytes
from pipeline.errors import ReadError
from pipeline.ingest import in_process, ingest
from pipeline.readers import read_documents
from pipeline.store import Store

PDF = "lamdong-8-cv-1468-cua-dtp-don-doc-dai-hoi-va-sap-nhap"
NAME = "Công văn số 1468 Sở Tư pháp.pdf"


def _ew(text: str, charset: str = "UTF-8") -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def _q(text: str, charset: str = "utf-8") -> str:
    """RFC 2047 "Q" encoding: letters and digits as they are, a space as "_", the rest =XX."""
    return "".join(chr(b) if b < 128 and chr(b).isalnum() else "_" if b == 32 else f"={b:02X}"
                   for b in text.encode(charset))


WINDOWS_PATH = "C:\\Users\\vt\\" + NAME


# How mail clients write an attachment's name (RFC 2231, RFC 2047 inside quotes, name= only…).
NAME_HEADERS = {
    "rfc2231": f"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''{quote(NAME)}",
    "rfc2231-continued": ("Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n"
                          f" filename*0*=UTF-8''{quote(NAME[:12])};\r\n filename*1*={quote(NAME[12:])}"),
    "encoded-word-in-quotes": f'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="{_ew(NAME)}"',
    "q-encoded-words-split": ("Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n"
                              f' filename="=?utf-8?Q?{_q(NAME[:10])}?= =?utf-8?Q?{_q(NAME[10:])}?="'),
    "content-type-name-only": f'Content-Type: application/octet-stream; name="{_ew(NAME)}"\r\nContent-Disposition: attachment',
    "raw-utf8": f'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="{NAME}"',
    "decomposed-accents": ("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''"
                           + quote(__import__("unicodedata").normalize("NFD", NAME))),
    "windows-path": f"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''{quote(WINDOWS_PATH)}",
}


def raw_mail(part_head: str, payload: bytes) -> bytes:
    """A multipart mail written out by hand, so the attachment's header is exactly ``part_head``."""
    body = base64.encodebytes(payload).decode().replace("\n", "\r\n")
    return ("From: =?UTF-8?B?" + base64.b64encode("Văn thư Sở Tư pháp".encode()).decode()
            + "?= <vanthu.stp@lamdong.gov.vn>\r\nTo: sonoivu@lamdong.gov.vn\r\n"
            f"Subject: {_ew('Gửi văn bản')}\r\nDate: {MAIL_DATE}\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
            "Kính gửi Sở Nội vụ.\r\n--b1\r\n" + part_head + "\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + body + "--b1--\r\n").encode("utf-8")


@pytest.mark.parametrize("form", NAME_HEADERS)
def test_attachment_names_in_every_encoding(shared_dir: Path, form: str) -> None:
    pdf = corpus(shared_dir, PDF)
    [d] = extract_bytes(raw_mail(NAME_HEADERS[form], pdf), "thu.eml")
    assert "error" not in d, d
    assert d["source"]["member"] == NAME and d["source"]["format"] == "pdf"
    assert d["document"]["code"] == extract_bytes(pdf, "a.pdf")[0]["document"]["code"]
    assert d["envelope"]["from"]["name"] == "Văn thư Sở Tư pháp" and d["envelope"]["subject"] == "Gửi văn bản"
    assert d["document"]["received"]["date"] == "2026-01-12"


def test_mail_with_an_edxml_named_xml_and_sent_as_octet_stream(shared_dir: Path) -> None:
    pkg = build_edxml(gold_doc(shared_dir, PDF), [(f"{PDF}.pdf", corpus(shared_dir, PDF))])
    head = f"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''{quote('Văn bản đến.xml')}"
    [d] = extract_bytes(raw_mail(head, pkg), "thu.eml")
    assert d["envelope"]["kind"] == "edxml" and d["envelope"]["via"]["kind"] == "email"
    assert d["source"]["member"] == f"Văn bản đến.xml!{PDF}.pdf"
    assert d["envelope"]["due_date"] == "2026-01-20" and d["document"]["received"]["date"] == "2026-01-12"


def test_mail_with_a_zip_of_two_letters_gives_two_dated_by_the_mail(shared_dir: Path) -> None:
    stems = [PDF, "lamdong-van-ban-8977-cua-bo-noi-vu"]
    z = build_zip([(f"{s}.pdf", corpus(shared_dir, s)) for s in stems])
    out = extract_bytes(build_mail([("van-ban-den.zip", z)]), "thu.eml")
    assert [d["source"]["member"] for d in out] == [f"van-ban-den.zip!{s}.pdf" for s in stems], out
    assert {d["document"]["received"]["date"] for d in out} == {"2026-01-12"}
    assert all(d["envelope"]["kind"] == "email" for d in out)


@pytest.mark.parametrize("files,words", [
    ([], "chỉ có: logo.png"),
    ([("bang-ke.xlsx", build_zip([("xl/workbook.xml", b"<workbook/>")]))], "bang-ke.xlsx"),
])
def test_mail_with_no_letter_says_so_in_one_line(files: list[tuple[str, bytes]], words: str) -> None:
    data = build_mail(files)
    with pytest.raises(ReadError) as e:
        read_documents(data, "hop-thu/thu.eml")
    msg = str(e.value)
    assert "không có tệp đính kèm là văn bản" in msg and words in msg and "thu.eml" in msg and "\n" not in msg
    [err] = extract_bytes(data, "hop-thu/thu.eml")
    assert err["path"] == "hop-thu/thu.eml" and "\n" not in err["error"]


def test_mail_with_nothing_attached_and_encrypted_mail() -> None:
    from email.message import EmailMessage

    bare = EmailMessage()
    bare["From"], bare["Date"], bare["Subject"] = "a@b.vn", MAIL_DATE, "Hỏi thăm"
    bare.set_content("Không có gì đính kèm.")
    with pytest.raises(ReadError, match="không có tệp đính kèm nào"):
        read_documents(bytes(bare), "thu.eml")
    sealed = (f"From: a@b.vn\r\nDate: {MAIL_DATE}\r\nMIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; "
              'smime-type=enveloped-data; name="smime.p7m"\r\nContent-Disposition: attachment; filename="smime.p7m"\r\n'
              "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggE=\r\n").encode()
    with pytest.raises(ReadError) as e:
        read_documents(sealed, "mat.eml")
    assert "S/MIME" in str(e.value) and "mat.eml" in str(e.value)


def test_a_batch_of_mails_goes_on_past_the_bad_ones(shared_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "1-khong-co-van-ban.eml").write_bytes(build_mail([]))
    (tmp_path / "2-tot.eml").write_bytes(raw_mail(NAME_HEADERS["rfc2231"], corpus(shared_dir, PDF)))
    (tmp_path / "3-hong.eml").write_bytes(build_mail([("hong.pdf", corpus(shared_dir, PDF)[:3000])], logo=False))
    rep = ingest(Store(tmp_path / "k.db"), [tmp_path], engine=in_process)
    assert rep.stored == 1
    with sqlite3.connect(tmp_path / "k.db") as c:
        [(member,)] = c.execute("SELECT json_extract(extraction, '$.source.member') FROM documents").fetchall()
    assert member == NAME
    assert len(rep.errors) == 2 and all("\n" not in str(e) for e in rep.errors), rep.errors
