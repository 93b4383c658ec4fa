"""The tasks stage alone, one tree against another: CPU time of ``extract_tasks`` over the corpus
TXT letters, earlier stages done beforehand, caches cold (one pass in a fresh process).

Run each tree in fresh processes, alternating, several times, and compare medians (issue 10's
"tasks stage no slower per page"):

    git archive db08e6d | tar -x -C /tmp/old
    for i in 1 2 3 4 5 6 7; do
      .venv/bin/python tools/bench_tasks.py /tmp/old; .venv/bin/python tools/bench_tasks.py .
    done

Arguments: TREE [SHARED [REPEAT]]. Each run prints the first pass (rules compiled on first use),
then the best of REPEAT warm passes (per-text caches hot, as tools/bench_real.py's txt_ratio sees
the stage) and of REPEAT new-text passes (per-text caches emptied first).
"""
from __future__ import annotations

import glob
import sys
import time
from pathlib import Path


def main() -> None:
    root = str(Path(sys.argv[1]).resolve())
    shared = sys.argv[2] if len(sys.argv) > 2 else str(Path(__file__).resolve().parents[1].parent / "shared")
    sys.path.insert(0, root)  # the tree to measure, ahead of the installed package
    from pipeline.extract.header import extract_header
    from pipeline.extract.tasks import extract_tasks
    from pipeline.normalize import normalize_document
    from pipeline.readers import read_document
    from pipeline.segment import segment_document
    from pipeline.structure import parse_sections

    files = sorted(glob.glob(f"{shared}/corpus/*.txt"))
    prepared = []
    for f in files:
        raw = normalize_document(read_document(f))
        seg = segment_document(raw)
        prepared.append((seg, extract_header(seg, raw)))
    def run() -> int:
        return sum(len(extract_tasks(seg, header, parse_sections(seg))) for seg, header in prepared)

    start = time.process_time()
    n = run()
    first = time.process_time() - start
    # then, best of REPEAT: "warm" as tools/bench_real.py's txt_ratio sees the stage (the same letters
    # again: every per-text cache hit), "new text" with the per-text caches emptied before each pass
    # (what a letter never seen costs; rules stay compiled)
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    import pipeline.extract.deadlines as deadlines
    import pipeline.extract.tasks as tasks
    import pipeline.resolve as resolve
    import pipeline.structure as structure
    text_caches = [f for m in (tasks, structure, deadlines, resolve) for f in vars(m).values()
                   if hasattr(f, "cache_info") and f.cache_info().maxsize not in (None, 1)]
    warm, new = [], []
    for _ in range(repeat):
        t0 = time.process_time()
        run()
        warm.append(time.process_time() - t0)
        for f in text_caches:
            f.cache_clear()
        t0 = time.process_time()
        run()
        new.append(time.process_time() - t0)
    print(f"{root}: {first:.3f} s CPU first pass, warm {min(warm):.3f} s, new text {min(new):.3f} s "
          f"(best of {repeat}), {len(files)} letters, {n} tasks")


if __name__ == "__main__":
    main()
