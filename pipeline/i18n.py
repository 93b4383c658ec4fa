"""Messages and labels people read: Vietnamese by default, English with ``--lang en``."""
from __future__ import annotations

import os

MESSAGES: dict[str, tuple[str, str]] = {
    "summary.title": ("Tổng hợp kho văn bản", "Store summary"),
    "summary.documents": ("Văn bản", "Documents"),
    "summary.citations": ("Trích dẫn", "Citations"),
    "summary.tasks": ("Nhiệm vụ", "Tasks"),
    "summary.resent": ("  trong đó văn bản gửi lại", "  of which re-sent letters"),
    "summary.missing": ("Văn bản được dẫn nhưng chưa có trong kho", "Cited documents not held"),
    "summary.errors": ("Tệp lỗi (tất cả các lần nạp)", "Files that failed (all ingests)"),
    "summary.by_type": ("Theo loại văn bản", "By document type"),
    "summary.by_issuer": ("Theo cơ quan ban hành", "By issuer"),
    "ingest.done": ("Đã nạp {stored} văn bản mới, bỏ qua {skipped} đã có, {errors} tệp lỗi; "
                    "{pages} trang trong {seconds:.1f} giây ({rate:.1f} văn bản/giây).",
                    "Stored {stored} new documents, skipped {skipped} already held, {errors} failed; "
                    "{pages} pages in {seconds:.1f} s ({rate:.1f} docs/s)."),
    "ingest.duplicates": ("{n} văn bản trùng số, ký hiệu và cơ quan ban hành với văn bản đã có "
                          "(văn bản gửi lại): đã ghi nhận, không vào sổ đến lần nữa.",
                          "{n} documents repeat the number, symbol and issuer of one already held "
                          "(re-sent letters): recorded, not registered again."),
    "ingest.errors": ("Các tệp không xử lý được:", "Files that could not be processed:"),
    "ingest.progress": ("{done}/{total} tệp · {rate:.1f} trang/giây · {errors} lỗi",
                        "{done}/{total} files · {rate:.1f} pages/s · {errors} errors"),
    "ingest.watch": ("Đang theo dõi {dir}; tệp mới sẽ được nạp (Ctrl+C để dừng).",
                     "Watching {dir}; new files will be ingested (Ctrl+C to stop)."),
    "extract.failed": ("{n} tệp không đọc được.", "{n} files could not be read."),
    "tasks.none": ("Không có nhiệm vụ nào.", "No tasks."),
    "tasks.marked": ("Đã đánh dấu nhiệm vụ {id}: {status}.", "Task {id} marked {status}."),
    "tasks.notfound": ("Không có nhiệm vụ số {id}.", "No task {id}."),
    "export.written": ("Đã ghi {n} nhiệm vụ vào {path}.", "Wrote {n} tasks to {path}."),
    "graph.written": ("Đã ghi đồ thị ({nodes} nút, {edges} cạnh) vào {path}.",
                      "Wrote the graph ({nodes} nodes, {edges} edges) to {path}."),
    "code.notfound": ("Không có văn bản nào mang số, ký hiệu {code} trong kho.",
                      "No document {code} in the store."),
    "search.none": ("Không tìm thấy văn bản nào.", "Nothing found."),
    "missing.none": ("Mọi văn bản được dẫn đều đã có trong kho.", "Every cited document is held."),
    "reprocess.done": ("Đã xử lý lại {n} văn bản theo quy tắc hiện hành.",
                       "Reprocessed {n} documents with the current rules."),
    "db.missing": ("Chưa có cơ sở dữ liệu {db}: hãy chạy 'congvan ingest' trước.",
                   "No database {db}: run 'congvan ingest' first."),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "type": ("Loại văn bản", "Type"), "code": ("Số, ký hiệu", "Number and symbol"),
    "issuer": ("Cơ quan ban hành", "Issuer"), "parent_body": ("Cơ quan chủ quản", "Parent body"),
    "place": ("Địa danh", "Place"), "date": ("Ngày ban hành", "Date"), "subject": ("Trích yếu", "Subject"),
    "recipients": ("Kính gửi", "Recipients"), "signer": ("Người ký", "Signer"), "cc": ("Nơi nhận", "Copies to"),
    "urgency": ("Độ khẩn", "Urgency"), "secrecy": ("Độ mật", "Secrecy"), "footnotes": ("Chú thích", "Footnotes"),
    "citations": ("Văn bản được dẫn", "Cited documents"), "tasks": ("Nhiệm vụ", "Tasks"),
    "lead": ("Cơ quan chủ trì", "Lead"), "coordinators": ("Cơ quan phối hợp", "Coordinators"),
    "action": ("Nội dung", "Action"), "deadline": ("Hạn xử lý", "Deadline"),
    "report_to": ("Báo cáo về", "Report to"), "section": ("Mục", "Section"), "status": ("Trạng thái", "Status"),
    "relation": ("Quan hệ", "Relation"), "mentions": ("Số lần nhắc", "Mentions"),
    "review": ("Cần kiểm tra", "To check"), "received": ("Số đến", "Received as"),
    "source": ("Tệp", "File"), "ocr": ("Nhận dạng ảnh (OCR)", "From OCR"), "cited_by": ("Được dẫn bởi", "Cited by"),
    "id": ("Mã", "ID"),
}

RELATION_LABELS: dict[str, tuple[str, str]] = {
    "implements": ("thực hiện", "implements"), "based_on": ("căn cứ", "based on"), "per": ("theo", "per"),
    "continues": ("tiếp tục thực hiện", "continues"), "amends": ("sửa đổi, bổ sung", "amends"),
    "replaces": ("thay thế", "replaces"), "repeals": ("bãi bỏ", "repeals"), "guides": ("hướng dẫn", "guides"),
    "responds": ("trả lời", "responds"), "refers": ("dẫn chiếu", "refers"),
}

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "open": ("đang xử lý", "open"), "done": ("đã xong", "done"), "overdue": ("quá hạn", "overdue"),
}


def current_lang(lang: str | None = None) -> str:
    lang = (lang or os.environ.get("CONGVAN_LANG") or "vi").lower()
    return "en" if lang.startswith("en") else "vi"


def t(key: str, lang: str | None = None, **kw: object) -> str:
    """A message in the user's language, formatted.

    >>> t("tasks.none", "en")
    'No tasks.'
    """
    vi, en = MESSAGES[key]
    msg = en if current_lang(lang) == "en" else vi
    return msg.format(**kw) if kw else msg


def label(key: str, lang: str | None = None, table: dict[str, tuple[str, str]] = FIELD_LABELS) -> str:
    pair = table.get(key)
    if not pair:
        return key
    return pair[1] if current_lang(lang) == "en" else pair[0]
