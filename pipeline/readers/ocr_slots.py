"""The number and date slots of a scanned header, read a second time and vouched for, or not.

Whole-page OCR reads the "Số: … /ký hiệu" and "…, ngày … tháng … năm …" lines badly: the
number and day are often written by hand or stamped with a numbering machine in another font,
and Tesseract glues them to the printed words ("ngày30", "ÉØ/GM-UBND") or reads them wrong with
high confidence ("0Ÿ" at 95 for a handwritten "08", tw-1776153109-2191-ct-cs.pdf). So, on the
first page only:

1. the Số line and the date line are found among Tesseract's word boxes (TSV);
2. each line is cropped from the page image and its printed characters are boxed
   (``tesseract … makebox``): the colon of "Số:" and the "/" of the symbol bound the number
   slot, "ngày" and "tháng" the day slot, "tháng" and "năm" the month slot;
3. the slot is cleaned: connected components that touch its edges (a neighbour's tail) are
   dropped, but a slot where such a component reaches well into it (a digit joined to the "/",
   lamdong-qd932.pdf) is refused, since reading what is left would give a truncated number;
4. what is left is padded and OCR'd in ``len(HEIGHTS)`` passes (different scales, English
   model, one line): a value is accepted only when every pass reads the same digits with
   confidence >= ``MIN_CONF``, and it is a plausible number, day or month (or, for a small
   typed value the passes read unevenly, when the whole-page read, the line's read and a pass
   agree: ``decide``).

An accepted value replaces the slot's words in the text; a refused one takes its words out of
the text ("Số: /GM-UBND", "ngày tháng 11 năm 2025") and lists them as low-confidence words, so
the header comes out null with the field in ``document.review``. Measured on the nine scans with
gold files (../shared/gold): the passes agree on the number "560" of lamdong-560-gm.pdf, the
typed day "15" of lamdong-qd932.pdf, the stamped "30" of tw-464-ttg-signed.pdf and the clearly
written days of quangngai-575 and quangngai-84; they disagree on most handwriting and on the
stamped "464" (read "Abt"), which then stays null: never a wrong number or date
(tests/test_readers_ocr_slots.py). On eight more scans of the corpus without gold, every value
accepted was checked against the page image and was right.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PIL import Image, ImageFilter

if TYPE_CHECKING:  # pragma: no cover
    from .ocr import OcrPage

HEIGHTS = (24, 32, 40, 56)   # px: the slot's ink scaled to these heights, one pass each
MIN_CONF = 50.0              # every pass must read the value at least this confidently
INTRUSION = 0.25             # a cut-off component reaching this far (x line height) in: refuse
TIMEOUT = 30
_SO_WORD = re.compile(r"^S[ốóồôoòổ6ỏ]")
_SO_CHARS = re.compile(r"S.{0,2}?[:;]")
_NGAY = re.compile(r"ng[àaáả]?y", re.IGNORECASE)


@dataclass(frozen=True)
class Slot:
    """One slot's verdict: the value read (None: refused or blank) and what happened."""

    value: str | None
    status: str          # "read", "refused", "blank", "no-anchor"


# A Tesseract runner: images, arguments, output format ("tsv", "makebox") -> one output per image.
Ocr = Callable[[list[Image.Image], list[str], str], list[str]]


def tiff_bytes(images: list[Image.Image]) -> bytes:
    """Images as one uncompressed multi-page TIFF: no PNG compression to pay for, and Tesseract
    reads every page of it in one run (one process, the model loaded once)."""
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:])
    return buf.getvalue()


def split_pages(out: str, fmt: str, count: int) -> list[str]:
    """Tesseract's output for a multi-page input, cut into each page's own output.

    TSV rows carry the 1-based ``page_num`` (second column; the header line goes to every page),
    makebox rows the 0-based page last. ``fmt`` "makebox tsv" (both from one run): each page's
    output holds its TSV rows then its box rows; ``parse_tsv`` and the box reader each skip the
    other's rows.
    """
    pages: list[list[str]] = [[] for _ in range(count)]
    lines = out.splitlines()
    fmts = fmt.split()
    if "tsv" in fmts:
        head = [ln for ln in lines[:1] if ln.startswith("level")]
        for page in pages:
            page.extend(head)
        for row in lines:
            cols = row.split("\t", 2)
            if len(cols) > 2 and cols[1].isdigit() and 1 <= int(cols[1]) <= count:
                pages[int(cols[1]) - 1].append(row)
    if fmts != ["tsv"]:
        # box rows (no tab in them; with "makebox tsv" both come on stdout, TSV rows first)
        for row in lines:
            k = row.rsplit(" ", 1)[-1]
            if "\t" not in row and k.isdigit() and int(k) < count:
                pages[int(k)].append(row)
    return ["\n".join(p) + "\n" if p else "" for p in pages]


def run_tesseract(exe: str) -> Ocr:
    """A function that runs Tesseract once on a batch of images (stdin, an uncompressed
    multi-page TIFF) and returns each image's output."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def ocr(images: list[Image.Image], args: list[str], fmt: str) -> list[str]:
        if not images:
            return []
        try:
            proc = subprocess.run([exe, "stdin", "stdout", *args, *fmt.split()], input=tiff_bytes(images),
                                  capture_output=True, timeout=TIMEOUT * len(images), env=env, check=False)
        except subprocess.TimeoutExpired:
            return [""] * len(images)
        if proc.returncode != 0:
            return [""] * len(images)
        return split_pages(proc.stdout.decode("utf-8", "replace"), fmt, len(images))

    return ocr


# --- image work ----------------------------------------------------------------------------


def _components(mask: list[list[bool]]) -> list[tuple[int, int, int, int, list[tuple[int, int]]]]:
    """8-connected components of a small binary image: (x0, y0, x1, y1, pixels)."""
    h = len(mask)
    w = len(mask[0]) if h else 0
    seen = [[False] * w for _ in range(h)]
    out = []
    for y in range(h):
        row = mask[y]
        for x in range(w):
            if not row[x] or seen[y][x]:
                continue
            seen[y][x] = True
            stack = [(y, x)]
            pts = []
            while stack:
                cy, cx = stack.pop()
                pts.append((cy, cx))
                for ny in (cy - 1, cy, cy + 1):
                    if ny < 0 or ny >= h:
                        continue
                    mrow, srow = mask[ny], seen[ny]
                    for nx in (cx - 1, cx, cx + 1):
                        if 0 <= nx < w and mrow[nx] and not srow[nx]:
                            srow[nx] = True
                            stack.append((ny, nx))
            ys = [p[0] for p in pts]
            xs = [p[1] for p in pts]
            out.append((min(xs), min(ys), max(xs), max(ys), pts))
    return out


def clean_slot(slot: Image.Image, band: tuple[int, int], line_h: float) -> Image.Image | None | bool:
    """The slot's own ink on white, tightly cropped; None if blank, False if refused.

    ``band``: the rows of the printed line (top, bottom) within the slot image. Components that
    touch the slot's edge belong to neighbours and are dropped; one that does and reaches more
    than ``INTRUSION`` x line height into the slot over the band is joined to the slot's ink
    (a digit written into the "/"): refused.
    """
    w, h = slot.size
    if w < 3 or h < 3:
        return None
    data = slot.convert("L").tobytes()  # one byte a pixel, row by row
    mask = [[data[y * w + x] < 140 for x in range(w)] for y in range(h)]
    keep: list[tuple[int, int]] = []
    min_area = 0.004 * line_h * line_h + 3
    for x0, y0, x1, y1, pts in _components(mask):
        edge = x0 <= 0 or x1 >= w - 1 or y0 <= 0 or y1 >= h - 1
        if edge:
            in_band = y1 >= band[0] + 0.2 * line_h and y0 <= band[1] - 0.2 * line_h
            reach = (x1 if x0 <= 0 else w - 1 - x0) if (x0 <= 0) != (x1 >= w - 1) else w
            if in_band and reach > INTRUSION * line_h and not (x0 <= 0 and x1 >= w - 1):
                return False
            if in_band and x0 > 0 and x1 < w - 1 and (y1 - y0) > 0.5 * line_h:
                return False      # a tall stroke cut at the top or bottom: a digit too big to box
            continue
        if len(pts) < min_area:
            continue
        keep.extend(pts)
    if not keep:
        return None
    ys = [p[0] for p in keep]
    xs = [p[1] for p in keep]
    x0, y0 = min(xs), min(ys)
    ow = max(xs) - x0 + 1
    pixels = [255] * (ow * (max(ys) - y0 + 1))
    for y, x in keep:
        pixels[(y - y0) * ow + x - x0] = data[y * w + x]
    out = Image.new("L", (ow, max(ys) - y0 + 1))
    out.putdata(pixels)
    return out


PASS_ARGS = ["-l", "eng", "--psm", "7"]


def pass_images(ink: Image.Image) -> list[Image.Image]:
    """The slot's ink at each of ``HEIGHTS``, blurred a little and padded: one image a pass."""
    out = []
    for th in HEIGHTS:
        scale = th / ink.height
        im = ink.resize((max(1, round(ink.width * scale)), th), Image.Resampling.LANCZOS)
        im = im.filter(ImageFilter.GaussianBlur(1))
        canvas = Image.new("L", (im.width + th, im.height + th), 255)
        canvas.paste(im, (th // 2, th // 2))
        out.append(canvas)
    return out


def pass_reads(outputs: list[str]) -> list[tuple[str, float]]:
    """Each pass's TSV as (text, lowest word confidence)."""
    from .ocr import parse_tsv

    reads = []
    for out in outputs:
        words = parse_tsv(out).words
        reads.append(("".join(w for w, _ in words), min((c for _, c in words), default=0.0)))
    return reads


def read_passes(ink: Image.Image, ocr: Ocr) -> list[tuple[str, float]]:
    """What each pass reads in the slot's ink: (text, lowest word confidence)."""
    return pass_reads(ocr(pass_images(ink), PASS_ARGS, "tsv"))


def decide(passes: list[tuple[str, float]], page_value: str | None = None,
           line_value: str | None = None) -> str | None:
    """The value the passes vouch for, else None.

    Every pass reads the same digits at ``MIN_CONF`` or more; or the whole-page OCR read a
    clean digit string confidently (``page_value``) and all passes but one read the same, none
    of them other digits (a lone glyph, a typed "5", is sometimes read "J" at one scale); or
    the whole-page OCR and the read of the whole line (``line_value``, its slot between the
    anchors) read the same clean digits and a pass does too, none of them other digits: a small
    typed value ("tháng 01" of quangngai-11-tb-ubnd-page1.png, read "i", "01", "Ol", "01" by
    the passes) that three different reads agree on.

    >>> decide([("560", 96), ("560", 97), ("560", 91), ("560", 95)])
    '560'
    >>> decide([("30", 96), ("50", 76), ("30", 84), ("30", 84)]) is None
    True
    >>> decide([("5", 93), ("5", 62), ("J", 31), ("5", 80)], page_value="5")
    '5'
    >>> decide([("i", 73), ("01", 61), ("Ol", 36), ("01", 46)], page_value="01", line_value="01")
    '01'
    >>> decide([("i", 73), ("01", 61), ("07", 56), ("01", 46)], page_value="01", line_value="01") is None
    True
    """
    def digits(t: str) -> bool:
        return bool(re.fullmatch(r"\d{1,6}", t))

    if passes and all(t == passes[0][0] and c >= MIN_CONF for t, c in passes) and digits(passes[0][0]):
        return passes[0][0]
    if page_value and digits(page_value):
        agree = sum(1 for t, c in passes if t == page_value and c >= MIN_CONF)
        other = any(digits(t) and t != page_value for t, _ in passes)
        if agree >= 2 and not other:
            return page_value
        if agree >= 1 and not other and line_value == page_value:
            return page_value
    return None


def _char_boxes(out: str) -> list[tuple[str, int, int]]:
    """Tesseract's character boxes of one line (its makebox output): (char, x0, x1)."""
    rows = []
    for row in out.splitlines():
        parts = row.rsplit(" ", 5)
        if len(parts) == 6 and parts[0]:
            try:
                rows.append((parts[0], int(parts[1]), int(parts[3])))
            except ValueError:
                continue
    return rows


LINE_ARGS = ["-l", "vie", "--psm", "7"]
Anchors = list[tuple[re.Pattern[str], re.Pattern[str]]]


def _line_crop(image: Image.Image, box: tuple[float, float, float, float], line_h: float
               ) -> tuple[Image.Image, tuple[int, int]]:
    """The line ``box`` (page px) cropped with a margin, and the printed band's rows within it."""
    m = 0.6 * line_h
    x0, y0 = max(0, int(box[0] - m)), max(0, int(box[1] - m))
    x1, y1 = min(image.width, int(box[2] + m)), min(image.height, int(box[3] + m))
    return image.crop((x0, y0, x1, y1)), (int(box[1] - y0), int(box[3] - y0))


def _slot_inks(line: Image.Image, band: tuple[int, int], line_h: float, anchors: Anchors,
               boxes_out: str, line_values: list[str] | None = None) -> list[Image.Image | Slot]:
    """Each slot between its two anchors: its cleaned ink to read, or its verdict already.
    ``line_values`` (if given) gets, for each slot found, what the line read holds between the
    anchors."""
    chars = _char_boxes(boxes_out)
    text = "".join(c for c, _, _ in chars)
    # character index of each position in the joined text (a box may hold several characters)
    owner = [i for i, (c, _, _) in enumerate(chars) for _ in c]
    out: list[Image.Image | Slot] = []
    pos = 0
    for start, end in anchors:
        ms = start.search(text, pos)
        me = end.search(text, ms.end()) if ms else None
        if not ms or not me:
            out.append(Slot(None, "no-anchor"))
            if line_values is not None:
                line_values.append("")
            continue
        pos = me.start()
        if line_values is not None:
            line_values.append(text[ms.end():me.start()].strip())
        left = chars[owner[ms.end() - 1]][2] + 1
        right = chars[owner[me.start()]][1] - 1
        if right - left < 0.2 * line_h:
            out.append(Slot(None, "blank"))
            continue
        ink = clean_slot(line.crop((left, 0, right, line.height)), band, line_h)
        if ink is None:
            out.append(Slot(None, "blank"))
        elif not isinstance(ink, Image.Image):
            out.append(Slot(None, "refused"))
        else:
            out.append(ink)
    return out


def _read_lines(image: Image.Image, lines: list[tuple[tuple[float, float, float, float], float, Anchors,
                                                      list[str | None]]], ocr: Ocr) -> list[list[Slot]]:
    """The slots of each header line, in two Tesseract runs for all of them: one boxes the
    lines' characters, one reads every pass of every slot left to read.

    ``lines``: (line box in page px, line height, anchor pairs, whole-page values) per line.
    """
    crops = [_line_crop(image, box, line_h) for box, line_h, _, _ in lines]
    boxed = ocr([c for c, _ in crops], LINE_ARGS, "makebox")
    texts: list[list[str]] = [[] for _ in lines]
    found = [_slot_inks(crop, band, line_h, anchors, out, tx)
             for (crop, band), (_, line_h, anchors, _), out, tx in zip(crops, lines, boxed, texts, strict=True)]
    inks = [x for slots in found for x in slots if isinstance(x, Image.Image)]
    images = [im for ink in inks for im in pass_images(ink)]
    outs = iter(ocr(images, PASS_ARGS, "tsv") if images else [])
    result = []
    for slots, (_, _, _, page_values), line_values in zip(found, lines, texts, strict=True):
        row = []
        for x, page_value, line_value in zip(slots, page_values, line_values, strict=True):
            if isinstance(x, Slot):
                row.append(x)
                continue
            value = decide(pass_reads([next(outs) for _ in HEIGHTS]), page_value, line_value)
            row.append(Slot(value, "read" if value else "refused"))
        result.append(row)
    return result


def _read_slots(image: Image.Image, box: tuple[float, float, float, float], line_h: float,
                anchors: Anchors, ocr: Ocr, page_values: list[str | None]) -> list[Slot]:
    """Crop the line ``box`` (page px), find each slot between its two anchors, read it."""
    return _read_lines(image, [(box, line_h, anchors, page_values)], ocr)[0]


# --- the page's words ----------------------------------------------------------------------


def _header_limit(page: OcrPage) -> float:
    return 0.3 * page.size[1]     # the header: a date line lower down is a body citation


def _find_so(page: OcrPage) -> tuple[int, int] | None:
    """Indices of the "Số" word and of the symbol word (the first with "/") after it."""
    words, boxes = page.words, page.boxes
    for i, (w, _) in enumerate(words):
        if boxes[i][1] > _header_limit(page):
            break
        if not _SO_WORD.match(w) or (len(w) > 12 and "/" not in w):
            continue
        h = boxes[i][3] - boxes[i][1]
        for j in range(i, min(i + 4, len(words))):
            if abs(boxes[j][1] - boxes[i][1]) > h:
                break
            if "/" in words[j][0] and (j > i or ":" in w[:4]):
                return i, j
    return None


def _so_without_symbol(page: OcrPage) -> list[int]:
    """Words with a digit just after a "Số" that has no "/" symbol word: not vouched for."""
    words, boxes = page.words, page.boxes
    for i, (w, _) in enumerate(words):
        if boxes[i][1] > _header_limit(page):
            break
        if not _SO_WORD.match(w) or not (":" in w[:4] or len(w) <= 3):
            continue
        h = boxes[i][3] - boxes[i][1]
        out = [i] if any(ch.isdigit() for ch in w) else []
        for j in range(i + 1, min(i + 4, len(words))):
            wj = words[j][0]
            if abs(boxes[j][1] - boxes[i][1]) > h or "ngày" in wj or wj[:1].isupper():
                break
            if any(ch.isdigit() for ch in wj):
                out.append(j)
        return out
    return []


def _find_date(page: OcrPage) -> tuple[int, int, int] | None:
    """Indices of the "ngày", "tháng" and "năm" words of the header's date line."""
    words, boxes = page.words, page.boxes
    for i, (w, _) in enumerate(words):
        if boxes[i][1] > _header_limit(page):
            break
        if not _NGAY.search(w) or len(w) > 10:
            continue
        h = boxes[i][3] - boxes[i][1]
        t = next((j for j in range(i, min(i + 4, len(words))) if "tháng" in words[j][0]), None)
        if t is None:
            continue
        n = next((j for j in range(t + 1, min(t + 4, len(words))) if words[j][0].startswith("năm")), None)
        if n is None or n + 1 >= len(words) or abs(boxes[n][1] - boxes[i][1]) > h:
            continue
        return i, t, n
    return None


def _shown() -> float:
    """A confidence just high enough for the layout to keep the word."""
    from .ocr import NOISE

    return NOISE + 1


def _page_value(pieces: list[tuple[str, float]]) -> str | None:
    """What whole-page OCR read in a slot, if it is clean digits read confidently."""
    from .ocr import LOW_CONFIDENCE_DIGITS

    text = "".join(w for w, _ in pieces)
    if not re.fullmatch(r"\d{1,6}", text):
        return None
    if any(c < LOW_CONFIDENCE_DIGITS for w, c in pieces if w):
        return None
    return text


def _split(a: str, conf_a: float, b: str, conf_b: float, box: tuple[float, float, float, float]
           ) -> list[tuple[str, float, tuple[float, float, float, float], str]]:
    """Two words in place of one box ("ngày30"): left half and right half, a gap between."""
    x0, t, x1, bot = box
    mid = x0 + 0.5 * (x1 - x0)
    gap = min(0.3 * (bot - t), 0.25 * (x1 - x0))
    return [(a, conf_a, (x0, t, mid, bot), ""), (b, conf_b, (mid + gap, t, max(x1, mid + gap + 1), bot), "")]


def _union(boxes: tuple[tuple[float, float, float, float], ...], a: int, b: int
           ) -> tuple[float, float, float, float]:
    sel = boxes[a:b + 1]
    return (min(x[0] for x in sel), min(x[1] for x in sel), max(x[2] for x in sel), max(x[3] for x in sel))


def verify_header_slots(image: Image.Image, page: OcrPage, ocr: Ocr) -> OcrPage:
    """The page with its Số and date slots read again: vouched-for values put in, others
    taken out of the text and marked doubtful (see the module docstring).

    Args: image, the page image OCR'd (grey, the same pixels as ``page``'s boxes); page, its
    whole-page OCR; ocr, a Tesseract runner (``run_tesseract``).
    Returns a new OcrPage (``hidden`` and ``doubtful`` flags set, words replaced).
    """
    if not page.boxes:
        return page
    edits: list[tuple[int, int, list[tuple[str, float, tuple[float, float, float, float], str]]]] = []
    so = _find_so(page)
    date = _find_date(page)
    # Both lines' slots are read together: two Tesseract runs in all (see _read_lines).
    requests = []
    if so is not None:
        i, j = so
        sym_word, sym_conf = page.words[j]
        so_word = page.words[i][0]
        if i == j:      # one word: "Số:522/BCA-V01"
            pieces = [(so_word[so_word.index(":") + 1:so_word.index("/")], sym_conf)]
        else:
            pieces = [(so_word[so_word.index(":") + 1:] if ":" in so_word[:4] else "", page.words[i][1]),
                      *page.words[i + 1:j], (sym_word[:sym_word.index("/")], sym_conf)]
        requests.append((_union(page.boxes, i, j), page.boxes[i][3] - page.boxes[i][1],
                         [(_SO_CHARS, re.compile("/"))], [_page_value(pieces)]))
    if date is not None:
        i, t, n = date
        w_i, w_t, w_n = page.words[i], page.words[t], page.words[n]
        m_i = _NGAY.search(w_i[0])
        day_pieces = [(w_i[0][m_i.end():] if m_i else "", w_i[1]), *page.words[i + 1:t],
                      (w_t[0][:w_t[0].index("tháng")], w_t[1])]
        month_pieces = [(w_t[0][w_t[0].index("tháng") + 5:], w_t[1]), *page.words[t + 1:n],
                        (w_n[0][:w_n[0].index("năm")], w_n[1])]
        requests.append((_union(page.boxes, i, n + 1), page.boxes[n][3] - page.boxes[n][1],
                         [(_NGAY, re.compile("th")), (re.compile("th[áa]?ng"), re.compile("n[ăa]?m"))],
                         [_page_value(day_pieces), _page_value(month_pieces)]))
    reads = _read_lines(image, requests, ocr) if requests else []
    if so is not None:
        i, j = so
        (slot,) = reads[0]
        tail = sym_word[sym_word.index("/"):]
        so_box = page.boxes[i]
        so_text = so_word[:so_word.index(":") + 1] if ":" in so_word[:4] else "Số:"
        gap = 0.3 * (so_box[3] - so_box[1])     # a word gap, so the layout puts a space
        rest_box = (min(so_box[2] + gap, page.boxes[j][2] - 1), page.boxes[j][1], page.boxes[j][2],
                    page.boxes[j][3])
        if i == j:
            so_box = (so_box[0], so_box[1], so_box[0] + 0.2 * (so_box[2] - so_box[0]), so_box[3])
        new: list[tuple[str, float, tuple[float, float, float, float], str]] = [
            (so_text, max(page.words[i][1], _shown()), so_box, "")]
        between = [(w, c, b) for (w, c), b in zip(page.words[i + 1:j], page.boxes[i + 1:j], strict=True)]
        glued = [(sym_word[:sym_word.index("/")], sym_conf, page.boxes[j])]
        if i == j:
            glued = [(pieces[0][0], sym_conf, so_box)]
            so_text = so_word[:so_word.index(":") + 1]
        elif ":" in so_word[:4]:
            glued.append((so_word[so_word.index(":") + 1:], page.words[i][1], so_box))
        glued = [g for g in glued if g[0]]
        if slot.status == "read" and slot.value:
            new.append((slot.value + tail, max(sym_conf, 99.0), rest_box, ""))
        elif slot.status == "no-anchor":
            # the line could not be boxed: keep the words, but none with a digit is vouched for
            new = [(w, c, b, "doubtful" if any(ch.isdigit() for ch in w) else "")
                   for (w, c), b in zip(page.words[i:j + 1], page.boxes[i:j + 1], strict=True)]
        else:
            # (the symbol of a glued word "332/QĐ-TTg" shares its low confidence: show it anyway)
            new.append((tail, max(sym_conf, _shown()), rest_box, ""))
            new.extend((w, c, b, "hidden") for w, c, b in between + glued)
        edits.append((i, j, new))
    else:
        for k in _so_without_symbol(page):
            w, c = page.words[k]
            edits.append((k, k, [(w, c, page.boxes[k], "doubtful")]))
    if date is not None:
        i, t, n = date
        day, month = reads[-1]
        new = []
        for lo, hi, word, slot, limit in ((i, t, "ngày", day, 31), (t, n, "tháng", month, 12)):
            # the slot's words: glued ones ("ngày30", "04tháng") count as the slot's too
            span = [(w, c, b) for (w, c), b in zip(page.words[lo:hi], page.boxes[lo:hi], strict=True)]
            wbox = page.boxes[lo]
            conf = max(page.words[lo][1], 90.0)
            first = page.words[lo][0]
            if word == "ngày":
                m = _NGAY.search(first)
                word = (first[:m.start()] if m else "") + word     # "Nội,ngàyD6": keep "Nội,"
            if slot.status == "read" and slot.value and 1 <= int(slot.value) <= limit:
                new.extend(_split(word, conf, slot.value, 99.0, wbox))
            elif slot.status == "no-anchor":
                new.extend((w, c, b, "doubtful" if any(ch.isdigit() for ch in w) else "") for w, c, b in span)
            else:
                new.append((word, conf, wbox, ""))
                new.extend((w, c, b, "hidden") for w, c, b in span)
        edits.append((i, n - 1, new))
    if not edits:
        return page
    return _apply(page, edits)


def _apply(page: OcrPage, edits: list[tuple[int, int, list[tuple[str, float, tuple[float, float, float, float], str]]]]
           ) -> OcrPage:
    words, boxes, keys, hidden, doubtful = [], [], [], [], []
    old_keys = page.line_keys or tuple(("", "", "") for _ in page.words)
    starts = {a: (b, new) for a, b, new in edits}
    k = 0
    while k < len(page.words):
        if k in starts:
            b, new = starts[k]
            for w, c, box, flag in new:
                words.append((w, c))
                boxes.append(box)
                keys.append(old_keys[k])
                hidden.append(flag == "hidden")
                doubtful.append(flag in ("hidden", "doubtful"))
            k = b + 1
            continue
        words.append(page.words[k])
        boxes.append(page.boxes[k])
        keys.append(old_keys[k])
        hidden.append(bool(page.hidden[k]) if page.hidden else False)
        doubtful.append(bool(page.doubtful[k]) if page.doubtful else False)
        k += 1
    return replace(page, words=tuple(words), boxes=tuple(boxes), line_keys=tuple(keys),
                   hidden=tuple(hidden), doubtful=tuple(doubtful))
