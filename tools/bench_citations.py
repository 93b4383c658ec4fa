"""Citation extraction speed on the corpus' TXT letters, and citations gained and lost.

Speed: MB of text a second that ``extract_citations`` reads on one core (best of five runs, by the
process's CPU time so that other jobs on a loaded machine do not count; wall clock shown beside it),
beside the one compiled pass that finds the codes alone. Issue 5 asks for at least 5 MB/s.
Change report (after eyecite's benchmark): every run is compared with the citations saved by
``--save-baseline`` in output/citations_baseline.json, listing codes gained and lost per file.
``tools/bench.py`` imports ``run(shared_dir) -> dict``.

Example: ``.venv/bin/python tools/bench_citations.py --shared ../shared [--save-baseline]``
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pipeline.extract.citations import _CODE_RE, bench, extract_citations  # noqa: E402
from pipeline.models import Header, Segments  # noqa: E402

BASELINE = REPO / "output" / "citations_baseline.json"
TARGET_MB_S = 5.0


def corpus_texts(shared: Path) -> dict[str, str]:
    """The corpus' TXT letters (and the seed), by file stem."""
    out = {}
    for d in ("corpus", "seed"):
        for p in sorted((shared / d).glob("*.txt")):
            out[p.stem] = p.read_text(encoding="utf-8", errors="replace")
    return out


def all_codes(texts: dict[str, str]) -> dict[str, list[str]]:
    return {k: sorted(c.code for c in extract_citations(Segments(text=t, body=t), Header()))
            for k, t in texts.items()}


def run(shared_dir: Path, save_baseline: bool = False) -> dict[str, Any]:
    """Speed and change figures; prints a short report."""
    texts = corpus_texts(Path(shared_dir))
    if not texts:
        return {"summary": "no TXT letters found"}
    mb = sum(len(t.encode("utf-8")) for t in texts.values()) / 1e6
    bench(texts.values())  # warm-up: lazily compiled patterns
    speeds = [bench(texts.values()) for _ in range(5)]   # CPU time of this process: one core's work
    best = max(speeds)
    wall = max(bench(texts.values(), clock=time.perf_counter) for _ in range(3))
    t0 = time.perf_counter()
    for t in texts.values():
        for _ in _CODE_RE.finditer(t):
            pass
    scan = mb / max(time.perf_counter() - t0, 1e-9)
    codes = all_codes(texts)
    n = sum(len(v) for v in codes.values())
    gained: dict[str, list[str]] = {}
    lost: dict[str, list[str]] = {}
    if BASELINE.exists():
        old = json.loads(BASELINE.read_text(encoding="utf-8"))
        for k in sorted(set(old) | set(codes)):
            a, b = set(old.get(k, [])), set(codes.get(k, []))
            if b - a:
                gained[k] = sorted(b - a)
            if a - b:
                lost[k] = sorted(a - b)
    if save_baseline:
        BASELINE.parent.mkdir(parents=True, exist_ok=True)
        BASELINE.write_text(json.dumps(codes, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    res: dict[str, Any] = {
        "files": len(texts), "mb": round(mb, 3), "citations": n,
        "mb_per_s": round(best, 2), "runs_mb_per_s": [round(s, 2) for s in speeds], "wall_mb_per_s": round(wall, 2),
        "code_pass_mb_per_s": round(scan, 1), "target_mb_per_s": TARGET_MB_S,
        "gained": gained, "lost": lost,
    }
    change = (f"; since the baseline +{sum(map(len, gained.values()))} / -{sum(map(len, lost.values()))} citations"
              if BASELINE.exists() else "")
    res["summary"] = (f"{n} citations in {len(texts)} TXT letters ({mb:.2f} MB), {best:.1f} MB/s on one core "
                      f"(CPU time; {wall:.1f} MB/s wall clock on this machine's load; target {TARGET_MB_S:.0f}; "
                      f"the code pass alone {scan:.0f} MB/s){change}.")
    print("  " + res["summary"])
    for k, v in gained.items():
        print(f"    + {k}: {', '.join(v)}")
    for k, v in lost.items():
        print(f"    - {k}: {', '.join(v)}")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--save-baseline", action="store_true", help="keep this run's citations as the baseline")
    a = ap.parse_args()
    run(a.shared, save_baseline=a.save_baseline)


if __name__ == "__main__":
    main()
