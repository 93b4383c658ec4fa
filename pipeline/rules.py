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


# ---- prefilters ---------------------------------------------------------------------------------
# A pattern is tried only where one of the literals that open every one of its matches stands:
# one compiled alternation of those literals finds the candidate positions (a scan without
# backtracking), the pattern itself runs there alone. The literals are read off the pattern, so
# a rule edited in rules/ keeps its prefilter right without a second list to keep in step.
_PROPERTY_RE = regex.compile(r"\\[pP]\{[^}]*\}|\\[pP][A-Za-z]")


def first_literals(pattern: str | regex.Pattern[str], *, ignorecase: bool = False,
                   verbose: bool = False) -> tuple[str, ...]:
    """Literals one of which every match of ``pattern`` begins with (its zero-width assertions,
    such as a lookbehind, aside); ``()`` where that cannot be read off the pattern (it may open
    with a class of characters, match empty text, or use syntax the standard library's parser
    does not read), and the caller then runs the pattern everywhere as before.

    ignorecase: the caller compiles its prefilter case-insensitively (else a pattern or group
    that is case-insensitive gives no literals). verbose: the pattern is written in VERBOSE mode.

    >>> first_literals(r"(?<![\\p{L}])(?:căn\\s+cứ|trên\\s+cơ\\s+sở)", ignorecase=True)
    ('căn', 'trên')
    >>> first_literals(r"(?:thực\\s+hiện\\s+)?quy\\s+định|theo", ignorecase=True)
    ('quy', 'theo', 'thực')
    >>> first_literals(r"(?-i:Tiếp|TIẾP)\\s+theo", ignorecase=True)
    ('TIẾP', 'Tiếp')
    >>> first_literals(r"[Bb]iểu\\s+mẫu"), first_literals(r"(?:a|b?)c"), first_literals(r"(?i:kèm)")
    ((), (), ())
    >>> first_literals(regex.compile("Nơi", regex.I)), first_literals(regex.compile("Nơi"))
    ((), ('Nơi',))
    """
    import re._constants as C
    import re._parser as P

    if not isinstance(pattern, str):   # a compiled pattern: its flags count too
        if pattern.flags & regex.IGNORECASE and not ignorecase:
            return ()
        verbose = verbose or bool(pattern.flags & regex.VERBOSE)
        pattern = pattern.pattern
    try:
        parsed = P.parse(_PROPERTY_RE.sub(r"\\w", pattern), C.SRE_FLAG_VERBOSE if verbose else 0)
    except Exception:  # noqa: BLE001 - syntax of the regex module alone: no prefilter
        return ()
    if parsed.state.flags & C.SRE_FLAG_IGNORECASE and not ignorecase:
        return ()
    zero_width = (C.AT, C.ASSERT, C.ASSERT_NOT)
    repeats = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT))

    def firsts(seq: list[Any], i: int = 0) -> set[str] | None:
        run: list[str] = []
        while i < len(seq):
            op, av = seq[i]
            if op is C.LITERAL:
                run.append(chr(av))
            elif op not in zero_width:
                break
            i += 1
        if run:
            rest = firsts(seq, i) if i < len(seq) else None
            head = "".join(run)
            return {head + r for r in rest} if rest else {head}
        if i == len(seq):
            return None                      # the sequence may match empty text
        op, av = seq[i]
        if op is C.BRANCH:
            out: set[str] = set()
            for branch in av[1]:
                got = firsts(list(branch.data))
                if not got:
                    return None
                out |= got
            return out
        if op is C.SUBPATTERN:
            _group, add, _delete, sub = av
            if add & C.SRE_FLAG_IGNORECASE and not ignorecase:
                return None
            return firsts(list(sub.data))
        if op is C.IN and av and all(o is C.LITERAL for o, _v in av):
            return {chr(v) for _o, v in av}  # a set of plain characters ("[Kk]", or "a|b" as parsed)
        if op is getattr(C, "ATOMIC_GROUP", None):
            return firsts(list(av.data))
        if op in repeats:
            lo, _hi, sub = av
            got = firsts(list(sub.data))
            if not got:
                return None
            if lo >= 1:
                return got
            rest = firsts(seq, i + 1)
            return got | rest if rest else None
        return None

    got = firsts(list(parsed.data))
    return tuple(sorted(got)) if got and all(got) else ()


def literal_alternation(literals: Any, flags: int = 0) -> regex.Pattern[str] | None:
    """One compiled alternation of ``literals`` (longest first), or None for none."""
    lits = sorted(set(literals), key=lambda s: (-len(s), s))
    if not lits:
        return None
    return regex.compile("|".join(regex.escape(s) for s in lits), flags)
