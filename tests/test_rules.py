"""Every rule file loads and every rule has an id and examples (the per-file tests run them)."""
from __future__ import annotations

import pytest

from pipeline.rules import load_rules, rule_files

RULE_FILES = [p.name for p in rule_files()]


@pytest.mark.parametrize("name", RULE_FILES)
def test_rule_file_loads(name: str) -> None:
    from pipeline.rules import load_table
    table = load_table(name) if name.endswith(".toml") else None
    if table is not None and "rule" not in table:
        pytest.skip(f"{name} is a plain table, checked by its own test")
    rules = load_rules(name)
    assert rules, f"{name} has no rules"
    for r in rules:
        assert r["id"] and r["examples"], r
