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
- each task's ``covers``: the addressees of Kính gửi that a group task ("UBND các xã") covers.
"""
from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from .extract.citations import citation_key
from .extract.deadlines import due_date
from .extract.tasks import covered_recipients
from .models import Deadline


def node_key(code: str, issuer: str | None, date: str | None) -> str:
    """Identity of a document in the graph: code + issuing institution + year, the same for a
    document held and for a citation of it.

    >>> node_key("1313/UBND-NC", "Ủy ban nhân dân tỉnh Quảng Ngãi", "2024-03-14")
    '1313/ubnd-nc|uy ban nhan dan tinh quang ngai|2024'
    """
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
            computed = due_date(Deadline(relative_days=d["relative_days"],
                                         working_days=bool(d.get("working_days"))), received)
            if computed:
                due, from_received = computed.isoformat(), True
        d["due_date"] = due
        d["from_received"] = from_received
        # A group ("UBND các xã", "các phòng, ban, ngành") is kept as written and linked to the
        # addressees of Kính gửi it covers, so a body finds the group tasks meant for it.
        covered: list[str] = []
        for name in t.get("assignees") or [t.get("lead") or ""]:
            covered += [r for r in covered_recipients(name, recipients) if r not in covered]
        t["covers"] = covered
    return rec
