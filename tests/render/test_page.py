"""kg.render.page: what the page shows, computed in Python."""

from __future__ import annotations

import networkx as nx

from kg.drawing.build import AUTHORS_SHOWN_UP_TO, LARGE_MAP_FROM
from kg.graph import build_graph
from kg.model import Author, Paper
from kg.render.page import STRAIGHT_EDGES_FROM, page_data


def data_of(corpus, **options):
    return page_data(build_graph(corpus), title="T", **options)


def test_every_node_and_edge_is_drawn_with_a_frozen_position(corpus):
    graph = build_graph(corpus)
    data = page_data(graph, title="T")
    assert [node["id"] for node in data["nodes"]] == sorted(graph.nodes)
    assert len(data["edges"]) == graph.number_of_edges()
    assert all(isinstance(node["x"], int) and isinstance(node["y"], int) for node in data["nodes"])
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["layout"]["improvedLayout"] is False


def test_kinds_have_distinct_shapes_and_colours(corpus):
    kinds = data_of(corpus)["kinds"]
    assert [kind["kind"] for kind in kinds] == ["objective", "concept", "paper", "quote", "author"]
    assert len({kind["shape"] for kind in kinds}) == 5
    assert len({kind["color"] for kind in kinds}) == 5


def test_edges_are_dashed_by_strength(corpus):
    edges = {(edge["from"], edge["to"]): edge for edge in data_of(corpus)["edges"]}
    assert (
        edges[("paper:hernandez2007vicarious", "concept:vicarious-resilience")]["dashes"] is False
    )
    assert edges[("paper:pack2014vicarious", "concept:vicarious-resilience")]["dashes"] == [10, 6]
    assert edges[("paper:pack2014vicarious", "concept:vicarious-trauma")]["dashes"] == [2, 5]


def test_tooltips_are_plain_text(corpus):
    nodes = {node["id"]: node for node in data_of(corpus)["nodes"]}
    assert nodes["concept:vicarious-resilience"]["title"] == (
        "Vicarious resilience\nHow therapists are changed for the better by their clients' resilience."
    )


def test_objective_lists_papers_in_the_shared_ranking_with_reasons(corpus):
    details = data_of(corpus)["details"]["objective:1a"]
    assert details["text"] == "describe the concept of vicarious resilience"
    assert [ref["id"] for ref in details["concepts"]] == ["concept:vicarious-resilience"]
    papers = [(ref["id"], ref["strength"]) for ref in details["papers"]]
    # kg.query's ranking: a direct link and a concept link outrank a concept link alone.
    assert papers == [
        ("paper:hernandez2007vicarious", "supported"),
        ("paper:engstrom2008vicarious", "supported"),
        ("paper:pack2014vicarious", "weak"),
    ]
    direct = details["papers"][0]
    assert direct["reason"] == "Defines it." and "via" not in direct
    assert details["papers"][1]["via"] == "Vicarious resilience"


def test_paper_details_list_people_concepts_and_objectives(corpus):
    details = data_of(corpus)["details"]["paper:pack2014vicarious"]
    assert [ref["id"] for ref in details["people"]] == ["author:pack-m"]
    assert [(ref["id"], ref["strength"]) for ref in details["concepts"]] == [
        ("concept:vicarious-resilience", "weak"),
        ("concept:vicarious-trauma", "inferred"),
    ]
    assert [(ref["id"], ref["strength"], ref["via"]) for ref in details["objectives"]] == [
        ("objective:1a", "weak", "Vicarious resilience")
    ]
    assert [ref["id"] for ref in details["quotes"]] == ["quote:helped"]


def test_concept_and_quote_details(corpus):
    details = data_of(corpus)["details"]
    concept = details["concept:vicarious-trauma"]
    assert concept["aliases"][0] == "VT"
    assert [(ref["id"], ref["type"]) for ref in concept["related"]] == [
        ("concept:vicarious-resilience", "contrasts-with")
    ]
    quote = details["quote:helped"]
    assert quote["speaker"] == "Laura van Dernoot Lipsky"
    assert [ref["id"] for ref in quote["source"]] == ["paper:pack2014vicarious"]
    assert [ref["id"] for ref in quote["illustrates"]] == ["concept:self-care", "objective:3b"]


def test_authors_start_hidden_only_when_many(corpus):
    assert not any(node.get("hidden") for node in data_of(corpus)["nodes"])
    for number in range(AUTHORS_SHOWN_UP_TO):
        author_id = f"extra-{number:02d}"
        corpus.authors[author_id] = Author(author_id, f"Extra {number}", f"Extra{number}")
        corpus.papers["pack2014vicarious"].authors.append(author_id)
    data = data_of(corpus)
    hidden = {node["id"] for node in data["nodes"] if node.get("hidden")}
    assert hidden == {node["id"] for node in data["nodes"] if node["group"] == "author"}
    assert [kind["hidden"] for kind in data["kinds"] if kind["kind"] == "author"] == [True]


def test_large_maps_get_straight_edges():
    graph = nx.DiGraph()
    for number in range(STRAIGHT_EDGES_FROM):
        graph.add_node(f"paper:p{number:04d}", kind="paper", label=f"P{number}")
    assert page_data(graph, title="T")["options"]["edges"]["smooth"] is False
    small = nx.DiGraph()
    small.add_node("paper:p", kind="paper", label="P")
    assert page_data(small, title="T")["options"]["edges"]["smooth"]["enabled"] is True


def test_bibliography_only_maps_lay_out_authors_too():
    from kg.model import Corpus

    corpus = Corpus(
        papers={
            f"k{n}": Paper(
                key=f"k{n}", entry_type="article", title=f"T{n}", year="2000", authors=[f"a{n % 3}"]
            )
            for n in range(40)
        },
        authors={f"a{n}": Author(f"a{n}", f"Author {n}", f"Author{n}") for n in range(3)},
    )
    positions = {node["id"]: (node["x"], node["y"]) for node in data_of(corpus)["nodes"]}
    assert len(set(positions.values())) == len(positions)


def test_large_maps_fold_single_paper_authors_into_their_paper():
    graph = nx.DiGraph()
    graph.add_node("author:shared", kind="author", label="Shared Author")
    for number in range(LARGE_MAP_FROM):
        paper = f"paper:p{number:04d}"
        graph.add_node(paper, kind="paper", label=f"P{number}")
        graph.add_node(f"author:a{number:04d}", kind="author", label=f"Author {number}")
        graph.add_edge(f"author:a{number:04d}", paper, relation="wrote", role="author", position=1)
        if number < 3:
            graph.add_edge("author:shared", paper, relation="wrote", role="author", position=2)
    data = page_data(graph, title="T")
    drawn = {node["id"] for node in data["nodes"]}
    assert "author:shared" in drawn and "author:a0000" not in drawn
    assert len(drawn) == LARGE_MAP_FROM + 1
    assert len(data["edges"]) == 3
    people = data["details"]["paper:p0000"]["people"]
    assert [(ref["label"], ref.get("inside", False)) for ref in people] == [
        ("Author 0", True),
        ("Shared Author", False),
    ]
    assert [kind["inside"] for kind in data["kinds"] if kind["kind"] == "author"] == [
        LARGE_MAP_FROM
    ]


def test_papers_on_the_workshops_reading_list_carry_a_badge_only(shipped_bib, shipped_concepts):
    """The objective's panel marks the seed papers; the mark does not change their order."""
    import kg
    from kg.query import papers_for_objective

    graph = build_graph(kg.load(shipped_bib, shipped_concepts))
    data = page_data(graph, title="Workshop")
    papers = data["details"]["objective:1a"]["papers"]
    assert [ref["id"] for ref in papers] == [
        match.node for match in papers_for_objective(graph, "objective:1a")
    ]
    seeds = {ref["id"] for ref in papers if ref.get("seed")}
    assert "paper:hernandez2007vicarious" in seeds
    assert "paper:killian2017development" not in seeds
    assert all(ref.get("seed") is None for ref in papers if ref["id"] not in seeds)
