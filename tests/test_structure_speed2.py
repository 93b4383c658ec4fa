"""Issue 15, structure pass (second round): the shortcuts of join_lines and the paragraphs' content
give the answers of the work they spare. No timing here (tools/bench_tasks.py measures)."""
from __future__ import annotations

import sys

from pipeline import structure as S
from pipeline.models import Segments


def test_other_space_is_every_white_space_split_sees_but_space_and_newline():
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        assert bool(S._OTHER_SPACE.match(ch)) == (ch.isspace() and ch not in " \n"), hex(c)


def _collapsed(text: str, offset: int = 0) -> list[tuple[str, S.Span, bool]]:
    """join_lines as it was: every paragraph's white space collapsed."""
    return [(" ".join(t.split()), s, f) for t, s, f in S.join_lines(text, offset)]


def test_join_lines_collapses_where_it_must():
    for text in ("1. Đề nghị  Phòng Nội vụ\nbáo cáo.", "a\u00a0b\nc", "x\tY\n2. Z", "Một dòng.\n\nHai dòng.",
                 "Câu một,\ncâu hai\u2003tiếp"):
        assert S.join_lines(text) == _collapsed(text), repr(text)


def test_join_lines_on_the_corpus(shared_dir):
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    n = 0
    for f in sorted((shared_dir / "corpus").glob("*.txt")):
        seg = segment_document(normalize_document(read_document(f)))
        text, off = S.body_region(seg)
        assert S.join_lines(text, off) == _collapsed(text, off), f.name
        n += 1
    assert n > 50


def test_content_set_when_parsed_is_the_property_s_answer(shared_dir):
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    texts = ["1. A\na) B\n- C\ni) D", "I. Phần\n1. Mục: làm\n“Trích 2. dẫn\n(1) Một"]
    texts += [segment_document(normalize_document(read_document(f))).body
              for f in sorted((shared_dir / "corpus").glob("*.txt"))]
    for t in texts:
        for p in S.parse_paragraphs(Segments(text=t, body=t)):
            assert "content" in vars(p)
            assert p.content == S.Paragraph.content.func(p), p.text


def _ends_by_scan(paras: list[S.Paragraph]) -> dict[int, int]:
    """parse_sections' ends as it computed them: a scan forward from every numbered item."""
    out = {}
    for j, p in enumerate(paras):
        if p.kind not in S.NUMBERED or p.path is None:
            continue
        end = p.span.end
        for q in paras[j + 1:]:
            if q.kind is not None and q.rank <= p.rank and not q.footnote:
                break
            end = max(end, q.span.end)
        out[j] = end
    return out


def test_section_ends_as_by_a_scan(shared_dir):
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    texts = ["1. A\na) B\n- C\n2. D\nI. E\n1. F\n¹ chú thích\nII. G", "- a\n1. b\n+ c\n(1) d\nĐiều 2. e"]
    n = 0
    for t in texts:
        paras = S.parse_paragraphs(Segments(text=t, body=t))
        assert S._section_ends(paras) == _ends_by_scan(paras)
    for f in sorted((shared_dir / "corpus").glob("*.txt")):
        paras = S.parse_paragraphs(segment_document(normalize_document(read_document(f))))
        got = S._section_ends(paras)
        assert got == _ends_by_scan(paras), f.name
        n += len(got)
    assert n > 500


def _marker_of_before(line: str):  # type: ignore[no-untyped-def]
    """_marker_of as it was: the digit test by pattern for every first character not in the table."""
    c = line[:1]
    by_first, arabic_only = S._marker_table()
    pats = by_first.get(c)
    if pats is None:
        if not c or not S._DIGIT.match(c):
            return None
        pats = arabic_only
    for kind, pat in pats:
        m = pat.match(line)
        if m:
            return kind, m.span(), m.end()
    return None


def test_marker_of_for_every_first_character():
    for c in ["", *map(chr, range(0x3000)), "\U0001d7ce", "\U00010d40"]:
        for rest in (". Sở Nội vụ", ") b", "", "\tx"):
            got = S._marker_of(c + rest)
            assert (got and (got[0], got[1].span(), got[2])) == _marker_of_before(c + rest), repr(c + rest)
