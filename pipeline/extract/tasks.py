"""Assigned duties: who leads, who co-operates, what, by when, reporting to whom. (issue 6)

A task is an obligation the document places on a named body (contract/ANNOTATION.md, "tasks"):
"Đề nghị X …", "Yêu cầu X …", "Giao X chủ trì …", "X có trách nhiệm …", "X chịu trách nhiệm thi
hành …", "X tham mưu …", items under a lead-in that names who must act, and a Tờ trình's
"kính trình X xem xét" (a task of X). Trigger phrases, the verbs that open a duty, the words
that open a body's name, cancelling contexts ("theo đề nghị của"), optional formulas and
result nouns are spaCy token patterns in ``rules/task_patterns.jsonl``. Patterns that test only
LOWER (all of them today) are run by a first-word index that gives the same matches as spaCy's
Matcher at a fraction of its cost; any other pattern goes to spaCy's Matcher on a blank Vietnamese
pipeline (no pyvi, nothing downloaded), imported only then. Deadlines come from
:mod:`pipeline.extract.deadlines`; the body tree from :mod:`pipeline.structure`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import product
from typing import Any, NamedTuple

import regex

from ..models import Deadline, Header, Section, Segments, Span, Task
from ..resolve import body_key, expand_abbreviations, fold  # at import: not once a call (issue 15)
from ..rules import load_rules, load_table
from ..structure import NUMBERED, Paragraph, parse_paragraphs
from .deadlines import find_deadline_phrases, parse_deadline


class _PatternCache:
    """``regex``'s module functions over patterns compiled once: the task rules run a few dozen
    inline patterns on every paragraph, and ``regex``'s own per-call cache lookup cost more than
    the matching (about a third of task extraction on the corpus)."""

    compile = staticmethod(lru_cache(maxsize=1024)(regex.compile))

    def match(self, p: str, s: str) -> regex.Match[str] | None:
        return self.compile(p).match(s)

    def search(self, p: str, s: str) -> regex.Match[str] | None:
        return self.compile(p).search(s)

    def fullmatch(self, p: str, s: str) -> regex.Match[str] | None:
        return self.compile(p).fullmatch(s)

    def finditer(self, p: str, s: str) -> Any:
        return self.compile(p).finditer(s)

    def split(self, p: str, s: str) -> list[str]:
        return self.compile(p).split(s)

    def sub(self, p: str, repl: Any, s: str, count: int = 0) -> str:
        return self.compile(p).sub(repl, s, count=count)


_rx = _PatternCache()


RULE_FILE = "task_patterns.jsonl"
# the tokens of the matcher: words and single punctuation marks (the stdlib engine: this runs on
# every paragraph and action, and gives the same tokens as `regex` on NFC text)
_WORD = re.compile(r"\w+|[^\w\s]")
CLAUSE_FILE = "task_clauses.toml"


@cache
def _words(kind: str) -> frozenset[str]:
    """Word lists of rules/task_clauses.toml [words]: relative_verbs, group_nouns, name_verbs."""
    return frozenset(load_table(CLAUSE_FILE)["words"][kind])


@cache
def _word_tuple(kind: str) -> tuple[str, ...]:
    """A word list of [words] as a tuple, for str.startswith/endswith."""
    return tuple(sorted(_words(kind)))


@lru_cache(maxsize=1)
def _group_noun_start() -> regex.Pattern[str]:
    """A word of [words] group_nouns opening a text, as a whole word: one alternation, where a
    loop over the words escaped and matched one by one cost a tenth of _body_at."""
    return regex.compile("(?:" + "|".join(regex.escape(g) for g in sorted(_words("group_nouns"))) + r")\b")


@lru_cache(maxsize=1)
def _clause_grammars() -> dict[str, str]:
    """The clause patterns of rules/task_clauses.toml by id, not yet compiled."""
    return {r["id"]: r["grammar"] for r in load_rules(CLAUSE_FILE)}


@cache
def _clause(rule_id: str) -> regex.Pattern[str]:
    """One clause pattern, compiled on its first use (a run that never needs one never pays for it)."""
    return regex.compile(_clause_grammars()[rule_id])


def _clauses() -> dict[str, regex.Pattern[str]]:
    """The compiled clause patterns of rules/task_clauses.toml, by id (for the tests)."""
    return {rid: _clause(rid) for rid in _clause_grammars()}


@lru_cache(maxsize=1)
def _clause_prefilters() -> dict[str, regex.Pattern[str]]:
    """The ``prefilter`` of each clause of rules/task_clauses.toml that has one (issue 15): a cheap
    pattern every match of the clause's grammar contains (a trigger word), searched first; where it
    is absent from a text the grammar cannot match there, and is not run
    (tests/test_tasks_speed.py checks that no grammar matches where its prefilter does not)."""
    return {r["id"]: regex.compile(r["prefilter"]) for r in load_rules(CLAUSE_FILE) if r.get("prefilter")}


def _gated(pat: regex.Pattern[str], pre: regex.Pattern[str], name: str) -> Any:
    """``pat.<name>`` run only where ``pre`` finds its trigger in the text; elsewhere the answer
    the grammar gives on a text it cannot match (None, no matches, the text unchanged)."""
    method = getattr(pat, name)
    found = pre.search
    if name in ("match", "search", "fullmatch"):
        def one(string: str, *a: Any, **k: Any) -> Any:
            return method(string, *a, **k) if found(string) else None
        return one
    if name == "finditer":
        def each(string: str, *a: Any, **k: Any) -> Any:
            return method(string, *a, **k) if found(string) else iter(())
        return each
    if name == "findall":
        def every(string: str, *a: Any, **k: Any) -> Any:
            return method(string, *a, **k) if found(string) else []
        return every
    if name == "sub":
        def replaced(repl: Any, string: str, *a: Any, **k: Any) -> Any:
            return method(repl, string, *a, **k) if found(string) else string
        return replaced
    return method  # split, subn, pattern …: unfiltered


class _Clause:
    """A clause pattern loaded on first use (``.match``, ``.search``, ``.sub`` … of its regex),
    behind its trigger-word prefilter where the rule has one."""

    def __init__(self, rule_id: str) -> None:
        self.rule_id = rule_id

    def __getattr__(self, name: str) -> Any:
        pat = _clause(self.rule_id)
        pre = _clause_prefilters().get(self.rule_id)
        value = _gated(pat, pre, name) if pre is not None else getattr(pat, name)
        setattr(self, name, value)  # kept: the next use finds it without this lookup
        return value


_GENERIC_LEADIN = _Clause("generic-leadin")
_ADVERBIAL = _Clause("adverbial")
_ADVERBIAL_TAIL = _Clause("adverbial-tail")
_EMBEDDED_OBJECT_VERB = _Clause("embedded-object-verb")
_GENERIC_TAIL = _Clause("generic-tail")
_FACT_SECTION = _Clause("fact-section")
_DIRECTIVE = _Clause("directive")
_FACT_AFTER = _Clause("fact-after")
_LEAD_IN_PREFIX = _Clause("lead-in-prefix")
_SITUATION_PREFIX = _Clause("situation-prefix")
_SITUATION = _Clause("situation")
_QUOTE = _Clause("quotation")
_NAMED_BY_QUOTE = _Clause("quoted-name")
_PARTNER = _Clause("partner")
_REPORT_CUE = _Clause("report-cue")
_KEEP_AND = _Clause("keep-and")
_GROUP = _Clause("group")
_CITED_BASIS = _Clause("cited-basis")
_PAST = _Clause("past")
_CLOSING = _Clause("closing-formula")
_CONSEQUENCE = _Clause("consequence")
_FULFILLED = _Clause("fulfilled")
_DETAILED = _Clause("detailed-below")
_PROPOSES = _Clause("issuer-proposes")
_MEMBER = _Clause("member-listing")
_DUTY_ROLE = _Clause("duty-role")
_ASSIGNED = _Clause("assigned-duty")
_FUNCTION = _Clause("function-statement")
_LIABILITY = _Clause("liability")
_END_PUNCT_RX = regex.compile(r"[.;!?…]\W{0,3}$")
_TWO_CAPITALS = regex.compile(r"\p{Lu}{2}")  # an action opening with an abbreviation keeps its case


class _EndPunct:
    r"""``[.;!?…]\W{0,3}$``: a match is at most four characters long and ends at the end of the text
    or before its final newline, so it starts within the last five: only those are searched (this
    runs on every paragraph; the same answer as a search from the start)."""

    @staticmethod
    def search(text: str) -> regex.Match[str] | None:
        return _END_PUNCT_RX.search(text, max(0, len(text) - 5))


_END_PUNCT = _EndPunct()
_SPLIT_BODY = _Clause("body-separator")


class PatternMatch(NamedTuple):
    """One match of a rule of rules/task_patterns.jsonl (a named tuple: tens of thousands are built
    for a corpus, at less than half the cost of a frozen dataclass)."""

    label: str
    rule_id: str
    start: int
    end: int


@dataclass
class _Analysis:
    """Pattern matches of one text, indexed by the character where they start: ``by_start`` maps
    a start to the index of the first match there in ``matches`` (sorted by start: those at one
    start follow each other). An index, not a list of matches per start: tens of thousands of
    small lists a corpus made the garbage collector's full passes come sooner (issue 15)."""

    text: str
    matches: Sequence[PatternMatch]
    by_start: dict[int, int] = field(default_factory=dict)
    words: Sequence[tuple[int, int]] = ()
    starts: Sequence[int] = ()
    # _scan_body's answers by (position, max_words): a pure function of this analysis, which is
    # never changed once built (the same name is scanned from triggers, clauses and the fact check)
    scans: dict[tuple[int, int], tuple[int, int] | None] = field(default_factory=dict, repr=False, compare=False)
    # other answers that are pure functions of the analysis, by name (_embedded_span)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def at(self, pos: int, *labels: str) -> PatternMatch | None:
        k = self.by_start.get(pos)
        if k is None:
            return None
        best = None
        ms = self.matches
        n = len(ms)
        while k < n:
            m = ms[k]
            if m.start != pos:
                break
            if m.label in labels and (best is None or m.end > best.end):
                best = m
            k += 1
        return best


@lru_cache(maxsize=1)
def _entries() -> dict[str, dict[str, Any]]:
    """The entries of rules/task_patterns.jsonl by id (no spaCy needed to read them)."""
    return {e["id"]: e for e in load_rules(RULE_FILE)}


@lru_cache(maxsize=1)
def _pipeline() -> tuple[Any, Any, dict[str, dict[str, Any]]]:
    """The blank Vietnamese pipeline and a spaCy Matcher holding the patterns the word index
    cannot run (any attribute but LOWER); the entries by id."""
    import spacy
    from spacy.matcher import Matcher

    # use_pyvi off: the blank Vietnamese tokenizer otherwise needs pyvi (and is 10x slower)
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    matcher = Matcher(nlp.vocab)
    entries = _entries()
    for rid, e in entries.items():
        if _word_sets(e["pattern"]) is None:
            matcher.add(rid, [e["pattern"]])
    return nlp, matcher, entries


def _word_sets(pattern: list[dict[str, Any]]) -> list[frozenset[str]] | None:
    """A token pattern that tests only LOWER (a word or ``{"IN": [...]}``) as one set of words per
    token; None for any other pattern (it goes to spaCy's Matcher)."""
    out = []
    for tok in pattern:
        if set(tok) != {"LOWER"}:
            return None
        v = tok["LOWER"]
        if isinstance(v, str):
            out.append(frozenset([v]))
        elif isinstance(v, dict) and set(v) == {"IN"}:
            out.append(frozenset(v["IN"]))
        else:
            return None
    return out or None


@lru_cache(maxsize=1)
def _word_index_rules() -> tuple[dict[str, list[tuple[str, list[frozenset[str]]]]], bool]:
    """LOWER-only patterns indexed by their first word, and whether any pattern needs spaCy.

    spaCy's Matcher tries every pattern at every token (about 300 patterns here): it was 80 % of
    the extraction time on the corpus. Nearly every pattern is a fixed sequence of lower-cased
    words, so a lookup by the first word finds the same matches (tests/test_tasks_rules.py
    checks that both give the same matches)."""
    index: dict[str, list[tuple[str, list[frozenset[str]]]]] = {}
    needs_spacy = False
    for rid, e in _entries().items():
        sets = _word_sets(e["pattern"])
        if sets is None:
            needs_spacy = True
            continue
        for w in sets[0]:
            index.setdefault(w, []).append((rid, sets))
    return index, needs_spacy


@cache
def _first_words(label: str) -> frozenset[str] | None:
    """A prefilter (issue 15): the words that can open a pattern of ``label``; where none is among
    a text's lower-cased tokens (_tokens), no pattern of that label matches it: the word index
    walks its trie from those tokens only. None where a pattern of the label is not a plain word
    sequence (spaCy's Matcher runs it). A set of tokens, not an alternation searched in the lower
    case: the tokens are cached and the matcher needs them wherever a word is found."""
    words: set[str] = set()
    for e in _entries().values():
        if e["label"] != label:
            continue
        sets = _word_sets(e["pattern"])
        if sets is None:
            return None
        words |= sets[0]
    return frozenset(words) or None


def find_patterns(text: str) -> list[PatternMatch]:
    """Every match of rules/task_patterns.jsonl in ``text`` with character offsets.

    >>> [m.rule_id for m in find_patterns("Giao Sở Y tế rà soát") if m.label == "REQUEST"]
    ['request-giao']
    """
    return list(_find_patterns(text))


_SPAN = re.Match.span


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...]]:
    """The matcher's tokens of ``text``: their spans and lower-cased words.

    Tuples, not lists: a tuple of numbers or strings drops out of the garbage collector's watch at
    its first pass, a list never does (thousands of texts a corpus stay cached; issue 15)."""
    spans = tuple(map(_SPAN, _WORD.finditer(text)))
    low = text.lower()  # once, sliced per word (a few letters change length when lowered: then per word)
    if len(low) != len(text):
        return spans, tuple([text[s:e].lower() for s, e in spans])
    return spans, tuple([low[s:e] for s, e in spans])


@lru_cache(maxsize=1)
def _word_trie() -> dict[Any, Any]:
    """The LOWER-only patterns as a trie of words: each node maps the next word to its node, and
    None to the (label, id) of the patterns that end there, in the order of their ids (a
    pattern's ``IN`` lists are spelt out: 373 sequences for the 320 patterns today)."""
    root: dict[Any, Any] = {}
    labels = _labels()
    for rid, e in _entries().items():
        sets = _word_sets(e["pattern"])
        if sets is None:
            continue
        for seq in product(*[sorted(x) for x in sets]):
            node = root
            for w in seq:
                node = node.setdefault(w, {})
            node.setdefault(None, []).append((labels[rid], rid))
    stack = [root]
    while stack:  # the ids at a node sorted: a walk of the trie then yields the matches in order
        node = stack.pop()
        for k, v in node.items():
            if k is None:
                node[None] = tuple(sorted(v, key=lambda x: x[1]))
            else:
                stack.append(v)
    return root


@lru_cache(maxsize=8192)
def _find_patterns(text: str) -> tuple[PatternMatch, ...]:
    _index, needs_spacy = _word_index_rules()
    spans, lower = _tokens(text)
    if not spans:
        return ()
    if needs_spacy:
        return _find_patterns_sorted(text, spans, lower)
    out: list[PatternMatch] = []
    append = out.append
    size = len(lower)
    root = _word_trie()
    # tuple.__new__ builds the same named tuple without the Python-level __new__ of namedtuple
    # (tens of thousands of matches for a corpus)
    new, cls = tuple.__new__, PatternMatch
    # the prefilter (issue 15): only the words that open some pattern (most words open none) are
    # walked down the trie of the patterns' word sequences, one dict lookup a word. The walk goes
    # by first word, then by length, and a node's ids are sorted: the matches come out in the order
    # of (first word, end word, id) without being sorted afterwards
    for i in [k for k, w in enumerate(lower) if w in root]:
        node = root[lower[i]]
        start = spans[i][0]
        j = i + 1
        while True:
            ids = node.get(None)
            if ids:
                end = spans[j - 1][1]
                for label, rid in ids:
                    append(new(cls, (label, rid, start, end)))
            if j >= size:
                break
            node = node.get(lower[j])
            if node is None:
                break
            j += 1
    return tuple(out)


def _find_patterns_sorted(text: str, spans: Sequence[tuple[int, int]], lower: Sequence[str]) -> tuple[PatternMatch, ...]:
    """_find_patterns where some pattern needs spaCy's Matcher: the word index's matches and the
    Matcher's, sorted together."""
    found: list[tuple[int, int, str]] = []
    size = len(lower)
    root = _word_trie()
    for i in [k for k, w in enumerate(lower) if w in root]:
        node = root[lower[i]]
        j = i + 1
        while True:
            ids = node.get(None)
            if ids:
                for _label, rid in ids:
                    found.append((i, j, rid))
            if j >= size:
                break
            node = node.get(lower[j])
            if node is None:
                break
            j += 1
    found.extend(_spacy_matches(text, spans))
    found.sort()
    labels = _labels()
    new, cls = tuple.__new__, PatternMatch
    return tuple([new(cls, (labels[rid], rid, spans[s][0], spans[e - 1][1])) for s, e, rid in found])


@lru_cache(maxsize=1)
def _labels() -> dict[str, str]:
    """The label of each rule of rules/task_patterns.jsonl by its id."""
    return {rid: e["label"] for rid, e in _entries().items()}


def _spacy_matches(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Matches of the patterns only spaCy's Matcher can run, as (first token, end token, id)."""
    from spacy.tokens import Doc

    nlp, matcher, _e = _pipeline()
    words = [text[s:e] for s, e in spans]
    spaces = [spans[i + 1][0] > spans[i][1] if i + 1 < len(spans) else False for i in range(len(spans))]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    return [(s, e, nlp.vocab.strings[mid]) for mid, s, e in matcher(doc)]


def find_patterns_spacy(text: str) -> list[PatternMatch]:
    """The same matches as :func:`find_patterns`, all of them by spaCy's Matcher (for the test
    that the word index agrees with it)."""
    from spacy.matcher import Matcher

    nlp, _m, entries = _pipeline()
    full = Matcher(nlp.vocab)
    for rid, e in entries.items():
        full.add(rid, [e["pattern"]])
    spans = [m.span() for m in _WORD.finditer(text)]
    if not spans:
        return []
    from spacy.tokens import Doc

    words = [text[s:e] for s, e in spans]
    spaces = [spans[i + 1][0] > spans[i][1] if i + 1 < len(spans) else False for i in range(len(spans))]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    found = sorted((s, e, nlp.vocab.strings[mid]) for mid, s, e in full(doc))
    return [PatternMatch(entries[rid]["label"], rid, spans[s][0], spans[e - 1][1]) for s, e, rid in found]


@lru_cache(maxsize=4096)
def _analyse(text: str) -> _Analysis:
    """The pattern matches of ``text`` (cached: an action is analysed by several steps; the
    result is never changed after it is built)."""
    ms = _find_patterns(text)  # the cached tuple itself: never changed
    a = _Analysis(text, ms, words=_tokens(text)[0])
    a.starts = tuple([w[0] for w in a.words])
    by_start = a.by_start
    for k, m in enumerate(ms):
        by_start.setdefault(m.start, k)
    return a


def _word_index(a: _Analysis, pos: int) -> int:
    """The index of the first word starting at or after ``pos``."""
    return bisect_left(a.starts, pos)


# "… định kỳ hằng tuần", "chậm nhất …": a name has ended (matched at a word, no lookbehind, so
# matching at an offset of the text is matching its rest, without copying it for every word)
_PERIODIC = _Clause("periodic-stop")
_GENERIC_HOLDER_END = _Clause("generic-holder-end")
_GROUP_ARTICLE_END = _Clause("group-article-end")
_ROLE_NOUN = _Clause("role-noun")
_ABOUT_OBJECT = _Clause("about-object")
_FOR_WHOM = _Clause("for-whom")
_TEAM_WORD_END = _Clause("team-word-end")
_GROUP_ARTICLE = _Clause("group-article")
_PARTNER_PURPOSE = _Clause("partner-purpose")
_LEAD_WORD_ALONE = _Clause("lead-word-alone")
_REPORT_GAP = _Clause("report-object-gap")
_REPORT_BEFORE = _Clause("report-before")
_VIA_PAREN = _Clause("via-paren")
_REPORT_TAIL = _Clause("report-to-tail")
_NUMBERED_RESULT = _Clause("numbered-result")
_CONNECTOR = _Clause("connector")
_EMBEDDED_REQUEST = _Clause("embedded-request")
_LIST_JOINT = _Clause("list-joint")
_DATE_WORDS = _Clause("date-words")
_MONTH_WORDS = _Clause("month-words")
_PIECE_CONNECTOR = _Clause("piece-connector")
_URGENT = _Clause("urgent-mark")
_PROPOSAL_VERB = _Clause("proposal-verb")
_ENACTS = _Clause("enacts")
_SPEAKER_CONNECTOR = _Clause("speaker-connector")
_FUNCTION_WORDS = _Clause("function-words")
_SPECIFICALLY_END = _Clause("specifically-end")
_REPORTS = _Clause("reports")
_DUTY_ADVERB = _Clause("duty-adverb")
_DUTY_ADVERB_OR_RESPONSIBLE = _Clause("duty-adverb-or-responsible")
_BASIS_OPENING = _Clause("basis-opening")
_PAST_MARKER = _Clause("past-marker")
_CONDITION_WORD = _Clause("condition-word")
_THEN_END = _Clause("then-end")
_CLAUSE_SUBJECT_START = _Clause("clause-subject-start")
_REPORTS_TO_BODY = _Clause("reports-to-body")
_LEAD_HONORIFIC = _Clause("lead-honorific")
_ADMIN_LEVEL = _Clause("admin-level-folded")
_EXECUTES = _Clause("executes")
_OBJECT_LEADIN = _Clause("object-leadin")
_REST_GENERIC = _Clause("rest-generic")


def _scan_body(a: _Analysis, pos: int, max_words: int = 60) -> tuple[int, int] | None:
    """The name of a body starting at ``pos`` (a BODY head must open it), as (start, end).

    It runs until a verb of the duty starts (written in lower case), a colon, a semicolon or a
    full stop. "Ban Quản lý dự án đầu tư xây dựng số 1" keeps "xây dựng": a name's own words.
    """
    key = (pos, max_words)
    if key in a.scans:
        return a.scans[key]
    span = a.scans[key] = _scan_body_uncached(a, pos, max_words)
    return span


def _scan_body_uncached(a: _Analysis, pos: int, max_words: int) -> tuple[int, int] | None:
    text = a.text
    i = _word_index(a, pos)
    while i < len(a.words) and text[a.words[i][0]:a.words[i][1]].lower() in _words("name_skip"):
        i += 1
    if i >= len(a.words):
        return None
    start = a.words[i][0]
    if not _body_at(a, start):
        return None
    end = a.words[i][1]
    n = 0
    j = i
    relative = False  # "Chi cục Hải quan nơi đăng ký tờ khai": a clause of the name, one verb long
    rel_verbs = 0
    colon_list = False
    by_start = a.by_start
    while j < len(a.words):
        s, e = a.words[j]
        w = text[s:e]
        wl = w.lower()
        if j > i:
            if w == "." and _rx.search(r"(?:TP|Tp|TT|Q|P)$", text[max(0, s - 3):s]):
                end, n, j = e, n + 1, j + 1  # "Cục Hải quan TP.Hồ Chí Minh"
                continue
            if w in (":", ";") and (colon_list or (w == ":" and n <= 8 and text[start:s].lower().startswith(("các", "những"))
                                                   and _rx.match(r"\s*\p{Lu}", text[e:])
                                                   and not ((nxt_word := j + 1 < len(a.words) and a.words[j + 1][0])
                                                            and a.at(nxt_word, "VERB", "DUTY")))):
                colon_list = True  # "Các sở: Giao thông vận tải, Xây dựng" names the members
                if w == ";" and not _rx.match(r"\s*\p{Lu}", text[e:]):
                    break
                end, n, j = e, n + 1, j + 1
                continue
            if w == "(" and _long_paren(text, s):
                close = text.find(")", s)
                inner = _word_index(a, s + 1)
                if close > 0 and inner < len(a.words) and a.words[inner][0] < close and _body_at(a, a.words[inner][0]):
                    # "Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công tỉnh)": the unit acting for it
                    k = _word_index(a, close)
                    n += k - j
                    end, j = close + 1, k + 1
                    continue
                break
            if w in (":", ";", ".", "?", "!"):
                break
            if w == ",":
                relative = False
            if wl in _words("name_stops") and not relative and not (wl == "được" and _GENERIC_HOLDER_END.search(text[:s])):
                break  # "Quỹ … được thành lập": passive, not an actor; "đơn vị được giao …" is a name
            if wl == "nơi":
                relative, rel_verbs = True, 0
            here = s in by_start  # no pattern starts here: every a.at(s, …) below is None
            if here and w[:1].islower() and a.at(s, "NAME_END") is not None:
                break  # "báo cáo lãnh đạo UBND tỉnh tình hình …": a lower-case object noun ends the name
            if (here and a.at(s, "NOT_BODY") is not None) or _PERIODIC.match(text, s):
                break  # "… các nội dung sau", "… định kỳ hằng tuần": the name has ended
            verb = a.at(s, "VERB", "DUTY") if here else None
            # only read where a verb starts (every use below asks for one first)
            after_group = verb is not None and text[max(0, s - 10):s].rstrip(" ,").lower().endswith(_word_tuple("role_nouns"))
            if verb is not None and after_group and text[s:verb.end].lower() in _words("noun_verbs") and \
                    text[:s].rstrip().endswith(","):
                verb = None  # "các cơ quan, tổ chức liên quan": a noun
            if verb is not None and _GROUP_ARTICLE_END.search(text[max(0, s - 8):s]):
                verb = None  # "các tổ chức, cá nhân": a noun after "các"
            if verb is not None and text[s:verb.end].lower() in _words("name_verbs") and \
                    _rx.search(r"\p{Lu}\w*(?:\s+\w+)?\s+$", text[max(0, s - 24):s]):
                nxt = a.at(verb.end + 1, "VERB", "DUTY") if text[verb.end:verb.end + 1] == " " else None
                if nxt is not None and text[nxt.start].islower():
                    verb = None  # "Hiệp hội Nhà thầu xây dựng hoàn thành …": the trade is a word of the name
            if verb is not None and after_group and verb.label == "VERB" and _ROLE_NOUN.match(text[start:s]):
                nxt = a.at(verb.end + 1, "VERB", "DUTY") if text[verb.end:verb.end + 1] == " " else None
                if nxt is not None and text[nxt.start].islower():
                    verb = None  # "Cơ quan soạn thảo xem xét …": a role named by its verb ("cơ quan chủ trì")
            if verb is not None and w[:1].islower() and not _name_word(text, s, verb) and not (
                    after_group and verb.label == "DUTY"):
                if not relative or rel_verbs >= 1 or text[s:verb.end].lower() not in _words("relative_verbs"):
                    break
                rel_verbs += 1
            if wl in _words("name_preps") and j > i + 1 and not relative:
                break
            if wl == "về" and j > i + 1 and _ABOUT_OBJECT.match(text[s:]):
                # "báo cáo Thủ tướng Chính phủ về kết quả …" (but "Ban Chỉ đạo quốc gia về dữ liệu" is a name)
                break
            if wl == "đối" and _FOR_WHOM.match(text[s:]) and j > i:
                break  # "chủ đầu tư đối với trường hợp …": the name has ended
            if wl == "có" and j > i and _FUNCTION.match(text[s - 1:]):
                break  # "Hội đồng … có chức năng, nhiệm vụ …": the name has ended
        end = e
        n += 1
        j += 1
        if n > max_words:
            return None
    stop = end
    while stop > start and text[stop - 1] in ",; –-":
        stop -= 1
    return (start, stop) if stop > start else None




def _body_at(a: _Analysis, pos: int) -> bool:
    """A body's name opens at ``pos``: a BODY head, capitalised unless the rule allows lower
    case ("các cơ quan, đơn vị"), not the start of a longer verb ("Ban hành", "Báo cáo") nor a
    NOT_BODY phrase ("Hội nghị", "Trường hợp"); "các" only before a group noun."""
    body = a.at(pos, "BODY")
    if body is None or a.at(pos, "NOT_BODY") is not None:
        return False
    verb = a.at(pos, "VERB", "DUTY")
    if verb is not None and verb.end > body.end:
        return False
    entries = _entries()
    word = a.text[pos:body.end]
    if word[:1].islower() and not entries[body.rule_id].get("lowercase_ok"):
        return False
    if entries[body.rule_id].get("needs_group"):
        nxt = _word_index(a, body.end)
        if nxt >= len(a.words):
            return False
        follow = a.text[a.words[nxt][0]:a.words[nxt][0] + 24].lower()
        return bool(_group_noun_start().match(follow)) or _body_at(
            a, a.words[nxt][0])
    return True


def _long_paren(text: str, pos: int) -> bool:
    close = text.find(")", pos)
    return close < 0 or len(text[pos:close].split()) > 4


def _name_word(text: str, pos: int, verb: PatternMatch) -> bool:
    """Verbs that are words of a name: "Ban Quản lý dự án đầu tư xây dựng", "… cung cấp dịch vụ"."""
    before = text[max(0, pos - 12):pos].lower()
    word = text[verb.start:verb.end].lower()
    return (word == "xây dựng" and before.rstrip().endswith("đầu tư")) or (
        word in _words("manage_verbs") and before.rstrip().endswith(_word_tuple("manage_heads"))) or (
        word in _words("team_verbs") and _TEAM_WORD_END.search(before.rstrip()) is not None)


_NEXT_CONNECTOR = _Clause("next-connector")


@lru_cache(maxsize=8192)
def _clean(text: str) -> str:
    """``text`` with single spaces, without an end mark, the next duty's connector and a dangling
    ")" (cached: a pure function of the text, asked again for the same lead or action)."""
    text = " ".join(text.split())
    # each pattern only where it can match: "./." written; the connector, spaces being single
    # here, within the last 40 characters
    if "./." in text:
        text = _rx.sub(r"\s*\./\.\s*$", "", text)
    if _NEXT_CONNECTOR.search(text, max(0, len(text) - 40)):
        text = _NEXT_CONNECTOR.sub("", text)  # the next duty's connector
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1]  # "(giao Ban Dân tộc tỉnh thông báo)": the end of an aside the action sits in
    return text.strip(" ,;:.-–")


def split_bodies(name: str) -> list[str]:
    """A lead naming several bodies, one entry each; groups stay groups.

    >>> split_bodies("Các cơ quan, đơn vị, UBND các xã")
    ['Các cơ quan, đơn vị', 'UBND các xã']
    >>> split_bodies("Văn phòng HĐND và UBND huyện")
    ['Văn phòng HĐND và UBND huyện']
    """
    return list(_split_bodies(name))


@lru_cache(maxsize=4096)
def _split_bodies(name: str) -> tuple[str, ...]:
    # cached: a pure function of the name, asked for every task of the same lead (a new list is
    # handed out each time, callers may extend it)
    protected = _KEEP_AND.sub(lambda m: m.group(0).replace(" và ", " \x00 "), name)
    parts: list[str] = []
    cur = ""
    sep = ""
    pos = 0
    seps: list[regex.Match[str] | None] = [*_SPLIT_BODY.finditer(protected), None]
    for m in seps:
        piece = protected[pos:m.start()] if m else protected[pos:]
        generic = piece.lower().startswith(_word_tuple("generic_heads"))
        if cur and _starts_body(piece) and not (generic and (sep.strip() == "," or _GROUP_ARTICLE.match(cur))):  # "các cơ quan, đơn vị và địa phương": one group
            parts.append(cur)
            cur = piece
        else:
            cur += sep + piece
        if m:
            sep = m.group(0)
            pos = m.end()
    if cur:
        parts.append(cur)
    out = [_clean(p.replace(" \x00 ", " và ")) for p in parts]
    return tuple([p[:1].upper() + p[1:] for p in out if p])


def covered_recipients(name: str, recipients: Iterable[str]) -> list[str]:
    """The addressees (Kính gửi) a task's body or group covers: "UBND các xã" covers
    "Ủy ban nhân dân các xã" and "UBND xã Sơn Bua"; "Phòng Nội vụ" covers itself.

    >>> covered_recipients("UBND các xã", ["Công an huyện", "Ủy ban nhân dân các xã", "UBND xã Sơn Bua"])
    ['Ủy ban nhân dân các xã', 'UBND xã Sơn Bua']
    """
    key = fold(expand_abbreviations(name))
    single = _rx.sub(r"\b(?:cac|nhung)\s+", "", key)
    heads = [h.strip() for h in _rx.split(r"\s*,\s*", single) if h.strip()]
    out = []
    for r in recipients:
        rk = fold(expand_abbreviations(r))
        rs = _rx.sub(r"\b(?:cac|nhung)\s+", "", rk)
        if rk == key or rk.startswith(key) or key.startswith(rk) or rs.startswith(single) or any(
                rs.startswith(h) and len(h.split()) >= 2 for h in heads):
            out.append(r)
    return out


def _starts_body(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    a = _analyse(text)
    if not a.words or len(a.words) < 2:
        return False
    return _body_at(a, a.words[0][0])


@dataclass
class _Draft:
    lead: str
    action: str
    rule_id: str
    para: Paragraph
    coordinators: list[str] = field(default_factory=list)
    optional: bool = False
    deadline_text: str | None = None  # a labelled or inherited deadline, where the action names none


def _extract_partners(action: str) -> tuple[str, list[str]]:
    """Coordinators after "phối hợp (với)"; the action without "chủ trì, phối hợp với …"."""
    coords: list[str] = []
    out = action
    for m in _PARTNER.finditer(action):
        a = _analyse(action)
        span = _scan_body(a, m.end())
        if span is None:
            continue
        coords.extend(split_bodies(action[span[0]:span[1]]))
        if m.start() <= 25:  # the partners open the duty: leave them out of the action
            rest = action[span[1]:].lstrip(" ,")
            rest = _PARTNER_PURPOSE.sub("", rest)
            head = action[:m.start()].strip(" ,")
            head = _LEAD_WORD_ALONE.sub("", head)
            out = (head + " " + rest).strip() if head else rest
        break
    return out, coords


def _report_to(action: str) -> str | None:
    """Who results go to: "báo cáo … về UBND huyện (qua Phòng Nội vụ)", "gửi Sở Tư pháp"."""
    a: _Analysis | None = None
    for m in _REPORT_CUE.finditer(action):
        a = a or _analyse(action)  # only where a cue stands
        cue = m.group(0).strip().lower()
        pos = m.end()
        if cue in ("báo cáo", "gửi", "trình", "phản ánh"):
            # "gửi Sở Tư pháp trước ngày … để phối hợp với Sở Nội vụ": the body right after the cue is the
            # one; only an object in between ("báo cáo kết quả về UBND huyện") is skipped, never a parenthesis
            mm = None if _scan_body(a, pos) else _REPORT_GAP.match(action[pos:])
            if mm and _scan_body(a, pos + mm.end()):
                pos += mm.end()
        elif not _REPORT_BEFORE.search(action[:m.start()]):
            continue
        span = _scan_body(a, pos)
        if span is None:
            continue
        name = action[span[0]:span[1]]
        tail = action[span[1]:]
        par = _VIA_PAREN.match(tail)
        if par:
            name += " " + par.group(1)
        name = _REPORT_TAIL.sub("", name)
        return _clean(name) or None
    return None


def _result(a_text: str) -> str | None:
    """The expected product (báo cáo, kế hoạch, văn bản, dự thảo…); a cited "Quyết định số …" is none."""
    pre = _first_words("RESULT")
    if pre is not None and pre.isdisjoint(_tokens(a_text)[1]):
        return None  # no result noun's first word in it: the word index need not run
    for m in find_patterns(a_text):
        if m.label == "RESULT":
            word = a_text[m.start:m.end]
            if word[:1].isupper() or _NUMBERED_RESULT.match(a_text[m.end:]):
                continue
            return word.lower()
    return None


def _is_optional(action: str) -> str | None:
    clean = _clean(action)
    act = clean.lower()
    # patterns that test only LOWER find the same matches in a text and in its lower case where
    # lowering keeps the length (the same tokens, the same lower-cased words): the matches of the
    # action itself are at hand (_result asked for them), its lower case need not be read again
    same = len(act) == len(clean) and not _word_index_rules()[1]
    text = clean if same else act
    pre = _first_words("OPTIONAL")
    if pre is not None and pre.isdisjoint(_tokens(text)[1]):
        return None
    for m in find_patterns(text):
        if m.label == "OPTIONAL":
            rest = (act[:m.start] + act[m.end:]).strip(" ,.;")
            if len(rest.split()) <= _entries()[m.rule_id].get("max_rest", 4):
                return m.rule_id
    return None


def _trigger_spans(a: _Analysis) -> list[tuple[PatternMatch, tuple[int, int]]]:
    """REQUEST triggers that name a body after them, not cancelled by a NOT_TRIGGER context."""
    # the analysis' own matches, read in one pass (issue 15: cheaper than testing its tokens against
    # the triggers' first words, as this did, and the same answer)
    requests = [m for m in a.matches if m.label == "REQUEST"]
    if not requests:
        return []
    cancel = [m for m in a.matches if m.label == "NOT_TRIGGER"]
    quotes = _quotations(a.text)
    out: list[tuple[PatternMatch, tuple[int, int]]] = []
    for m in requests:
        if any(c.start <= m.start < c.end or m.start <= c.start < m.end for c in cancel):
            continue
        if any(s <= m.start < e for s, e in quotes):
            continue
        entry = _entries()[m.rule_id]
        pos = m.end
        if entry.get("needs_colon"):
            if not a.text[pos:pos + 2].lstrip().startswith(":"):
                continue
        span = _scan_body(a, pos)
        if span is None:
            continue
        sent = max(a.text.rfind(". ", 0, m.start), a.text.rfind("; ", 0, m.start), a.text.rfind(": ", 0, m.start))
        sent = sent + 2 if sent >= 0 else 0
        conn = _CONNECTOR.match(a.text[sent:])
        sent += conn.end() if conn else 0
        if sent >= m.start:
            out.append((m, span))  # "…; đồng thời, đề nghị Công an tỉnh …" opens its own sentence
            continue
        if a.text[m.start].islower() and _EMBEDDED_REQUEST.match(a.text[sent:m.start]):
            # "Việc chấp thuận … đồng thời giao chủ đầu tư …", "Tại thời điểm đề nghị Ngân hàng … cho vay
            # vốn, người học phải …": inside a noun phrase or a condition, no request
            continue
        if a.text[m.start].islower() and _LIST_JOINT.search(a.text[:m.start]) and (
                out or _leading_verb(a, sent) is not None):
            continue  # "tuyên truyền, vận động và yêu cầu các chủ mỏ …" goes on the duty already open
        out.append((m, span))
    return out


def _leading_verb(a: _Analysis, pos: int) -> PatternMatch | None:
    i = _word_index(a, pos)
    if i >= len(a.words):
        return None
    return a.at(a.words[i][0], "VERB", "DUTY")


def _ref_date(seg: Segments, header: Header) -> str | None:
    if header.date:
        return header.date
    m = _DATE_WORDS.search(seg.text[:3000])
    if m:
        return f"{int(m.group(3)):04d}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    m = _MONTH_WORDS.search(seg.text[:3000])
    if m:
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}-01"
    return None


def _split_by_deadlines(action: str, ref: str | None) -> list[str]:
    """Two actions with two deadlines are two tasks: cut after the clause holding each date."""
    dated = [p for p in find_deadline_phrases(action, ref) if p.date and p.rule.kind != "recurrence"]
    if len({p.date for p in dated}) < 2:
        return [action]  # one date, however often it is written, is one deadline
    if len(dated) < 2:
        return [action]
    pieces = []
    pos = 0
    for p in dated[:-1]:
        m = regex.compile(r"[;.]\s+|,\s+").search(action, p.span.end)
        if m is None:
            break
        nxt = [d for d in dated if d.span.start >= m.end()]
        if not nxt:
            break
        pieces.append(action[pos:m.start()])
        pos = m.end()
    pieces.append(action[pos:])
    pieces = [_PIECE_CONNECTOR.sub("", x.strip()) for x in pieces]
    return [x for x in pieces if x]


def _within(paras: list[Paragraph], p: Paragraph, ancestor: int) -> bool:
    """``p`` is an item under the paragraph ``ancestor``."""
    q = p
    while q.parent is not None:
        if q.parent == ancestor:
            return True
        q = paras[q.parent]
    return False


def _directive_context(paras: list[Paragraph], p: Paragraph, doc_type: str | None) -> bool:
    if doc_type in ("Quyết định", "Chỉ thị", "Kế hoạch", "Công điện", "Nghị quyết", "Thông tư"):
        return True
    q = p
    while q.parent is not None:
        q = paras[q.parent]
        if _DIRECTIVE.search(q.content[:150]):
            return True
    return False


def _in_fact_section(paras: list[Paragraph], p: Paragraph, memo: dict[int, bool] | None = None) -> bool:
    """``p`` lies under a heading of background (a fact section). ``memo`` keeps the answer for
    each heading's items by the heading's index, for the document: every paragraph asks about
    its chain of headings, walked once instead of once a paragraph (issue 15)."""
    if p.parent is None:
        return False
    if memo is None:
        memo = {}
    found = memo.get(p.parent)
    if found is None:
        q = paras[p.parent]
        found = memo[p.parent] = _is_fact_heading(q.content[:80]) or _in_fact_section(paras, q, memo)
    return found


@lru_cache(maxsize=1024)
def _is_fact_heading(head: str) -> bool:
    # cached: every paragraph under a heading asks about the same heading
    return _FACT_SECTION.search(head) is not None


LABEL_FILE = "task_labels.toml"


@dataclass(frozen=True)
class LabelField:
    """One labelled field of a duty ("- Cơ quan thực hiện: Sở Nội vụ"): its role, rule and value."""

    role: str
    rule_id: str
    value: str


@lru_cache(maxsize=1)
def _label_rules() -> tuple[regex.Pattern[str], dict[str, tuple[str, str]]]:
    """rules/task_labels.toml as one pattern: a label at the start of a text or after ".", ";" or a
    dash inside it, then ":"; each rule's label in a group of its own (``g0``, ``g1`` …)."""
    macros = load_table(LABEL_FILE).get("macros", {})
    groups, roles = [], {}
    for i, r in enumerate(load_rules(LABEL_FILE)):
        grammar = r["grammar"]
        for _ in range(3):
            for k, v in macros.items():
                grammar = grammar.replace("{" + k + "}", v)
        groups.append(f"(?P<g{i}>{grammar})")
        roles[f"g{i}"] = (r["role"], r["id"])
    pat = regex.compile(r"(?i)(?:^|(?<=[.;])\s*|\s[-–+]\s*|^[-–+]\s*)(?:" + "|".join(groups) + r")\s*:\s*")
    return pat, roles


@lru_cache(maxsize=1)
def _label_last_words() -> tuple[str, ...]:
    """The words a label ends with (rules/task_labels.toml [prefilter]), lower case."""
    return tuple(w.lower() for w in load_table(LABEL_FILE)["prefilter"]["last_words"])


def _may_hold_label(text: str) -> bool:
    """A colon stands after one of the words a label ends with (white space between them): where
    none does, no label of rules/task_labels.toml is in ``text`` (issue 15: the label pattern is
    not run over every paragraph with a colon)."""
    words = _label_last_words()
    i = text.find(":")
    while i >= 0:
        j = i
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if text[max(0, j - 8):j].lower().endswith(words):
            return True
        i = text.find(":", i + 1)
    return False


def label_of(text: str) -> LabelField | None:
    """The label a whole line is ("Thời gian hoàn thành: Trong tháng 8/2025"), or None.

    >>> label_of("- Cơ quan thực hiện: Sở Nội vụ.")
    LabelField(role='lead', rule_id='label-lead', value='Sở Nội vụ')
    """
    head, fields = split_labels(text)
    return fields[0] if fields and not head else None


def split_labels(text: str) -> tuple[str, list[LabelField]]:
    """A duty's own words and the labelled fields run into it (rules/task_labels.toml).

    >>> split_labels("Rà soát các đơn vị. - Cơ quan thực hiện: Sở Nội vụ. - Thời gian hoàn thành: Trong tháng 8/2025")[1][1].value
    'Trong tháng 8/2025'
    """
    if ":" not in text or not _may_hold_label(text):
        return text, []
    pat, roles = _label_rules()
    hits = [m for m in pat.finditer(text)]
    if not hits:
        return text, []
    fields = []
    for k, m in enumerate(hits):
        end = hits[k + 1].start() if k + 1 < len(hits) else len(text)
        g = next(name for name, v in m.groupdict().items() if v is not None and name in roles)
        role, rid = roles[g]
        value = text[m.end():end].strip(" .;,-–+")
        if value:
            fields.append(LabelField(role, rid, value))
    return text[:hits[0].start()].rstrip(" -–+"), fields


def _labelled_items(paras: list[Paragraph]) -> tuple[dict[int, tuple[str, list[LabelField], int]], set[int]]:
    """Labelled fields by the item they belong to, and the paragraphs that are only labels.

    A label line ("- Cơ quan thực hiện: Sở X") belongs to the item written just before it; labels
    run into an item's own text belong to that item (a web copy that lost its line breaks). Each
    item's entry is (its own words, its fields, where its last label ends)."""
    fields: dict[int, tuple[str, list[LabelField], int]] = {}
    label_only: set[int] = set()
    owner: int | None = None
    for p in paras:
        if p.footnote or p.quoted:
            continue
        head, found = split_labels(p.content)
        if not found:
            owner = p.index
            continue
        if head:
            fields[p.index] = (head, found, p.span.end)
            owner = p.index
        elif owner is not None and paras[owner].kind is not None and p.kind in ("dash", "plus", None):
            old = fields.get(owner, (paras[owner].content, [], paras[owner].span.end))
            fields[owner] = (old[0], old[1] + found, p.span.end)
            label_only.add(p.index)
    return fields, label_only


def _apply_labels(drafts: list[_Draft], p: Paragraph, head: str, found: list[LabelField]) -> list[_Draft]:
    """The drafts of an item with labelled fields: the label names who leads (it wins over a lead
    inherited from a heading), who co-operates and by when; the action is the item's own words."""
    lead = "; ".join(f.value for f in found if f.role == "lead")
    coords = [c for f in found if f.role == "coordinators" for c in split_bodies(f.value)]
    when = " ".join(f.value for f in found if f.role == "deadline")
    if not drafts and lead:
        act = _clean(_cut_quote(head))
        if len(act.split(None, 1)) < 2:
            return []
        drafts = [_Draft(lead, act, "labelled-item", p)]
    out = []
    for d in drafts:
        if lead:
            d.lead, d.rule_id = lead, "labelled-item"
        d.coordinators = [*d.coordinators, *[c for c in coords if c not in d.coordinators]]
        d.deadline_text = d.deadline_text or when or None
        out.append(d)
    return out


def _full_name(lead: str, header: Header) -> str:
    """A body the document sets up, written short ("Hội đồng" for the "Hội đồng An toàn, vệ sinh lao
    động tỉnh Lâm Đồng" its subject line names): the full name (rules/task_clauses.toml short_names).

    >>> _full_name("Hội đồng", Header(subject="Thành lập Hội đồng An toàn, vệ sinh lao động tỉnh Lâm Đồng"))
    'Hội đồng An toàn, vệ sinh lao động tỉnh Lâm Đồng'
    """
    if not header.subject or fold(lead) not in _short_names():
        return lead
    m = _rx.search(r"(?i)(?<!\w)" + regex.escape(lead) + r"\s+\S.*$", header.subject)
    return m.group(0).strip(" .;") if m else lead


@cache
def _short_names() -> frozenset[str]:
    return frozenset(fold(w) for w in _words("short_names"))


def _inherited_deadline(paras: list[Paragraph], p: Paragraph, memo: dict[int, str | None]) -> str | None:
    """A deadline given to a whole section ("2. Trong tháng 8/2025, các sở thực hiện:" / "II. NHIỆM VỤ
    HOÀN THÀNH TRONG QUÝ I/2026"): the text of the nearest heading or lead-in above ``p`` that
    names one, for its items that name none of their own. ``memo`` keeps each heading's answer
    for the document (every item under it asks)."""
    if p.parent is None:
        return None
    if p.parent not in memo:
        q = paras[p.parent]
        c = q.content
        own = None
        # a deadline has a number in it, or is a recurrence ("định kỳ", "hằng quý"): the grammar runs
        # only on such headings
        if (c.rstrip().endswith(":") or not _END_PUNCT.search(c)) and (
                any(map(str.isdigit, c)) or _PERIODIC.search(c)) and any(
                x.date or x.rule.recurrence for x in find_deadline_phrases(c)):
            own = c
        memo[p.parent] = own or _inherited_deadline(paras, q, memo)
    return memo[p.parent]


def extract_tasks(seg: Segments, header: Header, sections: list[Section]) -> list[Task]:
    """Tasks the document places on named bodies, in reading order.

    ``sections`` is accepted for the pipeline's signature; the paragraph tree is rebuilt from
    ``seg`` (cached), which also gives dash items their numbered parent.

    >>> from pipeline.models import Segments, Header
    >>> t = "1. Giao Sở Y tế rà soát hồ sơ trước ngày 05/11/2025."
    >>> [(x.lead, x.section, x.deadline.date) for x in extract_tasks(Segments(text=t, body=t), Header(), [])]
    [('Sở Y tế', '1', '2025-11-05')]
    """
    paras = parse_paragraphs(seg)
    ref = _ref_date(seg, header)
    drafts: list[_Draft] = []
    leadin: dict[float, tuple[str, int]] = {}        # rank -> (lead a lead-in names, its paragraph)
    sibling: dict[int | None, tuple[str, int]] = {}  # parent -> (lead of the last task among its items, paragraph)
    detailed: tuple[_Draft, int] | None = None  # a duty ending "…, trong đó:" and its paragraph
    labelled, label_only = _labelled_items(paras)
    section_deadlines: dict[int, str | None] = {}  # heading paragraph -> the deadline it gives its items
    fact_sections: dict[int, bool] = {}  # heading paragraph -> its items are background (_in_fact_section)
    parents = frozenset(q.parent for q in paras if q.parent is not None and q.kind in NUMBERED)
    for p in paras:
        if p.footnote or p.quoted or p.index in label_only:
            continue
        lab = labelled.get(p.index)
        if lab:  # the item's own words, its labels apart: a label never becomes the action
            p = replace(p, text=(p.marker + " " if p.marker else "") + lab[0], span=Span(p.span.start, lab[2]))
        if detailed and _within(paras, p, detailed[1]):
            # "- Chủ trì … giải phóng mặt bằng các đoạn tuyến …, trong đó:" / "+ Đối với dự án …: …": the
            # items detail the one duty (gold: one task), they are no duties of their own
            d = detailed[0]
            d.action = d.action.rstrip(" :") + ": " + " ".join(q.content for q in [p])
            continue
        detailed = None
        rank = float(p.rank) if p.kind else (paras[p.parent].rank + 0.5 if p.parent is not None else -1.0)
        for r in [r for r in leadin if r >= rank]:
            del leadin[r]
        content = p.content
        a = _analyse(content)
        if _in_fact_section(paras, p, fact_sections):
            # background, except the issuer's own proposal to its superior, wherever it stands
            span = _scan_body(a, 0) or _embedded_span(a)
            proposal = _issuer_proposal(a, span, header, p) if span else None
            drafts.extend([proposal] if proposal else [])
            continue
        ctx_entry = leadin[max(leadin)] if leadin else None
        sib = sibling.get(p.parent)
        if ctx_entry and sib and sib[1] > ctx_entry[1] and p.kind is not None and not (
                ctx_entry[1] == p.parent or paras[ctx_entry[1]].parent == p.parent):
            ctx_entry = sib  # the previous item named a body after the lead-in did: it is nearer
        ctx = ctx_entry[0] if ctx_entry else None
        made: list[_Draft] = []
        new_leadin: str | None = None

        triggers = _trigger_spans(a)
        if triggers:
            bounds = [m.start for m, _ in triggers] + [len(content)]
            for k, (m, (s, e)) in enumerate(triggers):
                lead = content[s:e]
                action = content[e:bounds[k + 1]]
                if _is_issuer(lead, header) and m.rule_id != "request-kinh-trinh" and _said_by_other(content, m.start):
                    # "Văn phòng UBND tỉnh đề nghị Sở Nội vụ xem xét …" in a letter of Sở Nội vụ: what
                    # another body asked of the issuer, the background of its answer (gold 3367, 1925)
                    continue
                action = _cut_quote(action)
                act = _clean(action)
                if not act or (_GENERIC_LEADIN.match(act) and (action.rstrip().endswith(":") or "sau" in act)) or (
                        action.rstrip().endswith(":") and len(_ADVERBIAL.sub("", act + ", ").split()) <= 4):
                    new_leadin = lead
                    continue
                if action.rstrip().endswith(":"):
                    new_leadin = lead
                    obj = _object_leadin(act)
                    if obj:
                        new_leadin = obj[0]
                        if not obj[1]:
                            continue
                made.append(_Draft(lead, act, m.rule_id, p,
                                   optional=bool(_entries()[m.rule_id].get("optional"))))
        else:
            made, new_leadin = _untriggered(a, p, paras, ctx, sib[0] if sib else None, header, parents)
        if not new_leadin and content.rstrip().endswith(":") and all(d.rule_id == "item-inherits" for d in made):
            # "… và hướng dẫn công chức hải quan giám sát thực hiện như sau:": the body after a lead-in
            # verb inside the sentence acts in the items below
            hits = list(_EMBEDDED_OBJECT_VERB.finditer(content))
            tail = _clean(content[hits[-1].end():]) if hits else ""
            obj = _object_leadin(tail) if tail else None
            verb = _OBJECT_LEADIN.match(tail) if tail and not obj else None
            end = _GENERIC_TAIL.search(tail) if verb else None
            if obj:
                new_leadin = obj[0]
            elif verb and end and _starts_body(tail[verb.end():end.start()]):
                new_leadin = tail[verb.end():end.start()]  # a role named with its verb ("… giám sát")
            if new_leadin:
                made = []  # the sentence opens the items below: they hold the duties
        if lab:
            made = _apply_labels(made, p, lab[0], lab[1])
        for d in made:
            d.deadline_text = d.deadline_text or _inherited_deadline(paras, p, section_deadlines)
        if new_leadin:
            leadin[rank] = (_clean(new_leadin), p.index)
        if made:
            sibling[p.parent] = (made[-1].lead, p.index)
            if _DETAILED.search(content):
                detailed = (made[-1], p.index)
        drafts.extend(made)
    urgent = bool(header.urgency and _URGENT.search(header.urgency))
    memo: dict[Any, Any] = {}  # the document's leads and bodies, for _finish
    tasks = [t for d in drafts for t in _finish(d, ref, urgent, header, memo)]
    # --- T1 (issue 10): duties written as table rows, merged in reading order; sentence tasks
    # found inside those tables dropped (pipeline/extract/task_tables.py) ---
    from .task_tables import merge_table_tasks
    merged = merge_table_tasks(tasks, seg, header, sections)
    return [with_body_keys(t, header) for t in merged]  # T2: every body as an identity key
    # --- end T1 ---




def _issuer_proposal(a: _Analysis, span: tuple[int, int], header: Header, p: Paragraph) -> _Draft | None:
    """"Sở Nội vụ đề xuất Chủ tịch Ủy ban nhân dân tỉnh thống nhất gia hạn …" in the Sở's own
    letter: the issuer asks its superior to act, a task of the superior (gold 3367, 2.b)."""
    content = a.text
    if not _is_issuer(content[span[0]:span[1]], header):
        return None
    prop = _PROPOSES.match(content[span[1]:])
    if not prop:
        return None
    target = _scan_body(a, span[1] + prop.end())
    if target is None or _leading_verb(a, target[1]) is None:
        return None
    rest = content[target[1]:]
    end = _rx.search(r"\.\s+(?=\p{Lu})", rest)  # the proposal's own sentence: what follows is the issuer's next step
    act = _clean(_cut_quote(rest[:end.start()] if end else rest))
    return _Draft(content[target[0]:target[1]], act, "issuer-proposes", p)


def _enacts_itself(rest: str, header: Header) -> bool:
    """"Bộ trưởng Bộ Tư pháp ban hành Thông tư …" in a Thông tư: the enacting formula of the
    document itself, not a duty (vbpl Thông tư preambles)."""
    m = _ENACTS.match(rest)
    if not m or not header.type:
        return False
    return fold(m.group(1)).startswith(fold(header.type))


def _said_by_other(content: str, pos: int) -> bool:
    """The request at ``pos`` has its own speaker in its sentence ("UBND tỉnh giao …", "Công văn số
    … của Văn phòng đề nghị …"), not the letter's voice ("Giao Sở Nội vụ …" opening an item)."""
    head = content[:pos]
    cut = max(head.rfind(". "), head.rfind("; "), head.rfind(": "))
    head = head[cut + 2:] if cut >= 0 else head
    head = _SPEAKER_CONNECTOR.sub("", head)
    return bool(head.strip())


def _object_leadin(act: str) -> tuple[str, bool] | None:
    """"tham mưu Chủ tịch UBND tỉnh các nội dung sau:" / "hướng dẫn Chi cục … thực hiện nội dung
    sau:": the body after the verb acts in the items below. Returns (that body, whether the
    sentence is itself a duty: a proposal to a superior is not)."""
    m = _OBJECT_LEADIN.match(act)
    if not m:
        return None
    a = _analyse(act)
    span = _scan_body(a, m.end())
    if span is None or not _REST_GENERIC.match(act[span[1]:]):
        return None
    proposal = _PROPOSAL_VERB.match(m.group("verb")) is not None
    return act[span[0]:span[1]], not proposal


@lru_cache(maxsize=4096)
def _quotations(text: str) -> tuple[tuple[int, int], ...]:
    """Quotations of another document in ``text`` as (start, end); a quoted title ("Phong trào thi
    đua “Đẩy mạnh cải cách hành chính …”") is a name, not a quotation."""
    return tuple([(q.start(), q.end()) for q in _QUOTE.finditer(text)
                  if not _NAMED_BY_QUOTE.search(text[max(0, q.start() - 40):q.start()])])


def _cut_quote(action: str) -> str:
    """The action without a quotation of another document and without the warning that follows
    it ("… chậm nhất ngày 31/12/2024. Quá thời hạn này, … sẽ xem xét xử lý": the issuer's next step)."""
    q = _quotations(action)
    if q and q[0][0] > 10:
        action = action[:q[0][0]]
    c = _CONSEQUENCE.search(action)
    if c and c.start() > 10:
        action = action[:c.start()]
    return action


def _untriggered(a: _Analysis, p: Paragraph, paras: list[Paragraph], ctx: str | None,
                 prev_lead: str | None, header: Header,
                 parents: frozenset[int] = frozenset()) -> tuple[list[_Draft], str | None]:
    """A paragraph without a request trigger: "X: làm gì", "X có trách nhiệm…", a lead-in, or an
    item that opens with a verb under a lead-in (it inherits the lead)."""
    content = a.text
    if not content or _CLOSING.match(content) or _MEMBER.match(content):
        return [], None
    if p.kind in NUMBERED and ";" in content and not _END_PUNCT.search(content) and all(
            _starts_body(x) for x in content.split(";") if x.strip()):
        # "8. Các sở, ban, ngành; UBND các xã, phường, đặc khu; các cơ quan, đơn vị có liên quan": a
        # heading that only names who acts in the items below
        return [], content
    # "Đối với X:" / "Trách nhiệm của X:" name who acts in the items below
    # the colon first: the prefix is read only where a lead-in can stand
    if content.rstrip().endswith(":") and (pre := _LEAD_IN_PREFIX.match(content)):
        span = _scan_body(a, pre.end())
        if span:
            return [], content[span[0]:span[1]]
    span = _scan_body(a, 0)
    execute = _EXECUTES.match(content)
    if execute and len(execute.group(1).split()) <= 80 and (span is not None or (a.words and _body_at(a, a.words[0][0]))):
        # "Chánh Văn phòng …, Giám đốc …, các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành …":
        # the closing article names everyone before the formula
        span = (0, execute.end(1))
    if span is not None:
        lead = content[span[0]:span[1]]
        rest = content[span[1]:]
        if _FUNCTION.match(rest) and not _is_issuer(lead, header):
            # "Hội đồng … có chức năng, nhiệm vụ tư vấn …, cụ thể:": what the body is for (optional);
            # the items below list subjects, not duties
            act = _clean(_cut_quote(_FUNCTION_WORDS.sub("", rest)))
            act = _SPECIFICALLY_END.sub("", act)
            return [_Draft(lead, act, "function-statement", p, optional=True)], None
        if (_DUTY_ROLE.match(rest) or (_ASSIGNED.match(rest) and _directive_context(paras, p, header.type))) \
                and not _is_issuer(lead, header):
            # "Sở Nội vụ là cơ quan thường trực của Hội đồng …", "X được giao chủ trì …": the role is the duty
            return [_Draft(lead, _clean(_cut_quote(rest)), "duty-role", p)], None
        if p.kind and content.rstrip().endswith(":") and ":" not in content.rstrip()[:-1] and not _FACT_AFTER.match(rest):
            return [], lead  # "a) Bộ Nội vụ, cơ quan chủ trì triển khai Đề án:" names who acts below
        if _rx.match(r"\s*:", rest):
            after = rest.split(":", 1)[1].strip()
            if not after:
                return [], lead
            aa = _analyse(after)
            if not any(m.label in ("VERB", "DUTY") for m in aa.matches if _word_index(aa, m.start) < 8):
                return [], None  # "Thành phần: Các Phó Thủ tướng: Trần Hồng Hà, …" lists people, not duties
            return [_Draft(lead, _clean(_cut_quote(after)), "item-body-colon", p)], None
        if not rest.strip(" .;"):
            return ([], lead) if p.kind else ([], None)
        verb = _leading_verb(a, span[1])
        field = _rx.match(r"\s*(\w+(?:\s+\w+){0,3})\s*:\s*(?=\p{Lu})", rest)
        if field and not any(m.label in ("VERB", "DUTY") for m in _analyse(rest[field.end():]).matches):
            return [], None  # "Cơ quan gửi báo cáo: Ngân hàng Chính sách xã hội": a form's field, not a duty
        proposal = _issuer_proposal(a, span, header, p)
        if proposal:
            return [proposal], None
        reports = _REPORTS.match(rest) is not None
        if reports and (ctx or p.kind in ("arabic", "letter", "paren", "dash", "plus")) and _directive_context(paras, p, header.type):
            reports = False  # "1. Bộ Công an báo cáo kết quả …" under "đề nghị:" is a duty, not a report
        if verb is None or (_FACT_AFTER.match(rest) and not (_REPORTS.match(rest) and not reports)) \
                or _is_issuer(lead, header) or _enacts_itself(rest, header):
            return [], None
        duty = verb.label == "DUTY" or _DUTY_ADVERB.match(rest)
        if duty or ctx or _directive_context(paras, p, header.type):
            act = _clean(_cut_quote(rest))
            if rest.rstrip().endswith(":") and (_GENERIC_LEADIN.match(act.rstrip(":")) or len(
                    _ADVERBIAL.sub("", act + ", ").split()) <= 4):
                return [], lead  # "X theo chức năng, nhiệm vụ chịu trách nhiệm:" names who acts below
            if p.kind in ("roman", "arabic", "letter", "paren") and not _END_PUNCT.search(content) and len(act.split(None, 3)) <= 3:
                return [], lead  # "3.9. Chủ tịch UBND cấp xã chỉ đạo" heads the items below it
            obj = _object_leadin(act) if rest.rstrip().endswith(":") else None
            if obj:
                return ([_Draft(lead, act, "subject-verb", p)] if obj[1] else []), obj[0]
            return [_Draft(lead, act, "subject-verb", p)], None
        return [], None
    verb0 = _leading_verb(a, 0)  # the verb opening the paragraph (asked up to four times below)
    # "Từ các nội dung trên, Sở Nội vụ tham mưu Chủ tịch UBND tỉnh các nội dung sau:" names who acts below
    if content.rstrip().endswith(":") and verb0 is None:
        span = _embedded_span(a)
        obj = _object_leadin(_clean(content[span[1]:])) if span else None
        if span and obj:
            lead = content[span[0]:span[1]]
            return ([_Draft(lead, _clean(content[span[1]:]), "clause-subject", p)] if obj[1] else []), obj[0]
    # "Căn cứ Kế hoạch này, các cơ quan, đơn vị … xây dựng …": the subject after an opening clause
    if ctx is None and (verb0 is None or _SITUATION.match(content)) and not _FACT_SECTION.match(content):
        span = _embedded_span(a)
        proposal = _issuer_proposal(a, span, header, p) if span else None
        if proposal:
            return [proposal], None
        if span and (_directive_context(paras, p, header.type) or _DUTY_ADVERB_OR_RESPONSIBLE.match(content[span[1]:])):
            lead = content[span[0]:span[1]]
            if not _is_issuer(lead, header):
                head = content[:span[0]]
                head = head[head.rfind(". ") + 2:] if ". " in head else head  # only the subject's own sentence
                keep = "" if _BASIS_OPENING.match(head) else head
                rest = _clean(content[span[1]:])
                if content.rstrip().endswith(":") and (_GENERIC_LEADIN.match(rest) or len(
                        _ADVERBIAL.sub("", rest + ", ").split()) <= 2):
                    return [], lead  # "Căn cứ kết quả …, Chủ tịch UBND tỉnh chỉ đạo:" opens the items below
                obj = _object_leadin(rest) if content.rstrip().endswith(":") else None
                if obj:  # "Từ các nội dung trên, Sở Nội vụ tham mưu Chủ tịch UBND tỉnh các nội dung sau:"
                    return ([_Draft(lead, rest, "clause-subject", p)] if obj[1] else []), obj[0]
                return [_Draft(lead, _clean(_cut_quote(keep + content[span[1]:])), "clause-subject", p)], None
    # an item opening with a verb inherits who must act
    inherited = ctx or (prev_lead if p.kind in ("dash", "plus", "letter", "paren", "arabic") else None)
    if inherited is None:
        return [], None
    body = content
    sit = _SITUATION_PREFIX.match(content)
    start = sit.end() if sit else 0
    verb = _leading_verb(a, start) if start else verb0
    if verb is None and ctx is not None and not content.rstrip().endswith(":") and (
            p.kind in ("dash", "plus", "letter", "paren", "arabic") or _SITUATION.match(content)):
        # an item under a lead-in: "- Sau khi …, công chức hải quan kiểm tra …" is still its duty
        verb = next((m for m in a.matches if m.label in ("VERB", "DUTY") and a.text[m.start].islower()), None)
    if verb is None and content.rstrip().endswith(":") and (p.kind or _SITUATION.match(content)):
        span = _embedded_span(a)
        if span is not None and not _is_issuer(content[span[0]:span[1]], header) and not (
                _FACT_AFTER.match(content[span[1]:]) or _PAST_MARKER.search(content[span[1]:span[1] + 30])):
            # "10. Trường hợp … Nếu …, thì Chi cục Hải quan nơi lưu giữ hàng hóa kiểm tra … và xử lý như
            # sau:": the body named in the condition's main clause acts here and in the items below
            lead = content[span[0]:span[1]]
            rest = _clean(content[span[1]:])
            if _GENERIC_LEADIN.match(rest) or len(_ADVERBIAL.sub("", rest + ", ").split()) <= 4:
                return [], lead
            head = content[:span[0]]
            cond = list(_CONDITION_WORD.finditer(head))
            head = head[cond[-1].start():] if cond else ""
            head = _THEN_END.sub(" thì " if cond else "", head, count=1)
            return [_Draft(lead, _clean(_cut_quote(head + rest)), "item-own-subject", p)], lead
    if verb is None or (start == 0 and not content[:1].isupper() and p.kind is None):
        return [], None
    if p.kind is None and ctx is None:
        return [], None
    if p.kind in ("roman", "arabic", "letter", "paren") and not _END_PUNCT.search(content) and (
            len(content.split(None, 10)) <= 10 or (p.index in parents and len(content.split(None, 25)) <= 25)):
        # "1. Căn cứ pháp lý liên quan", "9. Kiểm tra thực tế hàng hóa vắng mặt người khai hải quan" over
        # its 9.1, 9.2: a heading, not a duty
        return [], None
    act = _clean(_cut_quote(body))
    if not act or act.endswith(":") and len(act.split(None, 3)) < 4:
        return [], None
    own = _embedded_subject(a) if verb0 is None or _SITUATION.match(content) else None
    if own:
        # "10. Trường hợp …, thì Chi cục Hải quan nơi lưu giữ hàng hóa kiểm tra … và xử lý như sau:"
        # names who acts in the items below as well
        return [_Draft(own, act, "item-own-subject", p)], (own if content.rstrip().endswith(":") else None)
    return [_Draft(inherited, act, "item-inherits", p)], None


def _embedded_subject(a: _Analysis) -> str | None:
    span = _embedded_span(a)
    return a.text[span[0]:span[1]] if span else None


_PASSIVE_AGENT = _Clause("passive-agent")


def _embedded_span(a: _Analysis) -> tuple[int, int] | None:
    """"Căn cứ …, Chi cục Hải quan nơi đang lưu giữ hàng hóa thực hiện …": the body named after
    the opening clause acts (a capitalised name or "các …"; "công chức hải quan" stays with its office).

    Kept on the analysis (a pure function of it, asked up to four times a paragraph)."""
    if "embedded" not in a.memo:
        a.memo["embedded"] = _embedded_span_uncached(a)
    return a.memo["embedded"]


def _embedded_span_uncached(a: _Analysis) -> tuple[int, int] | None:
    # after the comma that closes the opening clause, or after "thì" ("Nếu …, thì Chi cục … kiểm tra")
    for m in _CLAUSE_SUBJECT_START.finditer(a.text[:500]):
        clause = a.text[:m.start()]
        clause = clause[max(clause.rfind(". "), clause.rfind("; ")) + 1:]
        if _PASSIVE_AGENT.search(clause):
            continue  # "Phiên họp do Thủ tướng …, Trưởng Ban Chỉ đạo chủ trì": the agent of a passive
        span = _scan_body(a, m.end())
        if span and _leading_verb(a, span[1]) is not None and not _FACT_AFTER.match(a.text[span[1]:]) or (
                span and _REPORTS_TO_BODY.match(a.text[span[1]:])):
            return span  # "…, các cơ quan, đơn vị báo cáo Bộ Tài chính" is a duty, not a report's own voice
    return None


def _is_issuer(name: str, header: Header) -> bool:
    """The document's own issuer ("UBND tỉnh Lâm Đồng ban hành Kế hoạch…") assigns itself nothing."""
    return _is_issuer_of(name, header.issuer, header.issuer_text)


@lru_cache(maxsize=4096)
def _is_issuer_of(name: str, issuer: str | None, issuer_text: str | None) -> bool:
    # cached: a pure function of the name and the header's issuer, asked of every body a letter
    # names, often the same ones (the issuer's expansion and fold were redone on each call)
    f = fold(expand_abbreviations(name))
    if not f:
        return False
    # issuer_text may hold both levels ("UBND TỈNH LÂM ĐỒNG / SỞ NỘI VỤ"): the issuer is the last
    for x in (issuer, (issuer_text or "").split("/")[-1]):
        if not x:
            continue
        g = fold(expand_abbreviations(x))
        if f == g:
            return True
        # "UBND tỉnh" in a letter of UBND tỉnh Lâm Đồng; "Sở Nội vụ tỉnh Lâm Đồng" in a letter of Sở Nội vụ
        short, full = (f, g) if len(f) < len(g) else (g, f)
        if full.startswith(short + " ") and (_ADMIN_LEVEL.search(short) or _ADMIN_LEVEL.match(full[len(short) + 1:])):
            return True
    return False







def _strip_lead_paren(action: str) -> str:
    """The action without a parenthesis that opens it (nested ones included)."""
    text = action.lstrip()
    if not text.startswith("("):
        return action
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return text[i + 1:].lstrip(" ,")
    return action


def with_body_keys(task: Task, header: Header | None = None) -> Task:
    """The task with the identity key of each body it names (resolve.body_key), resolved with the
    letter's province and date: what `tasks --assignee` and the overdue view match and group on.

    >>> with_body_keys(Task(lead="Giám đốc Sở Tài chính", action="rà soát", assignees=("Giám đốc Sở Tài chính",))).lead_key
    'so tai chinh'
    """
    if task.lead_key is not None or not (task.lead or task.assignees):
        return task
    return replace(task, **_body_keys(task.lead, task.assignees, task.coordinators, task.report_to, header))


def _body_keys(lead: str | None, assignees: tuple[str, ...], coordinators: tuple[str, ...], report_to: str | None,
               header: Header | None, memo: dict[Any, Any] | None = None) -> dict[str, Any]:
    """The identity keys of a task's bodies (with_body_keys), as Task fields. ``memo`` keeps each
    name's key for the document (the same bodies are named by task after task)."""
    if memo is None:
        memo = {}

    def key(name: str | None) -> str:
        k = memo.get(name)
        if k is None:
            k = memo[name] = body_key(name, header)
        return k

    # the lead's own bodies open the assignees (lead first): split the lead only where none are listed
    own = list(assignees[:1]) or (split_bodies(lead) if lead else [])
    keys = [key(a) for a in assignees] or [key(b) for b in own]
    return {"lead_key": key(own[0]) if own else None,
            "assignee_keys": tuple(dict.fromkeys(k for k in keys if k)),
            "coordinator_keys": tuple(dict.fromkeys(k for c in coordinators if (k := key(c)))),
            "report_to_key": key(report_to) or None}


_new = object.__new__
_set = object.__setattr__


@lru_cache(maxsize=1)
def _task_defaults() -> tuple[dict[str, Any], tuple[str, ...]]:
    """Task's fields in order with their defaults, and the fields whose default is made by a factory."""
    import dataclasses

    defaults: dict[str, Any] = {}
    factories = []
    for f in dataclasses.fields(Task):
        defaults[f.name] = None if f.default is dataclasses.MISSING else f.default
        if f.default_factory is not dataclasses.MISSING:
            factories.append(f.name)
    return defaults, tuple(factories)


def _task(**values: Any) -> Task:
    """``Task(**values)`` with its ``__dict__`` filled at once: a frozen dataclass's ``__init__``
    sets its twenty fields one ``object.__setattr__`` at a time (issue 15). The same object, its
    fields in the same order (tests/test_tasks_speed3.py); a field made by a factory must be given."""
    defaults, factories = _task_defaults()
    for name in factories:
        if name not in values:
            raise TypeError(f"_task needs {name}")
    task = _new(Task)
    _set(task, "__dict__", {**defaults, **values})
    return task


def _finish(d: _Draft, ref: str | None, urgent: bool = False, header: Header | None = None,
            memo: dict[Any, Any] | None = None) -> Iterable[Task]:
    """The tasks of a draft. ``memo`` keeps, for the document, what depends only on a lead or a
    body's name (drafts share their leads: issue 15)."""
    if memo is None:
        memo = {}
    action = d.action
    if "(*" in action:  # the only place the pattern can match
        action = _rx.sub(r"\s*\(\*[^)]*\*\)", "", action)  # "(*theo yêu cầu của … *)": an aside
    action = _strip_lead_paren(action)  # "Đề nghị Ban chấp hành … (tại Quyết định số …), căn cứ …, khẩn trương …"
    action = _CITED_BASIS.sub("", action)
    if _PAST.match(action) or _FULFILLED.search(action) or _LIABILITY.match(action) or _MEMBER.match(action):
        return  # what was done is background, a liability clause or a member named: not a duty
    stripped = _ADVERBIAL.sub("", action)
    action = _ADVERBIAL_TAIL.sub("", stripped) if stripped != action else action
    lead_of = memo.get(("lead", d.lead))
    if lead_of is None:
        lead = _clean(_LEAD_HONORIFIC.sub("", d.lead))
        lead = lead[:1].upper() + lead[1:]
        if header is not None:
            lead = _full_name(lead, header)
        # its bodies (split once: a pure function of the lead) and whether one body answers for it
        lead_of = memo[("lead", d.lead)] = (lead, tuple(split_bodies(lead)),
                                            bool(lead) and not _GROUP.search(lead) and "," not in lead)
    lead, own, responsible = lead_of
    keys_memo = memo.setdefault("keys", {})
    for piece in _split_by_deadlines(action, ref):
        act, coords = _extract_partners(piece)
        coords += [c for c in d.coordinators if c not in coords]
        act = _clean(act)
        if len(act.split(None, 1)) < 2:
            continue  # "chỉ đạo:" alone names no duty
        act = act[:1].lower() + act[1:] if not _TWO_CAPITALS.match(act) else act
        dl = parse_deadline(piece, ref) or Deadline()
        if d.deadline_text and not (dl.date or dl.text or dl.recurrence):
            dl = parse_deadline(d.deadline_text, ref) or Deadline(text=d.deadline_text, rule_id="label")
        if dl.rule_id == "urgent" or (dl.urgent and not dl.text):
            dl = Deadline(urgent=True, rule_id="urgent")
        if urgent and not dl.urgent:
            dl = replace(dl, urgent=True)  # a HỎA TỐC / KHẨN letter: every duty in it is urgent
        assignees = (*own, *[c for c in coords if c not in own])
        report_to = _report_to(piece)
        result = _result(act)
        opt = _is_optional(act)
        complete = {
            "who": bool(lead),
            "what": len(act.split(None, 2)) >= 3,
            "when": bool(dl.date or dl.recurrence or dl.relative_days is not None),
            "result": result is not None,
            "responsibility": responsible,
        }
        coords_t = tuple(coords)
        # the bodies' identity keys set here, with the header extract_tasks gives with_body_keys
        # afterwards: the task is built once, not copied again to add them
        keys = _body_keys(lead, assignees, coords_t, report_to, header, keys_memo) \
            if header is not None and (lead or assignees) else {}
        yield _task(lead=lead, action=act, assignees=assignees, coordinators=coords_t,
                    deadline=dl, report_to=report_to, section=d.para.path, result=result,
                    optional=bool(opt) or d.optional, complete=complete, sentence=d.para.text,
                    span=Span(d.para.span.start, d.para.span.end), rule_id=opt or d.rule_id, **keys)
