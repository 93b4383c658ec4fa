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
