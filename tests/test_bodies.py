"""Body identities (issue 10, item 7): rules/bodies.toml both ways, and matching a body asked for by
name against the bodies of real letters' duties."""
from __future__ import annotations

import json

import pytest

from pipeline.resolve import _body_rules, body_key, names_body, same_body_key
from pipeline.rules import load_rules

ENTRIES = load_rules("bodies.toml")
HEADS = ("giam doc", "pho giam doc", "lanh dao", "thu truong")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["id"])
def test_examples_both_ways(entry):
    pat = next(p for _k, p, r in _body_rules() if r["id"] == entry["id"])
    for ex in entry["examples"]:
        assert body_key(ex["text"], date=ex.get("date")) == ex["key"], ex
    for ex in entry.get("counterexamples", []):
        # the rule leaves the name alone: the key is the name's own
        assert body_key(ex["text"], date=ex.get("date")) == ex["key"], ex
        from pipeline.resolve import body_name, fold
        assert not pat.search(fold(body_name(ex["text"]))) or entry["kind"] == "rename", ex


def test_one_office_one_key_however_written():
    from pipeline.models import Header

    h = Header(issuer="Ủy ban nhân dân tỉnh Lâm Đồng", date="2025-09-01")
    keys = {body_key(n, h) for n in ("Sở Tài chính", "Giám đốc Sở Tài chính", "SỞ TÀI CHÍNH",
                                     "Sở Tài chính tỉnh Lâm Đồng", "Sở Kế hoạch và Đầu tư")}
    assert keys == {"so tai chinh tinh lam dong"}
    assert len({body_key(n) for n in ("Nhà đầu tư", "Nhà đầu tư 02 dự án", "Nhà đầu tư của 02 dự án khu dân cư")}) == 1
    # a group stays a group, and is not one of its members
    assert body_key("UBND các xã, phường") == "uy ban nhan dan cac xa phuong"
    assert not same_body_key(body_key("UBND xã Sơn Bua"), body_key("UBND các xã"))


def test_assignee_query_finds_every_gold_duty_of_the_body_and_nothing_else(shared_dir):
    """Over every gold task: a body asked for by its plain name matches a task exactly when the
    task names that body (as lead, assignee or coordinator) in any of its spellings."""
    checked = 0
    for g in sorted((shared_dir / "gold").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        date = (gold.get("document") or {}).get("date")
        for t in gold.get("tasks", []):
            names = [t.get("lead") or "", *t.get("assignees", []), *t.get("coordinators", [])]
            for query, words in (("so tai chinh", ("so tai chinh",)), ("Sở Nội vụ", ("so noi vu",))):
                from pipeline.resolve import fold
                # the truth, read off the gold strings: a name that is that Sở (its Giám đốc included),
                # not another body whose name holds it ("Văn phòng Sở Nội vụ")
                truth = any(any(fold(p).split(" tinh ")[0] in (w, *(f"{h} {w}" for h in HEADS)) for w in words)
                            for n in names for p in n.replace(";", ",").split(","))
                assert names_body(query, names, date=date) == truth, (g.name, query, names)
                checked += truth
    assert checked >= 3


def test_tasks_carry_identity_keys(shared_dir):
    from pipeline import extract_file

    ex = extract_file(str(shared_dir / "corpus" / "lamdong-kh-tuyen-truyen-cchc-nam-2026.txt")).to_dict()
    keyed = [t for t in ex["tasks"] if t.get("lead")]
    assert keyed and all(t["lead_key"] and t["assignee_keys"] for t in keyed)
    assert any(t["lead_key"] == "so tai chinh tinh lam dong" for t in keyed)
    assert all(isinstance(t["span"], list) and t["span"][0] < t["span"][1] for t in ex["tasks"])
