"""GEXF export: valid GEXF 1.2 (checked against the schema) and read back by networkx."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from export.helpers import HOSTILE, edges_of, nodes_of
from kg.export import gexf

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "gexf-1.2draft" / "gexf.xsd"


@pytest.fixture(scope="module")
def schema():
    """The GEXF 1.2draft schema, from the shared read-only folder."""
    from tests.conftest import need

    need(SCHEMA.is_file(), f"the GEXF 1.2 schema ({SCHEMA})")
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _as_written(graph) -> tuple[dict, dict]:
    """What a GEXF reader should see: an edge's ``type`` is named ``relation_type``."""
    edges = {}
    for pair, data in edges_of(graph).items():
        if "type" in data:
            data[gexf.EDGE_TYPE_ATTRIBUTE] = data.pop("type")
        edges[pair] = data
    return nodes_of(graph), edges


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_valid_against_the_gexf_1_2_schema(which, request, tmp_path, schema):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.gexf"

    gexf.write(graph, corpus, path)

    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    assert document.getroot().get("version") == "1.2"


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_read_gexf_gives_back_the_same_graph(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.gexf"

    gexf.write(graph, corpus, path)
    back = nx.read_gexf(path)

    nodes, edges = _as_written(graph)
    assert nodes_of(back) == nodes
    # the reader adds the edge id GEXF requires
    assert {
        pair: {k: v for k, v in data.items() if k != "id"} for pair, data in edges_of(back).items()
    } == edges


def test_hostile_strings_survive(hostile_graph, hostile_corpus):
    stream = io.BytesIO()
    gexf.write(hostile_graph, hostile_corpus, stream)
    back = nx.read_gexf(io.BytesIO(stream.getvalue()))
    assert back.nodes["quote:q1"]["text"] == HOSTILE
    assert back.nodes["author:obrien-s"]["label"] == "Seán O'Brien <&>"


def test_title_goes_in_the_meta_description(hostile_graph, hostile_corpus):
    document = etree.fromstring(gexf.render(hostile_graph))
    namespace = {"g": "http://www.gexf.net/1.2draft"}
    assert document.find("g:meta/g:description", namespace).text == f"Hostile {HOSTILE}"
    assert document.find("g:graph", namespace).get("name") is None
