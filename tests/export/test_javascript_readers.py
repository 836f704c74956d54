"""The exports opened by the JavaScript programs that read them, in Node.js.

- GEXF and GraphML by graphology's readers (``graphology-gexf``,
  ``graphology-graphml``): what Gephi Lite and sigma.js load.
- Cytoscape JSON by Cytoscape.js, headless, with its stylesheet computed.

The packages come from ``tests/export/js/package.json``, installed by
``scripts/install-export-readers`` (run by the test command) into
``.cache/npm/export-readers``. CI fails when they are missing.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from kg.drawing import draw, rgb
from kg.export import cytoscape, gexf, graphml

READER = Path(__file__).with_name("js") / "read.cjs"


def read_with_javascript(node_modules: Path, format_name: str, path: Path) -> dict:
    """What ``tests/export/js/read.cjs`` sees in the file."""
    result = subprocess.run(
        ["node", str(READER), format_name, str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(node_modules)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _rgba(color: str) -> str:
    red, green, blue = rgb(color)
    return f"rgba({red},{green},{blue},1.0)"


def _assert_years(nodes: dict, graph) -> None:
    for node, data in graph.nodes(data=True):
        year = str(data.get("year", ""))
        if data.get("kind") != "paper" or not year:
            continue
        if year.isdigit():
            assert nodes[node]["year"] == int(year), node
        else:
            assert nodes[node]["year_text"] == year and "year" not in nodes[node], node


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_graphology_reads_the_gexf_drawing(which, request, tmp_path, node_modules):
    graph = request.getfixturevalue(f"{which}_graph")
    path = tmp_path / "graph.gexf"
    path.write_bytes(gexf.render(graph))

    seen = read_with_javascript(node_modules, "gexf", path)

    assert seen["type"] == "directed"
    assert (seen["order"], seen["size"]) == (graph.number_of_nodes(), graph.number_of_edges())
    look = draw(graph)
    for node, drawn in look.nodes.items():
        attributes = seen["nodes"][node]
        # sigma.js draws x, y, size, color and label straight from these
        assert (attributes["x"], attributes["y"]) == (drawn.x, -drawn.y)
        assert attributes["color"] == _rgba(drawn.color)
        assert attributes["size"] == drawn.size
        assert attributes["label"] == graph.nodes[node]["label"]
        assert attributes["kind"] == graph.nodes[node]["kind"]
    _assert_years(seen["nodes"], graph)
    for edge in seen["edges"]:
        drawn = look.edges[edge["source"], edge["target"]]
        assert edge["attributes"]["color"] == _rgba(drawn.color)
        assert edge["attributes"]["thickness"] == drawn.width
        assert "type" not in edge["attributes"]


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_graphology_reads_the_graphml_drawing(which, request, tmp_path, node_modules):
    graph = request.getfixturevalue(f"{which}_graph")
    path = tmp_path / "graph.graphml"
    path.write_bytes(graphml.render(graph))

    seen = read_with_javascript(node_modules, "graphml", path)

    assert seen["type"] == "directed"
    assert (seen["order"], seen["size"]) == (graph.number_of_nodes(), graph.number_of_edges())
    assert seen["attributes"]["title"] == graph.graph["title"]
    look = draw(graph)
    for node, drawn in look.nodes.items():
        attributes = seen["nodes"][node]
        assert (attributes["x"], attributes["y"]) == (drawn.x, -drawn.y)
        assert (attributes["color"], attributes["size"]) == (drawn.color, drawn.size)
        assert attributes["label"] == graph.nodes[node]["label"]
    _assert_years(seen["nodes"], graph)
    related = [e for e in seen["edges"] if e["attributes"]["relation"] == "related"]
    assert related and all(e["attributes"]["relation_type"] for e in related)


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_cytoscape_js_imports_the_file(which, request, tmp_path, node_modules):
    graph = request.getfixturevalue(f"{which}_graph")
    path = tmp_path / "graph.cyjs"
    path.write_text(cytoscape.render(graph), encoding="utf-8")

    seen = read_with_javascript(node_modules, "cytoscape", path)

    assert (seen["order"], seen["size"]) == (graph.number_of_nodes(), graph.number_of_edges())
    assert seen["data"]["name"] == graph.graph["title"]
    look = draw(graph)
    for node, drawn in look.nodes.items():
        element = seen["nodes"][node]
        assert element["position"] == {"x": drawn.x, "y": drawn.y}
        assert element["data"]["name"] == element["label"] == drawn.label
        red, green, blue = rgb(drawn.color)
        assert element["colour"] == f"rgb({red},{green},{blue})"
        assert element["width"] == pytest.approx(2 * drawn.size)
    _assert_years({node: element["data"] for node, element in seen["nodes"].items()}, graph)
    assert len({edge["id"] for edge in seen["edges"]}) == graph.number_of_edges()
    for edge in seen["edges"]:
        red, green, blue = rgb(look.edges[edge["source"], edge["target"]].color)
        assert edge["colour"] == f"rgb({red},{green},{blue})"
