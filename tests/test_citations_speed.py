"""Prefilters of the citation and header stages find what the plain patterns find (issue 15).

A pattern is run only where one of the literals that open its matches stands
(``rules.first_literals``); these tests compare the prefiltered scans with the plain ones on the
rules' own examples and on every corpus letter, and keep the prefilters switched on (a rule whose
opening cannot be read would silently turn one off)."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex

from pipeline.extract import citations as C
from pipeline.extract import header as H
from pipeline.rules import first_literals, load_rules


def _corpus(shared: Path) -> list[str]:
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    return [normalize_document(read_document(p)).text for p in sorted((shared / "corpus").glob("*.txt"))]


def _examples(name: str) -> list[str]:
    out = []
    for r in load_rules(name):
        for e in list(r.get("examples", [])) + list(r.get("counterexamples", [])):
            out.append(e[0] if isinstance(e, list) else e)
    return out


def test_every_cue_has_first_words() -> None:
    for r in load_rules("citation_cues.toml"):
        assert first_literals(r["pattern"], ignorecase=True), r["id"]
    R = C._rules()
    assert R.cue_first_re is not None and R.post_first_re is not None


def test_cue_matches_open_with_a_first_word() -> None:
    for r in load_rules("citation_cues.toml"):
        firsts = [f.casefold() for f in first_literals(r["pattern"], ignorecase=True)]
        pat = regex.compile(r["pattern"], regex.V1 | regex.I)
        for text in _examples("citation_cues.toml"):
            for m in pat.finditer(text):
                assert any(m.group().casefold().startswith(f) for f in firsts), (r["id"], m.group())


def _spans(it) -> list[tuple[int, int, str | None]]:  # type: ignore[no-untyped-def]
    return [(m.start(), m.end(), m.lastgroup) for m in it]


def test_prefiltered_cues_find_what_finditer_finds(shared_dir: Path) -> None:
    R = C._rules()
    texts = _examples("citation_cues.toml") + _corpus(shared_dir)
    for text in texts:
        for lo, hi in ((0, len(text)), (len(text) // 3, 2 * len(text) // 3)):
            assert _spans(C._cue_matches(text, lo, hi, R)) == _spans(R.cue_re.finditer(text, lo, hi))
            want = R.post_re.search(text, lo, hi)
            got = C._post_search(text, lo, hi, R)
            assert (got and got.span()) == (want and want.span())


def test_prefilter_can_tell_a_difference() -> None:
    # the comparison above fails where the prefilter misses a cue's opening word
    R = C._rules()
    text = "Căn cứ Nghị định số 30/2020/NĐ-CP"
    narrow = regex.compile(r"(?<![\p{L}])(?:thực)", regex.V1 | regex.I)
    assert _spans(C._prefiltered(R.cue_re, narrow, text, 0, len(text))) != _spans(R.cue_re.finditer(text))


@pytest.mark.parametrize("lines", [
    ["Báo cáo (có Phụ lục kèm theo).", "PHỤ LỤC I", "PHỤ LỤC II"],
    ["x", "", "Danh sách kèm theo Công văn này", "(gửi kèm Kế hoạch số 5)"],
    ["a\nPHỤ LỤC I", "(có danh sách kèm theo)"],          # a line holding a line break
])
def test_attachment_lines_prefilter(lines: list[str]) -> None:
    assert H.find_attachments(lines) == _plain_attachments(lines)


def test_attachments_on_corpus_match_the_plain_scan(shared_dir: Path) -> None:
    assert H._attachment_triggers() is not None
    for text in _corpus(shared_dir):
        lines = text.split("\n")
        assert H.find_attachments(lines) == _plain_attachments(lines)


def _plain_attachments(lines: list[str]) -> list[tuple[str, str, int, int, int]]:
    """find_attachments reading every line (the prefilter off)."""
    orig = H._attachment_lines
    try:
        H._attachment_lines = lambda ls: range(len(ls))  # type: ignore[assignment]
        return H.find_attachments(lines)
    finally:
        H._attachment_lines = orig  # type: ignore[assignment]


@pytest.mark.parametrize("pattern, ignorecase, want", [
    (r"(?<![\p{L}])(?:căn\s+cứ|trên\s+cơ\s+sở)", True, ("căn", "trên")),
    (r"(?:thực\s+hiện\s+)?quy\s+định|theo", True, ("quy", "theo", "thực")),
    (r"(?-i:Tiếp|TIẾP)\s+theo", True, ("TIẾP", "Tiếp")),
    (r"^(?:N[ơo]i\s+nh[ậa]n|NƠI\s+NHẬN)", False, ("No", "NƠI", "Nơ")),
    (r"ab(?=x)cd", False, ("abcd",)),
    (r"(?:a|b)+c", False, ("a", "b")),
    (r"[Bb]iểu", False, ("B", "b")),       # a class of plain characters
    (r"[^B]iểu", False, ()),               # a negated class
    (r"(?:a|b?)c", False, ()),             # a branch may be empty
    (r"a*b", False, ()),                   # may open with "b" or "a": read as unknown only if... see below
    (r"(?i:kèm)", False, ()),              # case-insensitive group, case-sensitive caller
    (r"(?i)kèm", False, ()),
    (r"(?P<x>a)|(?P<x>b)", False, ()),     # a repeated group name: the stdlib parser refuses it
])
def test_first_literals(pattern: str, ignorecase: bool, want: tuple[str, ...]) -> None:
    got = first_literals(pattern, ignorecase=ignorecase)
    if pattern == r"a*b":
        assert got in ((), ("a", "b"))
        return
    assert got == want


def test_first_literals_hold_on_every_rule_example() -> None:
    """Every match of a rule's pattern on its examples opens with one of its first literals."""
    from pipeline.rules import rule_files
    checked = 0
    for path in rule_files():
        if path.suffix != ".toml":
            continue
        try:
            entries = load_rules(path.name)
        except Exception:  # noqa: BLE001 - plain tables have no [[rule]] list
            continue
        for r in entries:
            pat = r.get("pattern")
            if not isinstance(pat, str):
                continue
            try:
                rx_ = regex.compile(pat, regex.V1)
            except regex.error:
                continue
            firsts = first_literals(pat)
            if not firsts:
                continue
            for e in r.get("examples", []):
                text = e[0] if isinstance(e, list) else e
                if not isinstance(text, str):
                    continue
                for m in rx_.finditer(text):
                    if m.end() > m.start():
                        assert m.group().startswith(firsts), (path.name, r["id"], m.group())
                        checked += 1
    assert checked > 50


def test_text_index_shared_windows_locate_as_fresh_ones(shared_dir: Path) -> None:
    """_TextIndex folds a stretch once and serves every later start inside it; each answer is
    that of an index opened for that one question."""
    import random
    rnd = random.Random(15)
    asked = 0
    for text in _corpus(shared_dir)[::3]:
        if len(text) < 200:
            continue
        shared = H._TextIndex(text)
        for _ in range(12):
            a = rnd.randrange(0, len(text) - 20)
            value = text[a:a + rnd.randrange(3, 20)]
            lo = max(0, a - rnd.randrange(0, 600))
            hi = None if rnd.random() < 0.5 else min(len(text), a + rnd.randrange(0, 900))
            for v in (value, value.upper(), "khong co trong van ban nay xyz"):
                assert shared.locate(v, lo, hi) == H._TextIndex(text).locate(v, lo, hi), (v, lo, hi)
                asked += 1
    assert asked > 300
