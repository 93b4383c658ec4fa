"""rules/landmarks.toml: every landmark matches its examples and none of its counterexamples, as
the stages use it (pipeline/landmarks.py); and the stages find the parts of a letter by them."""
from __future__ import annotations

import pytest

from pipeline.landmarks import find_landmark, landmark, landmark_re, landmark_rules, landmarks
from pipeline.models import RawDocument
from pipeline.normalize import normalize_document
from pipeline.rules import RuleError
from pipeline.segment import KINH_GUI, MOTTO, NOI_NHAN, SO_LINE, VV, segment_document

RULES = landmark_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r["id"] for r in RULES])
def test_landmark_examples_both_ways(rule):
    pat = landmark_re(rule["id"])
    for ex in rule["examples"]:
        assert pat.search(ex), (rule["id"], ex)
    for cex in rule.get("counterexamples", []):
        assert not pat.search(cex), (rule["id"], cex)


def test_every_landmark_is_documented():
    for r in RULES:
        assert r.get("note") and r.get("where") in ("start", "anywhere"), r["id"]
        assert "(?P<" not in r["pattern"], r["id"]  # modules number their own groups


def test_unknown_landmark_is_a_rule_error():
    with pytest.raises(RuleError):
        landmark("no-such-landmark")


def test_alternation_and_lookup():
    assert find_landmark("Kính gửi: Sở Nội vụ") == "kinh-gui"
    assert find_landmark("Nội dung của văn bản") is None
    assert landmarks("vv", "so").startswith("(?:(?:V/v")


def test_segment_patterns_are_built_from_the_landmarks():
    assert KINH_GUI.match("Kính gửi: Sở Nội vụ").group(1) == "Sở Nội vụ"
    assert NOI_NHAN.match("Nơi nhận: - Như trên;").group(1) == "- Như trên;"
    assert MOTTO.match("Cộng hòa xã hội chủ nghĩa Việt Nam")  # segment reads the motto in any case
    assert SO_LINE.match("Số: 583 /UBND") and not SO_LINE.match("Sở Nội vụ")
    assert VV.match("V/v triển khai") and not VV.match("Văn phòng")


def test_a_letter_is_cut_at_its_landmarks():
    text = ("UBND TỈNH A     CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ NỘI VỤ     Độc lập - Tự do - Hạnh phúc\n"
            "Số: 12/SNV-TCBC     A, ngày 5 tháng 3 năm 2025\nV/v góp ý\n\nKính gửi: Sở Tư pháp\n\n"
            "Căn cứ Luật số 80/2015/QH13, Sở Nội vụ đề nghị góp ý./.\n\nNơi nhận:          KT. GIÁM ĐỐC\n"
            "- Như trên;              PHÓ GIÁM ĐỐC\n- Lưu: VT.\n\n                     Trần Văn B\n")
    seg = segment_document(normalize_document(RawDocument("t.txt", "txt", "", text)))
    assert seg.recipients == "Kính gửi: Sở Tư pháp"
    assert seg.body.startswith("Căn cứ Luật số 80/2015/QH13")
    assert seg.cc.split("\n")[0] == "Nơi nhận:"
    assert seg.signature.split("\n")[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
