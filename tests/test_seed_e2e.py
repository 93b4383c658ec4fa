"""The seed letter end to end, as the issues' done-when lines put it: file -> store -> commands."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.evaluate import score

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEED_STEM = "583-UBND-son-tay-2024"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("seed") / "seed.db")
    res = CliRunner().invoke(main, ["ingest", str(CORPUS / f"{SEED_STEM}.txt"), "--db", path, "--no-progress"])
    assert res.exit_code == 0, res.output
    return path


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_seed_header_is_exact(suffix: str, shared_dir: Path) -> None:
    f = CORPUS / f"{SEED_STEM}{suffix}"
    res = CliRunner().invoke(main, ["extract", "--format", "json", str(f)])
    assert res.exit_code == 0, res.output
    rep = score(shared_dir / "gold", [json.loads(res.output)])
    for field in ("document.type", "document.code", "document.date", "document.issuer", "document.place",
                  "document.subject", "document.signer.name"):
        assert rep[field]["acc"] == 1.0, (suffix, field)
    for field in ("document.recipients", "document.cc"):
        assert rep[field]["f1"] == 1.0, (suffix, field, rep[field])


def test_cited_by_lists_the_seed(db: str) -> None:
    res = CliRunner().invoke(main, ["cited-by", "1313/UBND-NC", "--db", db])
    assert res.exit_code == 0, res.output
    assert "583/UBND" in res.output


def test_graph_holds_the_twelve_cited_documents(db: str) -> None:
    res = CliRunner().invoke(main, ["graph", "--format", "json", "--db", db])
    g = json.loads(res.output)
    cited = {n["code"] for n in g["nodes"]} - {"583/UBND"}
    assert cited == {"1313/UBND-NC", "1879/QĐ-UBND", "2060/QĐ-UBND", "202/UBND", "53/TB-VPCP", "54/TB-UBND",
                     "01/2024/QĐ-UBND", "48/2021/QĐ-UBND", "2139/UBND-NC", "280/CĐ-TTg", "5617/UBND-NC",
                     "968/CĐ-TTg"}
    dot = CliRunner().invoke(main, ["graph", "--format", "dot", "--db", db]).output
    assert all(code in dot for code in cited)


def test_xlsx_export_lists_task_3b(db: str, tmp_path: Path) -> None:
    import openpyxl
    out = tmp_path / "tasks.xlsx"
    res = CliRunner().invoke(main, ["export", "tasks", "--format", "xlsx", "-o", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(out).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = rows[0]
    assert "Cơ quan chủ trì" in header and "Hạn xử lý" in header
    lead = header.index("Cơ quan chủ trì")
    assert any(r[lead] == "Phòng Nội vụ" and "3.b" in [str(c) for c in r] for r in rows[1:])
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice not installed: the XLSX was checked with openpyxl only")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76",  # 76: UTF-8

                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    with open(tmp_path / "tasks.csv", encoding="utf-8") as fh:
        lo_rows = list(csv.reader(fh))
    assert lo_rows[0] == [str(h) for h in header]
    assert any("Phòng Nội vụ" in r and "3.b" in r for r in lo_rows)


def test_ics_export_parses(db: str, tmp_path: Path) -> None:
    import icalendar
    out = tmp_path / "tasks.ics"
    res = CliRunner().invoke(main, ["export", "tasks", "--format", "ics", "-o", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    todos = [c for c in cal.walk("VTODO")]
    assert todos and all(t.get("DUE") for t in todos)
    assert any("2024-03-31" in str(t.decoded("DUE")) for t in todos)
