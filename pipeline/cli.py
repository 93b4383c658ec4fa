"""The ``congvan`` command: thin click commands over the library.

Each command parses its options, calls one library function and turns a library error into a
one-line message naming the file. Messages are Vietnamese; ``--lang en`` gives English.
"""
from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .errors import CongvanError
from .i18n import RELATION_LABELS, STATUS_LABELS, current_lang, label, t

DEFAULT_DB = "output/congvan.db"
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def lang_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--lang vi|en`` on every command (also from $CONGVAN_LANG)."""
    return click.option("--lang", type=click.Choice(["vi", "en"]), default=None, envvar="CONGVAN_LANG",
                        help="Ngôn ngữ thông báo / message language (vi, en).")(f)


def db_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
                        help="Tệp cơ sở dữ liệu SQLite.")(f)


def open_existing(db_path: str, lang: str | None):  # type: ignore[no-untyped-def]
    from .store import Store
    if db_path != ":memory:" and not Path(db_path).exists():
        raise click.ClickException(t("db.missing", lang, db=db_path))
    try:
        return Store(db_path)
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


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="congvan")
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
    from . import extract_document as run_extract
    from .readers import read_document
    failed = 0
    for f in files:
        try:
            ex = run_extract(read_document(f))
        except CongvanError as e:
            click.echo(str(e), err=True)
            failed += 1
            continue
        d = ex.to_dict()
        if fmt == "json":
            click.echo(json.dumps(d, ensure_ascii=False))
        else:
            click.echo(format_text(d, lang))
    if failed:
        click.echo(t("extract.failed", lang, n=failed), err=True)
        sys.exit(1)


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
        lines.append(f"!! {w}")
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
@click.option("--received", "received_date", default=None, help="Ngày đến (YYYY-MM-DD) ghi vào sổ đến; mặc định hôm nay.")
@click.option("--max-pages", type=int, default=300, show_default=True, help="Bỏ qua tệp nhiều trang hơn.")
@click.option("--max-mb", type=int, default=100, show_default=True, help="Bỏ qua tệp lớn hơn (MB).")
@click.option("--no-progress", is_flag=True, help="Không hiện thanh tiến độ.")
@lang_option
@friendly
def ingest(paths: tuple[str, ...], db_path: str, jobs: int | None, summary: bool, watch_dir: str | None,
           interval: float, received_date: str | None, max_pages: int, max_mb: int, no_progress: bool, lang: str | None) -> None:
    """Nạp tệp hoặc thư mục (đệ quy) vào kho SQLite; tệp đã nạp (cùng nội dung) được bỏ qua.

    \b
    Ví dụ: congvan ingest corpus/ ../thu-muc-den/ --db output/congvan.db --summary
    """
    from .ingest import find_files
    from .ingest import ingest as run_ingest
    from .readers import Limits
    from .store import Store
    if not paths and not watch_dir:
        raise click.UsageError("cần ít nhất một tệp hoặc thư mục / give at least one file or folder")
    store = Store(db_path)
    limits = Limits(max_bytes=max_mb * 1024 * 1024, max_pages=max_pages)
    total = sum(1 for _ in find_files(paths)) if paths else 0
    show = not no_progress and sys.stderr.isatty()

    def progress(rep: Any, path: str) -> None:
        if show:
            done = rep.stored + len(rep.errors)
            click.echo("\r" + t("ingest.progress", lang, done=done + rep.skipped, total=total,
                                 rate=rep.pages / rep.seconds if rep.seconds else 0, errors=len(rep.errors)),
                       nl=False, err=True)

    rep = run_ingest(store, paths, jobs=jobs, limits=limits, progress=progress, received_date=received_date)
    if show:
        click.echo("", err=True)
    report_ingest(rep, lang)
    if watch_dir:
        watch(store, Path(watch_dir), jobs, limits, lang, interval)
    if summary:
        print_summary(store, lang)
    if rep.errors:
        sys.exit(1)


def report_ingest(rep: Any, lang: str | None) -> None:
    click.echo(t("ingest.done", lang, stored=rep.stored, skipped=rep.skipped, errors=len(rep.errors),
                 pages=rep.pages, seconds=rep.seconds, rate=(rep.stored / rep.seconds) if rep.seconds else 0))
    if rep.duplicates:
        click.echo(t("ingest.duplicates", lang, n=rep.duplicates))
    if rep.errors:
        click.echo(t("ingest.errors", lang), err=True)
        for path, reason in rep.errors:
            click.echo(f"  {path}: {reason}", err=True)


def watch(store: Any, folder: Path, jobs: int | None, limits: Any, lang: str | None,
          interval: float = 2.0) -> None:
    """Poll ``folder`` and ingest files that appear (and have stopped growing)."""
    import time

    from .ingest import find_files
    from .ingest import ingest as run_ingest
    click.echo(t("ingest.watch", lang, dir=folder), err=True)
    sizes: dict[Path, int] = {}
    try:
        while True:
            ready = []
            for f in find_files([folder]):
                size = f.stat().st_size if f.exists() else -1
                if sizes.get(f) == size:
                    ready.append(f)
                sizes[f] = size
            if ready:
                rep = run_ingest(store, ready, jobs=jobs, limits=limits)
                if rep.stored or rep.errors:
                    report_ingest(rep, lang)
            time.sleep(interval)
    except KeyboardInterrupt:
        pass


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
@click.option("--due-before", default=None, help="Hạn xử lý trước ngày (YYYY-MM-DD).")
@click.option("--overdue", is_flag=True, help="Chỉ nhiệm vụ quá hạn.")
@click.option("--as-of", default=None, help="Quá hạn tính đến ngày (YYYY-MM-DD); mặc định hôm nay.")
@click.option("--status", type=click.Choice(["open", "done", "overdue"]), default=None)
@click.option("--all", "include_optional", is_flag=True, help="Kể cả nhiệm vụ tùy chọn (lời kêu gọi chung, mời dự họp).")
@click.option("--json", "as_json", is_flag=True, help="In JSON.")
@db_option
@lang_option
@click.pass_context
def tasks(ctx: click.Context, assignee: str | None, due_before: str | None, overdue: bool, as_of: str | None,
          status: str | None, include_optional: bool, as_json: bool, db_path: str, lang: str | None) -> None:
    """Danh sách nhiệm vụ được giao, lọc theo cơ quan, hạn, trạng thái.

    \b
    Ví dụ: congvan tasks --assignee "phong noi vu" --overdue --as-of 2024-07-01
           congvan tasks done 12
    """
    if ctx.invoked_subcommand:
        ctx.obj = {"db_path": db_path, "lang": lang}
        return
    import datetime as dt
    store = open_existing(db_path, lang)
    as_of_date = as_of or dt.date.today().isoformat()
    rows = store.task_rows(assignee=assignee, due_before=due_before, status=status,
                           overdue_as_of=as_of_date if overdue else None, include_optional=include_optional)
    if not overdue and as_of:
        for r in rows:
            if r["status"] == "overdue" and r["deadline_date"] >= as_of:
                r["status"] = "open"
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        click.echo(t("tasks.none", lang))
        return
    for r in rows:
        st = label(r["status"], lang, STATUS_LABELS)
        due = r["deadline_date"] or r["deadline_text"] or "—"
        click.echo(f"#{r['id']:<5d} [{st}] {label('deadline', lang)}: {due} · {r['document_code'] or '?'} "
                   f"§{r['section'] or '-'}")
        click.echo(f"       {label('lead', lang)}: {r['lead'] or '?'}")
        if r["coordinators"]:
            click.echo(f"       {label('coordinators', lang)}: {', '.join(r['coordinators'])}")
        click.echo(f"       {r['action']}")


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
    rows = store.task_rows(assignee=assignee, status=status, include_optional=include_optional)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    export_tasks(rows, fmt, out, lang=current_lang(lang))
    click.echo(t("export.written", lang, n=len(rows), path=out))


# ---- citation graph -------------------------------------------------------------------------
def _print_walk(rows: list[dict[str, Any]], lang: str | None) -> None:
    for r in rows:
        rel = label(r.get("relation") or "refers", lang, RELATION_LABELS)
        held = "" if r.get("document_id") else " *"
        extra = ", ".join(x for x in (r.get("date"), r.get("issuer")) if x)
        click.echo(f"{'  ' * (r['depth'] - 1)}- [{rel}] {r.get('type') or ''} {r['code']}{held}"
                   + (f" ({extra})" if extra else ""))


def _graph_walk(code: str, direction: str, depth: int, db_path: str, lang: str | None) -> None:
    store = open_existing(db_path, lang)
    start = store.nodes_for_code(code)
    if not start:
        raise click.ClickException(t("code.notfound", lang, code=code))
    rows = store.walk(start, direction, depth)
    if not rows:
        click.echo(t("search.none", lang))
    _print_walk(rows, lang)


@main.command(context_settings=CONTEXT)
@click.argument("code")
@click.option("--depth", type=int, default=1, show_default=True)
@db_option
@lang_option
def cites(code: str, depth: int, db_path: str, lang: str | None) -> None:
    """Văn bản CODE dẫn những văn bản nào (* : chưa có trong kho).

    \b
    Ví dụ: congvan cites 583/UBND --depth 2
    """
    _graph_walk(code, "out", depth, db_path, lang)


@main.command("cited-by", context_settings=CONTEXT)
@click.argument("code")
@click.option("--depth", type=int, default=1, show_default=True)
@db_option
@lang_option
def cited_by(code: str, depth: int, db_path: str, lang: str | None) -> None:
    """Những văn bản nào dẫn văn bản CODE.

    \b
    Ví dụ: congvan cited-by 1313/UBND-NC
    """
    _graph_walk(code, "in", depth, db_path, lang)


@main.command(context_settings=CONTEXT)
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
@lang_option
def missing(limit: int, db_path: str, lang: str | None) -> None:
    """Văn bản được dẫn nhưng chưa có trong kho, nhiều lượt dẫn nhất trước: cần xin lưu trữ.

    \b
    Ví dụ: congvan missing --limit 20
    """
    rows = open_existing(db_path, lang).missing()[:limit]
    if not rows:
        click.echo(t("missing.none", lang))
    for r in rows:
        extra = ", ".join(x for x in (r.get("date"), r.get("issuer")) if x)
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
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            Path(out).write_bytes(data)
        else:
            Path(out).write_text(data, encoding="utf-8")
        click.echo(t("graph.written", lang, nodes=len(nodes), edges=len(edges), path=out))
    else:
        click.echo(data.decode("utf-8") if isinstance(data, bytes) else data)


# ---- search and show ------------------------------------------------------------------------
@main.command(context_settings=CONTEXT)
@click.argument("query")
@click.option("--type", "type_", default=None, help="Loại văn bản, ví dụ 'Quyết định'.")
@click.option("--issuer", default=None, help="Cơ quan ban hành (một phần tên, không dấu cũng được).")
@click.option("--since", default=None, help="Từ ngày (YYYY-MM-DD).")
@click.option("--until", default=None, help="Đến ngày (YYYY-MM-DD).")
@click.option("--limit", type=int, default=20, show_default=True)
@db_option
@lang_option
@friendly
def search(query: str, type_: str | None, issuer: str | None, since: str | None, until: str | None, limit: int,
           db_path: str, lang: str | None) -> None:
    """Tìm văn bản theo nội dung; gõ có dấu hay không dấu đều được.

    \b
    Ví dụ: congvan search "cai cach hanh chinh" --since 2024-01-01
    """
    rows = open_existing(db_path, lang).search(query, type_=type_, issuer=issuer, since=since, until=until,
                                               limit=limit)
    if not rows:
        click.echo(t("search.none", lang))
    for r in rows:
        click.echo(f"{r['code'] or '?'} · {r['type'] or ''} · {r['date'] or ''} · {r['issuer'] or ''}")
        if r["subject"]:
            click.echo(f"   {r['subject']}")
        click.echo(f"   {r['snippet']}")
        click.echo(f"   {r['path']}")


@main.command(context_settings=CONTEXT)
@click.argument("code")
@db_option
@lang_option
def show(code: str, db_path: str, lang: str | None) -> None:
    """In một văn bản trong kho cùng văn bản được dẫn, nhiệm vụ và văn bản dẫn nó.

    \b
    Ví dụ: congvan show 583/UBND
    """
    store = open_existing(db_path, lang)
    docs = store.find_documents(code)
    if not docs:
        raise click.ClickException(t("code.notfound", lang, code=code))
    for d in docs:
        det = store.document_detail(d["id"])
        ex = json.loads(det["extraction"])
        click.echo(format_text(ex, lang), nl=False)
        if det["received_number"]:
            click.echo(f"{label('received', lang) + ':':20s}{det['received_number']}/{det['received_year']} "
                       f"({det['received_date']})")
        if det["cited_by"]:
            click.echo(f"{label('cited_by', lang)}:")
            for c in det["cited_by"]:
                click.echo(f"  - {c['code']} ({c['date'] or ''}, {c['issuer'] or ''}) "
                           f"[{label(c['relation'] or 'refers', lang, RELATION_LABELS)}]")


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
            click.echo(str(e), err=True)
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
@click.option("--port", type=int, default=8001, show_default=True)
@lang_option
def serve(db_path: str, port: int, lang: str | None) -> None:
    """Mở kho trên trình duyệt (Datasette, chỉ đọc, chỉ máy này: 127.0.0.1).

    \b
    Ví dụ: congvan serve --db output/congvan.db
    """
    from .serve import serve_store
    open_existing(db_path, lang).close()
    serve_store(db_path, port)


if __name__ == "__main__":
    main()
