"""The command line, as a person uses it: messages, exit codes, languages, the seed end to end."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.serve import CANNED
from pipeline.store import Store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def seeded(tmp_path: Path, runner: CliRunner) -> str:
    db = str(tmp_path / "c.db")
    res = runner.invoke(main, ["ingest", str(SEED), "--db", db, "--no-progress"])
    assert res.exit_code == 0, res.output
    return db


def test_extract_json_is_one_contract_object_per_line(runner: CliRunner) -> None:
    res = runner.invoke(main, ["extract", "--format", "json", str(SEED), str(SEED)])
    assert res.exit_code == 0
    lines = res.output.strip().splitlines()
    assert len(lines) == 2
    d = json.loads(lines[0])
    assert d["schema"] == "congvan/extract/v1"
    assert set(d) >= {"source", "document", "citations", "tasks", "footnotes"}
    assert d["source"]["format"] == "txt" and len(d["source"]["sha256"]) == 64


def test_bad_file_named_and_others_still_done(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    res = runner.invoke(main, ["extract", "--format", "json", str(empty), str(SEED)])
    assert res.exit_code == 1
    assert f"{empty}: tệp rỗng" in res.output
    assert '"schema": "congvan/extract/v1"' in res.output


def test_missing_file_is_a_message_not_a_traceback(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["extract", str(tmp_path / "khong-co.pdf")])
    assert res.exit_code == 1
    assert "khong-co.pdf" in res.output and "Traceback" not in res.output


def test_ingest_reports_errors_and_keeps_store(runner: CliRunner, tmp_path: Path, seeded: str) -> None:
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "x.docx").write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy(SEED, bad / "again.txt")
    res = runner.invoke(main, ["ingest", str(bad), "--db", seeded, "--no-progress"])
    assert res.exit_code == 1
    assert "x.docx" in res.output
    assert "bỏ qua 1" in res.output  # the seed's bytes, already held
    assert Store(seeded).counts()["documents"] == 1


def test_english_on_request(runner: CliRunner, seeded: str) -> None:
    vi = runner.invoke(main, ["summary", "--db", seeded])
    en = runner.invoke(main, ["summary", "--db", seeded, "--lang", "en"])
    assert "Văn bản:" in vi.output and "Documents:" in en.output


def test_search_without_diacritics_finds_seed(runner: CliRunner, seeded: str) -> None:
    for q in ("cai cach hanh chinh", "dang ky dat dai"):
        res = runner.invoke(main, ["search", q, "--db", seeded])
        assert res.exit_code == 0
        assert "583-UBND-son-tay-2024.txt" in res.output


@pytest.mark.parametrize("q", ['"', "AND", "a OR (", "*"])
def test_search_bad_syntax_is_a_message(runner: CliRunner, seeded: str, q: str) -> None:
    res = runner.invoke(main, ["search", q, "--db", seeded])
    assert "Traceback" not in res.output
    assert res.exit_code in (0, 1)
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_no_database_is_a_message(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["tasks", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "congvan ingest" in res.output


def test_every_command_has_help_with_example(runner: CliRunner) -> None:
    for cmd in (["extract"], ["ingest"], ["tasks"], ["tasks", "done"], ["export", "tasks"], ["cites"],
                ["cited-by"], ["missing"], ["graph"], ["search"], ["show"], ["reprocess"], ["eval"], ["serve"],
                ["summary"]):
        res = runner.invoke(main, [*cmd, "--help"])
        assert res.exit_code == 0, cmd
        assert "congvan " in res.output.split("Options")[0], cmd


def test_canned_queries_run(seeded: str) -> None:
    from pipeline.serve import _prepare_connection
    store = Store(seeded)
    _prepare_connection(store.conn)
    params = {"nam": "", "co_quan": "", "trang_thai": "", "q": "cai cach"}
    rows = {name: list(store.db.query(q["sql"], params)) for name, q in CANNED.items()}
    assert len(rows["van_ban_duoc_dan_nhieu_nhat"]) == 12
    assert {r["Số, ký hiệu"] for r in rows["van_ban_chua_co_trong_kho"]} >= {"1313/UBND-NC", "280/CĐ-TTg"}
    assert [r["Số, ký hiệu"] for r in rows["so_den"]] == ["583/UBND"]
    assert rows["tim_kiem"][0]["Khớp"] == "cả cụm từ"
    assert {r["Văn bản giao"] for r in rows["bang_nhiem_vu"]} == {"583/UBND"}
    assert rows["qua_han_theo_co_quan"][0]["so_nhiem_vu"] >= 1  # the quý I 2024 deadline has passed


def test_reprocess_keeps_counts(runner: CliRunner, seeded: str) -> None:
    before = Store(seeded).counts()
    res = runner.invoke(main, ["reprocess", "--db", seeded])
    assert res.exit_code == 0 and "1 văn bản" in res.output
    assert Store(seeded).counts() == before


def test_huge_file_refused_by_size_before_reading(runner: CliRunner, tmp_path: Path) -> None:
    big = tmp_path / "lon.pdf"
    with open(big, "wb") as fh:  # sparse: 3 MB on paper, nothing on disk
        fh.seek(3 * 1024 * 1024)
        fh.write(b"\0")
    db = str(tmp_path / "b.db")
    res = runner.invoke(main, ["ingest", str(big), "--db", db, "--max-mb", "2", "--no-progress"])
    assert res.exit_code == 1
    assert "lon.pdf: tệp quá lớn (3 MB > 2 MB)" in res.output


def test_wrongly_named_pdf_is_read_as_pdf(runner: CliRunner, tmp_path: Path) -> None:
    pdf = REPO / "corpus" / "583-UBND-son-tay-2024.pdf"
    fake = tmp_path / "cong-van.txt"
    fake.write_bytes(pdf.read_bytes())
    res = runner.invoke(main, ["extract", "--format", "json", str(fake)])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["source"]["format"] == "pdf" and d["document"]["code"] == "583/UBND"
