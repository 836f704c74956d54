"""GEXF export: valid GEXF 1.2 (checked against the schema), read back by networkx, with the map's drawing."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from export.helpers import (
    HOSTILE,
    assert_palette,
    exported_edges_of,
    exported_nodes_of,
    nodes_of,
    without_drawing,
)
from kg.drawing import draw, rgb
from kg.export import gexf

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "gexf-1.2draft" / "gexf.xsd"
GEXF = "http://www.gexf.net/1.2draft"
NS = {"g": GEXF}


@pytest.fixture(scope="module")
def schema():
    """The GEXF 1.2draft schema, from the shared read-only folder."""
    from tests.conftest import need

    need(SCHEMA.is_file(), f"the GEXF 1.2 schema ({SCHEMA})")
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_valid_against_the_gexf_1_2_schema(which, request, tmp_path, schema):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.gexf"

    gexf.write(graph, corpus, path)

    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    assert document.getroot().get("version") == "1.2"


def test_the_schema_refuses_viz_prefixed_drawing(hostile_graph, schema):
    """Why the drawing is in GEXF's namespace: the 1.2draft schema rejects ``viz:color``."""
    document = etree.fromstring(gexf.render(hostile_graph))
    colour = document.find("g:graph/g:nodes/g:node/g:color", NS)
    colour.tag = "{http://www.gexf.net/1.2draft/viz}color"
    assert not schema.validate(etree.ElementTree(document))


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_read_gexf_gives_back_the_same_graph(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.gexf"

    gexf.write(graph, corpus, path)
    back = nx.read_gexf(path)

    assert without_drawing(nodes_of(back)) == without_drawing(exported_nodes_of(graph))
    # the reader adds the edge id GEXF requires
    assert {
        (source, target): {k: v for k, v in data.items() if k != "id"}
        for source, target, data in back.edges(data=True)
    } == exported_edges_of(graph)
    assert dict(back.nodes(data="label")) == dict(graph.nodes(data="label"))


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_every_node_and_edge_carries_the_maps_drawing(which, request):
    graph = request.getfixturevalue(f"{which}_graph")
    document = etree.fromstring(gexf.render(graph))
    look = draw(graph)

    colours, kinds = {}, dict(graph.nodes(data="kind"))
    nodes = document.findall("g:graph/g:nodes/g:node", NS)
    assert len(nodes) == graph.number_of_nodes()
    for node in nodes:
        drawn = look.nodes[node.get("id")]
        position = node.find("g:position", NS)
        # GEXF's y axis points up, the map's down
        assert (float(position.get("x")), float(position.get("y"))) == (drawn.x, -drawn.y)
        colour = node.find("g:color", NS)
        colours[node.get("id")] = tuple(int(colour.get(channel)) for channel in "rgb")
        assert colours[node.get("id")] == rgb(drawn.color)
        assert float(node.find("g:size", NS).get("value")) == drawn.size
    assert_palette(colours, kinds)

    edges = document.findall("g:graph/g:edges/g:edge", NS)
    assert len(edges) == graph.number_of_edges()
    for edge in edges:
        drawn = look.edges[edge.get("source"), edge.get("target")]
        colour = edge.find("g:color", NS)
        assert tuple(int(colour.get(channel)) for channel in "rgb") == rgb(drawn.color)
        assert float(edge.find("g:thickness", NS).get("value")) == drawn.width


def test_years_are_numbers_and_relation_kinds_are_relation_type(hostile_graph):
    document = etree.fromstring(gexf.render(hostile_graph))
    declared = {
        (attribute.getparent().get("class"), attribute.get("title")): attribute.get("type")
        for attribute in document.iterfind(".//g:attributes/g:attribute", NS)
    }
    assert declared["node", "year"] in ("integer", "long")
    assert declared["node", "year_text"] == "string"
    assert declared["edge", "relation_type"] == "string"
    back = nx.read_gexf(io.BytesIO(gexf.render(hostile_graph)))
    assert back.nodes["paper:hernandez2007vicarious"]["year"] == 2007
    assert back.nodes["paper:lonely2020"]["year_text"] == "in press"
    assert (
        back.edges["concept:vicarious-trauma", "concept:vicarious-resilience"]["relation_type"]
        == "contrasts-with"
    )


def test_hostile_strings_survive(hostile_graph, hostile_corpus):
    stream = io.BytesIO()
    gexf.write(hostile_graph, hostile_corpus, stream)
    back = nx.read_gexf(io.BytesIO(stream.getvalue()))
    assert back.nodes["quote:q1"]["text"] == HOSTILE
    assert back.nodes["author:obrien-s"]["label"] == "Seán O'Brien <&>"


def test_title_goes_in_the_meta_description(hostile_graph, hostile_corpus):
    document = etree.fromstring(gexf.render(hostile_graph))
    assert document.find("g:meta/g:description", NS).text == f"Hostile {HOSTILE}"
    assert document.find("g:graph", NS).get("name") is None
