"""The store: the only code that touches a database.

`Store` is the embedded SQLite backend (sqlite-utils), the default. Other backends live beside it
in this package and keep the same interface.
"""
from .sqlite import Store, fold_chars, fts_fold, fts_query, make_snippet, node_key

__all__ = ["Store", "fold_chars", "fts_fold", "fts_query", "make_snippet", "node_key"]
