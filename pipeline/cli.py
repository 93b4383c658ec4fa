"""The ``congvan`` command: thin click commands over the library.

Each command parses its options, calls one library function and turns a library error into a
one-line message naming the file. Messages are Vietnamese; ``--lang en`` gives English.
"""
from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .errors import CongvanError
from .i18n import (
    RELATION_LABELS,
    STATUS_LABELS,
    current_lang,
    label,
    t,
    translate,
    translate_reason,
    use_lang,
)

DEFAULT_DB = "output/congvan.db"
# pipeline.ingest's defaults, not imported from there so that --help stays fast (a test keeps them equal)
DEFAULT_FILE_TIMEOUT = 600.0
DEFAULT_WORKER_MEMORY_MB = 768
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _lang_in(args: list[str]) -> str | None:
    """The value of ``--lang`` anywhere on the command line (before the subcommand or after)."""
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None


class I18nCommand(click.Command):
    """A command whose --help speaks the user's language: the Vietnamese help texts are message
    ids of the gettext catalog (pipeline/i18n.py)."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        old = self.help
        self.help = translate(inspect.cleandoc(old)) if old else old
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = old

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        saved = [(p, getattr(p, "help", None)) for p in self.get_params(ctx)]
        for p, h in saved:
            if h:
                p.help = translate(h)  # type: ignore[attr-defined]
        try:
            super().format_options(ctx, formatter)
        finally:
            for p, h in saved:
                if h:
                    p.help = h  # type: ignore[attr-defined]

    def get_short_help_str(self, limit: int = 45) -> str:
        old, old_short = self.help, self.short_help
        self.help = translate(inspect.cleandoc(old)) if old else old
        self.short_help = translate(old_short) if old_short else old_short
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help, self.short_help = old, old_short


class I18nGroup(I18nCommand, click.Group):
    command_class = I18nCommand
    group_class = type

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:  # the whole command line: its --lang holds for this run
            use_lang(_lang_in(args))
        return super().parse_args(ctx, args)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        finally:
            use_lang(None)  # this run's language ends with it (tests run many in one process)


def lang_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--lang vi|en`` on every command ($CONGVAN_LANG when not given)."""
    return click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
                        help="Ngôn ngữ thông báo / message language (vi, en).")(f)


class DateType(click.ParamType):
    """An ISO date (YYYY-MM-DD); anything else is a one-line error naming the option."""
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        import datetime as dt
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            opt = param.opts[0] if param is not None and param.opts else "date"
            # a ClickException, not self.fail: one line, without the usage block
            raise click.ClickException(t("date.bad", None, option=opt, value=value)) from None


DATE = DateType()


def format_option(*choices: str, default: str = "table") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format table|json|csv`` on a listing command (JSON: a list of objects, snake_case keys)."""
    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        return click.option("--format", "fmt", type=click.Choice(list(choices or ("table", "json", "csv"))),
                            default=default, show_default=True,
                            help="table: để đọc; json: danh sách đối tượng; csv: bảng tính.")(f)
    return deco


def emit_rows(rows: list[dict[str, Any]], fmt: str, keys: list[str] | None = None) -> None:
    """Print rows as JSON (a list of objects) or CSV (a header row of the keys, lists joined by "; ")."""
    if keys is not None:
        rows = [{k: r.get(k) for k in keys} for r in rows]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    import csv
    import io
    buf = io.StringIO()
    cols = keys or (list(rows[0]) if rows else [])
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow(["; ".join(str(x) for x in v) if isinstance(v, (list, tuple)) else ("" if v is None else v)
                    for v in (r.get(k) for k in cols)])
    click.echo(buf.getvalue(), nl=False)


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
                        envvar="CONGVAN_DB",
                        help="Tệp SQLite, hoặc postgresql://USER:PASS@HOST:PORT/DB (cũng từ $CONGVAN_DB).")(f)


def open_existing(db_path: str, lang: str | None):  # type: ignore[no-untyped-def]
    from .store import is_postgres, open_store
    if db_path != ":memory:" and not is_postgres(db_path) and not Path(db_path).exists():
        raise click.ClickException(t("db.missing", lang, db=db_path))
    try:
        return open_store(db_path)
    except CongvanError as e:
        raise click.ClickException(str(e)) from e


def friendly(f: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a one-line message instead of a traceback."""
    @functools.wraps(f)
    def wrapper(*a: Any, **kw: Any) -> Any:
        try:
            return f(*a, **kw)
        except CongvanError as e:
            raise click.ClickException(str(e)) from e
    return wrapper


@click.group(cls=I18nGroup, context_settings=CONTEXT)
@click.version_option(package_name="congvan")
@click.option("--lang", "main_lang", type=click.Choice(["vi", "en"]), default=None, expose_value=False,
              help="Ngôn ngữ cho cả lệnh / language of the whole command (vi, en).")
def main() -> None:
    """congvan: đọc công văn đến, lấy số ký hiệu, trích yếu, văn bản được dẫn và nhiệm vụ được giao.

    \b
    Ví dụ / examples:
      congvan extract corpus/583-UBND-son-tay-2024.txt
      congvan ingest corpus/ --db output/congvan.db
      congvan tasks --overdue
      congvan export tasks --format xlsx -o output/tasks.xlsx
      congvan search "cai cach hanh chinh"
    """


# ---- extract --------------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True,
              help="json: một đối tượng JSON (congvan/extract/v1) mỗi dòng; text: bản tóm tắt để đọc.")
@lang_option
def extract(files: tuple[str, ...], fmt: str, lang: str | None) -> None:
    """Trích xuất từ các tệp, in ra màn hình (không lưu vào kho).

    \b
    Ví dụ: congvan extract --format json corpus/583-UBND-son-tay-2024.txt > pred.jsonl
    """
    from . import extract_path
    failed = 0
    for f in files:
        try:
            found = extract_path(f)  # a package (edXML, e-mail, ZIP) holds one letter or several
        except CongvanError as e:
            click.echo(error_line(e, lang), err=True)
            failed += 1
            continue
        for d in (ex.to_dict() for ex in found):
            click.echo(json.dumps(d, ensure_ascii=False) if fmt == "json" else format_text(d, lang))
    if failed:
        click.echo(t("extract.failed", lang, n=failed), err=True)
        sys.exit(1)


def error_line(e: CongvanError, lang: str | None) -> str:
    """A reader's error as one line, its reason in the user's language (``i18n.translate_reason``)."""
    reason = translate_reason(e.message, lang)
    return f"{e.path}: {reason}" if e.path else reason


def format_text(d: dict[str, Any], lang: str | None) -> str:
    """A readable summary of one extraction for a person."""
    doc = d["document"]
    L = functools.partial(label, lang=lang)
    lines = [f"== {d['source']['path']}"]
    signer = doc.get("signer") or {}
    sig = " ".join(x for x in (signer.get("authority"), signer.get("title")) if x)
    rows = [("type", doc.get("type")), ("code", doc.get("code")), ("issuer", doc.get("issuer")),
            ("parent_body", doc.get("parent_body")),
            ("date", ", ".join(x for x in (doc.get("place"), doc.get("date")) if x)),
            ("subject", doc.get("subject")), ("urgency", doc.get("urgency")),
            ("signer", f"{signer.get('name') or '?'} ({sig})" if signer.get("name") or sig else None)]
    for k, v in rows:
        if v:
            lines.append(f"{L(k) + ':':20s}{v}")
    for w in d["source"].get("warnings") or []:
        lines.append(f"!! {translate_reason(w, lang)}")
    if doc.get("review"):
        lines.append(f"{L('review') + ':':20s}{', '.join(doc['review'])}")
    for key in ("recipients", "cc"):
        if doc.get(key):
            lines.append(f"{L(key)}:")
            lines += [f"  - {r}" for r in doc[key]]
    if d.get("citations"):
        lines.append(f"{L('citations')} ({len(d['citations'])}):")
        for c in d["citations"]:
            rel = label(c.get("relation") or "refers", lang, RELATION_LABELS)
            extra = ", ".join(x for x in (c.get("date"), c.get("issuer")) if x)
            lines.append(f"  - [{rel}] {c.get('type') or ''} {c['code']}" + (f" ({extra})" if extra else ""))
    tasks = [x for x in d.get("tasks") or [] if not x.get("optional")]
    if tasks:
        lines.append(f"{L('tasks')} ({len(tasks)}):")
        for i, x in enumerate(tasks, 1):
            dl = x.get("deadline") or {}
            due = dl.get("date") or dl.get("text") or "—"
            lines.append(f"  {i}. [{x.get('section') or '-'}] {L('lead')}: {x.get('lead') or '?'}; "
                         f"{L('deadline')}: {due}")
            if x.get("coordinators"):
                lines.append(f"     {L('coordinators')}: {', '.join(x['coordinators'])}")
            lines.append(f"     {x.get('action')}")
            if x.get("report_to"):
                lines.append(f"     {L('report_to')}: {x['report_to']}")
            # where the duty stands in the letter (issue 10): its span and, for a table row, its row
            where = []
            if x.get("span"):
                where.append(t("task.span", lang, start=x["span"][0], end=x["span"][1]))
            if x.get("row"):
                where.append(t("task.row", lang, table=x["row"]["table"] + 1, row=x["row"]["row"] + 1))
            if where:
                lines.append(f"     ({'; '.join(where)})")
    if d.get("footnotes"):
        lines.append(f"{L('footnotes')}:")
        lines += [f"  {f['mark']}. {f['text'][:200]}" for f in d["footnotes"]]
    return "\n".join(lines) + "\n"


# ---- ingest ---------------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path())
@db_option
@click.option("--jobs", "-j", type=int, default=None, help="Số tiến trình song song (mặc định: số lõi CPU).")
@click.option("--summary", is_flag=True, help="In bản tổng hợp kho sau khi nạp.")
@click.option("--watch", "watch_dir", type=click.Path(file_okay=False), default=None,
              help="Theo dõi thư mục, nạp tệp mới khi có.")
@click.option("--interval", type=float, default=2.0, show_default=True, help="Với --watch: số giây giữa hai lần xem thư mục.")
@click.option("--received", "received_date", type=DATE, default=None, help="Ngày đến (YYYY-MM-DD) ghi vào sổ đến; mặc định hôm nay.")
@click.option("--max-pages", type=int, default=300, show_default=True, help="Bỏ qua tệp nhiều trang hơn.")
@click.option("--max-mb", type=int, default=100, show_default=True, help="Bỏ qua tệp lớn hơn (MB).")
@click.option("--file-timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_FILE_TIMEOUT,
              show_default=True, help="Số giây tối đa cho một tệp; quá thì dừng tệp đó, ghi lỗi, làm tiếp.")
@click.option("--worker-memory-mb", type=click.IntRange(min=64), default=DEFAULT_WORKER_MEMORY_MB, show_default=True,
              help="Bộ nhớ tối đa (MB) của mỗi tiến trình đọc tệp; vượt thì tệp đó ghi lỗi.")
@click.option("--no-progress", is_flag=True, help="Không hiện thanh tiến độ.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Nơi đọc và trích xuất: tiến trình trên máy này, hoặc cụm Dask (pip install 'congvan[dask]').")
@click.option("--scheduler", default=None, help="Với --engine dask: địa chỉ bộ lập lịch (tcp://HOST:8786); "
              "không có thì dựng cụm Dask cục bộ --jobs tiến trình.")
@lang_option
@friendly
def ingest(paths: tuple[str, ...], db_path: str, jobs: int | None, summary: bool, watch_dir: str | None,
           interval: float, received_date: str | None, max_pages: int, max_mb: int, file_timeout: float,
           worker_memory_mb: int, no_progress: bool, engine: str, scheduler: str | None, lang: str | None) -> None:
    """Nạp tệp hoặc thư mục (đệ quy) vào kho SQLite; tệp đã nạp (cùng nội dung) được bỏ qua.

    \b
    Ví dụ: congvan ingest corpus/ ../thu-muc-den/ --db output/congvan.db --summary
    """
    from .ingest import find_files
    from .ingest import ingest as run_ingest
    from .readers import Limits
    from .store import open_store
    if not paths and not watch_dir:
        raise click.UsageError("cần ít nhất một tệp hoặc thư mục / give at least one file or folder")
    store = open_store(db_path)
    mapper = None
    if engine == "dask" or scheduler:
        from .engines import dask_engine
        mapper = dask_engine(scheduler, jobs, file_timeout=file_timeout)
    limits = Limits(max_bytes=max_mb * 1024 * 1024, max_pages=max_pages)
    show = not no_progress and sys.stderr.isatty()
    total = sum(1 for _ in find_files(paths)) if paths and show else 0
    bar = IngestProgress(total, lang) if show else None
    progress = bar.update if bar else None

    try:
        rep = run_ingest(store, paths, jobs=jobs, limits=limits, progress=progress, received_date=received_date,
                         file_timeout=file_timeout, worker_memory_mb=worker_memory_mb, engine=mapper)
    finally:
        if bar:
            bar.close()
    report_ingest(rep, lang)
    if watch_dir:
        watch(store, Path(watch_dir), jobs, limits, lang, interval, file_timeout=file_timeout,
              worker_memory_mb=worker_memory_mb)
    if summary:
        print_summary(store, lang)
    if rep.errors:
        sys.exit(1)


class IngestProgress:
    """A progress bar on the terminal (rich): files done of total, pages/s, time left, the current
    file, errors so far. Only made when standard error is a terminal, so logs and pipes stay clean."""

    def __init__(self, total: int, lang: str | None):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        self.lang = lang
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                            TextColumn("{task.fields[errors]}"), TextColumn("[dim]{task.fields[file]}"),
                            console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task(t("ingest.bar", lang), total=total or None, rate="", errors="", file="")
        self.bar.start()

    def update(self, rep: Any, path: str) -> None:
        from rich.markup import escape
        rate = rep.pages / rep.seconds if rep.seconds else 0.0
        self.bar.update(self.task, completed=rep.stored + rep.skipped + len(rep.errors),
                        rate=t("ingest.rate", self.lang, rate=rate),
                        errors=t("ingest.errors_so_far", self.lang, n=len(rep.errors)) if rep.errors else "",
                        file=escape(Path(path).name[:40]))  # a name like "[2024] x.pdf" is not markup

    def close(self) -> None:
        self.bar.stop()


def report_ingest(rep: Any, lang: str | None) -> None:
    click.echo(t("ingest.done", lang, stored=rep.stored, skipped=rep.skipped, errors=len(rep.errors),
                 pages=rep.pages, seconds=rep.seconds, rate=(rep.stored / rep.seconds) if rep.seconds else 0))
    if rep.duplicates:
        click.echo(t("ingest.duplicates", lang, n=rep.duplicates))
    if rep.errors:
        click.echo(t("ingest.errors", lang), err=True)
        for path, reason in rep.errors:
            click.echo(f"  {path}: {translate_reason(reason, lang)}", err=True)
    for path, note in getattr(rep, "warnings", ()):
        click.echo(f"!! {path}: {translate_reason(note, lang)}", err=True)


def watch(store: Any, folder: Path, jobs: int | None, limits: Any, lang: str | None,
          interval: float = 2.0, file_timeout: float | None = DEFAULT_FILE_TIMEOUT,
          worker_memory_mb: int | None = DEFAULT_WORKER_MEMORY_MB) -> None:
    """Poll ``folder`` and ingest files that appear (and have stopped growing); a file that
    fails is recorded once, not at every poll (``pipeline.ingest.watch_folder``)."""
    from .ingest import watch_folder
    click.echo(t("ingest.watch", lang, dir=folder), err=True)
    watch_folder(store, folder, jobs=jobs, limits=limits, interval=interval, file_timeout=file_timeout,
                 worker_memory_mb=worker_memory_mb, on_report=lambda rep: report_ingest(rep, lang))


@main.command(context_settings=CONTEXT)
@db_option
@lang_option
def summary(db_path: str, lang: str | None) -> None:
    """Tổng hợp kho: văn bản theo loại và cơ quan, trích dẫn, nhiệm vụ.

    \b
    Ví dụ: congvan summary --db output/congvan.db
    """
    print_summary(open_existing(db_path, lang), lang)


def print_summary(store: Any, lang: str | None) -> None:
    s = store.summary()
    c = s["counts"]
    click.echo(f"== {t('summary.title', lang)} ({store.path})")
    click.echo(f"{t('summary.documents', lang) + ':':46s}{c['documents']}")
    if c.get("resent"):
        click.echo(f"{t('summary.resent', lang) + ':':46s}{c['resent']}")
    for k in ("citations", "tasks"):
        click.echo(f"{t('summary.' + k, lang) + ':':46s}{c[k]}")
    click.echo(f"{t('summary.missing', lang) + ':':46s}{c['missing']}")
    click.echo(f"{t('summary.errors', lang) + ':':46s}{c['errors']}")
    click.echo(t("summary.by_type", lang) + ":")
    for name, n in s["by_type"]:
        click.echo(f"  {n:5d}  {name}")
    click.echo(t("summary.by_issuer", lang) + ":")
    for name, n in s["by_issuer"]:
        click.echo(f"  {n:5d}  {name}")


# ---- tasks ----------------------------------------------------------------------------------
@main.group(context_settings=CONTEXT, invoke_without_command=True)
@click.option("--assignee", default=None, help="Lọc theo cơ quan (chủ trì, thực hiện hoặc phối hợp); không dấu cũng được.")
@click.option("--due-before", type=DATE, default=None, help="Hạn xử lý trước ngày (YYYY-MM-DD).")
@click.option("--overdue", is_flag=True, help="Chỉ nhiệm vụ quá hạn.")
@click.option("--as-of", type=DATE, default=None, help="Quá hạn tính đến ngày (YYYY-MM-DD); mặc định hôm nay.")
@click.option("--status", type=click.Choice(["open", "done", "overdue"]), default=None,
              help="Trạng thái: open (đang xử lý), done (đã xong), overdue (quá hạn).")
@click.option("--all", "include_optional", is_flag=True, help="Kể cả nhiệm vụ tùy chọn (lời kêu gọi chung, mời dự họp).")
@format_option("table", "json", "csv")
@click.option("--json", "as_json", is_flag=True, hidden=True, help="Như --format json.")
@db_option
@lang_option
@click.pass_context
def tasks(ctx: click.Context, assignee: str | None, due_before: str | None, overdue: bool, as_of: str | None,
          status: str | None, include_optional: bool, fmt: str, as_json: bool, db_path: str, lang: str | None) -> None:
    """Danh sách nhiệm vụ được giao, lọc theo cơ quan, hạn, trạng thái.

    \b
    Ví dụ: congvan tasks --assignee "phong noi vu" --overdue --as-of 2024-07-01
           congvan tasks --format json
           congvan tasks done 12
    """
    if ctx.invoked_subcommand:
        ctx.obj = {"db_path": db_path, "lang": lang}
        return
    import datetime as dt
    store = open_existing(db_path, lang)
    as_of_date = as_of or dt.date.today().isoformat()
    rows = store.task_rows(assignee=assignee_keys(assignee), due_before=due_before, status=status,
                           overdue_as_of=as_of_date if overdue else None, include_optional=include_optional,
                           as_of=as_of_date)
    for r in rows:
        r["letter"] = letter_of(r)
    if as_json or fmt != "table":
        emit_rows(rows, "json" if as_json else fmt, TASK_KEYS)
        return
    if not rows:
        click.echo(t("tasks.none", lang))
        return
    for r in rows:
        st = label(r["status"], lang, STATUS_LABELS)
        due = r["deadline_date"] or r["deadline_text"] or "—"
        click.echo(f"#{r['id']:<5d} [{st}] {label('deadline', lang)}: {due} · {r['letter']} "
                   f"§{r['section'] or '-'}")
        click.echo(f"       {label('lead', lang)}: {r['lead'] or '?'}")
        if r["coordinators"]:
            click.echo(f"       {label('coordinators', lang)}: {', '.join(r['coordinators'])}")
        click.echo(f"       {r['action']}")


def assignee_keys(assignee: str | None) -> dict[str, Any] | None:
    """``--assignee`` resolved once into body keys (``pipeline.record.assignee_query``), for the
    store to match in SQL; loads the body rules only when the option is given."""
    if not assignee:
        return None
    from .record import assignee_query
    return assignee_query(assignee)


TASK_KEYS = ["id", "status", "deadline_date", "deadline_text", "lead", "assignees", "coordinators", "action",
             "section", "report_to", "recurrence", "optional", "letter", "document_id", "document_code",
             "document_date", "document_subject", "issuer", "source_path"]


def letter_of(row: dict[str, Any]) -> str:
    """The letter a task came from, as a person names it: its code, else its file name."""
    from .export import letter_name
    return letter_name(row) or "?"


@tasks.command("done", context_settings=CONTEXT)
@click.argument("task_ids", nargs=-1, type=int, required=True)
@click.option("--undo", is_flag=True, help="Đặt lại là đang xử lý.")
@click.option("--db", "db_here", default=None, type=click.Path(dir_okay=False), help="Tệp cơ sở dữ liệu SQLite.")
@click.option("--lang", "lang_here", type=click.Choice(["vi", "en"]), default=None)
@click.pass_context
def tasks_done(ctx: click.Context, task_ids: tuple[int, ...], undo: bool, db_here: str | None,
               lang_here: str | None) -> None:
    """Đánh dấu nhiệm vụ đã xong (theo mã #).

    \b
    Ví dụ: congvan tasks done 12 13 --db output/congvan.db
    """
    db_path = db_here or ctx.obj["db_path"]
    lang = lang_here or ctx.obj["lang"]
    store = open_existing(db_path, lang)
    status = "open" if undo else "done"
    bad = False
    for tid in task_ids:
        if store.mark_task(tid, status):
            click.echo(t("tasks.marked", lang, id=tid, status=label(status, lang, STATUS_LABELS)))
        else:
            click.echo(t("tasks.notfound", lang, id=tid), err=True)
            bad = True
    if bad:
        sys.exit(1)


# ---- export ---------------------------------------------------------------------------------
@main.group(context_settings=CONTEXT)
def export() -> None:
    """Xuất dữ liệu ra tệp (CSV, XLSX, JSON, ICS)."""


@export.command("tasks", context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json", "ics"]), default="csv", show_default=True)
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="Tệp ghi ra.")
@click.option("--assignee", default=None)
@click.option("--status", type=click.Choice(["open", "done", "overdue"]), default=None)
@click.option("--all", "include_optional", is_flag=True, help="Kể cả nhiệm vụ tùy chọn.")
@db_option
@lang_option
@friendly
def export_tasks_cmd(fmt: str, out: str, assignee: str | None, status: str | None, include_optional: bool,
                     db_path: str, lang: str | None) -> None:
    """Xuất danh sách nhiệm vụ.

    \b
    Ví dụ: congvan export tasks --format xlsx -o output/tasks.xlsx
           congvan export tasks --format ics -o output/tasks.ics
    """
    from .export import export_tasks
    store = open_existing(db_path, lang)
    rows = store.task_rows(assignee=assignee_keys(assignee), status=status, include_optional=include_optional)
    from .outputs import write_output, writes_to_stdout
    n = write_output(out, lambda tmp: export_tasks(rows, fmt, tmp, lang=current_lang(lang)))
    click.echo(t("export.ics_written" if fmt == "ics" else "export.written", lang, n=n, path=out),
               err=writes_to_stdout(out))


# ---- the incoming register -------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.option("--year", type=click.IntRange(1900, 2999), default=None, help="Năm đến (số đến đánh lại từ 1 mỗi năm).")
@click.option("--from", "date_from", type=DATE, default=None, help="Đến từ ngày (YYYY-MM-DD).")
@click.option("--to", "date_to", type=DATE, default=None, help="Đến hết ngày (YYYY-MM-DD).")
@format_option("table", "csv", "xlsx", "json")
@click.option("-o", "--output", "out", default=None, type=click.Path(dir_okay=False),
              help="Tệp ghi ra (bắt buộc với xlsx; mặc định: màn hình).")
@db_option
@lang_option
@friendly
def register(year: int | None, date_from: str | None, date_to: str | None, fmt: str, out: str | None,
             db_path: str, lang: str | None) -> None:
    """Sổ đăng ký văn bản đến (Nghị định 30/2020/NĐ-CP, Phụ lục IV), theo thứ tự số đến.

    \b
    Ví dụ: congvan register --year 2025
           congvan register --format xlsx -o output/so-den.xlsx
           congvan register --from 2025-01-01 --to 2025-03-31 --format csv -o quy1.csv
    """
    from .register import REGISTER_KEYS, format_register, register_rows, write_register
    rows = register_rows(open_existing(db_path, lang), year=year, date_from=date_from, date_to=date_to, lang=lang)
    if out is not None:
        if fmt == "table":
            fmt = Path(out).suffix.lstrip(".").lower() if Path(out).suffix.lower() in (".csv", ".xlsx", ".json") \
                else "csv"
        from .outputs import write_output, writes_to_stdout
        n = write_output(out, lambda tmp: write_register(rows, fmt, tmp, lang=current_lang(lang)))
        click.echo(t("register.written", lang, n=n, path=out), err=writes_to_stdout(out))
        return
    if fmt == "xlsx":
        raise click.UsageError(t("output.required", lang, fmt="xlsx"))
    if fmt in ("json", "csv"):
        emit_rows(rows, fmt, [*REGISTER_KEYS, "file"])
        return
    if not rows:
        click.echo(t("register.none", lang))
        return
    import shutil
    click.echo(format_register(rows, lang, width=shutil.get_terminal_size((140, 24)).columns))


# ---- citation graph -------------------------------------------------------------------------
def node_name(r: dict[str, Any]) -> str:
    """A graph node as a person names it: its code, else (a letter without a number) its file name."""
    if r.get("code"):
        return str(r["code"])
    return f"[{Path(r['path']).name}]" if r.get("path") else "?"


def _print_walk(rows: list[dict[str, Any]], start: list[str], lang: str | None) -> None:
    """The walk as a tree: each node under the node it was reached from."""
    children: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        children.setdefault(r["via"], []).append(r)

    def draw(nid: str, level: int) -> None:
        for r in children.get(nid, []):
            rel = label(r.get("relation") or "refers", lang, RELATION_LABELS)
            held = "" if r.get("document_id") else " *"
            extra = ", ".join(str(x) for x in (r.get("date"), r.get("issuer")) if x)
            click.echo(f"{'  ' * level}- [{rel}] {r.get('type') or ''} {node_name(r)}{held}"
                       + (f" ({extra})" if extra else ""))
            draw(r["id"], level + 1)

    for s in start:
        draw(s, 0)


WALK_KEYS = ["depth", "relation", "code", "type", "issuer", "date", "held", "path", "node_id", "via"]


def _graph_walk(ref: str, direction: str, depth: int, fmt: str, db_path: str, lang: str | None) -> None:
    store = open_existing(db_path, lang)
    start = store.nodes_for_code(ref)
    if not start:
        start = [d["node_id"] for d in store.find_documents_by_ref(ref) if d.get("node_id")]
    if not start:
        raise click.ClickException(t("ref.notfound", lang, ref=ref))
    rows = store.walk(start, direction, depth)
    if fmt != "table":
        emit_rows([dict(r, held=bool(r.get("document_id")), node_id=r["id"], code=node_name(r)) for r in rows],
                  fmt, WALK_KEYS)
        return
    if not rows:
        click.echo(t("search.none", lang))
    _print_walk(rows, start, lang)


@main.command(context_settings=CONTEXT)
@click.argument("code")
@click.option("--depth", type=click.IntRange(1, 10), default=1, show_default=True, help="Số bậc dẫn.")
@format_option("table", "json", "csv")
@db_option
@lang_option
def cites(code: str, depth: int, fmt: str, db_path: str, lang: str | None) -> None:
    """Văn bản CODE dẫn những văn bản nào (* : chưa có trong kho). CODE: số ký hiệu, mã hoặc tên tệp.

    \b
    Ví dụ: congvan cites 583/UBND --depth 2
    """
    _graph_walk(code, "out", depth, fmt, db_path, lang)


@main.command("cited-by", context_settings=CONTEXT)
@click.argument("code")
@click.option("--depth", type=click.IntRange(1, 10), default=1, show_default=True, help="Số bậc dẫn.")
@format_option("table", "json", "csv")
@db_option
@lang_option
def cited_by(code: str, depth: int, fmt: str, db_path: str, lang: str | None) -> None:
    """Những văn bản nào dẫn văn bản CODE (kể cả văn bản không số).

    \b
    Ví dụ: congvan cited-by 1313/UBND-NC
    """
    _graph_walk(code, "in", depth, fmt, db_path, lang)


@main.command(context_settings=CONTEXT)
@click.option("--limit", type=click.IntRange(1, None), default=50, show_default=True, help="Số dòng tối đa.")
@format_option("table", "json", "csv")
@db_option
@lang_option
def missing(limit: int, fmt: str, db_path: str, lang: str | None) -> None:
    """Văn bản được dẫn nhưng chưa có trong kho, nhiều lượt dẫn nhất trước: cần xin lưu trữ.

    \b
    Ví dụ: congvan missing --limit 20
    """
    rows = open_existing(db_path, lang).missing()[:limit]
    if fmt != "table":
        emit_rows([dict(r, node_id=r["id"]) for r in rows], fmt,
                  ["cited_by", "code", "type", "issuer", "date", "node_id"])
        return
    if not rows:
        click.echo(t("missing.none", lang))
    for r in rows:
        extra = ", ".join(str(x) for x in (r.get("date"), r.get("issuer")) if x)
        click.echo(f"{r['cited_by']:4d}  {r.get('type') or ''} {r['code']}" + (f" ({extra})" if extra else ""))


@main.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["dot", "graphml", "json", "svg"]), default="dot", show_default=True)
@click.option("-o", "--output", "out", default=None, type=click.Path(dir_okay=False), help="Tệp ghi ra (mặc định: màn hình).")
@db_option
@lang_option
@friendly
def graph(fmt: str, out: str | None, db_path: str, lang: str | None) -> None:
    """Đồ thị trích dẫn của cả kho (DOT, GraphML, JSON; SVG qua Graphviz).

    \b
    Ví dụ: congvan graph --format svg -o output/graph.svg
    """
    from . import graph_export
    nodes, edges = open_existing(db_path, lang).graph()
    words = {rel: label(rel, lang, RELATION_LABELS) for rel in RELATION_LABELS}
    data: str | bytes
    if fmt == "dot":
        data = graph_export.to_dot(nodes, edges, labels=words)
    elif fmt == "svg":
        data = graph_export.to_svg(nodes, edges, labels=words)
    elif fmt == "graphml":
        data = graph_export.to_graphml(nodes, edges)
    else:
        data = graph_export.to_json(nodes, edges)
    if out is not None:
        from .outputs import write_output, writes_to_stdout
        write_output(out, data)
        click.echo(t("graph.written", lang, nodes=len(nodes), edges=len(edges), path=out), err=writes_to_stdout(out))
    else:
        click.echo(data.decode("utf-8") if isinstance(data, bytes) else data)


# ---- search and show ------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("query")
@click.option("--type", "type_", default=None, help="Loại văn bản, ví dụ 'Quyết định' (không dấu cũng được).")
@click.option("--issuer", default=None, help="Cơ quan ban hành (một phần tên, không dấu cũng được).")
@click.option("--since", type=DATE, default=None, help="Từ ngày (YYYY-MM-DD).")
@click.option("--until", type=DATE, default=None, help="Đến ngày (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, 100000), default=20, show_default=True, help="Số kết quả tối đa.")
@format_option("table", "json", "csv")
@db_option
@lang_option
@friendly
def search(query: str, type_: str | None, issuer: str | None, since: str | None, until: str | None, limit: int,
           fmt: str, db_path: str, lang: str | None) -> None:
    """Tìm văn bản theo nội dung; gõ có dấu hay không dấu đều được. Nhiều từ: văn bản có cả cụm từ
    đứng trước, rồi văn bản có các từ gần nhau, rồi văn bản có các từ ở bất kỳ đâu.

    \b
    Ví dụ: congvan search "cai cach hanh chinh" --since 2024-01-01
           congvan search "dai hoi" --type "cong van" --format json
    """
    rows = open_existing(db_path, lang).search(query, type_=type_, issuer=issuer, since=since, until=until,
                                               limit=limit)
    if fmt != "table":
        emit_rows(rows, fmt, ["code", "type", "date", "issuer", "subject", "path", "snippet", "match", "also", "id"])
        return
    if not rows:
        click.echo(t("search.none", lang))
    for r in rows:
        code = r["code"] or f"[{label('no_number_short', lang)}]"
        click.echo(f"{code} · {r['type'] or ''} · {r['date'] or ''} · {r['issuer'] or ''}")
        if r["subject"]:
            click.echo(f"   {r['subject']}")
        click.echo(f"   {r['snippet']}")
        click.echo(f"   {r['path']}")
        for p in r.get("also") or []:
            click.echo(f"   = {p}")


@main.command(context_settings=CONTEXT)
@click.argument("ref")
@db_option
@lang_option
def show(ref: str, db_path: str, lang: str | None) -> None:
    """In một văn bản trong kho cùng văn bản được dẫn, nhiệm vụ và văn bản dẫn nó. REF: số ký hiệu,
    mã văn bản, đường dẫn hoặc tên tệp (văn bản không số).

    \b
    Ví dụ: congvan show 583/UBND
           congvan show lamdong-1-v-v-cho-y-kien-doi-voi-de-an-to-chuc-dai-hoi-hop.pdf
    """
    store = open_existing(db_path, lang)
    docs = store.find_documents_by_ref(ref)
    if not docs:
        raise click.ClickException(t("ref.notfound", lang, ref=ref))
    for d in docs:
        det = store.document_detail(d["id"])
        ex = json.loads(det["extraction"])
        click.echo(format_text(ex, lang), nl=False)
        click.echo(f"{label('id', lang) + ':':20s}{det['id']}")
        if det["received_number"]:
            click.echo(f"{label('received', lang) + ':':20s}{det['received_number']}/{det['received_year']} "
                       f"({det['received_date']})")
        if det["tasks"]:
            click.echo(f"{label('task_ids', lang) + ':':20s}{', '.join('#' + str(x['id']) for x in det['tasks'])}")
        if det["cited_by"]:
            click.echo(f"{label('cited_by', lang)}:")
            for c in det["cited_by"]:
                extra = ", ".join(str(x) for x in (c["date"], c["issuer"]) if x)
                click.echo(f"  - {node_name(c)}" + (f" ({extra})" if extra else "")
                           + f" [{label(c['relation'] or 'refers', lang, RELATION_LABELS)}]")


# ---- maintenance ----------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@db_option
@lang_option
@friendly
def reprocess(db_path: str, lang: str | None) -> None:
    """Áp dụng lại quy tắc hiện hành (rules/) cho mọi văn bản đã lưu, từ văn bản đã lưu (không đọc lại tệp).

    \b
    Ví dụ: congvan reprocess --db output/congvan.db
    """
    from .reprocess import reprocess_store
    n = reprocess_store(open_existing(db_path, lang))
    click.echo(t("reprocess.done", lang, n=n))


@main.command("eval", context_settings=CONTEXT)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True)
@lang_option
def eval_cmd(gold_dir: str, files: tuple[str, ...], as_json: bool, lang: str | None) -> None:
    """Độ chính xác từng trường so với tệp chuẩn (gold) viết theo hợp đồng congvan/extract/v1.

    \b
    Ví dụ: congvan eval ../shared/gold ../shared/seed/583-UBND-son-tay-2024.txt
    """
    from . import extract_document as run_extract
    from .evaluate import score
    from .readers import read_document
    preds = []
    for f in files:
        try:
            preds.append(run_extract(read_document(f)).to_dict())
        except CongvanError as e:
            click.echo(error_line(e, lang), err=True)
    rep = score(Path(gold_dir), preds)
    if as_json:
        click.echo(json.dumps(rep, ensure_ascii=False, indent=1))
        return
    for k, v in rep.items():
        if k.startswith("_"):
            continue
        if "acc" in v:
            click.echo(f"{k:28s} acc {v['acc']:.3f}  (n={v['n']})")
        else:
            click.echo(f"{k:28s} P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f}  "
                       f"(tp={v['tp']} pred={v['pred']} gold={v['gold']})")
    click.echo(f"documents: {rep['_documents']['scored']} scored, no gold for: {len(rep['_documents']['no_gold'])}")


@main.command(context_settings=CONTEXT)
@db_option
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Cổng (trên 127.0.0.1).")
@lang_option
def serve(db_path: str, port: int, lang: str | None) -> None:
    """Mở kho trên trình duyệt: sổ đến, bảng nhiệm vụ, tìm kiếm (Datasette, chỉ đọc, chỉ máy này: 127.0.0.1).

    \b
    Ví dụ: congvan serve --db output/congvan.db
           rồi mở http://127.0.0.1:8001/congvan/so_den (sổ đến), .../bang_nhiem_vu (nhiệm vụ)
    """
    from .serve import serve_store
    from .store import is_postgres
    if is_postgres(db_path):
        raise click.ClickException("congvan serve (Datasette) chỉ mở kho SQLite, không mở PostgreSQL / "
                                   "serve (Datasette) serves SQLite only, not PostgreSQL")
    open_existing(db_path, lang).close()
    from .serve import page_url
    base = f"http://127.0.0.1:{port}"
    click.echo(t("serve.open", lang, register=page_url(base, db_path, "register"),
                 tasks=page_url(base, db_path, "tasks")), err=True)
    serve_store(db_path, port)


if __name__ == "__main__":
    main()
