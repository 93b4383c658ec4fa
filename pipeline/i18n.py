"""Messages and labels people read: Vietnamese by default, English with ``--lang en`` or
``CONGVAN_LANG=en``.

The Vietnamese text is the message id; its English is in a gettext catalog,
``pipeline/locale/en/LC_MESSAGES/congvan.po`` (edited by hand), compiled to ``congvan.mo`` by
``make i18n`` (msgfmt); a test checks the .mo is the .po compiled and that every message, label
and ``--help`` text has its English. ``t(key)`` formats a message, ``label(key)`` names a field,
``translate(text)`` turns any Vietnamese text of the catalog (a command's help) into the user's
language. The tables below hold the Vietnamese only; a (Vietnamese, English) pair is still taken
(a message added in a hurry), but its place is the catalog.
"""
from __future__ import annotations

import gettext
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "congvan"
_active: str | None = None

MESSAGES: dict[str, str | tuple[str, str]] = {
    "summary.title": "Tổng hợp kho văn bản",
    "summary.documents": "Văn bản",
    "summary.citations": "Trích dẫn",
    "summary.tasks": "Nhiệm vụ",
    "summary.resent": "  trong đó văn bản gửi lại",
    "summary.missing": "Văn bản được dẫn nhưng chưa có trong kho",
    "summary.errors": "Tệp lỗi (tất cả các lần nạp)",
    "summary.by_type": "Theo loại văn bản",
    "summary.by_issuer": "Theo cơ quan ban hành",
    "ingest.done": ("Đã nạp {stored} văn bản mới, bỏ qua {skipped} đã có, {errors} tệp lỗi; {pages} "
                   "trang trong {seconds:.1f} giây ({rate:.1f} văn bản/giây)."),
    "ingest.duplicates": ("{n} văn bản trùng số, ký hiệu và cơ quan ban hành với văn bản đã có (văn bản "
                         "gửi lại): đã ghi nhận, không vào sổ đến lần nữa."),
    "ingest.errors": "Các tệp không xử lý được:",
    "task.span": "vị trí trong văn bản: ký tự {start}–{end}",
    "task.row": "bảng {table}, dòng {row}",
    "register.due": "hạn giải quyết {date}",
    "register.via": "nhận qua {kind}",
    "ingest.progress": "{done}/{total} tệp · {rate:.1f} trang/giây · {errors} lỗi",
    "ingest.watch": "Đang theo dõi {dir}; tệp mới sẽ được nạp (Ctrl+C để dừng).",
    "extract.failed": "{n} tệp không đọc được.",
    "tasks.none": "Không có nhiệm vụ nào.",
    "tasks.marked": "Đã đánh dấu nhiệm vụ {id}: {status}.",
    "tasks.notfound": "Không có nhiệm vụ số {id}.",
    "export.written": "Đã ghi {n} nhiệm vụ vào {path}.",
    "graph.written": "Đã ghi đồ thị ({nodes} nút, {edges} cạnh) vào {path}.",
    "code.notfound": "Không có văn bản nào mang số, ký hiệu {code} trong kho.",
    "search.none": "Không tìm thấy văn bản nào.",
    "missing.none": "Mọi văn bản được dẫn đều đã có trong kho.",
    "reprocess.done": "Đã xử lý lại {n} văn bản theo quy tắc hiện hành.",
    "date.bad": "{option}: ngày không hợp lệ {value!r}: hãy viết YYYY-MM-DD, ví dụ 2024-07-01.",
    "register.title": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    "register.sheet": "Sổ văn bản đến",
    "register.none": "Sổ đến chưa có văn bản nào trong khoảng này.",
    "register.written": "Đã ghi {n} dòng sổ đến vào {path}.",
    "register.no_number": "văn bản không số",
    "serve.open": "Mở trên trình duyệt: {register} (sổ đến), {tasks} (bảng nhiệm vụ). Ctrl+C để dừng.",
    "register.ocr": "bản quét (chữ lấy bằng OCR)",
    "register.review": "cần kiểm tra: {fields}",
    "register.copies": "nhận lại {n} lần ({names})",
    "export.tasks_title": "DANH SÁCH NHIỆM VỤ",
    "export.tasks_sheet": "Nhiệm vụ",
    "export.page": "Trang &P/&N",
    "export.ics_written": "Đã ghi {n} việc cần làm (VTODO, nhiệm vụ có hạn) vào {path}.",
    "ref.notfound": "Không có văn bản nào trong kho mang số, ký hiệu, mã hoặc tên tệp {ref}.",
    "output.required": "Định dạng {fmt} cần tệp ghi ra: thêm -o TỆP.",
    "ingest.bar": "Đang nạp",
    "ingest.rate": "{rate:.1f} trang/giây",
    "ingest.errors_so_far": "{n} lỗi",
    "no_number": "không số",
    "db.missing": "Chưa có cơ sở dữ liệu {db}: hãy chạy 'congvan ingest' trước.",
}

FIELD_LABELS: dict[str, str | tuple[str, str]] = {
    "type": "Loại văn bản",
    "code": "Số, ký hiệu",
    "issuer": "Cơ quan ban hành",
    "parent_body": "Cơ quan chủ quản",
    "place": "Địa danh",
    "date": "Ngày ban hành",
    "subject": "Trích yếu",
    "recipients": "Kính gửi",
    "signer": "Người ký",
    "cc": "Nơi nhận",
    "urgency": "Độ khẩn",
    "secrecy": "Độ mật",
    "footnotes": "Chú thích",
    "citations": "Văn bản được dẫn",
    "tasks": "Nhiệm vụ",
    "lead": "Cơ quan chủ trì",
    "coordinators": "Cơ quan phối hợp",
    "action": "Nội dung",
    "deadline": "Hạn xử lý",
    "report_to": "Báo cáo về",
    "section": "Mục",
    "status": "Trạng thái",
    "relation": "Quan hệ",
    "mentions": "Số lần nhắc",
    "review": "Cần kiểm tra",
    "received": "Số đến",
    "source": "Tệp",
    "ocr": "Nhận dạng ảnh (OCR)",
    "cited_by": "Được dẫn bởi",
    "id": "Mã văn bản",
    "task_ids": "Mã nhiệm vụ",
    "no_number_short": "không số",
    "number": "Số",
    "symbol": "Ký hiệu",
}

RELATION_LABELS: dict[str, str | tuple[str, str]] = {
    "implements": "thực hiện",
    "based_on": "căn cứ",
    "per": "theo",
    "continues": "tiếp tục thực hiện",
    "amends": "sửa đổi, bổ sung",
    "replaces": "thay thế",
    "repeals": "bãi bỏ",
    "guides": "hướng dẫn",
    "responds": "trả lời",
    "refers": "dẫn chiếu",
}

STATUS_LABELS: dict[str, str | tuple[str, str]] = {
    "open": "đang xử lý",
    "done": "đã xong",
    "overdue": "quá hạn",
}


# Why a file could not be read or stored, as the readers and ingest word it (Vietnamese, "{}"
# where a value goes; the English, with its "{}" in the same order, in the catalog): the ingest
# report and `extract` show them in the user's language (``translate_reason``).
REASONS: tuple[str, ...] = (
    'tệp rỗng',
    'không có tệp này',
    'không đọc được tệp',
    'không đọc được tệp ({})',
    'là thư mục, không phải tệp',
    'tệp quá lớn ({} MB > {} MB)',
    'tệp nhị phân, không phải văn bản (tên .txt nhưng nội dung không phải chữ)',
    'không có chữ nào đọc được trong tệp',
    'không có văn bản nào trong tệp',
    'PDF hỏng hoặc bị cắt cụt, không mở được',
    'PDF được mã hóa (có mật khẩu), không đọc được nội dung',
    'PDF dùng cơ chế bảo mật không hỗ trợ',
    'PDF không có trang nào',
    'PDF có {} trang, quá giới hạn {} trang',
    'PDF hỏng ở trang {}: {}',
    'PDF là bản quét, không có lớp chữ; cần OCR (đang tắt)',
    'OCR quá thời gian ({} s một trang)',
    'Tesseract không đọc được ảnh ({})',
    'ảnh hỏng hoặc không đọc được ({})',
    'DOCX hỏng hoặc bị cắt cụt (không mở được tệp zip)',
    'DOCX hỏng hoặc bị cắt cụt (dữ liệu nén lỗi)',
    'DOCX được mã hóa, không đọc được',
    'tệp zip không phải DOCX (không có word/document.xml)',
    'DOCX hỏng, không đọc được ({})',
    'DOCX hỏng (phần {} sai CRC)',
    'tệp Word được mã hóa (có mật khẩu), không đọc được',
    'tệp .doc hỏng hoặc LibreOffice không chuyển đổi được',
    'LibreOffice chuyển đổi quá {} s',
    'tệp ZIP hỏng hoặc bị cắt cụt, không mở được',
    'tệp trong ZIP được mã hóa (có mật khẩu), không đọc được',
    'tệp trong ZIP hỏng (dữ liệu nén lỗi)',
    'tệp ZIP có {} tệp, quá giới hạn {}',
    'gói edXML hỏng (XML sai cú pháp: {})',
    'không phải gói edXML (gốc là <{}>)',
    'thư (e-mail) hỏng, không đọc được ({})',
    'không phải thư e-mail (không có phần đầu thư)',
    'không lưu được vào kho ({})',
    'chữ trong tệp có vẻ hỏng (chỉ {} là âm tiết tiếng Việt): hãy đối chiếu với bản gốc PDF/DOCX',
    'chữ dùng bảng mã {}, đã chuyển sang Unicode',
    'lớp chữ PDF dùng bảng mã {}, đã chuyển sang Unicode',
    'PDF là bản quét hoặc lớp chữ không dùng được; OCR đang tắt',
    'trang {} là ảnh quét, chữ lấy bằng OCR',
    'trang {} không có chữ (OCR không thấy chữ nào)',
    'trang {} là ảnh quét, chưa OCR',
    'hết bộ nhớ khi đọc tệp',
    'hết bộ nhớ khi đọc tệp (giới hạn {} MB mỗi tiến trình, đổi bằng --worker-memory-mb)',
    'tệp lồng nhau quá sâu, không đọc được',
    'lỗi không lường trước khi xử lý ({})',
    'quá thời gian cho một tệp ({} giây): đã dừng (đổi bằng --file-timeout)',
    'tiến trình đọc tệp bị dừng đột ngột (tệp hỏng làm thư viện đọc bị lỗi)',
    'tiến trình đọc tệp bị dừng đột ngột (tệp hỏng làm thư viện đọc bị lỗi; {})',
    'không phải tệp thường ({}): không mở để đọc',
    'liên kết tượng trưng hỏng: trỏ tới {}, không còn tồn tại',
    'đường dẫn có vòng lặp liên kết tượng trưng',
)


def use_lang(lang: str | None) -> None:
    """The language of this run (``congvan --lang en …``), used wherever no language is passed."""
    global _active
    _active = lang


def current_lang(lang: str | None = None) -> str:
    """``vi`` or ``en``: the language asked for, else this run's, else $CONGVAN_LANG, else vi.

    >>> current_lang("en-US")
    'en'
    """
    lang = (lang or _active or os.environ.get("CONGVAN_LANG") or "vi").lower()
    return "en" if lang.startswith("en") else "vi"


@cache
def _catalog() -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=["en"], fallback=True)


def translate(text: str, lang: str | None = None) -> str:
    """Vietnamese ``text`` in the user's language (the English of the catalog; the text itself
    where the catalog has none).

    >>> translate("Nhiệm vụ", "en")
    'Tasks'
    """
    if current_lang(lang) != "en" or not text:
        return text
    return _catalog().gettext(text)


def t(key: str, lang: str | None = None, **kw: object) -> str:
    """A message in the user's language, formatted.

    >>> t("tasks.none", "en")
    'No tasks.'
    """
    entry = MESSAGES[key]
    if isinstance(entry, tuple):
        msg = entry[1] if current_lang(lang) == "en" else entry[0]
    else:
        msg = translate(entry, lang)
    return msg.format(**kw) if kw else msg


def label(key: str, lang: str | None = None, table: Mapping[str, str | tuple[str, str]] | None = None) -> str:
    """The name of a field (or a relation, a status with ``table``) in the user's language.

    >>> label("deadline", "en")
    'Deadline'
    """
    entry = (FIELD_LABELS if table is None else table).get(key)
    if not entry:
        return key
    if isinstance(entry, tuple):
        return entry[1] if current_lang(lang) == "en" else entry[0]
    return translate(entry, lang)


@cache
def _reason_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for vi in REASONS:
        en = _catalog().gettext(vi)
        if en != vi:
            pat = "(.+?)".join(re.escape(part) for part in vi.split("{}"))
            out.append((re.compile(pat + r"\Z", re.S), en))
    return tuple(out)


def translate_reason(text: str, lang: str | None = None) -> str:
    """Why a file failed (a reader's or the ingest's message, ``REASONS``) in the user's language;
    a message the catalog does not know stays as it is.

    >>> translate_reason("PDF có 412 trang, quá giới hạn 300 trang", "en")
    'PDF has 412 pages, over the limit of 300 pages'
    """
    if current_lang(lang) != "en" or not text:
        return text
    exact = _catalog().gettext(text)
    if exact != text:
        return exact
    for pat, en in _reason_patterns():
        m = pat.match(text)
        if m:
            return en.format(*m.groups())
    return text
