"""What a package said of a letter, set beside what the letter says of itself.

An edXML envelope (readers/edxml.py) carries the sender's own record of the letter: number,
symbol, date, issuer, subject. Where the text leaves a field blank, the envelope's value is
taken (its ``rule_ids`` entry says ``envelope.edxml``); where both give one and they differ,
the text's value stays, the envelope's is kept in the envelope, and the field is listed in
``review`` as ``envelope.FIELD`` for a person to settle: never silently one or the other.
An e-mail (readers/email.py) gives the day the letter arrived (its Date), unless the
ingest is told another.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import replace
from functools import cache
from typing import Any

from .models import Header, Received, Signer
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
    if key in table:
        return table[key], None
    m = _LEVEL1.match(key)
    parent = table.get(f"000.00.00.{m.group(1)}") if m else None
    return None, parent


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
