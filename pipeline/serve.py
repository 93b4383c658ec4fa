"""``congvan serve``: the store in Datasette, read-only, on 127.0.0.1, with canned queries."""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .errors import MissingTool

CANNED = {
    "qua_han_theo_co_quan": {
        "title": "Nhiệm vụ quá hạn theo cơ quan chủ trì",
        "sql": "SELECT t.lead AS co_quan_chu_tri, count(*) AS so_nhiem_vu, min(t.deadline_date) AS han_som_nhat "
               "FROM tasks t WHERE t.status = 'open' AND t.optional = 0 AND t.deadline_date < date('now') "
               "GROUP BY t.lead ORDER BY so_nhiem_vu DESC",
    },
    "van_ban_duoc_dan_nhieu_nhat": {
        "title": "Văn bản được dẫn nhiều nhất",
        "sql": "SELECT n.code, n.type, n.issuer, n.date, count(DISTINCT e.document_id) AS so_van_ban_dan, "
               "n.document_id IS NOT NULL AS co_trong_kho FROM nodes n JOIN edges e ON e.target = n.id "
               "GROUP BY n.id ORDER BY so_van_ban_dan DESC LIMIT 100",
    },
    "van_ban_chua_co_trong_kho": {
        "title": "Văn bản được dẫn nhưng chưa có trong kho",
        "sql": "SELECT n.code, n.type, n.issuer, n.date, count(DISTINCT e.document_id) AS so_van_ban_dan "
               "FROM nodes n JOIN edges e ON e.target = n.id WHERE n.document_id IS NULL "
               "GROUP BY n.id ORDER BY so_van_ban_dan DESC",
    },
}


def metadata(db_path: str) -> dict:
    name = Path(db_path).stem
    return {"title": "congvan", "databases": {name: {"queries": CANNED}}}


def serve_store(db_path: str, port: int = 8001) -> None:
    """Run Datasette on 127.0.0.1:port over db_path. Datasette queries through read-only
    connections and 0.6x has no write API, so the store cannot be changed from the browser; the
    file is not opened immutable, so documents ingested meanwhile show up."""
    exe = shutil.which("datasette") or str(Path(sys.executable).with_name("datasette"))
    if not Path(exe).exists():
        raise MissingTool("cần cài Datasette: pip install 'congvan[serve]' (gói datasette)", db_path)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(metadata(db_path), fh, ensure_ascii=False)
    # exec, not a child process: Ctrl+C and a terminate reach Datasette itself.
    os.execv(exe, [exe, "serve", db_path, "--host", "127.0.0.1", "--port", str(port), "--metadata", fh.name])
