"""The shared pieces of the exports: the map's drawing (``kg.drawing.draw``) and the exported attributes."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from kg.drawing import draw, rgb
from kg.export.attributes import RELATION_TYPE, YEAR_TEXT, exported_graph, year_attributes


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("2005", {"year": 2005}),
        (" 1979 ", {"year": 1979}),
        (2010, {"year": 2010}),
        ("2005a", {YEAR_TEXT: "2005a"}),
        ("in press", {YEAR_TEXT: "in press"}),
        ("1999/2000", {YEAR_TEXT: "1999/2000"}),
        ("", {}),
    ],
)
def test_year_is_a_number_only_when_it_is_one(year, expected):
    assert year_attributes(year) == expected


def test_exported_graph_leaves_the_graph_alone(hostile_graph):
    before = {node: dict(data) for node, data in hostile_graph.nodes(data=True)}
    edges_before = {(a, b): dict(data) for a, b, data in hostile_graph.edges(data=True)}
    exported = exported_graph(hostile_graph)
    assert {node: dict(data) for node, data in hostile_graph.nodes(data=True)} == before
    assert {(a, b): dict(d) for a, b, d in hostile_graph.edges(data=True)} == edges_before
    edge = exported.edges["concept:vicarious-trauma", "concept:vicarious-resilience"]
    assert edge[RELATION_TYPE] == "contrasts-with" and "type" not in edge
    assert exported.graph == hostile_graph.graph


def test_rgb():
    assert rgb("#D55E00") == (213, 94, 0)
    assert rgb("#009e73") == (0, 158, 115)


def test_every_node_has_a_look_in_its_kinds_colour(shipped_graph):
    look = draw(shipped_graph)
    assert set(look.nodes) == set(shipped_graph.nodes)
    assert set(look.edges) == set(shipped_graph.edges)
    colours = {}
    for node, drawn in look.nodes.items():
        colours.setdefault(shipped_graph.nodes[node]["kind"], set()).add(drawn.color)
        assert drawn.size > 0 and drawn.label
    assert all(len(found) == 1 for found in colours.values())
    assert len({found.pop() for found in colours.values()}) == len(colours)


def test_a_large_maps_folded_authors_sit_beside_their_paper():
    """From 1,000 nodes the map folds single-paper authors into the paper; exports still place them."""
    graph = nx.DiGraph()
    for number in range(340):
        paper = f"paper:p{number}"
        graph.add_node(paper, kind="paper", label=f"Paper {number}", year="2001")
        if number:
            graph.add_edge(f"author:shared{number % 7}", paper, relation="wrote")
        for author in ("a", "b"):
            graph.add_edge(f"author:{author}{number}", paper, relation="wrote")
    for number in range(7):
        graph.nodes[f"author:shared{number}"].update(kind="author", label=f"Shared {number}")
    for node in graph:
        graph.nodes[node].setdefault("kind", "author")
        graph.nodes[node].setdefault("label", node)
    assert len(graph) >= 1000

    look = draw(graph)

    assert set(look.nodes) == set(graph.nodes)
    for number in range(340):
        paper = look.nodes[f"paper:p{number}"]
        for author in ("a", "b"):
            folded = look.nodes[f"author:{author}{number}"]
            assert math.dist((folded.x, folded.y), (paper.x, paper.y)) <= 60
            assert folded.color == look.nodes["author:shared0"].color
