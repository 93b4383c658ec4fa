"""Scans and images: Tesseract OCR (``tesseract -l vie``), pages rendered with PDFium at 300 dpi.

Debian packages: ``tesseract-ocr tesseract-ocr-vie``. Each Tesseract process runs with
``OMP_THREAD_LIMIT=1``: with OpenMP threads it is about five times slower on two cores, and the
batch runs files in parallel anyway.

Only the first ``Limits.ocr_max_pages`` pages (default 3: the header is on page 1) and the last
page (signature and Nơi nhận) are OCR'd; a warning says so. A 300-dpi A4 page takes ~1.5-3 s
here (Tesseract 5, one thread).

Note for the header extractor: in scans the number and the day are often written by hand after
signing, and arrival stamps (ĐẾN, Số…, Ngày…) and e-signature boxes sit over the header. A
number or date OCR did not read confidently must not be guessed: ``RawDocument.ocr_words``
holds every word with its confidence (0-100) and ``RawDocument.low_confidence_words`` the words
Tesseract read with confidence below ``LOW_CONFIDENCE`` (70), or below ``LOW_CONFIDENCE_DIGITS``
(90) for a word with a digit in it; a "Số:" or "ngày … tháng" value
found among them should come out null and be listed in ``document.review``. Words below
``NOISE`` (30: seal and signature strokes) are left out of the text altogether, so a handwritten
number that could not be read leaves its slot empty ("Số: /UBND-KTTH") rather than wrong.

On page 1 the Số and date slots are then read again from crops of the page image
(readers/ocr_slots.py): a value every pass agrees on replaces the slot's words; otherwise the
slot's words leave the text and are listed in ``low_confidence_words``, so the header's number or
date comes out null with the field in ``review``. That costs two more Tesseract runs, whatever
the number of slots: one boxes the characters of both lines, one reads every pass of every slot
(images go to Tesseract as one uncompressed multi-page TIFF on its standard input; there is no
PNG to encode or temporary file to write). On every page, personal names standing apart in
the signature column (the signer's, under the seal or crossed by the signature) are read again in
a few passes and vouched for only where the passes agree (readers/ocr_names.py); on page 1 these
passes ride on the slots' first run, elsewhere they cost one small run on a page that has such
a name. The pages of one scan are OCR'd in parallel
(``ocr_workers``), and a page is rendered within ``MAX_PIXELS`` (an absurd page size is refused
with a one-line message, not rendered to gigabytes).
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MissingTool, ReadError
from ..models import Block, RawDocument
from .ocr_names import NameBatch, verify_names
from .ocr_slots import run_tesseract, tiff_bytes, verify_header_slots

if TYPE_CHECKING:  # pragma: no cover
    from . import Limits

LOW_CONFIDENCE = 70.0      # below: a word the header extractor must not trust for a number or date
# Digits are held to more: Tesseract reads a handwritten "560" as "9" with confidence 79
# (lamdong-560-gm.pdf), and a wrong number is worse than none.
LOW_CONFIDENCE_DIGITS = 90.0
_DATE_GLUE = re.compile(r"(?<=\d)(?=(?:tháng|năm)\b)|(?:(?<=\bngày)|(?<=\btháng)|(?<=\bnăm))(?=\d)")
NOISE = 30.0               # below: not laid out at all (seal and signature strokes read as letters)
DPI = 300
TIMEOUT = 180
# A page rendered past this many pixels is rendered at a lower resolution (A4 at 300 dpi is
# 8.7 million, A2 35 million); one that would need less than MIN_DPI to fit is refused.
MAX_PIXELS = 40_000_000
MIN_DPI = 100


@dataclass(frozen=True)
class OcrPage:
    text: str
    words: tuple[tuple[str, float], ...]
    boxes: tuple[tuple[float, float, float, float], ...] = ()   # left, top, right, bottom (px)
    line_keys: tuple[tuple[str, str, str], ...] = ()            # Tesseract's (block, par, line)
    size: tuple[int, int] = (0, 0)                               # image width, height (px)
    # per word (empty: all False): left out of the text / not vouched for (readers/ocr_slots.py)
    hidden: tuple[bool, ...] = ()
    doubtful: tuple[bool, ...] = ()
    # personal names a second read agreed on (readers/ocr_names.py)
    vouched: tuple[str, ...] = ()


def tesseract_path(path: str | Path = "") -> str:
    """The tesseract program, or MissingTool naming the Debian packages."""
    exe = shutil.which("tesseract")
    if not exe:
        raise MissingTool("cần Tesseract để đọc bản quét/ảnh: cài gói Debian "
                          "tesseract-ocr tesseract-ocr-vie", str(path) or None)
    return exe


def parse_tsv(tsv: str) -> OcrPage:
    """Lines (in Tesseract's block order) and word confidences from ``tesseract … tsv`` output."""
    lines: list[str] = []
    words: list[tuple[str, float]] = []
    boxes: list[tuple[float, float, float, float]] = []
    keys: list[tuple[str, str, str]] = []
    size = (0, 0)
    current: tuple[str, str, str] | None = None
    last_block: str | None = None
    buf: list[str] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "1":
            size = (int(row["width"]), int(row["height"]))
        if row.get("level") != "5":
            continue
        text = (row.get("text") or "").strip()
        if not text:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        if key != current:
            if buf:
                lines.append(" ".join(buf))
            if last_block is not None and row["block_num"] != last_block:
                lines.append("")
            buf = []
            current = key
            last_block = row["block_num"]
        buf.append(text)
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            conf = -1.0
        words.append((unicodedata.normalize("NFC", text), conf))
        left, top = float(row["left"]), float(row["top"])
        boxes.append((left, top, left + float(row["width"]), top + float(row["height"])))
        keys.append(key)
    if buf:
        lines.append(" ".join(buf))
    return OcrPage(unicodedata.normalize("NFC", "\n".join(lines)), tuple(words), boxes=tuple(boxes),
                   line_keys=tuple(keys), size=size)


def layout_ocr(page: OcrPage, page_no: int) -> str:
    """The page's words laid out as readers/pdf.py lays out a text layer: header columns read
    left block then right block, Nơi nhận then signature (Tesseract reads across them)."""
    from .pdf import Line, Seg, layout_page

    if not page.boxes or not page.size[0]:
        return page.text
    scale = 595.0 / page.size[0]            # to A4 points, so the layout's thresholds apply
    segs: list[Seg] = []
    by_key: dict[tuple[str, str, str], Line] = {}
    keys = page.line_keys or tuple(("", "", "") for _ in page.words)
    hidden = page.hidden or tuple(False for _ in page.words)
    for (w, conf), (x0, t, x1, b), key, hide in zip(page.words, page.boxes, keys, hidden, strict=True):
        if 0 <= conf < NOISE or hide:
            continue          # seals, signatures, specks: glyph soup, not words
        seg = Seg(x0 * scale, t * scale, x1 * scale, b * scale, w + " ", (b - t) * scale)
        segs.append(seg)
        # Tesseract's own lines: word boxes of a skewed scan do not line up well enough to regroup.
        by_key.setdefault(key, Line()).add(seg)
    laid = layout_page(segs, 595.0, page.size[1] * scale, page_no, False, set(), ocr=True,
                       lines=list(by_key.values()) if page.line_keys else None)
    return "\n".join(laid.lines)


def ocr_image_file(image: Path, name: str = "") -> OcrPage:
    """OCR one image file with Tesseract's Vietnamese model."""
    return ocr_image_bytes(image.read_bytes(), name)


def ocr_image_bytes(data: bytes, name: str = "") -> OcrPage:
    """OCR one image (its file's bytes, or an uncompressed TIFF) with the Vietnamese model,
    handed to Tesseract on its standard input."""
    exe = tesseract_path(name)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run([exe, "stdin", "stdout", "-l", "vie", "tsv"], input=data, capture_output=True,
                              timeout=TIMEOUT, env=env, check=False)
    except subprocess.TimeoutExpired as e:
        raise ReadError(f"OCR quá thời gian ({TIMEOUT} s một trang)", name or None) from e
    return _page_result(proc, name)


def _page_result(proc: subprocess.CompletedProcess[bytes], name: str) -> OcrPage:
    """The page Tesseract read, or the error it gave, named."""
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        if any("vie" in ln and ("Failed loading" in ln or "Error opening data" in ln) for ln in err):
            raise MissingTool("Tesseract thiếu dữ liệu tiếng Việt: cài gói Debian tesseract-ocr-vie",
                              name or None)
        raise ReadError(f"Tesseract không đọc được ảnh ({err[-1] if err else proc.returncode})",
                        name or None)
    return parse_tsv(proc.stdout.decode("utf-8", "replace"))


def low_confidence(words: list[tuple[str, float]], doubtful: list[bool] | None = None) -> tuple[str, ...]:
    """The words the header must not trust for a number or date (see the module docstring)."""
    flags = doubtful or [False] * len(words)
    return tuple(w for (w, c), d in zip(words, flags, strict=True) if d or 0 <= c < LOW_CONFIDENCE or (
        0 <= c < LOW_CONFIDENCE_DIGITS and any(ch.isdigit() for ch in w)))


def _document(path: Path, fmt: str, sha256: str, pages: list[OcrPage], total: int, size: int,
              warnings: list[str]) -> RawDocument:
    words = [w for p in pages for w in p.words]
    doubtful = [d for p in pages for d in (p.doubtful or tuple(False for _ in p.words))]
    confs = [c for _, c in words if c >= 0]
    low = low_confidence(words, doubtful)
    text = "\n\n".join(layout_ocr(p, i + 1) for i, p in enumerate(pages)).strip()
    # Tesseract glues a number to the next word of the date line ("ngày 04tháng 02").
    text = _DATE_GLUE.sub(" ", text)
    blocks = tuple(Block(p.text, i + 1, "unknown") for i, p in enumerate(pages))
    return RawDocument(path=str(path), format=fmt, sha256=sha256, text=text + "\n" if text else "",
                       pages=total, blocks=blocks, ocr=True,
                       ocr_confidence=sum(confs) / len(confs) if confs else None,
                       warnings=tuple(warnings), size=size, ocr_words=tuple(words),
                       low_confidence_words=low, ocr_vouched=tuple(v for p in pages for v in p.vouched))


def ocr_pdf(path: Path, data: bytes, sha256: str, limits: Limits, reason: str = "scan") -> RawDocument:
    """OCR a scanned PDF (or one whose text layer is garbage): the first limits.ocr_max_pages pages."""
    import pypdfium2 as pdfium

    tesseract_path(path)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise ReadError("PDF hỏng hoặc bị cắt cụt, không mở được", str(path)) from e
    warnings = ["văn bản quét, chữ lấy bằng OCR" if reason == "scan"
                else "lớp chữ của PDF không dùng được, chữ lấy bằng OCR"]
    pages: list[OcrPage] = []
    try:
        total = len(pdf)
        first = min(total, max(1, limits.ocr_max_pages))
        todo = list(range(first))
        if first < total:
            todo.append(total - 1)      # the last page: signature and Nơi nhận
            warnings.append(f"chỉ OCR {first} trang đầu và trang cuối ({len(todo)}/{total} trang)")
        pages = ocr_pdf_pages(pdf, todo, str(path), verify_first=True,
                              max_pixels=getattr(limits, "ocr_max_pixels", MAX_PIXELS))
    finally:
        pdf.close()
    return _document(path, "pdf", sha256, pages, total, len(data), warnings)


def page_scale(width_pt: float, height_pt: float, page_no: int, name: str,
               max_pixels: int = MAX_PIXELS) -> float:
    """The render scale for a page: ``DPI``, or less where that would pass ``max_pixels``.

    Raises ReadError for a page so large that even ``MIN_DPI`` is out of reach (a blank
    14400 x 14400 pt page would render to 3.7 billion pixels, 10.6 GB at 300 dpi).

    >>> round(page_scale(595, 842, 1, "a4.pdf") * 72)
    300
    """
    scale = DPI / 72
    if width_pt * height_pt * scale * scale <= max_pixels:
        return scale
    capped = (max_pixels / max(width_pt * height_pt, 1e-9)) ** 0.5
    if capped * 72 < MIN_DPI:
        raise ReadError(f"trang {page_no} quá lớn để OCR ({width_pt * 25.4 / 72:.0f} x "
                        f"{height_pt * 25.4 / 72:.0f} mm; OCR giới hạn {max_pixels // 1_000_000} triệu điểm ảnh "
                        f"một trang, tối thiểu {MIN_DPI} dpi)", name or None)
    return capped


def ocr_workers() -> int:
    """How many pages of one scan are OCR'd at once: ``CONGVAN_OCR_JOBS`` if set; else every core
    when the reader runs alone, one inside a worker of ``congvan ingest --jobs N`` (the N workers
    already keep N cores busy)."""
    import multiprocessing

    env = os.environ.get("CONGVAN_OCR_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if multiprocessing.parent_process() is not None:
        return 1
    return max(1, os.cpu_count() or 1)


def ocr_pdf_pages(pdf: Any, indices: list[int], name: str, verify_first: bool = False,
                  max_pixels: int = MAX_PIXELS) -> list[OcrPage]:
    """OCR pages of an open PDFium document (0-based ``indices``), rendered at ``DPI`` (less for
    a page past ``max_pixels``; ReadError for an absurd one, see ``page_scale``).

    Each page goes to Tesseract as an uncompressed image on its standard input; the pages run in
    parallel, ``ocr_workers()`` at a time. ``verify_first``: page 0's number and date slots are
    read again (readers/ocr_slots.py).
    """
    from concurrent.futures import ThreadPoolExecutor

    from PIL import ImageOps

    exe = tesseract_path(name)
    sizes = [pdf.get_page_size(i) for i in indices]
    scales = [page_scale(w, h, i + 1, name, max_pixels) for i, (w, h) in zip(indices, sizes, strict=True)]

    def render(i: int, scale: float) -> Any:
        page = pdf[i]
        try:
            # the red channel: red seals and stamps (over the signer's name) turn white, black
            # print stays black (quangngai-575-ub-signed-*.pdf: the name under the seal)
            return ImageOps.autocontrast(page.render(scale=scale).to_pil().convert("RGB").getchannel("R"),
                                         cutoff=1)
        finally:
            page.close()

    def read(i: int, image: Any) -> OcrPage:
        ocr_page = ocr_image_bytes(tiff_bytes([image]), name)
        # the signer's name (under the seal, crossed by the signature): read again or doubted;
        # on page 1 in the same Tesseract run as the header slots (readers/ocr_names.py)
        if verify_first and i == 0:
            batch = NameBatch(run_tesseract(exe), image, ocr_page)
            return batch.apply(image, verify_header_slots(image, ocr_page, batch))
        return verify_names(image, ocr_page, run_tesseract(exe))

    workers = min(len(indices), ocr_workers())
    if workers <= 1:
        return [read(i, render(i, scale)) for i, scale in zip(indices, scales, strict=True)]
    # PDFium renders in this thread (it is not thread-safe); Tesseract runs in its own processes
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(read, i, render(i, scale)) for i, scale in zip(indices, scales, strict=True)]
        return [f.result() for f in futures]


def read_image(path: Path, data: bytes, sha256: str, limits: Limits) -> RawDocument:
    """OCR a PNG/JPG/TIFF image of a letter (refused past ``MAX_PIXELS``)."""
    from PIL import Image, UnidentifiedImageError

    max_pixels = getattr(limits, "ocr_max_pixels", MAX_PIXELS)

    tesseract_path(path)
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.width * im.height > max_pixels:
                raise ReadError(f"ảnh quá lớn để OCR ({im.width} x {im.height} điểm ảnh; giới hạn "
                                f"{max_pixels // 1_000_000} triệu)", str(path))
            im.load()
            frames = getattr(im, "n_frames", 1)
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        raise ReadError(f"ảnh hỏng hoặc không đọc được ({e})", str(path)) from e
    page = ocr_image_bytes(data, str(path))
    with Image.open(io.BytesIO(data)) as im:
        grey = im.convert("L")
    batch = NameBatch(run_tesseract(tesseract_path(path)), grey, page)
    page = batch.apply(grey, verify_header_slots(grey, page, batch))
    return _document(path, "image", sha256, [page], frames, len(data), ["ảnh, chữ lấy bằng OCR"])
