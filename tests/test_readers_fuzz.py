"""Truncated and fuzzed PDF and DOCX bytes: a ReadError naming the problem, never anything else."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import REPO

from pipeline.errors import ReadError
from pipeline.readers import Limits, read_document

SEED = REPO / "corpus" / "583-UBND-son-tay-2024"
NO_OCR = Limits(ocr=False)


def mutations(data: bytes, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    out = [(f"cut-{frac}", data[: int(len(data) * frac)]) for frac in (0.02, 0.1, 0.3, 0.5, 0.8, 0.97)]
    for k in range(8):
        b = bytearray(data)
        for _ in range(rng.choice((1, 10, 200))):
            b[rng.randrange(8, len(b))] = rng.randrange(256)
        out.append((f"flip-{k}", bytes(b)))
    for k in range(3):
        a = rng.randrange(8, len(data) - 100)
        out.append((f"hole-{k}", data[:a] + data[a + rng.randrange(1, 5000):]))
    return out


@pytest.mark.parametrize("ext", [".pdf", ".docx"])
@pytest.mark.parametrize("seed", [1, 2])
def test_damaged_file_reads_or_raises_read_error(tmp_path: Path, ext: str, seed: int) -> None:
    data = SEED.with_suffix(ext).read_bytes()
    for label, bad in mutations(data, seed):
        f = tmp_path / f"{label}{ext}"
        f.write_bytes(bad)
        try:
            raw = read_document(f, NO_OCR)
        except ReadError as e:
            assert e.message, label
            continue
        assert isinstance(raw.text, str), label


@pytest.mark.parametrize("ext", [".pdf", ".docx"])
def test_cut_file_names_the_problem(tmp_path: Path, ext: str) -> None:
    f = tmp_path / f"cut{ext}"
    f.write_bytes(SEED.with_suffix(ext).read_bytes()[:3000])
    with pytest.raises(ReadError) as e:
        read_document(f, NO_OCR)
    assert ("hỏng" in e.value.message or "quét" in e.value.message or "không có chữ" in e.value.message)
    assert str(f) in str(e.value)
