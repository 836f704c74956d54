"""The structure of two real bibliographies of ../shared/bench (fail in CI when they are missing).

cdl.bib is a lab's working bibliography (6,315 entries, titles only);
beebe7_concat.bib joins seven journals' bibliographies (24,633 entries, with
2,871 unsigned "Anonymous" front-matter entries: indexes, editorial boards).
"""

from __future__ import annotations

from collections import Counter

import pytest

from kg.graph import build_graph
from kg.sources import load
from kg.structure import analyse
from kg.structure.links import is_collective_author
from tests.conftest import SHARED, need

pytestmark = pytest.mark.corpus

BENCH = SHARED / "bench"


@pytest.fixture(scope="module", params=["cdl.bib", "beebe7_concat.bib"])
def analysed(request):
    path = BENCH / request.param
    need(path.is_file(), f"the benchmark bibliography {path}")
    graph = build_graph(load(path, use_cache=False))
    return graph, analyse(graph)


def test_at_most_a_tenth_of_the_papers_float_alone(analysed):
    graph, structure = analysed
    papers = sum(1 for _, kind in graph.nodes(data="kind") if kind == "paper")
    clustered = sum(len(cluster.papers) for cluster in structure.clusters)
    assert clustered + len(structure.alone) == papers  # every paper once
    assert len(structure.alone) <= 0.10 * papers


def test_no_two_clusters_share_a_name(analysed):
    _, structure = analysed
    repeated = [
        name for name, count in Counter(c.label for c in structure.clusters).items() if count > 1
    ]
    assert repeated == []
    assert all(cluster.label for cluster in structure.clusters)


def test_no_cluster_is_named_after_an_anonymous_or_corporate_author(analysed):
    graph, structure = analysed
    collective = {
        str(attrs.get("family") or attrs.get("label"))
        for _, attrs in graph.nodes(data=True)
        if attrs.get("kind") == "author" and is_collective_author(attrs)
    }
    assert "Anonymous" in collective or "American Academy of Sleep Medicine" in collective
    for cluster in structure.clusters:
        assert not {name for name, _ in cluster.authors} & collective, cluster.label
        people = cluster.label.split("\n")[-1].split(" & ")
        assert not set(people) & collective, cluster.label
    assert all(not set(link.authors) & {"Anonymous"} for link in structure.links)


def test_papers_with_no_shared_author_join_their_topic_by_terms(analysed):
    _, structure = analysed
    by_terms_only = sum(1 for link in structure.links if link.terms and not link.authors)
    assert by_terms_only >= 0.2 * len(structure.links)
    # clusters held by links are named by their terms (those gathered by venue, by where and when)
    linked = [c for c in structure.clusters if c.basis == "links" and len(c.papers) >= 4]
    assert sum(1 for cluster in linked if cluster.terms) >= 0.8 * len(linked)
    assert all(c.label.startswith(c.venue) for c in structure.clusters if c.basis == "venue")
