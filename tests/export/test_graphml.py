"""GraphML export: networkx and igraph give back the same graph, with the map's drawing."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from export.helpers import (
    HOSTILE,
    assert_palette,
    edges_of,
    exported_edges_of,
    exported_nodes_of,
    nodes_of,
    without_drawing,
)
from kg.drawing import draw
from kg.export import graphml
from tests.conftest import need


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_read_graphml_gives_back_the_same_graph(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.graphml"

    graphml.write(graph, corpus, path)
    back = nx.read_graphml(path)

    assert back.is_directed()
    assert without_drawing(nodes_of(back)) == without_drawing(exported_nodes_of(graph))
    # edges gain the map's colour and width (as size)
    assert {
        pair: {k: v for k, v in data.items() if k not in ("color", "size")}
        for pair, data in edges_of(back).items()
    } == exported_edges_of(graph)
    # the reader adds empty defaults
    assert {
        k: v for k, v in back.graph.items() if k not in ("node_default", "edge_default")
    } == graph.graph


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_every_node_carries_the_maps_drawing(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.graphml"
    graphml.write(graph, corpus, path)
    back = nx.read_graphml(path)
    look = draw(graph)

    for node, data in back.nodes(data=True):
        drawn = look.nodes[node]
        # GraphML's readers (Gephi, sigma.js) put y up; the map's y goes down
        assert (data["x"], data["y"]) == (drawn.x, -drawn.y)
        assert (data["color"], data["size"]) == (drawn.color, drawn.size)
        assert data["label"] == graph.nodes[node]["label"]
    # spread out, not a ball (two co-authors of the same papers may share a place on the map)
    assert len({(data["x"], data["y"]) for _, data in back.nodes(data=True)}) >= 0.95 * len(back)
    assert_palette(dict(back.nodes(data="color")), dict(back.nodes(data="kind")))
    for source, target, data in back.edges(data=True):
        assert data["color"] == look.edges[source, target].color
        assert data["size"] == look.edges[source, target].width


def test_igraph_reads_positions_colours_and_numeric_years(shipped_graph, shipped_corpus, tmp_path):
    try:
        import igraph
    except ImportError:
        igraph = None
    need(igraph is not None, "python-igraph (pip install -e '.[test]')")
    path = tmp_path / "graph.graphml"
    graphml.write(shipped_graph, shipped_corpus, path)

    back = igraph.Graph.Read_GraphML(str(path))

    assert back.is_directed()
    assert (back.vcount(), back.ecount()) == (
        shipped_graph.number_of_nodes(),
        shipped_graph.number_of_edges(),
    )
    look = draw(shipped_graph)
    for vertex in back.vs:
        drawn = look.nodes[vertex["id"]]
        assert (vertex["x"], vertex["y"], vertex["color"]) == (drawn.x, -drawn.y, drawn.color)
    paper = back.vs.find(id="paper:arnold2005vicarious")
    assert paper["year"] == 2005
    assert paper["label"] == "Arnold et al. (2005)"
    related = [edge["relation_type"] for edge in back.es if edge["relation"] == "related"]
    assert related and all(kind for kind in related)


def test_years_are_numbers_and_other_years_are_kept_as_written(hostile_graph, hostile_corpus):
    back = nx.read_graphml(io.BytesIO(graphml.render(hostile_graph)))
    assert back.nodes["paper:hernandez2007vicarious"]["year"] == 2007
    assert back.nodes["paper:lonely2020"]["year_text"] == "in press"
    assert "year" not in back.nodes["paper:lonely2020"]


def test_hostile_strings_survive(hostile_graph, hostile_corpus, tmp_path):
    path = tmp_path / "graph.graphml"
    graphml.write(hostile_graph, hostile_corpus, path)
    back = nx.read_graphml(path)
    assert back.nodes["quote:q1"]["text"] == HOSTILE
    assert (
        back.edges["paper:hernandez2007vicarious", "concept:vicarious-resilience"]["reason"]
        == HOSTILE
    )
    assert back.nodes["author:obrien-s"]["label"] == "Seán O'Brien <&>"


def test_integers_stay_integers(hostile_graph, hostile_corpus, tmp_path):
    path = tmp_path / "graph.graphml"
    graphml.write(hostile_graph, hostile_corpus, path)
    back = nx.read_graphml(path)
    assert back.edges["author:obrien-s", "paper:obrien2010book"]["position"] == 1
    assert back.nodes["concept:vicarious-trauma"]["line"] == 9


def test_writes_to_binary_and_text_streams(hostile_graph, hostile_corpus):
    binary, text = io.BytesIO(), io.StringIO()
    graphml.write(hostile_graph, hostile_corpus, binary)
    graphml.write(hostile_graph, hostile_corpus, text)
    assert binary.getvalue().decode("utf-8") == text.getvalue()
    back = nx.read_graphml(io.BytesIO(binary.getvalue()))
    assert without_drawing(nodes_of(back)) == without_drawing(exported_nodes_of(hostile_graph))


def test_control_characters_xml_cannot_hold_are_replaced(hostile_graph, hostile_corpus, tmp_path):
    hostile_graph.nodes["concept:vicarious-resilience"]["definition"] = "bell\x07here"
    path = tmp_path / "graph.graphml"
    graphml.write(hostile_graph, hostile_corpus, path)
    assert (
        nx.read_graphml(path).nodes["concept:vicarious-resilience"]["definition"]
        == "bell\ufffdhere"
    )
