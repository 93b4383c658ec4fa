"""Load and validate the declarative rules in ``rules/`` (TOML or JSONL).

Every rule file holds a list of entries under one top-level array key (``[[rule]]`` by
default). Each entry has an ``id`` (unique in its file; in JSONL spaCy pattern files several
patterns may share the id of the rule they make) and ``examples`` (a non-empty list; for a
shared id, on at least one of its patterns); ``counterexamples`` where it helps. What an example *means* is up to the module that uses the
file; the tests run each file's examples through that module, both ways.
Nothing else of the package is imported here.
"""
from __future__ import annotations

import json
import os
import tomllib
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import regex


class RuleError(ValueError):
    """A rule file that cannot be loaded: names the file and the entry."""


def rules_dir() -> Path:
    """The folder rules are read from: $CONGVAN_RULES, else ``rules/`` beside the package."""
    env = os.environ.get("CONGVAN_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here.parent / "rules", here / "rules_data"):
        if cand.is_dir():
            return cand
    return here.parent / "rules"


@cache
def load_rules(name: str, key: str = "rule") -> tuple[dict[str, Any], ...]:
    """Entries of ``rules/NAME`` (``.toml`` or ``.jsonl``), validated.

    >>> load_rules("doctypes.toml")[0]["id"]
    """
    path = rules_dir() / name
    if not path.exists():
        raise RuleError(f"{path}: rule file not found")
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            entries = data.get(key)
            if not isinstance(entries, list):
                raise RuleError(f"{path}: no [[{key}]] entries")
        elif path.suffix == ".jsonl":
            entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                       if line.strip() and not line.lstrip().startswith("//")]
        else:
            raise RuleError(f"{path}: unknown rule file kind")
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as e:
        raise RuleError(f"{path}: {e}") from e
    seen: set[str] = set()
    with_examples: set[str] = set()
    for i, entry in enumerate(entries):
        rid = entry.get("id")
        if not rid or not isinstance(rid, str):
            raise RuleError(f"{path}: entry {i} has no id")
        # In JSONL (spaCy patterns) several patterns may make one rule and share its id.
        if rid in seen and path.suffix != ".jsonl":
            raise RuleError(f"{path}: id {rid!r} repeated")
        seen.add(rid)
        ex = entry.get("examples")
        if ex is not None and (not isinstance(ex, list) or not ex):
            raise RuleError(f"{path}: rule {rid!r}: examples must be a non-empty list")
        if ex:
            with_examples.add(rid)
        if "pattern" in entry and isinstance(entry["pattern"], str):
            try:
                regex.compile(entry["pattern"], regex.V1 | regex.IGNORECASE)
            except regex.error as err:
                raise RuleError(f"{path}: rule {rid!r}: bad pattern: {err}") from err
    bare = sorted(seen - with_examples)
    if bare:
        raise RuleError(f"{path}: rules without examples: {', '.join(bare)}")
    return tuple(entries)


@cache
def load_table(name: str) -> dict[str, Any]:
    """A whole TOML file of ``rules/`` as a dict (for tables that are not lists of rules)."""
    path = rules_dir() / name
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise RuleError(f"{path}: rule file not found") from e
    except tomllib.TOMLDecodeError as e:
        raise RuleError(f"{path}: {e}") from e


def rule_files() -> list[Path]:
    """Every rule file, for the test that runs all examples."""
    d = rules_dir()
    return sorted(p for p in d.iterdir() if p.suffix in (".toml", ".jsonl"))


class PatternCache:
    """``regex``'s module functions (same signatures) over patterns compiled once.

    ``regex.match(pattern, s)`` looks its pattern up in ``regex``'s own cache on every call, which
    costs several times the matching on the short lines the extractors test (a tenth of the whole
    extraction on the corpus); here the lookup is one ``lru_cache`` hit.

    >>> rx.match(r"\\d+", "583/UBND").group()
    '583'
    """

    compile = staticmethod(lru_cache(maxsize=4096)(regex.compile))

    def match(self, pattern: str, string: str, flags: int = 0) -> regex.Match[str] | None:
        return self.compile(pattern, flags).match(string)

    def search(self, pattern: str, string: str, flags: int = 0) -> regex.Match[str] | None:
        return self.compile(pattern, flags).search(string)

    def fullmatch(self, pattern: str, string: str, flags: int = 0) -> regex.Match[str] | None:
        return self.compile(pattern, flags).fullmatch(string)

    def findall(self, pattern: str, string: str, flags: int = 0) -> list[Any]:
        return self.compile(pattern, flags).findall(string)

    def finditer(self, pattern: str, string: str, flags: int = 0) -> Any:
        return self.compile(pattern, flags).finditer(string)

    def split(self, pattern: str, string: str, maxsplit: int = 0, flags: int = 0) -> list[Any]:
        return self.compile(pattern, flags).split(string, maxsplit)

    def sub(self, pattern: str, repl: Any, string: str, count: int = 0, flags: int = 0) -> str:
        return self.compile(pattern, flags).sub(repl, string, count)

    def subn(self, pattern: str, repl: Any, string: str, count: int = 0,
             flags: int = 0) -> tuple[str, int]:
        return self.compile(pattern, flags).subn(repl, string, count)


rx = PatternCache()
