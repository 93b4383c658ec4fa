"""Issue 15, body structure and tasks (third round): each shortcut against the work it spares.

No timing here: every check compares the shortcut with the old way on the corpus letters (and on
a few made-up cases where the corpus has none).
"""
from __future__ import annotations

import pytest
import regex

from pipeline import structure as S


@pytest.fixture(scope="module")
def bodies(shared_dir) -> list[tuple[str, int]]:
    """The body text and offset of every corpus and seed letter."""
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    files = sorted((shared_dir / "corpus").glob("*.txt")) + sorted((shared_dir / "seed").glob("*.txt"))
    return [S.body_region(segment_document(normalize_document(read_document(f)))) for f in files]


@pytest.fixture(scope="module")
def joined(bodies) -> list[list[tuple[str, S.Span, bool]]]:
    return [S.join_lines(text, off) for text, off in bodies]


def _old_find(src: str, words: list[str], at: int) -> int:
    hit = regex.compile(r"\s+".join(regex.escape(w) for w in words)).search(src, at)
    return hit.start() if hit else -1


def test_find_words_is_the_regex_search(bodies):
    n = 0
    for text, _off in bodies:
        words = text.split()
        for k in range(0, len(words), 7):
            for size in (1, 2, 4):
                ws = words[k:k + size]
                for at in (0, len(text) // 3):
                    assert S._find_words(text, ws, at) == _old_find(text, ws, at), ws
                    n += 1
    assert n > 10000
    # white space of every kind between the words, none found, a partial match before the real one
    src = "Sở Nội\x0bvụ; Sở  Nội \u00a0 \n vụ\x1cxã Sở Nội"
    for ws in (["Sở", "Nội", "vụ"], ["Nội", "vụ"], ["vụ", "xã"], ["vụ\x1cxã"], ["Sở", "Nội", "vụ", "xã"], ["Nội"]):
        for at in range(len(src)):
            assert S._find_words(src, ws, at) == _old_find(src, ws, at), (ws, at)


def test_prefiltered_is_the_search_paragraph_by_paragraph(joined):
    pre = S._inline_prefilter()
    kept = 0
    for paras in joined:
        one_by_one = {k for k, (t, _s, f) in enumerate(paras)
                      if not f and len(t) >= 40 and any(p.search(t) for p in pre)}
        assert S._prefiltered(paras) == one_by_one
        kept += len(one_by_one)
    assert kept > 10


def test_paragraphs_and_spans_built_as_their_dataclass_builds_them(bodies):
    import dataclasses

    for cls in (S.Paragraph, S.Span):
        assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")
    sp = S._span(3, 9)
    assert sp == S.Span(3, 9) and hash(sp) == hash(S.Span(3, 9)) and list(vars(sp)) == ["start", "end"]
    n = 0
    for text, off in bodies:
        for p in S._parse(text, off):
            names = [f.name for f in dataclasses.fields(S.Paragraph)]
            slow = S.Paragraph(**{k: getattr(p, k) for k in names})
            assert p == slow and hash(p) == hash(slow)
            assert list(vars(p)) == [*names, "content"]  # content set last, as cached_property sets it
            assert p.content == (slow.content if p.kind is None else p.text[S._marker_of(p.text)[2]:].strip())
            n += 1
    assert n > 2000


def test_sections_built_as_their_dataclass_builds_them(shared_dir):
    import dataclasses

    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    assert not hasattr(S.Section, "__post_init__") and not hasattr(S.Section, "__slots__")
    names = [f.name for f in dataclasses.fields(S.Section)]
    n = 0
    for f in sorted((shared_dir / "corpus").glob("*.txt")):
        seg = segment_document(normalize_document(read_document(f)))
        paras = S.parse_paragraphs(seg)
        numbered = [p for p in paras if p.kind in S.NUMBERED and p.path is not None]
        sections = S.parse_sections(seg)
        assert [x.path for x in sections] == [p.path for p in numbered]  # in reading order
        for x in sections:
            slow = S.Section(**{k: getattr(x, k) for k in names})
            assert x == slow and list(vars(x)) == list(vars(slow))
            n += 1
    assert n > 500


def test_opens_arabic_is_the_digit_pattern():
    for c in map(chr, range(0x110000)):
        if c not in S._marker_table()[0]:
            assert S._opens_arabic(c) == (not c.isascii() and S._DIGIT.match(c) is not None)
    S._opens_arabic.cache_clear()


@pytest.fixture(scope="module")
def analysed(shared_dir) -> list[str]:
    """Every text the tasks stage analysed while extracting the corpus letters."""
    from pipeline.extract import tasks as T
    from pipeline.extract.header import extract_header
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    out: list[str] = []
    cached = T._analyse

    def recorded(text: str) -> T._Analysis:
        out.append(text)
        return cached(text)

    T._analyse = recorded  # type: ignore[assignment]
    try:
        for f in sorted((shared_dir / "corpus").glob("*.txt")) + sorted((shared_dir / "seed").glob("*.txt")):
            raw = normalize_document(read_document(f))
            seg = segment_document(raw)
            T.extract_tasks(seg, extract_header(seg, raw), S.parse_sections(seg))
    finally:
        T._analyse = cached
    return list(dict.fromkeys(out))


def test_request_first_words_lose_no_trigger(analysed):
    from pipeline.extract import tasks as T

    pre = T._first_words("REQUEST")
    assert pre
    found = 0
    for t in analysed:
        hit = any(m.label == "REQUEST" for m in T._analyse(t).matches)
        found += hit
        assert not hit or not pre.isdisjoint(T._tokens(t)[1]), t[:80]
    assert found > 100


def test_fact_section_memo_is_the_walk(shared_dir):
    from pipeline.extract import tasks as T
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    inside = 0
    for f in sorted((shared_dir / "corpus").glob("*.txt")):
        paras = S.parse_paragraphs(segment_document(normalize_document(read_document(f))))
        memo: dict[int, bool] = {}
        for p in paras:
            walk = False
            q = p
            while q.parent is not None:
                q = paras[q.parent]
                if T._is_fact_heading(q.content[:80]):
                    walk = True
                    break
            assert T._in_fact_section(paras, p, memo) == walk == T._in_fact_section(paras, p)
            inside += walk
    assert inside > 20


@pytest.fixture(scope="module")
def extracted(shared_dir) -> list[tuple[object, list]]:
    """(header, tasks) of every corpus and seed letter."""
    from pipeline.extract import tasks as T
    from pipeline.extract.header import extract_header
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    out = []
    for f in sorted((shared_dir / "corpus").glob("*.txt")) + sorted((shared_dir / "seed").glob("*.txt")):
        raw = normalize_document(read_document(f))
        seg = segment_document(raw)
        header = extract_header(seg, raw)
        out.append((header, T.extract_tasks(seg, header, S.parse_sections(seg))))
    return out


def test_tasks_built_as_their_dataclass_builds_them(extracted):
    import dataclasses

    from pipeline.models import Task

    assert not hasattr(Task, "__post_init__") and not hasattr(Task, "__slots__")
    names = [f.name for f in dataclasses.fields(Task)]
    n = 0
    for _header, tasks in extracted:
        for t in tasks:
            slow = Task(**{k: getattr(t, k) for k in names})
            assert t == slow and list(vars(t)) == list(vars(slow)) == names
            n += 1
    assert n > 400
    with pytest.raises(TypeError):
        from pipeline.extract.tasks import _task
        _task(lead="Sở Nội vụ", action="rà soát")  # complete has no shared default to fall back on


def test_body_keys_with_a_memo_are_the_keys(extracted):
    from pipeline.extract import tasks as T

    n = 0
    for header, tasks in extracted:
        memo: dict = {}
        for t in tasks:
            args = (t.lead, t.assignees, t.coordinators, t.report_to, header)
            assert T._body_keys(*args, memo) == T._body_keys(*args)
            assert T.with_body_keys(dataclasses_replace_keys(t), header) == t
            n += 1
    assert n > 400


def dataclasses_replace_keys(t):
    from dataclasses import replace

    return replace(t, lead_key=None, assignee_keys=(), coordinator_keys=(), report_to_key=None)


def test_open_ends_counted_at_once_as_line_by_line(bodies):
    lines = [r for text, _off in bodies for ln in text.split("\n") if len((r := ln.rstrip()).lstrip()) > 20]
    lines += ["Trân trọng./.\u00a0 ", "a" * 30 + ".\r", "a" * 30 + "…”", "a" * 30 + ". -", "a" * 30 + ". - x"]
    for k in range(0, len(lines), 50):
        chunk = lines[k:k + 50]
        at_once = len(S._TAIL_ENDS_CLAUSE.findall("\n".join([r[-4:] for r in chunk])))
        assert at_once == sum(1 for r in chunk if S._ends_clause(r))
    assert sum(1 for r in lines if S._ends_clause(r)) > 1000


def test_number_header_after_a_break_is_the_line_search(shared_dir):
    from pipeline.extract import task_tables as TT
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document

    texts = [normalize_document(read_document(f)).text
             for f in sorted((shared_dir / "corpus").glob("*.txt")) + sorted((shared_dir / "seed").glob("*.txt"))]
    texts += ["STT\nNội dung", "x\n  TT.\t\n", "x\rTT\n", "x\u2028TT", "Số\nTT", "x\nSố\n thứ tự", "\nstt"]
    found = [TT._number_header_somewhere(t) for t in texts]
    assert found == [TT._number_header_line().search(t) is not None for t in texts]
    assert 3 < sum(found) < len(texts)
