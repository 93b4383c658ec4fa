"""DOCX (python-docx): body order with tables, real footnotes, list numbering, text boxes.

* Paragraphs and tables come in body order. A layout table of two columns (the header:
  issuer | motto and date; the foot: Nơi nhận | signature) is read column by column, the left
  column's cells top to bottom and then the right column's, each cell's paragraphs as lines,
  the same reading order the PDF reader gives. Other tables are read row by row, cell by cell,
  and kept as tables too (``RawDocument.tables``: each cell's text, its span in the text, its
  grid column and merges, bold; header rows marked by Word's tblHeader; a table nested in a
  cell comes after the one that holds it, ``nested_in`` naming it).
* Footnotes come from ``word/footnotes.xml`` into ``RawDocument.footnotes``; the mark is the
  number Word shows (the order of the references, or a custom mark), and no mark is left in the
  body text.
* Automatic numbering (``w:numPr``, from the paragraph or its style) is rendered as Word shows it
  ("1.", "a)", "II."), so the structure survives ("3.b" sections).
* Text boxes (``w:txbxContent``) are read after the paragraph that anchors them; the VML fallback
  copy of each box (``mc:Fallback``) is skipped so nothing is read twice.
* Deleted revisions and field codes are skipped; page headers and footers are not read.
* Guards: a zip that unpacks to more than ``Limits.max_unpacked`` -> TooLarge; not a zip, no
  ``word/document.xml`` or a broken part -> ReadError.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReadError, TooLarge
from ..models import Block, Footnote, RawDocument, Table, TableCell, TableRow
from .legacy import convert_legacy, detect_legacy
from .tables import align_tables

if TYPE_CHECKING:  # pragma: no cover
    from . import Limits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Numbering:
    """Word's list numbering: num -> abstractNum levels, with running counters."""

    levels: dict[str, dict[int, tuple[int, str, str]]] = field(default_factory=dict)  # numId -> ilvl -> (start, fmt, text)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)             # styleId -> (numId, ilvl)

    @classmethod
    def from_document(cls, doc: Any) -> Numbering:
        num = cls()
        try:
            part = doc.part.numbering_part
        except (KeyError, NotImplementedError, AttributeError):
            part = None
        if part is not None:
            root = part.element
            abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
            for an in root.iter(_q("abstractNum")):
                lv: dict[int, tuple[int, str, str]] = {}
                for lvl in an.iter(_q("lvl")):
                    ilvl = int(lvl.get(_q("ilvl"), "0"))
                    start = lvl.find(_q("start"))
                    fmt = lvl.find(_q("numFmt"))
                    text = lvl.find(_q("lvlText"))
                    lv[ilvl] = (int(start.get(_q("val"), "1")) if start is not None else 1,
                                fmt.get(_q("val"), "decimal") if fmt is not None else "decimal",
                                text.get(_q("val"), "") if text is not None else "")
                abstract[an.get(_q("abstractNumId"), "")] = lv
            for n in root.iter(_q("num")):
                aid = n.find(_q("abstractNumId"))
                if aid is None:
                    continue
                lv = dict(abstract.get(aid.get(_q("val"), ""), {}))
                for ov in n.iter(_q("lvlOverride")):
                    so = ov.find(_q("startOverride"))
                    ilvl = int(ov.get(_q("ilvl"), "0"))
                    if so is not None and ilvl in lv:
                        s, f, t = lv[ilvl]
                        lv[ilvl] = (int(so.get(_q("val"), "1")), f, t)
                num.levels[n.get(_q("numId"), "")] = lv
        try:
            for st in doc.styles.element.iter(_q("style")):
                ppr = st.find(_q("pPr"))
                np_ = ppr.find(_q("numPr")) if ppr is not None else None
                if np_ is not None:
                    nid = np_.find(_q("numId"))
                    il = np_.find(_q("ilvl"))
                    if nid is not None:
                        num.style_num[st.get(_q("styleId"), "")] = (
                            nid.get(_q("val"), ""), int(il.get(_q("val"), "0")) if il is not None else 0)
        except (AttributeError, KeyError, ValueError):
            pass
        return num

    def label(self, num_id: str, ilvl: int) -> str:
        """The label Word shows for the next paragraph of list num_id at level ilvl."""
        lv = self.levels.get(num_id)
        if not lv or ilvl not in lv:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = lv[ilvl][0]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text = lv[ilvl][1], lv[ilvl][2]
        if fmt == "bullet":
            return "-" if not text or not text.isprintable() or ord(text[0]) > 0x2000 else (
                "-" if text in ("•", "·", "◦", "▪") else text)
        if fmt == "none":
            return text.replace("%", "") if "%" not in text else ""

        def render(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            n = counters.get(k, lv.get(k, (1, "decimal", ""))[0])
            return _format(n, lv.get(k, (1, fmt, ""))[1] if k != ilvl else fmt)

        return re.sub(r"%(\d)", render, text)


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        k = n
        while k > 0:
            k, r = divmod(k - 1, 26)
            s = chr(97 + r) + s
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        s, k = "", n
        for v, sym in vals:
            while k >= v:
                s, k = s + sym, k - v
        return s.lower() if fmt == "lowerRoman" else s
    return str(n)


@dataclass
class _State:
    numbering: Numbering
    footnote_marks: dict[str, str] = field(default_factory=dict)   # footnote id -> mark shown
    next_mark: int = 1
    last_long: bool = False
    # data tables as tables (layout grids excluded), nested ones after the table that holds them
    tables: list[Table | None] = field(default_factory=list)
    in_table: int | None = None


def _run_text(el: Any, st: _State, boxes: list[Any]) -> str:
    """Text of a paragraph's content in order, skipping deleted text, field codes, fallbacks."""
    out: list[str] = []
    skip_custom_mark = False
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == _q("t"):
            if skip_custom_mark:
                skip_custom_mark = False
                continue
            out.append(child.text or "")
        elif tag in (_q("tab"), _q("ptab")):
            out.append("\t")
        elif tag in (_q("br"), _q("cr")):
            out.append("\n")
        elif tag == _q("noBreakHyphen"):
            out.append("-")
        elif tag == _q("sym"):
            ch = child.get(_q("char"), "")
            try:
                code = int(ch, 16)
                out.append(chr(code) if code < 0xF000 else "")
            except ValueError:
                pass
        elif tag == _q("footnoteReference"):
            fid = child.get(_q("id"), "")
            if child.get(_q("customMarkFollows")) in ("1", "true", "on"):
                skip_custom_mark = True
                # the custom mark is the next w:t of this run
                nxt = child.getnext()
                while nxt is not None and nxt.tag != _q("t"):
                    nxt = nxt.getnext()
                st.footnote_marks[fid] = (nxt.text or "*").strip() if nxt is not None else "*"
            else:
                st.footnote_marks[fid] = str(st.next_mark)
                st.next_mark += 1
        elif tag in (_q("delText"), _q("instrText"), _q("del"), _q("endnoteReference"),
                     _q("commentReference"), _q("pPr"), _q("rPr")):
            continue
        elif tag == f"{{{MC}}}Fallback":
            continue
        elif tag == _q("txbxContent"):
            boxes.append(child)
        else:
            out.append(_run_text(child, st, boxes))
    return "".join(out)


def _paragraph(p: Any, st: _State) -> tuple[str, list[Any]]:
    boxes: list[Any] = []
    text = _run_text(p, st, boxes)
    ppr = p.find(_q("pPr"))
    num_id, ilvl = None, 0
    if ppr is not None:
        np_ = ppr.find(_q("numPr"))
        if np_ is not None:
            nid, il = np_.find(_q("numId")), np_.find(_q("ilvl"))
            num_id = nid.get(_q("val")) if nid is not None else None
            ilvl = int(il.get(_q("val"), "0")) if il is not None else 0
        if num_id is None:
            ps = ppr.find(_q("pStyle"))
            if ps is not None and ps.get(_q("val"), "") in st.numbering.style_num:
                num_id, ilvl = st.numbering.style_num[ps.get(_q("val"), "")]
    text = text.replace("\t", " ")
    if num_id and num_id != "0" and text.strip():
        label = st.numbering.label(num_id, ilvl)
        if label:
            text = f"{label} {text.lstrip()}"
    return text, boxes


def _has_lines(tbl: Any) -> bool:
    """True where the table draws cell borders (a data table), not a borderless layout grid."""
    ruled = (_q("insideH"), _q("insideV"), _q("left"), _q("right"), _q("start"), _q("end"))
    for borders in list(tbl.iter(_q("tblBorders"))) + list(tbl.iter(_q("tcBorders"))):
        for edge in borders:
            if edge.tag in ruled and edge.get(_q("val")) not in (None, "nil", "none"):
                return True
    return False


def _is_layout_table(tbl: Any) -> bool:
    """Two columns, a few rows, no inner lines: the header or the Nơi nhận | signature grid."""
    rows = tbl.findall(_q("tr"))
    if not rows or len(rows) > 8 or _has_lines(tbl):
        return False
    return all(len(r.findall(_q("tc"))) == 2 for r in rows)


def _blocks(container: Any, st: _State, out: list[str], blocks: list[Block], role: str = "body") -> None:
    """Lines of a body, cell or text box in order (paragraphs, tables, content controls)."""
    for el in container:
        tag = el.tag
        if tag == _q("p"):
            text, boxes = _paragraph(el, st)
            long = len(text.strip()) > 90
            if role == "body" and out and out[-1] and (long or st.last_long):
                out.append("")     # a paragraph break, as the PDF reader marks one
            st.last_long = long
            for line in text.split("\n"):
                out.append(line.strip())
            for box in boxes:
                _blocks(box, st, out, blocks, "unknown")
        elif tag == _q("tbl"):
            _table(el, st, out, blocks)
        elif tag in (_q("sdt"),):
            content = el.find(_q("sdtContent"))
            if content is not None:
                _blocks(content, st, out, blocks, role)
        elif tag in (_q("customXml"), _q("ins"), _q("smartTag")):
            _blocks(el, st, out, blocks, role)


def _cell_lines(tc: Any, st: _State, blocks: list[Block]) -> list[str]:
    lines: list[str] = []
    _blocks(tc, st, lines, blocks, "cell")
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _table(tbl: Any, st: _State, out: list[str], blocks: list[Block]) -> None:
    rows = tbl.findall(_q("tr"))
    if out and out[-1]:
        out.append("")
    if _is_layout_table(tbl):
        # Header (issuer | motto, date) or foot (Nơi nhận | signature): left column, then right.
        columns = []
        for col in (0, 1):
            lines: list[str] = []
            for r in rows:
                lines.extend(ln for ln in _cell_lines(r.findall(_q("tc"))[col], st, blocks))
            columns.append([ln for ln in lines if ln])
        if not any(ln for ln in out if len(ln) > 90):
            roles = ("header_left", "header_right")
        elif columns[0] and re.match(r"^N[ơo]i\s*nh[ậa]n", columns[0][0], re.IGNORECASE):
            roles = ("cc", "signature")
        else:
            roles = ("table", "table")
        for lines, role in zip(columns, roles, strict=True):
            if lines:
                out.extend(lines)
                out.append("")
                blocks.append(Block("\n".join(lines), 1, role))
        return
    index = len(st.tables)
    st.tables.append(None)          # its place, before any table nested in its cells
    outer, st.in_table = st.in_table, index
    built: list[TableRow] = []
    for r in rows:
        cells: list[TableCell] = []
        col = _grid_before(r)
        for tc in r.findall(_q("tc")):
            lines = [ln for ln in _cell_lines(tc, st, blocks) if ln]
            out.extend(lines)
            span, merged = _merge(tc)
            cells.append(TableCell("\n".join(lines), col=col, colspan=span, merged_above=merged,
                                   bold=_all_bold(tc)))
            col += span
        trpr = r.find(_q("trPr"))
        header = trpr is not None and _on(trpr.find(_q("tblHeader")))
        built.append(TableRow(tuple(cells), header=header))
    st.in_table = outer
    st.tables[index] = Table(tuple(built), source="docx", nested_in=outer)
    out.append("")


def _on(el: Any) -> bool:
    """A Word on/off property present and not switched off (w:val="0"/"false")."""
    return el is not None and el.get(_q("val"), "1") not in ("0", "false", "off")


def _grid_before(tr: Any) -> int:
    """Grid columns left empty before a row's first cell (w:gridBefore)."""
    trpr = tr.find(_q("trPr"))
    gb = trpr.find(_q("gridBefore")) if trpr is not None else None
    try:
        return int(gb.get(_q("val"), "0")) if gb is not None else 0
    except ValueError:
        return 0


def _merge(tc: Any) -> tuple[int, bool]:
    """(grid columns the cell covers, whether it continues a vertical merge from the row above)."""
    tcpr = tc.find(_q("tcPr"))
    if tcpr is None:
        return 1, False
    gs = tcpr.find(_q("gridSpan"))
    try:
        span = max(1, int(gs.get(_q("val"), "1"))) if gs is not None else 1
    except ValueError:
        span = 1
    vm = tcpr.find(_q("vMerge"))
    return span, vm is not None and vm.get(_q("val"), "continue") == "continue"


def _all_bold(tc: Any) -> bool:
    """Every run with text in the cell is bold (a group row's heading)."""
    runs = [r for r in tc.iter(_q("r")) if any((t.text or "").strip() for t in r.iter(_q("t")))]
    if not runs:
        return False
    for r in runs:
        rpr = r.find(_q("rPr"))
        if rpr is None or not _on(rpr.find(_q("b"))):
            return False
    return True


def _footnotes(doc: Any, st: _State, name: str) -> list[Footnote]:
    from lxml import etree

    part = None
    for rel in doc.part.rels.values():
        if rel.reltype == R_FOOTNOTES and not rel.is_external:
            part = rel.target_part
            break
    if part is None:
        return []
    try:
        root = etree.fromstring(part.blob)
    except etree.XMLSyntaxError as e:
        raise ReadError(f"DOCX hỏng (word/footnotes.xml: {e})", name) from e
    notes: list[Footnote] = []
    for fn in root.findall(_q("footnote")):
        if fn.get(_q("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        fid = fn.get(_q("id"), "")
        if fid not in st.footnote_marks:
            continue          # not referenced from the body
        lines: list[str] = []
        sub = _State(st.numbering)
        _blocks(fn, sub, lines, [])
        text = " ".join(ln.strip() for ln in lines if ln.strip())
        notes.append(Footnote(st.footnote_marks[fid], unicodedata.normalize("NFC", text)))
    order = list(st.footnote_marks.values())
    notes.sort(key=lambda f: order.index(f.mark) if f.mark in order else len(order))
    return notes


def _pages(zf: zipfile.ZipFile) -> int:
    """The page count Word saved in docProps/app.xml (1 where it did not)."""
    try:
        m = re.search(rb"<Pages>(\d+)</Pages>", zf.read("docProps/app.xml")[:100_000])
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError):
        return 1
    return max(1, int(m.group(1))) if m else 1


def check_zip(data: bytes, name: str, max_unpacked: int) -> zipfile.ZipFile:
    """Open a DOCX's zip, refusing a corrupt one and one that unpacks to more than max_unpacked."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError) as e:
        raise ReadError("DOCX hỏng hoặc bị cắt cụt (không mở được tệp zip)", name) from e
    total = sum(i.file_size for i in infos)
    if total > max_unpacked:
        raise TooLarge(f"DOCX giải nén ra {total // (1024 * 1024)} MB, quá giới hạn "
                       f"{max_unpacked // (1024 * 1024)} MB", name)
    names = {i.filename for i in infos}
    if "word/document.xml" not in names and not any(n.endswith("document.xml") for n in names):
        raise ReadError("tệp zip không phải DOCX (không có word/document.xml)", name)
    if any(i.flag_bits & 0x1 for i in infos):
        raise ReadError("DOCX được mã hóa, không đọc được", name)
    return zf


def read_docx(path: Path, data: bytes, sha256: str, limits: Limits, fmt: str = "docx") -> RawDocument:
    """Read a DOCX into a RawDocument (text in body order, footnotes apart).

    >>> read_docx(Path("x.docx"), Path("corpus/583-UBND-son-tay-2024.docx").read_bytes(), "",
    ...           DEFAULT_LIMITS).footnotes[0].mark
    '1'
    """
    import docx
    from lxml import etree

    name = str(path)
    zf = check_zip(data, name, limits.max_unpacked)
    try:
        bad = zf.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError) as e:
        raise ReadError("DOCX hỏng hoặc bị cắt cụt (dữ liệu nén lỗi)", name) from e
    if bad:
        raise ReadError(f"DOCX hỏng (phần {bad} sai CRC)", name)
    try:
        doc = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError, OSError,
            EOFError, AttributeError, TypeError) as e:
        raise ReadError(f"DOCX hỏng, không đọc được ({type(e).__name__})", name) from e
    except Exception as e:  # python-docx raises its own PackageNotFoundError and friends
        raise ReadError(f"DOCX hỏng, không đọc được ({type(e).__name__}: {e})", name) from e
    st = _State(Numbering.from_document(doc))
    lines: list[str] = []
    blocks: list[Block] = []
    try:
        _blocks(doc.element.body, st, lines, blocks)
        footnotes = _footnotes(doc, st, name)
    except ReadError:
        raise
    except (ValueError, KeyError, AttributeError, TypeError) as e:
        raise ReadError(f"DOCX có cấu trúc lạ, không đọc được ({type(e).__name__})", name) from e
    text = "\n".join(re.sub(r"[ \u00a0]{2,}", " ", ln).strip() for ln in lines)
    warnings: list[str] = []
    legacy = detect_legacy(text)     # typed with .VnTime (TCVN3) or VNI-Times fonts
    if legacy:
        text = convert_legacy(text, legacy)
        footnotes = [Footnote(f.mark, convert_legacy(f.text, legacy)) for f in footnotes]
        warnings.append(f"chữ dùng bảng mã {legacy.upper()}, đã chuyển sang Unicode")
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = unicodedata.normalize("NFC", text) + "\n" if text else ""
    tables = align_tables((_clean_table(t, legacy) for t in st.tables if t is not None), text)
    return RawDocument(path=name, format=fmt, sha256=sha256, text=text, pages=_pages(zf),
                       footnotes=tuple(footnotes), blocks=tuple(blocks), warnings=tuple(warnings),
                       size=len(data), tables=tables)


def _clean_table(t: Table, legacy: str | None) -> Table:
    """Cell texts written as the document text is (spaces squeezed, legacy fonts converted, NFC)."""
    def clean(text: str) -> str:
        text = "\n".join(re.sub(r"[ \u00a0]{2,}", " ", ln).strip() for ln in text.split("\n"))
        text = convert_legacy(text, legacy) if legacy else text
        return unicodedata.normalize("NFC", text)
    return replace(t, rows=tuple(replace(r, cells=tuple(replace(c, text=clean(c.text)) for c in r.cells))
                                 for r in t.rows))
