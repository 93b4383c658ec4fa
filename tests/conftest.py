"""Shared fixtures. Tests that need ../shared (gold, corpus) skip with a reason where it is absent."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# ---- the store on both backends (issue 13) ---------------------------------------------------------
# CI (.ci/run) and `make pg` start a PostgreSQL cluster and export CONGVAN_TEST_PG; without it the
# address `make pg` prints is tried. Each PostgreSQL test gets a schema of its own, dropped after.
PG_DEFAULT = "postgresql://congvan:congvan@localhost:5432/congvan"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A PostgreSQL database the tests may create schemas in; skips where none is reachable."""
    import os
    url = os.environ.get("CONGVAN_TEST_PG") or PG_DEFAULT
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[test]'); PostgreSQL tests skipped")
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as e:
        pytest.skip(f"no PostgreSQL reachable at CONGVAN_TEST_PG or {PG_DEFAULT} (run `make pg`): {e}".strip())
    return url


def pg_schema_url(url: str, schema: str) -> str:
    """``url`` with ``schema`` first on the search path (and ``public``, where unaccent lives)."""
    from urllib.parse import quote
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema},public')}"


@pytest.fixture()
def pg_db(pg_url: str) -> Iterator[str]:
    """The address of an empty PostgreSQL schema, dropped after the test."""
    import uuid

    import psycopg
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        c.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_schema_url(pg_url, schema)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as c:
            c.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database on each backend: a SQLite file, a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    return str(request.getfixturevalue("pg_db"))


@pytest.fixture()
def store(db_url: str) -> Iterator[Any]:
    """An open, empty store on each backend (``open_store``)."""
    from pipeline.store import open_store
    s = open_store(db_url)
    try:
        yield s
    finally:
        s.close()
