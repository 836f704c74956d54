"""GraphML export: networkx.read_graphml gives back the same graph."""

from __future__ import annotations

import io

import networkx as nx
import pytest

from export.helpers import HOSTILE, edges_of, nodes_of
from kg.export import graphml


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_read_graphml_gives_back_the_same_graph(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.graphml"

    graphml.write(graph, corpus, path)
    back = nx.read_graphml(path)

    assert back.is_directed()
    assert nodes_of(back) == nodes_of(graph)
    assert edges_of(back) == edges_of(graph)
    # the reader adds empty defaults
    assert {
        k: v for k, v in back.graph.items() if k not in ("node_default", "edge_default")
    } == graph.graph


def test_hostile_strings_survive(hostile_graph, hostile_corpus, tmp_path):
    path = tmp_path / "graph.graphml"
    graphml.write(hostile_graph, hostile_corpus, path)
    back = nx.read_graphml(path)
    assert back.nodes["quote:q1"]["text"] == HOSTILE
    assert (
        back.edges["paper:hernandez2007vicarious", "concept:vicarious-resilience"]["reason"]
        == HOSTILE
    )


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
    assert nodes_of(nx.read_graphml(io.BytesIO(binary.getvalue()))) == nodes_of(hostile_graph)


def test_control_characters_xml_cannot_hold_are_replaced(hostile_graph, hostile_corpus, tmp_path):
    hostile_graph.nodes["concept:vicarious-resilience"]["definition"] = "bell\x07here"
    path = tmp_path / "graph.graphml"
    graphml.write(hostile_graph, hostile_corpus, path)
    assert (
        nx.read_graphml(path).nodes["concept:vicarious-resilience"]["definition"]
        == "bell\ufffdhere"
    )
