"""Every example of the citation rule files, run both ways through the code that uses it."""
from __future__ import annotations

from typing import Any

import pytest

from pipeline.extract.citations import (
    Context,
    _fix_typos,
    extract_citations,
    issuer_from_symbol,
    parse_name,
    resolve_issuer,
)
from pipeline.models import Citation, Header, Segments
from pipeline.rules import load_rules


def cite(text: str) -> list[Citation]:
    return extract_citations(Segments(text=text, body=text), Header())


def cases(name: str, field: str = "examples", kind: str | None = None) -> list[Any]:
    out = []
    for r in load_rules(name):
        if kind is not None and r.get("kind") != kind:
            continue
        for ex in r.get(field, []):
            out.append(pytest.param(r, ex, id=f"{r['id']}:{str(ex)[:40]}"))
    return out


@pytest.mark.parametrize("rule,text", cases("citation_heads.toml"))
def test_head_example_is_cited_with_its_type(rule: dict[str, Any], text: str) -> None:
    cs = cite(text)
    assert cs, f"no citation in {text!r}"
    if rule["type"]:
        assert cs[0].type == rule["type"]
    assert cs[0].rule_id and cs[0].rule_id.startswith("cit.")


@pytest.mark.parametrize("rule,text", cases("citation_heads.toml", "counterexamples"))
def test_head_counterexample_is_no_citation(rule: dict[str, Any], text: str) -> None:
    assert cite(text) == []


@pytest.mark.parametrize("rule,example", cases("citation_cues.toml"))
def test_cue_example_gives_its_relation(rule: dict[str, Any], example: Any) -> None:
    text, want = (example if isinstance(example, list) else (example, rule["relation"]))
    cs = cite(text)
    assert cs, f"no citation in {text!r}"
    assert cs[-1].relation == want


@pytest.mark.parametrize("rule,text", cases("citation_cues.toml", "counterexamples"))
def test_cue_counterexample_does_not(rule: dict[str, Any], text: str) -> None:
    cs = cite(text)
    assert cs and cs[-1].relation != rule["relation"]


@pytest.mark.parametrize("rule,code", cases("citation_issuers.toml"))
def test_issuer_example_resolves(rule: dict[str, Any], code: str) -> None:
    symbol = code.split("/", 1)[1] if "/" in code.split("-")[0] else code.split("-", 1)[1]
    issuer, rid = issuer_from_symbol(symbol, Context(province="Lâm Đồng", district="Sơn Tây"))
    assert rid == rule["id"]
    if rule["scope"] == "national":
        assert issuer == rule["issuer"]
    elif rule["scope"] == "unknown":
        assert issuer is None
    else:
        assert issuer and issuer.startswith(rule["issuer"]) and issuer.endswith(("Lâm Đồng", "Sơn Tây"))


@pytest.mark.parametrize("rule,code", cases("citation_issuers.toml", "counterexamples"))
def test_issuer_counterexample_is_not_this_rule(rule: dict[str, Any], code: str) -> None:
    symbol = code.split("/", 1)[1]
    assert issuer_from_symbol(symbol, Context())[1] != rule["id"]


def test_ubnd_symbol_takes_the_letter_context() -> None:
    ctx = Context(issuer="Sở Nội vụ", parent="Ủy ban nhân dân tỉnh Lâm Đồng", province="Lâm Đồng")
    assert issuer_from_symbol("QĐ-UBND", ctx)[0] == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert issuer_from_symbol("QĐ-UBND", Context())[0] is None


@pytest.mark.parametrize("rule,example", cases("citation_names.toml", kind="stop_word")
                         + cases("citation_names.toml", kind="stop_phrase")
                         + cases("citation_names.toml", kind="named_by_subject")
                         + cases("citation_names.toml", kind="closed_name"))
def test_name_example_ends_where_it_should(rule: dict[str, Any], example: list[str]) -> None:
    text, want = example
    assert parse_name(text)[0] == want


@pytest.mark.parametrize("rule,name", cases("citation_names.toml", "counterexamples", kind="stop_word"))
def test_full_name_is_kept_whole(rule: dict[str, Any], name: str) -> None:
    assert parse_name(name)[0] == name


@pytest.mark.parametrize("rule,text", cases("citation_names.toml", kind="exclude_before"))
def test_exclusion_example_is_no_citation(rule: dict[str, Any], text: str) -> None:
    assert cite(text) == []


@pytest.mark.parametrize("rule,text", cases("citation_names.toml", "counterexamples", kind="exclude_before"))
def test_exclusion_counterexample_is_cited(rule: dict[str, Any], text: str) -> None:
    assert len(cite(text)) == 1


@pytest.mark.parametrize("rule,text", cases("citation_names.toml", kind="body"))
def test_known_body_resolves_to_its_name(rule: dict[str, Any], text: str) -> None:
    assert resolve_issuer(text, Context()) == rule["name"]


@pytest.mark.parametrize("rule,text", cases("citation_names.toml", kind="title_only"))
def test_title_alone_is_no_issuer(rule: dict[str, Any], text: str) -> None:
    assert parse_name(text)[0] is None


@pytest.mark.parametrize("rule,text", cases("citation_names.toml", "counterexamples", kind="title_only"))
def test_title_with_body_is_an_issuer(rule: dict[str, Any], text: str) -> None:
    assert parse_name(text)[0] == text


@pytest.mark.parametrize("rule,example", cases("citation_typos.toml"))
def test_typo_is_corrected(rule: dict[str, Any], example: list[str]) -> None:
    written, fixed = example
    assert _fix_typos(written) == fixed


@pytest.mark.parametrize("rule,symbol", cases("citation_typos.toml", "counterexamples"))
def test_typo_counterexample_is_left_alone(rule: dict[str, Any], symbol: str) -> None:
    assert _fix_typos(symbol) == symbol
