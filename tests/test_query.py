"""Tests for kg.query on a small hand-built corpus."""

from __future__ import annotations

import pytest

from kg.errors import KgError, NotFoundError
from kg.graph import build_graph
from kg.model import Author, Concept, Corpus, Link, Objective, Paper, Quote, Relation
from kg.query import (
    gaps,
    node_details,
    normalise,
    papers_for_concept,
    papers_for_objective,
    resolve,
    shortest_path,
)


def small_corpus() -> Corpus:
    """Three papers, three concepts, two objectives, one quote; every strength appears."""
    authors = {
        "hernandez-p": Author(
            "hernandez-p", "Pilar Hernández", "Hernández", "Pilar", ["Pilar Hernandez-Wolfe"]
        ),
        "pack-m": Author("pack-m", "Margaret Pack", "Pack", "Margaret"),
    }
    papers = {
        "h2007": Paper(
            "h2007",
            "article",
            title="Vicarious resilience",
            year="2007",
            authors=["hernandez-p"],
            venue="Family Process",
            pages="229–241",
            doi="10.1/x",
            line=1,
            end_line=5,
            file="refs.bib",
        ),
        "p2014": Paper(
            "p2014",
            "article",
            title="A multilayered model",
            year="2014",
            authors=["pack-m"],
            venue="Affilia",
            unverified=["pages"],
            pages="18–29",
            line=6,
            end_line=9,
            file="refs.bib",
        ),
        "lonely": Paper(
            "lonely",
            "book",
            title="Unlinked book",
            year="2000",
            line=10,
            end_line=12,
            file="refs.bib",
        ),
    }
    concepts = {
        "vicarious-resilience": Concept(
            "vicarious-resilience",
            "Vicarious resilience",
            "Growth from clients.",
            aliases=["VR"],
            relations=[Relation("contrasts-with", "burnout", "opposite")],
            papers=[
                Link("h2007", "supported", "introduces it"),
                Link("p2014", "weak", "models it"),
            ],
        ),
        "self-care": Concept(
            "self-care",
            "Self-care",
            "Looking after oneself.",
            aliases=["caring for self"],
            papers=[Link("p2014", "supported", "buffers")],
        ),
        "burnout": Concept("burnout", "Burnout", "Exhaustion."),
    }
    objectives = {
        "1a": Objective(
            "1a",
            "knowledge",
            "describe vicarious resilience",
            concepts=[Link("vicarious-resilience", "supported"), Link("self-care", "weak")],
            papers=[Link("h2007", "supported", "defines it")],
        ),
        "3b": Objective(
            "3b",
            "attitude",
            "self-care as a necessity",
            concepts=[Link("self-care", "weak"), Link("burnout", "weak")],
        ),
    }
    quotes = {
        "q1": Quote(
            "q1", "Help yourself first.", source="lonely", concepts=["self-care"], objectives=["3b"]
        )
    }
    return Corpus(
        papers=papers,
        authors=authors,
        concepts=concepts,
        objectives=objectives,
        quotes=quotes,
        bib_path="refs.bib",
        concepts_path="concepts.yaml",
    )


@pytest.fixture
def corpus() -> Corpus:
    return small_corpus()


@pytest.fixture
def graph(corpus):
    return build_graph(corpus)


def test_normalise_folds_case_accents_and_separators():
    assert normalise("Hernández_Wolfe - P") == normalise("hernandez wolfe p") == "hernandezwolfep"


@pytest.mark.parametrize(
    ("typed", "node"),
    [
        ("1a", "objective:1a"),
        ("objective:1a", "objective:1a"),
        ("Self Care", "concept:self-care"),
        ("self_care", "concept:self-care"),
        ("CARING-FOR-SELF", "concept:self-care"),
        ("vr", "concept:vicarious-resilience"),
        ("H2007", "paper:h2007"),
        ("pilar hernandez", "author:hernandez-p"),
        ("Pilar Hernandez-Wolfe", "author:hernandez-p"),
    ],
    ids=[
        "id",
        "typed-id",
        "label-spaces",
        "underscores",
        "alias-hyphens",
        "alias",
        "key-case",
        "accents",
        "author-alias",
    ],
)
def test_resolve_matches_ids_labels_and_aliases(graph, typed, node):
    assert resolve(graph, typed) == node


def test_resolve_limits_kinds_and_suggests(graph):
    with pytest.raises(NotFoundError) as caught:
        resolve(graph, "selfcar", kinds=("objective", "concept"))
    assert caught.value.suggestions == ["self-care"]
    assert (
        str(caught.value) == "no objective or concept matches 'selfcar'; did you mean: self-care?"
    )


def test_resolve_without_suggestion_says_what_to_type(graph):
    with pytest.raises(NotFoundError) as caught:
        resolve(graph, "zzzz")
    assert caught.value.suggestions == []
    assert "id, label or alias" in str(caught.value)


def test_papers_for_objective_ranks_and_explains(graph):
    matches = papers_for_objective(graph, "1a")
    assert [(m.key, m.strength, m.via, m.direct, m.concepts) for m in matches] == [
        ("h2007", "supported", ["vicarious-resilience"], True, 1),
        # weak twice: vicarious-resilience (supported cover, weak discuss), self-care (weak cover)
        ("p2014", "weak", ["self-care", "vicarious-resilience"], False, 2),
    ]
    assert [r.as_dict() for r in matches[0].reasons] == [
        {"through": "direct", "strength": "supported", "reason": "defines it"},
        {"through": "vicarious-resilience", "strength": "supported", "reason": "introduces it"},
    ]


def test_path_strength_is_weakest_link_and_min_strength_filters(graph):
    matches = papers_for_objective(graph, "3b")
    assert [(m.key, m.strength) for m in matches] == [("p2014", "weak")]
    assert papers_for_objective(graph, "3b", min_strength="supported") == []


def test_more_concepts_ranks_higher_within_a_strength():
    corpus = small_corpus()
    corpus.objectives["1a"].papers = []
    corpus.concepts["vicarious-resilience"].papers = [Link("h2007", "weak"), Link("p2014", "weak")]
    matches = papers_for_objective(build_graph(corpus), "1a")
    assert [m.key for m in matches] == ["p2014", "h2007"]  # p2014 discusses two of its concepts


def test_papers_for_concept(graph):
    matches = papers_for_concept(graph, "Vicarious Resilience")
    assert [(m.key, m.strength, m.reasons[0].reason) for m in matches] == [
        ("h2007", "supported", "introduces it"),
        ("p2014", "weak", "models it"),
    ]
    with pytest.raises(NotFoundError):
        papers_for_concept(graph, "1a")  # an objective is not a concept


def test_node_details_lists_links_in_words(graph):
    details = node_details(graph, "self care")
    assert details["id"] == "concept:self-care"
    assert details["kind"] == "concept"
    assert details["attributes"]["definition"] == "Looking after oneself."
    assert [link["text"] for link in details["links"]] == [
        "Pack (2014) discusses the concept “Self-care” (supported)",
        "objective 1a covers the concept “Self-care” (weak)",
        "objective 3b covers the concept “Self-care” (weak)",
        "the quote “Help yourself first.” illustrates the concept “Self-care”",
    ]


def test_shortest_path_explains_each_hop(graph):
    hops = shortest_path(graph, "burnout", "h2007")
    assert [hop.text for hop in hops] == [
        "the concept “Vicarious resilience” contrasts with the concept “Burnout”",
        "Hernández (2007) discusses the concept “Vicarious resilience” (supported)",
    ]


def test_shortest_path_without_connection(corpus):
    corpus.papers["island"] = Paper("island", "misc", title="Island")
    graph = build_graph(corpus)
    with pytest.raises(KgError, match="nothing links"):
        shortest_path(graph, "island", "1a")


def test_gaps(graph, corpus):
    found = gaps(graph, corpus)
    as_pairs = {group: [(g.node, g.gap) for g in items] for group, items in found.items()}
    assert as_pairs == {
        "objectives": [("objective:3b", "no supported paper"), ("objective:3b", "only 1 paper")],
        "concepts": [("concept:burnout", "no paper discusses it")],
        "papers": [("paper:lonely", "linked to no concept")],
        "entries": [
            ("paper:lonely", "no DOI"),
            ("paper:p2014", "unverified: pages"),
            ("paper:p2014", "no DOI"),
        ],
    }
    assert "refs.bib:6" in found["entries"][1].fix


def test_gaps_without_concepts_file_reports_entries_only(corpus):
    corpus.concepts_path = None
    corpus.concepts, corpus.objectives, corpus.quotes = {}, {}, {}
    found = gaps(build_graph(corpus), corpus)
    assert found["papers"] == [] and found["objectives"] == [] and found["concepts"] == []
    assert len(found["entries"]) == 3
