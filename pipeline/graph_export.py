"""Render the citation graph (placeholder until the citations work lands)."""
from __future__ import annotations

import json
from typing import Any


def to_json(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> str:
    return json.dumps({"nodes": nodes, "edges": edges}, ensure_ascii=False, indent=1)


def to_dot(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> str:
    def q(s: Any) -> str:
        return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = ["digraph congvan {"]
    lines += [f"  {q(n['id'])} [label={q(n['code'])}];" for n in nodes]
    lines += [f"  {q(e['source'])} -> {q(e['target'])} [label={q(e.get('relation') or '')}];" for e in edges]
    return "\n".join(lines + ["}"]) + "\n"


to_graphml = to_json
to_svg = to_dot
