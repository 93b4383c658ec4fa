"""`congvan serve`: Datasette on loopback, read-only, with the canned queries answering."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=5) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, ""


def test_serve_answers_canned_queries_and_refuses_writes(tmp_path: Path) -> None:
    congvan = Path(sys.executable).with_name("congvan")
    if not (shutil.which("datasette") or Path(sys.executable).with_name("datasette").exists()):
        pytest.skip("datasette is not installed (pip install 'congvan[serve]')")
    db = tmp_path / "kho.db"
    subprocess.run([str(congvan), "ingest", str(SEED), "--db", str(db), "--no-progress"], check=True,
                   capture_output=True)
    port = free_port()
    proc = subprocess.Popen([str(congvan), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/kho"
    try:
        for _ in range(100):
            try:
                status, _ = get(f"{base}.json")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.2)
        status, body = get(f"{base}/documents.json?_shape=array")
        assert status == 200 and json.loads(body)[0]["path"].endswith("583-UBND-son-tay-2024.txt")
        for name in ("qua_han_theo_co_quan", "van_ban_duoc_dan_nhieu_nhat", "van_ban_chua_co_trong_kho"):
            status, _ = get(f"{base}/{name}.json")
            assert status == 200, name
        status, _ = get(f"{base}/-/query", data=b"sql=delete+from+documents")
        assert status in (400, 403, 405)
        status, body = get(f"{base}.json?sql=select+count(*)+as+n+from+documents&_shape=array")
        assert json.loads(body)[0]["n"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
