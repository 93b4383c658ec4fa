"""Writing the files a command makes (``-o FILE``): exports, graphs, the register.

One function, :func:`write_output`, for every command that writes a file, so that each of them
treats a bad target the same way: a one-line :class:`OutputError` naming the file and the problem
(an empty name, a folder, a full disk, a file of /proc) instead of a traceback; ``-`` for standard
output; a device or a pipe (``/dev/null``, ``>(gzip)``) written straight through; and a regular
file replaced whole, never left half written (the content goes to a temporary file beside it,
which then takes the target's place).
"""
from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from .errors import CongvanError

T = TypeVar("T")

STDOUT = "-"


class OutputError(CongvanError):
    """An output file that cannot be written (empty name, a folder, no room, no permission)."""


def writes_to_stdout(target: str | Path | None) -> bool:
    """True when ``target`` means standard output (``-o -``): the caller then sends its own
    messages to standard error so that they do not mix with the data.

    >>> writes_to_stdout("-"), writes_to_stdout("out.csv")
    (True, False)
    """
    return target is not None and str(target) == STDOUT


def write_output(target: str | Path, content: str | bytes | Callable[[Path], T],
                 stdout: IO[bytes] | None = None) -> T | int:
    """Write ``content`` to ``target``; returns what the writer returned (or the bytes written).

    Args:
        target: a file name; ``-`` for standard output. Missing parent folders are made.
        content: the bytes (a str is written as UTF-8), or a function that writes the file
            itself, given a temporary path to write to (``lambda p: export_tasks(rows, "xlsx", p)``).
        stdout: where ``-`` goes (default ``sys.stdout.buffer``).

    Raises:
        OutputError: naming the target and the problem, in one line.

    >>> write_output("/tmp/congvan-doctest.txt", "xin chào")
    9
    """
    name = os.fspath(target) if target is not None else ""
    if not name:
        raise OutputError("tên tệp ghi ra để trống (dùng '-o -' để in ra màn hình)", "''")
    shown = _shown(name)
    # The content goes first into a temporary file: a writer that fails (or a full disk) then
    # leaves the target as it was, and every kind of target is fed the same way.
    if name == STDOUT:
        return _through_temp(None, content, shown, lambda src: _copy_to(
            stdout or sys.stdout.buffer, src, shown))
    path = Path(name)
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"không ghi được tệp ({_why(e)})", shown) from e
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError("là một thư mục, cần tên tệp", shown)
    if st is not None and not stat.S_ISREG(st.st_mode):
        # A device or a pipe (/dev/null, /dev/stdout, a shell's >(…)): written straight through.
        return _through_temp(None, content, shown, lambda src: _copy_to_path(path, src, shown))
    real = Path(os.path.realpath(path))  # a symlink: write where it points, keep the link
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"không tạo được thư mục {_shown(str(real.parent))} ({_why(e)})", shown) from e
    mode = stat.S_IMODE(st.st_mode) if st is not None else _default_mode()
    return _through_temp(real.parent, content, shown, lambda src: _replace(src, real, mode, shown))


def _through_temp(folder: Path | None, content: str | bytes | Callable[[Path], T], shown: str,
                  deliver: Callable[[Path], None]) -> T | int:
    """Write ``content`` to a temporary file (in ``folder`` where it can go there, so the final
    step is a rename), hand it to ``deliver``, and remove whatever is left."""
    tmp = _temp_file(folder, shown)
    try:
        try:
            if callable(content):
                result: T | int = content(tmp)
            else:
                data = content.encode("utf-8") if isinstance(content, str) else content
                tmp.write_bytes(data)
                result = len(data)
        except OSError as e:
            raise OutputError(f"không ghi được tệp ({_why(e)})", shown) from e
        deliver(tmp)
        return result
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass


def _temp_file(folder: Path | None, shown: str) -> Path:
    for where in ([folder] if folder is not None else []) + [None]:
        try:
            fd, name = tempfile.mkstemp(prefix=".congvan-", suffix=".tmp", dir=where)
        except OSError as e:
            err = e
            continue
        os.close(fd)
        return Path(name)
    raise OutputError(f"không ghi được tệp ({_why(err)})", shown) from err


def _replace(src: Path, target: Path, mode: int, shown: str) -> None:
    if src.parent == target.parent:
        try:
            os.chmod(src, mode)
            os.replace(src, target)
            return
        except OSError:
            pass  # a folder where files can be made but this one not replaced: try writing into it
    _copy_to_path(target, src, shown)


def _copy_to_path(target: Path, src: Path, shown: str) -> None:
    try:
        with open(target, "wb") as out:
            _copy_to(out, src, shown)
    except OSError as e:
        raise OutputError(f"không ghi được tệp ({_why(e)})", shown) from e


def _copy_to(out: IO[bytes], src: Path, shown: str) -> None:
    try:
        with open(src, "rb") as fh:
            shutil.copyfileobj(fh, out)
        out.flush()
    except BrokenPipeError:
        # `congvan export … -o - | head`: the reader has gone, which is not an error of ours.
        _silence_stdout()
    except OSError as e:
        raise OutputError(f"không ghi được tệp ({_why(e)})", shown) from e


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _why(e: OSError) -> str:
    return e.strerror or type(e).__name__


def _shown(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")

