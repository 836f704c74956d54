"""Cytoscape JSON export: the shape Cytoscape desktop reads, and networkx reads it back.

Cytoscape desktop's importer (``CytoscapejsMapper`` in cytoscape-impl) reads
``data`` at every level as an object, field by field; takes ``elements.nodes[].data.id``
as the node's key (and its ``name`` column, which ``data.name`` then replaces);
reads ``position.x`` and ``position.y``; and joins edges by ``data.source`` and
``data.target``. A field that is a JSON number becomes a number column. The
test for Cytoscape.js itself is in ``test_javascript_readers.py``.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest

from export.helpers import (
    HOSTILE,
    assert_palette,
    exported_edges_of,
    exported_nodes_of,
    nodes_of,
)
from kg.drawing import draw
from kg.export import cytoscape

#: What the file adds to each node's and edge's data.
NODE_EXTRAS = ("id", "value", "name", "color", "size")
EDGE_EXTRAS = ("id", "source", "target", "color", "width")


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_cytoscape_graph_gives_back_the_same_graph(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.cyjs"

    cytoscape.write(graph, corpus, path)
    back = nx.cytoscape_graph(json.loads(path.read_text(encoding="utf-8")))

    assert back.is_directed()
    expected = exported_nodes_of(graph)
    for node, data in nodes_of(back).items():
        # an author's own name attribute is the name the map shows too
        author = expected[node].get("kind") == "author"
        extras = tuple(key for key in NODE_EXTRAS if not (author and key == "name"))
        assert {k: v for k, v in data.items() if k not in extras} == {
            k: v for k, v in expected[node].items() if k not in extras
        }
    assert {
        (source, target): {k: v for k, v in data.items() if k not in EDGE_EXTRAS}
        for source, target, data in back.edges(data=True)
    } == exported_edges_of(graph)
    assert {k: v for k, v in back.graph.items() if k != "name"} == graph.graph


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_shape_is_what_cytoscape_desktop_reads(which, request):
    graph = request.getfixturevalue(f"{which}_graph")
    document = json.loads(cytoscape.render(graph))
    look = draw(graph)

    assert isinstance(document["data"], dict)
    assert document["data"]["name"] == document["data"]["title"] == graph.graph["title"]
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    for element in nodes:
        data = element["data"]
        drawn = look.nodes[data["id"]]
        assert data["name"] == drawn.label  # the column Cytoscape labels nodes with
        assert element["position"] == {"x": drawn.x, "y": drawn.y}  # screen pixels, y down
        assert (data["color"], data["size"]) == (drawn.color, drawn.size)
        assert all(isinstance(value, (str, int, float)) for value in data.values())
    assert_palette(
        {element["data"]["id"]: element["data"]["color"] for element in nodes},
        dict(graph.nodes(data="kind")),
    )
    ids = [element["data"]["id"] for element in edges]
    assert len(set(ids)) == len(ids) and all(ids)
    node_ids = {element["data"]["id"] for element in nodes}
    assert all(
        element["data"]["source"] in node_ids and element["data"]["target"] in node_ids
        for element in edges
    )


def test_names_are_the_maps_labels_not_ids(shipped_graph):
    document = json.loads(cytoscape.render(shipped_graph))
    names = {
        element["data"]["id"]: element["data"]["name"] for element in document["elements"]["nodes"]
    }
    assert names["paper:arnold2005vicarious"] == "Arnold et al. (2005)"
    assert not any(name == node for node, name in names.items())


def test_years_are_numbers_and_other_years_are_kept_as_written(hostile_graph):
    document = json.loads(cytoscape.render(hostile_graph))
    nodes = {element["data"]["id"]: element["data"] for element in document["elements"]["nodes"]}
    assert nodes["paper:hernandez2007vicarious"]["year"] == 2007
    assert nodes["paper:lonely2020"]["year_text"] == "in press"
    assert "year" not in nodes["paper:lonely2020"]


def test_elements_hold_hostile_strings(hostile_graph):
    data = json.loads(cytoscape.render(hostile_graph))
    nodes = {element["data"]["id"]: element["data"] for element in data["elements"]["nodes"]}
    assert nodes["quote:q1"]["text"] == HOSTILE
    assert nodes["author:obrien-s"]["name"] == "Seán O'Brien <&>"
