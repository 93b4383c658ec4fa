"""`congvan register`: the incoming register of Decree 30/2020/NĐ-CP Appendix IV, on real letters;
its XLSX (and the task list's) print on landscape A4 pages with every column readable."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_cli_daily import corpus_db

from pipeline.cli import main
from pipeline.export import table_columns

COLUMNS_VI = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày văn bản", "Tên loại", "Trích yếu nội dung",
              "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"]


@pytest.fixture(scope="module")
def db(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(corpus_db(shared_dir, tmp_path_factory.getbasetemp()))


def run(*args: str) -> str:
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 0, res.output
    return res.output


def test_register_rows_in_incoming_number_order_with_the_appendix_iv_columns(db: str) -> None:
    rows = json.loads(run("register", "--db", db, "--format", "json"))
    assert [r["incoming_number"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["received_date"] == "2025-01-06" for r in rows)
    assert [c.label for c in table_columns("register")] == COLUMNS_VI
    # Ghi chú: a letter held twice says so; a letter without a number too
    assert any("nhận lại" in (r["notes"] or "") for r in rows)
    assert any(r["code"] is None and "không số" in (r["notes"] or "") for r in rows)
    assert json.loads(run("register", "--db", db, "--format", "json", "--year", "2024")) == []
    assert json.loads(run("register", "--db", db, "--format", "json", "--from", "2025-01-06", "--to",
                          "2025-01-06")) == rows


def test_register_xlsx_is_print_ready(db: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    out = tmp_path / "so-den.xlsx"
    run("register", "--db", db, "--format", "xlsx", "-o", str(out))
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == COLUMNS_VI
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert isinstance(ws["A2"].value, dt.datetime) and ws["A2"].number_format == "DD/MM/YYYY"
    assert ws["G2"].alignment.wrap_text and ws.column_dimensions["G"].width >= 40
    assert all(ws.row_dimensions[i].height for i in range(2, ws.max_row + 1))


def _pdf_pages(xlsx: Path, tmp_path: Path) -> list[tuple[float, float]]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    res = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                          "pdf", "--outdir", str(tmp_path), str(xlsx)], capture_output=True, text=True, timeout=300)
    pdf = tmp_path / (xlsx.stem + ".pdf")
    if not pdf.exists():
        pytest.skip(f"LibreOffice Calc could not convert: {res.stderr.strip()[:200]}")
    import pypdfium2
    doc = pypdfium2.PdfDocument(str(pdf))
    sizes = [doc[i].get_size() for i in range(len(doc))]
    text = doc[0].get_textpage().get_text_range()
    doc.close()
    return sizes, text  # type: ignore[return-value]


def test_register_xlsx_prints_as_landscape_pages_with_all_columns(db: str, tmp_path: Path) -> None:
    """Open the XLSX as a person would (LibreOffice, printed to PDF): landscape A4 pages, each
    with the header row, every column on the page."""
    out = tmp_path / "so-den.xlsx"
    run("register", "--db", db, "--format", "xlsx", "-o", str(out))
    sizes, first = _pdf_pages(out, tmp_path)
    assert all(round(w) == 842 and round(h) == 595 for w, h in sizes)  # A4 landscape, in points
    rows = len(json.loads(run("register", "--db", db, "--format", "json")))
    assert 2 <= len(sizes) <= rows // 5
    flat = " ".join(first.split())
    for label in COLUMNS_VI:
        assert label.split()[0] in flat, label


def test_task_xlsx_prints_landscape_with_its_printed_columns(db: str, tmp_path: Path) -> None:
    out = tmp_path / "nhiem-vu.xlsx"
    run("export", "tasks", "--format", "xlsx", "-o", str(out), "--db", db)
    from openpyxl import load_workbook
    ws = load_workbook(out).active
    printed = [c for c in table_columns("tasks") if c.printed]
    assert ws.print_area == f"'{ws.title}'!$A$1:${chr(64 + len(printed))}${ws.max_row}"
    assert isinstance(ws.cell(2, [c.key for c in table_columns("tasks")].index("deadline_date") + 1).value,
                      (dt.datetime, type(None)))
    sizes, first = _pdf_pages(out, tmp_path)
    assert all(round(w) == 842 and round(h) == 595 for w, h in sizes)
    flat = " ".join(first.split())
    for c in printed:
        assert c.label.split()[0] in flat, c.label
    tasks = len(json.loads(run("tasks", "--db", db, "--format", "json")))
    assert len(sizes) < tasks / 4  # several tasks a page, not three columns a page


def test_register_in_english(db: str, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    run("register", "--db", db, "--format", "csv", "-o", str(out), "--lang", "en")
    head = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("Received,No.,Issuer")
