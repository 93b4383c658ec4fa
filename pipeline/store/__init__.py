"""The store: the only code that touches a database.

One interface, two backends: ``Store`` is the embedded SQLite backend (plain sqlite3), the default;
``PostgresStore`` (``store/postgres.py``, psycopg 3, ``pip install 'congvan[postgres]'``) keeps the
same interface for a province's archive with many writers. ``open_store(db)`` picks by the
address: ``postgresql://USER:PASSWORD@HOST:PORT/DBNAME`` (or ``postgres://``) is PostgreSQL,
anything else a SQLite file. The store keeps and queries; what it keeps is decided before it
(``pipeline.record.make_record``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .migrations import SCHEMA_VERSION
from .sqlite import Store, code_fold, fold_chars, fts_fold, fts_query, make_snippet

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(db: str | Path | None) -> bool:
    """True when ``db`` is a PostgreSQL address rather than a SQLite file.

    >>> is_postgres("postgresql://congvan:pw@db.tinh.gov.vn:5432/congvan"), is_postgres("output/congvan.db")
    (True, False)
    """
    return isinstance(db, str) and db.startswith(POSTGRES_SCHEMES)


def open_store(db: str | Path) -> Store:
    """The store at ``db``: a PostgreSQL database for a ``postgresql://`` address, else the SQLite
    file (created with its schema where new). Either is upgraded to the current schema on open.

    >>> open_store(":memory:").counts()["documents"]
    0
    """
    if is_postgres(db):
        from .postgres import PostgresStore
        return PostgresStore(str(db))
    return Store(db)


def __getattr__(name: str) -> Any:
    # node_key moved to pipeline.record (the store computes no keys); kept importable from here.
    if name == "node_key":
        from ..record import node_key
        return node_key
    raise AttributeError(name)


__all__ = ["SCHEMA_VERSION", "Store", "open_store", "is_postgres", "code_fold", "fold_chars", "fts_fold",
           "fts_query", "make_snippet"]
