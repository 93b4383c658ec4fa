"""The signer of a scanned letter: kept only where confirmed, else null and listed in ``review``.

Issue 14: a value read by OCR that cannot be confirmed is null, never a guess. The name at the
foot of a scan sits under the seal or is crossed by the signature, and Tesseract drops the tone
marks a stroke crosses while staying confident ("Trân Phước Hiên" at 96 for "Trần Phước Hiền"),
so a name is kept only where readers/ocr_names.py vouched for it (a second read of its line in
several passes agreed, and it reads as a Vietnamese name: ``RawDocument.ocr_vouched``). A title
is kept only where it is one of the titles of rules/signer_titles.toml, spelt as they are.
"""
from __future__ import annotations

from dataclasses import replace
from functools import cache

from ..models import RawDocument, Signer
from ..rules import load_rules


@cache
def known_titles() -> frozenset[str]:
    """The signer titles of rules/signer_titles.toml."""
    return frozenset(r["title"] for r in load_rules("signer_titles.toml") if r.get("title"))


def confirm_scan_signer(signer: Signer, raw: RawDocument) -> tuple[Signer, list[str]]:
    """The signer with what a scan cannot confirm taken out, and the fields to review.

    Args: signer, as parsed from the signature block; raw, the document (``ocr``, ``ocr_vouched``).
    Returns (signer, review fields: "signer.name", "signer.title" for each left null, whether
    unconfirmed or never read). A document that is no scan comes back unchanged.

    >>> raw = RawDocument("x.pdf", "pdf", "", "", ocr=True, ocr_vouched=("Trần Phước Hiền",))
    >>> confirm_scan_signer(Signer("Trân Phước Hiên", "Phó Chủ tịch", "KT."), raw)
    (Signer(name=None, title='Phó Chủ tịch', authority='KT.'), ['signer.name'])
    >>> confirm_scan_signer(Signer("Trần Phước Hiền", "Phó Chủ tịch", "KT."), raw)[1]
    []
    >>> confirm_scan_signer(Signer(None, "Thủ tướng"), raw)[1]
    ['signer.name']
    """
    if not raw.ocr:
        return signer, []
    review: list[str] = []
    name, title = signer.name, signer.title
    if name and name not in raw.ocr_vouched:
        name = None
    if title and title not in known_titles():
        title = None
    # null, whether unconfirmed or never read (under a seal, on a page not OCR'd): for a person
    if name is None:
        review.append("signer.name")
    if title is None:
        review.append("signer.title")
    if (name, title) == (signer.name, signer.title):
        return signer, review
    return replace(signer, name=name, title=title), review
