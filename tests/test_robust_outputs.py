"""Issue 12: a bad output target or option is a one-line message naming it, never a traceback;
``-o -`` writes to standard output. Each command here printed a traceback before the fix."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.ingest import in_process, ingest
from pipeline.outputs import OutputError, write_output
from pipeline.store import Store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("out") / "o.db"
    ingest(Store(path), [SEED], engine=in_process)
    return str(path)


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=True)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return res.exit_code, res.stdout, res.stderr


@pytest.mark.parametrize("target, why", [
    ("/dev/full", "No space left on device"),
    ("", "để trống"),
    ("/proc/version", "/proc/version"),
])
def test_export_to_a_bad_target_is_one_line_naming_it(db: str, target: str, why: str) -> None:
    if target and not os.path.exists(target):
        pytest.skip(f"{target} does not exist on this system")
    code, out, err = run("export", "tasks", "--db", db, "-o", target)
    assert code == 1 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and why in lines[0] and (target or "''") in lines[0]


def test_graph_to_proc_is_one_line_naming_it(db: str) -> None:
    code, _, err = run("graph", "--db", db, "-o", "/proc/version")
    assert code == 1 and len(err.strip().splitlines()) == 1 and "/proc/version" in err


@pytest.mark.parametrize("cmd", [["export", "tasks", "--format", "json"], ["graph", "--format", "json"],
                                 ["register", "--format", "json"]])
def test_dash_writes_to_standard_output(db: str, cmd: list[str]) -> None:
    code, out, err = run(*cmd, "--db", db, "-o", "-")
    assert code == 0
    assert out.lstrip().startswith(("[", "{")), out[:80]
    assert err.strip(), "the 'written' message goes to standard error, not into the data"


def test_a_huge_search_limit_is_a_message(db: str) -> None:
    code, _, err = run("search", "x", "--db", db, "--limit", "99999999999999999999")
    assert code == 2 and "--limit" in err and "Traceback" not in err


def test_a_folder_target_is_a_message(db: str, tmp_path: Path) -> None:
    code, _, err = run("export", "tasks", "--db", db, "-o", str(tmp_path))
    assert code != 0 and "Traceback" not in err


def test_a_failed_writer_leaves_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "keep.csv"
    target.write_text("old")

    def broken(p: Path) -> int:
        p.write_text("half")
        raise OSError(28, "No space left on device")
    with pytest.raises(OutputError, match="keep.csv"):
        write_output(target, broken)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"], "a temporary file was left behind"


def test_write_output_makes_folders_and_follows_links(tmp_path: Path) -> None:
    assert write_output(tmp_path / "a" / "b" / "x.txt", "xin chào") == len("xin chào".encode())
    real = tmp_path / "real.txt"
    real.write_text("old")
    os.symlink(real, tmp_path / "link.txt")
    write_output(tmp_path / "link.txt", b"new")
    assert (tmp_path / "link.txt").is_symlink() and real.read_text() == "new"
