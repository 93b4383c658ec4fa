"""Shortcuts of the citation stage give what the plain ways give (issue 15, session 6).

- ``_Breaks`` scans only the stretches near the codes, each from a point no break straddles
  (``_resync``) up to a point past which no try reads (``_settle``); its lookups must answer as
  the scan of the whole window does, on every corpus letter.
- ``_prefiltered`` finds the cues' first words in a case-folded stretch with a ``re`` pattern;
  it must yield what ``finditer`` yields, also where folding changes a stretch's length.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.extract import citations as C


def _corpus(shared: Path) -> list[str]:
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document
    out = []
    for d in ("corpus", "seed"):
        for p in sorted((shared / d).glob("*.txt")):
            seg = segment_document(normalize_document(read_document(p)))
            out.append(seg.text or seg.body or "")
    return out


def _answers(br: C._Breaks, queries: list[tuple[int, int]]) -> list[object]:
    out: list[object] = []
    for a, b in queries:
        out += [br.sentence_start(a, b), br.clause_start(a, b), br.has_break(a, b), br.next_break(a)]
    return out


def _queries(text: str, codes: list[tuple[int, int]], rnd: random.Random) -> list[tuple[int, int]]:
    points = [s - d for s, _e in codes for d in (0, 20, 160, 660, 900)] + [e + d for _s, e in codes for d in (300, 600)]
    points += [rnd.randrange(0, len(text) + 1) for _ in range(40)]
    out = []
    for x in points:
        x = max(0, min(len(text), x))
        out += [(max(0, x - w), x) for w in (1, 220, 500, 3000)]
    return out


def test_breaks_near_the_codes_answer_as_the_whole_window(shared_dir: Path) -> None:
    rnd = random.Random(15)
    checked = 0
    for text in _corpus(shared_dir):
        codes = [m.span() for m in C._CODE_RE.finditer(text)]
        if not codes:
            continue
        lo, hi = max(0, codes[0][0] - C._Breaks.MARGIN), codes[-1][1] + C._Breaks.MARGIN
        whole = C._Breaks(text, lo, hi)
        near = C._Breaks(text, lo, hi, near=codes)
        qs = _queries(text, codes, rnd)
        assert _answers(near, qs) == _answers(whole, qs)
        checked += 1
    assert checked > 50


def _from(pat, text: str, q: int, hi: int) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [m.span() for m in pat.finditer(text, q, hi)]


def test_a_scan_from_a_resync_point_finds_the_whole_scans_breaks(shared_dir: Path) -> None:
    for text in _corpus(shared_dir)[:60]:
        for pat in (C._SENT_BREAK_RE, C._CLAUSE_BREAK_RE):
            whole = _from(pat, text, 0, len(text))
            for a in range(0, len(text), 97):
                q = C._resync(text, a, 0)
                assert _from(pat, text, q, len(text)) == [sp for sp in whole if sp[0] >= q]
                b = min(len(text), a + 300)
                got = [sp for sp in _from(pat, text, q, C._settle(text, b, len(text))) if sp[0] < b]
                assert got == [sp for sp in whole if q <= sp[0] < b]


def test_resync_can_tell_a_difference(monkeypatch: pytest.MonkeyPatch) -> None:
    # with the digits left out of _BREAK_CHARS, a scan may start inside "\n\n1. " and find the
    # "." of "1." as a break of its own
    text = "Căn cứ Luật\n\n1. Nội dung"
    whole = _from(C._SENT_BREAK_RE, text, 0, len(text))
    a = text.index(".")
    assert _from(C._SENT_BREAK_RE, text, C._resync(text, a, 0), len(text)) == [sp for sp in whole if sp[0] >= C._resync(text, a, 0)]
    monkeypatch.setattr(C, "_BREAK_CHARS", C._BREAK_CHARS - set("0123456789"))
    q = C._resync(text, a, 0)
    assert _from(C._SENT_BREAK_RE, text, q, len(text)) != [sp for sp in whole if sp[0] >= q]


def _spans(it) -> list[tuple[int, int, str | None]]:  # type: ignore[no-untyped-def]
    return [(m.start(), m.end(), m.lastgroup) for m in it]


def test_folded_prefilter_is_on() -> None:
    R = C._rules()
    assert R.cue_first_folded is not None and R.post_first_folded is not None


@pytest.mark.parametrize("text", [
    "Căn cứ Nghị định số 30/2020/NĐ-CP; THỰC HIỆN Quyết định số 12/QĐ-UBND",
    # folding makes "ß" and "İ" two characters: the stretch is read by the plain prefilter
    "Straße İstanbul. Căn cứ Nghị định số 30/2020/NĐ-CP, thay thế Quyết định số 12/QĐ-UBND",
    "ĐƯỢC sửa đổi, bổ sung tại Thông tư số 5/2024/TT-BTC ß; HẾT HIỆU LỰC",
])
def test_folded_prefilter_finds_what_finditer_finds(text: str) -> None:
    R = C._rules()
    for lo, hi in ((0, len(text)), (5, len(text) - 3), (len(text) // 2, len(text))):
        assert _spans(C._cue_matches(text, lo, hi, R)) == _spans(R.cue_re.finditer(text, lo, hi))
        want = R.post_re.search(text, lo, hi)
        got = C._post_search(text, lo, hi, R)
        assert (got and got.span()) == (want and want.span())


def test_folded_prefilter_can_tell_a_difference() -> None:
    import re
    R = C._rules()
    text = "Căn cứ Nghị định số 30/2020/NĐ-CP"
    narrow = re.compile("thực")
    assert _spans(C._prefiltered(R.cue_re, R.cue_first_re, text, 0, len(text), narrow)) != \
        _spans(R.cue_re.finditer(text))


def test_list_item_read_backwards_matches_where_the_forward_search_does(shared_dir: Path) -> None:
    rnd = random.Random(7)
    found = 0
    for text in _corpus(shared_dir):
        codes = [m.span() for m in C._CODE_RE.finditer(text)]
        pairs = [(a[1], b[0]) for a, b in zip(codes, codes[1:], strict=False)]
        pairs += [(a[1], b[0]) for a, b in zip(codes, codes[2:], strict=False)]
        for _ in range(30):
            b = rnd.randrange(0, len(text) + 1)
            pairs.append((max(0, b - rnd.choice((0, 1, 3, 10, 40, 400))), b))
        for a, b in pairs:
            s = text[a:b]
            want = C._LIST_ITEM_RE.search(s) is not None
            assert (C._LIST_ITEM_REV_RE.match(s) is not None) == want, repr(s[-80:])
            found += want
    assert found > 100


def _old_backrefs(text, ms, R):  # type: ignore[no-untyped-def]
    """_backrefs as it was before session 6: every number of the text read."""
    from bisect import bisect_left
    out = []
    if not ms:
        return out
    nums = {m.number.lstrip("0") or "0" for m in ms}
    hits = []
    for m in C._BARE_NUM_RE.finditer(text):
        n = m.group(1).lstrip("0") or "0"
        if n in nums:
            hits.append((m.start(), m.end(), n))
    lo = ms[0].start
    for m in C._TREN_RE.finditer(text, lo):
        a = m.start()
        if not text[a - 1].isspace():
            continue
        pm = C._NEU_BEFORE_RE.search(text, max(0, a - 12), a)
        hits.append((pm.start() if pm else a, m.end(), None))
    hits += [(m.start(), m.end(), None) for m in C._DA_NEU_RE.finditer(text, lo) if text[m.start() - 1].isspace()]
    head_end = C._head_end_re()
    starts = [x.start for x in ms]
    by_num: dict = {}
    by_type: dict = {}
    for x in ms:
        n = x.number.lstrip("0") or "0"
        by_num.setdefault((n, x.type), []).append(x)
        by_num.setdefault((n, None), []).append(x)
        if x.type:
            by_type.setdefault(x.type, []).append(x)
    for start, _end, num in sorted(hits):
        hm = head_end.search(text, max(0, start - 40), start)
        if not hm:
            continue
        hstart = hm.start("head")
        k = bisect_left(starts, hstart)
        if k < len(ms) and ms[k].head_start <= hstart < ms[k].end:
            continue
        hr = R.head_by_fold.get(C._hkey(hm.group("head")))
        if not hr:
            continue
        t = hr["type"]
        if num is not None:
            cands = by_num.get((num, t or None), []) if t else by_num.get((num, None), [])
        elif t:
            cands = by_type.get(t, [])
        else:
            cands = []
        j = bisect_left([x.start for x in cands], hstart) - 1 if cands else -1
        if j < 0:
            continue
        ant = cands[j]
        rule = C._cue_before(text, max(0, hstart - 200), hstart, R)
        if rule is not None and rule["relation"] in ("inherit", "skip"):
            rule = None
        out.append((ant, rule["relation"] if rule else "refers", bool(rule and rule.get("weak"))))
    return out


def test_backrefs_read_from_the_first_citation_find_what_every_number_finds(shared_dir: Path) -> None:
    R = C._rules()
    texts = _corpus(shared_dir) + [
        "Quyết định số 0012/QĐ-UBND ngày 1/2/2024. Theo Quyết định số 12, Quyết định số 000012 và 12 …",
        "Công văn 5 nêu trên; Công văn số 5/UBND-VX; Công văn số 5 và Công văn số 05 nêu trên",
    ]
    total = 0
    for text in texts:
        ms = C._scan(text, R, None, 0)
        got = C._backrefs(text, ms, R)
        assert got == _old_backrefs(text, ms, R)
        total += len(got)
    assert total > 10


def _old_paren_depth(text: str, a: int, b: int) -> int:
    depth = 0
    for m in C._PAREN_RE.finditer(text, a, b):
        if m.group() == "(":
            depth += 1
        elif depth:
            depth -= 1
    return depth


def test_list_gap_and_paren_depth_without_cutting_answer_as_before(shared_dir: Path) -> None:
    rnd = random.Random(3)
    gaps = opened = 0
    edges = ["", " , và các số ", "; hoặc ", " và  số", " cùng ", " các ", "; số ", " SỐ:", ", Và ", "\x1c và ",
             "\xa0hoặc", ") (", "(a) b (c", "x)(y"]
    for text in _corpus(shared_dir) + edges:
        codes = [m.span() for m in C._CODE_RE.finditer(text)]
        pairs = [(a[1], b[0]) for a, b in zip(codes, codes[1:], strict=False)] + [(b[0], a[1]) for a, b in zip(codes, codes[1:], strict=False)]
        for _ in range(40):
            a = rnd.randrange(0, len(text) + 1)
            pairs.append((a, min(len(text), a + rnd.choice((0, 2, 8, 30, 500)))))
        pairs.append((0, len(text)))
        for a, b in pairs:
            want = C._LIST_GAP_RE.match(text[a:b]) is not None
            assert C._list_gap(text, a, b) == want, repr(text[a:b][:80])
            gaps += want
            assert C._paren_depth(text, a, b) == _old_paren_depth(text, a, b)
            opened += _old_paren_depth(text, a, b) > 0
    assert gaps > 50 and opened > 20


def test_cue_dispatch_tries_the_cues_of_each_first_literal() -> None:
    R = C._rules()
    assert R.cue_dispatch is not None
    text = "Căn cứ Nghị định số 30/2020/NĐ-CP; thực hiện Quyết định số 12/QĐ-UBND"
    want = _spans(R.cue_re.finditer(text))
    assert _spans(C._cue_matches(text, 0, len(text), R)) == want
    # a literal whose cues are left out: the comparison sees it
    broken = dict(R.cue_dispatch, **{"căn": ()})
    got = C._prefiltered(R.cue_re, R.cue_first_re, text, 0, len(text), R.cue_first_folded, broken)
    assert _spans(got) != want


EXCLUDE_EDGES = ["theo Mẫu số ", "Mã  số:", "(theo mẫusố", "biển\nkiểm  soát số: ", "ĐT:", "Ðến ", "MÃ SỐ ",
                 "Phụ\u00a0lục ", "x Biểu mẫu số:", "Số đến: ", "CCCD số ", "Quyết định số ", "mẫu\x1csố "]


def test_exclusion_is_tried_wherever_it_may_match(shared_dir: Path) -> None:
    R = C._rules()
    rnd = random.Random(5)
    befores = list(EXCLUDE_EDGES)
    for text in _corpus(shared_dir):
        for m in C._CODE_RE.finditer(text):
            befores.append(text[max(0, m.start() - 160):m.start()])
        for _ in range(20):
            b = rnd.randrange(0, len(text) + 1)
            befores.append(text[max(0, b - 160):b])
    excluded = skipped = 0
    for b in befores:
        if R.exclude_re.search(b):
            assert C._may_exclude(b, R), repr(b[-40:])
            excluded += 1
        skipped += not C._may_exclude(b, R)
    assert excluded > 10 and skipped > len(befores) // 2


def test_exclusion_test_can_tell_a_difference() -> None:
    from dataclasses import replace
    R = C._rules()
    assert C._may_exclude("theo Mẫu số ", R)
    narrow = replace(R, exclude_phrases=tuple(p for p in R.exclude_phrases if p != "mẫu"))
    assert not C._may_exclude("theo Mẫu số ", narrow)


def test_context_skips_the_capitals_scan_only_where_it_finds_nothing(shared_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.extract.header import extract_header
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document
    items = []
    for d in ("corpus", "seed"):
        for p in sorted((shared_dir / d).glob("*.txt")):
            raw = normalize_document(read_document(p))
            seg = segment_document(raw)
            items.append((seg.text or seg.body or "", extract_header(seg, raw)))
    fast = [C.build_context(t, h) for t, h in items]
    monkeypatch.setattr(C, "_UNIT_CAPS", ("",))   # "" stands in every text: always scanned
    assert [C.build_context(t, h) for t, h in items] == fast
    assert sum(c.province is not None for c in fast) > 50


def test_other_spaces_are_the_spaces_of_str_but_space_and_line_break() -> None:
    import sys
    found = {chr(i) for i in range(sys.maxunicode + 1) if C._OTHER_SPACES_RE.match(chr(i))}
    assert found == {chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()} - {" ", "\n"}


@pytest.mark.parametrize("s", ["", " ", "\n", "a  b\n\n c ", "\u00a0a b", "a\tb", "x\u180e y", "a\x1cb  c", " \n a \n"])
def test_squash_by_replacing_is_the_substitution(s: str) -> None:
    assert C._squash(s) == C._WS_RE.sub(" ", s).strip()
