"""Shared fixtures. Tests that need ../shared (gold, corpus) skip with a reason where it is absent."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "gold").is_dir():
        pytest.skip("../shared (gold and corpus) is not beside the repo; CI has it, a fresh clone may not")
    return SHARED


def gold_inputs(shared: Path) -> list[tuple[str, Path, Path]]:
    """(stem, gold json, input txt) for each gold file whose .txt twin exists."""
    out = []
    for g in sorted((shared / "gold").glob("*.json")):
        for d in ("corpus", "seed"):
            t = shared / d / f"{g.stem}.txt"
            if t.exists():
                out.append((g.stem, g, t))
                break
    return out
