"""The tasks stage alone, one tree against another: CPU time of ``extract_tasks`` over the corpus
TXT letters, earlier stages done beforehand, caches cold (one pass in a fresh process).

Run each tree in fresh processes, alternating, several times, and compare medians (issue 10's
"tasks stage no slower per page"):

    git archive db08e6d | tar -x -C /tmp/old
    for i in 1 2 3 4 5 6 7; do
      .venv/bin/python tools/bench_tasks.py /tmp/old; .venv/bin/python tools/bench_tasks.py .
    done
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
    start = time.process_time()
    n = sum(len(extract_tasks(seg, header, parse_sections(seg))) for seg, header in prepared)
    print(f"{root}: {time.process_time() - start:.3f} s CPU, {len(files)} letters, {n} tasks")


if __name__ == "__main__":
    main()
