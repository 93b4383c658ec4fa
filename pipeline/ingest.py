"""Batch ingest: find files, read and extract them in worker processes, store each in one
transaction. Bytes already stored (same sha256) are skipped, so a rerun after a crash or a
kill completes the batch with nothing doubled.

No input stops a batch: a file that cannot be read, a name that is not UTF-8, a pipe or a device,
a dangling or looping link, a folder named like a file, a file that hangs its reader or kills
its worker: each is named once in ``ingest_errors`` (once per content: a rerun or ``--watch``
updates the row, it does not add one) and the batch goes on.

The map step is a parameter: ``ingest(..., engine=E)`` where ``E(work, paths)`` runs
``work(path)`` for every path and yields each result (a dict, see :func:`process_file`) as it
arrives, in any order. The default, :func:`process_pool`, runs a pool of worker processes that
die with their parent, each file under a time limit; a Dask engine (pipeline/engines.py) plugs
in the same way.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import stat
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CongvanError, StoreError
from .readers import DEFAULT_LIMITS, READABLE_SUFFIXES, Limits
from .record import make_record
from .store import Store

SKIP_NAMES = {"SOURCES.jsonl", "README.md"}

# Seconds one file may take (read, OCR, extract) before its worker is stopped and the file
# recorded as failed. The slowest letter of ../shared/corpus (quangngai-2352-07-ct-ubnd-signed-…pdf, a
# 4-page scan OCRed page by page) took 133 s of wall time on 2 cores shared by eight busy processes
# (0.9 s of its own CPU; Tesseract the rest): the default leaves room for a slower machine.
DEFAULT_FILE_TIMEOUT = 600.0
# Memory (MB of data: heap and anonymous maps, RLIMIT_DATA) one worker may take, and so may each
# program it starts. The corpus needs under 400 (a worker reading PDFs, DOC through LibreOffice and scans
# through Tesseract peaks near 340 MB of address space); a page that would render to gigabytes
# (a blank 14400x14400 pt page) fails at once with "hết bộ nhớ" instead of taking the machine.
DEFAULT_WORKER_MEMORY_MB = 768

Result = dict[str, Any]
Work = Callable[[str], Result]
# An engine maps the per-file work over paths: engine(work, paths) yields one result per path,
# as each arrives. It never raises for a file: a failure is a result with "error".
Engine = Callable[[Work, Sequence[str]], Iterator[Result]]


@dataclass
class IngestReport:
    seen: int = 0
    stored: int = 0
    skipped: int = 0
    duplicates: int = 0
    pages: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    stored_paths: list[str] = field(default_factory=list)   # what this run stored (not another)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what a reader noticed)


# ---- finding files ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    """A path met while scanning; ``problem`` says why it cannot be read, found without opening it."""

    path: str
    problem: str | None = None


def display_path(path: str | bytes | os.PathLike[Any]) -> str:
    """A path as text that can be printed and stored: bytes of the name that are not UTF-8
    appear as ``\\xNN`` (the file itself is still opened by its real name).

    >>> display_path(b"c\\xf4ng-v\\xe3n.txt")
    'c\\\\xf4ng-v\\\\xe3n.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


_KINDS = ((stat.S_ISFIFO, "ống FIFO"), (stat.S_ISCHR, "thiết bị ký tự"), (stat.S_ISBLK, "thiết bị khối"),
          (stat.S_ISSOCK, "socket"))


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "không phải tệp thường")
    return f"không phải tệp thường ({kind}): không mở để đọc"


def _stat_problem(path: str, e: OSError) -> str:
    """Why ``os.stat`` failed, in words; a link says where it points."""
    if os.path.islink(path):
        try:
            target = display_path(os.readlink(path))
        except OSError:
            target = "?"
        if e.errno == errno.ELOOP:
            return f"liên kết tượng trưng vòng lặp (trỏ tới {target}, rồi lại trỏ về chính nó)"
        if e.errno == errno.ENOENT:
            return f"liên kết tượng trưng hỏng: trỏ tới {target}, không còn tồn tại"
    if e.errno == errno.ENOENT:
        return "không có tệp này"
    if e.errno == errno.ELOOP:
        return "đường dẫn có vòng lặp liên kết tượng trưng"
    return f"không đọc được tệp ({e.strerror or e})"


def scan_paths(paths: Iterable[str | bytes | Path]) -> Iterator[Found]:
    """Every path to ingest under ``paths`` (folders recursively, readable kinds only), with the
    problems met on the way. Nothing is opened: a FIFO or a device is only ``stat``-ed.

    A file named explicitly is always returned. In a folder: files of the kinds congvan reads,
    not hidden, not Office lock files (``~$x.docx``); links are followed, a dangling or looping
    link is a problem, a folder with a file's name (``x.pdf/``) is reported and still walked.
    """
    for p in paths:
        name = os.fsdecode(p)
        try:
            st = os.stat(name)
        except OSError as e:
            yield Found(name, _stat_problem(name, e))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from sorted(_walk(name, st, ()), key=lambda f: os.fsencode(f.path))
        elif stat.S_ISREG(st.st_mode):
            yield Found(name)
        else:
            yield Found(name, _not_regular(st.st_mode))


def _walk(folder: str, st: os.stat_result, chain: tuple[tuple[int, int], ...]) -> Iterator[Found]:
    chain = chain + ((st.st_dev, st.st_ino),)
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda x: os.fsencode(x.name))
    except OSError as err:
        yield Found(folder, f"không đọc được thư mục ({err.strerror or err})")
        return
    for entry in entries:
        if entry.name in SKIP_NAMES or entry.name.startswith((".", "~$")):
            continue
        readable = Path(entry.name).suffix.lower() in READABLE_SUFFIXES
        try:
            est = os.stat(entry.path)
        except OSError as err:
            # A broken link with a document's name, or without any suffix (it may have been a
            # folder), is worth a line; a broken "notes.xyz" is no more ours than a real one.
            if readable or not Path(entry.name).suffix:
                yield Found(entry.path, _stat_problem(entry.path, err))
            continue
        if stat.S_ISDIR(est.st_mode):
            if (est.st_dev, est.st_ino) in chain:
                yield Found(entry.path, "liên kết tượng trưng vòng lặp: trỏ về thư mục chứa nó, không đi vào")
                continue
            if len(chain) > 64:
                yield Found(entry.path, "thư mục lồng nhau quá 64 tầng, không đi vào")
                continue
            if readable:
                yield Found(entry.path, f"là thư mục (tên có đuôi {Path(entry.name).suffix}), không phải tệp; "
                                        "các tệp bên trong vẫn được nạp")
            yield from _walk(entry.path, est, chain)
        elif readable:
            yield Found(entry.path) if stat.S_ISREG(est.st_mode) else Found(entry.path, _not_regular(est.st_mode))


def find_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under the given paths (folders recursively), readable kinds only, sorted.

    A file named explicitly is always returned (the reader will say if it cannot read it).
    ``scan_paths`` gives the same with the problems (links, pipes, folders) found on the way.
    """
    for f in scan_paths(paths):
        if not (f.problem and os.path.isdir(f.path)):
            yield Path(f.path)


def sha256_file(path: str | Path) -> str | None:
    """The sha256 of a regular file's bytes; None where it cannot be read or is not a regular
    file (opened without blocking, so a FIFO swapped in after the scan cannot hang the run)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        h = hashlib.sha256()
        with os.fdopen(fd, "rb", closefd=False) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


# ---- the work for one file ----------------------------------------------------------------------
def process_file(path: str, limits: Limits = DEFAULT_LIMITS) -> Result:
    """Read and extract one file; never raises: a failure comes back as {"path", "error"}.

    Returns {"path", "extraction" (the contract dict), "text", "pages"}. Runs in a worker.
    """
    from . import extract_file_results
    try:
        # a package (edXML, e-mail, ZIP) may hold several letters: {"path", "results": [...]}
        results = extract_file_results(path, limits)
        return results[0] if len(results) == 1 else {"path": path, "results": results}
    except CongvanError as e:
        return {"path": path, "error": e.message}
    except MemoryError:
        return {"path": path, "error": "hết bộ nhớ khi đọc tệp"}
    except RecursionError:
        return {"path": path, "error": "tệp lồng nhau quá sâu, không đọc được"}
    except Exception as e:  # a bug or a file no reader foresaw: say so, keep the batch going
        return {"path": path, "error": f"lỗi không lường trước khi xử lý ({type(e).__name__}: {e})"}


def timeout_result(path: str, seconds: float) -> Result:
    """The result an engine gives for a file still running after ``seconds``."""
    return {"path": path, "error": f"quá thời gian cho một tệp ({seconds:g} giây): đã dừng "
                                   "(đổi bằng --file-timeout)"}


def crash_result(path: str, how: str = "") -> Result:
    """The result an engine gives for a file whose worker died under it."""
    return {"path": path, "error": "tiến trình đọc tệp bị dừng đột ngột (tệp hỏng làm thư viện đọc bị lỗi"
                                   + (f"; {how}" if how else "") + ")"}


# ---- engines --------------------------------------------------------------------------------------
def in_process(work: Work, paths: Sequence[str]) -> Iterator[Result]:
    """The simplest engine: each file in this process, one after the other, no time limit."""
    for p in paths:
        yield work(p)


def process_pool(jobs: int | None = None, file_timeout: float | None = DEFAULT_FILE_TIMEOUT,
                 memory_mb: int | None = DEFAULT_WORKER_MEMORY_MB) -> Engine:
    """The default engine: ``jobs`` worker processes (default: the CPU count).

    A file still running after ``file_timeout`` seconds (None: no limit) has its worker killed,
    with whatever that worker started (LibreOffice, Tesseract), and replaced; so has a worker
    that dies (a crash inside a C library). Each worker may allocate ``memory_mb`` MB (None: no
    limit; Linux RLIMIT_DATA). Workers die with this process, even on ``kill -9``.

    >>> list(process_pool(2)(len, ["ab", "c"]))  # doctest: +SKIP
    [2, 1]
    """
    def run(work: Work, paths: Sequence[str]) -> Iterator[Result]:
        return _pool_map(work, paths, jobs or os.cpu_count() or 1, file_timeout, memory_mb)
    return run


class _Worker:
    """One worker process, fed one path at a time over its own pipe."""

    def __init__(self, ctx: Any, work: Work, memory_mb: int | None):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, work, os.getpid(), memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.path: str | None = None
        self.started = 0.0

    def give(self, path: str) -> None:
        self.path, self.started = path, time.monotonic()
        self.conn.send(path)

    def kill(self) -> None:
        """The worker and every process it started (its own process group)."""
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.join()
        self.conn.close()

    def stop(self) -> None:
        if self.path is None and self.proc.is_alive():
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.proc.join(2)
        self.kill()


def _pool_map(work: Work, paths: Sequence[str], jobs: int, timeout: float | None,
              memory_mb: int | None = None) -> Iterator[Result]:
    queue = deque(paths)
    if not queue:
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    workers = [_Worker(ctx, work, memory_mb) for _ in range(min(jobs, len(queue)))]
    try:
        while True:
            for w in workers:
                if w.path is None and queue:
                    w.give(queue.popleft())
            busy = [w for w in workers if w.path is not None]
            if not busy:
                return
            wait = None
            if timeout is not None:
                wait = max(0.0, min(w.started for w in busy) + timeout - time.monotonic())
            ready = multiprocessing.connection.wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                                                    timeout=wait)
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.path is None:
                    continue
                res: Result | None = None
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        res = w.conn.recv() if w.conn.poll() else None
                    except (EOFError, OSError):
                        res = None
                    if res is None:
                        code = w.proc.exitcode
                        res = crash_result(w.path, f"mã thoát {code}" if code is not None else "")
                        w.kill()
                        workers[i] = _Worker(ctx, work, memory_mb)
                    else:
                        w.path = None
                elif timeout is not None and now - w.started >= timeout:
                    res = timeout_result(w.path, timeout)
                    w.kill()
                    workers[i] = _Worker(ctx, work, memory_mb)
                if res is not None:
                    yield res
    finally:
        for w in workers:
            w.stop()


def _worker_main(conn: Any, work: Work, parent: int, memory_mb: int | None = None) -> None:
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # its own group: killing it on a timeout takes LibreOffice/Tesseract along
    _die_with_parent(parent)
    if memory_mb:
        _limit_memory(memory_mb)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        res = work(path)
        if memory_mb and str(res.get("error", "")).startswith("hết bộ nhớ"):
            res["error"] += f" (giới hạn {memory_mb} MB mỗi tiến trình, đổi bằng --worker-memory-mb)"
        conn.send(res)


def _limit_memory(mb: int) -> None:
    """At most ``mb`` MB of heap and anonymous maps for this process and what it starts."""
    import resource
    limit = getattr(resource, "RLIMIT_DATA", None)
    if limit is None:
        return
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(limit)
        want = mb * 1024 * 1024
        resource.setrlimit(limit, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard))


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker, and what it started, end when the ingest that started it ends, however
    it ends (``kill -9`` included): Linux sends SIGTERM at the parent's death (prctl
    PR_SET_PDEATHSIG), on which the worker kills its process group; a thread watching the
    parent's pid does the same where the signal cannot come (not Linux) or is not acted upon
    (the main thread busy inside a C library)."""
    def end(*_: Any) -> None:
        with contextlib.suppress(OSError):
            os.killpg(os.getpid(), signal.SIGKILL)
        os._exit(1)

    if sys.platform.startswith("linux"):
        signal.signal(signal.SIGTERM, end)
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        end()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        end()

    threading.Thread(target=watch, name="congvan-parent-watch", daemon=True).start()


# ---- the batch ------------------------------------------------------------------------------------
def ingest(store: Store, paths: Iterable[str | Path], jobs: int | None = None,
           limits: Limits = DEFAULT_LIMITS, progress: Callable[[IngestReport, str], None] | None = None,
           received_date: str | None = None, *, engine: Engine | None = None,
           file_timeout: float | None = DEFAULT_FILE_TIMEOUT,
           worker_memory_mb: int | None = DEFAULT_WORKER_MEMORY_MB) -> IngestReport:
    """Ingest files and folders into ``store``; returns counts and the errors met.

    Args:
        engine: maps the per-file work over the paths (default: :func:`process_pool` with
            ``jobs`` workers, ``file_timeout`` seconds and ``worker_memory_mb`` MB per file).

    >>> ingest(Store(":memory:"), ["corpus"]).stored  # doctest: +SKIP
    """
    rep = IngestReport()
    t0 = time.perf_counter()
    known = store.known_shas()
    todo: list[str] = []
    shas: dict[str, str] = {}
    batch: set[str] = set()
    for f in scan_paths(paths):
        rep.seen += 1
        if f.problem:
            _record_error(store, rep, f.path, f.problem, None)
            continue
        sha = sha256_file(f.path)
        if sha is None:
            reason = "không có tệp này" if not os.path.lexists(f.path) else "không đọc được tệp"
            _record_error(store, rep, f.path, reason, None)
            continue
        if sha in known or sha in batch:
            rep.skipped += 1
            continue
        batch.add(sha)
        shas[f.path] = sha
        todo.append(f.path)

    work = functools.partial(process_file, limits=limits)
    run = engine or process_pool(jobs, file_timeout, worker_memory_mb)
    results = run(work, todo)
    try:
        for res in results:
            for one in res.get("results") or [res]:
                _store_result(store, rep, one, shas.get(res["path"]), received_date)
            rep.seconds = time.perf_counter() - t0
            if progress:
                progress(rep, display_path(res["path"]))
    finally:
        close = getattr(results, "close", None)
        if close:
            close()  # an interrupted batch stops its workers now, not at garbage collection
    rep.seconds = time.perf_counter() - t0
    return rep


def _store_result(store: Store, rep: IngestReport, res: Result, sha: str | None,
                  received_date: str | None) -> None:
    """Store one engine result (or record its error) and count it."""
    path = display_path(res["path"])
    if "error" in res:
        _record_error(store, rep, path, res["error"], sha)
        return
    # Graph keys, due dates, register date: decided before the store, which computes nothing.
    ex = make_record(res["extraction"], received_date)
    ex["source"]["path"] = path
    try:
        saved = _save(store, ex, res["text"])
    except (UnicodeError, ValueError, OverflowError) as e:
        _record_error(store, rep, path, f"không lưu được vào kho ({type(e).__name__}: {e})", sha)
        return
    if saved is None:  # another ingest running at the same time stored these bytes first
        rep.skipped += 1
        return
    rep.stored += 1
    rep.stored_paths.append(path)
    rep.pages += res.get("pages") or 0
    if saved[1] is not None:
        rep.duplicates += 1
    rep.warnings += [(path, w) for w in ex["source"].get("warnings") or []]


def _save(store: Store, ex: dict[str, Any], text: str) -> tuple[int, int | None] | None:
    try:
        return _call_store(store.save_extraction, ex, text, new_only=True)
    except UnicodeEncodeError:
        # A lone surrogate in text a library handed over (a broken PDF font): keep the rest.
        return _call_store(store.save_extraction, _scrub(ex), _scrub(text), new_only=True)


def _record_error(store: Store, rep: IngestReport, path: str, reason: str, sha: str | None) -> None:
    path = display_path(path)
    rep.errors.append((path, reason))
    _call_store(store.record_error, path, _scrub(reason), sha256=sha)


def _call_store(fn: Callable[..., Any], *a: Any, **kw: Any) -> Any:
    import sqlite3
    try:
        return fn(*a, **kw)
    except sqlite3.Error as e:
        raise StoreError(f"không ghi được vào kho ({e})", getattr(getattr(fn, "__self__", None), "path", None)) from e


def _scrub(obj: Any) -> Any:
    """``obj`` with every str made encodable (a lone surrogate becomes U+FFFD)."""
    if isinstance(obj, str):
        return obj.encode("utf-8", "replace").decode("utf-8") if _unencodable(obj) else obj
    if isinstance(obj, dict):
        return {k: _scrub(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_scrub(v) for v in obj]
    return obj


def _unencodable(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# ---- watching a folder ------------------------------------------------------------------------------
def watch_folder(store: Store, folder: str | Path, jobs: int | None = None, limits: Limits = DEFAULT_LIMITS,
                 interval: float = 2.0, *, on_report: Callable[[IngestReport], None] | None = None,
                 engine: Engine | None = None, file_timeout: float | None = DEFAULT_FILE_TIMEOUT,
                 worker_memory_mb: int | None = DEFAULT_WORKER_MEMORY_MB, polls: int | None = None) -> None:
    """Poll ``folder`` and ingest the files that appear, once they have stopped growing.

    A file is taken up again only when it changes (size or time), so a file that fails is
    recorded once, not at every poll. ``on_report`` gets each poll's report that stored or
    failed something; ``polls`` stops after that many polls (default: until Ctrl+C).
    """
    seen: dict[str, tuple[int, int]] = {}      # path -> (size, mtime) at the last poll
    done: dict[str, tuple[int, int] | str] = {}  # path -> what it was when handled
    n = 0
    with contextlib.suppress(KeyboardInterrupt):
        while polls is None or n < polls:
            n += 1
            ready: list[str] = []
            problems: list[Found] = []
            for f in scan_paths([folder]):
                if f.problem:
                    if done.get(f.path) != f.problem:
                        done[f.path] = f.problem
                        problems.append(f)
                    continue
                try:
                    st = os.stat(f.path)
                except OSError:
                    continue
                sig = (st.st_size, st.st_mtime_ns)
                if seen.get(f.path) == sig and done.get(f.path) != sig:
                    ready.append(f.path)
                    done[f.path] = sig
                seen[f.path] = sig
            if ready or problems:
                rep = ingest(store, ready, jobs=jobs, limits=limits, engine=engine, file_timeout=file_timeout,
                             worker_memory_mb=worker_memory_mb)
                for f in problems:
                    _record_error(store, rep, f.path, f.problem or "", None)
                if (rep.stored or rep.errors) and on_report:
                    on_report(rep)
            if polls is None or n < polls:
                time.sleep(interval)
