"""Shortcuts of the citation stage give what the plain ways give (issue 15, session 7).

- ``_citation`` and ``_span`` fill a frozen dataclass's ``__dict__`` at once instead of calling
  its constructor: the objects must equal (and hash, print and copy as) the constructor's, for
  every citation of the corpus letters.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from pipeline.extract import citations as C
from pipeline.models import Citation, Span


def _letters(shared: Path) -> list[tuple[object, object]]:
    from pipeline.extract.header import extract_header
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document
    out = []
    for d in ("corpus", "seed"):
        for p in sorted((shared / d).glob("*.txt")):
            raw = normalize_document(read_document(p))
            seg = segment_document(raw)
            out.append((seg, extract_header(seg, raw)))
    return out


def _rebuilt(c: Citation) -> Citation:
    """The same citation through the dataclass constructors."""
    kw = {f.name: getattr(c, f.name) for f in dataclasses.fields(Citation)}
    kw["spans"] = tuple(Span(sp.start, sp.end) for sp in c.spans)
    return Citation(**kw)


def test_filled_dataclasses_equal_the_constructors() -> None:
    sp = C._span(3, 9)
    assert sp == Span(3, 9) and hash(sp) == hash(Span(3, 9)) and repr(sp) == repr(Span(3, 9))
    assert list(vars(sp)) == [f.name for f in dataclasses.fields(Span)]
    c = C._citation("Công văn", "12", "UBND-VX", "12/UBND-VX", None, None, None, "refers", 1, (sp,), "cit.so", "x")
    ref = Citation(type="Công văn", number="12", symbol="UBND-VX", code="12/UBND-VX", relation="refers",
                   mentions=1, spans=(Span(3, 9),), rule_id="cit.so", sentence="x")
    assert c == ref and hash(c) == hash(ref) and repr(c) == repr(ref)
    assert list(vars(c)) == [f.name for f in dataclasses.fields(Citation)]
    assert dataclasses.replace(c, issuer="Bộ Nội vụ") == dataclasses.replace(ref, issuer="Bộ Nội vụ")


def test_corpus_citations_equal_the_constructors(shared_dir: Path) -> None:
    n = 0
    for seg, header in _letters(shared_dir):
        for c in C.extract_citations(seg, header):
            ref = _rebuilt(c)
            assert c == ref and repr(c) == repr(ref) and vars(c) == vars(ref)
            assert list(vars(c)) == list(vars(ref))
            assert all(vars(a) == vars(b) for a, b in zip(c.spans, ref.spans, strict=True))
            n += 1
    assert n > 100
