"""PDF with a text layer: reading order, header columns, footnotes, e-signature stamps.

The layout is built from PDFium's characters (pypdfium2: the page text in one call, then each
character's loose box, ``FPDFText_GetLooseCharBox``, whose height is the font's, so heights
compare as font sizes do). That costs ~5-10 ms a page where pdfplumber's per-character analysis
costs ~70-100 ms: ``tools/bench_readers.py`` measures it on the corpus. From runs of characters:

* lines are grouped by vertical position (superscripts and dashes join the line they overlap);
* the header of page 1 and the Nơi nhận / signature block are two columns side by side: while a
  vertical gutter (``GUTTER`` points or wider) runs through consecutive lines they are read as
  the left block, then the right block, never interleaved line by line;
* page numbers at the top or foot of a page are dropped;
* superscript marks (small, raised digits after a word) are taken out of the body; the small-font
  lines at the page foot from the first one that starts with a mark referenced on that page become
  ``RawDocument.footnotes`` and leave the text (a footnote that runs on to the next page's foot
  is joined up), so a paragraph cut by a page break and a footnote reads on unbroken;
* a blank line marks a paragraph start (first-line indent, a wider gap, a numbered heading);
  wrapped lines stay lines (normalize joins them) but a symbol cut at its hyphen
  ("2764/QĐ-" + "TTg") is rejoined on the first line;
* e-signed PDFs keep the number and day in the signature widget, not in the page text
  ("Số: /BNV-TCPCP … ngày tháng 12 năm 2025"): pages with annotations are flattened with PDFium
  (``FPDFPage_Flatten``); the characters that brings (appended after the page's own) are placed
  into the line their box sits on, the values that filled the Số / ngày / tháng / năm slots go
  to ``RawDocument.stamped`` (lamdong-cong-van-so-11902-cua-bnv.pdf: "11902", "11"), and the
  signature box's own text (signer, e-mail, time) becomes a "stamp" block outside the text;
* a text layer in a legacy font encoding (TCVN3/ABC, VNI) is converted; a page with no text, or
  a text layer that is garbage (lamdong-298-pc04.pdf: code points cut to their low byte; scans
  with an OCR layer without diacritics), is OCR'd (readers/ocr.py); scanned pages inside a text
  PDF (short text, a page-sized image) are OCR'd in place, up to ``Limits.ocr_inner_pages``.

pdfplumber is not used on this path (tools/bench_readers.py compares against it). Annotations are
never parsed by pdfminer, so a malformed signature dictionary (lamdong-cong-van-so-11902-cua-bnv.pdf
raises MalformedPDFException in pdfplumber's ``page.annots``) cannot kill the read.
"""
from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EmptyDocument, ReadError, TooLarge
from ..models import Block, Footnote, RawDocument
from .legacy import convert_legacy, detect_legacy, syllable_share
from .tables import find_pdf_tables

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from . import Limits

SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$",
                          re.IGNORECASE)
_HEADING = re.compile(r"^(?:[0-9]{1,2}(?:\.[0-9]{1,2})*\.|[IVXL]{1,5}\.|[a-zđ]\))\s")
GUTTER = 6.5     # points: narrower than this is a word space, not the gap between two columns
_MARK = re.compile(r"^[\d*]{1,3}$")
_SPACES = re.compile(r"[ \t]{2,}")
_NOTE_MARK = re.compile(r"^([\d*]{1,3})(?:\s|$)")
_NOTE_MARK_WORD = re.compile(r"^([\d*]{1,3})(?=[^\W\d_])")
_CC_LOOSE = re.compile(r"^N[ơo]i\s*nh[ậa]n", re.IGNORECASE)    # Nơi nhận, also without marks
_CC = re.compile(r"^Nơi\s*nhận", re.IGNORECASE)
_ZONE_STOP = re.compile(r"^(Kính\s*gửi|Căn\s*cứ|Thực\s*hiện|Điều\s+\d)", re.IGNORECASE)
_SYMBOL_CUT = re.compile(r"(?:\d+/|/)[A-ZĐ][A-ZĐa-zđ0-9]*(?:[-/][A-ZĐ][A-ZĐa-zđ0-9]*)*-$")
_SYMBOL_TAIL = re.compile(r"^([A-ZĐ][A-ZĐa-zđ0-9]*(?:[-/][A-ZĐa-zđ0-9]+)*)([.,;:)]?)(?=\s|$)")
_VI_MARKED = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                        re.IGNORECASE)


@dataclass
class Seg:
    """A run of characters on one line: its box in top-down page coordinates and font size."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float
    new: bool = False          # came from flattening a signature widget
    glue: bool = False         # a footnote mark stood just before: no space

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    segs: list[Seg] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0

    core: tuple[float, float] = (0.0, 0.0)     # the band of the run that started the line
    _size: float | None = field(default=None, repr=False, compare=False)   # ``size``, kept
    # ``text``, ``x0`` and ``x1`` are asked for again and again by the layout: kept, and computed
    # anew when segments were added (``add``, or appended to ``segs`` directly)
    _text: str | None = field(default=None, repr=False, compare=False)
    _kept_for: int = field(default=-1, repr=False, compare=False)
    _x0: float = field(default=0.0, repr=False, compare=False)
    _x1: float = field(default=0.0, repr=False, compare=False)

    def add(self, s: Seg) -> None:
        self._size = None
        self._text = None
        if not self.segs:
            self.top, self.bottom = s.top, s.bottom
            self.core = (s.top, s.bottom)
        else:
            self.top, self.bottom = min(self.top, s.top), max(self.bottom, s.bottom)
        self.segs.append(s)

    def _keep(self) -> None:
        if self._kept_for != len(self.segs):
            self._x0 = min(s.x0 for s in self.segs)
            self._x1 = max(s.x1 for s in self.segs)
            self._text = None
            self._kept_for = len(self.segs)

    @property
    def x0(self) -> float:
        self._keep()
        return self._x0

    @property
    def x1(self) -> float:
        self._keep()
        return self._x1

    @property
    def size(self) -> float:
        """The font size most of the line's characters have."""
        if self._size is None:
            # a plain dict and max(): the first size of the greatest weight, as Counter.most_common(1)
            weights: dict[int, int] = {}
            for s in self.segs:
                if s.size > 0:
                    key = round(s.size)
                    weights[key] = weights.get(key, 0) + (len(s.text.strip()) or 1)
            self._size = float(max(weights.items(), key=itemgetter(1))[0]) if weights else 0.0
        return self._size

    @property
    def text(self) -> str:
        self._keep()
        if self._text is None:
            self._text = join_segs(self.segs)
        return self._text


@dataclass
class PageText:
    lines: list[str]
    footnotes: list[Footnote]
    blocks: list[Block]
    stamped: dict[str, str]
    chars: int
    marks: list[str]
    continuation: list[str] = field(default_factory=list)   # the end of the last page's footnote


def join_segs(segs: list[Seg]) -> str:
    """The text of segments on one line, left to right, one space where a gap is."""
    out = ""
    prev: Seg | None = None
    for s in sorted(segs, key=lambda s: s.x0):
        t = s.text
        if prev is not None and out and not out.endswith(" ") and not t.startswith(" ") and not s.glue:
            gap = s.x0 - prev.x1
            size = max(prev.size, s.size, 6.0)
            caps = t[:1].isupper() and _last_base(out).isupper()
            if gap > 0.1 * size or (caps and gap > 0.04 * size) or prev.new != s.new:
                out += " "
        out += t
        prev = s
    if "  " in out or "\t" in out:       # most lines have no run of blanks to fold
        out = _SPACES.sub(" ", out)
    return out.strip()


def _cells(line: Line, min_gap: float) -> list[list[Seg]]:
    """The line cut at gaps wider than min_gap (columns of the header, Nơi nhận | signature)."""
    cells: list[list[Seg]] = []
    last_x1 = -1e9
    for s in sorted(line.segs, key=lambda s: s.x0):
        if not s.text.strip():
            continue
        if cells and s.x0 - last_x1 < min_gap:
            cells[-1].append(s)
        else:
            cells.append([s])
        last_x1 = max(last_x1, s.x1)
    return cells


# --- PDFium access -------------------------------------------------------------------------


def _page_segments(page: Any, raw: Any, new_from: int | None = None, textpage: Any = None) -> list[Seg]:
    """Runs of characters from PDFium: one per word group on a line, with loose boxes.

    Loose boxes (font ascent to descent) have the same height for every letter of a font size,
    so heights compare as font sizes do; characters from index ``new_from`` on came from
    flattening a signature widget. ``page``: PDFium's page handle (``FPDF_PAGE``, not a pypdfium2
    page); ``textpage``: its text page handle where the caller built it already (it is closed here).

    Measured (tools/bench_real.py --only pdf): the page text comes in one call, the boxes in one
    pass (``_char_boxes``, none for spaces and line ends), and ``_runs`` then walks plain floats.
    """
    height = raw.FPDF_GetPageHeightF(page)
    tp = _load_textpage(page, raw) if textpage is None else textpage
    try:
        n = raw.FPDFText_CountChars(tp)
        text = _text_range(tp, raw, 0, n)
        if len(text) != n:
            text = "".join(chr(raw.FPDFText_GetUnicode(tp, i) or 32) for i in range(n))
        boxes = _char_boxes(raw, tp, n, text)
    finally:
        raw.FPDFText_ClosePage(tp)
    return _runs(text, boxes, height, n if new_from is None else new_from)


def _load_page_handle(pdf: Any, index: int, raw: Any) -> Any:
    """``FPDF_LoadPage`` itself: pypdfium2's page and text page objects (a finaliser and a weak
    reference to the parent each) cost ~0.3 ms a page together, a tenth of bare text extraction
    (measured on the corpus text PDFs); the reader closes what it opens. Raises what pypdfium2
    raises on a page PDFium cannot load."""
    import pypdfium2 as pdfium

    handle = raw.FPDF_LoadPage(pdf.raw, index)
    if not handle:
        raise pdfium.PdfiumError("Failed to load page.")
    return handle


def _load_textpage(page: Any, raw: Any) -> Any:
    """``FPDFText_LoadPage`` itself, as ``_load_page_handle``."""
    import pypdfium2 as pdfium

    handle = raw.FPDFText_LoadPage(page)
    if not handle:
        raise pdfium.PdfiumError("Failed to load text page.")
    return handle


def _text_range(textpage: Any, raw: Any, index: int, count: int) -> str:
    """The text of ``count`` characters from ``index``, as pypdfium2's
    ``PdfTextPage.get_text_range(index, count)`` gives it: characters PDFium leaves out of its
    text at either end of the range are skipped (pypdfium2 issue 261, crbug.com/pdfium/2079)."""
    start, end = index, index + count - 1
    while True:
        if start > end:
            return ""
        t_start = raw.FPDFText_GetTextIndexFromCharIndex(textpage, start)
        if t_start == -1:
            start += 1
            continue
        t_end = raw.FPDFText_GetTextIndexFromCharIndex(textpage, end)
        if t_end == -1:
            end -= 1
            continue
        break
    in_count = t_end + 2 - t_start            # with the NUL terminator
    buffer = (ctypes.c_ushort * in_count)()
    out_count = raw.FPDFText_GetText(textpage, start, end - start + 1, buffer)
    if out_count > in_count:   # pragma: no cover - as pypdfium2's assertion
        raise AssertionError(f"Buffer too small: {in_count} vs {out_count}")
    return bytes(memoryview(buffer)[:out_count - 1]).decode("utf-16-le", errors="ignore")


class _CharKinds(dict[str, int]):
    """What the run loop does with a character, looked up once per distinct character:
    0 a letter (its box counts), 1 a line end, 2 a space, 3 PDFium's hyphen marker, 4 a
    combining mark, 5 another white space character (its box counts)."""

    def __missing__(self, ch: str) -> int:
        if ch in "\r\n":
            kind = 1
        elif ch in " \xa0\t":
            kind = 2
        elif ch in "\x02\ufffe\u00ad":      # PDFium's marker for a hyphen at a line end
            kind = 3
        elif ch > "\u02ff" and unicodedata.combining(ch):
            kind = 4
        elif ch.isspace():
            kind = 5
        else:
            kind = 0
        self[ch] = kind
        return kind


_KINDS = _CharKinds()
_NO_BOX = " \xa0\t\r\n"       # characters whose box the run loop never reads


def _runs(text: str, boxes: list[float], height: float, first_new: int) -> list[Seg]:
    """The runs of one page from its text and its characters' boxes (``_char_boxes``, PDF
    coordinates); characters from index ``first_new`` on came from flattening.

    Most letters sit on their run's own band (the same loose top and bottom): for them only the
    horizontal tests can end the run, and the run's band does not grow.
    """
    segs: list[Seg] = []
    cur: list[str] = []
    gap_at: list[int] = []       # where in ``cur`` no space was put between two letters ...
    gap_of: list[float] = []     # ... and that gap / height
    bx0 = btop = bx1 = bbot = run_h = 0.0          # the box of the current run, its height
    cur_new = False

    def flush(bx0: float, btop: float, bx1: float, bbot: float, cur_new: bool) -> None:
        if len(gap_of) >= 6:
            # a font whose loose boxes overlap (letters ~0.1 x height into each other) draws a
            # word gap narrower than the 0.1 x height rule below: measure it from the run's own
            # letter spacing (lamdong-s-van-ban-dat-tru-so.pdf "Độc lập –Tựdo –Hạnh phúc")
            typical = sorted(gap_of)[len(gap_of) // 2]
            if typical < -0.05:
                for pos, g in reversed(list(zip(gap_at, gap_of, strict=True))):
                    if g > typical + 0.12 and g > 0.02 and cur[pos - 1] != " ":
                        cur.insert(pos, " ")
        gap_at.clear()
        gap_of.clear()
        if cur:
            run = "".join(cur)
            if run.strip():
                segs.append(Seg(bx0, btop, bx1, bbot, run, bbot - btop, cur_new))
            cur.clear()

    kinds = _KINDS
    it = iter(boxes)             # read four floats at a time alongside each character
    for i, ch, x0, ptop, x1, pbottom in zip(range(len(text)), text, it, it, it, it, strict=True):
        kind = kinds[ch]
        if kind:
            if kind == 1:
                flush(bx0, btop, bx1, bbot, cur_new)
                continue
            if kind == 2:
                if cur and cur[-1] != " ":
                    cur.append(" ")
                continue
            if kind == 3:
                ch = "-"
            elif kind == 4 and cur:
                cur.append(ch)           # a decomposed tone mark: its box says nothing of spacing
                continue
        top = height - ptop
        bottom = height - pbottom
        h = bottom - top
        if h < 0.5:
            h = 0.5
        if cur:
            if top == btop and bottom == bbot and h == run_h:
                # the run's own band (most letters): the band tests cannot fire, the band stays
                if x0 - bx1 > 0.6 * h or x0 < bx1 - 0.5 * h - 2 or (i >= first_new) != cur_new:
                    flush(bx0, btop, bx1, bbot, cur_new)
                else:
                    gap = x0 - bx1
                    if cur[-1] != " ":
                        if gap > 0.1 * h or (gap > 0.04 * h and ch.isupper() and _last_base(cur).isupper()):
                            cur.append(" ")      # a word gap the PDF drew without a space character
                        elif kind != 5:
                            gap_at.append(len(cur))
                            gap_of.append(gap / h)
                    if x0 < bx0:
                        bx0 = x0
                    if x1 > bx1:
                        bx1 = x1
                    cur.append(ch)
                    continue
            else:
                hh = h if h > run_h else run_h
                if (abs((top + bottom) / 2 - (btop + bbot) / 2) > 0.25 * hh or abs(h - run_h) > 0.35 * hh
                        or x0 - bx1 > 0.6 * hh or x0 < bx1 - 0.5 * h - 2 or (i >= first_new) != cur_new):
                    flush(bx0, btop, bx1, bbot, cur_new)
                else:
                    gap = x0 - bx1
                    if cur[-1] != " ":
                        if gap > 0.1 * h or (gap > 0.04 * h and ch.isupper() and _last_base(cur).isupper()):
                            cur.append(" ")
                        elif kind != 5:
                            gap_at.append(len(cur))
                            gap_of.append(gap / h)
                    if x0 < bx0:
                        bx0 = x0
                    if top < btop:
                        btop = top
                    if x1 > bx1:
                        bx1 = x1
                    if bottom > bbot:
                        bbot = bottom
                    run_h = bbot - btop
                    cur.append(ch)
                    continue
        bx0, btop, bx1, bbot = x0, top, x1, bottom       # a new run
        run_h = bottom - top
        cur_new = i >= first_new
        cur.append(ch)
    flush(bx0, btop, bx1, bbot, cur_new)
    return segs


def _char_boxes(raw: Any, textpage: Any, n: int, text: str | None = None) -> list[float]:
    """Every character's loose box, flat: [left, top, right, bottom] * n, in PDF coordinates.

    One ``FPDFText_GetLooseCharBox`` call a character is PDFium's only way; what costs is the
    ctypes layer around it (argument conversion, then four attribute reads a box). So PDFium
    writes each box straight into its slot of one ``FS_RECTF`` array (``ctypes.byref`` with an
    offset) and the floats come out in one ``memoryview.tolist()``: ~0.3 us a character instead
    of ~0.6 (tools/bench_real.py --only pdf). The function is called through a prototype without
    argtypes (the handle as a ``c_void_p``), the documented ctypes way to skip per-call checks.
    ``text``: the page text; where given, spaces and line ends (a quarter of the characters),
    whose boxes ``_runs`` never reads, are not asked for and keep zeros.
    """
    rects = (raw.FS_RECTF * n)()
    if n == 0:
        return []
    get_box = _loose_box_fn(raw)
    handle = ctypes.cast(getattr(textpage, "raw", textpage), ctypes.c_void_p)
    byref = ctypes.byref
    size = ctypes.sizeof(raw.FS_RECTF)
    if text is None:
        for i in range(n):
            get_box(handle, i, byref(rects, size * i))
    else:
        no_box = _NO_BOX
        for i, ch in enumerate(text):
            if ch not in no_box:
                get_box(handle, i, byref(rects, size * i))
    values: list[float] = memoryview(rects).cast("B").cast("f").tolist()  # type: ignore[assignment]
    return values


_LOOSE_BOX: list[Any] = []


def _loose_box_fn(raw: Any) -> Any:
    """``FPDFText_GetLooseCharBox`` from pypdfium2.raw, bound once without argtypes."""
    if not _LOOSE_BOX:
        address = ctypes.cast(raw.FPDFText_GetLooseCharBox, ctypes.c_void_p).value
        if not address:
            raise ReadError("PDFium: FPDFText_GetLooseCharBox not found")
        fn = ctypes.CFUNCTYPE(ctypes.c_int)(address)
        fn.argtypes = None       # type: ignore[assignment]  # no per-call conversion: the point
        _LOOSE_BOX.append(fn)
    return _LOOSE_BOX[0]


def _last_base(chars: Sequence[str]) -> str:
    for c in reversed(chars):
        if not unicodedata.combining(c):
            return c
    return ""


def _stamps_text(page: Any, raw: Any) -> bool:
    """True where flattening the page's annotations may add text: some annotation's appearance
    holds a text object, or cannot be looked into.

    Flattening page 1 and loading it again costs more than reading the page (tools/bench_real.py
    --only pdf); a signature widget drawn as a picture only (lamdong-cv-1925-signed-signed.pdf)
    brings no character, so its page is read as it is, with the same result.
    """
    count = raw.FPDFPage_GetAnnotCount(page)
    if count <= 0:
        return False
    for a in range(count):
        annot = raw.FPDFPage_GetAnnot(page, a)
        if not annot:
            return True
        try:
            n = raw.FPDFAnnot_GetObjectCount(annot)
            if n < 0:
                return True
            todo = [raw.FPDFAnnot_GetObject(annot, k) for k in range(n)]
            while todo:
                obj = todo.pop()
                if not obj:
                    return True
                kind = raw.FPDFPageObj_GetType(obj)
                if kind == raw.FPDF_PAGEOBJ_TEXT:
                    return True
                if kind == raw.FPDF_PAGEOBJ_FORM:
                    m = raw.FPDFFormObj_CountObjects(obj)
                    if m < 0:
                        return True
                    todo.extend(raw.FPDFFormObj_GetObject(obj, k) for k in range(m))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return False


def _load_page(pdf: Any, index: int, raw: Any, flatten: bool = True) -> tuple[Any, Any, int | None]:
    """The page and its text page (PDFium handles, the caller closes them), with its annotations
    (e-signature widgets) flattened into its content.

    Returns the page, its text page and where the characters flattening brought begin (PDFium
    appends the flattened appearance streams after the page's own content), so the reader can
    tell the stamped ones, or None if there was nothing to flatten. The page is loaded once, or
    twice where flattening changed it (a fresh page object is what sees the flattened content).

    The flattened characters are told by the text objects they come from (``_flattened_from``),
    so no text page of the page before flattening is built: it cost a fifth of reading a page
    (tools/bench_real.py --only pdf).
    """
    page = _load_page_handle(pdf, index, raw)
    try:
        if flatten and not _stamps_text(page, raw):
            flatten = False       # nothing to flatten would add a character: the page as it is
        if flatten:
            own = raw.FPDFPage_CountObjects(page)
            flatten = raw.FPDFPage_Flatten(page, raw.FLAT_NORMALDISPLAY) == raw.FLATTEN_SUCCESS
        if not flatten:
            return page, _load_textpage(page, raw), None
    except BaseException:
        raw.FPDF_ClosePage(page)
        raise
    raw.FPDF_ClosePage(page)
    page = _load_page_handle(pdf, index, raw)      # a fresh page object sees the flattened content
    try:
        textpage = _load_textpage(page, raw)
    except BaseException:
        raw.FPDF_ClosePage(page)
        raise
    return page, textpage, _flattened_from(page, textpage, raw, own)


def _flattened_from(page: Any, textpage: Any, raw: Any, own: int) -> int | None:
    """Where the characters of the flattened annotations begin on a page loaded after
    ``FPDFPage_Flatten``: the page's top-level objects from index ``own`` on are what flattening
    added; the characters at the end of the text page that come from text objects inside them
    (or that PDFium generated between them, a space or a line end) are the stamped ones.

    None where the first characters of the page (200 at most) already come from flattened
    objects: PDFium did not append them, and no character is told apart.
    """
    added: set[int | None] = set()
    todo = [raw.FPDFPage_GetObject(page, k) for k in range(own, raw.FPDFPage_CountObjects(page))]
    while todo:
        obj = todo.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            added.add(ctypes.cast(obj, ctypes.c_void_p).value)
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            todo.extend(raw.FPDFFormObj_GetObject(obj, k) for k in range(raw.FPDFFormObj_CountObjects(obj)))
    count = raw.FPDFText_CountChars(textpage)
    if not added:
        return count

    def origin(i: int) -> int | None:
        return ctypes.cast(raw.FPDFText_GetTextObject(textpage, i), ctypes.c_void_p).value

    added_or_generated = added | {None}
    first = count
    while first > 0 and origin(first - 1) in added_or_generated:
        first -= 1
    if any(origin(i) in added for i in range(min(first, 200))):
        return None
    return first


# --- layout --------------------------------------------------------------------------------


def _group_lines(segs: list[Seg]) -> list[Line]:
    """Segments into lines: full-height runs make the lines, small runs (superscript marks,
    hyphens, stamped values) then join the line they overlap most."""
    heights = sorted(s.bottom - s.top for s in segs if s.text.strip())
    if not heights:
        return []
    typical = heights[len(heights) // 2]
    def is_big(s: Seg) -> bool:
        h = s.bottom - s.top
        if s.new or h < 0.6 * typical:
            return False
        return not (len(s.text.strip()) <= 3 and h < 0.8 * typical)   # a mark or a stray dash

    big = [s for s in segs if is_big(s)]
    small = [s for s in segs if not is_big(s)]
    lines: list[Line] = []
    for s in sorted(big, key=lambda s: (s.mid, s.x0)):
        best = None
        mid = s.mid
        for ln in lines[-8:]:
            top, bottom = ln.core
            centre = (top + bottom) / 2
            if top <= mid <= bottom and s.top <= centre <= s.bottom:
                best = ln
        if best is None:
            best = Line()
            lines.append(best)
        best.add(s)
    for s in small:
        best, best_overlap = None, 0.0
        for ln in lines:
            overlap = min(ln.bottom, s.bottom) - max(ln.top, s.top)
            if overlap > best_overlap:
                best, best_overlap = ln, overlap
        if best is None or best_overlap < 0.3 * min(max(s.bottom - s.top, 0.5), best.bottom - best.top):
            best = Line()
            lines.append(best)
        best.add(s)
    lines.sort(key=lambda ln: ln.top)
    return lines


def _split_marks(line: Line) -> tuple[Line, list[str]]:
    """Take superscript footnote marks (small raised digits) out of a body line."""
    size = line.size
    if size <= 0 or not any(0 < s.size <= 0.8 * size for s in line.segs):
        return line, []          # no run small enough to be a mark (most lines)
    baseline = max(s.bottom for s in line.segs if s.size >= 0.92 * size) if any(
        s.size >= 0.92 * size for s in line.segs) else line.bottom
    keep: list[Seg] = []
    marks: list[str] = []
    after_mark = False
    for s in sorted(line.segs, key=lambda s: s.x0):
        t = s.text.strip().translate(SUPERSCRIPT_DIGITS)
        # a reference follows a word; a raised number that starts the line begins a footnote
        if (keep and not s.new and _MARK.match(t) and 0 < s.size <= 0.8 * size
                and s.bottom < baseline - 0.15 * size):
            marks.append(t)
            after_mark = True
            continue
        if after_mark and s.text[:1] in ".,;:)":
            s.glue = True
        after_mark = False
        keep.append(s)
    if not marks:
        return line, []
    new = Line()
    for s in keep:
        new.add(s)
    return new, marks


def _zone(lines: list[Line], start: int, width: float, stop_words: bool) -> tuple[int, float | None]:
    """Lines from ``start`` a vertical gutter runs through: (end index, gutter x) or (start, None)."""
    free = [(0.25 * width, 0.75 * width)]
    end = start
    for i in range(start, len(lines)):
        ln = lines[i]
        if stop_words and i > start and _ZONE_STOP.match(ln.text):
            break
        covered = sorted((s.x0, s.x1) for s in ln.segs if s.text.strip())
        new_free = []
        for a, b in free:
            cur = a
            for x0, x1 in covered:
                if x1 <= cur or x0 >= b:
                    continue
                if x0 - cur >= GUTTER:
                    new_free.append((cur, x0))
                cur = max(cur, x1)
            if b - cur >= GUTTER:
                new_free.append((cur, b))
        if not new_free:
            break
        free = new_free
        end = i + 1
    if end - start < 2:
        return start, None
    zone = lines[start:end]
    # The gutter must have text on both sides within the zone, on at least two lines in all.
    best = None
    for a, b in free:
        g = (a + b) / 2
        left = sum(1 for ln in zone if any(s.x1 <= g for s in ln.segs if s.text.strip()))
        right = sum(1 for ln in zone if any(s.x0 >= g for s in ln.segs if s.text.strip()))
        if left and right and left + right >= 3 and (best is None or b - a > best[1] - best[0]):
            best = (a, b)
    if best is None:
        return start, None
    return end, (best[0] + best[1]) / 2


def _columns(zone: list[Line], gutter: float) -> tuple[list[str], list[str]]:
    left, right = [], []
    for ln in zone:
        lsegs = [s for s in ln.segs if s.x1 <= gutter]
        rsegs = [s for s in ln.segs if s.x1 > gutter]
        if lsegs and join_segs(lsegs):
            left.append(join_segs(lsegs))
        if rsegs and join_segs(rsegs):
            right.append(join_segs(rsegs))
    return left, right


def _is_footnote_start(ln: Line, marks_seen: set[str], body_size: float) -> str | None:
    segs = sorted(ln.segs, key=lambda s: s.x0)
    if not segs:
        return None
    first = segs[0].text.strip().translate(SUPERSCRIPT_DIGITS)
    m = _NOTE_MARK.match(first) or _NOTE_MARK_WORD.match(first)
    if not m:
        return None
    mark = m.group(1)
    rest = ln.text.translate(SUPERSCRIPT_DIGITS).lstrip()[len(mark):].lstrip()
    raised = len(segs) > 1 and segs[0].bottom < segs[1].bottom - 1.0
    if not rest or rest[0] in ".,;:)/-%":
        return None            # "2.1. Số nhiệm vụ…", "3 %": a numbered row of a table, not a note
    if rest[0].isdigit() and not (raised and mark in marks_seen):
        # a table row "3 15 hồ sơ"; but a raised, referenced mark starts a note that opens with a
        # number (lamdong-329-bao-cao-cchc-nam-2025.pdf note 13: "08 chi cục thuộc Sở …")
        return None
    if mark in marks_seen or raised:
        return mark
    return None


def _strip_mark(text: str, mark: str) -> str:
    text = text.translate(SUPERSCRIPT_DIGITS).lstrip()
    return text[len(mark):].strip() if text.startswith(mark) else text


def _rejoin_symbols(lines: list[str]) -> list[str]:
    """"…số 2764/QĐ-" + "TTg ngày…" -> "…số 2764/QĐ-TTg" + "ngày…"."""
    # _SYMBOL_CUT ends in "-$": a line that does not end with "-" is not searched
    out: list[str] = []
    for ln in lines:
        if (len(out) >= 2 and not out[-1] and ln and out[-2].endswith("-") and _SYMBOL_CUT.search(out[-2])
                and _SYMBOL_TAIL.match(ln)):
            out.pop()            # a paragraph break guessed inside a cut symbol is not one
        if out and ln and out[-1].endswith("-") and _SYMBOL_CUT.search(out[-1]):
            m = _SYMBOL_TAIL.match(ln)
            if m:
                out[-1] = out[-1] + m.group(1) + m.group(2)
                ln = ln[m.end():].lstrip()
                if not ln:
                    continue
        out.append(ln)
    return out


def _fill_slots(lines: list[str], stamped_words: set[str]) -> dict[str, str]:
    """Which header slot each stamped value filled, from the words before it on its line."""
    found: dict[str, str] = {}
    for text in lines:
        for w in stamped_words:
            if w not in text or not re.fullmatch(r"\d{1,6}", w):
                continue
            for m in re.finditer(rf"(?<![\w/]){re.escape(w)}(?![\w])", text):
                before = text[:m.start()].rstrip()
                if re.search(r"Số\s*:?$", before, re.IGNORECASE) and "number" not in found:
                    found["number"] = w
                elif re.search(r"ngày$", before, re.IGNORECASE) and "day" not in found:
                    found["day"] = w
                elif re.search(r"tháng$", before, re.IGNORECASE) and "month" not in found:
                    found["month"] = w
                elif re.search(r"năm$", before, re.IGNORECASE) and "year" not in found:
                    found["year"] = w
    return found


def layout_page(segs: list[Seg], width: float, height: float, page_no: int, is_last: bool,
                marks_seen: set[str], ocr: bool = False, lines: list[Line] | None = None,
                carry_over: bool = False) -> PageText:
    """Reading-order lines of one page, its footnotes and blocks (pure: testable without a file).

    ``ocr``: the segments are OCR'd words, whose heights say nothing of superscripts or
    footnote fonts, so marks and footnotes are not looked for. ``lines``: lines already formed
    (Tesseract's), else the segments are grouped into lines here. ``carry_over``: the page before
    ended with a footnote, which may go on at the foot of this page.
    """
    lines = _group_lines(segs) if lines is None else sorted(lines, key=lambda ln: ln.top)
    # The e-signature box's own text (signer, e-mail, time) sits on no line of the page: keep it
    # as a stamp block, out of the text; stamped values that sit on a line fill their slot.
    blocks: list[Block] = []
    kept: list[Line] = []
    stamped_words: set[str] = set()
    for ln in lines:
        if all(s.new for s in ln.segs):
            blocks.append(Block(ln.text, page_no, "stamp", (ln.x0, ln.top, ln.x1, ln.bottom)))
            continue
        stamped_words.update(s.text.strip() for s in ln.segs if s.new)
        kept.append(ln)
    lines = kept
    # Superscript marks out of body lines.
    page_marks: list[str] = []
    clean: list[Line] = []
    mark_line_sizes: list[float] = []
    for ln in lines:
        ln2, marks = _split_marks(ln) if not ocr else (ln, [])
        page_marks.extend(marks)
        if marks:
            mark_line_sizes.append(ln.size)
        if ln2.segs:
            clean.append(ln2)
    lines = clean
    marks_seen.update(page_marks)
    sizes = [ln.size for ln in lines if ln.size > 0]
    body_size = statistics.median(sizes) if sizes else 0.0
    if lines:
        # The body's size: what most text has; but a line that holds a footnote reference is body
        # text, whatever the footnotes fill (lamdong-329-bao-cao-cchc-nam-2025.pdf page 2).
        weights: Counter[float] = Counter()
        for ln in lines:
            weights[ln.size] += len(ln.text)
        body_size = weights.most_common(1)[0][0]
        if mark_line_sizes:
            body_size = max(body_size, max(mark_line_sizes))
    # Page numbers and running headers/footers.
    while lines and _PAGE_NUMBER.match(lines[0].text) and lines[0].top < 0.15 * height:
        lines.pop(0)
    while lines and _PAGE_NUMBER.match(lines[-1].text) and lines[-1].bottom > 0.85 * height:
        lines.pop()
    # Footnotes: small-font lines at the bottom from the first one that starts with a mark. Small
    # lines above that first mark, on a page after one with footnotes, are the end of the last
    # footnote carried over (lamdong-329-bao-cao-cchc-nam-2025.pdf, footnotes 2 and 11).
    footnotes: list[Footnote] = []
    continuation: list[str] = []
    fn_start = None
    zone_start = None
    for i in range(len(lines) - 1, -1, -1) if not ocr else ():
        ln = lines[i]
        start = _is_footnote_start(ln, set(page_marks), body_size)
        small = 0 < ln.size <= 0.88 * body_size or (
            start is not None and any(0 < s.size <= 0.88 * body_size for s in ln.segs))
        if not small or ln.top < 0.2 * height:
            break
        if _CC_LOOSE.match(ln.text):
            zone_start = fn_start = None     # the small lines below are the Nơi nhận list
            break
        zone_start = i
        if start:
            fn_start = i
    if carry_over and zone_start is not None and not any(
            _CC_LOOSE.match(ln.text) for ln in lines):
        # (never on the page of Nơi nhận, whose small list sits at the foot beside the signature)
        end = fn_start if fn_start is not None else len(lines)
        continuation = [ln.text for ln in lines[zone_start:end]]
        for ln in lines[zone_start:end]:
            blocks.append(Block(ln.text, page_no, "footnote", (ln.x0, ln.top, ln.x1, ln.bottom)))
        lines = lines[:zone_start] + lines[end:]
        if fn_start is not None:
            fn_start = zone_start
    if fn_start is not None:
        cur_mark, cur_text = None, []
        for ln in lines[fn_start:]:
            mark = _is_footnote_start(ln, set(page_marks), body_size)
            if mark is not None:
                if cur_mark is not None:
                    footnotes.append(Footnote(cur_mark, " ".join(cur_text).strip()))
                cur_mark, cur_text = mark, [_strip_mark(ln.text, mark)]
            else:
                cur_text.append(ln.text)
            blocks.append(Block(ln.text, page_no, "footnote", (ln.x0, ln.top, ln.x1, ln.bottom)))
        if cur_mark is not None:
            footnotes.append(Footnote(cur_mark, " ".join(cur_text).strip()))
        lines = lines[:fn_start]
    # Reading order with the two-column zones read left block then right block.
    out: list[str] = []
    min_gap = max(12.0, 1.0 * body_size)
    # The body's left margin: where most lines start (header blocks start left of it or right).
    starts = Counter(round(ln.x0 / 3) for ln in lines)
    body_left = 3.0 * starts.most_common(1)[0][0] if starts else 0.0
    body_right = max((ln.x1 for ln in lines), default=width)
    line_h = statistics.median([ln.bottom - ln.top for ln in lines]) if lines else 12.0
    # rows of two columns at slightly different heights make tiny "gaps": not the line pitch
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False)
               if 0.7 * line_h < b.top - a.top < 3 * line_h]
    pitch = statistics.median(pitches) if pitches else 16.0
    i = 0
    prev: Line | None = None
    while i < len(lines):
        ln = lines[i]
        text = ln.text
        zone_end, gutter = (i, None)
        if page_no == 1 and i == 0:
            zone_end, gutter = _zone(lines, 0, width, stop_words=True)
        elif _CC.match(text) or (
                len(_cells(ln, min_gap)) >= 2 and _CC.match(join_segs(_cells(ln, min_gap)[0]))):
            zone_end, gutter = _zone(lines, i, width, stop_words=False)
        if gutter is not None:
            left, right = _columns(lines[i:zone_end], gutter)
            role_l, role_r = ("header_left", "header_right") if page_no == 1 and i == 0 else ("cc", "signature")
            if out and out[-1] != "":
                out.append("")
            out.extend(left)
            out.append("")
            out.extend(right)
            out.append("")
            blocks.append(Block("\n".join(left), page_no, role_l))
            blocks.append(Block("\n".join(right), page_no, role_r))
            prev = None
            i = zone_end
            continue
        # A new paragraph: first-line indent or a wider gap than the line pitch.
        if prev is not None and out and out[-1] != "":
            indent = ln.x0 - body_left
            gap = ln.top - prev.top
            if indent < -8:
                indent = 0.0
            centred = all(abs((x.x0 + x.x1) / 2 - (body_left + body_right) / 2) < 15 and x.x0 > body_left + 20
                          for x in (ln, prev))
            # a short numbered heading ("1. Thực hiện nhiệm vụ CCHC") ends its paragraph
            short = prev.x1 < body_right - 0.12 * (body_right - body_left) and bool(
                _HEADING.match(prev.text)) and not prev.text.rstrip().endswith((";", ","))
            if (indent > 8 and (abs(ln.x0 - prev.x0) > 3 or short) and not centred) or gap > 1.7 * pitch:
                out.append("")
        out.append(text)
        prev = ln
        i += 1
    stamped = _fill_slots(out, stamped_words) if stamped_words else {}
    return PageText(out, footnotes, blocks, stamped, sum(len(s.text) for s in segs), page_marks,
                    continuation)


# --- the reader ----------------------------------------------------------------------------


def _open(data: bytes, path: Path) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except (ValueError, OSError) as e:
        raise ReadError("PDF hỏng hoặc bị cắt cụt, không mở được", str(path)) from e
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        import pypdfium2.raw as raw

        if code == raw.FPDF_ERR_PASSWORD:
            raise ReadError("PDF được mã hóa (có mật khẩu), không đọc được nội dung", str(path)) from e
        if code == raw.FPDF_ERR_SECURITY:
            raise ReadError("PDF dùng cơ chế bảo mật không hỗ trợ", str(path)) from e
        raise ReadError("PDF hỏng hoặc bị cắt cụt, không mở được", str(path)) from e


def _has_page_image(pdf: Any, index: int) -> bool:
    """True where an image covers at least a quarter of the page (a scanned page)."""
    import pypdfium2.raw as raw

    page = pdf[index]
    try:
        width, height = page.get_size()
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) >= 0.25 * width * height:
                return True
        return False
    finally:
        page.close()


def is_garbage(text: str) -> bool:
    """True where a text layer is not readable Vietnamese (broken encoding, OCR without marks)."""
    text = text[:20000]
    counts = Counter(text)          # each distinct character looked at once
    letters = sum(k for c, k in counts.items() if c.isalpha())
    if letters < 40:
        return False
    marked = sum(k for c, k in counts.items() if _VI_MARKED.match(c))   # one character a match
    odd = sum(k for c, k in counts.items() if unicodedata.category(c) in ("Co", "Cn", "So", "Cc")
              and c not in "\n\t" or c == "\ufffd")
    return marked / letters < 0.06 or odd > 0.01 * len(text) or syllable_share(text) < 0.7


def read_pdf(path: Path, data: bytes, sha256: str, limits: Limits) -> RawDocument:
    """Read a PDF's text layer in reading order; scans and garbage text layers go to OCR.

    Args: path (for messages), data (the file's bytes), sha256, limits (max_pages, ocr).
    Returns a RawDocument with text, footnotes, blocks, stamped e-signature values.
    Raises ReadError (encrypted, corrupt), TooLarge (more pages than limits.max_pages).

    >>> read_pdf(Path("x.pdf"), Path("corpus/583-UBND-son-tay-2024.pdf").read_bytes(), "", DEFAULT_LIMITS).pages
    3
    """
    import pypdfium2.raw as raw

    pdf = _open(data, path)
    try:
        n = len(pdf)
        if n == 0:
            raise ReadError("PDF không có trang nào", str(path))
        if n > limits.max_pages:
            raise TooLarge(f"PDF có {n} trang, quá giới hạn {limits.max_pages} trang", str(path))
        pages: list[PageText] = []
        marks_seen: set[str] = set()
        warnings: list[str] = []
        for i in range(n):
            try:
                # Only page 1 is flattened: the stamped number and date sit in its header; the
                # widgets of later pages repeat the signature box (out of the text anyway).
                page, textpage, new_from = _load_page(pdf, i, raw, flatten=i == 0)
                try:
                    width, height = raw.FPDF_GetPageWidthF(page), raw.FPDF_GetPageHeightF(page)
                    segs = _page_segments(page, raw, new_from, textpage)      # closes the text page
                finally:
                    raw.FPDF_ClosePage(page)
                pages.append(layout_page(segs, width, height, i + 1, i == n - 1, marks_seen,
                                         carry_over=bool(pages and pages[-1].footnotes)))
            except ReadError:
                raise
            except Exception as e:  # PDFium raises on a page it cannot parse (truncated stream)
                raise ReadError(f"PDF hỏng ở trang {i + 1}: {e}", str(path)) from e
    finally:
        pdf.close()

    page_texts = ["\n".join(p.lines) for p in pages]
    body = "\n".join(page_texts)
    legacy = detect_legacy(body)
    if legacy:
        body = convert_legacy(body, legacy)
        page_texts = [convert_legacy(t, legacy) for t in page_texts]
        warnings.append(f"lớp chữ PDF dùng bảng mã {legacy.upper()}, đã chuyển sang Unicode")
    # A page with (almost) no text besides stamps is an image: a scan.
    scans = [i for i, t in enumerate(page_texts) if len(t.strip()) < 60]
    garbage = is_garbage(body)
    ocr_words: list[tuple[str, float]] = []
    low_words: tuple[str, ...] = ()
    if garbage or len(scans) == n or 0 in scans:
        if limits.ocr:
            from .ocr import ocr_pdf

            return ocr_pdf(path, data, sha256, limits, reason="garbage" if garbage and not scans else "scan")
        if not body.strip():
            raise EmptyDocument("PDF là bản quét, không có lớp chữ; cần OCR (đang tắt)", str(path))
        warnings.append("PDF là bản quét hoặc lớp chữ không dùng được; OCR đang tắt")
    elif scans and limits.ocr and limits.ocr_inner_pages > 0:
        # scanned pages inside a text PDF (a signed page scanned back in, an annex): OCR'd in
        # place (lamdong-so-tu-phap.pdf page 2), up to limits.ocr_inner_pages of them
        from .ocr import layout_ocr, low_confidence, ocr_pdf_pages

        pdf = _open(data, path)
        try:
            # a short page with no picture on it is a short page (a blank one, the tail of the
            # signature block), not a scan: only pages that hold a page-sized image are OCR'd
            imaged = [i for i in scans if _has_page_image(pdf, i)]
            todo, rest = imaged[:limits.ocr_inner_pages], imaged[limits.ocr_inner_pages:]
            ocr_pages = ocr_pdf_pages(pdf, todo, str(path))
        finally:
            pdf.close()
        read: list[str] = []
        blank: list[str] = []
        for i, op in zip(todo, ocr_pages, strict=True):
            laid = layout_ocr(op, i + 1).strip()
            (read if laid else blank).append(str(i + 1))
            stamp = page_texts[i].strip()
            page_texts[i] = "\n".join(t for t in (laid, stamp) if t)
            ocr_words.extend(op.words)
        low_words = low_confidence(ocr_words)
        body = "\n".join(page_texts)
        if read:
            warnings.append("trang " + ", ".join(read) + " là ảnh quét, chữ lấy bằng OCR")
        if blank:     # lamdong-so-tu-phap.pdf page 2: an empty page after the signed one
            warnings.append("trang " + ", ".join(blank) + " không có chữ (OCR không thấy chữ nào)")
        if rest:
            warnings.append("trang " + ", ".join(str(i + 1) for i in rest) + " là ảnh quét, chưa OCR "
                            f"(quá giới hạn {limits.ocr_inner_pages} trang)")
    elif scans:
        pdf = _open(data, path)
        try:
            imaged = [i for i in scans if _has_page_image(pdf, i)]
        finally:
            pdf.close()
        if imaged:
            warnings.append("trang " + ", ".join(str(i + 1) for i in imaged) + " là ảnh quét, chưa OCR")
    lines = _rejoin_symbols(body.split("\n"))
    text = unicodedata.normalize("NFC", re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n")
    footnotes: list[Footnote] = []
    for p in pages:
        if p.continuation and footnotes:
            last = footnotes[-1]
            footnotes[-1] = Footnote(last.mark, (last.text + " " + " ".join(p.continuation)).strip())
        footnotes.extend(p.footnotes)
    if legacy:
        footnotes = [Footnote(f.mark, convert_legacy(f.text, legacy)) for f in footnotes]
    stamped_vals: dict[str, str] = {}
    for p in pages:
        for k, v in p.stamped.items():
            stamped_vals.setdefault(k, v)
    blocks = tuple(b for p in pages for b in p.blocks)
    return RawDocument(path=str(path), format="pdf", sha256=sha256, text=text, pages=n,
                       footnotes=tuple(Footnote(f.mark, unicodedata.normalize("NFC", f.text))
                                       for f in footnotes),
                       blocks=blocks, stamped=stamped_vals, warnings=tuple(warnings), size=len(data),
                       ocr_words=tuple(ocr_words), low_confidence_words=low_words,
                       tables=find_pdf_tables(data, page_texts, text))  # T1: ruled tables, pages that name columns


if __name__ == "__main__":  # pragma: no cover - a quick look: python -m pipeline.readers.pdf FILE
    import sys

    from . import DEFAULT_LIMITS

    for arg in sys.argv[1:]:
        p = Path(arg)
        r = read_pdf(p, p.read_bytes(), "", DEFAULT_LIMITS)
        print(r.text)
        for f in r.footnotes:
            print(f"[^{f.mark}] {f.text}")
        print("stamped:", r.stamped, "warnings:", r.warnings)
