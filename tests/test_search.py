"""Search that finds what was meant (issue 11), on the corpus' real letters: a phrase first, then the
words near each other, then anywhere; a letter held twice is one result; filters ignore diacritics."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner
from test_cli_daily import corpus_db

from pipeline.cli import main
from pipeline.store import Store, fold_chars
from pipeline.store.sqlite import fts_tiers


@pytest.fixture(scope="module")
def db(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(corpus_db(shared_dir, tmp_path_factory.getbasetemp()))


def search(db: str, *args: str) -> list[dict]:
    res = CliRunner().invoke(main, ["search", *args, "--db", db, "--format", "json", "--limit", "1000"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def holds_phrase(store: Store, doc_id: int, phrase: str) -> bool:
    text = fold_chars(store.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0] or "")
    words = r"\s+".join(regex.escape(w) for w in phrase.split())
    return regex.search(rf"(?<![\p{{L}}\p{{N}}]){words}(?![\p{{L}}\p{{N}}])", text) is not None


def test_tiers_of_a_query() -> None:
    assert [name for name, _, _ in fts_tiers("dai hoi")] == ["phrase", "near", "all"]
    assert [name for name, _, _ in fts_tiers("đại")] == ["all"]


def test_dai_hoi_ranks_letters_holding_the_phrase_first(db: str) -> None:
    store = Store(db)
    rows = search(db, "dai hoi")
    kinds = [r["match"] for r in rows]
    assert kinds == sorted(kinds, key=["phrase", "near", "all"].index)
    phrase = [r for r in rows if r["match"] == "phrase"]
    assert len(phrase) >= 10
    # every letter of the first group holds "đại hội"; none of the others does ("xã hội" is not it)
    assert all(holds_phrase(store, r["id"], "dai hoi") for r in phrase)
    assert not any(holds_phrase(store, r["id"], "dai hoi") for r in rows if r["match"] != "phrase")
    assert any(holds_phrase(store, r["id"], "xa hoi") for r in rows if r["match"] != "phrase")
    assert all("[" in r["snippet"] for r in phrase)


def test_a_letter_held_twice_is_one_result(db: str) -> None:
    rows = search(db, "dai hoi")
    paths = [r["path"] for r in rows] + [p for r in rows for p in r["also"]]
    assert len(paths) == len(set(paths))
    stems = [Path(r["path"]).stem for r in rows]
    assert len(stems) == len(set(stems))  # x.docx and x.txt: one result
    assert any(r["also"] for r in rows)


def test_type_and_issuer_ignore_diacritics(db: str) -> None:
    with_marks = search(db, "dai hoi", "--type", "Công văn")
    without = search(db, "dai hoi", "--type", "cong van")
    assert with_marks == without and without and all(r["type"] == "Công văn" for r in without)
    assert search(db, "dai hoi", "--issuer", "so noi vu") == search(db, "dai hoi", "--issuer", "Sở Nội vụ")
