"""Shortcuts of the third speed round of segmenting and the header decide exactly what the long way
decides (issue 15). Each test runs the shortcut and the plain computation side by side on every
line of the corpus letters (and on lines built to sit at its edges)."""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import regex

from pipeline import segment as S


def _corpus_lines(shared: Path) -> list[str]:
    out: list[str] = []
    for d in ("corpus", "seed"):
        for p in sorted((shared / d).glob("*.txt")):
            text = unicodedata.normalize("NFC", p.read_text(encoding="utf-8", errors="replace"))
            out += [ln for ln in text.split("\n")]
    return out


EDGE_LINES = [
    "", "Hà Nội, ngày 06 tháng 10 năm 2025", "HÀ NỘI, NGÀY 6 THÁNG 10 NĂM 2025", "Lâm Đồng, ngày 1/2/2025",
    "Huế, tháng 3 năm 2024", "ngày mồng một tháng hai năm hai nghìn", "NGÀY  1  THÁNG 1] NĂM 2025",
    "Ngay 1 thang 2 nam 2025", "TP. Hồ Chí Minh, ngày      tháng     năm 2025", "KÍNH MỜI: ông", "PHÓ GIÁM ĐỐC", "1. Thành phần: ông A", "Trân trọng kính mời: Ông",
    "b) THÀNH PHẦN THAM DỰ: x", "Kinh moi: x",
]

# the patterns read through ``prefiltered`` (segment.py, extract/header.py)
PREFILTERED = [S.DATE_LINE, S.KINH_MOI]


def test_needles_lower_case_every_code_point_that_matches() -> None:
    """A needle's character, matched case-insensitively by the regex module, is a character whose
    str.lower() is that needle character: so a line a pattern matches holds a needle once
    lower-cased."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    from pipeline.extract.header import _attachment_rules
    pats = PREFILTERED + [pat for _rid, _whole, pat in _attachment_rules()]
    chars = {ch for pat in pats for n in S.needles(pat) or () for ch in n}
    assert chars
    for ch in sorted(chars):
        for other in regex.findall(regex.escape(ch), every, flags=regex.IGNORECASE):
            assert other.lower() == ch, (ch, other)


def test_needles_of_a_pattern() -> None:
    assert S.needles(regex.compile("^(?:Về|VỀ)\\s+tháng")) == ("tháng",)
    assert S.needles(regex.compile("gửi|kinh")) == ("gử", "nh")  # no "i": "İ" lower-cases to two characters
    assert S.needles(regex.compile("a|\\d+")) is None   # a branch without a needle: no prefilter
    assert S.needles(regex.compile("\\p{Lu}+")) is None
    assert sorted(S.needles(S.DATE_LINE) or ()) == ["ngay", "ngày", "thang", "tháng"]


def test_prefiltered_patterns_answer_as_the_pattern(shared_dir: Path) -> None:
    lines = _corpus_lines(shared_dir) + EDGE_LINES
    for pat in PREFILTERED:
        fast, fast_match = S.prefiltered(pat), S.prefiltered(pat, "match")
        for ln in lines + [ln.strip() for ln in lines]:
            assert bool(fast(ln)) == bool(pat.search(ln)), ln
            assert bool(fast_match(ln)) == bool(pat.match(ln)), ln


def _plain_marks(lines: list[str]) -> dict[str, tuple[str, str]]:
    """find_marks as it was: every rule tried on every short line."""
    from pipeline.extract.header import _mark_rules
    out: dict[str, tuple[str, str]] = {}
    for ln in lines:
        s = " ".join(ln.split())
        if not s or len(s) > 25:
            continue
        for rid, field, value, pat in _mark_rules():
            if field not in out and pat.match(s):
                out[field] = (value, rid)
    return out


def test_find_marks_skips_only_lines_no_rule_opens(shared_dir: Path) -> None:
    from pipeline.extract.header import _mark_first, find_marks
    assert _mark_first()
    lines = _corpus_lines(shared_dir) + EDGE_LINES + [" HỎA TỐC", "\tMẬT", "SAO  Y", " KHẨN "]
    for ln in lines:
        assert find_marks([ln]) == _plain_marks([ln]), ln


def test_issuer_of_symbol_joined_picks_the_first_rule(shared_dir: Path) -> None:
    from pipeline.extract import header as H
    assert H._symbol_issuers_joined() is not None
    codes = {w for ln in _corpus_lines(shared_dir) for w in regex.findall(r"[\p{L}\d]+", ln) if len(w) <= 12}
    codes |= {"SNN", "SNNPTNT", "BGDĐT", "QH15", "HĐND", "TU", "UBND"}
    for code in sorted(codes):
        plain = next((issuer for pat, issuer in H._symbol_issuers() if pat.fullmatch(code)), None)
        m = H._symbol_issuers_joined().fullmatch(code)
        fast = H._symbol_issuers()[int(m.lastgroup[1:])][1] if m else None
        assert fast == plain, code


def test_body_start_first_characters(shared_dir: Path) -> None:
    from pipeline.extract.header import _BODY_FIRST
    assert _BODY_FIRST
    for ln in _corpus_lines(shared_dir) + EDGE_LINES:
        t = ln.strip()
        if S.BODY_START.match(t):
            assert t[:1] in _BODY_FIRST, t


def test_string_tests_stand_for_the_character_classes() -> None:
    """The str methods the shortcuts use in place of a class: \\p{L} is isalpha(), a \\d is
    isdigit(), a \\p{Lu} is isupper(), a character of [\\s;,.:] is never isalnum(), but for the
    characters Python's older Unicode tables lack (new_to_python), which the shortcuts send the
    long way."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    letters = set(regex.findall(r"\p{L}", every))
    assert {c for c in every if c.isalpha()} <= letters
    assert all(S.new_to_python(c) for c in letters if not c.isalpha())
    assert all(c.isdigit() or S.new_to_python(c) for c in regex.findall(r"\d", every))
    assert all(c.isupper() or S.new_to_python(c) for c in regex.findall(r"\p{Lu}", every))
    assert not any(c.isalnum() for c in regex.findall(r"[\s;,.:]", every))


def test_clean_item_as_before(shared_dir: Path) -> None:
    from pipeline.extract.header import _clean_item
    from pipeline.rules import rx

    def plain(s: str) -> str:
        s = " ".join(s.split())
        s = rx.sub(r"(?<=[.;)])\s+\d{1,3}$", "", s)
        s = rx.sub(r"[\s;,.:]+$", "", s).strip()
        return "" if len(rx.findall(r"\p{L}", s)) < 2 else s
    lines = _corpus_lines(shared_dir) + EDGE_LINES + ["- Lưu: VT.  12", "a;", "x", "ab", "Sở;\u3000", "A. 3", "—", "a\u00b2"]
    for ln in lines:
        assert _clean_item(ln) == plain(ln), ln


def test_signer_prefix_and_names_as_before(shared_dir: Path) -> None:
    from pipeline.extract import header as H

    def plain_prefix(line: str) -> tuple[str, str, str] | None:
        s = line.strip()
        for rid, pat, prefix in H._signer_rules():
            m = pat.match(s)
            if m:
                return rid, prefix, s[m.end():].strip()
        return None
    assert H._signer_first_ascii()
    assert S._rank_first()
    lines = _corpus_lines(shared_dir) + EDGE_LINES + ["kt. giám đốc", "Thượng tá Nguyễn Văn A", "TS. Lê B", "q. CHỦ TỊCH"]
    for ln in lines:
        assert H.match_signer_prefix(ln) == plain_prefix(ln), ln
        assert S.strip_rank(ln) == S._rank_pattern().sub("", ln.strip(), count=1), ln
        assert bool(S.NAME.match(ln)) == bool(S.NAME._pat.match(S._rank_pattern().sub("", ln.strip(), count=1))), ln
        if H._CAPS_THEN_NAME.match(ln):
            assert H._LOWER.search(ln), ln


def test_ascii_key_is_the_fold_key(shared_dir: Path) -> None:
    from pipeline.extract import header as H
    lines = _corpus_lines(shared_dir) + EDGE_LINES + ["Đ đ Ð ð Æ ß ² ½ ª º", "ǅ ǈ ǋ", "Ǆ"]
    kept = 0
    for ln in lines:
        if not H._not_ascii_foldable().search(ln):
            kept += 1
            assert H._ascii_key(ln) == H._fold_key(ln), ln
    assert kept > len(lines) // 2


def test_locate_as_the_long_way(shared_dir: Path) -> None:
    """_TextIndex.locate by the ASCII key and by the key windows, for values cut from each letter
    (lines, words, stretches over line ends, in other cases), from several starts and ends."""
    from pipeline.extract import header as H
    for d in ("corpus", "seed"):
        for p in sorted((shared_dir / d).glob("*.txt"))[:60]:
            text = unicodedata.normalize("NFC", p.read_text(encoding="utf-8", errors="replace"))
            lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
            values = lines[:25] + [w for ln in lines[:12] for w in ln.split()[:3]]
            values += [" ".join(lines[i:i + 2]).upper() for i in range(0, min(len(lines), 30), 3)]
            values += [ln.lower() for ln in lines[-12:]] + ["583 /UBND", "không có ở đây", "Sở Nội vụ"]
            fast, slow = H._TextIndex(text), H._TextIndex(text)
            slow._ascii_locate = lambda *a: False  # type: ignore[method-assign]
            for lo, hi in ((0, None), (len(text) // 3, None), (0, len(text) // 2), (len(text) // 4, len(text) // 4 + 300)):
                for v in values:
                    assert fast.locate(v, lo, hi) == slow.locate(v, lo, hi), (p.name, v, lo, hi)


def test_find_attachments_as_every_rule_on_every_line(shared_dir: Path) -> None:
    from pipeline.extract import header as H

    def plain(lines: list[str]) -> list[tuple[str, str, int, int, int]]:
        found = []
        for i, ln in enumerate(lines):
            s = ln.strip()
            for rid, whole, pat in H._attachment_rules():
                for m in [pat.fullmatch(s)] if whole else list(pat.finditer(s)):
                    if m and m.group("what"):
                        off = len(ln) - len(ln.lstrip())
                        what = " ".join(m.group("what").split()).rstrip(" .,;:")
                        found.append((what, rid, i, off + m.start("what"), off + m.end("what")))
        out: list[tuple[str, str, int, int, int]] = []
        for a in found:
            if H.fold(a[0]) not in {H.fold(x[0]) for x in out}:
                out.append(a)
        if any(H.rx.match(r"^phu luc \S", H.fold(x[0])) for x in out):
            out = [x for x in out if H.fold(x[0]) != "phu luc"]
        return out
    assert all(H._attachment_lower_needles())
    n = 0
    for d in ("corpus", "seed"):
        for p in sorted((shared_dir / d).glob("*.txt")):
            text = unicodedata.normalize("NFC", p.read_text(encoding="utf-8", errors="replace"))
            lines = text.split("\n")
            got = H.find_attachments(lines, text)
            assert got == H.find_attachments(lines) == plain(lines), p.name
            n += bool(got)
    assert n > 5


def test_doctype_title_as_before(shared_dir: Path) -> None:
    from pipeline.rules import rx

    def plain(line: str) -> S.Doctype | None:
        m = S._title_pattern().match(line.strip().replace("HOÀ", "HÒA").replace("THOẢ", "THỎA"))
        if not m:
            s = line.strip()
            if not s or not s.isupper() or len(s) > 30 or not rx.fullmatch(r"[\p{L} ]+", s):
                return None
            return S._doctypes_by_folded_title().get(S.fold(s))
        key = " ".join(m.group(1).split())
        return next((d for d in S.doctypes() if d.title and d.title.replace("HOÀ", "HÒA") == key), None)
    assert S._title_first()
    lines = _corpus_lines(shared_dir) + EDGE_LINES + ["QUYET DINH", "  TỜ TRÌNH  ", "BẢN SAO QUYẾT ĐỊNH", "HOÀ GIẢI"]
    for ln in lines:
        assert S.match_doctype_title(ln) == plain(ln), ln


def test_signer_line_cleaning_as_before(shared_dir: Path) -> None:
    from pipeline.extract import header as H
    from pipeline.rules import rx
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    lu, nd = set(regex.findall(r"\p{Lu}", every)), set(regex.findall(r"\d", every))
    assert all(c in lu for c in every if unicodedata.category(c) == "Lu")
    assert all(c in nd for c in every if unicodedata.category(c) == "Nd")

    def plain(s: str) -> str:
        s = rx.sub(r"^[^\p{Lu}\d(]{1,2}(?=\p{Lu}\p{Ll})", "", s)
        s = rx.sub(r"^[^\p{L}\d(]+(?=\p{Lu})", "", s)
        return rx.sub(r"^((?:(?:KT|TM|TL|TUQ|Q)\.\s*)?[\p{Lu}Đ ,.]{4,}?)\s*[-–]\s+\S.*$", r"\1", s)

    def fast(s: str) -> str:
        if not H._opens_capital_digit_or_paren(s):
            s = rx.sub(r"^[^\p{Lu}\d(]{1,2}(?=\p{Lu}\p{Ll})", "", s)
            s = rx.sub(r"^[^\p{L}\d(]+(?=\p{Lu})", "", s)
        if "-" in s or "–" in s:
            s = rx.sub(r"^((?:(?:KT|TM|TL|TUQ|Q)\.\s*)?[\p{Lu}Đ ,.]{4,}?)\s*[-–]\s+\S.*$", H._group1, s)
        return s
    lines = _corpus_lines(shared_dir) + EDGE_LINES + ["<=—— CHỦ TỊCH", "1 Nguyễn", "ⒶBC", "GIÁM ĐỐC - Ký bởi", "Đ - x"]
    for ln in lines:
        t = " ".join(ln.split())
        assert fast(t) == plain(t), t
    assert H.parse_number("Só:¿92 /TB-UBND") == (None, "TB-UBND", None)  # the \\1 of its first sub
    assert H.parse_number("Số 156 - CV / TĐTN") == ("156", "CV/TĐTN", "156-CV/TĐTN")


def test_opening_tests_answer_as_the_patterns(shared_dir: Path) -> None:
    """motto_match, so_match, vv_match: the pattern's answer on every corpus line; a first
    character compared lower-cased (MOTTO ignores case) is one every code point the regex module
    matches to it lower-cases to."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for ch in {lit[0].lower() for lit in S.first_literals(S.MOTTO, ignorecase=True)}:
        for other in regex.findall(regex.escape(ch), every, flags=regex.IGNORECASE):
            assert other.lower() == ch, (ch, other)
    pairs = [(S.motto_match, S.MOTTO), (S.so_match, S.SO_LINE), (S.vv_match, S.VV)]
    assert all(fast is not pat.match for fast, pat in pairs)
    lines = _corpus_lines(shared_dir) + EDGE_LINES + ["cộng hòa xã hội", "ĐỘC LẬP - TỰ DO", "ðộc lập", "v/v abc", "Số:"]
    for ln in lines + [ln.strip() for ln in lines]:
        for fast, pat in pairs:
            assert bool(fast(ln)) == bool(pat.match(ln)), ln


def test_signature_captions_as_before(shared_dir: Path) -> None:
    from pipeline.extract import header as H
    from pipeline.rules import rx
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert all(c == " " or not c.isprintable() for c in regex.findall(r"\s", every))
    lines = _corpus_lines(shared_dir) + EDGE_LINES + ["KT. GIÁM ĐỐC      Ký bởi: Sở Nội vụ", "A\t\t\tB", "A \u00a0 B", "  "]
    for ln in lines:
        plain = " ".join(" ".join(p for p in rx.split(r"\s{3,}", ln.strip()) if not S.SIGNED_NOISE.match(p)).split())
        assert H._without_captions(ln) == plain, ln
