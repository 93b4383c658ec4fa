"""Build the seed letter as DOCX and PDF in the real layout: ``make corpus``.

corpus/583-UBND-son-tay-2024.txt is the seed. From it this script writes
corpus/583-UBND-son-tay-2024.docx with python-docx (borderless two-column header table, body
paragraphs, Nơi nhận and signature side by side in a borderless table, the two footnotes as
real Word footnotes in word/footnotes.xml) and converts it to corpus/583-UBND-son-tay-2024.pdf
with LibreOffice headless (Debian libreoffice-writer-nogui + fonts-liberation2).

python-docx has no footnote API: the footnotes part, its relationship and content type and the
``w:footnoteReference`` runs are written here by hand (ECMA-376 Part 1, 17.11).

Example: ``.venv/bin/python tools/make_seed_docs.py [--no-pdf]``
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"
STEM = "583-UBND-son-tay-2024"
FONT = "Times New Roman"  # LibreOffice substitutes the metric-compatible Liberation Serif
SUPERSCRIPTS = {"¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
                "⁹": "9"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def parse_seed(text: str) -> dict:
    """Cut the seed text into header columns, recipients, body paragraphs, footnotes, Nơi nhận."""
    paras = [p.strip("\n") for p in re.split(r"\n\s*\n", text.strip())]
    left = paras[0].splitlines() + paras[1].splitlines()          # body + Số/V/v
    right = paras[2].splitlines() + paras[3].splitlines()         # motto + place/date
    i = 4
    assert paras[i].startswith("Kính gửi"), paras[i]
    recipients = paras[i + 1].splitlines()
    i += 2
    body: list[str] = []
    footnotes: dict[str, list[str]] = {}
    current_fn: str | None = None
    while not paras[i].startswith("Nơi nhận"):
        p = paras[i]
        i += 1
        if p[0] in SUPERSCRIPTS:
            current_fn = SUPERSCRIPTS[p[0]]
            footnotes[current_fn] = [p[1:].strip()]
            continue
        if current_fn and p.startswith("- "):
            footnotes[current_fn].append(p)      # a footnote of several paragraphs (² Cụ thể: …)
            continue
        if current_fn and p[:1].islower():
            body[-1] = body[-1] + " " + p        # the paragraph the footnote cut in two (3.b)
            current_fn = None
            continue
        current_fn = None
        body.append(p)
    cc = paras[i + 1].splitlines()
    title, name = paras[i + 2], paras[i + 3]
    return {"left": left, "right": right, "recipients": recipients, "body": body,
            "footnotes": footnotes, "cc": cc, "signer_title": title, "signer_name": name}


def _set_font(run, size: float = 14, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f'<w:rFonts {nsdecls("w")}/>')
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)


def _borderless(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        f'<w:tblBorders {nsdecls("w")}>'
        + "".join(f'<w:{b} w:val="nil"/>' for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>")
    tbl_pr.append(borders)


def _widths(table, *widths) -> None:
    table.autofit = False
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
        for cell in col.cells:
            cell.width = w


def _para(container, text: str, *, size: float = 14, bold: bool = False, italic: bool = False,
          align=None, indent: bool = False, space_after: float = 6):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Mm(12.7)
    if align is not None:
        p.alignment = align
    _add_runs(p, text, size=size, bold=bold, italic=italic)
    return p


def _add_runs(p, text: str, *, size: float, bold: bool, italic: bool) -> None:
    """Runs for text; ``*…*`` is italic (the seed marks the quoted Công điện that way)."""
    for k, piece in enumerate(re.split(r"\*", text)):
        if piece:
            _set_font(p.add_run(piece), size=size, bold=bold, italic=italic or k % 2 == 1)


def _footnote_ref(p, fid: str) -> None:
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/>'
        f'<w:vertAlign w:val="superscript"/><w:sz w:val="28"/></w:rPr>'
        f'<w:footnoteReference w:id="{fid}"/></w:r>'))


def _footnotes_xml(footnotes: dict[str, list[str]]) -> bytes:
    rpr = f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/><w:sz w:val="20"/></w:rPr>'
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">',
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for fid, paras in footnotes.items():
        parts.append(f'<w:footnote w:id="{fid}">')
        for k, text in enumerate(paras):
            parts.append('<w:p><w:pPr><w:spacing w:after="40"/><w:jc w:val="both"/></w:pPr>')
            if k == 0:
                parts.append(f'<w:r><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/>'
                             '<w:vertAlign w:val="superscript"/><w:sz w:val="20"/></w:rPr>'
                             '<w:footnoteRef/></w:r>')
                text = " " + text
            parts.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>')
        parts.append("</w:footnote>")
    parts.append("</w:footnotes>")
    return "".join(parts).encode("utf-8")


def build_docx(seed: dict, out: Path) -> None:
    """Write the seed letter as a DOCX in the layout of Decree 30/2020/NĐ-CP, Appendix I."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)

    # Header: borderless two-column table, left = issuer, Số, V/v; right = motto, place and date.
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(header)
    lc, rc = header.rows[0].cells
    _widths(header, Mm(62), Mm(108))
    lc.paragraphs[0]._p.getparent().remove(lc.paragraphs[0]._p)
    rc.paragraphs[0]._p.getparent().remove(rc.paragraphs[0]._p)
    for k, line in enumerate(seed["left"]):
        is_subject = line.startswith("V/v") or (k > 3)
        _para(lc, line, size=13 if not is_subject else 12, bold=k < 2, space_after=0 if k != 1 else 8,
              align=WD_ALIGN_PARAGRAPH.CENTER)
    for k, line in enumerate(seed["right"]):
        _para(rc, line, size=13 if k == 0 else 14, bold=k < 2, italic=k >= 2,
              space_after=0 if k != 1 else 8,
              align=WD_ALIGN_PARAGRAPH.CENTER if k < 2 else WD_ALIGN_PARAGRAPH.RIGHT)

    _para(doc, "", space_after=0)
    # Kính gửi with the list of recipients hanging under it.
    first = True
    for line in seed["recipients"]:
        label = "Kính gửi: " if first else ""
        p = _para(doc, label + line, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0)
        p.paragraph_format.left_indent = Mm(40)
        if first:
            p.paragraph_format.first_line_indent = Mm(-22)
        first = False
    _para(doc, "", space_after=0)

    fid_re = re.compile("[" + "".join(SUPERSCRIPTS) + "]")
    for text in seed["body"]:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Mm(12.7)
        p.paragraph_format.space_after = Pt(6)
        pos = 0
        for m in fid_re.finditer(text):
            _add_runs(p, text[pos:m.start()], size=14, bold=False, italic=False)
            _footnote_ref(p, SUPERSCRIPTS[m.group()])
            pos = m.end()
        heading = bool(re.match(r"\d+\. ", text))
        _add_runs(p, text[pos:], size=14, bold=heading, italic=False)

    # Nơi nhận (left, small) and the signature (right) side by side.
    sig = doc.add_table(rows=1, cols=2)
    _borderless(sig)
    lc, rc = sig.rows[0].cells
    _widths(sig, Mm(85), Mm(85))
    lc.paragraphs[0]._p.getparent().remove(lc.paragraphs[0]._p)
    rc.paragraphs[0]._p.getparent().remove(rc.paragraphs[0]._p)
    _para(lc, "Nơi nhận:", size=12, bold=True, italic=True, space_after=0)
    for line in seed["cc"]:
        _para(lc, line, size=11, space_after=0)
    _para(rc, seed["signer_title"], size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    for _ in range(4):
        _para(rc, "", space_after=0)
    _para(rc, seed["signer_name"], size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)

    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, _footnotes_xml(seed["footnotes"]),
                doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    doc.core_properties.title = "Công văn 583/UBND"
    doc.core_properties.author = "congvan make_seed_docs"
    doc.save(str(out))


def build_pdf(docx: Path, out_dir: Path) -> Path:
    """DOCX -> PDF with LibreOffice headless, in a private profile so parallel runs work."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("Thiếu LibreOffice: cài gói Debian libreoffice-writer-nogui và fonts-liberation2")
    with tempfile.TemporaryDirectory(prefix="congvan-lo-") as tmp:
        env = dict(os.environ, HOME=tmp)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(docx)],
                       check=True, capture_output=True, timeout=180, env=env)
        made = Path(tmp) / (docx.stem + ".pdf")
        target = out_dir / made.name
        shutil.copyfile(made, target)
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=Path, default=SEED)
    ap.add_argument("--out", type=Path, default=REPO / "corpus")
    ap.add_argument("--no-pdf", action="store_true", help="only the DOCX")
    args = ap.parse_args(argv)
    seed = parse_seed(args.seed.read_text(encoding="utf-8"))
    docx = args.out / f"{STEM}.docx"
    build_docx(seed, docx)
    print(f"wrote {docx}")
    if not args.no_pdf:
        print(f"wrote {build_pdf(docx, args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
