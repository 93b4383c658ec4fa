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
