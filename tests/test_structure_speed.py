"""Issue 15, structure pass: the body's end found from its trigger words gives the full search's answer.

No timing here (tools/bench_tasks.py measures): these tests check the shortcut is exact.
"""
from __future__ import annotations

from pipeline import structure as S
from pipeline.rules import load_rules

EDGES = ["", "Nơi nhận:", "\n\n  Nơi nhận:\n- Như trên;", "abc Nơi nhận: x", "Kính gửi\nNƠI NHẬN\n", "xong./.\nNơi nhận:",
         "a\n \t Noi nhan:", "Nơi làm việc\nNơi nhận:", "1. Nơi", "Nơi\u00a0nhận:", "\u2003Nơi nhận:", "./."]


def _same(text: str) -> bool:
    a, b = S._BODY_END.search(text), S._body_end(text)
    return (a and a.span()) == (b and b.span())


def test_every_landmark_example_holds_a_trigger():
    (rule,) = [r for r in load_rules("landmarks.toml") if r["id"] == "noi-nhan"]
    for ex in rule["examples"]:
        m = S._BODY_END.search(ex)
        assert m and any(w in ex for w in S._body_end_triggers()), ex
        assert _same(ex) and _same("Văn bản.\n" + ex), ex


def test_a_missing_trigger_would_lose_the_end(monkeypatch):
    monkeypatch.setattr(S, "_body_end_triggers", lambda: ("Nơi", "NƠI", "./."))
    assert not _same("a\nNoi nhan:")


def test_body_end_on_edge_cases():
    for t in EDGES:
        assert _same(t), repr(t)


def test_body_end_on_the_corpus(shared_dir):
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    n = 0
    for f in sorted((shared_dir / "corpus").glob("*.txt")):
        seg = segment_document(normalize_document(read_document(f)))
        for t in (seg.text, seg.body, seg.text[len(seg.text) // 3:]):
            assert _same(t), f.name
            n += 1
    assert n > 200


def _inline_texts(shared_dir) -> list[str]:
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    out = []
    for f in sorted((shared_dir / "corpus").glob("*.txt")):
        seg = segment_document(normalize_document(read_document(f)))
        text, off = S.body_region(seg)
        out.extend(p for p, _s, _f in S.join_lines(text, off))
        out.append(seg.text)
    return out


def _inline_lost(pre, texts: list[str]) -> list[str]:
    return [t for t in texts if S._inline_marker().search(t) and not any(p.search(t) for p in pre)]


def test_inline_prefilter_keeps_every_example():
    (rule,) = [r for r in load_rules("task_structure.toml") if r["id"] == "inline"]
    assert S._inline_prefilter()
    assert not _inline_lost(S._inline_prefilter(), rule["examples"])


def test_inline_prefilter_loses_no_marker_on_the_corpus(shared_dir):
    texts = _inline_texts(shared_dir)
    assert len(texts) > 1000
    assert not _inline_lost(S._inline_prefilter(), texts)
    # a prefilter that misses the sub-items ("4.1.") would be caught
    assert _inline_lost(S._inline_prefilter()[:1], texts + ["Thời hạn nộp hồ sơ hải quan 4.1. Thời hạn nộp tờ khai"])


def test_split_flattened_same_without_the_prefilter(shared_dir, monkeypatch):
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document

    cases = []
    for f in sorted((shared_dir / "corpus").glob("*.txt")):
        seg = segment_document(normalize_document(read_document(f)))
        text, off = S.body_region(seg)
        cases.append((S.join_lines(text, off), text, off))
    got = [S.split_flattened(*c) for c in cases]
    monkeypatch.setattr(S, "_inline_prefilter", lambda: ())
    assert got == [S.split_flattened(*c) for c in cases]
    assert sum(len(g) for g in got) > sum(len(c[0]) for c in cases)  # some paragraphs were cut
