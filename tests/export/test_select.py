"""The part of the graph around objectives and concepts (kg export --objective / --concept)."""

from __future__ import annotations

import pytest

from kg.export.select import neighbourhood


def test_no_ids_means_the_whole_graph(hostile_graph):
    part = neighbourhood(hostile_graph)
    assert set(part) == set(hostile_graph)
    assert part is not hostile_graph


def test_around_an_objective(hostile_graph):
    part = neighbourhood(hostile_graph, objectives=["objective:1a"])
    assert set(part) == {
        "objective:1a",
        "concept:vicarious-resilience",  # covered by 1a
        "paper:obrien2010book",  # supports 1a
        "paper:hernandez2007vicarious",  # discusses the covered concept, and is quoted
        "quote:q1",  # illustrates both
        "author:hernandez-p",
        "author:obrien-s",
    }
    assert part.edges["objective:1a", "concept:vicarious-resilience"]["relation"] == "covers"


def test_around_a_concept(hostile_graph):
    part = neighbourhood(hostile_graph, concepts=["concept:vicarious-trauma"])
    assert set(part) == {"concept:vicarious-trauma", "paper:obrien2010book", "author:obrien-s"}
    assert sorted(part.edges(data="relation")) == [
        ("author:obrien-s", "paper:obrien2010book", "wrote"),
        ("paper:obrien2010book", "concept:vicarious-trauma", "discusses"),
    ]


def test_several_ids_are_united(hostile_graph):
    both = neighbourhood(
        hostile_graph, concepts=["concept:vicarious-trauma", "concept:vicarious-resilience"]
    )
    assert (
        both.edges["concept:vicarious-trauma", "concept:vicarious-resilience"]["type"]
        == "contrasts-with"
    )
    assert "paper:lonely2020" not in both


def test_an_unknown_node_is_a_key_error(hostile_graph):
    with pytest.raises(KeyError):
        neighbourhood(hostile_graph, concepts=["concept:nope"])
