"""Task export: CSV, XLSX (openpyxl and LibreOffice read it back), JSON, ICS (icalendar parses it)."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess

import pytest

from pipeline.export import ExportError, export_tasks, table_columns, task_uid
from pipeline.rules import load_rules

ROWS = [
    {"id": 1, "document_code": "583/UBND", "document_date": "2024-03-15",
     "document_subject": "Triển khai thực hiện nhiệm vụ cải cách hành chính năm 2024",
     "issuer": "Ủy ban nhân dân huyện Sơn Tây", "lead": "Phòng Nội vụ",
     "assignees": ["Phòng Nội vụ", "Văn phòng HĐND và UBND huyện"],
     "coordinators": ["Văn phòng HĐND và UBND huyện"],
     "action": "tham mưu UBND huyện tăng cường công tác kiểm tra hoạt động công vụ",
     "deadline_date": "2024-06-30", "deadline_text": "trước ngày 30/6/2024", "recurrence": None,
     "report_to": "UBND huyện (qua Phòng Nội vụ)", "section": "3.b", "status": "open",
     "source_path": "seed/583-UBND-son-tay-2024.txt"},
    {"id": 2, "document_code": "583/UBND", "document_date": "2024-03-15", "document_subject": "…",
     "issuer": "Ủy ban nhân dân huyện Sơn Tây", "lead": "Ủy ban nhân dân các xã",
     "assignees": ["Ủy ban nhân dân các xã"], "coordinators": [],
     "action": "định kỳ báo cáo kết quả thực hiện", "deadline_date": None, "deadline_text": "định kỳ",
     "recurrence": "periodic", "report_to": None, "section": "1", "status": "done",
     "source_path": "seed/583-UBND-son-tay-2024.txt"},
]


def test_csv_vietnamese_headers(tmp_path):
    p = tmp_path / "t.csv"
    assert export_tasks(ROWS, "csv", p) == 2
    rows = list(csv.reader(p.open(encoding="utf-8-sig")))
    assert rows[0][:2] == ["Mã nhiệm vụ", "Số, ký hiệu"]
    for label in ("Cơ quan chủ trì", "Cơ quan phối hợp", "Nội dung", "Hạn xử lý", "Báo cáo về", "Mục", "Trạng thái"):
        assert label in rows[0]
    assert "Phòng Nội vụ" in rows[1] and "3.b" in rows[1]
    assert "Hoàn thành" in rows[2] and "Định kỳ" in rows[2]


def test_english_headers(tmp_path):
    p = tmp_path / "t.csv"
    export_tasks(ROWS, "csv", p, lang="en")
    head = next(csv.reader(p.open(encoding="utf-8-sig")))
    assert "Lead" in head and "Due date" in head


def test_labels_file_examples_are_headers():
    for table in ("tasks", "register"):
        labels = [c.label for c in table_columns(table, "vi")]
        for e in load_rules("export_labels.toml"):
            if e.get("table", "tasks") == table:
                for ex in e["examples"]:
                    assert ex in labels
        assert "Hạn" not in labels  # counter-check: a label is matched whole, not by prefix
        assert len(table_columns(table, "en")) == len(labels)


def test_xlsx_openpyxl(tmp_path):
    from openpyxl import load_workbook

    p = tmp_path / "t.xlsx"
    export_tasks(ROWS, "xlsx", p)
    ws = load_workbook(p).active
    assert ws["B1"].value == "Số, ký hiệu" and ws["B1"].font.bold
    assert ws.freeze_panes == "A2"
    head = [c.value for c in ws[1]]
    assert ws.column_dimensions[chr(65 + head.index("Nội dung"))].width >= 40
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    assert ws["C2"].value.year == 2024  # Ngày văn bản: a real date
    values = [c.value for c in ws[2]]
    assert "Phòng Nội vụ" in values and "3.b" in values


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_xlsx_libreoffice_to_csv(tmp_path):
    p = tmp_path / "t.xlsx"
    export_tasks(ROWS, "xlsx", p)
    out = tmp_path / "out"
    res = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                          "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out), str(p)],
                         capture_output=True, text=True, timeout=180)
    if "could not be loaded" in res.stderr + res.stdout:
        pytest.skip("LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)")
    text = (out / "t.csv").read_text(encoding="utf-8")
    assert "Cơ quan chủ trì" in text and "Phòng Nội vụ" in text and "Ủy ban nhân dân huyện Sơn Tây" in text


def test_json_roundtrip(tmp_path):
    p = tmp_path / "t.json"
    export_tasks(ROWS, "json", p)
    assert json.loads(p.read_text(encoding="utf-8"))[0]["lead"] == "Phòng Nội vụ"


def test_ics_one_vtodo_per_dated_task(tmp_path):
    from icalendar import Calendar

    p = tmp_path / "t.ics"
    assert export_tasks(ROWS, "ics", p) == 1
    cal = Calendar.from_ical(p.read_bytes())
    todos = list(cal.walk("VTODO"))
    assert len(todos) == 1
    t = todos[0]
    assert str(t["UID"]) == task_uid(ROWS[0])
    assert t.decoded("DUE").isoformat() == "2024-06-30"
    assert "Phòng Nội vụ" in str(t["SUMMARY"])
    assert "Cơ quan phối hợp" in str(t["DESCRIPTION"])
    assert t.decoded("DTSTAMP").year >= 2025  # when the file was made, not a fixed date
    # stable: a second export gives the same UIDs
    p2 = tmp_path / "t2.ics"
    export_tasks(ROWS, "ics", p2)
    assert [str(x["UID"]) for x in Calendar.from_ical(p2.read_bytes()).walk("VTODO")] == [str(t["UID"])]


def test_ics_uid_unique_per_task_even_when_the_words_repeat(tmp_path):
    from icalendar import Calendar

    same = [dict(ROWS[0], id=i, document_sha256="ab" * 32) for i in (7, 8)]
    p = tmp_path / "t.ics"
    assert export_tasks(same + same, "ics", p) == 2  # the count written, each task once
    uids = [str(x["UID"]) for x in Calendar.from_ical(p.read_bytes()).walk("VTODO")]
    assert len(uids) == len(set(uids)) == 2 and uids[0].startswith("congvan-task-7-")


def test_unknown_format(tmp_path):
    with pytest.raises(ExportError):
        export_tasks(ROWS, "pdf", tmp_path / "t.pdf")


def test_seed_export_lists_phong_noi_vu_task_3b(shared_dir, tmp_path):
    """Issue 6: the XLSX of the seed's tasks opens with openpyxl (and LibreOffice) and lists
    Phòng Nội vụ's task 3.b; the ICS parses."""
    from icalendar import Calendar
    from openpyxl import load_workbook

    from pipeline import extract_file
    from pipeline.export import rows_from_extraction

    rows = rows_from_extraction(extract_file(str(shared_dir / "seed" / "583-UBND-son-tay-2024.txt")))
    p = tmp_path / "seed.xlsx"
    export_tasks(rows, "xlsx", p)
    ws = load_workbook(p).active
    head = [c.value for c in ws[1]]
    found = [r for r in ws.iter_rows(min_row=2, values_only=True)
             if r[head.index("Mục")] == "3.b" and r[head.index("Cơ quan chủ trì")] == "Phòng Nội vụ"]
    assert found and found[0][head.index("Số, ký hiệu")] == "583/UBND"
    ics = tmp_path / "seed.ics"
    n = export_tasks(rows, "ics", ics)
    assert n == len([r for r in rows if r["deadline_date"]]) == 2
    assert len(list(Calendar.from_ical(ics.read_bytes()).walk("VTODO"))) == 2
