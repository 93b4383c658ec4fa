"""ZIP archives: a folder an e-office system exported, or the letters of a mail zipped together.

Every member is read from memory (nothing is unpacked to disk; a .doc inside goes to
LibreOffice through readers/doc.py's own temporary folder) under the limits DOCX has: the
whole file may unpack to ``Limits.max_unpacked`` bytes at most (declared sizes are checked
first, then the bytes actually inflated, since a bomb can lie about its sizes), a member may
not inflate more than ``Limits.max_ratio`` times, packages nest ``Limits.max_depth`` deep at
most, and a ZIP holds ``Limits.max_members`` files at most.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ..errors import EmptyDocument, ReadError, TooLarge

if TYPE_CHECKING:  # pragma: no cover
    from ..models import RawDocument
    from . import Limits, ReadContext

_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError,
               RuntimeError, KeyError)
# Left by the systems that made the archive, never letters.
_JUNK_DIRS = ("__MACOSX/",)
_JUNK_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker wrote it: Windows tools store UTF-8 names without the UTF-8
    flag, which Python then decodes as cp437 ("Cong van sá╗æ.pdf")."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def open_zip(data: bytes, name: str, limits: Limits) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The archive and its files (folders and system litter left out), or a ReadError saying why not."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except _ZIP_ERRORS as e:
        raise ReadError("tệp ZIP hỏng hoặc bị cắt cụt, không mở được", name) from e
    if len(infos) > limits.max_members:
        raise TooLarge(f"tệp ZIP có {len(infos)} tệp, quá giới hạn {limits.max_members}", name)
    total = sum(i.file_size for i in infos)
    if total > limits.max_unpacked:
        raise TooLarge(f"tệp ZIP giải nén ra {total // (1024 * 1024)} MB, quá giới hạn "
                       f"{limits.max_unpacked // (1024 * 1024)} MB (có thể là zip bomb)", name)
    files = [i for i in infos if not i.is_dir() and not i.filename.startswith(_JUNK_DIRS)
             and PurePosixPath(i.filename).name.lower() not in _JUNK_NAMES
             and not PurePosixPath(i.filename).name.startswith(("~$", "._"))]
    return zf, sorted(files, key=lambda i: i.filename)


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits, ctx: ReadContext) -> bytes:
    """A member's bytes, inflated a chunk at a time and counted against the limits."""
    where = f"{name}!{member_name(info)}"
    if info.flag_bits & 0x1:
        raise ReadError("tệp trong ZIP được mã hóa (có mật khẩu), không đọc được", where)
    if info.compress_size and info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * info.compress_size:
        raise TooLarge(f"tệp trong ZIP nén {info.file_size // max(1, info.compress_size)} lần, "
                       "quá mức của một văn bản (có thể là zip bomb)", where)
    cap = min(info.file_size, limits.max_bytes)
    out = io.BytesIO()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                out.write(chunk)
                ctx.take(len(chunk), name, limits)
                if out.tell() > cap:
                    raise TooLarge("tệp trong ZIP giải nén ra nhiều hơn kích thước nó khai (có thể là zip bomb)",
                                   where)
    except _ZIP_ERRORS as e:
        raise ReadError("tệp trong ZIP hỏng (dữ liệu nén lỗi)", where) from e
    return out.getvalue()


class _NoLetter:
    letter = False


_NO_LETTER = _NoLetter()


def read_zip(data: bytes, name: str, limits: Limits, ctx: ReadContext) -> list[RawDocument]:
    """Every letter in a ZIP (and in the packages inside it), in the order of their names.

    Members that are no letter (a spreadsheet, a stray XML) are refused like any such file: where
    the caller collects errors they are listed and the others still come back.
    """
    from . import FORMATS, READABLE_SUFFIXES, ReadContext, detect_format, read_documents

    zf, files = open_zip(data, name, limits)
    out: list[RawDocument] = []
    failed = 0
    for info in files:
        where = f"{name}!{member_name(info)}"
        try:
            blob = read_member(zf, info, name, limits, ctx)
            if PurePosixPath(info.filename).suffix.lower() not in READABLE_SUFFIXES \
                    and not FORMATS.get(detect_format(blob, info.filename), _NO_LETTER).letter \
                    and detect_format(blob, info.filename) not in ("edxml", "eml", "zip"):
                continue   # a file an export leaves beside the letters (a signature, a spreadsheet)
            inner = ReadContext(depth=ctx.depth + 1, unpacked=ctx.unpacked, errors=ctx.errors)
            out.extend(read_documents(blob, where, limits, context=inner))
            ctx.unpacked = inner.unpacked
        except TooLarge as e:
            if "zip bomb" in e.message or "giải nén ra hơn" in e.message:
                raise   # a bomb spoils the whole archive, not one member
            failed += 1
            ctx.fail(e)
        except ReadError as e:
            failed += 1
            ctx.fail(e)
    if not out and not failed:
        raise EmptyDocument("tệp ZIP không chứa văn bản nào (PDF, DOCX, DOC, TXT, edXML, EML)", name)
    # files skipped as no letters are not errors: an export puts signatures and lists beside them
    return out
