"""Personal names in a scan, read a second time and vouched for, or not.

The signer's name sits under the seal or is crossed by the signature, and whole-page OCR loses
the tone marks a stroke crosses while keeping a high confidence: "Trân Phước Hiên" at 96/96/86
for "Trần Phước Hiền" (quangngai-84-qd-ub-signed-…pdf), "Nguyên" for "Nguyễn" at 97
(lamdong-1-4552-signed.pdf), "Cụ Minh Chính" for "Phạm Minh Chính" (lamdong-qd932.pdf). So, on
every OCR'd page:

1. the name-like runs of words are found: 2 to 5 capitalised words standing apart on their line
   (or after a rank, "Thượng tướng"), right of the page's middle (the signature column), the
   first folding to a family name of rules/ocr_names.toml ("Nguyên" folds as "Nguyễn" does);
2. each run's crop is read again in ``len(PASSES)`` passes, each its own crop (top margin) and
   scale, Vietnamese model, one line: all the runs of the page in one Tesseract run, and on
   page 1 in the header slots' run (``NameBatch``);
3. a name is vouched for when every pass reads the same name, or when the whole-page read and two
   passes do and no pass reads another name; and it reads as a name (``plausible_name``: a
   family name spelt right, each word a Vietnamese syllable). It replaces the run's words and is
   listed in ``OcrPage.vouched`` (``RawDocument.ocr_vouched``). Otherwise the run's words are
   marked doubtful.

Measured on the 22 scans of ../shared/corpus (tests/data/scan_header_truth.toml, checked by eye):
the passes put right "Nguyễn Hoàng Giang" (read "Nguyên"), "Trần Phước Hiền", "Phạm Minh Chính",
"Nguyễn Văn Cường", and leave doubtful the names whose marks a stroke hides ("Hà" read "Hỗ",
"Hã"); no name vouched for is wrong.

The header keeps a signer's name from a scan only where it was vouched for
(pipeline/extract/scan_signer.py): a name nobody could confirm is null and listed in
``review``, never a guess. A page without a name-like run costs nothing more.
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

import regex
from PIL import Image

from ..rules import load_rules

if TYPE_CHECKING:  # pragma: no cover
    from .ocr import OcrPage
    from .ocr_slots import Ocr

# (top margin x line height, text height in px) of each pass
PASSES = ((0.25, 40), (0.45, 30), (0.7, 52))
PASS_ARGS = ["-l", "vie", "--psm", "7"]   # as readers/ocr_slots.py LINE_ARGS: NameBatch rides on that run
MIN_CONF = 60.0            # every word of every pass at least this confident
RULES_FILE = "ocr_names.toml"
_EDGE_PUNCT = ".,;:"


def fold(word: str) -> str:
    """A word without tone marks or case: "Nguyễn" and "Nguyên" both give "nguyen"."""
    w = unicodedata.normalize("NFD", word.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in w if not unicodedata.combining(c)).lower()


@cache
def surnames() -> frozenset[str]:
    """The family names of rules/ocr_names.toml, NFC."""
    out: set[str] = set()
    for r in load_rules(RULES_FILE):
        out.update(unicodedata.normalize("NFC", s) for s in r.get("surnames", ()))
    return frozenset(out)


@cache
def _folded_surnames() -> frozenset[str]:
    return frozenset(fold(s) for s in surnames())


def _capitalised(word: str) -> bool:
    return len(word) >= 1 and word[0].isupper() and word[1:] == word[1:].lower() and word.isalpha()


def plausible_name(text: str) -> bool:
    """True where ``text`` reads as a Vietnamese personal name (rules/ocr_names.toml).

    >>> plausible_name("Trần Phước Hiền"), plausible_name("Trân Phước Hiên"), plausible_name("Cụ Minh Chính")
    (True, False, False)
    """
    from ..repair import reads_as_syllable

    words = unicodedata.normalize("NFC", text).split()
    if not 2 <= len(words) <= 5 or words[0] not in surnames():
        return False
    return all(_capitalised(w) and reads_as_syllable(w) for w in words)


def _name_like(word: str) -> bool:
    w = word.strip(_EDGE_PUNCT)
    return _capitalised(w)


def name_runs(page: OcrPage) -> list[tuple[int, int]]:
    """Runs of word indices [start, end) that may be a personal name: 2 to 5 capitalised words
    standing apart on their line (Tesseract joins the signature column to the Nơi nhận column
    beside it), right of the page's middle, the first folding to a family name (see the module
    docstring)."""
    from .ocr import NOISE

    if not page.boxes or not page.size[0]:
        return []
    keys = page.line_keys or tuple((str(i), "", "") for i in range(len(page.words)))
    hidden = page.hidden or tuple(False for _ in page.words)
    lines: dict[tuple[str, str, str], list[int]] = {}
    for i, key in enumerate(keys):
        w, conf = page.words[i]
        if hidden[i] or 0 <= conf < NOISE or not any(ch.isalpha() for ch in w):
            continue      # seal and signature strokes read as marks
        if len(w.strip(_EDGE_PUNCT)) <= 2 and conf < 70 and fold(w) not in _folded_surnames():
            continue      # a speck read as a letter or two ("š", "TT.")
        lines.setdefault(key, []).append(i)
    runs: list[tuple[int, int]] = []
    mid = 0.45 * page.size[0]
    for idx in lines.values():
        k = 0
        while k < len(idx):
            i = idx[k]
            w = page.words[i][0]
            if fold(w) not in _folded_surnames() or not _capitalised(w) or page.boxes[i][0] < mid:
                k += 1
                continue
            h = page.boxes[i][3] - page.boxes[i][1]
            e = k + 1
            while e < len(idx) and e - k < 5 and idx[e] == idx[e - 1] + 1 \
                    and _capitalised(page.words[idx[e]][0].rstrip(".")) \
                    and not page.words[idx[e - 1]][0].endswith(tuple(_EDGE_PUNCT)):
                e += 1
            apart_before = k == 0 or page.boxes[i][0] - page.boxes[idx[k - 1]][2] > 1.5 * h \
                or _after_rank(page, i, keys)
            apart_after = e == len(idx) or page.boxes[idx[e]][0] - page.boxes[idx[e - 1]][2] > 1.5 * h
            if e - k >= 2 and apart_before and apart_after:
                runs.append((i, idx[e - 1] + 1))
            k = e
    return runs


def _after_rank(page: OcrPage, i: int, keys: tuple[tuple[str, str, str], ...]) -> bool:
    """True where the one or two words before word ``i`` on its line are a rank printed before a
    signer's name ("Thượng tướng", "Đại tá" read "Đại tả"; rules/signer_ranks.toml)."""
    for n in (2, 1):
        if i - n >= 0 and all(keys[j] == keys[i] for j in range(i - n, i)):
            text = " ".join(page.words[j][0] for j in range(i - n, i))
            if any(p.fullmatch(text) for p in _rank_patterns()):
                return True
    return False


@cache
def _rank_patterns() -> tuple[regex.Pattern[str], ...]:
    return tuple(regex.compile(r["pattern"], regex.V1) for r in load_rules("signer_ranks.toml")
                 if "pattern" in r)


def _crop(image: Image.Image, page: OcrPage, run: tuple[int, int], top: float) -> Image.Image:
    """The run's words with a margin: ``top`` x line height above (tone marks over capitals
    reach above the word boxes Tesseract gives), less at the sides and below."""
    boxes = page.boxes[run[0]:run[1]]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    h = max(1.0, y1 - y0)
    return image.crop((max(0, int(x0 - 0.4 * h)), max(0, int(y0 - top * h)),
                       min(image.width, int(x1 + 0.4 * h)), min(image.height, int(y1 + 0.35 * h))))


def pass_images(image: Image.Image, page: OcrPage, run: tuple[int, int]) -> list[Image.Image]:
    """One image a pass (``PASSES``): the run cropped with that pass's top margin, scaled so its
    text is that pass's height, padded. Different crops and scales: a mark cut or a stroke
    caught by one is not by the others."""
    line_h = max(1.0, max(bx[3] - bx[1] for bx in page.boxes[run[0]:run[1]]))
    out = []
    for top, th in PASSES:
        crop = _crop(image, page, run, top).convert("L")
        s = th / line_h
        im = crop.resize((max(1, round(crop.width * s)), max(1, round(crop.height * s))),
                         Image.Resampling.LANCZOS)
        canvas = Image.new("L", (im.width + th, im.height + th), 255)
        canvas.paste(im, (th // 2, th // 2))
        out.append(canvas)
    return out


def name_read(words: list[tuple[str, float]]) -> tuple[str, float] | None:
    """What one pass reads as a name: its words from the first that folds to a family name,
    marks around them dropped (a quote or colon a stroke made), with the lowest confidence.

    >>> name_read([("“Trần", 63.0), ("Phước", 95.0), ("Hiền", 96.0)])
    ('Trần Phước Hiền', 63.0)
    >>> name_read([("Ý", 0.0), ("Văn", 90.0), ("Long", 90.0)]) is None
    True
    """
    clean = [(regex.sub(r"^[^\p{L}]+|[^\p{L}]+$", "", w), c) for w, c in words]
    clean = [(w, c) for w, c in clean if w]
    start = next((k for k, (w, _) in enumerate(clean) if fold(w) in _folded_surnames() and _capitalised(w)), None)
    if start is None:
        return None
    kept = clean[start:]
    return " ".join(w for w, _ in kept), min(c for _, c in kept)


def decide(reads: list[tuple[str, float] | None], page_value: str | None = None) -> str | None:
    """The name the passes vouch for, else None.

    Every pass reads the same name at ``MIN_CONF`` or more; or the whole-page OCR read a name
    and two passes read the same, no pass another name. Either way it must read as a name
    (``plausible_name``).

    >>> decide([("Trần Phước Hiền", 76), ("Trần Phước Hiền", 93), ("Trần Phước Hiền", 89)])
    'Trần Phước Hiền'
    >>> decide([("Trân Phước Hiên", 91), ("Trần Phước Hiền", 88), ("Trần Phước Hiền", 90)]) is None
    True
    >>> decide([("Phạm Trường Thọ", 86), ("Phạm Trường Thọ", 77), None], "Phạm Trường Thọ")
    'Phạm Trường Thọ'
    >>> decide([("Hà Thị Lê Vân", 94), ("Hỗ Thị Lê Vân", 56), ("Hã Thị Lê Vân", 75)], "Hà Thị Lê Vân") is None
    True
    """
    good = [r for r in reads if r is not None and r[1] >= MIN_CONF]
    if reads and len(good) == len(reads) and len({t for t, _ in good}) == 1:
        value = good[0][0]
        return value if plausible_name(value) else None
    if page_value and plausible_name(page_value):
        agree = sum(1 for t, _ in good if t == page_value)
        other = any(t != page_value and plausible_name(t) for t, _ in good)
        if agree >= 2 and not other:
            return page_value
    return None


def verify_names(image: Image.Image, page: OcrPage, ocr: Ocr) -> OcrPage:
    """The page with its name-like runs read again: vouched-for names put in (and listed in
    ``vouched``), others marked doubtful. One Tesseract run for all the page's runs; none where
    the page has no name-like run.

    Args: image, the page image OCR'd (grey, the same pixels as ``page``'s boxes); page, its
    whole-page OCR; ocr, a Tesseract runner (readers/ocr_slots.py ``run_tesseract``).
    """
    runs = name_runs(page)
    if not runs:
        return page
    images = [im for run in runs for im in pass_images(image, page, run)]
    return _apply(page, runs, ocr(images, PASS_ARGS, "tsv"))


class NameBatch:
    """The name passes of a page riding on the header slots' run (readers/ocr_slots.py), which
    boxes the Số and date lines with the same model and mode (``PASS_ARGS``): a one-page letter
    pays for no Tesseract run of its own for the signer's name.

    Use it as the slots' runner, then ``apply`` it to the page the slots gave back:

        batch = NameBatch(run_tesseract(exe), image, page)
        page = batch.apply(image, verify_header_slots(image, page, batch))
    """

    def __init__(self, ocr: Ocr, image: Image.Image, page: OcrPage) -> None:
        self._ocr = ocr
        self.runs = name_runs(page)
        self._firsts = [page.boxes[a] for a, _ in self.runs]
        self.images = [im for run in self.runs for im in pass_images(image, page, run)]
        self.outs: list[str] | None = None

    def __call__(self, images: list[Image.Image], args: list[str], fmt: str) -> list[str]:
        if self.outs is None and self.images and args == PASS_ARGS and fmt == "makebox":
            outs = self._ocr(images + self.images, args, "makebox tsv")
            self.outs = outs[len(images):]
            return outs[:len(images)]
        return self._ocr(images, args, fmt)

    def apply(self, image: Image.Image, page: OcrPage) -> OcrPage:
        """``page`` (the slots' result) with its names read again, from the shared run where
        it carried them (the runs are those found before), else by a run of their own."""
        runs = name_runs(page)
        if self.outs is not None and [page.boxes[a] for a, _ in runs] == self._firsts:
            return _apply(page, runs, self.outs)
        return verify_names(image, page, self._ocr)


def _apply(page: OcrPage, runs: list[tuple[int, int]], outs: list[str]) -> OcrPage:
    """The page with each run's verdict: its vouched name in place, or its words doubtful."""
    from .ocr import parse_tsv

    words = list(page.words)
    doubtful = list(page.doubtful or tuple(False for _ in page.words))
    vouched = list(page.vouched)
    n = len(PASSES)
    for k, (a, b) in enumerate(runs):
        reads = [name_read(list(parse_tsv(o).words)) for o in outs[k * n:(k + 1) * n]]
        page_value = name_read(list(page.words[a:b]))
        name = decide(reads, page_value[0] if page_value else None)
        if name is not None and len(name.split()) == b - a:
            for i, w in zip(range(a, b), name.split(), strict=True):
                tail = words[i][0][len(words[i][0].rstrip(_EDGE_PUNCT)):]
                words[i] = (w + tail, max(words[i][1], 99.0))
            vouched.append(name)
        else:
            for i in range(a, b):
                doubtful[i] = True
    return replace(page, words=tuple(words), doubtful=tuple(doubtful), vouched=tuple(vouched))
