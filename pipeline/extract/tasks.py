"""Assigned duties: who leads, who co-operates, what, by when, reporting to whom. (issue 6)"""
from __future__ import annotations

from ..models import Header, Section, Segments, Task


def extract_tasks(seg: Segments, header: Header, sections: list[Section]) -> list[Task]:
    """Tasks the document places on named bodies."""
    return []
