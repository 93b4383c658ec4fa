"""The SQLite store: the only module that touches the database (plain ``sqlite3``).

One row per document (keyed by the sha256 of its bytes, so the same bytes are never stored
twice), its recipients, Nơi nhận, citations and tasks; a citation graph of nodes (a document
identity: code + issuing institution + year; a stub where the cited document is not held) and
edges; an incoming register (số đến per year); an FTS5 index with diacritics folded; and the
errors of each ingest. Every document is written in one transaction, so a killed ingest leaves
whole documents or none.

The store needs of sqlite-utils only ``Database.query`` (rows as dicts): ``RowQuery`` gives that on
plain sqlite3, so a command that opens the store does not import sqlite-utils (~55 ms of a cold
``congvan search``; issue 15). A task's body identities come in the record (``pipeline.record``):
``tasks --assignee`` is matched on them in SQL, never resolved here.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import CongvanError, StoreError
from .migrations import migrate_sqlite


def fold(text: str | None) -> str:
    """``pipeline.resolve.fold`` (imported on first use: a search or a write, not every command)."""
    from ..resolve import fold as resolve_fold
    return resolve_fold(text)


class RowQuery:
    """What the store and its callers use of sqlite-utils' ``Database``: ``query(sql, params)``,
    the rows as dicts."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute(sql, params if params is not None else ())
        if cur.description is None:
            return
        names = [c[0] for c in cur.description]
        for row in cur:
            yield dict(zip(names, row, strict=True))


_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  format TEXT, pages INTEGER, ocr INTEGER DEFAULT 0, ocr_confidence REAL,
  type TEXT, number TEXT, symbol TEXT, code TEXT,
  issuer TEXT, parent_body TEXT, place TEXT, date TEXT, subject TEXT,
  signer_name TEXT, signer_title TEXT, signer_authority TEXT,
  urgency TEXT, secrecy TEXT,
  node_id TEXT,
  received_number INTEGER, received_year INTEGER, received_date TEXT,
  duplicate_of INTEGER REFERENCES documents(id),
  text TEXT,
  extraction TEXT,
  ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_code ON documents(code);
CREATE INDEX IF NOT EXISTS documents_node ON documents(node_id);
CREATE INDEX IF NOT EXISTS documents_register ON documents(received_year, received_number);
CREATE TABLE IF NOT EXISTS recipients (document_id INTEGER NOT NULL REFERENCES documents(id),
  position INTEGER NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cc (document_id INTEGER NOT NULL REFERENCES documents(id),
  position INTEGER NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS citations (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),
  code TEXT NOT NULL, type TEXT, number TEXT, symbol TEXT, date TEXT,
  issuer TEXT, issuer_text TEXT, relation TEXT, mentions INTEGER, rule_id TEXT,
  target_node TEXT);
CREATE INDEX IF NOT EXISTS citations_doc ON citations(document_id);
CREATE INDEX IF NOT EXISTS citations_target ON citations(target_node);
CREATE TABLE IF NOT EXISTS nodes (
  id TEXT PRIMARY KEY, code TEXT NOT NULL, type TEXT, issuer TEXT, year INTEGER, date TEXT,
  title TEXT, document_id INTEGER REFERENCES documents(id));
CREATE INDEX IF NOT EXISTS nodes_code ON nodes(code);
CREATE TABLE IF NOT EXISTS edges (
  source TEXT NOT NULL, target TEXT NOT NULL, relation TEXT, document_id INTEGER NOT NULL,
  sentence TEXT);
CREATE INDEX IF NOT EXISTS edges_source ON edges(source);
CREATE INDEX IF NOT EXISTS edges_target ON edges(target);
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id), seq INTEGER,
  lead TEXT, assignees TEXT, coordinators TEXT, action TEXT,
  deadline_date TEXT, deadline_text TEXT, recurrence TEXT, urgent INTEGER DEFAULT 0,
  deadline_from_received INTEGER DEFAULT 0,
  report_to TEXT, section TEXT, result TEXT, optional INTEGER DEFAULT 0,
  complete TEXT, rule_id TEXT,
  status TEXT NOT NULL DEFAULT 'open', done_at TEXT,
  lead_key TEXT, assignee_keys TEXT, span TEXT, row_ref TEXT,
  coordinator_keys TEXT, cover_keys TEXT,
  names_folded TEXT);  -- " name | name ": the folded names, for a fragment ("noi vu")
CREATE INDEX IF NOT EXISTS tasks_doc ON tasks(document_id);
CREATE INDEX IF NOT EXISTS tasks_lead_key ON tasks(lead_key);
CREATE INDEX IF NOT EXISTS tasks_deadline ON tasks(status, deadline_date);
-- Every body key a query may resolve to that names one of a task's bodies (pipeline.record:
-- match_keys): `tasks --assignee` is one indexed lookup (schema version 3, issue 15).
CREATE TABLE IF NOT EXISTS task_bodies (task_id INTEGER NOT NULL REFERENCES tasks(id), key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS task_bodies_key ON task_bodies(key, task_id);
CREATE INDEX IF NOT EXISTS task_bodies_task ON task_bodies(task_id);
-- A task's id for life (issue 11): one id per (letter, section, action), kept when the letter is
-- reprocessed, never given to another task (AUTOINCREMENT).
CREATE TABLE IF NOT EXISTS task_keys (id INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id INTEGER NOT NULL, key TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS task_recipients (task_id INTEGER NOT NULL REFERENCES tasks(id),
  recipient TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS task_recipients_task ON task_recipients(task_id);
CREATE TABLE IF NOT EXISTS ingest_errors (id INTEGER PRIMARY KEY, path TEXT NOT NULL,
  reason TEXT NOT NULL, at TEXT NOT NULL,
  sha256 TEXT);  -- the failing bytes, where read: one row per content (issue 12)
CREATE INDEX IF NOT EXISTS ingest_errors_sha ON ingest_errors(sha256);
CREATE INDEX IF NOT EXISTS ingest_errors_path ON ingest_errors(path);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
  code, subject, issuer, body, tokenize = 'unicode61 remove_diacritics 2');
"""


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def fts_fold(text: str | None) -> str:
    """Text as the FTS index keeps it: đ folded to d (FTS5's unicode61 folds the rest)."""
    return (text or "").replace("đ", "d").replace("Đ", "D")


_SPACES = re.compile(r"\s+")


def code_fold(code: str) -> str:
    """A code as the first slot of a node id (``record.node_key``): lower case, no spaces, đ as d,
    so a user's "583 / ubnd" finds 583/UBND (a test keeps it equal to citation_key's slot).

    >>> code_fold("280/CĐ-TTg")
    '280/cd-ttg'
    """
    return _SPACES.sub("", (code or "").lower()).replace("đ", "d").replace("ð", "d")


def task_key(doc_id: int, section: str | None, action: str | None, seen: dict[str, int]) -> str:
    """The identity of a task for life: its letter, its section and its action (whitespace and
    case aside); a second identical (section, action) in the same letter is numbered. ``seen``
    counts the keys already given in this letter.

    >>> task_key(7, "3.b", "Tham mưu  UBND huyện", {})
    '7|3.b|tham mưu ubnd huyện|0'
    """
    base = f"{doc_id}|{section or ''}|{' '.join((action or '').lower().split())}"
    n = seen.get(base, 0)
    seen[base] = n + 1
    return f"{base}|{n}"


def document_node(doc_id: int) -> str:
    """Graph node of a letter without a number (a draft, a scan whose number OCR could not read):
    its document id, so its citations are edges like any other letter's (issue 11)."""
    return f"document:{doc_id}||"


def _code_range(code: str) -> tuple[str, str]:
    """Bounds of the node ids of one code: ids are "code|institution|year" (node_key), so a
    code's nodes are the ids from "code|" up to "code}" ("}" sorts right after "|")."""
    key = code_fold(code)
    return key + "|", key + "}"


class Store:
    """A congvan database. ``Store(path)`` opens (creating where new) the file at path."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            # Schema versions: a database made by an earlier congvan is upgraded here (migrations.py).
            migrate_sqlite(conn, _SCHEMA, self.path)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"không mở được cơ sở dữ liệu ({e})", self.path) from e
        self.conn = conn
        self.db = RowQuery(conn)
        self._backfill_task_keys()

    def _backfill_task_keys(self) -> None:
        """Give the tasks of a database made before task_keys existed their key, keeping their ids."""
        if self.conn.execute("SELECT 1 FROM task_keys LIMIT 1").fetchone() is not None:
            return
        rows = self.conn.execute("SELECT id, document_id, section, action FROM tasks ORDER BY document_id, seq, id"
                                 ).fetchall()
        if not rows:
            return
        seen: dict[str, int] = {}
        with self._transaction():
            for tid, doc_id, section, action in rows:
                key = task_key(doc_id, section, action, seen)
                self.conn.execute("INSERT OR IGNORE INTO task_keys (id, document_id, key) VALUES (?,?,?)",
                                  (tid, doc_id, key))

    def close(self) -> None:
        self.conn.close()

    # ---- writing -------------------------------------------------------------------------
    def has_sha(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def known_shas(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT sha256 FROM documents")}

    def save_extraction(self, ex: dict[str, Any], text: str, received_date: str | None = None,
                        new_only: bool = False) -> tuple[int, int | None]:
        """Store one record (``pipeline.record.make_record`` of the contract dict) in one transaction.

        Returns (document id, id of an earlier document with the same số, ký hiệu and issuer
        or None). Bytes already stored are not stored again: returns their id. The store
        computes nothing: graph keys, due dates and the register date come in the record.
        ``received_date`` is kept for older callers: it must agree with the record's.
        With ``new_only``, bytes already stored give None instead of their id, so that of two
        ingests at once each can tell what it stored (issue 12).
        """
        src, doc = ex["source"], ex["document"]
        received = require_record(ex, received_date)
        with self._transaction():
            # Several writers (PostgreSQL) take turns here; SQLite's BEGIN IMMEDIATE already does.
            self._lock_for_document()
            got = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (src["sha256"],)).fetchone()
            if got:
                return None if new_only else (got[0], None)  # type: ignore[return-value]
            dup = None
            if doc.get("code") and doc.get("issuer"):
                r = self.conn.execute(
                    "SELECT id, issuer FROM documents WHERE code = ? AND duplicate_of IS NULL",
                    (doc["code"],)).fetchall()
                for rid, iss in r:
                    if fold(iss) == fold(doc["issuer"]):
                        dup = rid
                        break
            elif not doc.get("code") and doc.get("subject"):
                # A letter without a number held twice (its .docx and its .txt): the same issuer,
                # date and trích yếu is the same letter (issue 11), not a second register entry.
                for rid, iss, subj in self.conn.execute(
                        "SELECT id, issuer, subject FROM documents WHERE code IS NULL AND duplicate_of IS NULL "
                        "AND date IS ?", (doc.get("date"),)).fetchall():
                    if fold(subj) == fold(doc["subject"]) and fold(iss) == fold(doc.get("issuer")):
                        dup = rid
                        break
            year = int(received[:4])
            number = self._next_received_number(year) if dup is None else None
            signer = doc.get("signer") or {}
            nid = doc.get("node_key")
            cur = self.conn.execute(
                """INSERT INTO documents (sha256, path, format, pages, ocr, ocr_confidence, type, number,
                   symbol, code, issuer, parent_body, place, date, subject, signer_name, signer_title,
                   signer_authority, urgency, secrecy, node_id, received_number, received_year,
                   received_date, duplicate_of, text, extraction, ingested_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (src["sha256"], src["path"], src.get("format"), src.get("pages"), int(bool(src.get("ocr"))),
                 src.get("ocr_confidence"), doc.get("type"), doc.get("number"), doc.get("symbol"),
                 doc.get("code"), doc.get("issuer"), doc.get("parent_body"), doc.get("place"),
                 doc.get("date"), doc.get("subject"), signer.get("name"), signer.get("title"),
                 signer.get("authority"), doc.get("urgency"), doc.get("secrecy"), nid, number,
                 year if number else None, received if number else None, dup, text,
                 json.dumps(ex, ensure_ascii=False), now()))
            doc_id = int(cur.lastrowid or 0)
            if nid is None:
                nid = document_node(doc_id)
                self.conn.execute("UPDATE documents SET node_id = ? WHERE id = ?", (nid, doc_id))
            # A re-sent letter is the same document: its duties and citation links are those
            # already stored, so they are not listed a second time.
            self._write_children(doc_id, ex, nid, received, links=dup is None)
            self._index_text(doc_id, doc, text)
            # a file that failed before (a timeout, a file since mended) and now is stored is no
            # longer an error: its row goes, by content or by path
            self.conn.execute("DELETE FROM ingest_errors WHERE sha256 = ? OR path = ?", (src["sha256"], src["path"]))
        return doc_id, dup

    def _lock_for_document(self) -> None:
        """Nothing to do: BEGIN IMMEDIATE has made this connection SQLite's one writer."""

    def _next_received_number(self, year: int) -> int:
        """The next số đến of ``year`` (inside the document's transaction, the one writer)."""
        return int(self.conn.execute(
            "SELECT coalesce(max(received_number), 0) + 1 FROM documents WHERE received_year = ?",
            (year,)).fetchone()[0])

    def _index_text(self, doc_id: int, doc: dict[str, Any], text: str) -> None:
        """Add a document to the full-text index (FTS5, diacritics and đ folded)."""
        self.conn.execute("INSERT INTO docs_fts (rowid, code, subject, issuer, body) VALUES (?,?,?,?,?)",
                          (doc_id, fts_fold(doc.get("code")), fts_fold(doc.get("subject")),
                           fts_fold(doc.get("issuer")), fts_fold(text)))

    def _reindex_header(self, doc_id: int, doc: dict[str, Any]) -> None:
        """Refresh the indexed header fields of a reprocessed document (its text is unchanged)."""
        self.conn.execute("UPDATE docs_fts SET code = ?, subject = ?, issuer = ? WHERE rowid = ?",
                          (fts_fold(doc.get("code")), fts_fold(doc.get("subject")), fts_fold(doc.get("issuer")),
                           doc_id))

    def _write_children(self, doc_id: int, ex: dict[str, Any], nid: str | None,
                        received: str | None = None, links: bool = True) -> None:
        doc = ex["document"]
        self.conn.executemany("INSERT INTO recipients VALUES (?,?,?)",
                              [(doc_id, i, n) for i, n in enumerate(doc.get("recipients") or [])])
        self.conn.executemany("INSERT INTO cc VALUES (?,?,?)",
                              [(doc_id, i, n) for i, n in enumerate(doc.get("cc") or [])])
        if nid and nid.startswith("document:"):
            self.conn.execute("INSERT OR REPLACE INTO nodes VALUES (?,?,?,?,?,?,?,?)",
                              (nid, "", doc.get("type"), doc.get("issuer"),
                               int(doc["date"][:4]) if doc.get("date") else None, doc.get("date"),
                               doc.get("subject"), doc_id))
        elif nid:
            self._upsert_node(nid, doc["code"], doc.get("type"), doc.get("issuer"), doc.get("date"),
                              doc.get("subject"), doc_id)
        for c in ex.get("citations") or []:
            target = self._resolve_target(c)
            self.conn.execute(
                """INSERT INTO citations (document_id, code, type, number, symbol, date, issuer, issuer_text,
                   relation, mentions, rule_id, target_node) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                (doc_id, c["code"], c.get("type"), c.get("number"), c.get("symbol"), c.get("date"),
                 c.get("issuer"), c.get("issuer_text"), c.get("relation"), c.get("mentions"),
                 c.get("rule_id"), target))
            if nid and links:
                self.conn.execute("INSERT INTO edges VALUES (?,?,?,?,?)",
                                  (nid, target, c.get("relation"), doc_id, c.get("sentence")))
        seen: dict[str, int] = {}
        for i, t in enumerate(ex.get("tasks") or [] if links else []):
            d = t.get("deadline") or {}
            # due_date and from_received come in the record (pipeline.record): a relative
            # deadline already counted from the day received.
            due, from_received = d.get("due_date", d.get("date")), int(bool(d.get("from_received")))
            key = task_key(doc_id, t.get("section"), t.get("action"), seen)
            got = self.conn.execute("SELECT id FROM task_keys WHERE key = ?", (key,)).fetchone()
            task_id = got[0] if got else self.conn.execute(
                "INSERT INTO task_keys (document_id, key) VALUES (?, ?)", (doc_id, key)).lastrowid
            self.conn.execute(
                """INSERT INTO tasks (id, document_id, seq, lead, assignees, coordinators, action, deadline_date,
                   deadline_text, recurrence, urgent, report_to, section, result, optional, complete, rule_id,
                   deadline_from_received, lead_key, assignee_keys, span, row_ref, coordinator_keys, cover_keys,
                   names_folded)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (task_id, doc_id, i, t.get("lead"), json.dumps(t.get("assignees") or [], ensure_ascii=False),
                 json.dumps(t.get("coordinators") or [], ensure_ascii=False), t.get("action"),
                 due, d.get("text"), d.get("recurrence"), int(bool(d.get("urgent"))),
                 t.get("report_to"), t.get("section"), t.get("result"), int(bool(t.get("optional"))),
                 json.dumps(t.get("complete") or {}, ensure_ascii=False), t.get("rule_id"), from_received,
                 # the body identities extraction resolved (extract.tasks: body_key), the duty's place
                 # in the letter's text and, for a table row, its row
                 t.get("lead_key") or None,
                 json.dumps(t["assignee_keys"], ensure_ascii=False) if t.get("assignee_keys") else None,
                 json.dumps(t["span"]) if t.get("span") else None,
                 json.dumps(t["row"]) if t.get("row") else None,
                 # the record's identities of coordinators and covered addressees, and the folded
                 # names (pipeline.record.task_bodies)
                 json.dumps(t["coordinator_keys"], ensure_ascii=False) if t.get("coordinator_keys") else None,
                 json.dumps(t["cover_keys"], ensure_ascii=False) if t.get("cover_keys") else None,
                 t.get("names_folded")))
            # A group task is linked to the addressees of Kính gửi it covers (the record's "covers").
            covered: list[str] = list(t.get("covers") or [])
            self.conn.executemany("INSERT INTO task_recipients VALUES (?, ?)",
                                  [(task_id, r) for r in covered])
            self.conn.executemany("INSERT INTO task_bodies VALUES (?, ?)",
                                  [(task_id, k) for k in t.get("match_keys") or []])

    def _upsert_node(self, nid: str, code: str, type_: str | None, issuer: str | None, date: str | None,
                     title: str | None, doc_id: int | None) -> str:
        """Insert a node, or turn the stub(s) of the same document into this real node."""
        row = self.conn.execute("SELECT document_id FROM nodes WHERE id = ?", (nid,)).fetchone()
        year = int(date[:4]) if date else None
        if row is None:
            self.conn.execute("INSERT INTO nodes VALUES (?,?,?,?,?,?,?,?)",
                              (nid, code, type_, issuer, year, date, title, doc_id))
        elif doc_id is not None and row[0] is None:
            self.conn.execute("UPDATE nodes SET type=?, issuer=?, year=?, date=?, title=?, document_id=? "
                              "WHERE id=?", (type_, issuer, year, date, title, doc_id, nid))
        if doc_id is not None:
            # Stubs made before this document arrived, under a looser key (same code and year,
            # issuer unknown when cited): fold them into this node.
            ckey = nid.split("|")[0]
            for (sid,) in self.conn.execute(
                    "SELECT id FROM nodes WHERE code = ? AND document_id IS NULL AND id != ?",
                    (code, nid)).fetchall():
                s_code, s_inst, s_year = sid.split("|")
                n_inst, n_year = nid.split("|")[1:]
                if s_code == ckey and (not s_year or s_year == n_year) and (not s_inst or s_inst == n_inst):
                    self._merge_node(sid, nid)
        return nid

    def _merge_node(self, old: str, new: str) -> None:
        self.conn.execute("UPDATE edges SET target = ? WHERE target = ?", (new, old))
        self.conn.execute("UPDATE edges SET source = ? WHERE source = ?", (new, old))
        self.conn.execute("UPDATE citations SET target_node = ? WHERE target_node = ?", (new, old))
        self.conn.execute("DELETE FROM nodes WHERE id = ?", (old,))

    def _resolve_target(self, c: dict[str, Any]) -> str:
        """The node a citation points at: an existing node of the same document, else a stub."""
        key = c["node_key"]  # made by pipeline.record
        if self.conn.execute("SELECT 1 FROM nodes WHERE id = ?", (key,)).fetchone():
            return key
        code_k, inst, year = key.split("|")
        for (nid,) in self.conn.execute("SELECT id FROM nodes WHERE code = ?", (c["code"],)).fetchall():
            _, n_inst, n_year = nid.split("|")
            if (not year or not n_year or year == n_year) and (not inst or not n_inst or inst == n_inst):
                return nid
        return self._upsert_node(key, c["code"], c.get("type"), c.get("issuer"), c.get("date"), None, None)

    def record_error(self, path: str, reason: str, sha256: str | None = None) -> None:
        """Record a file that failed: one row per content (``sha256``), else per path and reason;
        failing again (a rerun, ``--watch``) updates that row's path, reason and time (issue 12)."""
        with self._transaction():
            key = ("sha256 = ?", (sha256,)) if sha256 else ("sha256 IS NULL AND path = ? AND reason = ?", (path, reason))
            got = self.conn.execute(f"SELECT id FROM ingest_errors WHERE {key[0]}", key[1]).fetchone()
            if got:
                self.conn.execute("UPDATE ingest_errors SET path = ?, reason = ?, at = ? WHERE id = ?",
                                  (path, reason, now(), got[0]))
            else:
                self.conn.execute("INSERT INTO ingest_errors (path, reason, at, sha256) VALUES (?,?,?,?)",
                                  (path, reason, now(), sha256))

    def _transaction(self):  # type: ignore[no-untyped-def]
        return _Tx(self.conn)

    # ---- reading -------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        q = {"documents": "SELECT count(*) FROM documents",
             "citations": "SELECT count(*) FROM citations c JOIN documents d ON d.id = c.document_id "
                          "WHERE d.duplicate_of IS NULL",
             "resent": "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL",
             "tasks": "SELECT count(*) FROM tasks WHERE optional = 0",
             "errors": "SELECT count(*) FROM ingest_errors",
             "nodes": "SELECT count(*) FROM nodes",
             # the same count as missing(): cited documents not held that some stored letter cites
             "missing": "SELECT count(DISTINCT n.id) FROM nodes n JOIN edges e ON e.target = n.id "
                        "WHERE n.document_id IS NULL"}
        return {k: self.conn.execute(v).fetchone()[0] for k, v in q.items()}

    def summary(self) -> dict[str, Any]:
        by_type = self.conn.execute("SELECT coalesce(type, '?'), count(*) FROM documents GROUP BY 1 "
                                    "ORDER BY 2 DESC").fetchall()
        by_issuer = self.conn.execute("SELECT coalesce(issuer, '?'), count(*) FROM documents GROUP BY 1 "
                                      "ORDER BY 2 DESC LIMIT 15").fetchall()
        return {"counts": self.counts(), "by_type": by_type, "by_issuer": by_issuer}

    def documents(self) -> Iterator[dict[str, Any]]:
        yield from self.db.query("SELECT * FROM documents ORDER BY id")

    def find_documents(self, code: str) -> list[dict[str, Any]]:
        """Documents whose code is ``code`` (case and Đ/D tolerant), through the node-id index."""
        lo, hi = _code_range(code)
        return list(self.db.query("SELECT * FROM documents WHERE node_id >= ? AND node_id < ? ORDER BY id",
                                  [lo, hi]))

    def find_documents_by_ref(self, ref: str) -> list[dict[str, Any]]:
        """Documents named by ``ref``: a code (583/UBND), a document id (42), a path or a file
        name, so a letter without a number can be found too."""
        ref = ref.strip()
        if ref.isdigit():
            got = list(self.db.query("SELECT * FROM documents WHERE id = ?", [int(ref)]))
            if got:
                return got
        got = self.find_documents(ref) if ref else []
        if got:
            return got
        got = list(self.db.query("SELECT * FROM documents WHERE path = ? OR path = ? ORDER BY id",
                                 [ref, str(Path(ref).resolve()) if ref else ref]))
        if got:
            return got
        name = Path(ref).name
        got = list(self.db.query("SELECT * FROM documents WHERE path = ? OR path LIKE ? ESCAPE '\\' ORDER BY id",
                                 [name, "%/" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")]))
        return got

    def document_detail(self, doc_id: int) -> dict[str, Any]:
        d = next(self.db.query("SELECT * FROM documents WHERE id = ?", [doc_id]))
        d["citations"] = list(self.db.query("SELECT * FROM citations WHERE document_id = ? ORDER BY id", [doc_id]))
        d["tasks"] = list(self.db.query("SELECT * FROM tasks WHERE document_id = ? ORDER BY seq", [doc_id]))
        d["cited_by"] = list(self.db.query(
            "SELECT DISTINCT d.id, d.code, d.date, d.issuer, d.path, e.relation FROM edges e "
            "JOIN documents d ON d.id = e.document_id "
            "WHERE e.target = ?", [d["node_id"]])) if d["node_id"] else []
        return d

    def task_rows(self, assignee: str | dict[str, Any] | None = None, due_before: str | None = None,
                  status: str | None = None, overdue_as_of: str | None = None,
                  include_optional: bool = False, as_of: str | None = None) -> list[dict[str, Any]]:
        """Tasks joined with their document, as the exporters take them, filtered in SQL.

        ``assignee``: a body asked for, resolved before the store (``pipeline.record.assignee_query``;
        a plain string is resolved through it): tasks naming that body by identity (lead,
        assignees, coordinators, covered addressees), or, where no task holds any of its keys, the
        tasks whose folded names hold its words ("noi vu"). ``status``: open, done or overdue; a
        task is ``overdue`` when open and its deadline is before ``overdue_as_of`` (``--overdue``),
        else ``as_of``, else today. ``due_before``: deadline before that day.
        """
        when = overdue_as_of or as_of or dt.date.today().isoformat()
        where, args = [], []
        if not include_optional:
            where.append("t.optional = 0")
        if due_before:
            where.append("t.deadline_date IS NOT NULL AND t.deadline_date < ?")
            args.append(due_before)
        if overdue_as_of or status == "overdue":
            where.append("t.status = 'open' AND t.deadline_date IS NOT NULL AND t.deadline_date < ?")
            args.append(when)
        if status and status != "overdue":
            where.append("t.status = ?")
            args.append(status)
        if assignee:
            cond, cargs = self._assignee_filter(assignee)
            where.append(cond)
            args += cargs
        filters = (" WHERE " + " AND ".join(where)) if where else ""
        # the addressees each task covers, in one query for all (not one per task: 100,000s of rows)
        covers: dict[int, list[str]] = {}
        cover_sql = ("SELECT tr.task_id, tr.recipient FROM task_recipients tr JOIN tasks t ON t.id = tr.task_id "
                     "JOIN documents d ON d.id = t.document_id" + filters)
        for tid, rec in self.conn.execute(cover_sql, args):
            covers.setdefault(tid, []).append(rec)
        sql = ("SELECT " + ", ".join(f"t.{c}" for c in _TASK_COLUMNS) + ", CASE WHEN t.status = 'open' AND "
               "t.deadline_date IS NOT NULL AND t.deadline_date < ? THEN 'overdue' ELSE t.status END AS status, "
               "d.code AS document_code, d.date AS document_date, d.subject AS document_subject, "
               "d.issuer AS issuer, d.path AS source_path, d.sha256 AS document_sha256, d.type AS document_type "
               "FROM tasks t JOIN documents d ON d.id = t.document_id" + filters
               + " ORDER BY coalesce(t.deadline_date, '9999'), t.document_id, t.seq")
        rows = list(self.db.query(sql, [when, *args]))
        # the same few lists of names come back on thousands of rows: each JSON text decoded once
        # (a copy per row, so that a caller may change one row's list)
        decoded: dict[str, Any] = {}

        def loads(text: str | None, empty: str) -> Any:
            text = text or empty
            got = decoded.get(text)
            if got is None:
                got = decoded[text] = json.loads(text)
            return got.copy()

        for r in rows:
            r["assignees"] = loads(r["assignees"], "[]")
            r["coordinators"] = loads(r["coordinators"], "[]")
            r["complete"] = loads(r["complete"], "{}")
            r["covers"] = covers.get(r["id"], [])
        return rows

    def _assignee_filter(self, assignee: str | dict[str, Any]) -> tuple[str, list[Any]]:
        """The SQL condition (on ``t`` and ``d``) of a resolved ``--assignee`` and its arguments:
        the body's keys in ``task_bodies`` (each for letters dated in its period), else, where no
        task holds any of them, its folded words in ``tasks.names_folded``."""
        if isinstance(assignee, str):  # callers of the library: resolved in the record layer, not here
            from ..record import assignee_query
            assignee = assignee_query(assignee)
        periods = [p for p in assignee.get("keys") or [] if p and p[0]]
        keys = list(dict.fromkeys(p[0] for p in periods))
        if keys and self.conn.execute(
                "SELECT 1 FROM task_bodies WHERE key IN (" + ",".join("?" * len(keys)) + ") LIMIT 1",
                keys).fetchone():
            parts, args = [], []
            for key, since, until in periods:
                cond = "t.id IN (SELECT b.task_id FROM task_bodies b WHERE b.key = ?)"
                args.append(key)
                if since:
                    cond += " AND d.date >= ?"
                    args.append(since)
                if until and len(periods) > 1:
                    cond += " AND (d.date IS NULL OR d.date < ?)" if not since else " AND d.date < ?"
                    args.append(until)
                parts.append(cond)
            return "(" + " OR ".join(f"({c})" for c in parts) + ")", args
        words = [w for w in assignee.get("text") or [] if w]
        if not words:
            return "1 = 0", []
        # folded names hold only [a-z0-9 |], so a word needs no LIKE escaping
        return "(" + " OR ".join("t.names_folded LIKE ?" for _ in words) + ")", [f"% {w} %" for w in words]

    def register_entries(self, year: int | None = None, date_from: str | None = None,
                         date_to: str | None = None) -> list[dict[str, Any]]:
        """The incoming register: registered letters in số đến order, with what the register's
        Ghi chú needs (review flags, urgency, secrecy) and ``copies``: the re-sent copies of each
        (path, ingested_at)."""
        sql = ("SELECT id, received_number, received_year, received_date, issuer, code, date, type, subject, path, "
               "urgency, secrecy, ocr, json_extract(extraction, '$.document.review') AS review, "
               "json_extract(extraction, '$.source.warnings') AS warnings, "
               # a letter that came in an edXML package: its handling deadline (DueDate) and sender
               "json_extract(extraction, '$.envelope.due_date') AS handling_due, "
               "json_extract(extraction, '$.envelope.kind') AS envelope_kind "
               "FROM documents WHERE received_number IS NOT NULL")
        args: list[Any] = []
        if year:
            sql += " AND received_year = ?"
            args.append(year)
        if date_from:
            sql += " AND received_date >= ?"
            args.append(date_from)
        if date_to:
            sql += " AND received_date <= ?"
            args.append(date_to)
        rows = list(self.db.query(sql + " ORDER BY received_year, received_number", args))
        copies: dict[int, list[dict[str, Any]]] = {}
        for c in self.db.query("SELECT duplicate_of, path, ingested_at FROM documents "
                               "WHERE duplicate_of IS NOT NULL ORDER BY id"):
            copies.setdefault(c["duplicate_of"], []).append(c)
        for r in rows:
            r["review"] = json.loads(r["review"]) if r["review"] else []
            r["warnings"] = json.loads(r["warnings"]) if r["warnings"] else []
            r["copies"] = copies.get(r["id"], [])
        return rows

    def mark_task(self, task_id: int, status: str) -> bool:
        with self._transaction():
            cur = self.conn.execute("UPDATE tasks SET status = ?, done_at = ? WHERE id = ?",
                                    (status, now() if status == "done" else None, task_id))
        return cur.rowcount > 0

    # ---- graph ---------------------------------------------------------------------------
    def nodes_for_code(self, code: str) -> list[str]:
        """Graph nodes of a code (every issuer and year it has), through the primary key."""
        lo, hi = _code_range(code)
        return [r[0] for r in self.conn.execute("SELECT id FROM nodes WHERE id >= ? AND id < ? ORDER BY id",
                                                (lo, hi))]

    def walk(self, start: list[str], direction: str, depth: int) -> list[dict[str, Any]]:
        """Nodes reached from ``start`` along edges (``out``: what they cite; ``in``: who cites them)."""
        seen = set(start)
        frontier = list(start)
        out: list[dict[str, Any]] = []
        for level in range(1, depth + 1):
            nxt = []
            for n in frontier:
                if direction == "out":
                    q = "SELECT target, relation FROM edges WHERE source = ?"
                else:
                    q = "SELECT source, relation FROM edges WHERE target = ?"
                for other, rel in self.conn.execute(q, (n,)).fetchall():
                    if other in seen:
                        continue
                    seen.add(other)
                    nxt.append(other)
                    node = self.node(other)
                    node.update({"depth": level, "relation": rel, "via": n})
                    out.append(node)
            frontier = nxt
        return out

    def node(self, nid: str) -> dict[str, Any]:
        """A graph node; ``path`` is the held letter's file (its name stands for a letter without a number)."""
        r = list(self.db.query("SELECT n.*, d.path AS path FROM nodes n LEFT JOIN documents d ON d.id = n.document_id "
                               "WHERE n.id = ?", [nid]))
        return dict(r[0]) if r else {"id": nid, "code": nid.split("|")[0], "path": None}

    def missing(self) -> list[dict[str, Any]]:
        """Cited documents not held, most cited first: what to ask the archive for."""
        return list(self.db.query(
            "SELECT n.id, n.code, n.type, n.issuer, n.date, count(DISTINCT e.document_id) AS cited_by "
            "FROM nodes n JOIN edges e ON e.target = n.id WHERE n.document_id IS NULL "
            "GROUP BY n.id ORDER BY cited_by DESC, n.code"))

    def graph(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        nodes = [dict(r, held=r["document_id"] is not None) for r in self.db.query(
            "SELECT n.*, d.path AS path FROM nodes n LEFT JOIN documents d ON d.id = n.document_id ORDER BY n.id")]
        edges = list(self.db.query("SELECT source, target, relation, sentence FROM edges"))
        return nodes, edges

    # ---- search --------------------------------------------------------------------------
    def search(self, query: str, type_: str | None = None, issuer: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Ranked full-text search; diacritics and đ/d ignored. Raises CongvanError on a bad query.

        Letters holding the words as a phrase come first, then those holding them near each other
        (within 10 words), then those holding them anywhere (``match``: phrase, near, all); BM25
        orders each group. A letter held twice (its PDF and its .txt copy, a re-sent copy) is one
        result, its other files in ``also``. ``type_`` and ``issuer`` ignore case and diacritics.
        """
        tiers = fts_tiers(query)
        filters, args = "", []
        if since:
            filters += " AND d.date >= ?"
            args.append(since)
        if until:
            filters += " AND d.date <= ?"
            args.append(until)
        hits: dict[int, dict[str, Any]] = {}
        for tier, (name, match, *_) in enumerate(tiers):
            for r in self._fts_hits(query, match, filters, args):
                if r["id"] not in hits:
                    r.update(tier=tier, match=name)
                    hits[r["id"]] = r
        ranked = sorted(hits.values(), key=lambda r: (r["tier"], r["rank"], r["id"]))
        if type_:
            ranked = [r for r in ranked if fold(r["type"]) == fold(type_)]
        if issuer:
            f = fold(issuer)
            ranked = [r for r in ranked if f in fold(r["issuer"])]
        out = []
        for group in _same_letter_groups(ranked):
            r = group[0]
            r["also"] = [g["path"] for g in group[1:]]
            out.append(r)
            if len(out) >= limit:
                break
        for r in out:
            r["snippet"] = self._snippet(r["id"], tiers[r["tier"]][1], tiers[r["tier"]][2])
            for k in ("node_id", "duplicate_of", "tier"):
                r.pop(k, None)
        return out

    def _fts_hits(self, query: str, match: str, filters: str, args: list[Any]) -> list[dict[str, Any]]:
        """Documents matching one FTS5 expression (``fts_tiers``), best first (``rank``: lower is
        better), with the ``filters`` SQL (on ``d``) and its ``args``."""
        sql = ("SELECT d.id, d.code, d.type, d.date, d.issuer, d.subject, d.path, d.node_id, d.duplicate_of, "
               "bm25(docs_fts, 5.0, 3.0, 1.0, 1.0) AS rank "
               "FROM docs_fts JOIN documents d ON d.id = docs_fts.rowid WHERE docs_fts MATCH ?" + filters
               + " ORDER BY rank")
        try:
            return list(self.db.query(sql, [match, *args]))
        except sqlite3.OperationalError as e:
            raise CongvanError(f"không hiểu câu tìm kiếm {query!r} ({e})") from e

    def _snippet(self, doc_id: int, match: str, words: list[str]) -> str:
        """The stretch of a document's text around the words found, marked [like this]."""
        text = self.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        return make_snippet(text or "", words)

    def stored_texts(self) -> Iterator[tuple[int, str, dict[str, Any]]]:
        for r in self.conn.execute("SELECT id, text, extraction FROM documents ORDER BY id"):
            yield r[0], r[1], json.loads(r[2])

    def replace_extraction(self, doc_id: int, ex: dict[str, Any]) -> None:
        """Swap a stored document's extraction for a new one (``congvan reprocess``), keeping its
        register entry and task statuses where the same task comes out again. ``ex`` is a record
        (``pipeline.record.make_record`` with the document's ``received_date(doc_id)``)."""
        require_record(ex)
        doc = ex["document"]
        with self._transaction():
            self._lock_for_document()
            # A task keeps its id (task_keys: letter, section, action), and with it its status.
            old_status = {r[0]: (r[1], r[2]) for r in self.conn.execute(
                "SELECT id, status, done_at FROM tasks WHERE document_id = ?", (doc_id,))}
            for child in ("task_recipients", "task_bodies"):
                self.conn.execute(f"DELETE FROM {child} WHERE task_id IN "
                                  "(SELECT id FROM tasks WHERE document_id = ?)", (doc_id,))
            for t in ("recipients", "cc", "citations", "tasks"):
                self.conn.execute(f"DELETE FROM {t} WHERE document_id = ?", (doc_id,))
            self.conn.execute("DELETE FROM edges WHERE document_id = ?", (doc_id,))
            old_node = self.conn.execute("SELECT node_id FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
            nid = doc.get("node_key") or document_node(doc_id)
            if old_node and old_node != nid:
                still = self.conn.execute("SELECT 1 FROM edges WHERE target = ?", (old_node,)).fetchone()
                if still:
                    self.conn.execute("UPDATE nodes SET document_id = NULL WHERE id = ?", (old_node,))
                else:
                    self.conn.execute("DELETE FROM nodes WHERE id = ?", (old_node,))
            signer = doc.get("signer") or {}
            self.conn.execute(
                "UPDATE documents SET type=?, number=?, symbol=?, code=?, issuer=?, parent_body=?, place=?, date=?, "
                "subject=?, signer_name=?, signer_title=?, signer_authority=?, urgency=?, secrecy=?, node_id=?, "
                "extraction=? WHERE id=?",
                (doc.get("type"), doc.get("number"), doc.get("symbol"), doc.get("code"), doc.get("issuer"),
                 doc.get("parent_body"), doc.get("place"), doc.get("date"), doc.get("subject"), signer.get("name"),
                 signer.get("title"), signer.get("authority"), doc.get("urgency"), doc.get("secrecy"), nid,
                 json.dumps(ex, ensure_ascii=False), doc_id))
            received, dup = self.conn.execute("SELECT received_date, duplicate_of FROM documents WHERE id = ?",
                                              (doc_id,)).fetchone()
            self._write_children(doc_id, ex, nid, received, links=dup is None)
            for (tid,) in self.conn.execute("SELECT id FROM tasks WHERE document_id = ?", (doc_id,)).fetchall():
                st = old_status.get(tid)
                if st:
                    self.conn.execute("UPDATE tasks SET status = ?, done_at = ? WHERE id = ?", (st[0], st[1], tid))
            self._reindex_header(doc_id, doc)

    def received_date(self, doc_id: int) -> str | None:
        """The day a stored document entered the register (None for a re-sent copy)."""
        row = self.conn.execute("SELECT received_date FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def errors(self, since_id: int = 0) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM ingest_errors WHERE id > ? ORDER BY id", [since_id]))

    def last_error_id(self) -> int:
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM ingest_errors").fetchone()[0]


# The columns of a task row (``status`` aside: task_rows works out "overdue" in SQL; ``names_folded``,
# a matching column, is not listed).
_TASK_COLUMNS = ("id", "document_id", "seq", "lead", "assignees", "coordinators", "action", "deadline_date",
                 "deadline_text", "recurrence", "urgent", "deadline_from_received", "report_to", "section", "result",
                 "optional", "complete", "rule_id", "done_at", "lead_key", "assignee_keys", "span", "row_ref",
                 "coordinator_keys", "cover_keys")


def require_record(ex: dict[str, Any], received_date: str | None = None) -> str:
    """The register date of a record (``pipeline.record.make_record``); a StoreError for a bare
    extraction, since the store computes nothing of its own."""
    reg = ex.get("register")
    if not isinstance(reg, dict) or not reg.get("received_date"):
        raise StoreError("the store takes records: pass the extraction through pipeline.record.make_record "
                         "(graph keys, due dates, register date) before saving it")
    if received_date and received_date != reg["received_date"]:
        raise StoreError(f"received date {received_date} differs from the record's {reg['received_date']}")
    return str(reg["received_date"])


class _Tx:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


class _FoldTable(dict):  # type: ignore[type-arg]
    """``str.translate`` table of ``fold_chars``, each character worked out on first sight (a
    letter's snippet folds its whole text: a loop in Python per character cost a search ~150 ms)."""

    def __missing__(self, ch: int) -> str:
        c = chr(ch)
        if c in "đĐ":
            out = "d"
        else:
            base = unicodedata.normalize("NFD", c)[0]
            out = base.lower() if len(base.lower()) == 1 else c
        self[ch] = out
        return out


_FOLD_TABLE = _FoldTable()


def fold_chars(text: str) -> str:
    """Lower case without diacritics, one character for one, so offsets stay those of text.

    >>> fold_chars("Ủy ban ĐẤT đai")
    'uy ban dat dai'
    """
    return text.translate(_FOLD_TABLE)


def make_snippet(text: str, words: list[str], width: int = 70) -> str:
    """The stretch of ``text`` around the first query word, the words in [brackets].

    >>> make_snippet("Triển khai cải cách hành chính năm 2024", ["cai", "cach"])
    'Triển khai [cải] [cách] hành chính năm 2024'
    """
    folded = fold_chars(text)
    keys = [fold_chars(w) for w in words if w]
    hits: list[tuple[int, int]] = []
    for k in keys:
        # a phrase's words may be split by any run of spaces or a line break
        pat = r"\s+".join(re.escape(w) for w in k.split())
        # [^\W_]: a letter or a digit (Unicode), what regex spells [\p{L}\p{N}]
        for m in re.finditer(rf"(?<![^\W_]){pat}(?![^\W_])", folded):
            hits.append((m.start(), m.end()))
    if not hits:
        return " ".join(text[: 2 * width].split())
    # the first place where the most different words are close together (a "near" hit shows its
    # words side by side, not the first of them alone in the motto)
    spans = sorted(hits)
    word_at = {h: folded[h[0]:h[1]] for h in spans}
    first = max(spans, key=lambda h: (len({word_at[o] for o in spans if h[0] <= o[0] < h[0] + width}), -h[0]))[0]
    lo, hi = max(0, first - width), min(len(text), first + width)
    parts, pos = [], lo
    for a, b in sorted(h for h in hits if h[0] >= lo and h[1] <= hi):
        if a < pos:
            continue
        parts += [text[pos:a], "[", text[a:b], "]"]
        pos = b
    parts.append(text[pos:hi])
    return ("…" if lo else "") + " ".join("".join(parts).split()) + ("…" if hi < len(text) else "")


_FTS_WORD = re.compile(r"[^\W_]+")  # letters and digits: regex's [\p{L}\p{N}]+


def fts_query(query: str) -> str:
    """A user's words as an FTS5 query: each word quoted (so FTS syntax cannot break it), all
    required, đ folded to d. A phrase in double quotes stays a phrase.

    >>> fts_query('cai cach "hành chính" đất')
    '"cai" "cach" "hành chính" "dất"'
    """
    q = fts_fold(query)
    parts: list[str] = []
    for m in re.finditer(r'"([^"]*)"|([^\s"]+)', q):
        words = _FTS_WORD.findall(m.group(1) if m.group(1) is not None else m.group(2))
        if words:
            parts.append('"' + " ".join(words) + '"')
    if not parts:
        raise CongvanError(f"câu tìm kiếm {query!r} không có từ nào để tìm")
    return " ".join(parts)


def fts_tiers(query: str) -> list[tuple[str, str, list[str]]]:
    """The FTS5 queries of a search, best first, as (name, MATCH expression, words to mark in
    the snippet): several words are sought as a phrase, then near each other, then anywhere.

    >>> [m for _, m, _ in fts_tiers("dai hoi")]
    ['"dai hoi"', 'NEAR("dai" "hoi", 10)', '"dai" "hoi"']
    """
    all_words = fts_query(query)
    parts = re.findall(r'"([^"]*)"', all_words)
    words = [w for p in parts for w in p.split()]
    if len(words) < 2:
        return [("all", all_words, words)]
    phrase = " ".join(words)
    return [("phrase", f'"{phrase}"', [phrase]),
            ("near", "NEAR(" + " ".join(f'"{p}"' for p in parts) + ", 10)", words),
            ("all", all_words, words)]


def _same_key(text: str | None) -> str:
    """Issuer or subject as a key for "the same letter": folded words (what ``resolve.fold``
    gives, from the store's own ``fold_chars``, so that a search needs no import of resolve)."""
    return " ".join(_FTS_WORD.findall(fold_chars(text or "")))


def _same_letter_groups(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Search hits grouped by letter, in the order of each group's best hit: the copies of one
    letter share a register entry (a re-sent copy), a graph node (same code, issuer and year), a
    file name without its suffix (x.pdf and x.txt) or issuer, date and subject."""
    pos = {r["id"]: i for i, r in enumerate(rows)}
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for r in rows:
        keys = [f"d:{r['duplicate_of'] or r['id']}", f"p:{Path(r['path'] or '').with_suffix('')}"]
        if r.get("node_id") and not str(r["node_id"]).startswith("document:"):
            keys.append(f"n:{r['node_id']}")
        if r.get("subject") and r.get("date"):
            keys.append(f"s:{_same_key(r['issuer'])}|{r['date']}|{_same_key(r['subject'])}")
        for k in keys:
            if k not in owner:
                owner[k] = r["id"]
                continue
            a, b = find(owner[k]), find(r["id"])
            if a != b:  # the better-ranked hit leads the group
                first, second = (a, b) if pos[a] < pos[b] else (b, a)
                parent[second] = first
    groups: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(find(r["id"]), []).append(r)
    return sorted(groups.values(), key=lambda g: pos[g[0]["id"]])


def chunked(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    buf: list[Any] = []
    for it in items:
        buf.append(it)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf
