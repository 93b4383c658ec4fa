"""`make bench`: speed and memory figures, written to output/bench.json and the README.

- Synthetic inbox (tools/make_inbox.py: TXT, DOCX, PDF mix) of 1,000 and 10,000 letters:
  ingest docs/s, pages/s, time per document, peak memory (main process and the largest
  worker), search latency on the full store.
- The corpus' TXT letters: full extraction against a bare read + NFC + one regex pass.
- Real documents (tools/bench_real.py): stage by stage, ingest of the corpus made distinct, and
  issue 15's ratios side by side in one run (PDF pipeline vs pdfplumber and pypdfium2, TXT vs a
  bare pass, command start vs `python -c pass`, a scanned page vs bare Tesseract).
- Citation extraction (tools/bench_citations.py) where present; tools/bench_readers.py on its own.

usage: python tools/bench.py [--shared ../shared] [--sizes 1000,10000] [--jobs N] [--no-readme]
(`make bench` runs it with the defaults; the machine and the command go into output/bench.json.)
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu or platform.processor()}), {mem} RAM, Python {platform.python_version()}"


def child_ingest(db: str, listfile: str, jobs: int) -> None:
    """Run in a fresh process so its peak memory is its own."""
    from pipeline.ingest import ingest
    from pipeline.store import Store
    paths = Path(listfile).read_text(encoding="utf-8").split("\n")
    store = Store(db)
    rep = ingest(store, [p for p in paths if p], jobs=jobs)
    # VmHWM: this process's own peak (ru_maxrss would carry over the parent's peak across exec).
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                me = int(line.split()[1]) / 1024
    except OSError:
        pass
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"stored": rep.stored, "errors": len(rep.errors), "pages": rep.pages, "seconds": rep.seconds,
                      "peak_main_mb": round(me, 1), "peak_worker_mb": round(kids, 1),
                      "error_sample": rep.errors[:3]}))


def bench_inbox(sizes: list[int], jobs: int, work: Path) -> dict:
    from make_inbox import generate
    inbox = work / "inbox"
    t0 = time.perf_counter()
    paths = generate(inbox, max(sizes))
    gen_s = time.perf_counter() - t0
    out: dict = {"generated_in_s": round(gen_s, 1), "runs": []}
    for n in sizes:
        db = work / f"bench-{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        listfile = work / f"list-{n}.txt"
        listfile.write_text("\n".join(str(p) for p in paths[:n]), encoding="utf-8")
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, __file__, "--child-ingest", str(db), str(listfile), str(jobs)],
                             capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        r = json.loads(res.stdout.strip().splitlines()[-1])
        r.update({"documents": n, "wall_s": round(wall, 1), "docs_per_s": round(n / wall, 1),
                  "pages_per_s": round(r["pages"] / wall, 1), "ms_per_doc": round(1000 * wall / n, 2)})
        out["runs"].append(r)
        print(f"  ingest {n:6d} letters: {r['docs_per_s']} docs/s, {r['pages_per_s']} pages/s, "
              f"{r['ms_per_doc']} ms/doc, peak {r['peak_main_mb']} MB main / {r['peak_worker_mb']} MB worker, "
              f"{r['errors']} errors", flush=True)
    if len(out["runs"]) >= 2:
        a, b = out["runs"][0], out["runs"][-1]
        out["scaling"] = round(b["ms_per_doc"] / a["ms_per_doc"], 3)
    # search on the largest store
    from pipeline.store import Store
    store = Store(work / f"bench-{max(sizes)}.db")
    queries = ["cai cach hanh chinh", "dang ky dat dai", "chuyển đổi số", "thiên tai", "Sở Nội vụ",
               "ky luat ky cuong", "đại hội nhiệm kỳ", "quy che phoi hop", "bao cao ket qua", "so y te"]
    times = []
    for _ in range(3):
        for q in queries:
            t0 = time.perf_counter()
            store.search(q, limit=20)
            times.append((time.perf_counter() - t0) * 1000)
    out["search_ms"] = {"median": round(statistics.median(times), 2), "max": round(max(times), 2),
                        "documents": max(sizes)}
    print(f"  search on {max(sizes)} documents: median {out['search_ms']['median']} ms, max {out['search_ms']['max']} ms")
    return out


def bench_txt_ratio(shared: Path, repeats: int = 5) -> dict:
    """Full extraction of the corpus' TXT letters against a bare read + NFC + one regex pass.

    Both are timed as CPU time of this process (one core's own work, which other jobs on the
    machine do not inflate), best of ``repeats`` runs after a warm-up.
    """
    from pipeline import extract_document
    from pipeline.readers import read_document
    files = sorted((shared / "corpus").glob("*.txt")) + sorted((shared / "seed").glob("*.txt"))
    pat = regex.compile(r"\d+/[\p{Lu}Đ]+(?:-[\p{Lu}Đ]+)*")

    def bare() -> None:
        for f in files:
            text = unicodedata.normalize("NFC", f.read_text(encoding="utf-8", errors="replace"))
            sum(1 for _ in pat.finditer(text))

    def full() -> None:
        for f in files:
            extract_document(read_document(f))

    def best(fn) -> float:  # type: ignore[no-untyped-def]
        fn()
        times = []
        for _ in range(repeats):
            t0 = time.process_time()
            fn()
            times.append(time.process_time() - t0)
        return min(times)

    b, x = best(bare), best(full)
    mb = sum(f.stat().st_size for f in files) / 1e6
    r = {"files": len(files), "mb": round(mb, 2), "bare_s": round(b, 4), "extract_s": round(x, 3),
         "ratio": round(x / b, 1), "docs_per_s": round(len(files) / x, 1), "ms_per_doc": round(1000 * x / len(files), 2)}
    print(f"  corpus TXT ({len(files)} files, {mb:.1f} MB): extraction {x:.2f} s CPU = {r['ratio']}x a bare "
          f"read+NFC+regex ({b * 1000:.0f} ms); {r['ms_per_doc']} ms/doc, {r['docs_per_s']} docs/s on one core")
    return r


def optional(module: str, shared: Path) -> dict | None:
    try:
        mod = __import__(module)
    except ImportError:
        return None
    print(f"  {module}:")
    return mod.run(shared)


def write_readme(results: dict, readme: Path) -> None:
    lines = [f"Measured by `make bench` (ingest with `--jobs {results.get('jobs', '?')}`) on {results['machine']}, "
             f"{results['date']}.", ""]
    inbox = results.get("inbox")
    if inbox:
        lines += ["| synthetic inbox | docs/s | pages/s | ms/doc | peak MB (main / largest worker) | errors |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for r in inbox["runs"]:
            lines.append(f"| {r['documents']:,} letters | {r['docs_per_s']} | {r['pages_per_s']} | {r['ms_per_doc']} | "
                         f"{r['peak_main_mb']} / {r['peak_worker_mb']} | {r['errors']} |")
        lines.append("")
        if "scaling" in inbox:
            lines.append(f"- Time per document at {inbox['runs'][-1]['documents']:,} is {inbox['scaling']} times that at "
                         f"{inbox['runs'][0]['documents']:,}.")
        s = inbox["search_ms"]
        lines.append(f"- `congvan search` on {s['documents']:,} documents: median {s['median']} ms, max {s['max']} ms.")
    tr = results.get("txt_ratio")
    if tr:
        lines.append(f"- The corpus' {tr['files']} TXT letters ({tr['mb']} MB): full extraction {tr['extract_s']} s of CPU "
                     f"({tr['ms_per_doc']} ms a letter, {tr['docs_per_s']} letters/s on one core), {tr['ratio']} times a "
                     "bare read + NFC + one regex pass over the same files (best of 5, CPU time).")
    real = results.get("real")
    if real and real.get("summary"):
        lines.append(f"- {real['summary']}")
    for key, title in (("readers", "Readers"), ("citations", "Citation extraction")):
        r = results.get(key)
        if r and r.get("summary"):
            lines.append(f"- {title}: {r['summary']}")
    text = readme.read_text(encoding="utf-8")
    a, b = "<!-- bench:start -->", "<!-- bench:end -->"
    if a in text and b in text:
        text = text[: text.index(a) + len(a)] + "\n" + "\n".join(lines) + "\n" + text[text.index(b):]
        readme.write_text(text, encoding="utf-8")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-ingest":
        child_ingest(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--work", type=Path, default=REPO / "output" / "bench")
    ap.add_argument("--no-readme", action="store_true")
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    import datetime as dt
    results: dict = {"machine": machine(), "date": dt.date.today().isoformat(),
                     "command": "make bench", "jobs": a.jobs}
    print(f"congvan bench on {results['machine']}")
    if a.shared.is_dir():
        # issue 15: real documents stage by stage, and its ratios side by side (CPU time, one run)
        print("  real documents (tools/bench_real.py):", flush=True)
        import bench_real
        results["real"] = bench_real.run(a.shared, jobs=a.jobs)
        results["citations"] = optional("bench_citations", a.shared)
        results["txt_ratio"] = bench_txt_ratio(a.shared)
    else:
        print(f"  {a.shared} not found: corpus figures skipped")
    sizes = [int(s) for s in a.sizes.split(",") if s]
    if sizes:
        results["inbox"] = bench_inbox(sizes, a.jobs, a.work)
    (REPO / "output" / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if not a.no_readme:
        write_readme(results, REPO / "README.md")
    print("written: output/bench.json" + ("" if a.no_readme else ", README.md (Speed)"))


if __name__ == "__main__":
    main()
