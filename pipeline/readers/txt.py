"""Plain text: UTF-8 (with or without BOM), UTF-16, Windows-1258, TCVN3 and VNI detected; NFC out."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ReadError
from ..models import RawDocument
from .legacy import convert_legacy, detect_legacy, syllable_share

# Bytes that never occur in text: a file full of them is binary whatever its name says.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def decode_text(data: bytes, name: str = "") -> str:
    """Decode bytes of a text file to NFC str, trying the encodings Vietnamese offices use.

    >>> decode_text("Số".encode("utf-16"))
    'Số'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
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
                latin = data.decode("latin-1")
                legacy = detect_legacy(latin)
                if legacy:
                    text = convert_legacy(latin, legacy)
                else:
                    text = data.decode("cp1258", errors="replace")
    bad = len(_CONTROL.findall(text, 0, 4096))
    if bad > max(8, len(text[:4096]) // 50) or text[:4096].count("\ufffd") > len(text[:4096]) // 10 + 8:
        raise ReadError("tệp nhị phân, không phải văn bản (tên .txt nhưng nội dung không phải chữ)", name)
    # TCVN3/VNI text pasted into a Unicode file keeps its Latin-1 look ("Céng hoµ"): convert it too.
    legacy = detect_legacy(text)
    if legacy:
        text = convert_legacy(text, legacy)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


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
    text = decode_text(data, str(path))
    warnings: tuple[str, ...] = ()
    share = syllable_share(_sample(text))
    if share < GARBLED_SHARE:
        # Text copied out of a PDF whose font has no Unicode map reads as letters but not as
        # Vietnamese (lamdong-493-tb.txt): say so, so a person checks the original.
        warnings = (f"chữ trong tệp có vẻ hỏng (chỉ {share:.0%} là âm tiết tiếng Việt): "
                    "hãy đối chiếu với bản gốc PDF/DOCX",)
    return RawDocument(path=str(path), format="txt", sha256=sha256, text=text,
                       pages=max(1, text.count("\f") + 1), size=len(data), warnings=warnings)
