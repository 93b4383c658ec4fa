"""Duties written as table rows (issue 10, item 1): rules/task_tables.toml both ways, tables read
as tables (DOCX, PDF, text flattened one cell per line), one task per row."""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline import extract_document
from pipeline.extract.task_tables import ROLES, column_role, group_marker, table_tasks, text_tables
from pipeline.models import Header, Table, TableCell, TableRow
from pipeline.normalize import normalize_document
from pipeline.readers import read_document
from pipeline.rules import load_rules

RULES = load_rules("task_tables.toml")
COLUMNS = [r for r in RULES if r["kind"] == "column"]
GROUPS = [r for r in RULES if r["kind"] == "group"]


# ------------------------------------------------------------------ the rules, both ways

@pytest.mark.parametrize("rule", COLUMNS, ids=lambda r: r["id"])
def test_column_names_both_ways(rule):
    for ex in rule["examples"]:
        got = column_role(ex)
        assert got is not None and got[:2] == (rule["role"], rule["id"]), ex
    for ex in rule.get("counterexamples", []):
        got = column_role(ex)
        assert got is None or got[1] != rule["id"], ex


@pytest.mark.parametrize("rule", GROUPS, ids=lambda r: r["id"])
def test_group_markers_both_ways(rule):
    bold = bool(rule.get("bold"))
    for ex in rule["examples"]:
        assert group_marker(ex, bold) == rule["id"], ex
    for ex in rule.get("counterexamples", []):
        assert group_marker(ex, bold) != rule["id"], ex


def test_every_kind_is_known():
    assert {r["kind"] for r in RULES} == {"column", "group", "time", "cell-label"}
    assert {r["role"] for r in COLUMNS} <= set(ROLES)


def test_wrapped_header_names_and_their_year():
    """Header cells wrap ("Trách nhiệm" / "thực hiện"); a year in parentheses dates the time cells."""
    assert column_role("Trách nhiệm\nthực hiện")[0] == "lead"
    assert column_role("Thời gian\n(Năm 2026)") == ("deadline", "col-deadline", "Năm 2026")


# ------------------------------------------------------------------ rows to tasks (the mechanism)

def _cell(text: str, col: int, **kw) -> TableCell:
    return TableCell(text, col=col, **kw)


def test_group_rows_merges_and_two_bodies_in_a_cell():
    """Group rows become section labels and pass their body on; a vertically merged lead cell
    covers the rows below it; "Sở A; UBND các xã" is two assignees, the first the lead."""
    header = TableRow((_cell("STT", 0), _cell("Nhiệm vụ", 1), _cell("Cơ quan chủ trì", 2),
                       _cell("Cơ quan phối hợp", 3), _cell("Thời hạn", 4)), header=True)
    group = TableRow((_cell("I", 0, bold=True), _cell("Cải cách thể chế", 1, bold=True),
                      _cell("Sở Tư pháp", 2), _cell("", 3), _cell("", 4)))
    r1 = TableRow((_cell("1", 0), _cell("Rà soát văn bản quy phạm pháp luật", 1), _cell("", 2),
                   _cell("Sở Nội vụ", 3), _cell("Quý II/2025", 4)))
    group2 = TableRow((_cell("II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 0, colspan=5, bold=True),))
    r2 = TableRow((_cell("1", 0), _cell("Công khai thủ tục hành chính", 1),
                   _cell("Sở Nông nghiệp và Môi trường; UBND các xã", 2), _cell("", 3), _cell("Thường xuyên", 4)))
    r3 = TableRow((_cell("2", 0), _cell("Số hóa hồ sơ", 1), _cell("", 2, merged_above=True),
                   _cell("", 3), _cell("Tháng 9/2025", 4)))
    tasks = table_tasks(Table((header, group, r1, group2, r2, r3)), 0, Header(date="2025-03-01"), [])
    assert [t.section for t in tasks] == ["I.1", "II.1", "II.2"]
    assert [t.lead for t in tasks] == ["Sở Tư pháp", "Sở Nông nghiệp và Môi trường", "Sở Nông nghiệp và Môi trường"]
    assert tasks[0].coordinators == ("Sở Nội vụ",) and tasks[0].deadline.date == "2025-06-30"
    assert tasks[1].assignees == ("Sở Nông nghiệp và Môi trường", "UBND các xã")
    assert tasks[1].deadline.text == "Thường xuyên" and tasks[1].deadline.date is None
    assert tasks[2].deadline.date == "2025-09-30"
    assert [t.row for t in tasks] == [{"table": 0, "row": 2}, {"table": 0, "row": 4}, {"table": 0, "row": 5}]
    assert all(t.rule_id == "col-lead" for t in tasks)


def test_two_header_rows_and_a_score_table():
    """"Đơn vị thực hiện" over "Chủ trì" | "Phối hợp" gives the lead and coordinators columns; a
    table of scores (no duty columns) gives no task."""
    top = TableRow((_cell("TT", 0), _cell("Nội dung", 1), _cell("Đơn vị thực hiện", 2, colspan=2),
                    _cell("Kết quả dự kiến", 4)), header=True)
    sub = TableRow((_cell("", 0, merged_above=True), _cell("", 1, merged_above=True), _cell("Chủ trì", 2),
                    _cell("Phối hợp", 3), _cell("", 4, merged_above=True)), header=True)
    row = TableRow((_cell("1", 0), _cell("Xây dựng cơ sở dữ liệu", 1), _cell("Sở Khoa học và Công nghệ", 2),
                    _cell("Các sở, ban, ngành", 3), _cell("Cơ sở dữ liệu", 4)))
    (task,) = table_tasks(Table((top, sub, row)), 3, Header(), [])
    assert (task.lead, task.coordinators, task.result) == ("Sở Khoa học và Công nghệ", ("Các sở, ban, ngành",),
                                                           "Cơ sở dữ liệu")
    scores = Table((TableRow((_cell("STT", 0), _cell("Đơn vị", 1), _cell("Tỷ lệ %", 2)), header=True),
                    TableRow((_cell("1", 0), _cell("Sở Y tế", 1), _cell("93,01%", 2)))))
    assert table_tasks(scores, 0, Header(), []) == []
    # a report's table of progress names what was done: no task either
    progress = Table((TableRow((_cell("TT", 0), _cell("Nhiệm vụ", 1), _cell("Cơ quan chủ trì", 2),
                                _cell("Kết quả thực hiện", 3)), header=True),
                      TableRow((_cell("1", 0), _cell("Rà soát thủ tục", 1), _cell("Sở Tư pháp", 2),
                                _cell("Đã hoàn thành", 3)))))
    assert table_tasks(progress, 0, Header(), []) == []


# ------------------------------------------------------------------ readers: tables as tables

def _docx_with_table(tmp_path: Path) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("Các nhiệm vụ cụ thể như sau:")
    t = d.add_table(rows=4, cols=4)
    t.style = "Table Grid"
    for j, name in enumerate(["STT", "Nội dung", "Đơn vị chủ trì", "Thời gian hoàn thành"]):
        t.cell(0, j).text = name
    tr_pr = t.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "Rà soát quy trình nội bộ"
    t.cell(1, 2).text = "Sở Nội vụ"
    t.cell(1, 3).text = "Tháng 6/2025"
    t.cell(2, 0).text = "2"
    t.cell(2, 1).text = "Cập nhật dữ liệu cán bộ"
    t.cell(2, 2).merge(t.cell(3, 2)).text = "Sở Tài chính"    # one lead for rows 2 and 3
    t.cell(2, 3).text = "Quý III/2025"
    t.cell(3, 0).text = "3"
    t.cell(3, 1).text = "Báo cáo kết quả"
    t.cell(3, 3).text = "Tháng 12/2025"
    inner = t.cell(3, 1).add_table(rows=1, cols=3)   # a table nested in a cell
    for j, word in enumerate(["Quý I", "Quý II", "Quý III"]):
        inner.cell(0, j).text = word
    assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    out = tmp_path / "bang.docx"
    d.save(str(out))
    return out


def test_docx_tables_with_merges_nesting_and_header_rows(tmp_path):
    raw = read_document(str(_docx_with_table(tmp_path)))
    outer, inner = raw.tables
    assert inner.nested_in == 0 and outer.nested_in is None
    assert outer.rows[0].header and not outer.rows[1].header
    lead_cells = [r.cells[2] for r in outer.rows[1:]]
    assert [c.merged_above for c in lead_cells] == [False, False, True]
    for t in raw.tables:
        for r in t.rows:
            for c in r.cells:
                if c.text:
                    assert c.span is not None and raw.text[c.span.start:c.span.end] == c.text
    tasks = table_tasks(normalize_document(raw).tables[0], 0, Header(date="2025-01-02"), [])
    assert [(t.lead, t.deadline.date) for t in tasks] == [
        ("Sở Nội vụ", "2025-06-30"), ("Sở Tài chính", "2025-09-30"), ("Sở Tài chính", "2025-12-31")]


# ------------------------------------------------------------------ real letters

def _sources(shared: Path) -> list[dict]:
    return [json.loads(line) for line in (shared / "corpus" / "SOURCES.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _task_table_letters(shared: Path) -> list[Path]:
    """Corpus files whose SOURCES note says "task table" (not "no task table") and that have gold."""
    out = []
    for s in _sources(shared):
        note = (s.get("notes") or "").lower()
        if "task table" in note and "no task table" not in note:
            p = shared / "corpus" / s["file"]
            if p.exists() and (shared / "gold" / f"{p.stem}.json").exists():
                out.append(p)
    return out


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_task_table_letters_score(shared_dir):
    """Each gold letter with a task table, from each of its forms, scores tasks F1 >= 0.85."""
    letters = _task_table_letters(shared_dir)
    if not letters:
        pytest.skip("no gold letter with a task table in ../shared")
    score = _scorer(shared_dir)
    for path in letters:
        gold = json.loads((shared_dir / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        pred = extract_document(read_document(str(path))).to_dict()
        tally = score.Tally()
        score.score_tasks(pred, gold, tally)
        tp, npred, ngold = tally.counts["tasks"]
        f1 = score.prf(tp, npred, ngold)["f1"]
        assert f1 >= 0.85, (path.name, f1)
        rows = [t for t in pred["tasks"] if t.get("row")]
        assert rows and all(t["lead"] and t["span"] and t["rule_id"] for t in rows), path.name


def test_text_copy_gives_the_rows_the_docx_gives(shared_dir):
    """A TXT copy (soffice, one cell per line) yields the same rows as its DOCX original: the same
    sections, leads and deadline dates."""
    pairs = [(p, p.with_suffix(".txt")) for p in _task_table_letters(shared_dir)
             if p.suffix == ".docx" and p.with_suffix(".txt").exists()]
    if not pairs:
        pytest.skip("no DOCX task-table letter with a .txt twin")
    for docx_path, txt_path in pairs:
        def rows(p: Path) -> list[tuple]:
            ex = extract_document(read_document(str(p)))
            return [(t.section, t.lead, t.deadline.date) for t in ex.tasks if t.row]
        assert rows(docx_path) == rows(txt_path), docx_path.name


def test_no_sentence_task_inside_a_duty_table(shared_dir):
    for path in _task_table_letters(shared_dir):
        ex = extract_document(read_document(str(path)))
        tables = [t.span for t in ex.tasks if t.row and t.span]
        for t in ex.tasks:
            if t.row or t.span is None:
                continue
            assert not any(s.start <= t.span.start and t.span.end <= s.end for s in tables), (path.name, t.action)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_corpus_docx_cell_spans_point_at_their_text(shared_dir):
    """Every DOCX of the corpus: each table cell's span holds its text, before and after normalize."""
    seen = 0
    for path in sorted((shared_dir / "corpus").glob("*.docx")):
        raw = read_document(str(path))
        for doc in (raw, normalize_document(raw)):
            for t in doc.tables:
                for r in t.rows:
                    for c in r.cells:
                        if c.span is not None:
                            seen += 1
                            # words compared: normalize may drop a rule of dots inside a cell
                            assert words(doc.text[c.span.start:c.span.end]) == words(c.text), (path.name, c.text)
    if not seen:
        pytest.skip("no DOCX with tables in ../shared/corpus")


def test_tables_that_name_no_duty_give_no_task(shared_dir):
    """Tables of scores and rankings (STT | Đơn vị | Tỷ lệ %; Thứ hạng | Đơn vị | Điểm) in the corpus
    DOCX letters give no row task."""
    for path in sorted((shared_dir / "corpus").glob("*.docx")):
        if path in _task_table_letters(shared_dir):
            continue
        ex = extract_document(read_document(str(path)))
        assert not [t for t in ex.tasks if t.row], path.name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_print_of_a_task_table_gives_the_docx_rows(shared_dir, tmp_path):
    """A ruled table printed to PDF (rows cut by page breaks, the header repeated on each page)
    gives the rows its DOCX gives."""
    docs = [p for p in _task_table_letters(shared_dir) if p.suffix == ".docx"]
    if not docs:
        pytest.skip("no DOCX task-table letter")
    src = docs[0]
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / f"{src.stem}.pdf"

    def rows(p: Path) -> list[tuple]:
        ex = extract_document(read_document(str(p)))
        return [(t.section, t.lead, t.deadline.date) for t in ex.tasks if t.row]

    got, want = rows(pdf), rows(src)
    assert got == want


def test_text_tables_need_a_number_column_and_duty_columns():
    # the lines of a score table flattened: STT / Đơn vị / Tỷ lệ — no duty columns
    assert text_tables("STT\nĐơn vị\nTỷ lệ %\n1\nSở Y tế\n93%\n") == []


TIMES = [r for r in RULES if r["kind"] == "time"]
LABELS = [r for r in RULES if r["kind"] == "cell-label" and r.get("position") != "after"]


@pytest.mark.parametrize("rule", TIMES, ids=lambda r: r["id"])
def test_time_cells_both_ways(rule):
    from pipeline.extract.task_tables import parse_time_cell

    for ex in rule["examples"]:
        got = parse_time_cell(ex, "2025-01-01")
        assert got is not None and got.date and got.rule_id == rule["id"], ex
    for ex in rule.get("counterexamples", []):
        got = parse_time_cell(ex, "2025-01-01")
        assert got is None or got.rule_id != rule["id"], ex


@pytest.mark.parametrize("rule", LABELS, ids=lambda r: r["id"])
def test_cell_labels_both_ways(rule):
    from pipeline.extract.task_tables import _labelled, label_rules

    for ex in rule["examples"]:
        lead, coords = _labelled(ex)
        body = ex.split(":", 1)[1].strip()
        assert (lead if rule["role"] == "lead" else coords).strip() == body, ex
    for ex in rule.get("counterexamples", []):
        assert not any(r.id == rule["id"] and r.pattern.match(ex) for r in label_rules()), ex


def test_labelled_lead_cell():
    from pipeline.extract.task_tables import _labelled

    assert _labelled("Chủ trì: Sở Nội vụ;\nPhối hợp: Sở Tài chính, UBND các xã") == (
        "Sở Nội vụ", "Sở Tài chính, UBND các xã")
    assert _labelled("Lãnh đạo\nSở Y tế") == ("Lãnh đạo\nSở Y tế", "")


MARKS = [r for r in RULES if r["kind"] == "cell-label" and r.get("position") == "after"]


@pytest.mark.parametrize("rule", MARKS, ids=lambda r: r["id"])
def test_marks_after_a_body_both_ways(rule):
    from pipeline.extract.task_tables import label_rules, marked_roles

    for ex in rule["examples"]:
        leads, coords = marked_roles([ex])
        got = leads if rule["role"] == "lead" else coords
        assert got and "(" not in got[0], ex
    for ex in rule.get("counterexamples", []):
        assert not any(r.id == rule["id"] and r.pattern.search(ex) for r in label_rules(True)), ex


def test_flattened_table_with_group_lines_and_an_empty_cell():
    """One cell per line (a soffice TXT): a marked line over numbered rows is a group row; a blank
    line inside a row is an empty cell; the table ends at the next numbered paragraph."""
    from pipeline.extract.task_tables import extract_table_tasks
    from pipeline.models import Segments

    t = ("STT\nNhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\nThời gian hoàn thành\nI. CẢI CÁCH THỂ CHẾ\n1\n"
         "Rà soát văn bản quy phạm pháp luật của tỉnh\nSở Tư pháp\nCác sở, ngành\nQuý II/2025\n"
         "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH\n1\nCông khai thủ tục hành chính đúng quy định\nVăn phòng UBND tỉnh\n\n"
         "Thường xuyên\n\nb) Tổ chức thực hiện.\n")
    tasks, spans = extract_table_tasks(Segments(text=t), Header(date="2025-02-01"), [])
    assert [(x.section, x.lead, x.coordinators, x.deadline.text) for x in tasks] == [
        ("I.1", "Sở Tư pháp", ("Các sở, ngành",), "Quý II/2025"),
        ("II.1", "Văn phòng UBND tỉnh", (), "Thường xuyên")]
    assert spans and t[spans[0].end:].lstrip().startswith("b)")
