"""English on request: the gettext catalog (pipeline/locale/en/LC_MESSAGES/congvan.po) gives every
--help text its English, the compiled .mo is that .po, and `--lang en` works wherever it is put."""
from __future__ import annotations

import gettext
import inspect
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.i18n import LOCALE_DIR, label, t, translate

PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "congvan.po"
MO = PO.with_suffix(".mo")


def help_texts(cmd: click.Command) -> list[str]:
    out = [inspect.cleandoc(cmd.help)] if cmd.help else []
    out += [p.help for p in cmd.params if getattr(p, "help", None)]  # type: ignore[attr-defined]
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            out += help_texts(sub)
    return out


def test_every_help_text_has_its_english() -> None:
    missing = [h for h in help_texts(main) if not h.isascii() and translate(h, "en") == h]
    assert not missing, "add these to congvan.po (then make i18n):\n" + "\n".join(missing)


def test_every_message_and_label_has_its_english() -> None:
    from pipeline import i18n
    texts = [v for table in (i18n.MESSAGES, i18n.FIELD_LABELS, i18n.RELATION_LABELS, i18n.STATUS_LABELS)
             for v in table.values() if isinstance(v, str)]
    assert len(texts) > 80
    missing = [v for v in texts if translate(v, "en") == v]
    assert not missing, "add these to congvan.po (then make i18n):\n" + "\n".join(missing)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian: gettext) is not installed")
def test_mo_is_the_po_compiled(tmp_path: Path) -> None:
    out = tmp_path / "congvan.mo"
    subprocess.run(["msgfmt", "-c", "-o", str(out), str(PO)], check=True, capture_output=True)
    with out.open("rb") as fresh, MO.open("rb") as shipped:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(shipped)._catalog  # type: ignore[attr-defined]


@pytest.mark.parametrize("args", [["--lang", "en", "--help"], ["--lang", "en", "tasks", "--help"],
                                  ["tasks", "--help", "--lang", "en"], ["register", "--lang", "en", "--help"]])
def test_lang_en_before_or_after_the_command(args: list[str]) -> None:
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert "Examples:" in res.output and "Ví dụ" not in res.output


def test_env_gives_english_help_and_vietnamese_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Ví dụ" in CliRunner().invoke(main, ["--help"]).output
    monkeypatch.setenv("CONGVAN_LANG", "en")
    out = CliRunner().invoke(main, ["--help"]).output
    assert "reads incoming official letters" in out and "Tasks assigned" in out


def test_lang_en_tasks_is_accepted(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["--lang", "en", "tasks", "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 1 and "No database" in res.output  # English, and the option was accepted


def test_t_and_label_keep_working() -> None:
    assert t("tasks.none", "en") == "No tasks." and t("tasks.none", "vi") == "Không có nhiệm vụ nào."
    assert label("deadline", "en") == "Deadline" and label("deadline") == "Hạn xử lý"
    assert translate("Chỉ nhiệm vụ quá hạn.", "en") == "Only overdue tasks."


def test_why_a_file_failed_is_english_under_lang_en(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Readers and ingest word their reasons in Vietnamese; --lang en shows them in English
    (pipeline/i18n.py REASONS, their English in the catalog), values kept."""
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.i18n import REASONS, translate, translate_reason
    assert all(translate(r, "en") != r for r in REASONS)  # every reason has its English
    assert all(r.count("{}") == translate(r, "en").count("{}") for r in REASONS)
    assert translate_reason("quá thời gian cho một tệp (600 giây): đã dừng (đổi bằng --file-timeout)", "en") == \
        "over the time for one file (600 seconds): stopped (change with --file-timeout)"
    (tmp_path / "rong.txt").write_bytes(b"")
    (tmp_path / "nhi-phan.txt").write_bytes(bytes(range(256)) * 40)
    en = CliRunner().invoke(main, ["--lang", "en", "ingest", str(tmp_path), "--db", str(tmp_path / "c.db"),
                                   "--no-progress"])
    assert "rong.txt: empty file" in en.output and "a binary file, not text" in en.output
    assert "tệp" not in en.output.split("rong.txt")[1].splitlines()[0]
    vi = CliRunner().invoke(main, ["extract", str(tmp_path / "rong.txt")])
    assert "rong.txt: tệp rỗng" in vi.output
    en = CliRunner().invoke(main, ["extract", "--lang", "en", str(tmp_path / "rong.txt")])
    assert "rong.txt: empty file" in en.output
