"""edXML packages as they really come: big, the letter not always first, appendices that hold duties.

Packages are built on the fly from real corpus letters (tests/test_edxml.py's builder); an
appendix is made from a corpus DOCX by keeping only its duty table, as offices send a Phụ lục.
Nothing from the corpus is copied into the repo.
"""
from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_edxml import PDF_LETTERS, build_edxml, gold_doc

from pipeline import extract_bytes
from pipeline.errors import ReadError, TooLarge
from pipeline.readers import Limits, read_path

TABLE_DOCX = "lamdong-kh-tuyen-truyen-cchc-nam-2026"   # a plan whose duties are a table (STT | Nội dung | …)
REPO = Path(__file__).resolve().parents[1]


def table_appendix(shared: Path, heading: str = "PHỤ LỤC") -> bytes:
    """A Phụ lục: the corpus plan's tables alone, under a heading line (built, never stored)."""
    import docx

    d = docx.Document(str(shared / "corpus" / f"{TABLE_DOCX}.docx"))
    body = d.element.body
    for el in list(body):
        if el.tag.rsplit("}", 1)[-1] not in ("tbl", "sectPr"):
            body.remove(el)
    for line in reversed(heading.splitlines()):
        p = d.add_paragraph(line)
        body.remove(p._p)
        body.insert(0, p._p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def corpus(shared: Path, stem: str, ext: str = ".pdf") -> bytes:
    return (shared / "corpus" / f"{stem}{ext}").read_bytes()


def _one(data: bytes, name: str = "goi.edxml") -> dict[str, Any]:
    out = extract_bytes(data, name)
    assert len(out) == 1 and "error" not in out[0], out
    return out[0]


def _bare_table_tasks(shared: Path) -> list[dict[str, Any]]:
    return [t for t in extract_bytes(corpus(shared, TABLE_DOCX, ".docx"), "k.docx")[0]["tasks"] if t.get("row")]


# --- the letter is the attachment that agrees with the envelope ---------------------------------------

def test_letter_listed_after_its_appendix_is_still_the_letter(shared_dir: Path) -> None:
    stem = PDF_LETTERS[0]
    doc = gold_doc(shared_dir, stem)
    got = _one(build_edxml(doc, [("phu-luc.docx", table_appendix(shared_dir)), (f"{stem}.pdf", corpus(shared_dir, stem))]))
    assert got["source"]["member"] == f"{stem}.pdf" and got["source"]["format"] == "pdf"
    assert got["document"]["code"] == doc["code"]
    assert [(a["name"], a["role"]) for a in got["envelope"]["attachments"]] == [("phu-luc.docx", "appendix"),
                                                                              (f"{stem}.pdf", "main")]


def test_duty_table_of_a_docx_appendix_is_not_lost(shared_dir: Path) -> None:
    stem = PDF_LETTERS[2]
    doc = gold_doc(shared_dir, stem)
    bare = extract_bytes(corpus(shared_dir, stem), f"{stem}.pdf")[0]
    got = _one(build_edxml(doc, [(f"{stem}.pdf", corpus(shared_dir, stem)), ("phu-luc.docx", table_appendix(shared_dir))]))
    # the letter's own duties first, unchanged; then every row of the appendix's duty table
    own = [t for t in got["tasks"] if "appendix" not in t]
    assert [t["action"] for t in own] == [t["action"] for t in bare["tasks"]]
    rows = [t for t in got["tasks"] if t.get("appendix") == "phu-luc.docx" and t.get("row")]
    expected = _bare_table_tasks(shared_dir)
    assert len(expected) >= 10
    assert [(t["lead"], t["row"]) for t in rows] == [(t["lead"], t["row"]) for t in expected]
    entry = next(a for a in got["envelope"]["attachments"] if a["name"] == "phu-luc.docx")
    assert entry["role"] == "appendix" and entry["read"] and entry["tasks"] >= len(rows)


def test_appendix_spans_point_into_the_stored_text(shared_dir: Path) -> None:
    stem = PDF_LETTERS[1]
    doc = gold_doc(shared_dir, stem)
    data = build_edxml(doc, [(f"{stem}.pdf", corpus(shared_dir, stem)), ("phu-luc.docx", table_appendix(shared_dir))])
    [got] = extract_bytes(data, "goi.edxml", with_text=True)
    text = got["text"]
    start, end = next(a for a in got["envelope"]["attachments"] if a["name"] == "phu-luc.docx")["text_span"]
    app_tasks = [t for t in got["tasks"] if t.get("appendix")]
    assert app_tasks
    for t in app_tasks:
        s, e = t["span"]
        assert start <= s < e <= end
        # the duty's words are where its span says (the action's first words, in the cell text)
        assert t["action"].split()[0] in text[s:e]


def test_appendix_that_names_the_letter_is_no_letter_and_no_citation(shared_dir: Path) -> None:
    """A Phụ lục says "(Kèm theo Công văn số 58/CĐ-VPCP ngày 10/01/2026 …)": the same number and date
    as the letter, but not on a "Số:" line; and it cites its own letter, which is no citation."""
    stem = PDF_LETTERS[0]
    doc = gold_doc(shared_dir, stem)
    y, m, d = doc["date"].split("-")
    heading = f"PHỤ LỤC\n(Kèm theo {doc['type']} số {doc['code']} ngày {d}/{m}/{y} của {doc['issuer']})"
    got = _one(build_edxml(doc, [("phu-luc.docx", table_appendix(shared_dir, heading)),
                                 (f"{stem}.pdf", corpus(shared_dir, stem))]))
    assert got["source"]["member"] == f"{stem}.pdf"
    assert doc["code"] not in [c["code"] for c in got["citations"]]
    assert [t for t in got["tasks"] if t.get("appendix") == "phu-luc.docx"]


def test_nothing_agrees_first_pdf_docx_doc_is_the_letter(shared_dir: Path) -> None:
    stem = PDF_LETTERS[1]
    doc = dict(gold_doc(shared_dir, stem), code="99999/XYZ", date="1999-01-01")
    note = "Ghi chú của văn thư: gửi kèm văn bản.\n".encode()
    got = _one(build_edxml(doc, [("ghi-chu.txt", note), ("phu-luc.docx", table_appendix(shared_dir)),
                                 (f"{stem}.pdf", corpus(shared_dir, stem))]))
    roles = {a["name"]: a["role"] for a in got["envelope"]["attachments"]}
    assert roles == {"ghi-chu.txt": "appendix", "phu-luc.docx": "main", f"{stem}.pdf": "appendix"}
    # the table has no number of its own: the envelope's fills it, said to come from there
    assert got["document"]["code"] == "99999/XYZ" and got["document"]["rule_ids"]["code"] == "envelope.edxml"


def test_a_copy_of_the_letter_is_not_an_appendix(shared_dir: Path) -> None:
    """Senders attach the letter twice (the signed PDF and a text or Word copy): its duties once."""
    stem = PDF_LETTERS[1]
    doc = gold_doc(shared_dir, stem)
    bare = extract_bytes(corpus(shared_dir, stem), f"{stem}.pdf")[0]
    got = _one(build_edxml(doc, [(f"{stem}.txt", corpus(shared_dir, stem, ".txt")), (f"{stem}.pdf", corpus(shared_dir, stem))]))
    roles = {a["name"]: a["role"] for a in got["envelope"]["attachments"]}
    assert roles == {f"{stem}.txt": "copy", f"{stem}.pdf": "main"}
    assert len(got["tasks"]) == len(bare["tasks"]) and not [t for t in got["tasks"] if t.get("appendix")]


def test_a_broken_appendix_is_named_and_the_letter_still_read(shared_dir: Path) -> None:
    stem = PDF_LETTERS[0]
    pdf = corpus(shared_dir, stem)
    got = _one(build_edxml(gold_doc(shared_dir, stem), [(f"{stem}.pdf", pdf), ("phu-luc.pdf", pdf[:3000])]))
    entry = next(a for a in got["envelope"]["attachments"] if a["name"] == "phu-luc.pdf")
    assert entry["role"] == "appendix" and "error" in entry
    assert any("phu-luc.pdf" in w and "\n" not in w for w in got["source"]["warnings"])


def test_reprocess_keeps_the_appendix_duties(shared_dir: Path, tmp_path: Path) -> None:
    from pipeline.ingest import in_process, ingest
    from pipeline.reprocess import reprocess_store
    from pipeline.store import Store

    stem = PDF_LETTERS[2]
    (tmp_path / "goi.edxml").write_bytes(build_edxml(gold_doc(shared_dir, stem), [
        (f"{stem}.pdf", corpus(shared_dir, stem)), ("phu-luc.docx", table_appendix(shared_dir))]))
    store = Store(tmp_path / "k.db")
    assert ingest(store, [tmp_path], engine=in_process).stored == 1

    def stored() -> dict[str, Any]:
        with sqlite3.connect(tmp_path / "k.db") as c:
            [(ex,)] = c.execute("SELECT extraction FROM documents").fetchall()
        return json.loads(ex)

    first = stored()
    assert [t for t in first["tasks"] if t.get("appendix") == "phu-luc.docx"]
    assert reprocess_store(store) == 1
    again = stored()
    # from the stored text alone (no tables), the letter is cut from its appendix again: the
    # letter's duties are the same, the appendix's still named as such
    assert [t["action"] for t in again["tasks"] if "appendix" not in t] == \
        [t["action"] for t in first["tasks"] if "appendix" not in t]
    assert [t for t in again["tasks"] if t.get("appendix") == "phu-luc.docx"]
    assert again["document"]["code"] == first["document"]["code"]


# --- bounded memory ----------------------------------------------------------------------------------

_PEAK = """
import json, resource, sys
from pipeline import extract_file_results
out = extract_file_results(sys.argv[1])
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "letters": [d["extraction"]["source"].get("member") for d in out if "extraction" in d],
                  "errors": [d["error"] for d in out if "error" in d]}))
"""


def _peak(path: Path) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, env=env,
                         check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_a_large_package_is_read_in_bounded_memory(shared_dir: Path, tmp_path: Path) -> None:
    """A 40 MB package (the letter and four 8 MB appendices) costs its reader a few megabytes more
    than the letter alone: the base64 is decoded a chunk at a time into spooled files, never held
    as one string (ElementTree held the text, its tree and the decoded bytes: ~3.5x the package)."""
    stem = PDF_LETTERS[0]
    pdf = corpus(shared_dir, stem)
    padding = [(f"phu-luc-{i}.bin", os.urandom(8 * 1024 * 1024)) for i in range(4)]
    pkg = tmp_path / "goi-lon.edxml"
    pkg.write_bytes(build_edxml(gold_doc(shared_dir, stem), [(f"{stem}.pdf", pdf), *padding]))
    del padding
    alone = tmp_path / f"{stem}.pdf"
    alone.write_bytes(pdf)
    size_kb = pkg.stat().st_size // 1024
    assert size_kb > 40 * 1024
    base, big = _peak(alone), _peak(pkg)
    assert big["letters"] == [f"{stem}.pdf"] and not big["errors"], big
    grown = big["peak_kb"] - base["peak_kb"]
    assert grown < size_kb // 4, f"reading a {size_kb // 1024} MB package took {grown // 1024} MB more than its letter"


def test_package_past_the_limits_gives_one_line(shared_dir: Path, tmp_path: Path) -> None:
    stem = PDF_LETTERS[0]
    pdf = corpus(shared_dir, stem)
    pkg = tmp_path / "goi.edxml"
    pkg.write_bytes(build_edxml(gold_doc(shared_dir, stem), [(f"{stem}.pdf", pdf),
                                                             ("phu-luc.bin", os.urandom(3 * 1024 * 1024))]))
    with pytest.raises(TooLarge) as e:
        read_path(pkg, Limits(max_bytes=2 * 1024 * 1024))
    assert "goi.edxml" in str(e.value) and "quá lớn" in str(e.value) and "\n" not in str(e.value)
    with pytest.raises(TooLarge) as e:
        read_path(pkg, Limits(max_unpacked=2 * 1024 * 1024))
    msg = str(e.value)
    assert "goi.edxml" in msg and "edXML" in msg and "2 MB" in msg and "\n" not in msg, msg
    # the same through extract_bytes (a Dask worker): a record, not an exception
    [err] = extract_bytes(pkg.read_bytes(), "goi.edxml", Limits(max_unpacked=2 * 1024 * 1024))
    assert "edXML" in err["error"] and err["path"] == "goi.edxml"


def test_broken_base64_and_runaway_field_give_one_line() -> None:
    head = b'<?xml version="1.0"?><edXML><edXMLEnvelope><edXMLHeader><MessageHeader>'
    runaway = head + b"<Subject>" + b"a" * (2 * 1024 * 1024) + b"</Subject></MessageHeader></edXMLHeader>" \
        b"</edXMLEnvelope></edXML>"
    for data, words in ((runaway, "trường dài"),
                        (head + b"</MessageHeader></edXMLHeader></edXMLEnvelope><AttachmentEncoded><Attachment>"
                         b"<ContentTransferEncoded>JVBERi0xLjQKJ</ContentTransferEncoded></Attachment>"
                         b"</AttachmentEncoded></edXML>", "base64")):
        with pytest.raises(ReadError) as e:
            read_path_bytes(data)
        assert words in str(e.value) and "goi.edxml" in str(e.value) and "\n" not in str(e.value)


def read_path_bytes(data: bytes) -> object:
    from pipeline.readers import read_documents
    return read_documents(data, "hop-thu/goi.edxml")


def test_an_appendix_with_broken_base64_loses_only_itself(shared_dir: Path) -> None:
    stem = PDF_LETTERS[0]
    pkg = build_edxml(gold_doc(shared_dir, stem), [(f"{stem}.pdf", corpus(shared_dir, stem)), ("phu-luc.pdf", b"x")])
    # the second file's base64 given one character too many (5 is never a length base64 has)
    at = pkg.rfind(b"<ContentTransferEncoded>") + len(b"<ContentTransferEncoded>")
    pkg = pkg[:at] + b"eAAAA" + pkg[pkg.index(b"</ContentTransferEncoded>", at):]
    got = _one(pkg)
    assert got["source"]["member"] == f"{stem}.pdf"
    entry = next(a for a in got["envelope"]["attachments"] if a["name"] == "phu-luc.pdf")
    assert "base64" in entry["error"]
    assert any("phu-luc.pdf" in w and "base64" in w for w in got["source"]["warnings"])
