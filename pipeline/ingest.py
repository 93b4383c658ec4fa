"""Batch ingest: find files, read and extract them in worker processes, store each in one
transaction. Bytes already stored (same sha256) are skipped, so a rerun after a crash or a
kill completes the batch with nothing doubled.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CongvanError
from .readers import DEFAULT_LIMITS, READABLE_SUFFIXES, Limits
from .store import Store

SKIP_NAMES = {"SOURCES.jsonl", "README.md"}


@dataclass
class IngestReport:
    seen: int = 0
    stored: int = 0
    skipped: int = 0
    duplicates: int = 0
    pages: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def find_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths (folders recursively), readable kinds only, sorted.

    A file named explicitly is always returned (the reader will say if it cannot read it).
    """
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in READABLE_SUFFIXES and f.name not in SKIP_NAMES \
                        and not f.name.startswith((".", "~$")):
                    yield f
        else:
            yield p


def sha256_file(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def process_file(path: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Read and extract one file; never raises: a failure comes back as {"error": …}.

    Runs in a worker process.
    """
    from . import extract_document
    from .readers import read_document
    try:
        raw = read_document(path, limits)
        ex = extract_document(raw)
        return {"path": path, "extraction": ex.to_dict(), "text": ex.raw.text, "pages": raw.pages}
    except CongvanError as e:
        return {"path": path, "error": e.message}
    except MemoryError:
        return {"path": path, "error": "hết bộ nhớ khi đọc tệp"}
    except Exception as e:  # a bug or a file no reader foresaw: say so, keep the batch going
        return {"path": path, "error": f"lỗi không lường trước khi xử lý ({type(e).__name__}: {e})"}


def _run_pool(todo: list[str], jobs: int, limits: Limits, handle: Callable[[dict[str, Any]], None]) -> None:
    """Feed files to a pool of workers, a few at a time, handing each result over as it comes.

    A worker that dies (a crash inside a C library on a malformed file) breaks the whole pool:
    the files then in flight become suspects and are each tried again alone, so the one that
    kills its worker again is recorded as failed and the batch goes on.
    """
    queue = list(reversed(todo))
    suspects: list[str] = []
    while queue:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
            pending: dict[Future[dict[str, Any]], str] = {}
            broken = False
            while (queue or pending) and not broken:
                while queue and len(pending) < jobs * 4:
                    p = queue.pop()
                    pending[pool.submit(process_file, p, limits)] = p
                done, _ = wait(set(pending), return_when=FIRST_COMPLETED)
                for fut in done:
                    path = pending.pop(fut)
                    try:
                        handle(fut.result())
                    except BrokenProcessPool:
                        broken = True
                        suspects.append(path)
            suspects.extend(pending.values())
    for path in suspects:
        with ProcessPoolExecutor(max_workers=1, initializer=_init_worker) as alone:
            try:
                res = alone.submit(process_file, path, limits).result()
            except BrokenProcessPool:
                res = {"path": path, "error": "tiến trình đọc tệp bị dừng đột ngột (tệp hỏng làm thư viện đọc bị lỗi)"}
        handle(res)


def _init_worker() -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def ingest(store: Store, paths: Iterable[str | Path], jobs: int | None = None,
           limits: Limits = DEFAULT_LIMITS, progress: Callable[[IngestReport, str], None] | None = None,
           received_date: str | None = None) -> IngestReport:
    """Ingest files and folders into ``store``; returns counts and the errors met.

    >>> ingest(Store(":memory:"), ["corpus"]).stored  # doctest: +SKIP
    """
    rep = IngestReport()
    t0 = time.perf_counter()
    known = store.known_shas()
    todo: list[str] = []
    batch_shas: set[str] = set()
    for f in find_files(paths):
        rep.seen += 1
        sha = sha256_file(f)
        if sha is None:
            if not f.exists():
                reason = "không có tệp này"
            else:
                reason = "không đọc được tệp"
            rep.errors.append((str(f), reason))
            store.record_error(str(f), reason)
            continue
        if sha in known or sha in batch_shas:
            rep.skipped += 1
            continue
        batch_shas.add(sha)
        todo.append(str(f))

    def handle(res: dict[str, Any]) -> None:
        if "error" in res:
            rep.errors.append((res["path"], res["error"]))
            store.record_error(res["path"], res["error"])
        else:
            _, dup = store.save_extraction(res["extraction"], res["text"], received_date)
            rep.stored += 1
            rep.pages += res.get("pages") or 0
            if dup is not None:
                rep.duplicates += 1
        rep.seconds = time.perf_counter() - t0
        if progress:
            progress(rep, res["path"])

    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(todo) <= 1:
        for p in todo:
            handle(process_file(p, limits))
    else:
        _run_pool(todo, jobs, limits, handle)
    rep.seconds = time.perf_counter() - t0
    return rep
