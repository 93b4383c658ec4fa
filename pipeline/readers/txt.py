"""Plain text: UTF-8 (with or without BOM), UTF-16, Windows-1258, TCVN3 and VNI detected; NFC out."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ReadError
from ..models import RawDocument
from .legacy import convert_legacy, detect_legacy, syllable_share_nfc

# Bytes that never occur in text: a file full of them is binary whatever its name says.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def decode_text(data: bytes, name: str = "") -> str:
    """Decode bytes of a text file to NFC str, trying the encodings Vietnamese offices use.

    >>> decode_text("Số".encode("utf-16"))
    'Số'
    """
    return decode_text_noting(data, name)[0]


# A UTF-8 text with a few bytes that are not UTF-8 (a byte lost or changed in transit, a
# stray Windows-1258 character pasted in) is still UTF-8: up to this many bad bytes per
# well-formed multi-byte character, it is decoded with U+FFFD in their place, not as Windows-1258.
BAD_UTF8_SHARE = 0.05


def _bad_utf8(data: bytes) -> tuple[int, int, int]:
    """(invalid sequences, well-formed non-ASCII characters, offset of the first invalid byte)."""
    bad, first, pos = 0, -1, 0
    good = 0
    while True:
        try:
            good += sum(1 for ch in data[pos:].decode("utf-8") if ord(ch) > 127)
            return bad, good, first
        except UnicodeDecodeError as e:
            good += sum(1 for ch in data[pos:pos + e.start].decode("utf-8") if ord(ch) > 127)
            bad += 1
            if first < 0:
                first = pos + e.start
            pos += e.end
            if bad > 1000:
                return bad, good, first


def decode_text_noting(data: bytes, name: str = "") -> tuple[str, tuple[str, ...]]:
    """``decode_text`` and what a person should know about it (bytes replaced), as warnings.

    >>> decode_text_noting("Công văn số 5".encode() + b"\\xff")[1][0][:33]
    '1 byte không phải UTF-8 (byte 17)'
    """
    notes: tuple[str, ...] = ()
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
        bad, _, first = _bad_utf8(data[3:])
        if bad:
            notes = (_replaced_note(bad, first + 3),)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        sample = data[:4096]
        if sample and sample.count(0) > len(sample) // 4:
            # UTF-16 without a BOM has a NUL in every other byte; binary has them anywhere.
            even, odd = sample[0::2].count(0), sample[1::2].count(0)
            if odd > len(sample) // 3 and even < len(sample) // 20:
                text = data.decode("utf-16-le", errors="replace")
            elif even > len(sample) // 3 and odd < len(sample) // 20:
                text = data.decode("utf-16-be", errors="replace")
            else:
                raise ReadError("tệp nhị phân, không phải văn bản (tên .txt nhưng nội dung không phải chữ)", name)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                bad, good, first = _bad_utf8(data)
                if good and bad <= max(1, good * BAD_UTF8_SHARE):
                    text = data.decode("utf-8", errors="replace")
                    notes = (_replaced_note(bad, first),)
                else:
                    text = _decode_legacy(data)
    return _checked(text, name), notes


def _replaced_note(bad: int, first: int) -> str:
    return (f"{bad} byte không phải UTF-8 (byte {first}) đã thay bằng \ufffd; phần còn lại đọc như UTF-8"
            if bad == 1 else
            f"{bad} chuỗi byte không phải UTF-8 (đầu tiên ở byte {first}) đã thay bằng \ufffd; "
            "phần còn lại đọc như UTF-8")


def _decode_legacy(data: bytes) -> str:
    """Text that is not UTF-8: TCVN3 or VNI where detected, else Windows-1258."""
    latin = data.decode("latin-1")
    legacy = detect_legacy(latin)
    return convert_legacy(latin, legacy) if legacy else data.decode("cp1258", errors="replace")


def _checked(text: str, name: str) -> str:
    """``text`` refused if it is binary after all; TCVN3/VNI inside Unicode converted; NFC."""
    bad = len(_CONTROL.findall(text, 0, 4096))
    if bad > max(8, len(text[:4096]) // 50) or text[:4096].count("\ufffd") > len(text[:4096]) // 10 + 8:
        raise ReadError("tệp nhị phân, không phải văn bản (tên .txt nhưng nội dung không phải chữ)", name)
    # TCVN3/VNI text pasted into a Unicode file keeps its Latin-1 look ("Céng hoµ"): convert it too.
    legacy = detect_legacy(text)
    if legacy:
        text = convert_legacy(text, legacy)
    if "\r" in text:  # a scan for "\r" costs a tenth of replacing "\r\n" in a text without it
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc_by_chunks(text)


# Characters per piece nfc_by_chunks normalises alone.
NFC_CHUNK = 512


def nfc_by_chunks(text: str) -> str:
    r"""``unicodedata.normalize("NFC", text)``, piece by piece, each piece ending at a "\n".

    Normalising a text that is NFC costs one quick check of its characters; one decomposed
    letter ("e" + U+0301, typed so or pasted) makes the whole text go through decomposition and
    composition, about five times the cost. A line break has combining class 0 and composes
    with nothing, so NFC(a + "\n" + b) == NFC(a + "\n") + NFC(b): normalised piece by piece,
    only the pieces holding such a letter pay (issue 15; tests/test_read_speed3.py).

    >>> nfc_by_chunks("Vie\u0302\u0323t Nam\n" * 100) == "Việt Nam\n" * 100
    True
    """
    n = len(text)
    if n <= NFC_CHUNK:
        return unicodedata.normalize("NFC", text)
    out = []
    start = 0
    while start < n:
        end = text.find("\n", start + NFC_CHUNK)
        end = n if end < 0 else end + 1
        out.append(unicodedata.normalize("NFC", text[start:end]))
        start = end
    return "".join(out)


# Below this share of well-formed Vietnamese syllables a text is taken as garbled.
GARBLED_SHARE = 0.6


def _sample(text: str, width: int = 1500) -> str:
    """Three stretches from the middle half of the text: garbling runs through a whole text,
    while its first lines may be a clean e-signature caption; sampling keeps this cheap."""
    n = len(text)
    if n <= 4 * width:
        return text
    return " ".join(text[n * k // 4: n * k // 4 + width] for k in (1, 2, 3))


def read_txt(path: Path, data: bytes, sha256: str) -> RawDocument:
    """A RawDocument from a text file's bytes; footnotes stay in the text (normalize splits them)."""
    text, warnings = decode_text_noting(data, str(path))
    share = syllable_share_nfc(_sample(text))   # text is NFC (_checked), so is its sample
    if share < GARBLED_SHARE:
        # Text copied out of a PDF whose font has no Unicode map reads as letters but not as
        # Vietnamese (lamdong-493-tb.txt): say so, so a person checks the original.
        warnings += (f"chữ trong tệp có vẻ hỏng (chỉ {share:.0%} là âm tiết tiếng Việt): "
                     "hãy đối chiếu với bản gốc PDF/DOCX",)
    return RawDocument(path=str(path), format="txt", sha256=sha256, text=text,
                       pages=max(1, text.count("\f") + 1), size=len(data), warnings=warnings)
