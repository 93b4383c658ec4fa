"""Issue 12: one invalid byte in a UTF-8 text garbled the whole letter silently (it was decoded
as Windows-1258). Now the rest is read as UTF-8, the byte becomes U+FFFD, and a warning says so."""
from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from pipeline import extract_document
from pipeline.readers.txt import decode_text, decode_text_noting, read_txt

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"


def with_bad_byte(data: bytes, at: int, byte: bytes = b"\xff") -> bytes:
    return data[:at] + byte + data[at:]


@pytest.mark.parametrize("byte", [b"\xff", b"\x80", b"\xc3", b"\xe1\xba"])  # stray, lone continuation, cut sequences
def test_one_bad_byte_keeps_the_rest_as_utf8(byte: bytes) -> None:
    data = SEED.read_bytes()
    at = data.index(b"\n", 2000)
    text, notes = decode_text_noting(with_bad_byte(data, at, byte))
    assert text.replace("\ufffd", "") == decode_text(data)
    assert text.count("\ufffd") == 1
    assert len(notes) == 1 and f"byte {at}" in notes[0]


def test_a_letter_with_a_bad_byte_extracts_like_the_clean_one(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    bad = with_bad_byte(data, data.index(b"\n", 3000))
    raw = read_txt(tmp_path / "x.txt", bad, "0")
    assert any("UTF-8" in w for w in raw.warnings)
    clean = extract_document(read_txt(tmp_path / "y.txt", data, "1")).to_dict()["document"]
    got = extract_document(raw).to_dict()["document"]
    assert (got["code"], got["date"], got["issuer"]) == (clean["code"], clean["date"], clean["issuer"])


def test_windows_1258_text_is_still_windows_1258() -> None:
    text = decode_text(SEED.read_bytes())
    got, notes = decode_text_noting(to_cp1258(text))
    assert notes == () and got == text


def to_cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: base letters (â, ơ, ư…) precomposed, tone marks combining."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        shape = [m for m in nfd[1:] if m in "\u0302\u0306\u031b"]   # circumflex, breve, horn: in the letter
        tones = [m for m in nfd[1:] if m not in shape]                 # tone marks: combining
        out.append(unicodedata.normalize("NFC", nfd[0] + "".join(shape)).encode("cp1258")
                   + "".join(tones).encode("cp1258"))
    return b"".join(out)


def test_ingest_says_so_on_the_console(tmp_path: Path) -> None:
    data = SEED.read_bytes()
    f = tmp_path / "mot-byte.txt"
    f.write_bytes(with_bad_byte(data, data.index(b"\n", 2000)))
    run = subprocess.run([str(Path(sys.executable).with_name("congvan")), "ingest", str(f), "--db",
                          str(tmp_path / "t.db"), "--no-progress", "--jobs", "1"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "mot-byte.txt" in run.stderr and "UTF-8" in run.stderr
