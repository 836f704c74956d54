"""The graph: typed node ids, scalar attributes, and the edges of the data model."""

from __future__ import annotations

import networkx as nx

from kg import load
from kg.graph import build_graph, node_id, split_node_id
from kg.model import Author, Concept, Corpus, Link, Objective, Paper, Quote, Relation


def small_corpus() -> Corpus:
    return Corpus(
        papers={"p1": Paper("p1", "article", title="Resilience", year="2020", authors=["smith-j"])},
        authors={"smith-j": Author("smith-j", "Jo Smith", "Smith", "Jo")},
        concepts={
            "resilience": Concept(
                "resilience",
                "Resilience",
                "Doing well.",
                ["bouncing back", "grit"],
                [Relation("contrasts-with", "trauma", "opposites")],
                [Link("p1", "supported", "says so")],
            ),
            "trauma": Concept("trauma", "Resilience"),  # same label as a concept and a paper title
        },
        objectives={
            "1a": Objective(
                "1a",
                "knowledge",
                "describe it",
                [Link("resilience", "weak")],
                [Link("p1", "inferred", "close"), Link("missing", "weak")],
            )
        },
        quotes={
            "q": Quote("q", "A saying.", "Someone", "p1", concepts=["trauma"], objectives=["1a"])
        },
    )


def test_node_ids_are_typed_so_equal_names_never_merge():
    graph = build_graph(small_corpus())
    assert sorted(graph.nodes) == [
        "author:smith-j", "concept:resilience", "concept:trauma", "objective:1a", "paper:p1", "quote:q",
    ]  # fmt: skip
    assert graph.nodes["concept:trauma"]["label"] == "Resilience"
    assert graph.nodes["paper:p1"]["label"] == "Smith (2020)"
    assert split_node_id(node_id("paper", "a:b")) == ("paper", "a:b")


def test_edges_carry_relation_strength_and_reason():
    graph = build_graph(small_corpus())
    edges = {(u, v): data for u, v, data in graph.edges(data=True)}
    assert edges[("author:smith-j", "paper:p1")] == {
        "relation": "wrote",
        "role": "author",
        "position": 1,
    }
    assert edges[("paper:p1", "concept:resilience")] == {
        "relation": "discusses", "strength": "supported", "reason": "says so"}  # fmt: skip
    assert edges[("objective:1a", "concept:resilience")] == {
        "relation": "covers",
        "strength": "weak",
    }
    assert edges[("paper:p1", "objective:1a")]["relation"] == "supports"
    assert edges[("concept:resilience", "concept:trauma")]["type"] == "contrasts-with"
    assert edges[("quote:q", "paper:p1")] == {"relation": "quotes"}
    assert edges[("quote:q", "objective:1a")] == {"relation": "illustrates"}
    assert "paper:missing" not in graph  # dangling references are problems, not nodes


def test_attributes_are_scalars_so_every_writer_accepts_them(tmp_path):
    graph = build_graph(small_corpus())
    assert graph.nodes["concept:resilience"]["aliases"] == "bouncing back; grit"
    for _, data in list(graph.nodes(data=True)) + [(None, d) for *_, d in graph.edges(data=True)]:
        assert all(isinstance(value, (str, int)) for value in data.values()), data
    nx.write_graphml(graph, tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == graph.number_of_nodes()


def test_shipped_graph_reaches_every_objective_from_a_paper(shipped_bib, shipped_concepts):
    graph = build_graph(load(shipped_bib, shipped_concepts))
    kinds = {kind for _, kind in graph.nodes(data="kind")}
    assert kinds == {"paper", "author", "concept", "objective", "quote"}
    undirected = graph.to_undirected(as_view=True)
    for objective in (n for n, kind in graph.nodes(data="kind") if kind == "objective"):
        papers = [
            n for n in nx.node_connected_component(undirected, objective) if n.startswith("paper:")
        ]
        direct = [u for u, _ in graph.in_edges(objective) if u.startswith("paper:")]
        via_concepts = [
            p
            for _, c in graph.out_edges(objective)
            for p, _ in graph.in_edges(c)
            if p.startswith("paper:")
        ]
        assert papers and (direct or via_concepts), objective


def test_edge_pairs_match_the_graph(shipped_bib, shipped_concepts, corpus_dir):
    from kg.graph import edge_count, edge_pairs

    for corpus in (small_corpus(), load(shipped_bib, shipped_concepts),
                   load(corpus_dir / "bibtexparser" / "biber-examples.bib")):  # fmt: skip
        assert edge_pairs(corpus) == set(build_graph(corpus).edges)
        assert edge_count(corpus) == build_graph(corpus).number_of_edges()


def test_a_paper_labelled_by_its_title_is_cut_at_a_word():
    from kg.graph import build_graph
    from kg.model import Corpus, Paper

    paper = Paper("p", "proceedings", year="1991",
                  title="Proceedings of the Ninth National Conference on Artificial Intelligence")  # fmt: skip
    graph = build_graph(Corpus(papers={"p": paper}))
    assert graph.nodes["paper:p"]["label"] == "Proceedings of the Ninth National… (1991)"
