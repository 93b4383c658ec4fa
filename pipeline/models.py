"""Frozen values passed between the stages of the pipeline.

Plain dicts appear only at the edges: ``Extraction.to_dict()`` gives the
``congvan/extract/v1`` shape of ``contract/EXTRACT.md``; store.py turns them into rows.
Nothing here imports another module of the package.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "congvan/extract/v1"


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) into ``RawDocument.text``."""

    start: int
    end: int


@dataclass(frozen=True)
class Footnote:
    mark: str
    text: str


@dataclass(frozen=True)
class Block:
    """A piece of text in reading order with where it sat on the page.

    role: header_left | header_right | title | body | recipients | signature | cc |
    footnote | stamp | table | unknown
    """

    text: str
    page: int = 1
    role: str = "body"
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class TableCell:
    """One cell of a table as the page shows it.

    ``span`` gives where ``text`` sits in ``RawDocument.text`` (None where the text is not found
    there, e.g. a cell the normaliser dropped as a page number). ``col``/``colspan`` place it on
    the table's grid (a merged cell covers several columns); ``merged_above`` marks the
    continuation of a vertical merge (its value is the cell above). ``bold``: every run bold.
    """

    text: str
    span: Span | None = None
    col: int = 0
    colspan: int = 1
    merged_above: bool = False
    bold: bool = False


@dataclass(frozen=True)
class TableRow:
    """A row of cells; ``header`` where the source marks it a header row (Word's tblHeader)."""

    cells: tuple[TableCell, ...]
    header: bool = False


@dataclass(frozen=True)
class Table:
    """A table kept as a table (readers/docx.py, readers/tables.py); its text also stands in
    ``RawDocument.text``, one cell after the other, so every span points into the letter's text.

    ``source``: docx | pdf; ``nested_in``: index of the table one of whose cells holds this one.
    """

    rows: tuple[TableRow, ...]
    page: int | None = None
    source: str = "docx"
    nested_in: int | None = None

    @property
    def span(self) -> Span | None:
        """From the first to the last cell found in the text."""
        spans = [c.span for r in self.rows for c in r.cells if c.span is not None]
        return Span(min(s.start for s in spans), max(s.end for s in spans)) if spans else None


@dataclass(frozen=True)
class RawDocument:
    """What a reader gives: the text in reading order, NFC, with its provenance.

    ``text`` is the document as a careful person would copy it: header columns one after the
    other (left column first), page headers/footers and page numbers dropped, footnotes either
    left as lines starting with their mark (TXT) or moved to ``footnotes`` (PDF, DOCX).
    ``stamped`` holds values an e-signature stamped over blank slots ({"number": "1865",
    "day": "08"}); ``ocr_confidence`` is Tesseract's mean word confidence (0-100) for scans.
    """

    path: str
    format: str
    sha256: str
    text: str
    pages: int = 1
    footnotes: tuple[Footnote, ...] = ()
    blocks: tuple[Block, ...] = ()
    ocr: bool = False
    ocr_confidence: float | None = None
    stamped: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    size: int = 0
    # OCR only (readers/ocr.py): every word with Tesseract's confidence 0-100, and the words read
    # below ocr.LOW_CONFIDENCE (70): a Số/ngày value among them must not be guessed.
    ocr_words: tuple[tuple[str, float], ...] = ()
    low_confidence_words: tuple[str, ...] = ()
    # OCR only: personal names a second read of their line agreed on (readers/ocr_names.py); a
    # signer's name from a scan is kept only where it is one of them.
    ocr_vouched: tuple[str, ...] = ()
    # A letter taken out of a package (readers/edxml.py, email.py, archive.py): ``path`` is the
    # package, ``member`` the letter's name inside it, ``envelope`` what the package said of it
    # (the ``envelope`` object of contract/EXTRACT.md).
    member: str | None = None
    envelope: dict[str, Any] | None = None
    # Tables as tables (DOCX, PDF): cells with spans into ``text`` (kept right by normalize).
    tables: tuple[Table, ...] = ()
    # The other files of a package that came with this letter, read (readers/edxml.py); their
    # duties and citations join the letter's, each naming its appendix (pipeline/envelope.py).
    appendices: tuple[RawDocument, ...] = ()


@dataclass(frozen=True)
class Signer:
    name: str | None = None
    title: str | None = None
    authority: str | None = None


@dataclass(frozen=True)
class Received:
    """The incoming stamp (ĐẾN, Số…, Ngày…) of the receiving office, not the document's own."""

    number: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Header:
    type: str | None = None
    number: str | None = None
    symbol: str | None = None
    code: str | None = None
    issuer: str | None = None
    issuer_text: str | None = None
    parent_body: str | None = None
    place: str | None = None
    date: str | None = None
    subject: str | None = None
    recipients: tuple[str, ...] = ()
    signer: Signer = Signer()
    cc: tuple[str, ...] = ()
    urgency: str | None = None
    secrecy: str | None = None
    received: Received | None = None
    copy: dict[str, Any] | None = None
    attachments: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    rule_ids: dict[str, str] = field(default_factory=dict)
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """A node of the body tree: "3.b" is item b) under heading 3."""

    path: str
    label: str
    title: str
    span: Span
    level: int = 1


@dataclass(frozen=True)
class Segments:
    """The document cut into its parts; each part is text plus its offset in the source."""

    text: str
    header: str = ""
    header_left: str = ""
    header_right: str = ""
    title: str = ""
    recipients: str = ""
    body: str = ""
    body_span: Span = Span(0, 0)
    signature: str = ""
    cc: str = ""
    footnotes: tuple[Footnote, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Citation:
    type: str | None
    number: str | None
    symbol: str | None
    code: str
    date: str | None = None
    issuer: str | None = None
    issuer_text: str | None = None
    relation: str = "refers"
    mentions: int = 1
    spans: tuple[Span, ...] = ()
    rule_id: str | None = None
    sentence: str | None = None
    appendix: str | None = None   # found in this appendix of a package, not in the letter itself


@dataclass(frozen=True)
class Deadline:
    date: str | None = None
    text: str | None = None
    recurrence: str | None = None
    relative_days: int | None = None
    working_days: bool = False
    urgent: bool = False
    rule_id: str | None = None


@dataclass(frozen=True)
class Task:
    lead: str | None
    action: str
    assignees: tuple[str, ...] = ()
    coordinators: tuple[str, ...] = ()
    deadline: Deadline = Deadline()
    report_to: str | None = None
    section: str | None = None
    result: str | None = None
    optional: bool = False
    complete: dict[str, bool] = field(default_factory=dict)
    sentence: str | None = None
    span: Span | None = None
    rule_id: str | None = None
    row: dict[str, int] | None = None     # a duty from a table: {"table": i, "row": j}
    # body identities (resolve.body_key, issue 10): one key per body however it is written, for
    # `tasks --assignee` and grouping by body
    lead_key: str | None = None
    assignee_keys: tuple[str, ...] = ()
    coordinator_keys: tuple[str, ...] = ()
    report_to_key: str | None = None
    appendix: str | None = None   # a duty of this appendix of a package (its span: in the stored text)


@dataclass(frozen=True)
class Extraction:
    raw: RawDocument
    header: Header
    citations: tuple[Citation, ...] = ()
    tasks: tuple[Task, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    sections: tuple[Section, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``congvan/extract/v1`` object of contract/EXTRACT.md (extra keys allowed)."""
        h = self.header
        doc: dict[str, Any] = {
            "type": h.type, "number": h.number, "symbol": h.symbol, "code": h.code,
            "issuer": h.issuer, "parent_body": h.parent_body, "place": h.place, "date": h.date,
            "subject": h.subject, "recipients": list(h.recipients),
            "signer": {"name": h.signer.name, "title": h.signer.title, "authority": h.signer.authority},
            "cc": list(h.cc),
            "issuer_text": h.issuer_text, "urgency": h.urgency, "secrecy": h.secrecy,
            "received": asdict(h.received) if h.received else None,
            "copy": h.copy, "attachments": list(h.attachments), "review": list(h.review),
            "rule_ids": dict(h.rule_ids), "spans": {k: [v.start, v.end] for k, v in h.spans.items()},
        }
        source = {"path": self.raw.path, "sha256": self.raw.sha256, "format": self.raw.format,
                  "pages": self.raw.pages, "ocr": self.raw.ocr}
        if self.raw.ocr_confidence is not None:
            source["ocr_confidence"] = round(self.raw.ocr_confidence, 1)
        if self.raw.warnings:
            source["warnings"] = list(self.raw.warnings)
        if self.raw.member:
            source["member"] = self.raw.member
        return {
            "schema": SCHEMA,
            "source": source,
            "document": doc,
            "citations": [_citation_dict(c) for c in self.citations],
            "tasks": [_task_dict(t) for t in self.tasks],
            "footnotes": [{"mark": f.mark, "text": f.text} for f in self.footnotes],
            "sections": [{"path": s.path, "title": s.title} for s in self.sections],
            **({"envelope": self.raw.envelope} if self.raw.envelope is not None else {}),
        }


def _citation_dict(c: Citation) -> dict[str, Any]:
    return {
        "type": c.type, "number": c.number, "symbol": c.symbol, "code": c.code, "date": c.date,
        "issuer": c.issuer, "issuer_text": c.issuer_text, "relation": c.relation,
        "mentions": c.mentions, "spans": [[s.start, s.end] for s in c.spans], "rule_id": c.rule_id,
        "sentence": c.sentence,
        **({"appendix": c.appendix} if c.appendix else {}),
    }


def _task_dict(t: Task) -> dict[str, Any]:
    d = t.deadline
    out: dict[str, Any] = {
        "lead": t.lead, "assignees": list(t.assignees), "coordinators": list(t.coordinators),
        "action": t.action,
        "deadline": {"date": d.date, "text": d.text, "recurrence": d.recurrence},
        "report_to": t.report_to, "section": t.section, "result": t.result,
        "complete": t.complete, "rule_id": t.rule_id,
    }
    if d.urgent:
        out["deadline"]["urgent"] = True
    if d.relative_days is not None:
        out["deadline"]["relative_days"] = d.relative_days
        out["deadline"]["working_days"] = d.working_days
    if t.optional:
        out["optional"] = True
    if t.span:
        out["span"] = [t.span.start, t.span.end]
    if t.row is not None:
        out["row"] = dict(t.row)
    if t.appendix:
        out["appendix"] = t.appendix
    if t.lead_key or t.assignee_keys:
        out["lead_key"] = t.lead_key
        out["assignee_keys"] = list(t.assignee_keys)
        out["coordinator_keys"] = list(t.coordinator_keys)
        out["report_to_key"] = t.report_to_key
    return out
