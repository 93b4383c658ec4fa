"""The record a store keeps: an extraction (the EXTRACT.md dict) with what the store needs decided
before it writes, so that the store only keeps and queries and computes nothing of its own.

``make_record`` is a pure step between extraction and the store. It adds (extra keys are allowed
by the contract):

- ``register.received_date``: the day the letter entered the register (the ingest's
  ``--received`` date, else the received stamp on the letter, else today);
- ``document.node_key`` and each citation's ``node_key``: the document's identity in the
  citation graph (code + issuing institution + year, ``extract.citations.citation_key``);
- each task's ``deadline.due_date`` (its own date, else "trong 05 ngày làm việc kể từ ngày nhận
  được văn bản" counted from the received date) and ``deadline.from_received``;
- each task's ``covers``: the addressees of Kính gửi that a group task ("UBND các xã") covers;
- each task's body identities for ``tasks --assignee`` (``task_bodies``): ``coordinator_keys``
  and ``cover_keys`` beside extraction's ``lead_key`` and ``assignee_keys``, ``match_keys`` (every
  key a user's query may resolve to that names one of the task's bodies) and ``names_folded`` (the
  folded names, for a fragment such as "noi vu"), so that the store matches in SQL.

``assignee_query`` is the other half: the user's ``--assignee`` resolved once, before the store.
"""
from __future__ import annotations

import copy
import datetime as dt
from types import SimpleNamespace
from typing import Any


def node_key(code: str, issuer: str | None, date: str | None) -> str:
    """Identity of a document in the graph: code + issuing institution + year, the same for a
    document held and for a citation of it.

    >>> node_key("1313/UBND-NC", "Ủy ban nhân dân tỉnh Quảng Ngãi", "2024-03-14")
    '1313/ubnd-nc|uy ban nhan dan tinh quang ngai|2024'
    """
    from .extract.citations import citation_key
    return citation_key(code, issuer, date)


def is_record(ex: dict[str, Any]) -> bool:
    """True when ``ex`` went through ``make_record`` already."""
    return isinstance(ex.get("register"), dict) and "received_date" in ex["register"]


def make_record(ex: dict[str, Any], received_date: str | None = None,
                today: dt.date | None = None) -> dict[str, Any]:
    """The extraction ``ex`` with the register date, graph keys, due dates and covered
    addressees added (a new dict; ``ex`` is not changed). A record passes through unchanged
    unless ``received_date`` is given (reprocessing keeps a stored letter's received date).

    >>> r = make_record({"document": {"code": "5/UBND", "issuer": "UBND tỉnh Lâm Đồng",
    ...   "date": "2024-02-05"}, "citations": [], "tasks": []}, "2024-02-07")
    >>> r["register"]["received_date"], r["document"]["node_key"]
    ('2024-02-07', '5/ubnd|uy ban nhan dan tinh lam dong|2024')
    """
    if is_record(ex) and received_date is None:
        return ex
    rec = copy.deepcopy(ex)
    doc = rec.setdefault("document", {})
    stamp = (doc.get("received") or {}).get("date")
    received = received_date or stamp or (today or dt.date.today()).isoformat()
    rec["register"] = {"received_date": received}
    doc["node_key"] = node_key(doc["code"], doc.get("issuer"), doc.get("date")) if doc.get("code") else None
    for c in rec.get("citations") or []:
        c["node_key"] = node_key(c["code"], c.get("issuer"), c.get("date"))
    recipients = doc.get("recipients") or []
    for t in rec.get("tasks") or []:
        d = t.setdefault("deadline", {}) or {}
        t["deadline"] = d
        due, from_received = d.get("date"), False
        if not due and d.get("relative_days") is not None:
            # "trong 05 ngày làm việc kể từ ngày nhận được văn bản": counted from the day it
            # arrived here, working days skipping weekends, holidays and swapped days.
            from .extract.deadlines import due_date
            from .models import Deadline
            computed = due_date(Deadline(relative_days=d["relative_days"],
                                         working_days=bool(d.get("working_days"))), received)
            if computed:
                due, from_received = computed.isoformat(), True
        d["due_date"] = due
        d["from_received"] = from_received
        # A group ("UBND các xã", "các phòng, ban, ngành") is kept as written and linked to the
        # addressees of Kính gửi it covers, so a body finds the group tasks meant for it.
        from .extract.tasks import covered_recipients
        covered: list[str] = []
        for name in t.get("assignees") or [t.get("lead") or ""]:
            covered += [r for r in covered_recipients(name, recipients) if r not in covered]
        t["covers"] = covered
        t.update(task_bodies(t, doc))
    return rec


# ---- body identities of a task, and of a user's query (tasks --assignee) ------------------------

def _letter(doc: dict[str, Any]) -> SimpleNamespace:
    """What resolve.body_key reads of a letter's header (issuer, parent body, date)."""
    return SimpleNamespace(issuer=doc.get("issuer"), parent_body=doc.get("parent_body"), date=doc.get("date"))


def locality_prefixes(key: str) -> list[str]:
    """``key`` and the shorter keys a query may give for the same body without its locality
    (``resolve.same_body_key``): "so tai chinh tinh lam dong" is also "so tai chinh".

    >>> locality_prefixes("so tai chinh tinh lam dong")
    ['so tai chinh tinh lam dong', 'so tai chinh']
    """
    from .resolve import same_body_key
    words = key.split()
    out = [key] if key else []
    for i in range(len(words) - 1, 0, -1):
        p = " ".join(words[:i])
        if same_body_key(p, key):
            out.append(p)
    return out


def task_bodies(t: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """The body identities of one task of letter ``doc`` (contract dicts) that the store keeps for
    ``tasks --assignee``: ``lead_key``, ``assignee_keys`` (extraction's, else from the names),
    ``coordinator_keys``, ``cover_keys`` (the addressees a group task covers), ``match_keys`` and
    ``names_folded``.

    ``match_keys`` holds, for each body the task names (lead, assignees, coordinators, covered
    addressees; a name holding several bodies "A; B" one at a time), its key read alone (as the
    user's query is read) and its key resolved in the letter (``UBND tỉnh`` in a district letter is
    the province's), each with its shorter forms without the locality (``locality_prefixes``): a
    query matches the task when its key is one of them, which is what ``resolve.names_body`` asked.

    >>> b = task_bodies({"lead": "Giám đốc Sở Tài chính", "assignees": ["Giám đốc Sở Tài chính"]},
    ...                 {"issuer": "Ủy ban nhân dân tỉnh Lâm Đồng", "date": "2024-05-02"})
    >>> b["lead_key"], sorted(b["match_keys"])
    ('so tai chinh tinh lam dong', ['so tai chinh', 'so tai chinh tinh lam dong'])
    """
    from .resolve import body_key, fold
    letter, date = _letter(doc), doc.get("date")
    names = [n for n in [t.get("lead") or "", *(t.get("assignees") or []), *(t.get("coordinators") or []),
                         *(t.get("covers") or [])] if n]

    def keys(items: list[str]) -> list[str]:
        return list(dict.fromkeys(k for n in items if (k := body_key(n, letter))))

    own = keys((t.get("assignees") or [])[:1] or [t.get("lead") or ""])
    lead_key: str | None = t.get("lead_key") or (own[0] if own else None)
    assignee_keys = list(t.get("assignee_keys") or keys(list(t.get("assignees") or [])))
    coordinator_keys = list(t.get("coordinator_keys") or keys(list(t.get("coordinators") or [])))
    cover_keys = keys(list(t.get("covers") or []))
    match: list[str] = []
    alone = [body_key(part, date=date) for n in names for part in n.split(";")]
    for k in [*alone, lead_key or "", *assignee_keys, *coordinator_keys, *cover_keys]:
        for p in locality_prefixes(k) if k else []:
            if p not in match:
                match.append(p)
    return {"lead_key": lead_key, "assignee_keys": assignee_keys, "coordinator_keys": coordinator_keys,
            "cover_keys": cover_keys, "match_keys": match,
            "names_folded": " " + " | ".join(dict.fromkeys(fold(n) for n in names if fold(n))) + " "}


def assignee_query(query: str) -> dict[str, Any]:
    """A user's ``--assignee`` resolved once, for the store to match in SQL: ``keys``, a list of
    [key, since, until] (the body's key for letters dated in [since, until); a body merged on a
    date, rules/bodies.toml ``rename``, has another key after it; None is open), and ``text``:
    the folded words (and keys) for a fragment such as "noi vu", sought where no task has the key.

    >>> assignee_query("so ke hoach va dau tu")["keys"]
    [['so ke hoach va dau tu', None, '2025-03-01'], ['so tai chinh', '2025-03-01', None]]
    >>> assignee_query("ubnd tinh")["text"]
    ['ubnd tinh', 'uy ban nhan dan tinh']
    """
    from .resolve import body_key, fold
    from .rules import load_rules
    since = sorted({str(r["since"]) for r in load_rules("bodies.toml") if r.get("kind") == "rename" and r.get("since")})
    periods: list[list[Any]] = []
    # typed in lower case, an abbreviation is not one ("ubnd tinh"): its upper-case spelling too
    for spelling in dict.fromkeys([query, query.upper()]):
        mine: list[list[Any]] = []
        for lo, hi in zip([None, *since], [*since, None], strict=True):
            k = body_key(spelling, date=lo)
            if not k:
                continue
            if mine and mine[-1][0] == k:
                mine[-1][2] = hi
            else:
                mine.append([k, lo, hi])
        periods += [p for p in mine if p not in periods]
    text = list(dict.fromkeys(x for x in [fold(query), *(p[0] for p in periods)] if x))
    return {"query": query, "keys": periods, "text": text}
