"""Letters that arrive as packages (e-mail, ZIP, edXML inside them) and files whose names lie.

Real corpus letters are wrapped on the fly; nothing from the corpus is copied into the repo.
"""
from __future__ import annotations

import io
import json
import os
import pickle
import sqlite3
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from pipeline import extract_bytes
from pipeline.errors import ReadError, TooLarge
from pipeline.ingest import in_process, ingest
from pipeline.readers import Limits, detect_format, read_documents
from pipeline.store import Store

PDFS = ["lamdong-58-cd-vpcp-10012026-1-signed", "lamdong-8-cv-1468-cua-dtp-don-doc-dai-hoi-va-sap-nhap",
        "lamdong-van-ban-8977-cua-bo-noi-vu"]
DOCX = "lamdong-cv-nhan-rong-mo-hinh-cchc"
MAIL_DATE = "Mon, 12 Jan 2026 16:05:00 +0700"


def corpus(shared: Path, stem: str, ext: str = ".pdf") -> bytes:
    return (shared / "corpus" / f"{stem}{ext}").read_bytes()


def build_mail(files: list[tuple[str, bytes]], date: str = MAIL_DATE, logo: bool = True) -> bytes:
    """A mail as an office's mail client sends it: text body, attachments, often a logo."""
    msg = EmailMessage()
    msg["From"] = "Văn thư Sở Tư pháp <vanthu.stp@lamdong.gov.vn>"
    msg["To"] = "sonoivu@lamdong.gov.vn"
    msg["Subject"] = "Gửi văn bản đến Sở Nội vụ"
    msg["Date"] = date
    msg["Message-ID"] = "<m1@lamdong.gov.vn>"
    msg.set_content("Kính gửi Sở Nội vụ,\nVăn thư gửi kèm các văn bản.\n")
    msg.add_alternative("<p>Kính gửi Sở Nội vụ,</p><p>Văn thư gửi kèm các văn bản.</p>", subtype="html")
    for name, data in files:
        main, _, sub = {".pdf": "application/pdf", ".zip": "application/zip", ".edxml": "application/xml",
                        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                        }.get(Path(name).suffix, "application/octet-stream").partition("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    if logo:
        msg.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\0" * 200, maintype="image", subtype="png", filename="logo.png")
    return bytes(msg)


def build_zip(files: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in files:
            z.writestr(name, data)
    return buf.getvalue()


def letters(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in out if "error" not in d]


# --- e-mail ------------------------------------------------------------------------------------------

def test_mail_with_two_pdfs_gives_two_letters_dated_by_the_mail(shared_dir: Path) -> None:
    files = [(f"{s}.pdf", corpus(shared_dir, s)) for s in PDFS[:2]]
    out = extract_bytes(build_mail(files), "hop-thu/thu-den.eml")
    assert len(out) == 2 and not [d for d in out if "error" in d], out
    for d, (name, data) in zip(out, files, strict=True):
        bare = extract_bytes(data, name)[0]
        assert d["source"]["member"] == name and d["source"]["path"] == "hop-thu/thu-den.eml"
        assert d["source"]["sha256"] == bare["source"]["sha256"]
        assert d["document"]["code"] == bare["document"]["code"]
        assert [c["code"] for c in d["citations"]] == [c["code"] for c in bare["citations"]]
        env = d["envelope"]
        assert env["kind"] == "email" and env["from"] == {"id": "vanthu.stp@lamdong.gov.vn",
                                                            "name": "Văn thư Sở Tư pháp"}
        assert env["subject"] == "Gửi văn bản đến Sở Nội vụ" and env["date"] == "2026-01-12"
        # the mail's day is the letter's ngày đến
        assert d["document"]["received"]["date"] == "2026-01-12"
        assert d["document"]["rule_ids"]["received"] == "envelope.email.date"
        # the logo is listed, not read as a letter
        assert [a["name"] for a in env["attachments"] if not a["letter"]] == ["logo.png"]


def test_mail_date_is_the_day_in_vietnam() -> None:
    from pipeline.readers.email import mail_date
    assert mail_date("Mon, 12 Jan 2026 20:30:00 +0000")[1] == "2026-01-13"
    assert mail_date("not a date") == (None, None)


def test_mail_ingests_two_letters_registered_on_the_mail_day(shared_dir: Path, tmp_path: Path) -> None:
    mail = tmp_path / "thu-den.eml"
    mail.write_bytes(build_mail([(f"{s}.pdf", corpus(shared_dir, s)) for s in PDFS[:2]]))
    store = Store(tmp_path / "k.db")
    rep = ingest(store, [tmp_path], engine=in_process)
    assert rep.stored == 2 and not rep.errors, rep.errors
    with sqlite3.connect(tmp_path / "k.db") as c:
        rows = c.execute("SELECT path, received_date, extraction FROM documents ORDER BY id").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(str(mail), "2026-01-12")] * 2
    assert [json.loads(r[2])["source"]["member"] for r in rows] == [f"{s}.pdf" for s in PDFS[:2]]
    # the same mail again stores nothing twice
    assert ingest(store, [mail], engine=in_process).stored == 0


def test_edxml_attached_to_a_mail(shared_dir: Path) -> None:
    from test_edxml import build_edxml, gold_doc

    stem = PDFS[0]
    pkg = build_edxml(gold_doc(shared_dir, stem), [(f"{stem}.pdf", corpus(shared_dir, stem))])
    [d] = extract_bytes(build_mail([("van-ban.edxml", pkg)], logo=False), "thu.eml")
    assert d["envelope"]["kind"] == "edxml" and d["envelope"]["via"]["kind"] == "email"
    assert d["source"]["member"] == f"van-ban.edxml!{stem}.pdf"
    assert d["document"]["received"]["date"] == "2026-01-12"


def test_mail_with_one_bad_attachment_keeps_the_good_one(shared_dir: Path) -> None:
    good = corpus(shared_dir, PDFS[0])
    out = extract_bytes(build_mail([("hong.pdf", good[:4000]), ("tot.pdf", good)]), "thu.eml")
    assert [d["source"]["member"] for d in letters(out)] == ["tot.pdf"]
    [err] = [d for d in out if "error" in d]
    assert err["path"] == "thu.eml!hong.pdf" and "\n" not in err["error"]


def test_mail_without_letters_says_so() -> None:
    with pytest.raises(ReadError, match="không có tệp đính kèm là văn bản"):
        read_documents(build_mail([]), "thu.eml")


# --- ZIP -----------------------------------------------------------------------------------------------

def test_zip_of_three_letters_gives_three(shared_dir: Path, tmp_path: Path) -> None:
    files = [(f"VanBanDen/{PDFS[0]}.pdf", corpus(shared_dir, PDFS[0])),
             (f"VanBanDen/{PDFS[1]}.pdf", corpus(shared_dir, PDFS[1])),
             (f"VanBanDen/{DOCX}.docx", corpus(shared_dir, DOCX, ".docx")),
             ("__MACOSX/._x.pdf", b"junk"), ("VanBanDen/Thumbs.db", b"\0" * 10)]
    data = build_zip(files)
    out = extract_bytes(data, "xuat-tu-eoffice.zip")
    assert [d["source"]["member"] for d in out] == [n for n, _ in files[:3]], out
    assert [d["source"]["format"] for d in out] == ["pdf", "pdf", "docx"]
    for d, (name, blob) in zip(out, files[:3], strict=True):
        assert d["document"]["code"] == extract_bytes(blob, name)[0]["document"]["code"]
        assert "envelope" not in d   # a folder, not an envelope
    z = tmp_path / "xuat-tu-eoffice.zip"
    z.write_bytes(data)
    rep = ingest(Store(tmp_path / "k.db"), [z], engine=in_process)
    assert rep.stored == 3 and not rep.errors


def test_zip_inside_a_mail_and_nesting_bounded(shared_dir: Path) -> None:
    pdf = corpus(shared_dir, PDFS[0])
    inner = build_zip([("a.pdf", pdf)])
    [d] = extract_bytes(build_mail([("van-ban.zip", inner)], logo=False), "thu.eml")
    assert d["source"]["member"] == "van-ban.zip!a.pdf"
    deep = pdf
    for k in range(5):
        deep = build_zip([(f"lop{k}.zip" if k else "a.pdf", deep)])
    with pytest.raises(TooLarge, match="lồng nhau"):
        read_documents(deep, "sau.zip", Limits(max_depth=3))


@pytest.mark.parametrize("case", ["ratio", "total", "corrupt", "encrypted", "empty"])
def test_bad_zip_gives_one_line(case: str) -> None:
    limits = Limits(max_unpacked=4 * 1024 * 1024)
    if case == "ratio":        # 20 MB of zeros in 20 kB: no letter packs so tight
        limits = Limits()
        data, words = build_zip([("bom.pdf", b"\0" * (20 * 1024 * 1024))]), "lần, quá mức của một văn bản (có thể là zip bomb)"
    elif case == "total":      # many members, together past the limit
        data, words = build_zip([(f"{i}.txt", b"a" * (1024 * 1024)) for i in range(6)], zipfile.ZIP_STORED), "MB"
    elif case == "corrupt":
        data, words = build_zip([("a.pdf", os.urandom(20000))])[:3000], "hỏng"
    elif case == "encrypted":
        raw = bytearray(build_zip([("a.txt", b"Kinh gui")], zipfile.ZIP_STORED))
        raw[6] |= 1                                      # local header: encrypted
        cd = raw.rfind(b"PK\x01\x02")
        raw[cd + 8] |= 1                                 # central directory: encrypted
        data, words = bytes(raw), "mã hóa"
    else:
        data, words = build_zip([("ghi-chu.xlsx", build_zip([("xl/workbook.xml", b"<workbook/>")])),
                                 ("chu-ky.sig", b"\x01\x02")]), "không chứa văn bản"
    out = extract_bytes(data, "kho/goi.zip", limits)
    assert out and all("error" in d for d in out), out
    assert any(words in d["error"] for d in out), out
    assert all("goi.zip" in d["path"] and "\n" not in d["error"] for d in out)


def test_zip_declaring_small_sizes_is_still_counted(shared_dir: Path) -> None:
    """A member that inflates past what it declares is stopped (a bomb lying in its headers)."""
    raw = bytearray(build_zip([("a.txt", b"a" * 3_000_000)]))
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):   # uncompressed size fields
        at = raw.find(sig)
        raw[at + off:at + off + 4] = (1000).to_bytes(4, "little")
    out = extract_bytes(bytes(raw), "noi-doi.zip")
    assert all("error" in d for d in out) and "noi-doi.zip" in out[0]["path"], out


# --- names that lie -------------------------------------------------------------------------------------

def test_contents_decide_not_names(shared_dir: Path) -> None:
    pdf = corpus(shared_dir, PDFS[0])
    txt = (shared_dir / "corpus" / f"{PDFS[1]}.txt").read_bytes()
    assert detect_format(pdf, "van-ban.txt") == "pdf"
    assert detect_format(txt, "van-ban.doc") == "txt"
    [raw] = read_documents(txt, "van-ban.doc")
    assert raw.format == "txt" and any("nội dung là TXT" in w for w in raw.warnings)
    html = b"<html><head><meta charset='utf-8'></head><body>" + b"".join(
        b"<p>" + line.encode() + b"</p>" for line in txt.decode("utf-8").splitlines()) + b"</body></html>"
    [raw] = read_documents(html, "van-ban.doc")
    assert raw.format == "html"
    [d] = extract_bytes(html, "van-ban.doc")
    assert d["document"]["code"] == extract_bytes(txt, "v.txt")[0]["document"]["code"]


@pytest.mark.parametrize("name", ["van-ban.doc", "van-ban.pdf", "van-ban.docx", "van-ban.edxml"])
def test_binary_garbage_with_a_letter_name_is_refused(name: str) -> None:
    import random
    rng = random.Random(4)
    junk = bytes(rng.randrange(256) for _ in range(5000))
    with pytest.raises(ReadError) as e:
        read_documents(junk, name)
    assert "\n" not in str(e.value) and name in str(e.value)


def test_extract_bytes_is_picklable_and_gives_plain_data(shared_dir: Path) -> None:
    fn = pickle.loads(pickle.dumps(extract_bytes))
    out = fn(build_zip([("a.pdf", corpus(shared_dir, PDFS[0]))]), "a.zip")
    json.dumps(out, ensure_ascii=False)
    assert len(out) == 1 and out[0]["source"]["member"] == "a.pdf"


def test_pdf_named_txt_and_web_page_saved_as_doc(shared_dir: Path) -> None:
    [raw] = read_documents(corpus(shared_dir, PDFS[0]), "van-ban.txt")
    assert raw.format == "pdf"
    # Word's "single file web page" (MHTML) saved with a .doc name
    txt = (shared_dir / "corpus" / f"{PDFS[1]}.txt").read_text(encoding="utf-8")
    page = EmailMessage()
    page["MIME-Version"] = "1.0"
    page.set_content("<html><body>" + "".join(f"<p>{line}</p>" for line in txt.splitlines()) + "</body></html>",
                     subtype="html")
    page.make_related()
    [d] = extract_bytes(bytes(page), "trang-web.doc")
    assert d["source"]["format"] == "html"
    assert d["document"]["code"] == extract_bytes(txt.encode(), "v.txt")[0]["document"]["code"]


def test_reprocessing_keeps_what_the_package_said(shared_dir: Path, tmp_path: Path) -> None:
    from test_edxml import build_edxml, gold_doc

    from pipeline.reprocess import reprocess_store

    stem = PDFS[2]
    doc = gold_doc(shared_dir, stem)
    (tmp_path / "goi.edxml").write_bytes(build_edxml(doc, [(f"{stem}.pdf", corpus(shared_dir, stem))],
                                                     number=str(int(doc["number"]) + 1)))
    store = Store(tmp_path / "k.db")
    assert ingest(store, [tmp_path], engine=in_process).stored == 1
    assert reprocess_store(store) == 1
    with sqlite3.connect(tmp_path / "k.db") as c:
        [(ex,)] = c.execute("SELECT extraction FROM documents").fetchall()
    ex = json.loads(ex)
    assert ex["envelope"]["kind"] == "edxml" and ex["source"]["member"] == f"{stem}.pdf"
    assert "envelope.number" in ex["document"]["review"]
