"""The body as a tree of numbered sections (Phần/Chương/Điều/khoản/điểm; 1., a), -). (issue 4/6)"""
from __future__ import annotations

from .models import Section, Segments


def parse_sections(seg: Segments) -> list[Section]:
    """Sections of the body with their paths ("3.b")."""
    return []
