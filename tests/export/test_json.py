"""Node-link JSON export: networkx.node_link_graph gives back the same graph."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest

from export.helpers import HOSTILE, edges_of, exported_edges_of, exported_nodes_of, nodes_of
from kg.export import json as json_export


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_node_link_graph_gives_back_the_same_graph(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.json"

    json_export.write(graph, corpus, path)
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")

    assert back.is_directed() and not back.is_multigraph()
    assert nodes_of(back) == exported_nodes_of(graph)
    assert edges_of(back) == exported_edges_of(graph)
    assert back.graph == graph.graph


def test_hostile_strings_survive_and_stay_readable(hostile_graph, hostile_corpus):
    stream = io.StringIO()
    json_export.write(hostile_graph, hostile_corpus, stream)
    text = stream.getvalue()
    assert "東京" in text  # written as UTF-8, not \\u escapes
    back = nx.node_link_graph(json.loads(text), edges="edges")
    assert back.nodes["quote:q1"]["text"] == HOSTILE


def test_output_is_deterministic(hostile_graph):
    assert json_export.render(hostile_graph) == json_export.render(hostile_graph.copy())
    assert list(json.loads(json_export.render(hostile_graph))) == [
        "directed",
        "edges",
        "graph",
        "multigraph",
        "nodes",
    ]


def test_years_are_numbers_and_other_years_are_kept_as_written(hostile_graph):
    document = json.loads(json_export.render(hostile_graph))
    papers = {node["id"]: node for node in document["nodes"] if node["kind"] == "paper"}
    assert papers["paper:hernandez2007vicarious"]["year"] == 2007
    assert "year_text" not in papers["paper:hernandez2007vicarious"]
    assert papers["paper:lonely2020"]["year_text"] == "in press"
    assert "year" not in papers["paper:lonely2020"]


def test_relation_kind_is_relation_type(hostile_graph):
    document = json.loads(json_export.render(hostile_graph))
    related = [edge for edge in document["edges"] if edge["relation"] == "related"]
    assert [edge["relation_type"] for edge in related] == ["contrasts-with"]
    assert all("type" not in edge for edge in document["edges"])
