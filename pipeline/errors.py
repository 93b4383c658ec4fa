"""One exception class per failure the user can be told about.

Each carries the file it concerns; the CLI prints ``FILE: message`` and goes on with the batch.
"""
from __future__ import annotations


class CongvanError(Exception):
    """Base: a problem with one input or one command, told to the user in one line."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ReadError(CongvanError):
    """The file could not be read as a document (corrupt, empty, wrong kind, encrypted…)."""


class EmptyDocument(ReadError):
    """The file holds no text."""


class UnsupportedFormat(ReadError):
    """Not a kind of file congvan reads."""


class TooLarge(ReadError):
    """Over the size or page limit."""


class MissingTool(ReadError):
    """A system program the file needs (LibreOffice, Tesseract) is not installed."""


class StoreError(CongvanError):
    """The database could not be opened or written."""
