"""``congvan serve``: the store as pages a clerk reads, in Datasette, read-only, on 127.0.0.1.

Pages (canned queries, Vietnamese labels): the incoming register (``so_den``), the task board
(``bang_nhiem_vu``: open, overdue and done tasks by body, each with the letter it came from), tasks
counted by body, full-text search (``tim_kiem``: phrase first, diacritics and đ/d ignored), cited
documents not held, the most cited documents.

What is not served: the ``documents`` table (its sha256, stored text, extraction and the file's
absolute path), ``ingest_errors`` (paths), the FTS tables (folded text), arbitrary SQL, the
database download, and the database's own path (Datasette is given the file name, from its
folder). A letter is named by its code, else by its file name only. Datasette below 1.0 has no
write API (``pyproject.toml`` pins it; a test checks writes are refused) and queries through
read-only connections. Datasette runs in this process: no file is written anywhere (no metadata
file in /tmp).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import types
from pathlib import Path
from typing import Any

from .errors import MissingTool

# A letter as a clerk names it: its code, else its file name (never the machine's path).
_LETTER = "coalesce(d.code, '[' || cv_file_name(d.path) || ']')"
_VN_DATE = "strftime('%d/%m/%Y', {})"  # 06/01/2025, as dates are written in a Vietnamese office
_STATUS = ("CASE WHEN t.status = 'done' THEN 'Đã xong' "
           "WHEN t.deadline_date IS NOT NULL AND t.deadline_date < date('now') THEN 'Quá hạn' "
           "ELSE 'Đang xử lý' END")
_STATUS_ORDER = ("CASE WHEN t.status = 'done' THEN 2 "
                 "WHEN t.deadline_date IS NOT NULL AND t.deadline_date < date('now') THEN 0 ELSE 1 END")

CANNED: dict[str, dict[str, Any]] = {
    "so_den": {
        "title": "Sổ đăng ký văn bản đến",
        "description": "Theo Nghị định 30/2020/NĐ-CP, Phụ lục IV; theo thứ tự số đến. Lọc theo năm đến (để trống: mọi năm).",
        "hide_sql": True,
        "sql": (f"SELECT {_VN_DATE.format('d.received_date')} AS \"Ngày đến\", d.received_number AS \"Số đến\", "
                f"d.issuer AS \"Tác giả\", {_LETTER} AS \"Số, ký hiệu\", "
                f"{_VN_DATE.format('d.date')} AS \"Ngày văn bản\", d.type AS \"Tên loại\", "
                "d.subject AS \"Trích yếu nội dung\", '' AS \"Đơn vị hoặc người nhận\", '' AS \"Ký nhận\", "
                "trim(CASE WHEN d.code IS NULL THEN 'văn bản không số; ' ELSE '' END "
                "|| coalesce(d.urgency || '; ', '') || CASE WHEN d.ocr THEN 'bản quét (OCR); ' ELSE '' END "
                "|| CASE WHEN json_array_length(json_extract(d.extraction, '$.document.review')) > 0 "
                "THEN 'cần kiểm tra: ' || cv_labels(json_extract(d.extraction, '$.document.review')) || '; ' "
                "ELSE '' END "
                "|| coalesce((SELECT 'nhận lại ' || count(*) || ' lần' FROM documents c "
                "WHERE c.duplicate_of = d.id HAVING count(*) > 0), ''), '; ') AS \"Ghi chú\" "
                "FROM documents d WHERE d.received_number IS NOT NULL "
                "AND (:nam = '' OR d.received_year = cast(:nam AS INTEGER)) "
                "ORDER BY d.received_year, d.received_number"),
    },
    "bang_nhiem_vu": {
        "title": "Bảng nhiệm vụ theo cơ quan",
        "description": ("Nhiệm vụ quá hạn, đang xử lý và đã xong của từng cơ quan chủ trì, với văn bản giao. "
                        "Lọc theo cơ quan (một phần tên, không dấu cũng được) hoặc trạng thái."),
        "hide_sql": True,
        "sql": (f"SELECT coalesce(t.lead, '(chưa rõ)') AS \"Cơ quan chủ trì\", {_STATUS} AS \"Trạng thái\", "
                f"{_VN_DATE.format('t.deadline_date')} AS \"Hạn xử lý\", t.id AS \"Mã nhiệm vụ\", "
                f"t.action AS \"Nội dung\", {_LETTER} AS \"Văn bản giao\", "
                f"{_VN_DATE.format('d.date')} AS \"Ngày văn bản\", d.issuer AS \"Cơ quan ban hành\" "
                "FROM tasks t JOIN documents d ON d.id = t.document_id WHERE t.optional = 0 "
                "AND (:co_quan = '' OR cv_fold(coalesce(t.lead, '') || ' ' || coalesce(t.assignees, '') || ' ' "
                "|| coalesce(t.coordinators, '')) LIKE '%' || cv_fold(:co_quan) || '%') "
                f"AND (:trang_thai = '' OR cv_fold({_STATUS}) = cv_fold(:trang_thai)) "
                f"ORDER BY coalesce(t.lead_key, cv_fold(t.lead), 'zzz'), {_STATUS_ORDER}, coalesce(t.deadline_date, '9999'), t.id"),
    },
    "nhiem_vu_theo_co_quan": {
        "title": "Số nhiệm vụ theo cơ quan chủ trì",
        "description": "Quá hạn, đang xử lý, đã xong; cơ quan nhiều việc quá hạn nhất trước.",
        "hide_sql": True,
        # one row per body however it was written ("Nhà đầu tư", "Nhà đầu tư của 02 dự án"): grouped by
        # the identity extraction resolved (tasks.lead_key), named by its shortest spelling
        "sql": ("SELECT coalesce((SELECT t2.lead FROM tasks t2 WHERE t2.lead_key = t.lead_key "
                "ORDER BY length(t2.lead), t2.lead LIMIT 1), min(t.lead), '(chưa rõ)') AS \"Cơ quan chủ trì\", "
                f"sum({_STATUS_ORDER} = 0) AS \"Quá hạn\", sum({_STATUS_ORDER} = 1) AS \"Đang xử lý\", "
                f"sum({_STATUS_ORDER} = 2) AS \"Đã xong\", min(CASE WHEN {_STATUS_ORDER} = 0 THEN t.deadline_date END) "
                "AS \"Hạn quá lâu nhất\" FROM tasks t WHERE t.optional = 0 GROUP BY coalesce(t.lead_key, cv_fold(t.lead)) "
                "ORDER BY \"Quá hạn\" DESC, \"Đang xử lý\" DESC, 1"),
    },
    "tim_kiem": {
        "title": "Tìm văn bản",
        "description": ("Gõ có dấu hay không dấu đều được; nhiều từ: văn bản có cả cụm từ đứng trước, "
                        "rồi văn bản có các từ gần nhau, rồi có các từ ở bất kỳ đâu."),
        "hide_sql": True,
        "sql": (f"SELECT {_LETTER} AS \"Số, ký hiệu\", d.type AS \"Loại\", d.date AS \"Ngày\", "
                "d.issuer AS \"Cơ quan ban hành\", d.subject AS \"Trích yếu\", "
                "CASE min(h.tier) WHEN 0 THEN 'cả cụm từ' WHEN 1 THEN 'các từ gần nhau' ELSE 'có các từ' END "
                "AS \"Khớp\" FROM (SELECT rowid AS id, 0 AS tier, bm25(docs_fts, 5.0, 3.0, 1.0, 1.0) AS rank "
                "FROM docs_fts WHERE docs_fts MATCH cv_fts(:q, 0) "
                "UNION ALL SELECT rowid, 1, bm25(docs_fts, 5.0, 3.0, 1.0, 1.0) FROM docs_fts "
                "WHERE docs_fts MATCH cv_fts(:q, 1) "
                "UNION ALL SELECT rowid, 2, bm25(docs_fts, 5.0, 3.0, 1.0, 1.0) FROM docs_fts "
                "WHERE docs_fts MATCH cv_fts(:q, 2)) h "
                "JOIN documents d ON d.id = h.id WHERE d.duplicate_of IS NULL "
                "GROUP BY d.id ORDER BY min(h.tier), min(h.rank) LIMIT 100"),
    },
    "van_ban_chua_co_trong_kho": {
        "title": "Văn bản được dẫn nhưng chưa có trong kho",
        "description": "Cần xin bản lưu; nhiều văn bản dẫn nhất trước.",
        "hide_sql": True,
        "sql": "SELECT n.code AS \"Số, ký hiệu\", n.type AS \"Loại\", n.issuer AS \"Cơ quan ban hành\", "
               "n.date AS \"Ngày\", count(DISTINCT e.document_id) AS \"Số văn bản dẫn\" "
               "FROM nodes n JOIN edges e ON e.target = n.id WHERE n.document_id IS NULL "
               "GROUP BY n.id ORDER BY 5 DESC, 1",
    },
    "van_ban_duoc_dan_nhieu_nhat": {
        "title": "Văn bản được dẫn nhiều nhất",
        "hide_sql": True,
        "sql": "SELECT n.code AS \"Số, ký hiệu\", n.type AS \"Loại\", n.issuer AS \"Cơ quan ban hành\", "
               "n.date AS \"Ngày\", count(DISTINCT e.document_id) AS \"Số văn bản dẫn\", "
               "CASE WHEN n.document_id IS NULL THEN 'chưa có' ELSE 'có' END AS \"Trong kho\" "
               "FROM nodes n JOIN edges e ON e.target = n.id "
               "GROUP BY n.id ORDER BY 5 DESC, 1 LIMIT 100",
    },
    "qua_han_theo_co_quan": {
        "title": "Nhiệm vụ quá hạn theo cơ quan chủ trì",
        "hide_sql": True,
        "sql": "SELECT t.lead AS co_quan_chu_tri, count(*) AS so_nhiem_vu, min(t.deadline_date) AS han_som_nhat "
               "FROM tasks t WHERE t.status = 'open' AND t.optional = 0 AND t.deadline_date < date('now') "
               "GROUP BY t.lead ORDER BY so_nhiem_vu DESC",
    },
}

# Tables never served: paths of the machine, sha256, stored text, extraction, folded FTS text.
DENIED = ("documents", "ingest_errors", "docs_fts", "docs_fts_data", "docs_fts_idx", "docs_fts_content",
          "docs_fts_docsize", "docs_fts_config")
HIDDEN = ("schema_version", "task_keys", "task_recipients", "recipients", "cc", "citations", "edges", "nodes",
          "tasks")
TABLE_TITLES = {"tasks": "Nhiệm vụ", "citations": "Trích dẫn", "nodes": "Văn bản (nút đồ thị)",
                "edges": "Quan hệ trích dẫn", "recipients": "Kính gửi", "cc": "Nơi nhận"}
PAGES = {"register": "so_den", "tasks": "bang_nhiem_vu"}


def metadata(db_path: str) -> dict[str, Any]:
    """Datasette metadata: Vietnamese titles, the canned pages, what is hidden and what denied."""
    name = Path(db_path).stem
    tables: dict[str, Any] = {t: {"allow": False, "hidden": True} for t in DENIED}
    tables.update({t: {"hidden": True, "title": TABLE_TITLES.get(t, t)} for t in HIDDEN})
    # Full-text search of documents through docs_fts (diacritics folded); the search page is
    # ``tim_kiem``, as the documents table itself is not served.
    tables["documents"].update({"fts_table": "docs_fts", "fts_pk": "id"})
    return {
        "title": "Công văn đến",
        "description": "Sổ văn bản đến, bảng nhiệm vụ và tìm kiếm văn bản (chỉ đọc).",
        "databases": {name: {"title": "Kho công văn", "allow_sql": False, "tables": tables, "queries": CANNED}},
    }


def _fold(text: str | None) -> str:
    from .resolve import fold
    return fold(text)


def _labels(fields_json: str | None) -> str:
    """A JSON list of field names (a letter's ``review``) as Vietnamese labels: "số, ngày"."""
    import json

    from .i18n import label
    try:
        return ", ".join(label(f, "vi").lower() for f in json.loads(fields_json or "[]"))
    except (ValueError, TypeError):
        return ""


def _fts(q: str | None, tier: int) -> str:
    """The FTS5 query of one search tier (0 phrase, 1 near, 2 anywhere); a query that has no
    such tier (one word) matches nothing there."""
    from .store.sqlite import fts_tiers
    try:
        tiers = fts_tiers(q or "")
    except Exception:  # an empty or wordless query: no results, not an error page
        return '""'  # an empty phrase: matches nothing
    if len(tiers) == 1:
        return tiers[0][1] if tier == 2 else '""'
    return tiers[tier][1]


def _prepare_connection(conn: Any) -> None:
    """SQL functions the pages use, registered on Datasette's connections."""
    conn.create_function("cv_file_name", 1, lambda p: Path(p).name if p else None, deterministic=True)
    conn.create_function("cv_fold", 1, _fold, deterministic=True)
    conn.create_function("cv_fts", 2, _fts, deterministic=True)
    conn.create_function("cv_labels", 1, _labels, deterministic=True)


def make_app(db_path: str) -> Any:
    """A Datasette instance over ``db_path`` with congvan's pages, read-only, no download, no SQL."""
    from datasette import hookimpl
    from datasette.app import Datasette
    from datasette.plugins import pm

    if not pm.has_plugin("congvan"):
        plugin = types.ModuleType("congvan_datasette")
        plugin.prepare_connection = hookimpl(_prepare_connection)  # type: ignore[attr-defined]
        pm.register(plugin, name="congvan")
    return Datasette([db_path], metadata=metadata(db_path),
                     settings={"allow_download": False, "allow_csv_stream": False, "default_allow_sql": False,
                               "allow_facet": True, "suggest_facets": False, "default_page_size": 100},
                     template_dir=str(Path(__file__).with_name("templates")))


def serve_store(db_path: str, port: int = 8001) -> None:
    """Run Datasette in this process on 127.0.0.1:port over ``db_path`` (see the module's docstring)."""
    try:
        import uvicorn
        from datasette.utils.asgi import Request  # noqa: F401  (datasette is importable)
    except ImportError as e:
        raise MissingTool("cần cài Datasette: pip install 'congvan[serve]' (gói datasette)", db_path) from e
    import asyncio
    # Datasette is given the file's name, from its folder, so no page shows the machine's path to it.
    path = Path(db_path).resolve()
    os.chdir(path.parent)
    ds = make_app(path.name)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host="127.0.0.1", port=port, log_level="warning", lifespan="on", workers=1)


def page_url(base: str, db_path: str, page: str) -> str:
    """The address of a page (``register``, ``tasks``) of a server at ``base``."""
    return f"{base.rstrip('/')}/{Path(db_path).stem}/{PAGES.get(page, page)}"


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        raise MissingTool("cần Chromium để chụp trang (Debian: chromium)")
    return exe


def browse(url: str, png: str | Path | None = None, width: int = 1400, height: int = 1000,
           timeout: float = 120) -> str:
    """Open ``url`` in headless Chromium as a person would; returns the page's DOM after it ran,
    and with ``png`` saves a screenshot there. The browser's profile is a temporary folder,
    removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="congvan-chromium-") as profile:
        args = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}"]
        if png:
            subprocess.run([*args, f"--screenshot={Path(png).resolve()}", url], check=True, capture_output=True,
                           timeout=timeout)
        res = subprocess.run([*args, "--dump-dom", url], check=True, capture_output=True, timeout=timeout)
    return res.stdout.decode("utf-8", "replace")


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    """Wait until ``url`` answers (the server has started)."""
    import time
    import urllib.error
    import urllib.request
    end = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > end:
                raise
            time.sleep(0.3)


def take_screenshots(db_path: str, outdir: str | Path, width: int = 1500, height: int = 1000) -> dict[str, str]:
    """Serve ``db_path`` (``congvan serve`` on a free port), open the register and the task board in
    headless Chromium, save ``register.png`` and ``tasks.png`` in ``outdir``; returns each page's DOM.

    >>> take_screenshots("output/congvan.db", "docs")  # doctest: +SKIP
    """
    import sys
    port = _free_port()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db_path), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/-/versions.json")
        return {page: browse(page_url(base, db_path, page), outdir / f"{page}.png", width, height)
                for page in ("register", "tasks")}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":  # python -m pipeline.serve DB OUTDIR: the README's screenshots
    import sys as _sys
    take_screenshots(_sys.argv[1], _sys.argv[2] if len(_sys.argv) > 2 else "docs")
