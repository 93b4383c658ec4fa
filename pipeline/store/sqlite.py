"""The SQLite store: the only module that touches the database (through sqlite-utils).

One row per document (keyed by the sha256 of its bytes, so the same bytes are never stored
twice), its recipients, Nơi nhận, citations and tasks; a citation graph of nodes (a document
identity: code + issuing institution + year; a stub where the cited document is not held) and
edges; an incoming register (số đến per year); an FTS5 index with diacritics folded; and the
errors of each ingest. Every document is written in one transaction, so a killed ingest leaves
whole documents or none.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import regex
import sqlite_utils

from ..errors import CongvanError, StoreError
from ..extract.citations import citation_key
from ..extract.deadlines import due_date
from ..extract.tasks import covered_recipients
from ..models import Deadline
from ..resolve import fold

SCHEMA_VERSION = 1

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
  status TEXT NOT NULL DEFAULT 'open', done_at TEXT);
CREATE INDEX IF NOT EXISTS tasks_doc ON tasks(document_id);
CREATE TABLE IF NOT EXISTS task_recipients (task_id INTEGER NOT NULL REFERENCES tasks(id),
  recipient TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS task_recipients_task ON task_recipients(task_id);
CREATE TABLE IF NOT EXISTS ingest_errors (id INTEGER PRIMARY KEY, path TEXT NOT NULL,
  reason TEXT NOT NULL, at TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5(
  code, subject, issuer, body, tokenize = 'unicode61 remove_diacritics 2');
"""


def now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def fts_fold(text: str | None) -> str:
    """Text as the FTS index keeps it: đ folded to d (FTS5's unicode61 folds the rest)."""
    return (text or "").replace("đ", "d").replace("Đ", "D")


def node_key(code: str, issuer: str | None, date: str | None) -> str:
    """Identity of a document in the graph: code + issuing institution + year (see
    ``extract.citations.citation_key``), the same for a document held and for a citation of it.

    >>> node_key("1313/UBND-NC", "Ủy ban nhân dân tỉnh Quảng Ngãi", "2024-03-14")
    '1313/ubnd-nc|uy ban nhan dan tinh quang ngai|2024'
    """
    return citation_key(code, issuer, date)


def _code_range(code: str) -> tuple[str, str]:
    """Bounds of the node ids of one code: ids are "code|institution|year" (node_key), so a
    code's nodes are the ids from "code|" up to "code}" ("}" sorts right after "|")."""
    key = node_key(code, None, None).split("|", 1)[0]
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
            conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"không mở được cơ sở dữ liệu ({e})", self.path) from e
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        if row[0] is None:
            conn.execute("INSERT INTO schema_version VALUES (?, ?)", (SCHEMA_VERSION, now()))
        elif row[0] > SCHEMA_VERSION:
            raise StoreError(f"cơ sở dữ liệu ở phiên bản {row[0]}, congvan này chỉ biết đến "
                             f"{SCHEMA_VERSION}: hãy cập nhật congvan", self.path)

    def close(self) -> None:
        self.conn.close()

    # ---- writing -------------------------------------------------------------------------
    def has_sha(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def known_shas(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT sha256 FROM documents")}

    def save_extraction(self, ex: dict[str, Any], text: str, received_date: str | None = None) -> tuple[int, int | None]:
        """Store one extraction (the contract dict) in one transaction.

        Returns (document id, id of an earlier document with the same số, ký hiệu and issuer
        or None). Bytes already stored are not stored again: returns their id.
        """
        src, doc = ex["source"], ex["document"]
        with self._transaction():
            got = self.conn.execute("SELECT id FROM documents WHERE sha256 = ?", (src["sha256"],)).fetchone()
            if got:
                return got[0], None
            dup = None
            if doc.get("code") and doc.get("issuer"):
                r = self.conn.execute(
                    "SELECT id, issuer FROM documents WHERE code = ? AND duplicate_of IS NULL",
                    (doc["code"],)).fetchall()
                for rid, iss in r:
                    if fold(iss) == fold(doc["issuer"]):
                        dup = rid
                        break
            stamp = (doc.get("received") or {}).get("date")
            received = received_date or stamp or dt.date.today().isoformat()
            year = int(received[:4])
            number = None
            if dup is None:
                number = (self.conn.execute(
                    "SELECT coalesce(max(received_number), 0) + 1 FROM documents WHERE received_year = ?",
                    (year,)).fetchone()[0])
            signer = doc.get("signer") or {}
            nid = node_key(doc["code"], doc.get("issuer"), doc.get("date")) if doc.get("code") else None
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
            # A re-sent letter is the same document: its duties and citation links are those
            # already stored, so they are not listed a second time.
            self._write_children(doc_id, ex, nid, received, links=dup is None)
            self.conn.execute("INSERT INTO docs_fts (rowid, code, subject, issuer, body) VALUES (?,?,?,?,?)",
                              (doc_id, fts_fold(doc.get("code")), fts_fold(doc.get("subject")),
                               fts_fold(doc.get("issuer")), fts_fold(text)))
        return doc_id, dup

    def _write_children(self, doc_id: int, ex: dict[str, Any], nid: str | None,
                        received: str | None = None, links: bool = True) -> None:
        doc = ex["document"]
        self.conn.executemany("INSERT INTO recipients VALUES (?,?,?)",
                              [(doc_id, i, n) for i, n in enumerate(doc.get("recipients") or [])])
        self.conn.executemany("INSERT INTO cc VALUES (?,?,?)",
                              [(doc_id, i, n) for i, n in enumerate(doc.get("cc") or [])])
        if nid:
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
        recipients = doc.get("recipients") or []
        for i, t in enumerate(ex.get("tasks") or [] if links else []):
            d = t.get("deadline") or {}
            due, from_received = d.get("date"), 0
            if not due and d.get("relative_days") is not None and received:
                # "trong 05 ngày làm việc kể từ ngày nhận được văn bản": counted from the day it
                # arrived here, working days skipping weekends, holidays and swapped days.
                computed = due_date(Deadline(relative_days=d["relative_days"],
                                             working_days=bool(d.get("working_days"))), received)
                if computed:
                    due, from_received = computed.isoformat(), 1
            cur = self.conn.execute(
                """INSERT INTO tasks (document_id, seq, lead, assignees, coordinators, action, deadline_date,
                   deadline_text, recurrence, urgent, report_to, section, result, optional, complete, rule_id,
                   deadline_from_received)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (doc_id, i, t.get("lead"), json.dumps(t.get("assignees") or [], ensure_ascii=False),
                 json.dumps(t.get("coordinators") or [], ensure_ascii=False), t.get("action"),
                 due, d.get("text"), d.get("recurrence"), int(bool(d.get("urgent"))),
                 t.get("report_to"), t.get("section"), t.get("result"), int(bool(t.get("optional"))),
                 json.dumps(t.get("complete") or {}, ensure_ascii=False), t.get("rule_id"), from_received))
            # A group ("UBND các xã", "các phòng, ban, ngành") is kept as written and linked to the
            # addressees of Kính gửi it covers, so a body finds the group tasks meant for it.
            covered: list[str] = []
            for name in t.get("assignees") or [t.get("lead") or ""]:
                covered += [r for r in covered_recipients(name, recipients) if r not in covered]
            self.conn.executemany("INSERT INTO task_recipients VALUES (?, ?)",
                                  [(cur.lastrowid, r) for r in covered])

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
        key = node_key(c["code"], c.get("issuer"), c.get("date"))
        if self.conn.execute("SELECT 1 FROM nodes WHERE id = ?", (key,)).fetchone():
            return key
        code_k, inst, year = key.split("|")
        for (nid,) in self.conn.execute("SELECT id FROM nodes WHERE code = ?", (c["code"],)).fetchall():
            _, n_inst, n_year = nid.split("|")
            if (not year or not n_year or year == n_year) and (not inst or not n_inst or inst == n_inst):
                return nid
        return self._upsert_node(key, c["code"], c.get("type"), c.get("issuer"), c.get("date"), None, None)

    def record_error(self, path: str, reason: str) -> None:
        with self._transaction():
            self.conn.execute("INSERT INTO ingest_errors (path, reason, at) VALUES (?,?,?)", (path, reason, now()))

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
             "missing": "SELECT count(*) FROM nodes WHERE document_id IS NULL"}
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

    def document_detail(self, doc_id: int) -> dict[str, Any]:
        d = next(self.db.query("SELECT * FROM documents WHERE id = ?", [doc_id]))
        d["citations"] = list(self.db.query("SELECT * FROM citations WHERE document_id = ? ORDER BY id", [doc_id]))
        d["tasks"] = list(self.db.query("SELECT * FROM tasks WHERE document_id = ? ORDER BY seq", [doc_id]))
        d["cited_by"] = list(self.db.query(
            "SELECT DISTINCT d.code, d.date, d.issuer, e.relation FROM edges e JOIN documents d ON d.id = e.document_id "
            "WHERE e.target = ?", [d["node_id"]])) if d["node_id"] else []
        return d

    def task_rows(self, assignee: str | None = None, due_before: str | None = None,
                  status: str | None = None, overdue_as_of: str | None = None,
                  include_optional: bool = False) -> list[dict[str, Any]]:
        """Tasks joined with their document, as the exporters take them."""
        sql = ("SELECT t.*, d.code AS document_code, d.date AS document_date, d.subject AS document_subject, "
               "d.issuer AS issuer, d.path AS source_path FROM tasks t JOIN documents d ON d.id = t.document_id")
        where, args = [], []
        if not include_optional:
            where.append("t.optional = 0")
        if due_before:
            where.append("t.deadline_date IS NOT NULL AND t.deadline_date < ?")
            args.append(due_before)
        if overdue_as_of:
            where.append("t.status = 'open' AND t.deadline_date IS NOT NULL AND t.deadline_date < ?")
            args.append(overdue_as_of)
        if status and status != "overdue":
            where.append("t.status = ?")
            args.append(status)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY coalesce(t.deadline_date, '9999'), t.document_id, t.seq"
        rows = []
        today = dt.date.today().isoformat()
        for r in self.db.query(sql, args):
            r["assignees"] = json.loads(r["assignees"] or "[]")
            r["coordinators"] = json.loads(r["coordinators"] or "[]")
            r["complete"] = json.loads(r["complete"] or "{}")
            r["covers"] = [x[0] for x in self.conn.execute(
                "SELECT recipient FROM task_recipients WHERE task_id = ?", (r["id"],))]
            if r["status"] == "open" and r["deadline_date"] and r["deadline_date"] < (overdue_as_of or today):
                r["status"] = "overdue"
            if status == "overdue" and r["status"] != "overdue":
                continue
            if assignee:
                f = fold(assignee)
                names = [r["lead"] or ""] + r["assignees"] + r["coordinators"] + r["covers"]
                if not any(f in fold(n) for n in names):
                    continue
            rows.append(r)
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
        r = list(self.db.query("SELECT * FROM nodes WHERE id = ?", [nid]))
        return dict(r[0]) if r else {"id": nid, "code": nid.split("|")[0]}

    def missing(self) -> list[dict[str, Any]]:
        """Cited documents not held, most cited first: what to ask the archive for."""
        return list(self.db.query(
            "SELECT n.id, n.code, n.type, n.issuer, n.date, count(DISTINCT e.document_id) AS cited_by "
            "FROM nodes n JOIN edges e ON e.target = n.id WHERE n.document_id IS NULL "
            "GROUP BY n.id ORDER BY cited_by DESC, n.code"))

    def graph(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        nodes = [dict(r, held=r["document_id"] is not None) for r in self.db.query("SELECT * FROM nodes ORDER BY id")]
        edges = list(self.db.query("SELECT source, target, relation, sentence FROM edges"))
        return nodes, edges

    # ---- search --------------------------------------------------------------------------
    def search(self, query: str, type_: str | None = None, issuer: str | None = None,
               since: str | None = None, until: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Ranked full-text search; diacritics and đ/d ignored. Raises CongvanError on a bad query."""
        match = fts_query(query)
        sql = ("SELECT d.id, d.code, d.type, d.date, d.issuer, d.subject, d.path, d.text, "
               "bm25(docs_fts, 5.0, 3.0, 1.0, 1.0) AS rank "
               "FROM docs_fts JOIN documents d ON d.id = docs_fts.rowid WHERE docs_fts MATCH ?")
        args: list[Any] = [match]
        if type_:
            sql += " AND d.type = ?"
            args.append(type_)
        if since:
            sql += " AND d.date >= ?"
            args.append(since)
        if until:
            sql += " AND d.date <= ?"
            args.append(until)
        sql += " ORDER BY rank LIMIT ?"
        args.append(limit * 5 if issuer else limit)
        try:
            rows = list(self.db.query(sql, args))
        except sqlite3.OperationalError as e:
            raise CongvanError(f"không hiểu câu tìm kiếm {query!r} ({e})") from e
        if issuer:
            f = fold(issuer)
            rows = [r for r in rows if f in fold(r["issuer"])][:limit]
        words = [w for part in regex.findall(r'"([^"]*)"', match) for w in part.split()]
        for r in rows:
            r["snippet"] = make_snippet(r.pop("text") or "", words)
        return rows

    def stored_texts(self) -> Iterator[tuple[int, str, dict[str, Any]]]:
        for r in self.conn.execute("SELECT id, text, extraction FROM documents ORDER BY id"):
            yield r[0], r[1], json.loads(r[2])

    def replace_extraction(self, doc_id: int, ex: dict[str, Any]) -> None:
        """Swap a stored document's extraction for a new one (``congvan reprocess``), keeping its
        register entry and task statuses where the same task comes out again."""
        doc = ex["document"]
        with self._transaction():
            old_status = {(r[0] or "", r[1] or ""): (r[2], r[3]) for r in self.conn.execute(
                "SELECT section, action, status, done_at FROM tasks WHERE document_id = ?", (doc_id,))}
            self.conn.execute("DELETE FROM task_recipients WHERE task_id IN "
                              "(SELECT id FROM tasks WHERE document_id = ?)", (doc_id,))
            for t in ("recipients", "cc", "citations", "tasks"):
                self.conn.execute(f"DELETE FROM {t} WHERE document_id = ?", (doc_id,))
            self.conn.execute("DELETE FROM edges WHERE document_id = ?", (doc_id,))
            old_node = self.conn.execute("SELECT node_id FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
            nid = node_key(doc["code"], doc.get("issuer"), doc.get("date")) if doc.get("code") else None
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
            for (tid, sec, act) in self.conn.execute(
                    "SELECT id, section, action FROM tasks WHERE document_id = ?", (doc_id,)).fetchall():
                st = old_status.get((sec or "", act or ""))
                if st:
                    self.conn.execute("UPDATE tasks SET status = ?, done_at = ? WHERE id = ?", (st[0], st[1], tid))
            self.conn.execute("UPDATE docs_fts SET code = ?, subject = ?, issuer = ? WHERE rowid = ?",
                              (fts_fold(doc.get("code")), fts_fold(doc.get("subject")), fts_fold(doc.get("issuer")),
                               doc_id))

    def errors(self, since_id: int = 0) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT * FROM ingest_errors WHERE id > ? ORDER BY id", [since_id]))

    def last_error_id(self) -> int:
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM ingest_errors").fetchone()[0]


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


def fold_chars(text: str) -> str:
    """Lower case without diacritics, one character for one, so offsets stay those of text."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


def make_snippet(text: str, words: list[str], width: int = 70) -> str:
    """The stretch of ``text`` around the first query word, the words in [brackets].

    >>> make_snippet("Triển khai cải cách hành chính năm 2024", ["cai", "cach"])
    'Triển khai [cải] [cách] hành chính năm 2024'
    """
    folded = fold_chars(text)
    keys = [fold_chars(w) for w in words if w]
    hits: list[tuple[int, int]] = []
    for k in keys:
        for m in regex.finditer(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(k)}(?![\p{{L}}\p{{N}}])", folded):
            hits.append((m.start(), m.end()))
    if not hits:
        return " ".join(text[: 2 * width].split())
    first = min(h[0] for h in hits)
    lo, hi = max(0, first - width), min(len(text), first + width)
    parts, pos = [], lo
    for a, b in sorted(h for h in hits if h[0] >= lo and h[1] <= hi):
        if a < pos:
            continue
        parts += [text[pos:a], "[", text[a:b], "]"]
        pos = b
    parts.append(text[pos:hi])
    return ("…" if lo else "") + " ".join("".join(parts).split()) + ("…" if hi < len(text) else "")


_FTS_WORD = regex.compile(r"[\p{L}\p{N}]+")


def fts_query(query: str) -> str:
    """A user's words as an FTS5 query: each word quoted (so FTS syntax cannot break it), all
    required, đ folded to d. A phrase in double quotes stays a phrase.

    >>> fts_query('cai cach "hành chính" đất')
    '"cai" "cach" "hành chính" "dất"'
    """
    q = fts_fold(query)
    parts: list[str] = []
    for m in regex.finditer(r'"([^"]*)"|([^\s"]+)', q):
        words = _FTS_WORD.findall(m.group(1) if m.group(1) is not None else m.group(2))
        if words:
            parts.append('"' + " ".join(words) + '"')
    if not parts:
        raise CongvanError(f"câu tìm kiếm {query!r} không có từ nào để tìm")
    return " ".join(parts)


def chunked(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    buf: list[Any] = []
    for it in items:
        buf.append(it)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf
