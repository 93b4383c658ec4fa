"""`make bench-scale`: the store and ingest at a province's scale (issue 13). Never a timed test.

Stage ``corpus``: the real corpus (../shared/corpus) made distinct (each file copied COPIES
times, every copy with one byte changed after its end: other bytes, the same letter, so copies
come in as re-sent letters, flagged, not numbered) and ingested three ways:
  1. SQLite, ``congvan ingest --jobs 2``;
  2. PostgreSQL, ``congvan ingest --engine dask --jobs 2`` (a local Dask cluster of 2 workers);
  3. PostgreSQL, three ``congvan ingest --jobs 1`` processes at once on three thirds of the inbox.
  docs/s and pages/s of each (wall clock, start to last commit), and checks: every file stored once
  (no sha256 twice), the register numbered 1..N per year without a gap.

Stage ``100k``: a synthetic inbox (tools/make_inbox.py, TXT letters citing one another) of N
letters ingested into PostgreSQL, then: search median and p95 (library call, the words of
several queries), ``tasks --overdue``, ``cited-by`` two levels deep, and the database size per
document.

Figures go to output/bench_scale.json and are printed as Markdown (docs/SCALE.md quotes them).

usage: python tools/bench_scale.py --pg postgresql://… [--stage corpus,100k] [--copies 2] [--n 100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))
CONGVAN = str(Path(sys.executable).parent / "congvan")


def schema_url(url: str, schema: str, extra: str = "") -> str:
    from urllib.parse import quote
    return f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema},public' + extra)}"


def fresh_schema(url: str, schema: str) -> str:
    import psycopg
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        c.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        c.execute(f"CREATE SCHEMA {schema}")
    return schema_url(url, schema)


def distinct_corpus(shared: Path, out: Path, copies: int) -> list[Path]:
    """The corpus' files, each ``copies`` times; copy k > 0 has k bytes appended after the end of
    the file (a newline for text, a NUL past a PDF's %%EOF, the ZIP comment of a DOCX)."""
    import zipfile
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = sorted(p for p in (shared / "corpus").iterdir()
                   if p.is_file() and p.name not in ("SOURCES.jsonl", "README.md") and not p.name.startswith("."))
    made = []
    for k in range(copies):
        for f in files:
            dst = out / (f.name if k == 0 else f"{f.stem}.copy{k}{f.suffix}")
            data = f.read_bytes()
            if k and f.suffix.lower() in (".docx", ".xlsx", ".zip"):
                shutil.copy(f, dst)
                with zipfile.ZipFile(dst, "a") as z:
                    z.comment = f"copy {k}".encode()
            else:
                dst.write_bytes(data + (b"\n" if f.suffix.lower() == ".txt" else b"\0") * k)
            made.append(dst)
    return made


def run(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, env=dict(os.environ, **(env or {})), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def check(db: str) -> dict[str, Any]:
    """Stored documents and pages, files stored twice, gaps in the register."""
    from pipeline.store import open_store
    s = open_store(db)
    try:
        rows = list(s.db.query("SELECT sha256, pages, received_year, received_number, duplicate_of FROM documents"))
        by_year: dict[int, list[int]] = {}
        for r in rows:
            if r["received_number"] is not None:
                by_year.setdefault(r["received_year"], []).append(r["received_number"])
        gaps = sum(len(set(range(1, max(v) + 1)) - set(v)) for v in by_year.values())
        repeated = sum(len(v) - len(set(v)) for v in by_year.values())
        return {"documents": len(rows), "pages": sum(r["pages"] or 0 for r in rows),
                "doubles": len(rows) - len({r["sha256"] for r in rows}), "register_gaps": gaps,
                "register_repeats": repeated, "resent": sum(r["duplicate_of"] is not None for r in rows),
                "errors": s.counts()["errors"]}
    finally:
        s.close()


def timed(label: str, procs: list[subprocess.Popen[bytes]], t0: float, db: str) -> dict[str, Any]:
    for p in procs:
        _, err = p.communicate()
        if p.returncode not in (0, 1):  # 1: some files failed (recorded in the error table)
            raise SystemExit(f"{label}: ingest failed: {err.decode()[-2000:]}")
    secs = time.perf_counter() - t0
    got = check(db)
    got.update(run=label, seconds=round(secs, 1), docs_per_s=round(got["documents"] / secs, 2),
               pages_per_s=round(got["pages"] / secs, 2))
    print(f"  {label}: {got}", flush=True)
    return got


def stage_corpus(a: argparse.Namespace, work: Path) -> list[dict[str, Any]]:
    inbox = work / "corpus-distinct"
    files = distinct_corpus(a.shared, inbox, a.copies)
    print(f"corpus: {len(files)} files ({a.copies} copies of {len(files) // a.copies})", flush=True)
    out = []
    db = work / "scale-sqlite.db"
    if "sqlite" in a.runs:
        for p in work.glob("scale-sqlite.db*"):
            p.unlink()
        t0 = time.perf_counter()
        out.append(timed("SQLite, --jobs 2", [run([CONGVAN, "ingest", str(inbox), "--db", str(db), "--jobs", "2",
                                                    "--no-progress"])], t0, str(db)))
    if "dask" not in a.runs:
        return out
    url = fresh_schema(a.pg, "bench_dask")
    t0 = time.perf_counter()
    out.append(timed("PostgreSQL, --engine dask, 2 workers",
                     [run([CONGVAN, "ingest", str(inbox), "--engine", "dask", "--jobs", "2", "--no-progress"],
                          {"CONGVAN_DB": url})], t0, url))
    url = fresh_schema(a.pg, "bench_three")
    parts = [work / f"part{i}" for i in range(3)]
    for p in parts:
        shutil.rmtree(p, ignore_errors=True)
        p.mkdir()
    for i, f in enumerate(files):
        os.link(f, parts[i % 3] / f.name)
    t0 = time.perf_counter()
    out.append(timed("PostgreSQL, three ingests at once (--jobs 1 each)",
                     [run([CONGVAN, "ingest", str(p), "--jobs", "1", "--no-progress"], {"CONGVAN_DB": url})
                      for p in parts], t0, url))
    return out


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


_CODE = re.compile(r"^(\d+)(/S[A-ZĐ]+-VP)$")


def _replica(ex: dict[str, Any], r: int, base: int) -> dict[str, Any]:
    """Copy ``r`` of a synthetic letter: its number, and those of the synthetic letters it cites,
    moved by r × base (so copy r cites copy r), its bytes' hash its own."""
    import copy
    import hashlib
    ex = copy.deepcopy(ex)

    def move(code: str | None) -> str | None:
        m = _CODE.match(code or "")
        return f"{int(m.group(1)) + r * base}{m.group(2)}" if m and r else code
    doc = ex["document"]
    doc["code"] = move(doc.get("code"))
    if doc.get("number") and doc.get("code"):
        doc["number"] = doc["code"].split("/")[0]
    for c in ex.get("citations") or []:
        c["code"] = move(c["code"])
    src = ex["source"]
    src["sha256"] = hashlib.sha256(f"{src['sha256']}:{r}".encode()).hexdigest()
    src["path"] = f"copy{r}/{Path(src['path']).name}"
    return ex


def _load_part(url: str, base_file: str, replicas: list[int], base: int) -> int:
    """One writer: the given copies of the base letters, through the store's own write path
    (make_record, save_extraction: one transaction per document)."""
    from pipeline.record import make_record
    from pipeline.store import open_store
    results = json.loads(Path(base_file).read_text(encoding="utf-8"))
    s = open_store(url)
    n = 0
    for r in replicas:
        for res in results:
            ex = _replica(res["extraction"], r, base)
            received = ex["document"].get("date") or "2026-03-02"
            s.save_extraction(make_record(ex, received), res["text"])
            n += 1
    s.close()
    return n


_SHIFT = """
CREATE OR REPLACE FUNCTION pg_temp.shift(t text, off bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t ~* '^[0-9]+/s[a-zđ]+-vp' THEN (substring(t from '^[0-9]+')::bigint + off)::text
              || substring(t from '^[0-9]+(.*)$') ELSE t END $$"""

# Per table: column -> expression for copy r (:R document id offset, :C citation, :T task, :N number
# offset, :r copy); other columns are copied as they are.
_COPY = {
    "documents": {"id": "id + :R", "sha256": "sha256 || ':' || :r", "path": "'copy' || :r || '/' || path",
                  "code": "pg_temp.shift(code, :N)", "number": "split_part(pg_temp.shift(code, :N), '/', 1)",
                  "node_id": "pg_temp.shift(node_id, :N)", "duplicate_of": "duplicate_of + :R",
                  "received_number": "received_number + :r * (SELECT m FROM pg_temp.base_max b "
                                     "WHERE b.received_year = documents.received_year)"},
    "docs_search": {"document_id": "document_id + :R"},
    "recipients": {"document_id": "document_id + :R"},
    "cc": {"document_id": "document_id + :R"},
    "citations": {"id": "id + :C", "document_id": "document_id + :R", "code": "pg_temp.shift(code, :N)",
                  "target_node": "pg_temp.shift(target_node, :N)"},
    "nodes": {"id": "pg_temp.shift(id, :N)", "code": "pg_temp.shift(code, :N)", "document_id": "document_id + :R"},
    "edges": {"source": "pg_temp.shift(source, :N)", "target": "pg_temp.shift(target, :N)",
              "document_id": "document_id + :R"},
    "task_keys": {"id": "id + :T", "document_id": "document_id + :R",
                  "key": "(split_part(key, '|', 1)::bigint + :R)::text || substring(key from '^[0-9]+(.*)$')"},
    "tasks": {"id": "id + :T", "document_id": "document_id + :R"},
    "task_recipients": {"task_id": "task_id + :T"},
    "task_bodies": {"task_id": "task_id + :T"},
}


def replicate_sql(url: str, copies: int) -> None:
    """Copies 1..copies-1 of what the store holds, made in SQL: every row again with its ids moved
    past the last, its letter numbers moved by r × 10^6 (copy r cites copy r), its hash and path
    its own, its register numbers following on. Stubs of documents outside the synthetic numbering
    (laws, decrees) are shared, as real letters share them."""
    import psycopg
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(_SHIFT)
        m = {k: c.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
             for k, t in (("R", "documents"), ("C", "citations"), ("T", "tasks"))}
        m["T"] = max(m["T"], c.execute("SELECT coalesce(max(id), 0) FROM task_keys").fetchone()[0])
        c.execute("CREATE TEMP TABLE base_nodes AS SELECT id FROM nodes")
        c.execute("CREATE TEMP TABLE base_max AS SELECT received_year, max(received_number) AS m FROM documents "
                  "GROUP BY received_year")
        for r in range(1, copies):
            with c.transaction():
                for table, exprs in _COPY.items():
                    cols = [x[0] for x in c.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND table_name = %s ORDER BY ordinal_position", [table])]
                    sel = []
                    for col in cols:
                        e = exprs.get(col, f'"{col}"')
                        for k, v in (("R", m["R"] * r), ("C", m["C"] * r), ("T", m["T"] * r), ("N", 10 ** 6 * r),
                                     ("r", r)):
                            e = e.replace(f":{k}", str(v))
                        sel.append(e)
                    base = {"documents": "id", "docs_search": "document_id", "recipients": "document_id",
                            "cc": "document_id", "citations": "document_id", "edges": "document_id",
                            "tasks": "document_id", "task_keys": "document_id"}.get(table)
                    where = f"WHERE {base} <= {m['R']}" if base else (
                        f"WHERE task_id <= {m['T']}" if table in ("task_recipients", "task_bodies") else
                        "WHERE id IN (SELECT id FROM pg_temp.base_nodes)")
                    c.execute(f'INSERT INTO "{table}" ({", ".join(chr(34) + x + chr(34) for x in cols)}) '
                              f"SELECT {', '.join(sel)} FROM \"{table}\" {where} ON CONFLICT DO NOTHING")
        for t in ("documents", "citations", "tasks", "task_keys"):
            c.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))")
        c.execute("DELETE FROM register_counters")
        c.execute("INSERT INTO register_counters SELECT received_year, max(received_number) FROM documents "
                  "WHERE received_number IS NOT NULL GROUP BY received_year")
        c.execute("ANALYZE")


def stage_100k(a: argparse.Namespace, work: Path) -> dict[str, Any]:
    """N documents in PostgreSQL: ``--base`` synthetic letters (make_inbox) read and extracted by
    the pipeline, then stored N / base times over, each copy with its own numbers and hash, by
    ``--jobs`` writer processes through the store's write path. Loading is not what is measured
    here (the corpus stage measures ingest), so commits do not wait for the disk."""
    import multiprocessing

    from make_inbox import generate

    from pipeline.ingest import process_file
    from pipeline.store import open_store
    inbox = work / f"inbox-{a.base}"
    t0 = time.perf_counter()
    base_file = work / f"base-{a.base}.json"
    if base_file.exists():  # extracted by an earlier run
        base = json.loads(base_file.read_text(encoding="utf-8"))
    else:
        paths = generate(inbox, a.base, seed=13, mix=(1.0, 0.0, 0.0))
        with multiprocessing.Pool(a.jobs) as pool:
            base = [r for r in pool.map(process_file, [str(p) for p in paths], chunksize=20) if "error" not in r]
        base_file.write_text(json.dumps(base, ensure_ascii=False), encoding="utf-8")
    print(f"100k: {len(base)} base letters extracted ({time.perf_counter() - t0:.0f} s)", flush=True)
    url = fresh_schema(a.pg, "bench_100k")
    # synchronous_commit=off while loading: a server crash may lose the last moments, never corrupts
    load_url = schema_url(a.pg, "bench_100k", " -csynchronous_commit=off")
    t0 = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(a.jobs) as pool:
        stored = sum(pool.starmap(_load_part, [(load_url, str(base_file), [i], 10 ** 5) for i in range(a.jobs)]))
    secs = time.perf_counter() - t0
    print(f"  {stored} documents through the store's write path, {a.jobs} writers: {stored / secs:.1f} docs/s",
          flush=True)
    t1 = time.perf_counter()
    replicate_sql(url, max(1, a.n // stored))
    got = check(url)
    got.update(run=f"PostgreSQL, {got['documents']} documents", store_write_docs_per_s=round(stored / secs, 1),
               replicate_seconds=round(time.perf_counter() - t1, 1))
    print(f"  {got}", flush=True)
    s = open_store(url)
    res: dict[str, Any] = {"load": got}
    queries = ["dang ky dat dai", "cai cach hanh chinh", "chuyen doi so", "ky luat ky cuong", "thien tai",
               "dai hoi nhiem ky", "quy che phoi hop", "thu tuc hanh chinh", "So Noi vu", "bao cao ket qua"]
    lat = []
    for _ in range(3):
        for q in queries:
            t = time.perf_counter()
            s.search(q)
            lat.append((time.perf_counter() - t) * 1000)
    res["search_ms"] = {"median": round(statistics.median(lat), 1), "p95": round(pct(lat, 0.95), 1), "n": len(lat)}
    t = time.perf_counter()
    overdue = s.task_rows(status="overdue", overdue_as_of="2026-12-31")
    res["tasks_overdue"] = {"seconds": round(time.perf_counter() - t, 2), "rows": len(overdue)}
    cited = [r["target"] for r in s.db.query(
        "SELECT target, count(*) AS n FROM edges GROUP BY target ORDER BY n DESC LIMIT 10")]
    cited += [r["node_id"] for r in s.db.query(
        "SELECT node_id FROM documents WHERE node_id IS NOT NULL ORDER BY id LIMIT 10 OFFSET ?",
        [got["documents"] // 2])]
    walk_ms, reached = [], []
    for nid in cited:
        t = time.perf_counter()
        reached.append(len(s.walk([nid], "in", 2)))
        walk_ms.append((time.perf_counter() - t) * 1000)
    res["cited_by_depth2_ms"] = {"median": round(statistics.median(walk_ms), 1), "p95": round(pct(walk_ms, 0.95), 1),
                                 "max_reached": max(reached), "n": len(walk_ms)}
    size = s.conn.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                          "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                          ).fetchone()[0]
    res["db_bytes"] = int(size)
    res["bytes_per_document"] = round(int(size) / max(1, got["documents"]))
    res["counts"] = s.counts()
    s.close()
    print(f"  100k: {json.dumps(res, ensure_ascii=False)}", flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", default=os.environ.get("CONGVAN_TEST_PG"), help="a PostgreSQL database (make pg)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--stage", default="corpus,100k")
    ap.add_argument("--copies", type=int, default=2)
    ap.add_argument("--runs", default="sqlite,dask,three", help="corpus: which of the three ingests")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--base", type=int, default=2_000, help="100k: synthetic letters extracted, then copied")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=REPO / "output" / "bench-scale")
    a = ap.parse_args()
    if not a.pg:
        raise SystemExit("give --pg postgresql://… or set CONGVAN_TEST_PG (make pg prints one)")
    a.work.mkdir(parents=True, exist_ok=True)
    out_file = REPO / "output" / "bench_scale.json"
    result = json.loads(out_file.read_text()) if out_file.exists() else {}
    result["machine"] = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {dt.date.today()}"
    stages = a.stage.split(",")
    if "corpus" in stages:
        result["corpus"] = stage_corpus(a, a.work)
    if "100k" in stages:
        result["100k"] = stage_100k(a, a.work)
    out_file.write_text(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    print(f"written {out_file}")


if __name__ == "__main__":
    main()
