"""Commands that answer at once (issue 15): `search`, `tasks`, `show` load neither the extraction
rules nor sqlite-utils; `tasks --assignee` resolves the body once and the store matches in SQL."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "583-UBND-son-tay-2024.txt"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("cmd") / "c.db")
    res = CliRunner().invoke(main, ["ingest", str(SEED), "--db", db, "--no-progress"])
    assert res.exit_code == 0, res.output
    return db


def loaded_by(args: list[str]) -> set[str]:
    """The modules a fresh `congvan ARGS` process has loaded when it ends."""
    code = ("import sys, atexit, json\n"
            "atexit.register(lambda: sys.__stderr__.write('MODULES ' + json.dumps(sorted(sys.modules)) + '\\n'))\n"
            "from pipeline.cli import main\nsys.argv = ['congvan'] + sys.argv[1:]\nmain()\n")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line[len("MODULES "):]))


HEAVY = ("pipeline.extract", "pipeline.rules", "pipeline.resolve", "pipeline.readers", "regex", "sqlite_utils")


@pytest.mark.parametrize("args", [["search", "cai cach hanh chinh"], ["tasks", "--overdue"], ["show", "583/UBND"],
                                  ["tasks", "--format", "json"], ["--help"]])
def test_reading_commands_compile_no_extraction_rules(seeded: str, args: list[str]) -> None:
    mods = loaded_by([*args, "--db", seeded] if args != ["--help"] else args)
    assert not [m for m in mods if m.startswith(HEAVY)], sorted(m for m in mods if m.startswith(HEAVY))


def test_assignee_loads_the_body_rules_but_no_extractor(seeded: str) -> None:
    mods = loaded_by(["tasks", "--assignee", "phong noi vu", "--db", seeded])
    assert "pipeline.resolve" in mods
    assert not [m for m in mods if m.startswith(("pipeline.extract", "pipeline.readers", "sqlite_utils"))]


def test_assignee_by_identity_and_by_fragment(seeded: str) -> None:
    def leads(q: str) -> list[str]:
        res = CliRunner().invoke(main, ["tasks", "--assignee", q, "--format", "json", "--db", seeded])
        assert res.exit_code == 0, res.output
        return [r["lead"] for r in json.loads(res.output)]
    noi_vu = leads("Phòng Nội vụ")
    assert noi_vu and all("Nội vụ" in x for x in noi_vu)
    # "noi vu" names no body: the tasks whose names hold those words
    assert set(leads("noi vu")) >= set(noi_vu)
    assert leads("so giao duc va dao tao") == []


def test_overdue_as_of_is_decided_by_the_store(seeded: str) -> None:
    res = CliRunner().invoke(main, ["tasks", "--format", "json", "--as-of", "2000-01-01", "--db", seeded])
    assert res.exit_code == 0 and "overdue" not in {r["status"] for r in json.loads(res.output)}
    res = CliRunner().invoke(main, ["tasks", "--overdue", "--as-of", "2099-01-01", "--format", "json", "--db", seeded])
    rows = json.loads(res.output)
    assert rows and {r["status"] for r in rows} == {"overdue"} and all(r["deadline_date"] for r in rows)
