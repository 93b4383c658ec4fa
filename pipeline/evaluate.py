"""Field-by-field accuracy and F1 of extractions against gold files (contract congvan/extract/v1).

The check a person maintaining rules runs (``congvan eval``); it follows the same matching
as the project's shared scorer: names folded (no diacritics, abbreviations expanded), a body
with or without its locality is the same body, tasks paired by the overlap of their actions.
"""
from __future__ import annotations

import json
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import regex

from .resolve import fold as _fold

_ABBREV = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "ttg": "thu tuong",
           "vpcp": "van phong chinh phu", "cchc": "cai cach hanh chinh", "tthc": "thu tuc hanh chinh",
           "tp": "thanh pho", "tw": "trung uong", "qd": "quyet dinh", "cv": "cong van"}


def fold(s: Any) -> str:
    return " ".join(_ABBREV.get(w, w) for w in _fold(str(s) if s is not None else "").split())


def _institution(s: Any) -> str:
    return regex.sub(r"^(chu tich|pho chu tich|thu truong|giam doc)\s+", "", fold(s))


def same_body(a: Any, b: Any) -> bool:
    fa, fb = _institution(a), _institution(b)
    if not fa or not fb:
        return fa == fb
    short, long_ = sorted((fa, fb), key=len)
    return fa == fb or (long_.startswith(short + " ") and regex.match(
        r"(tinh|thanh pho|huyen|quan|thi xa|xa|phuong) ", long_[len(short) + 1:]) is not None)


def similar(a: Any, b: Any, cut: float = 0.85) -> bool:
    a, b = fold(a), fold(b)
    if not a and not b:
        return True
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= cut


def overlap(a: Any, b: Any) -> float:
    ta, tb = set(fold(a).split()), set(fold(b).split())
    if not ta or not tb:
        return 0.0
    inter = len(ta & tb)
    return min(inter / len(ta), inter / len(tb))


def prf(tp: int, npred: int, ngold: int) -> dict[str, Any]:
    p = tp / npred if npred else (1.0 if not ngold else 0.0)
    r = tp / ngold if ngold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": npred, "gold": ngold}


def set_match(pred: list[str], gold: list[str], cut: float = 0.85) -> int:
    used: set[int] = set()
    tp = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and similar(p, g, cut):
                used.add(i)
                tp += 1
                break
    return tp


class Tally:
    def __init__(self) -> None:
        self.acc: dict[str, list[int]] = {}
        self.counts: dict[str, list[int]] = {}

    def hit(self, field: str, ok: bool) -> None:
        a = self.acc.setdefault(field, [0, 0])
        a[0] += bool(ok)
        a[1] += 1

    def add(self, field: str, tp: int, npred: int, ngold: int) -> None:
        c = self.counts.setdefault(field, [0, 0, 0])
        c[0] += tp
        c[1] += npred
        c[2] += ngold

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: {"acc": round(v[0] / v[1], 4), "n": v[1]} for k, v in sorted(self.acc.items())}
        out.update({k: prf(*v) for k, v in sorted(self.counts.items())})
        return out


def score_document(pred: dict[str, Any], gold: dict[str, Any], t: Tally) -> None:
    pd, gd = pred.get("document") or {}, gold.get("document") or {}
    for f in ("type", "code", "date", "place"):
        if f in gd:
            t.hit(f"document.{f}", fold(pd.get(f)) == fold(gd.get(f)))
    for f in ("code", "date"):
        t.hit(f"document.{f}.not_wrong", not pd.get(f) or fold(pd.get(f)) == fold(gd.get(f)))
    if "issuer" in gd:
        t.hit("document.issuer", same_body(pd.get("issuer"), gd["issuer"]) or similar(pd.get("issuer"), gd["issuer"]))
    if "subject" in gd:
        t.hit("document.subject", overlap(pd.get("subject") or "", gd["subject"]) >= 0.9 if gd["subject"]
              else not pd.get("subject"))
    gs, ps = gd.get("signer") or {}, pd.get("signer") or {}
    for f in ("name", "title"):
        if gs.get(f):
            t.hit(f"document.signer.{f}", fold(ps.get(f)) == fold(gs[f]))
    for f in ("recipients", "cc"):
        if f in gd:
            pl, gl = pd.get(f) or [], gd[f]
            t.add(f"document.{f}", set_match(pl, gl), len(pl), len(gl))
    if "citations" in gold:
        gc = {fold(c.get("code")): c for c in gold["citations"]}
        pc: dict[str, Any] = {}
        for c in pred.get("citations") or []:
            pc.setdefault(fold(c.get("code")), c)
        tp = 0
        for k, g in gc.items():
            p = pc.get(k)
            if p is None:
                continue
            tp += 1
            t.hit("citations.date", (p.get("date") or None) == (g.get("date") or None))
            if g.get("issuer"):
                t.hit("citations.issuer", same_body(p.get("issuer"), g["issuer"]))
            if g.get("relation"):
                t.hit("citations.relation", p.get("relation") == g["relation"])
        t.add("citations", tp, len(pc), len(gc))
    if "tasks" in gold:
        _score_tasks(pred, gold, t)
    if "footnotes" in gold:
        t.hit("footnotes.count", len(pred.get("footnotes") or []) == len(gold["footnotes"]))


def _score_tasks(pred: dict[str, Any], gold: dict[str, Any], t: Tally) -> None:
    g_tasks, p_tasks = gold.get("tasks", []), list(pred.get("tasks") or [])
    pairs = sorted(((overlap(p.get("action"), g.get("action")), gi, pi)
                    for gi, g in enumerate(g_tasks) for pi, p in enumerate(p_tasks)), reverse=True)
    gused: set[int] = set()
    pused: set[int] = set()
    tp = optional_hits = 0
    for o, gi, pi in pairs:
        if o < 0.5:
            break
        if gi in gused or pi in pused:
            continue
        gused.add(gi)
        pused.add(pi)
        g, p = g_tasks[gi], p_tasks[pi]
        if g.get("optional"):
            optional_hits += 1
            continue
        tp += 1
        t.hit("tasks.lead", similar(p.get("lead"), g.get("lead"), 0.75)
              or set(fold(g.get("lead")).split()) <= set(fold(p.get("lead")).split()))
        t.hit("tasks.deadline", ((p.get("deadline") or {}).get("date") or None)
              == ((g.get("deadline") or {}).get("date") or None))
        if g.get("coordinators"):
            t.hit("tasks.coordinators",
                  set_match(p.get("coordinators") or [], g["coordinators"], 0.75) == len(g["coordinators"]))
        if g.get("report_to"):
            t.hit("tasks.report_to", similar(p.get("report_to"), g["report_to"], 0.6))
    t.add("tasks", tp, len(p_tasks) - optional_hits, sum(1 for g in g_tasks if not g.get("optional")))


def score(gold_dir: Path, preds: list[dict[str, Any]]) -> dict[str, Any]:
    """Score predictions (contract dicts) against ``gold_dir/STEM.json`` of the same stem.

    >>> score(Path("../shared/gold"), [])["_documents"]["scored"]
    0
    """
    t = Tally()
    scored, no_gold = 0, []
    for p in preds:
        stem = Path((p.get("source") or {}).get("path") or "").stem
        g = gold_dir / f"{stem}.json"
        if not g.exists():
            no_gold.append(stem)
            continue
        score_document(p, json.loads(g.read_text(encoding="utf-8")), t)
        scored += 1
    rep = t.report()
    rep["_documents"] = {"scored": scored, "no_gold": no_gold}
    return rep
