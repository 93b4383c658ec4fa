"""Compare two JSONL dumps of `congvan extract --format json` document by document, every field.

    congvan extract --format json FILES > /tmp/before.jsonl   # on the old tree
    congvan extract --format json FILES > /tmp/after.jsonl    # on the new tree
    python tools/compare_outputs.py /tmp/before.jsonl /tmp/after.jsonl

Documents are paired by their source (path); exits 1 and names the differing fields where any
document differs (issue 15: speed work must give identical output).
"""
from __future__ import annotations

import json
import sys


def _key(doc: dict) -> str:
    src = doc.get("source")
    return src.get("path", json.dumps(src, sort_keys=True)) if isinstance(src, dict) else str(src)


def load(path: str) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        return {_key(d): d for d in (json.loads(line) for line in f if line.strip())}


def main(argv: list[str]) -> int:
    a, b = load(argv[0]), load(argv[1])
    bad = 0
    for k in sorted(set(a) ^ set(b)):
        print(f"only in {'first' if k in a else 'second'}: {k}")
        bad += 1
    for k in sorted(set(a) & set(b)):
        if a[k] != b[k]:
            bad += 1
            fields = [f for f in sorted(set(a[k]) | set(b[k])) if a[k].get(f) != b[k].get(f)]
            print(f"differs: {k}: {', '.join(fields)}")
    print(f"{len(set(a) & set(b))} documents compared, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
