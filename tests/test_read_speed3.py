"""Shortcuts of the third speed round of reading and normalising decide exactly what the long
way decides (issue 15). Each test runs the shortcut and the plain computation (the code as it was
before) side by side on every corpus letter and on strings built to sit at the edges of the
shortcut."""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from pipeline.readers import legacy as L
from pipeline.readers.txt import _sample


def _corpus_texts(shared: Path) -> list[str]:
    out = []
    for d in ("corpus", "seed"):
        for p in sorted((shared / d).glob("*.txt")):
            out.append(p.read_bytes().decode("utf-8", errors="replace"))
    return out


EDGE_TEXTS = [
    "", " ", "Cộng hòa xã hội chủ nghĩa Việt Nam", "UBND TỈNH LÂM ĐỒNG", "abc_def x2y ²a ½b",
    "của,của;(của) 12/2025/NĐ-CP x\x1cy a\u2003b a\u3000b a\x85b a\u2028b", "İstanbul İİİ ii",
    "ĐÁ ÀƯ ỘỆ đá àư", "1234 5678 ,,,, ||||", "Ⅻ ⅻ Ⅻa", "a\u0301b ó", "Ǆ ǅ ǆ", "ς Σ σ",
    "\n\n\n", "x" * 50, "đ" + "1" * 40, "Đ" + " " * 3 + "-" * 30, "VIỆT NAM " * 20,
]


def _plain_syllable_share(text: str) -> float:
    """syllable_share as it was before issue 15's third round."""
    kinds = list(map(L._word_kind, L._WORD.findall(unicodedata.normalize("NFC", text[:20000]))))
    ok = kinds.count(2)
    total = ok + kinds.count(1)
    return ok / total if total else 0.0


def test_split_cuts_only_outside_words() -> None:
    # str.split cuts at str.isspace characters: none of them may be inside a word of _WORD
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert spaces and not any(L._WORD.search(c) for c in spaces)
    # a token of letters only is one word
    alpha = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha()]
    assert all(L._WORD.fullmatch(c) for c in alpha)


def test_syllable_share_same_as_word_pattern(shared_dir: Path) -> None:
    texts = _corpus_texts(shared_dir)
    samples = texts + [_sample(t) for t in texts] + EDGE_TEXTS
    samples += [L.tcvn3_to_unicode(t[:3000]) for t in texts[:20]] + [L.vni_to_unicode(t[:3000]) for t in texts[:20]]
    for t in samples:
        assert L.syllable_share(t) == _plain_syllable_share(t), t[:80]


def _plain_marked_share_above(text: str, share: float) -> bool:
    """_marked_share_above as it was before issue 15's third round (bounds on the lowered text)."""
    low = text.lower()
    most = len(low) - low.count(" ") - low.count("\n")
    if most > 0:
        found = 0
        for c in L._FREQUENT_MARKED:
            found += low.count(c)
            if found / most > share:
                return True
    return L._marked_share(text) > share


def test_lowering_facts_the_bound_needs() -> None:
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        low = c.lower()
        assert len(low) == 1 or c == "\u0130", hex(cp)
        assert (low in (" ", "\n")) == (c in (" ", "\n")), hex(cp)
    for c in L._FREQUENT_MARKED:
        assert c.lower() == c and len(c.upper()) == 1 and c.upper().lower() == c and c.upper() != c
    assert "\u0130".lower() not in (" ", "\n") and not any(L._LETTER_RE.match(c) for c in L._NOT_LETTERS)


def test_marked_share_above_same_as_lowered(shared_dir: Path) -> None:
    texts = [t[:20000] for t in _corpus_texts(shared_dir)]
    texts += [t.upper() for t in texts[:30]] + EDGE_TEXTS
    texts += ["İ" * 40 + "đ" * 4 + "a" * 10, "İ" * 40 + "Đ" * 5, "đ" * 3 + "1" * 30 + "a" * 3]
    for t in texts:
        for share in (0.0, 0.05, 0.08, 0.12, 0.3):
            assert L._marked_share_above(t, share) == _plain_marked_share_above(t, share), (t[:80], share)


NFC_EDGES = [
    "", "\n", "\n\n\u0301", "e\n\u0301", "e\u0301\n", "a\u0323\u0302\nb", "\u0301\u0323\n\u0323\u0301",
    "\u1100\n\u1161", "\u1100\u1161\n", "x\u0340\n\u2126\n\u0958", "Vie\u0302\u0323t Nam\n" * 300,
    ("Cộng hoà\n" * 70) + "o\u0302\u0323\n" + ("đ\n" * 600) + "\u0301", "\r\n\u0301\r\n",
]


def test_nfc_by_chunks_same_as_nfc(shared_dir: Path, monkeypatch) -> None:
    from pipeline.readers import txt as T
    texts = _corpus_texts(shared_dir)
    texts += [unicodedata.normalize("NFD", t) for t in texts[:10]] + NFC_EDGES
    for size in (512, 1, 2, 5, 64):
        monkeypatch.setattr(T, "NFC_CHUNK", size)
        for t in texts if size == 512 else texts[:12] + NFC_EDGES:
            assert T.nfc_by_chunks(t) == unicodedata.normalize("NFC", t), (size, t[:80])


PAGE_EDGES = [
    "x        1", "x        12", "x        123", "x        1234", "x       12", "x\u3000" * 8 + "7",
    "x" + " " * 8 + "\u0661", "x" + " " * 8 + "\u06612", "x" + " " * 8 + "\u066123", "x" + " " * 8 + "-12",
    "        12", "        - 3", "        - 3 -", "        3-", "         123", "        1234", "12", "123",
    "a.12", "99,00", "ngày 12", "Điều 1", "năm 2025", "x         a12", "x        \u00b2", "x        1\u00b2",
    "        \u0c6712", "Trang 3        12", "a.", " a.", "  ..", "   ...", "a-.", "-..", " .~", "---.",
    "  ****", "\u3000\u3000==", "x.", "  x.", "\u2003\u2003.", "__.", ". .", "a~", "1~~~", "        1~",
]


def test_clean_rules_narrow_candidates_same(shared_dir: Path) -> None:
    from pipeline import normalize as N
    from tests.test_text_speed2 import EDGE_LINES, _corpus_line_sets, _plain_clean
    sets = _corpus_line_sets(shared_dir) + [PAGE_EDGES, EDGE_LINES + PAGE_EDGES[::-1]]
    sets += [[ln.replace(" ", "\t") for ln in PAGE_EDGES], [" " * 8 + ln for ln in PAGE_EDGES]]
    changed = 0
    for lines in sets:
        got = N._clean_rules_and_page_numbers(lines)
        assert got == _plain_clean(lines)
        changed += sum(a != b for a, b in zip(got, lines, strict=True))
    assert changed > 50


def test_isspace_chars_listed() -> None:
    from pipeline import normalize as N
    assert N.ISSPACE_CHARS == "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def _plain_drop_captions(lines: list[str]) -> list[str]:
    """_drop_signature_captions as it was before issue 15's third round: every line tested."""
    from pipeline import normalize as N
    from pipeline.rules import rx
    out: list[str] = []
    skip_next = False
    for ln in lines:
        if ":" in ln and N._CAPTION.match(ln):
            skip_next = True
            continue
        if skip_next and ln.strip() and (ln.strip().isupper() or N._STAMP_TIME.match(ln)
                                         or rx.match(r"^\s*\d{1,2}:\d{2}", ln)):
            skip_next = False
            continue
        skip_next = False
        out.append(ln)
    return out


CAPTION_EDGES = [
    ["Ký bởi: ỦY BAN NHÂN", "DÂN TỈNH LÂM ĐỒNG", "Nội dung"],
    ["Ký bởi: A", "Thời gian ký:", "13/11/2025", "15:53:50", "x"],
    ["Cơ quan: X", "", "ABC"], ["Email:", "Email:", "Email:"], ["x", "Chức vụ: Phó", "PHÓ CHỦ TỊCH"],
    ["Người ký:"], ["Người ký: A", "  12:30 nữa"], ["Thời gian ký: 1", "24.01.2025 20:01:14", "+07:00"],
]


def test_captions_dropped_as_before(shared_dir: Path) -> None:
    from pipeline import normalize as N
    from tests.test_text_speed2 import _corpus_line_sets
    dropped = 0
    for lines in _corpus_line_sets(shared_dir) + CAPTION_EDGES:
        got = N._drop_signature_captions(lines)
        assert got == _plain_drop_captions(lines), lines[:5]
        dropped += len(lines) - len(got)
    assert dropped > 5


def test_noi_nhan_start_found_as_before(shared_dir: Path) -> None:
    from pipeline import normalize as N
    from tests.test_text_speed2 import _corpus_line_sets
    edges = [["| Nơi nhận: a"], ["\u3000|\u2003nơi nhận"], ["||Nơi nhận"], ["x", "  | N", "NƠI NHẬN:"], ["Noi nhan"], [""],
             ["\x1c Nơi nhận"], ["|", "n"], ["Nơi", "Nơi KT. CHỦ TỊCH"]]
    found = 0
    for lines in _corpus_line_sets(shared_dir) + edges:
        plain = next((i for i, ln in enumerate(lines) if N._may_open_noi_nhan(ln) and N._NOI_NHAN.match(ln)), None)
        assert N._noi_nhan_start(lines) == plain, lines[:5]
        found += plain is not None
    assert found > 50


def test_regex_spaces_are_str_spaces() -> None:
    # the shortcuts above take str.isspace (lstrip, split) to hold every \s of the patterns
    import regex
    sp = regex.compile(r"\s")
    assert all(chr(c).isspace() for c in range(sys.maxunicode + 1) if sp.match(chr(c)))


def _plain_title_then_item(piece: str) -> list[str]:
    from pipeline import normalize as N
    from pipeline.rules import rx
    m = N._TITLE_THEN_ITEM.match(piece)
    if not m or not N._TITLE_WORD.search(m.group("title")) or len(m.group("title").split()) > 8:
        return [piece]
    return [m.group("title"), "- " + rx.sub(r"^[-–]\s*", "", m.group("item"))]


def _plain_serialise_signature(lines: list[str]) -> list[str]:
    """_serialise_signature as it was before issue 15's third round (its loop over the block)."""
    from pipeline import normalize as N
    from pipeline.landmarks import landmark_label
    from pipeline.rules import rx
    start = next((i for i, ln in enumerate(lines) if N._may_open_noi_nhan(ln) and N._NOI_NHAN.match(ln)), None)
    if start is None:
        return N._split_inline_signature(lines)
    lines = list(lines)
    lines[start] = N._NOI_NHAN_CUT.sub(lambda m: m.group(1) + landmark_label("noi-nhan-cut") + "     ", lines[start])
    stop = min(len(lines), start + 45)
    for k in range(start + 1, stop):
        if N._NEXT_PART.match(lines[k]):
            stop = k
            break
    left: list[str] = []
    right: list[str] = []
    below = False
    for ln in lines[start:stop]:
        if not ln.strip():
            left.append("")
            continue
        indent = len(ln) - len(ln.lstrip())
        if below:
            left.append(ln.strip())
            continue
        if not right and indent < 8 and left and N._starts_signature(ln.strip()):
            below = True
            left.append(ln.strip())
            continue
        pieces = [p.strip() for p in rx.split(r"\s{3,}|\s*\|\s*", ln.strip()) if p.strip() and p.strip() != "-"]
        if len(pieces) == 1:
            pieces = [p.strip() for p in rx.split(r"\s{2,}(?=[-–] \S)", ln.strip()) if p.strip()]
        pieces = [q for p in pieces for q in _plain_title_then_item(p)]
        if len(pieces) > 1:
            for k, piece in enumerate(pieces):
                if piece.startswith(("- ", "– ", "+ ")) or (k == 0 and indent < 8):
                    left.append(piece)
                else:
                    right.append(piece)
        elif N._TRAILING_TITLE.match(ln.strip()) and N._TITLE_WORD.search(N._TRAILING_TITLE.match(ln.strip()).group(2)) \
                and N._ITEM_OR_NOI_NHAN.match(ln.strip()):
            m = N._TRAILING_TITLE.match(ln.strip())
            left.append(m.group(1))
            right.append(m.group(2))
        elif indent >= 8:
            right.append(ln.strip())
        else:
            left.append(ln.strip())
    sig = N._split_inline_signature(left)
    return lines[:start] + sig + [""] + right + [""] + lines[stop:]


SIGNATURE_EDGES = [
    "Nơi nhận:        KT. CHỦ TỊCH", "- Như trên;       PHÓ CHỦ TỊCH", "- Lưu: VT, TH.", "-", "  -  ",
    "- Như trên; CHÁNH VĂN PHÒNG", "PHÓ GIÁM ĐỐC- Giám đốc Sở (để b/c);", "PHÓ GIÁM ĐỐC – Sở Tài chính;",
    "- UBND tỉnh  - Sở Nội vụ", "- A;\u2003\u2003\u2003GIÁM ĐỐC", "| - A; | GIÁM ĐỐC |", "- A;  - B",
    "- A;\u3000- B", "x\u2003y", "GIÁM ĐỐC", "          Nguyễn Văn A", "- Lưu: VT.  Trần B", "KT. CHỦ TỊCH",
    "Nơi nhận: - Như trên;", "- Sở Y tế;\tPHÓ CHỦ TỊCH", "(đã ký)", "–", "- Như trên;\u00a0\u00a0\u00a0GIÁM ĐỐC",
]


def test_signature_pieces_as_before(shared_dir: Path) -> None:
    from pipeline import normalize as N
    from tests.test_text_speed2 import _corpus_line_sets
    sets = _corpus_line_sets(shared_dir)
    sets += [["Công văn"] + SIGNATURE_EDGES, ["Nơi nhận:"] + SIGNATURE_EDGES[::-1],
             ["Nơi nhận:"] + ["  " + e for e in SIGNATURE_EDGES], ["Nơi nhận:"] + [" " * 10 + e for e in SIGNATURE_EDGES]]
    for lines in sets:
        assert N._serialise_signature(lines) == _plain_serialise_signature(lines), lines[:3]
    for piece in SIGNATURE_EDGES:
        assert N._title_then_item(piece) == _plain_title_then_item(piece)


def test_sample_of_nfc_text_is_nfc(shared_dir: Path) -> None:
    # read_txt gives syllable_share_nfc the sample of an NFC text without normalising it again
    import random
    for t in _corpus_texts(shared_dir) + NFC_EDGES:
        nfc = unicodedata.normalize("NFC", t)
        sample = _sample(nfc)
        assert unicodedata.normalize("NFC", sample) == sample
        assert L.syllable_share_nfc(sample) == L.syllable_share(sample) == _plain_syllable_share(sample)
    pool = list("aeoiuyAEOUDdđ ") + [chr(c) for c in range(0x300, 0x370)] + list(
        "\u1100\u1161\u11a8\uac00\u0f71\u0f72\u0f73\u0344\u0958\u09be\u09c7\u0b47\u0b3e\u0b56\u1b05\u1b35"
        "\u3099\u304b\u0345\u03b1\u1f00\u0653\u0627")
    rnd = random.Random(15)
    for _ in range(20000):
        t = unicodedata.normalize("NFC", "".join(rnd.choice(pool) for _ in range(rnd.randint(1, 14))))
        i = rnd.randint(0, len(t))
        j = rnd.randint(i, len(t))
        k = rnd.randint(0, len(t))
        piece = t[i:j] + " " + t[k:]
        assert unicodedata.normalize("NFC", piece) == piece, [hex(ord(c)) for c in t]


def test_tallies_bounded_and_same(shared_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(L, "_TALLIES_MAX", 50)
    for t in _corpus_texts(shared_dir)[:20]:
        assert L.syllable_share(t) == _plain_syllable_share(t)
        assert len(L._TALLIES) <= 50 + len(t[:20000].split())


def test_legacy_conversions_and_counts_as_before(shared_dir: Path) -> None:
    def plain_tcvn3(text: str) -> str:
        return unicodedata.normalize("NFC", "".join(L.TCVN3.get(ch, ch) for ch in text))

    def plain_common(text: str) -> float:
        words = [w.lower() for w in L._WORD.findall(unicodedata.normalize("NFC", text[:20000]))]
        return sum(1 for w in words if w in L.COMMON_WORDS) / len(words) if words else 0.0

    latin = [t.encode("utf-8", errors="replace").decode("latin-1") for t in _corpus_texts(shared_dir)[:30]]
    probes = latin + EDGE_TEXTS + ["Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
                                   "a\x00b\x1fc\t\n\r\x0c\x7f" * 30, "ñÑôÔöÖìÌíÍæÆóÓòÒîÎ xyz"]
    for t in probes:
        assert L.tcvn3_to_unicode(t) == plain_tcvn3(t)
        assert L.common_share(t) == plain_common(t)
        assert sum(map(t.count, L._CONTROLS)) == sum(1 for c in t if ord(c) < 32 and c not in "\t\n\r\f")
        conv = L.vni_to_unicode(t)
        # the pairs as vni_to_unicode makes them, then the single letters the plain way
        assert conv == unicodedata.normalize("NFC", "".join(
            L._VNI_SINGLE.get(ch, ch) for ch in _vni_pairs_only(t)))
        for share in (0.12, 0.08):
            assert L._marked_share_above(conv, share) == (L._marked_share(conv) > share)


def _vni_pairs_only(text: str) -> str:
    """vni_to_unicode's first step (the base letter and mark pairs), as it is in legacy.py."""
    def pair(m):
        base, mark = m.group(1), m.group(2)
        upper = mark in L._VNI_MARKS_UP
        mark = mark.lower() if upper else mark
        base = L._VNI_SINGLE.get(base, base)
        if mark in L._VNI_TONES:
            return base + L._VNI_TONES[mark]
        if mark in L._VNI_HATS:
            return base + (L._VNI_HATS[mark] if base.lower() == "a" or mark == "â" else "\u0302")
        hat, tone = L._VNI_HAT_TONES[mark]
        if base.lower() != "a":
            hat = "\u0302"
        return base + hat + tone
    return L._VNI_PAIR.sub(pair, text)


def _plain_unpipe(lines: list[str]) -> list[str]:
    """_unpipe_tables as it was before issue 15's third round: every line tested."""
    from pipeline import normalize as N
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "|" not in lines[i] or not N._TABLE_ROW.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        rows: list[list[str]] = []
        while j < len(lines) and N._TABLE_ROW.match(lines[j]):
            if not N._TABLE_SEP.match(lines[j]):
                rows.append([c.strip() for c in lines[j].strip().strip("|").split("|")])
            j += 1
        joined = " ".join(" ".join(r) for r in rows)
        two_col = all(len(r) == 2 for r in rows) and bool(
            N._RIGHT_ANCHOR.search(joined) or N._NOI_NHAN_ANYWHERE.search(joined))
        if two_col:
            out += [r[0] for r in rows if r[0]]
            out += [r[1] for r in rows if r[1]]
        else:
            out += [" | ".join(c for c in r if c) for r in rows if any(r)]
        i = j
    return out


TABLE_EDGES = [
    ["| a | b |", "|---|---|", "| c | d |", "x | y", "", "| UBND | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |", "end"],
    ["a|b", "| only |", "|", "||", " | x | ", "\x1c| y |", "| Nơi nhận: | GIÁM ĐỐC |", "| - A; | |"],
    ["| a | b |"], ["no bar", "| a |", "| b | c | d |", "tail |"],
]


def test_unpipe_as_before(shared_dir: Path) -> None:
    from pipeline import normalize as N
    from tests.test_text_speed2 import _corpus_line_sets
    changed = 0
    for lines in _corpus_line_sets(shared_dir) + TABLE_EDGES + [sum(TABLE_EDGES, [])]:
        got = N._unpipe_tables(lines)
        assert got == _plain_unpipe(lines), lines[:4]
        changed += got != lines
    assert changed > 3


def _plain_split_inline_signature(lines: list[str]) -> list[str]:
    """_split_inline_signature as it was before issue 15's third round."""
    from pipeline import normalize as N
    from pipeline.rules import rx
    out = []
    for ln in lines[-60:]:
        m = N._INLINE_SIGNATURE.match(ln) if N._INLINE_SIGNATURE_NEEDS.search(ln) else None
        if m and N._TITLE_WORD.search(m.group(2)) and rx.search(r"\p{Ll}", m.group(1)):
            out += [m.group(1), m.group(2), m.group(3)] + ([m.group(4)] if m.group(4) else [])
        else:
            out.append(ln)
    return lines[:-60] + out if len(lines) > 60 else out


INLINE_SIGNATURE_EDGES = [
    "- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG, CHỦ NHIỆM Mai Tiến Dũng",
    "- Lưu: VT. KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Văn A PHỤ LỤC kèm theo",
    "- Lưu: VT. GIÁM ĐỐC.  Trần B", "- Lưu: VT. GIÁM ĐỐC\u2003Trần Bình", "x GIÁM ĐỐC Ân", "x GIÁM ĐỐC Ân Bé",
    "- Lưu VT, TH. TM. ỦY BAN NHÂN DÂN Lê C", "abc UBND, Xã A Bình", "- Như trên; CHỦ TỊCH\tLê Văn Dũng",
]


def test_inline_signature_as_before(shared_dir: Path) -> None:
    from pipeline import normalize as N
    from tests.test_text_speed2 import _corpus_line_sets
    sets = _corpus_line_sets(shared_dir) + [INLINE_SIGNATURE_EDGES]
    sets += [[" ".join(ln.split()) for ln in lines] for lines in _corpus_line_sets(shared_dir)[:60]]
    split = 0
    for lines in sets:
        got = N._split_inline_signature(lines)
        assert got == _plain_split_inline_signature(lines), lines[-3:]
        split += got != lines
    assert split >= 2   # the edges and a web copy of the corpus
