"""What a package said of a letter, set beside what the letter says of itself.

An edXML envelope (readers/edxml.py) carries the sender's own record of the letter: number,
symbol, date, issuer, subject. Where the text leaves a field blank, the envelope's value is
taken (its ``rule_ids`` entry says ``envelope.edxml``); where both give one and they differ,
the text's value stays, the envelope's is kept in the envelope, and the field is listed in
``review`` as ``envelope.FIELD`` for a person to settle: never silently one or the other.
An e-mail (readers/email.py) gives the day the letter arrived (its Date), unless the
ingest is told another.

A package's other files are the letter's appendices (a Phụ lục often holds the duty table):
``extract_package`` extracts each beside the letter, under the letter's header (its body and
date resolve "UBND tỉnh" and "năm nay"), and joins their duties and citations to the letter's,
each naming its appendix (``"appendix": "phu-luc.docx"``). The stored text is the letter's text
followed by each appendix's, so every span stays an offset into it; the envelope's attachment
entry says where each appendix's text lies (``text_span``), which is how a reprocess, given
only the stored text, cuts them apart again.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import replace
from functools import cache
from typing import Any

from .models import Citation, Extraction, Header, RawDocument, Received, Signer, Span, Task
from .resolve import body_name, fold
from .rules import load_rules

ORGAN_FILE = "organs.toml"
_LEVEL1 = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.([A-Z]\d{2})$")
# subjects that say the same thing in other words or punctuation agree above this ratio
SUBJECT_AGREE = 0.85


@cache
def _organs() -> dict[str, str]:
    return {r["organ_id"].upper(): r["name"] for r in load_rules(ORGAN_FILE)}


def organ_body(organ_id: str | None) -> tuple[str | None, str | None]:
    """(the body with this code, the level-1 body above it) from rules/organs.toml.

    >>> organ_body("000.00.12.H30")
    (None, 'Ủy ban nhân dân tỉnh Hậu Giang')
    """
    if not organ_id:
        return None, None
    key = "".join(organ_id.split()).upper()
    table = _organs()
    m = _LEVEL1.match(key)
    top = f"000.00.00.{m.group(1)}" if m else None
    parent = table.get(top) if top and top != key else None
    return table.get(key), parent


def _number_key(v: str | None) -> str:
    return (v or "").strip().lstrip("0") or (v or "").strip()


def _symbol_key(v: str | None) -> str:
    s = fold(v).replace(" ", "")
    return s


def _same_body(a: str, b: str) -> bool:
    fa, fb = set(fold(body_name(a)).split()), set(fold(body_name(b)).split())
    return bool(fa and fb) and (fa <= fb or fb <= fa)


def _same_subject(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return True
    if fa in fb or fb in fa:
        return True
    return difflib.SequenceMatcher(None, fa, fb).ratio() >= SUBJECT_AGREE


def apply_envelope(header: Header, envelope: dict[str, Any]) -> tuple[Header, dict[str, Any]]:
    """The header with the envelope's values where the text gave none and its disagreements
    in ``review``; the envelope with the sender's registered body and the disagreements.

    >>> h, e = apply_envelope(Header(number="583", symbol="UBND", code="583/UBND"),
    ...                       {"kind": "edxml", "number": "584", "symbol": "UBND", "code": "584/UBND"})
    >>> h.review, e["disagreements"][0]["envelope"]
    (('envelope.number',), '584')
    """
    env = dict(envelope)
    env.pop("disagreements", None)   # a reprocess weighs them again
    kind = env.get("kind")
    review = list(header.review)
    rules = dict(header.rule_ids)
    changes: dict[str, Any] = {}
    disagreements: list[dict[str, Any]] = []
    outer = env.get("via") if isinstance(env.get("via"), dict) else None

    def differ(field: str, theirs: Any, ours: Any) -> None:
        disagreements.append({"field": field, "envelope": theirs, "document": ours})
        review.append(f"envelope.{field}")

    if kind == "edxml":
        tag = "envelope.edxml"
        sender = dict(env.get("from") or {})
        body, parent = organ_body(sender.get("id"))
        if body or parent:
            sender["body"], sender["parent_body"] = body, parent
        env["from"] = sender
        # the sender's name as it wrote it, else the body its code is registered to; the text
        # agrees with the envelope where it names either
        names = [n for n in (body_name(sender["name"]) if sender.get("name") else None, body) if n]
        issuer = names[0] if names else None
        number, symbol, code = env.get("number"), env.get("symbol"), env.get("code")
        if code and not header.code:
            changes.update(number=number, symbol=symbol, code=code)
            for f in ("number", "symbol", "code"):
                rules[f] = tag
        elif code:
            if number and _number_key(number) != _number_key(header.number):
                differ("number", number, header.number)
            if symbol and _symbol_key(symbol) != _symbol_key(header.symbol):
                differ("symbol", symbol, header.symbol)
        for field, theirs, same in (
                ("date", env.get("date"), lambda a, b: a == b),
                ("issuer", issuer, lambda a, b: any(_same_body(n, b) for n in names)),
                ("subject", env.get("subject"), _same_subject)):
            ours = getattr(header, field)
            if not theirs:
                continue
            if not ours:
                changes[field] = theirs
                rules[field] = tag
            elif not same(theirs, ours):
                differ(field, theirs, ours)
        if not header.place and env.get("place"):
            changes["place"], rules["place"] = env["place"], tag
        type_name = (env.get("type") or {}).get("name")
        if not header.type and type_name:
            changes["type"], rules["type"] = type_name, tag
        if parent and not header.parent_body:
            changes["parent_body"] = parent
        signer = env.get("signer") or {}
        if signer.get("name") and not header.signer.name:
            changes["signer"] = Signer(signer["name"], header.signer.title or signer.get("position"),
                                       header.signer.authority)
            rules["signer.name"] = tag
    mail = env if kind == "email" else outer if outer and outer.get("kind") == "email" else None
    if mail and mail.get("received_date"):
        # the day the mail came is the day the letter arrived here (ngày đến)
        stamp = header.received
        changes["received"] = Received(number=stamp.number if stamp else None, date=mail["received_date"])
        rules["received"] = "envelope.email.date"
    if disagreements:
        env["disagreements"] = disagreements
    return replace(header, review=tuple(review), rule_ids=rules, **changes), env


# Between the letter's text and each appendix's in the stored text.
APPENDIX_GAP = "\n\n\n"


def has_appendices(raw: RawDocument) -> bool:
    """A letter that came with appendices: read with it, or cut from a stored text."""
    if raw.appendices:
        return True
    atts = (raw.envelope or {}).get("attachments") or []
    return any(isinstance(a, dict) and a.get("text_span") for a in atts)


def _split_stored(raw: RawDocument) -> tuple[RawDocument, list[tuple[dict[str, Any], RawDocument]]]:
    """A stored text cut back into the letter and its appendices, by the envelope's text spans."""
    env = dict(raw.envelope or {})
    entries = [dict(a) for a in env.get("attachments") or []]
    parts: list[tuple[dict[str, Any], RawDocument]] = []
    first = len(raw.text)
    for entry in entries:
        span = entry.pop("text_span", None)
        if not span:
            continue
        start, end = int(span[0]), int(span[1])
        first = min(first, start)
        parts.append((entry, RawDocument(path=raw.path, format=entry.get("format") or "txt",
                                         sha256=entry.get("sha256") or "", text=raw.text[start:end],
                                         member=entry.get("name"))))
    env["attachments"] = entries
    cut = first - len(APPENDIX_GAP) if raw.text[:first].endswith(APPENDIX_GAP) else first
    main = replace(raw, text=raw.text[:cut], envelope=env, appendices=())
    return main, parts


def _entry_for(entries: list[dict[str, Any]], name: str | None, taken: set[int]) -> dict[str, Any] | None:
    for i, e in enumerate(entries):
        if i not in taken and e.get("role") == "appendix" and e.get("name") == name:
            taken.add(i)
            return e
    return None


def _shift(span: Span | None, by: int) -> Span | None:
    return Span(span.start + by, span.end + by) if span is not None else None


def extract_package(raw: RawDocument, extract_letter: Any) -> Extraction:
    """The letter and its appendices as one Extraction (see the module).

    Args:
        raw: the letter as a reader gave it (``appendices`` set) or as the store kept it (its
            envelope's attachments carrying ``text_span``).
        extract_letter: extracts one document (``pipeline.extract_document``), passed in so that
            this module does not import the pipeline that imports it.
    Returns:
        the letter's Extraction with the appendices' tasks and citations joined (each with
        ``appendix`` set, spans into the joined text), its text the joined text, and the
        envelope's entries saying where each appendix's text is and what came from it.
    """
    from .extract.citations import extract_citations
    from .extract.tasks import extract_tasks
    from .normalize import normalize_document
    from .segment import segment_document
    from .structure import parse_sections

    if raw.appendices:
        apps = [(None, a) for a in raw.appendices]
        main_raw = replace(raw, appendices=())
    else:
        main_raw, parts = _split_stored(raw)
        apps = [(None, a) for _, a in parts]
    ex = extract_letter(main_raw)
    env = dict(ex.raw.envelope or {})
    entries = [dict(a) for a in env.get("attachments") or []]
    for e in entries:
        e.pop("text_span", None)
    text = ex.raw.text
    tasks: list[Task] = list(ex.tasks)
    citations: list[Citation] = list(ex.citations)
    by_code = {c.code: i for i, c in enumerate(citations)}
    own = ex.header.code
    taken: set[int] = set()
    for _, app in apps:
        name = app.member
        a = normalize_document(app)
        seg = segment_document(a)
        start = len(text) + len(APPENDIX_GAP)
        text = text + APPENDIX_GAP + a.text
        found = [replace(t, span=_shift(t.span, start), appendix=name)
                 for t in extract_tasks(seg, ex.header, parse_sections(seg))]
        tasks.extend(found)
        cited = 0
        for c in extract_citations(seg, ex.header):
            if own and c.code == own:
                continue   # "Kèm theo Công văn số …": the appendix names its own letter
            spans = tuple(Span(s.start + start, s.end + start) for s in c.spans)
            if c.code in by_code:
                mine = citations[by_code[c.code]]
                citations[by_code[c.code]] = replace(mine, mentions=mine.mentions + c.mentions,
                                                     spans=mine.spans + spans)
            else:
                by_code[c.code] = len(citations)
                citations.append(replace(c, spans=spans, appendix=name))
            cited += 1
        entry = _entry_for(entries, name, taken)
        if entry is not None:
            entry.update(text_span=[start, len(text)], tasks=len(found), citations=cited)
    env["attachments"] = entries
    joined = replace(ex.raw, text=text, envelope=env, appendices=())
    return replace(ex, raw=joined, tasks=tuple(tasks), citations=tuple(citations))
