"""The citation graph written as DOT, GraphML, JSON and SVG (pipeline/graph_export.py)."""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import MissingTool
from pipeline.extract.citations import citation_key
from pipeline.graph_export import to_dot, to_graphml, to_json, to_svg

NODES: list[dict[str, Any]] = [
    {"id": "583/ubnd|uy ban nhan dan huyen son tay|2024", "code": "583/UBND", "type": "Công văn",
     "issuer": "Ủy ban nhân dân huyện Sơn Tây", "year": 2024, "title": "Triển khai nhiệm vụ CCHC", "held": True},
    {"id": "1313/ubnd-nc|uy ban nhan dan tinh quang ngai|2024", "code": "1313/UBND-NC", "type": "Công văn",
     "issuer": "Ủy ban nhân dân tỉnh Quảng Ngãi", "year": 2024, "title": None, "held": False},
    {"id": 'x"<&>', "code": '9/"Q"&<T>', "type": None, "issuer": None, "year": None, "title": None, "held": False},
]
EDGES: list[dict[str, Any]] = [
    {"source": NODES[0]["id"], "target": NODES[1]["id"], "relation": "implements",
     "sentence": "Thực hiện Công văn số 1313/UBND-NC ngày 14/3/2024 của UBND tỉnh"},
    {"source": NODES[0]["id"], "target": NODES[2]["id"], "relation": None, "sentence": None},
]


def test_dot_has_every_node_and_edge() -> None:
    dot = to_dot(NODES, EDGES)
    assert dot.startswith("digraph congvan {") and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == 2
    assert "1313/UBND-NC" in dot and 'style="dashed"' in dot and 'style="filled"' in dot
    assert 'label="implements"' in dot and 'label="refers"' in dot
    assert '\\"Q\\"' in dot       # quotes escaped


def test_dot_relation_labels_can_be_words() -> None:
    assert 'label="thực hiện"' in to_dot(NODES, EDGES, labels={"implements": "thực hiện"})


def test_graphml_is_valid_xml_with_typed_data() -> None:
    root = ET.fromstring(to_graphml(NODES, EDGES))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 3
    assert len(root.findall(".//g:edge", ns)) == 2
    held = {n.get("id"): n.find("g:data[@key='n_held']", ns).text for n in root.findall(".//g:node", ns)}
    assert held[NODES[0]["id"]] == "true" and held['x"<&>'] == "false"


def test_json_round_trips() -> None:
    data = json.loads(to_json(NODES, EDGES))
    assert data["nodes"][1]["code"] == "1313/UBND-NC" and data["edges"][0]["relation"] == "implements"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_svg_through_graphviz() -> None:
    svg = to_svg(NODES, EDGES)
    assert b"<svg" in svg and b"1313/UBND&#45;NC" in svg and "Quảng Ngãi".encode() in svg


def test_svg_without_graphviz_is_a_clear_error() -> None:
    with pytest.raises(MissingTool, match="Graphviz"):
        to_svg(NODES, EDGES, dot_program="no-such-dot-program")


def test_seed_graph_holds_the_twelve_cited_documents(shared_dir: Path) -> None:
    """Issue 5: the seed's graph in DOT holds its 12 cited documents, keyed by citation_key."""
    from pipeline import extract_file
    ex = extract_file(str(shared_dir / "seed" / "583-UBND-son-tay-2024.txt"))
    h = ex.header
    src = citation_key(h.code or "583/UBND", h.issuer, h.date)
    nodes = [{"id": src, "code": h.code, "type": h.type, "issuer": h.issuer, "year": 2024, "held": True}]
    edges = []
    for c in ex.citations:
        key = citation_key(c)
        nodes.append({"id": key, "code": c.code, "type": c.type, "issuer": c.issuer,
                      "year": int(c.date[:4]) if c.date else None, "held": False})
        edges.append({"source": src, "target": key, "relation": c.relation, "sentence": c.sentence})
    assert len({n["id"] for n in nodes[1:]}) == 12
    dot = to_dot(nodes, edges)
    assert dot.count(" -> ") == 12
    for code in ("1313/UBND-NC", "280/CĐ-TTg", "01/2024/QĐ-UBND", "53/TB-VPCP"):
        assert code in dot
