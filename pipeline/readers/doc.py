"""Word 97-2003 .doc: converted to DOCX with LibreOffice headless, then read as DOCX.

Debian package: ``libreoffice-writer-nogui``. Each conversion runs in its own temporary
directory with its own LibreOffice profile (``-env:UserInstallation``), so parallel runs do not
fight over the profile lock.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MissingTool, ReadError
from ..models import RawDocument

if TYPE_CHECKING:  # pragma: no cover
    from . import Limits

TIMEOUT = 180


def soffice_path(name: str = "") -> str:
    """The LibreOffice program, or MissingTool naming the Debian package."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise MissingTool("cần LibreOffice để đọc tệp .doc/.rtf: cài gói Debian libreoffice-writer-nogui",
                          name or None)
    return exe


def convert_to_docx(data: bytes, name: str = "", suffix: str = ".doc") -> bytes:
    """The DOCX bytes LibreOffice makes of a .doc (or .rtf/.odt) file's bytes."""
    # An encrypted DOCX is an OLE file holding an "EncryptedPackage" stream (MS-OFFCRYPTO 2.3.4.4).
    if "EncryptedPackage".encode("utf-16-le") in data[:65536 * 4]:
        raise ReadError("tệp Word được mã hóa (có mật khẩu), không đọc được", name or None)
    exe = soffice_path(name)
    with tempfile.TemporaryDirectory(prefix="congvan-doc-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        outdir = Path(tmp) / "out"
        env = dict(os.environ, HOME=tmp)
        try:
            proc = subprocess.run(
                [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)],
                capture_output=True, timeout=TIMEOUT, env=env, check=False)
        except subprocess.TimeoutExpired as e:
            raise ReadError(f"LibreOffice chuyển đổi quá {TIMEOUT} s", name or None) from e
        out = outdir / "input.docx"
        if proc.returncode != 0 or not out.exists():
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ReadError("tệp .doc hỏng hoặc LibreOffice không chuyển đổi được"
                            + (f" ({err[-1]})" if err else ""), name or None)
        return out.read_bytes()


def read_doc(path: Path, data: bytes, sha256: str, limits: Limits, fmt: str = "doc") -> RawDocument:
    """Read a .doc (or .rtf) by converting it to DOCX; ``fmt`` names the original format."""
    from .docx import read_docx

    docx_bytes = convert_to_docx(data, str(path), ".rtf" if fmt == "rtf" else ".doc")
    raw = read_docx(path, docx_bytes, sha256, limits, fmt=fmt)
    from dataclasses import replace

    return replace(raw, size=len(data))
