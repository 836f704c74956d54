"""Cytoscape.js JSON export: networkx.cytoscape_graph gives back the same graph."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from export.helpers import HOSTILE, edges_of, nodes_of
from kg.export import cytoscape


def _without_cytoscape_keys(graph) -> dict:
    """Node attributes less the ones cytoscape_data adds (id, value, and name when it is the id)."""
    nodes = {}
    for node, data in nodes_of(graph).items():
        assert data.pop("id") == node
        assert data.pop("value") == node
        if data.get("name") == node:
            del data["name"]
        nodes[node] = data
    return nodes


def _without_endpoints(graph) -> dict:
    """Edge attributes less the source and target cytoscape_graph copies into them."""
    edges = {}
    for (source, target), data in edges_of(graph).items():
        assert (data.pop("source"), data.pop("target")) == (source, target)
        edges[source, target] = data
    return edges


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_cytoscape_graph_gives_back_the_same_graph(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.cyjs"

    cytoscape.write(graph, corpus, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    back = nx.cytoscape_graph(data)

    assert back.is_directed()
    assert _without_cytoscape_keys(back) == nodes_of(graph)
    assert _without_endpoints(back) == edges_of(graph)
    assert back.graph == graph.graph


def test_elements_hold_nodes_and_edges_with_labels(hostile_graph, hostile_corpus):
    data = json.loads(cytoscape.render(hostile_graph))
    nodes = {element["data"]["id"]: element["data"] for element in data["elements"]["nodes"]}
    assert nodes["quote:q1"]["text"] == HOSTILE
    assert nodes["author:obrien-s"]["label"] == "Seán O'Brien <&>"
    assert len(data["elements"]["edges"]) == hostile_graph.number_of_edges()
