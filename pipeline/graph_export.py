"""The citation graph written out: DOT, GraphML, JSON, and SVG (through Graphviz's ``dot``).

Pure functions of the graph as the store gives it (issue 5):

- nodes: ``[{id, code, type, issuer, year, title, held}]`` - one per document identity
  (``citation_key``: code + issuing institution + year); ``held`` is False for a stub, a
  document cited but not yet in the archive.
- edges: ``[{source, target, relation, sentence}]`` - the citing document to the cited one,
  with the relation of contract/EXTRACT.md and the sentence that cites it.

Only ``to_svg`` runs a program; the others only build strings.

>>> print(to_dot([{"id": "a", "code": "583/UBND", "held": True}], []).splitlines()[0])
digraph congvan {
"""
from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any
from xml.sax.saxutils import escape

from .errors import CongvanError, MissingTool

# One colour per relation (ColorBrewer Dark2 and greys), so a printed graph reads at a glance.
RELATION_COLORS = {
    "implements": "#1b9e77", "continues": "#66a61e", "based_on": "#7570b3", "per": "#e7298a",
    "amends": "#d95f02", "replaces": "#a6761d", "repeals": "#e6ab02", "guides": "#1f78b4",
    "responds": "#000000", "refers": "#999999",
}

Node = Mapping[str, Any]
Edge = Mapping[str, Any]


def node_name(n: Node) -> str | None:
    """A node's name: its code, else (a letter without a number, held) its file name in brackets.

    >>> node_name({"code": "", "path": "/in/du-thao.docx"})
    '[du-thao.docx]'
    """
    if n.get("code"):
        return str(n["code"])
    return f"[{PurePath(str(n['path'])).name}]" if n.get("path") else None


def _node_label(n: Node) -> str:
    """Two lines: type and code, then the issuer and year where known."""
    first = " ".join(x for x in (n.get("type"), node_name(n)) if x) or str(n.get("id"))
    second = ", ".join(str(x) for x in (n.get("issuer"), n.get("year")) if x)
    return first + ("\n" + second if second else "")


def _dot_str(s: Any) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
           labels: Mapping[str, str] | None = None) -> str:
    """Graphviz DOT text. Held documents are filled boxes, stubs dashed; edges are coloured by
    relation and labelled with it (``labels`` maps relation ids to words, e.g. Vietnamese).

    >>> "->" in to_dot([{"id": "a", "code": "1"}, {"id": "b", "code": "2"}],
    ...                [{"source": "a", "target": "b", "relation": "per"}])
    True
    """
    lines = ["digraph congvan {", "  rankdir=LR;",
             '  node [shape=box, fontname="DejaVu Sans", fontsize=10];',
             '  edge [fontname="DejaVu Sans", fontsize=9];']
    for n in nodes:
        style = 'style="filled", fillcolor="#eef3fb"' if n.get("held") else 'style="dashed", color="#777777"'
        tip = n.get("title") or ""
        lines.append(f"  {_dot_str(n['id'])} [label={_dot_str(_node_label(n))}, {style}"
                     + (f", tooltip={_dot_str(tip)}" if tip else "") + "];")
    for e in edges:
        rel = e.get("relation") or "refers"
        text = (labels or {}).get(rel, rel)
        color = RELATION_COLORS.get(rel, "#999999")
        tip = e.get("sentence") or ""
        lines.append(f"  {_dot_str(e['source'])} -> {_dot_str(e['target'])} "
                     f"[label={_dot_str(text)}, color={_dot_str(color)}, fontcolor={_dot_str(color)}"
                     + (f", tooltip={_dot_str(tip)}" if tip else "") + "];")
    lines.append("}")
    return "\n".join(lines) + "\n"


_NODE_KEYS = (("code", "string"), ("name", "string"), ("type", "string"), ("issuer", "string"), ("year", "int"),
              ("title", "string"), ("held", "boolean"))
_EDGE_KEYS = (("relation", "string"), ("sentence", "string"))


def _gml_value(v: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if v else "false"
    return escape(str(v))


def to_graphml(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> str:
    """GraphML (for Gephi, yEd, networkx), every node and edge field as a typed ``<data>`` key.

    >>> "<graphml" in to_graphml([], [])
    True
    """
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    for k, kind in _NODE_KEYS:
        out.append(f'  <key id="n_{k}" for="node" attr.name="{k}" attr.type="{kind}"/>')
    for k, kind in _EDGE_KEYS:
        out.append(f'  <key id="e_{k}" for="edge" attr.name="{k}" attr.type="{kind}"/>')
    out.append('  <graph id="congvan" edgedefault="directed">')
    for n in nodes:
        out.append(f'    <node id="{escape(str(n["id"]), {chr(34): "&quot;"})}">')
        for k, kind in _NODE_KEYS:
            v = node_name(n) if k == "name" else n.get(k)
            if v is not None and (v != "" or kind == "string"):
                out.append(f'      <data key="n_{k}">{_gml_value(v, kind)}</data>')
        out.append("    </node>")
    for i, e in enumerate(edges):
        src = escape(str(e["source"]), {'"': "&quot;"})
        dst = escape(str(e["target"]), {'"': "&quot;"})
        out.append(f'    <edge id="e{i}" source="{src}" target="{dst}">')
        for k, kind in _EDGE_KEYS:
            v = e.get(k)
            if v is not None:
                out.append(f'      <data key="e_{k}">{_gml_value(v, kind)}</data>')
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>"]
    return "\n".join(out) + "\n"


def to_json(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> str:
    """``{"nodes": [...], "edges": [...]}`` (node-link JSON, as d3 and networkx read it).

    >>> to_json([], [])
    '{\\n "nodes": [],\\n "edges": []\\n}'
    """
    return json.dumps({"nodes": [dict(n, name=node_name(n)) for n in nodes], "edges": [dict(e) for e in edges]},
                      ensure_ascii=False, indent=1, default=str)


def to_svg(nodes: list[dict[str, Any]], edges: list[dict[str, Any]],
           labels: Mapping[str, str] | None = None, dot_program: str = "dot") -> bytes:
    """SVG drawn by Graphviz. Raises MissingTool when ``dot`` is not installed.

    >>> to_svg([], []).startswith(b"<?xml")  # doctest: +SKIP
    True
    """
    exe = shutil.which(dot_program)
    if exe is None:
        raise MissingTool("chưa cài Graphviz (chương trình 'dot'): hãy cài gói graphviz, "
                          "hoặc xuất --format dot rồi vẽ ở máy khác")
    try:
        done = subprocess.run([exe, "-Tsvg"], input=to_dot(nodes, edges, labels).encode("utf-8"),
                              capture_output=True, timeout=120, check=False)
    except subprocess.TimeoutExpired as e:
        raise CongvanError("Graphviz vẽ quá lâu (quá 120 giây); đồ thị quá lớn?") from e
    if done.returncode != 0:
        raise CongvanError("Graphviz không vẽ được đồ thị: "
                           + done.stderr.decode("utf-8", "replace").strip()[:300])
    return done.stdout
