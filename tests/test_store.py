"""The store on both backends (SQLite, PostgreSQL: the ``store`` fixture of conftest.py): idempotent
ingest, graph stubs that become real nodes, the register, search, reprocess."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.ingest import ingest
from pipeline.record import make_record, node_key
from pipeline.store import Store, fts_query, make_snippet

SEED = Path(__file__).resolve().parents[1] / "corpus" / "583-UBND-son-tay-2024.txt"


def test_same_bytes_twice_adds_nothing(store: Store, tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(SEED, copy)
    r1 = ingest(store, [SEED], jobs=1)
    r2 = ingest(store, [SEED, copy], jobs=1)
    assert (r1.stored, r2.stored, r2.skipped) == (1, 0, 2)
    assert store.counts()["documents"] == 1


def test_bad_files_are_recorded_and_batch_goes_on(store: Store, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "fake.pdf").write_bytes(b"%PDF-1.4\n garbage that is no pdf")
    shutil.copy(SEED, tmp_path / "good.txt")
    rep = ingest(store, [tmp_path], jobs=1)
    assert rep.stored == 1
    failed = {Path(p).name: reason for p, reason in rep.errors}
    assert set(failed) == {"empty.txt", "binary.txt", "fake.pdf"}
    assert "rỗng" in failed["empty.txt"] and "nhị phân" in failed["binary.txt"]
    assert [e["path"] for e in store.errors()] == [p for p, _ in rep.errors]


def test_errors_keep_what_is_stored(store: Store, tmp_path: Path) -> None:
    ingest(store, [SEED], jobs=1)
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    ingest(store, [tmp_path / "empty.txt"], jobs=1)
    assert store.counts()["documents"] == 1


def test_parallel_ingest_matches_serial(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(6):
        (folder / f"l{i}.txt").write_text(text.replace("Số: 583", f"Số: {600 + i}"), encoding="utf-8")
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    ra, rb = ingest(a, [folder], jobs=1), ingest(b, [folder], jobs=2)
    assert ra.stored == rb.stored == 6
    assert a.counts() == b.counts()


def test_stub_node_becomes_real_when_document_arrives(store: Store) -> None:
    def ex(sha: str, code: str, issuer: str, date: str, cites: list[dict]) -> dict:
        return {"source": {"sha256": sha, "path": f"{sha}.txt", "format": "txt"},
                "document": {"code": code, "issuer": issuer, "date": date, "type": "Công văn"},
                "citations": cites, "tasks": []}
    cite = {"code": "1313/UBND-NC", "issuer": "Ủy ban nhân dân tỉnh Quảng Ngãi", "date": "2024-03-14",
            "relation": "implements"}
    store.save_extraction(make_record(ex("a", "583/UBND", "Ủy ban nhân dân huyện Sơn Tây", "2024-03-15", [cite])), "x")
    assert [m["code"] for m in store.missing()] == ["1313/UBND-NC"]
    store.save_extraction(make_record(ex("b", "1313/UBND-NC", "Ủy ban nhân dân tỉnh Quảng Ngãi", "2024-03-14", [])), "y")
    assert store.missing() == []
    nodes, edges = store.graph()
    assert len([n for n in nodes if n["code"] == "1313/UBND-NC"]) == 1
    cited_by = store.walk(store.nodes_for_code("1313/UBND-NC"), "in", 1)
    assert [c["code"] for c in cited_by] == ["583/UBND"]


def test_resent_letter_is_flagged_not_registered_twice(store: Store) -> None:
    def ex(sha: str) -> dict:
        return {"source": {"sha256": sha, "path": f"{sha}.pdf", "format": "pdf"},
                "document": {"code": "12/UBND", "issuer": "UBND tỉnh Lâm Đồng", "date": "2025-01-02"},
                "citations": [], "tasks": []}
    _, dup1 = store.save_extraction(make_record(ex("s1"), "2025-01-05"), "a")
    _, dup2 = store.save_extraction(make_record(ex("s2"), "2025-01-06"), "b")
    assert dup1 is None and dup2 is not None
    rows = list(store.db.query("SELECT received_number, duplicate_of FROM documents ORDER BY id"))
    assert rows[0]["received_number"] == 1 and rows[1]["received_number"] is None


@pytest.mark.parametrize("query", ["cai cach hanh chinh", "dang ky dat dai", "cải cách hành chính",
                                   '"Đăng ký đất đai"'])
def test_search_folds_diacritics_and_d(store: Store, query: str) -> None:
    ingest(store, [SEED], jobs=1)
    rows = store.search(query)
    assert rows and rows[0]["path"].endswith("583-UBND-son-tay-2024.txt")
    assert "[" in rows[0]["snippet"]


@pytest.mark.parametrize("query", ['"unclosed', "AND OR NOT", "x*)(", "NEAR(a b"])
def test_search_never_breaks_on_fts_syntax(store: Store, query: str) -> None:
    ingest(store, [SEED], jobs=1)
    assert store.search(query) == []  # every word quoted and required: no syntax error, no match


def test_fts_query_and_snippet() -> None:
    assert fts_query("đất đai") == '"dất" "dai"'
    assert make_snippet("Văn phòng Đăng ký đất đai", ["dang", "ky"]) == "Văn phòng [Đăng] [ký] đất đai"


def test_node_key_drops_office_holder() -> None:
    a = node_key("202/UBND", "Chủ tịch Ủy ban nhân dân huyện Sơn Tây", "2024-01-23")
    b = node_key("202/UBND", "Ủy ban nhân dân huyện Sơn Tây", "2024-01-23")
    assert a == b


def test_reprocess_keeps_task_status(store: Store) -> None:
    from pipeline.reprocess import reprocess_store
    ingest(store, [SEED], jobs=1)
    rows = store.task_rows()
    if rows:
        store.mark_task(rows[0]["id"], "done")
    before = store.counts()
    assert reprocess_store(store) == 1
    assert store.counts() == before
    if rows:
        assert any(r["status"] == "done" for r in store.task_rows())
    ex = json.loads(next(store.documents())["extraction"])
    assert ex["schema"] == "congvan/extract/v1"


def test_group_tasks_are_linked_to_the_recipients_they_cover(store: Store) -> None:
    ex = {"source": {"sha256": "g", "path": "g.txt", "format": "txt"},
          "document": {"code": "9/UBND", "issuer": "Ủy ban nhân dân huyện Sơn Tây", "date": "2024-03-15",
                       "recipients": ["Công an huyện", "Ủy ban nhân dân các xã"]},
          "citations": [],
          "tasks": [{"lead": "UBND các xã", "assignees": ["UBND các xã"], "action": "rà soát",
                     "deadline": {"date": "2024-03-31"}}]}
    store.save_extraction(make_record(ex), "x")
    rows = store.task_rows(assignee="uy ban nhan dan cac xa")
    assert [r["covers"] for r in rows] == [["Ủy ban nhân dân các xã"]]
    assert store.task_rows(assignee="Công an huyện") == []


def test_relative_deadline_counted_from_received_date_in_working_days(store: Store) -> None:
    ex = {"source": {"sha256": "r", "path": "r.txt", "format": "txt"},
          "document": {"code": "5/UBND", "issuer": "Ủy ban nhân dân tỉnh Lâm Đồng", "date": "2024-02-05"},
          "citations": [],
          "tasks": [{"lead": "Sở Nội vụ", "action": "báo cáo",
                     "deadline": {"date": None, "text": "trong 05 ngày làm việc kể từ ngày nhận được văn bản",
                                  "relative_days": 5, "working_days": True}}]}
    store.save_extraction(make_record(ex, received_date="2024-02-07"), "x")
    row = store.task_rows()[0]
    assert row["deadline_date"] == "2024-02-21"  # Tết 2024 (8-14 February) is not counted
    assert row["deadline_from_received"] == 1


def test_resent_letter_adds_no_second_task_list(store: Store, tmp_path: Path) -> None:
    again = tmp_path / "gui-lai.txt"
    again.write_bytes(SEED.read_bytes() + b"\n\n")  # other bytes, same letter
    ingest(store, [SEED], jobs=1)
    before = store.counts()
    rep = ingest(store, [again], jobs=1)
    after = store.counts()
    assert rep.duplicates == 1 and after["resent"] == 1
    assert (after["tasks"], after["citations"]) == (before["tasks"], before["citations"])
    assert all(m["cited_by"] == 1 for m in store.missing())


def test_lookup_by_code_ignores_case_spaces_and_d(store: Store) -> None:
    ingest(store, [SEED], jobs=1)
    assert [d["code"] for d in store.find_documents("583 / ubnd")] == ["583/UBND"]
    assert store.find_documents("58/UBND") == []
    assert len(store.nodes_for_code("280/CD-TTg")) == 1
    assert store.nodes_for_code("280/CĐ-TTg") == store.nodes_for_code("280/cđ-ttg")


def test_the_store_computes_nothing_of_extraction() -> None:
    """The store imports no extraction code: keys, due dates and covered addressees come in the
    record (pipeline.record), made before the store."""
    import subprocess
    import sys
    code = "import sys, pipeline.store; print(sorted(m for m in sys.modules if m.startswith('pipeline.extract')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_bare_extraction_is_refused_with_a_message(store: Store) -> None:
    from pipeline.errors import StoreError
    ex = {"source": {"sha256": "b", "path": "b.txt", "format": "txt"}, "document": {"code": "1/UBND"},
          "citations": [], "tasks": []}
    with pytest.raises(StoreError, match="make_record"):
        store.save_extraction(ex, "x")
    assert store.counts()["documents"] == 0


@pytest.mark.parametrize("code", ["583/UBND", "280/CĐ-TTg", "1313 / UBND-NC", "12/2024/NĐ-CP", "ĐÐ/đ"])
def test_code_lookup_key_is_the_graph_key_slot(code: str) -> None:
    from pipeline.store import code_fold
    assert code_fold(code) == node_key(code, None, None).split("|")[0]


def test_a_letter_without_a_number_held_twice_is_registered_once(store: Store) -> None:
    def ex(sha: str) -> dict:
        return {"source": {"sha256": sha, "path": f"{sha}.txt", "format": "txt"},
                "document": {"code": None, "issuer": "Sở Nội vụ", "date": None, "subject": "Về việc họp"},
                "citations": [], "tasks": []}
    _, first = store.save_extraction(make_record(ex("n1"), "2025-02-03"), "a")
    _, second = store.save_extraction(make_record(ex("n2"), "2025-02-03"), "b")
    assert first is None and second is not None


# ---- tasks --assignee and overdue in SQL (issue 15) ---------------------------------------------
def _letter(sha: str, date: str, tasks: list[dict], issuer: str = "Ủy ban nhân dân tỉnh Lâm Đồng",
            recipients: list[str] | None = None) -> dict:
    return {"source": {"sha256": sha, "path": f"{sha}.txt", "format": "txt"},
            "document": {"code": f"{len(sha)}{sha}/UBND", "issuer": issuer, "date": date,
                         "recipients": recipients or []},
            "citations": [], "tasks": [dict({"action": "rà soát", "deadline": {"date": None}}, **t) for t in tasks]}


def _leads(rows: list[dict]) -> list[str]:
    return sorted(r["lead"] for r in rows)


def test_assignee_is_matched_by_identity_in_sql(store: Store) -> None:
    from pipeline.record import assignee_query
    store.save_extraction(make_record(_letter("a", "2024-05-02", [
        {"lead": "Giám đốc Sở Tài chính", "assignees": ["Giám đốc Sở Tài chính"]},
        {"lead": "Văn phòng UBND tỉnh", "assignees": ["Văn phòng UBND tỉnh"]},
        {"lead": "Phòng Nội vụ", "assignees": ["Phòng Nội vụ"], "coordinators": ["Sở Xây dựng"]},
        {"lead": "Bộ Tài chính", "assignees": ["Bộ Tài chính"]}, {"lead": "UBND tỉnh"}])), "x")
    # one body by identity, not a substring: the Sở, not the Bộ; UBND tỉnh is not its Văn phòng
    assert _leads(store.task_rows(assignee=assignee_query("so tai chinh"))) == ["Giám đốc Sở Tài chính"]
    assert _leads(store.task_rows(assignee=assignee_query("Sở Tài chính tỉnh Lâm Đồng"))) == ["Giám đốc Sở Tài chính"]
    assert _leads(store.task_rows(assignee=assignee_query("ubnd tinh"))) == ["UBND tỉnh"]
    # coordinators count
    assert _leads(store.task_rows(assignee=assignee_query("so xay dung"))) == ["Phòng Nội vụ"]
    # a fragment no body is: the folded names that hold its words
    assert _leads(store.task_rows(assignee=assignee_query("noi vu"))) == ["Phòng Nội vụ"]
    assert _leads(store.task_rows(assignee=assignee_query("tai chinh"))) == ["Bộ Tài chính", "Giám đốc Sở Tài chính"]
    assert store.task_rows(assignee=assignee_query("so giao duc")) == []


def test_a_merged_body_is_asked_for_by_either_name_by_the_letters_date(store: Store) -> None:
    from pipeline.record import assignee_query
    store.save_extraction(make_record(_letter("b", "2024-06-01", [{"lead": "Sở Kế hoạch và Đầu tư"}])), "x")
    store.save_extraction(make_record(_letter("c", "2025-06-01", [{"lead": "Sở Kế hoạch và Đầu tư"}])), "x")
    store.save_extraction(make_record(_letter("d", "2025-06-01", [{"lead": "Sở Tài chính"}])), "x")

    def dates(q: str) -> list[str]:
        return sorted(f"{r['document_date']} {r['lead']}" for r in store.task_rows(assignee=assignee_query(q)))
    # from 1 March 2025 Sở Kế hoạch và Đầu tư is Sở Tài chính (rules/bodies.toml)
    assert dates("so tai chinh") == ["2025-06-01 Sở Kế hoạch và Đầu tư", "2025-06-01 Sở Tài chính"]
    assert dates("so ke hoach va dau tu") == ["2024-06-01 Sở Kế hoạch và Đầu tư", "2025-06-01 Sở Kế hoạch và Đầu tư",
                                              "2025-06-01 Sở Tài chính"]


def test_overdue_is_worked_out_in_sql(store: Store) -> None:
    store.save_extraction(make_record(_letter("e", "2024-05-02", [
        {"lead": "Sở Nội vụ", "deadline": {"date": "2024-06-01"}},
        {"lead": "Sở Y tế", "deadline": {"date": "2024-08-01"}},
        {"lead": "Sở Xây dựng", "deadline": {"date": None}}])), "x")
    first = store.task_rows()[0]
    store.mark_task(first["id"], "done")
    st = {r["lead"]: r["status"] for r in store.task_rows(as_of="2024-07-01")}
    assert st == {"Sở Nội vụ": "done", "Sở Y tế": "open", "Sở Xây dựng": "open"}
    assert {r["lead"]: r["status"] for r in store.task_rows(as_of="2024-09-01")}["Sở Y tế"] == "overdue"
    assert _leads(store.task_rows(status="overdue", overdue_as_of="2024-09-01")) == ["Sở Y tế"]
    assert _leads(store.task_rows(status="open", as_of="2024-09-01")) == ["Sở Xây dựng", "Sở Y tế"]
    assert _leads(store.task_rows(status="done")) == ["Sở Nội vụ"]


def test_assignee_in_sql_finds_what_names_body_finds_on_the_gold_letters(store: Store, shared_dir: Path) -> None:
    """Every gold letter's duties stored; for each body the duties name, and a few plain queries,
    the SQL match holds every task resolve.names_body (the former per-row test) accepts, and only
    those where a plain name is asked for."""
    from pipeline.record import assignee_query
    from pipeline.resolve import names_body
    queries = {"so tai chinh", "so noi vu", "ubnd cac xa", "phong noi vu", "ubnd tinh", "cong an huyen"}
    for i, g in enumerate(sorted((shared_dir / "gold").glob("*.json"))):
        ex = json.loads(g.read_text(encoding="utf-8"))
        if not ex.get("tasks"):
            continue
        ex["source"] = {"sha256": f"gold{i}", "path": g.name, "format": "txt"}
        ex.setdefault("citations", [])
        ex["document"]["code"] = None  # each gold letter its own entry
        store.save_extraction(make_record(ex, "2026-01-05"), "x")
        for t in ex["tasks"]:
            queries.update(n for n in [t.get("lead"), *t.get("assignees", [])][:2] if n and len(n) < 60)
    rows = store.task_rows(include_optional=True)
    assert len(rows) > 50
    exact = 0
    for q in sorted(queries):
        want = {r["id"] for r in rows if names_body(q, [r["lead"] or "", *r["assignees"], *r["coordinators"],
                                                        *r["covers"]], date=r["document_date"])}
        got = {r["id"] for r in store.task_rows(assignee=assignee_query(q), include_optional=True)}
        if want:
            assert want <= got, q
            exact += want == got
    assert exact >= 0.8 * len([q for q in queries]) / 2


def test_an_error_is_cleared_once_the_same_file_is_stored(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "sua-lai.txt"
    f.write_bytes(b"")
    ingest(store, [f], jobs=1)
    assert [Path(e["path"]).name for e in store.errors()] == ["sua-lai.txt"]
    shutil.copy(SEED, f)  # mended: the same file, now a letter
    rep = ingest(store, [f], jobs=1)
    assert rep.stored == 1 and store.errors() == [] and store.counts()["errors"] == 0
