"""`congvan serve`: pages a clerk reads (the register, the task board, search) on loopback, read-only,
no path of the machine, no download, nothing left in /tmp; seen in headless Chromium as a person
sees them."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipeline.serve import CANNED, _free_port, browse, page_url, take_screenshots, wait_for

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"

pytest.importorskip("datasette", reason="datasette is not installed (pip install 'congvan[serve]')")


def get(url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, ""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path):  # type: ignore[no-untyped-def]
    """A store of the seed and some real letters (one without a number), served by `congvan serve`
    with its own TMPDIR, to see what it leaves there."""
    tmp_path = tmp_path_factory.mktemp("served")
    db = tmp_path / "kho.db"
    files = [str(SEED)] + sorted(str(p) for p in (shared_dir / "corpus").glob("lamdong-*.txt"))[:12]
    congvan = [sys.executable, "-m", "pipeline.cli"]
    subprocess.run([*congvan, "ingest", *files, "--db", str(db), "--no-progress", "--jobs", "1",
                    "--received", "2025-01-06"], check=True, capture_output=True, cwd=REPO)
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    port = _free_port()
    proc = subprocess.Popen([*congvan, "serve", "--db", str(db), "--port", str(port)], cwd=REPO,
                            env={**os.environ, "TMPDIR": str(tmp)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/-/versions.json")
        yield base, db, tmp
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert list(tmp.iterdir()) == []  # nothing left behind


def test_pages_answer_with_vietnamese_labels(served) -> None:  # type: ignore[no-untyped-def]
    base, db, _ = served
    for name in CANNED:
        status, _ = get(f"{base}/kho/{name}.json")
        assert status == 200, name
    status, body = get(f"{base}/kho/so_den.json?_shape=array")
    rows = json.loads(body)
    assert [r["Số đến"] for r in rows] == list(range(1, len(rows) + 1))
    assert {"Ngày đến", "Tác giả", "Số, ký hiệu", "Trích yếu nội dung", "Ghi chú"} <= set(rows[0])
    status, body = get(f"{base}/kho/bang_nhiem_vu.json?_shape=array&co_quan=phong+noi+vu")
    tasks = json.loads(body)
    assert tasks and all("Văn bản giao" in r and r["Trạng thái"] in ("Quá hạn", "Đang xử lý", "Đã xong")
                         for r in tasks)
    assert any(r["Văn bản giao"] == "583/UBND" for r in tasks)
    status, body = get(f"{base}/kho/tim_kiem.json?_shape=array&q=cai+cach+hanh+chinh")
    hits = json.loads(body)
    assert hits[0]["Khớp"] == "cả cụm từ"


def test_nothing_of_the_machine_is_served_and_writes_are_refused(served) -> None:  # type: ignore[no-untyped-def]
    import datasette
    base, db, _ = served
    assert int(datasette.__version__.split(".")[0]) < 1  # no write API below 1.0 (pyproject pins it)
    for path in ("/kho/documents", "/kho/documents.json", "/kho/ingest_errors", "/kho/docs_fts",
                 "/kho.db", "/kho.json?sql=select+path+from+documents"):
        status, _ = get(base + path)
        assert status in (403, 404), path
    from pipeline.store import Store
    before = Store(str(db)).counts()
    for path, data in (("/kho/-/query", b"sql=delete+from+tasks"), ("/kho/tasks/-/insert", b'{"row": {}}'),
                       ("/kho/tasks/-/delete", b"{}"), ("/kho/-/create", b"{}"), ("/kho/so_den", b"nam=")):
        status, _ = get(base + path, data=data)
        assert status >= 400, path  # refused (0.65 answers 404, 405, or 500 for a row named "-")
    assert Store(str(db)).counts() == before
    seen = ""
    for path in ("/", "/kho", "/-/databases.json", "/-/metadata.json", "/kho/so_den", "/kho/bang_nhiem_vu",
                 "/kho/tasks.json", "/kho/nodes.json", "/kho/citations.json", "/kho/tim_kiem?q=dai+hoi"):
        seen += get(base + path)[1]
    assert str(db.parent) not in seen and str(REPO) not in seen and "/work/" not in seen
    assert "sha256" not in seen


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                    reason="Chromium is not installed (Debian: chromium)")
def test_register_and_task_board_in_a_real_browser(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, db, _ = served
    dom = browse(page_url(base, str(db), "register"), tmp_path / "register.png")
    for label in ("Sổ đăng ký văn bản đến", "Ngày đến", "Số đến", "Tác giả", "Trích yếu nội dung", "583/UBND"):
        assert label in dom, label
    assert "sha256" not in dom and "Custom SQL" not in dom
    dom = browse(page_url(base, str(db), "tasks"), tmp_path / "tasks.png")
    for label in ("Bảng nhiệm vụ", "Cơ quan chủ trì", "Quá hạn", "Văn bản giao", "Phòng Nội vụ"):
        assert label in dom, label
    from PIL import Image
    for name in ("register", "tasks"):
        im = Image.open(tmp_path / f"{name}.png")
        assert im.size == (1400, 1000)
        assert len(set(im.convert("L").resize((70, 50)).tobytes())) > 20  # a page, not a blank


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                    reason="Chromium is not installed (Debian: chromium)")
def test_take_screenshots_for_the_readme(tmp_path: Path) -> None:
    db = tmp_path / "congvan.db"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "ingest", str(SEED), "--db", str(db), "--no-progress"],
                   check=True, capture_output=True, cwd=REPO)
    doms = take_screenshots(str(db), tmp_path / "docs")
    assert (tmp_path / "docs" / "register.png").stat().st_size > 10_000
    assert (tmp_path / "docs" / "tasks.png").stat().st_size > 10_000
    assert "583/UBND" in doms["register"] and "583/UBND" in doms["tasks"]
