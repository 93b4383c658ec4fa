"""Engines that map the per-file work of an ingest over a cluster (the map step of
``pipeline.ingest``: ``engine(work, paths)`` yields one result per path as it arrives).

``dask_engine(scheduler, jobs)`` runs the work on a Dask distributed cluster: the one at
``scheduler`` (``tcp://HOST:8786``: a ``dask scheduler`` and ``dask worker`` processes on
several machines, each with ``pip install 'congvan[dask]'``), or, without one, a local cluster of
``jobs`` worker processes. Each file's bytes travel to the worker with the task (a worker needs no
access to the inbox), the worker extracts them (the same pure work the local pool runs; rules
come with the installed package), and the result comes back to this process, which writes it to
the store as it arrives: the same progress, error table and resume as a local ingest.

Dask rather than Ray: Dask distributed is a plain ``pip install`` of pure Python on every
machine, schedules Python functions over processes with nothing else to run (no object store,
no head-node services), and a future's result arriving in any order is exactly the ingest
loop's model.

>>> from pipeline.ingest import ingest  # doctest: +SKIP
>>> ingest(store, ["inbox/"], engine=dask_engine("tcp://10.0.0.5:8786"))  # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

Result = dict[str, Any]
Work = Callable[[str], Result]
Engine = Callable[[Work, Sequence[str]], Iterator[Result]]


def dask_engine(scheduler: str | None = None, jobs: int | None = None,
                file_timeout: float | None = None, in_flight: int = 4) -> Engine:
    """An ingest engine on Dask distributed.

    Args:
        scheduler: address of a running scheduler (``tcp://HOST:8786``); None starts a local
            cluster of ``jobs`` worker processes (default: the CPU count), one thread each.
        file_timeout: seconds a file may run before it is given up as failed (its worker is
            restarted, so a hung reader does not hold the cluster).
        in_flight: files sent ahead per worker thread, so workers never wait for the next one.
    """
    def run(work: Work, paths: Sequence[str]) -> Iterator[Result]:
        return _dask_map(work, paths, scheduler, jobs or os.cpu_count() or 1, file_timeout, in_flight)
    return run


def _dask_map(work: Work, paths: Sequence[str], scheduler: str | None, jobs: int,
              file_timeout: float | None, in_flight: int) -> Iterator[Result]:
    if not paths:
        return
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as e:  # pragma: no cover - depends on the installation
        from .errors import CongvanError
        raise CongvanError("--engine dask cần gói dask[distributed]: pip install 'congvan[dask]'") from e
    from .ingest import crash_result, timeout_result

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        # Workers are processes (extraction holds the GIL), one thread each; OCR inside keeps to
        # one thread too, as in the local pool.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        cluster = LocalCluster(n_workers=min(jobs, len(paths)), threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster)
    try:
        slots = max(1, sum(client.nthreads().values())) * in_flight
        queue = deque(paths)
        pending: dict[Any, tuple[str, float]] = {}
        done = as_completed()

        failed: deque[Result] = deque()

        def submit() -> None:
            while queue and len(pending) < slots:
                path = queue.popleft()
                try:
                    data = Path(path).read_bytes()
                except OSError as e:
                    failed.append({"path": path, "error": f"không đọc được tệp ({e.strerror or e})"})
                    continue
                fut = client.submit(run_on_bytes, work, data, path, pure=False, retries=0)
                pending[fut] = (path, time.monotonic())
                done.add(fut)

        submit()
        while pending or failed:
            while failed:
                yield failed.popleft()
            if not pending:
                break
            got = _next(done, _wait_left(pending, file_timeout))
            if got is None:  # the oldest file is over its time: give it up, restart its worker
                fut = min(pending, key=lambda f: pending[f][1])
                path, _ = pending.pop(fut)
                _give_up(client, fut)
                yield timeout_result(path, file_timeout or 0)
                submit()
                continue
            if got not in pending:
                continue
            path, _ = pending.pop(got)
            try:
                res = got.result()
            except Exception as e:  # the worker died under the file (KilledWorker) or lost it
                res = crash_result(path, type(e).__name__)
            yield res
            submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _wait_left(pending: dict[Any, tuple[str, float]], timeout: float | None) -> float | None:
    if timeout is None or not pending:
        return None
    oldest = min(t for _, t in pending.values())
    return max(0.0, oldest + timeout - time.monotonic())


def _next(done: Any, timeout: float | None) -> Any:
    """The next finished future, or None when ``timeout`` seconds pass first."""
    if timeout is None:
        return next(done)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = done.next_batch(block=False)
        if batch:
            for extra in batch[1:]:
                done.add(extra)  # put the others back for the next call
            return batch[0]
        time.sleep(0.02)
    return None


def _give_up(client: Any, fut: Any) -> None:
    """Cancel a file that ran too long and restart the worker it holds."""
    with contextlib.suppress(Exception):
        who = [w for w, keys in client.processing().items() if fut.key in keys]
        fut.cancel()
        if who:
            client.restart_workers(who)


def run_on_bytes(work: Work, data: bytes, path: str) -> Result:
    """On a worker: ``work`` over a file given as its bytes (put in a scratch folder under its
    own name, so the reader sees the same name and suffix), the result's paths set back to
    ``path``. Never raises for a file (``work`` does not)."""
    tmp = tempfile.mkdtemp(prefix="congvan-")
    try:
        local = os.path.join(tmp, Path(path).name or "file")
        with open(local, "wb") as fh:
            fh.write(data)
        return _repath(work(local), local, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _repath(obj: Any, local: str, path: str) -> Any:
    """``obj`` with every path that starts with ``local`` starting with ``path`` instead."""
    if isinstance(obj, dict):
        return {k: (path + v[len(local):] if k == "path" and isinstance(v, str) and v.startswith(local)
                    else _repath(v, local, path)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_repath(v, local, path) for v in obj]
    return obj
