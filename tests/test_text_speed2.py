"""Shortcuts of the second speed round of the text stages decide exactly what the long way decides
(issue 15). Each test runs the shortcut and the plain computation (the code as it was before)
side by side on every corpus letter and on lines built to sit at the edges of the shortcut."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from pipeline import normalize as N
from pipeline.models import Footnote


def _corpus_line_sets(shared: Path) -> list[list[str]]:
    out = []
    for d in ("corpus", "seed"):
        for p in sorted((shared / d).glob("*.txt")):
            text = unicodedata.normalize("NFC", p.read_text(encoding="utf-8", errors="replace"))
            out.append([ln.replace("\t", "    ").rstrip() for ln in text.split("\n")])
    return out


EDGE_LINES = [
    "", "   ", "----", "   ----   ", "......", ". . .", "–––", "———", "~~~", "***", "=====",
    "a.", ".a.", "....a", "Trang 3                 12", "                 12", "          - 3 -",
    "          3 -", "abc ", "abc\u2003", "x\x1c", "\x1c12", "abc ___ def", "abc ---- def", "x ==== y",
    "        ١٢", "Kết quả          ١٢", "  \u00b2", "\u00b9 Kết luận số 5", "1 Công văn số 5956",
    "01 Công văn", "12 Tháng", "123 Abc", "1. Mở đầu", "        -", "-", "_", "._.", " .", "\u00a0.",
    "x        1", "x        12", "x        123", "x        1234", "x       12", "x\u3000\u3000\u3000\u3000 \u2003  \u20037",
    "x" + " " * 8 + "١", "x" + " " * 8 + "\u00b2", "        ", "Trang 3 \t       12  ", "nam 2025",
]


def _plain_clean_line(ln: str) -> str:
    """One line of _clean_rules_and_page_numbers as it was before issue 15's second round."""
    c = ln[:1]
    if (c in N._RULE_LINE_FIRST or not (c.isascii() or c.isalpha())) and N._RULE_LINE.match(ln) and ln.strip():
        return ""
    if "___" in ln or "----" in ln or "====" in ln:
        ln = N._RULE_TOKEN.sub(" ", ln)
    ln = ln.rstrip()
    c = ln[-1:]
    if c.isdigit() or not (c.isascii() or c.isalpha()):
        m = N._PAGE_NUMBER_TAIL.match(ln)
        if m:
            ln = m.group(1)
    c = ln[-1:]
    if (c.isdigit() or c == "-" or not (c.isascii() or c.isalpha())) and N._PAGE_NUMBER_LINE.match(ln) \
            and len(ln) - len(ln.lstrip()) >= 8:
        return ""
    return ln


def _plain_clean(lines: list[str]) -> list[str]:
    """_clean_rules_and_page_numbers as it was: every line through the per-line test."""
    return [_plain_clean_line(ln) for ln in lines]


def test_clean_reads_only_lines_it_may_change(shared_dir: Path) -> None:
    sets = _corpus_line_sets(shared_dir) + [EDGE_LINES, EDGE_LINES[::-1], ["a\nb ----", "12"]]
    changed = 0
    for lines in sets:
        got = N._clean_rules_and_page_numbers(lines)
        assert got == _plain_clean(lines)
        changed += sum(a != b for a, b in zip(got, lines, strict=True))
    assert changed > 50   # the corpus has rules and page numbers to clean


def _plain_separate_footnotes(lines: list[str]) -> tuple[list[str], list[Footnote]]:
    """_separate_footnotes as it was before issue 15's second round: every line tested."""
    out: list[str] = []
    notes: list[Footnote] = []
    i = 0
    n = len(lines)
    while i < n:
        m = None if lines[i][:1].isalpha() else N._FOOTNOTE_START.match(lines[i])
        if not m:
            p = N._plain_footnote(lines, i, out, len(notes) + 1)
            if p is not None:
                j, note = p
                notes.append(note)
                k = j
                while k < n and not lines[k].strip():
                    k += 1
                while out and not out[-1].strip():
                    out.pop()
                if k < n and out and not N._HEADING.match(lines[k]):
                    out[-1] = out[-1].rstrip() + " " + lines[k].strip()
                    k += 1
                i = k
                continue
            out.append(lines[i])
            i += 1
            continue
        mark = "".join(N._SUP_TO_DIGIT[c] for c in m.group(1))
        body = [m.group(2).strip()]
        j = i + 1
        continued = False
        while j < n:
            s = lines[j].strip()
            if not s:
                j += 1
                continue
            if N._FOOTNOTE_START.match(s) or N._HEADING.match(s) or N._NOI_NHAN.match(s):
                break
            if s[0].islower():
                continued = True
                break
            if not s.startswith(("-", "+", "•")) and not body[-1].endswith(":") and len(body) >= 1 \
                    and not lines[j - 1].strip() and not s.startswith(("(", "“", "\"")):
                if not N._looks_like_note_item(s, body):
                    break
            body.append(s)
            j += 1
        notes.append(Footnote(mark=mark, text=N._join_note(body)))
        if continued:
            while out and not out[-1].strip():
                out.pop()
            if out:
                out[-1] = out[-1].rstrip() + " " + lines[j].strip()
                j += 1
        i = j
    return out, notes


FOOTNOTE_TEXTS = [
    ["Căn cứ Kết luận số 5 của", "", "¹ Kết luận số 174-KL/TW", "", "Bộ Chính trị về việc"],
    ["Báo cáo kết quả thực hiện", "", "1 Công văn số 5956/UBND", "", "tiếp theo trang trước."],
    ["Mở đầu", "  ² Nghị định 30", "- mục 1", "1. Kết luận", "x"],
    ["\u2003\u00b9 Chú thích", "tiếp"], ["\x1c1 Công văn", "x"], ["٣ Công văn", ""],
]


@pytest.mark.parametrize("strip", [True, False])
def test_separate_footnotes_skips_only_lines_that_open_none(shared_dir: Path, strip: bool) -> None:
    sets = _corpus_line_sets(shared_dir) + FOOTNOTE_TEXTS + [EDGE_LINES]
    found = 0
    for lines in sets:
        if strip:
            lines = [ln.strip() for ln in lines]
        got = N._separate_footnotes(lines)
        assert got == _plain_separate_footnotes(lines)
        found += len(got[1])
    assert found >= 5


# ---- citations: guards before the patterns of _read_before, _squash ------------------------------
SQUASH_EDGES = ["", "  a  ", "a\n\n b\t c", "a\x1cb", "a \x1c b", "a\u180eb", "a\u00a0b\u2003c", "\u3000x\u2028y ",
                "a\x85b", "a\u200bb", "tab\x0bv\x0cf\rr"]


def test_squash_is_the_substitution(shared_dir: Path) -> None:
    from pipeline.extract import citations as C
    texts = SQUASH_EDGES + [ln for lines in _corpus_line_sets(shared_dir)[:40] for ln in lines]
    for t in texts:
        assert C._squash(t) == C._WS_RE.sub(" ", t).strip(), repr(t)


def test_citation_guards_change_nothing(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import extract_document
    from pipeline.extract import citations as C
    from pipeline.readers import read_document
    files = sorted((shared_dir / "corpus").glob("*.txt")) + sorted((shared_dir / "seed").glob("*.txt"))
    raws = [read_document(f) for f in files]
    fast = [extract_document(r).citations for r in raws]
    monkeypatch.setattr(C, "_pre_issue", lambda s: C._PRE_ISSUE_RE.match(s))
    monkeypatch.setattr(C, "_may_date_before", lambda text, a, b: True)
    monkeypatch.setattr(C, "_may_cua_before", lambda text, a, b: True)
    monkeypatch.setattr(C, "_squash", lambda s: C._WS_RE.sub(" ", s).strip())
    plain = [extract_document(r).citations for r in raws]
    assert fast == plain
    assert sum(map(len, fast)) > 300


# ---- header: the folded windows of _TextIndex ------------------------------------------------------
@pytest.mark.parametrize("first,step", [(1, 1), (10**9, 10**9), (1024, 4096)])
def test_text_index_finds_the_same_spans_whatever_its_windows(shared_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                              first: int, step: int) -> None:
    from pipeline.extract import header as H
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document
    files = sorted((shared_dir / "corpus").glob("*.txt")) + sorted((shared_dir / "seed").glob("*.txt"))
    docs = [normalize_document(read_document(f)) for f in files]
    segs = [segment_document(r) for r in docs]
    now = [H.extract_header(s, r) for s, r in zip(segs, docs, strict=True)]
    monkeypatch.setattr(H._TextIndex, "_FIRST_WINDOW", first)
    monkeypatch.setattr(H._TextIndex, "_STEP", step)
    assert [H.extract_header(s, r) for s, r in zip(segs, docs, strict=True)] == now


# ---- repair: windows looked up only from words that open a damaged name ----------------------------
def _plain_repair(text: str) -> tuple[str, tuple[tuple[int, int, str, str, str], ...]]:
    """repair_dropped_capitals as it was before issue 15's second round (every window tried)."""
    from pipeline import repair as P
    words = [(m.start(), m.end(), m.group(0)) for m in P._WORD.finditer(text)]
    index, lengths = P._damaged_index()
    repairs = []
    i = 0
    while i < len(words):
        found = None
        for n in lengths:
            if i + n > len(words):
                continue
            window = words[i:i + n]
            if any(not P._GAP.fullmatch(text, a[1], b[0]) for a, b in zip(window, window[1:], strict=False)):
                continue
            hits = index.get(tuple(P._key(w) for _s, _e, w in window))
            if not hits:
                continue
            restored = set()
            for name_words, dropped, rid in hits:
                if all(window[j][2][0].islower() for j in dropped) and \
                        any(not P.reads_as_syllable(window[j][2]) for j in dropped):
                    restored.add((tuple(name_words[j][0] if j in dropped else "" for j in range(n)), rid))
            letters = {r[0] for r in restored}
            if len(letters) == 1:
                adds = next(iter(letters))
                start, end = window[0][0], window[-1][1]
                out, at = [], start
                for (s, _e, _w), add in zip(window, adds, strict=True):
                    out.append(text[at:s] + add)
                    at = s
                out.append(text[at:end])
                found = (start, end, text[start:end], "".join(out), min(r[1] for r in restored))
                i += n
                break
        if found:
            repairs.append(found)
        else:
            i += 1
    parts, at = [], 0
    for r in repairs:
        parts += [text[at:r[0]], r[3]]
        at = r[1]
    parts.append(text[at:])
    return "".join(parts), tuple(repairs)


def test_repair_skips_only_words_that_open_no_name(shared_dir: Path) -> None:
    from pipeline.repair import repair_dropped_capitals
    texts = ["Kính gửi: Sở ội vụ", "Tổ chức Đại hội của iệp hội oanh nghiệp tỉnh", "ở ội vụ và ở ài chính",
             "Ủy ban nhân dân tỉnh âm Đồng"]
    texts += [ln for lines in _corpus_line_sets(shared_dir) for ln in lines if ln.strip()]
    repaired = 0
    for t in texts:
        got = repair_dropped_capitals(t)
        want = _plain_repair(t)
        assert (got.text, tuple((r.start, r.end, r.damaged, r.repaired, r.rule_id) for r in got.repairs)) == want, t
        repaired += bool(got.repairs)
    assert repaired >= 3


# ---- segment: a title read without its marks, looked up by its folded form --------------------------
def test_doctype_title_lookup_is_the_first_type_of_that_title() -> None:
    from pipeline.resolve import fold
    from pipeline.segment import _doctypes_by_folded_title, doctypes, match_doctype_title
    table = _doctypes_by_folded_title()
    for d in doctypes():
        if d.title:
            key = fold(d.title)
            assert table[key] == next(x for x in doctypes() if x.title and fold(x.title) == key)
    assert set(table) == {fold(d.title) for d in doctypes() if d.title}
    got = match_doctype_title("QUYET DINH")
    assert got is not None and got.name == "Quyết định"


def test_received_stamp_opens_with_its_first_literals(shared_dir: Path) -> None:
    from pipeline.extract import header as H
    from pipeline.rules import rx
    assert H._RECEIVED_FIRST != ("",)
    lines = [ln.strip() for lines in _corpus_line_sets(shared_dir) for ln in lines]
    lines += ["ĐẾN Số: 4521", "CÔNG VĂN ĐẾN", "CÔNG  VĂN\tĐẾN Số: 1", "ĐẾNX"]
    matched = [s for s in lines if rx.match(H._RECEIVED, s)]
    assert len(matched) >= 3
    assert all(s.startswith(H._RECEIVED_FIRST) for s in matched)
