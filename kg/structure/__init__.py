"""The structure of a literature: which papers belong together, and why.

A bibliography without a concepts file is not flat: the same people write
together, the same keywords recur, and papers on one topic use the same
terms. :func:`analyse` finds all three and returns plain data (links between
papers, named clusters, the papers left alone) that the map and the drawing
layer read; nothing here knows how it is drawn::

    structure = analyse(graph)
    structure.links      # [Link(source, target, authors, keywords, terms)]
    structure.clusters   # [Cluster(id, label, papers, terms, authors, ...)], largest first
    structure.alone      # papers in no cluster

The steps (each linear in the number of papers, see the modules):

1. each paper's linking authors (:mod:`kg.structure.links`), keywords and
   candidate terms (:mod:`kg.structure.terms`);
2. a first grouping (Leiden) of the links through authors, keywords and each
   paper's :data:`TERMS_PER_PAPER` rarest candidate terms;
3. each term's relevance over that grouping; the least relevant
   :data:`GENERAL_SHARE` of the terms are dropped (VOSviewer's default keeps
   the most relevant 60 %);
4. the links again with the relevant terms only, and their communities;
5. small communities and unlinked papers gathered, clusters named
   (:mod:`kg.structure.clusters`);
6. a journal's own pages (contents, indexes, covers: no author, one of a
   few titles) set apart from step 1 on, as one cluster of their own
   (:mod:`kg.structure.front_matter`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg.structure.clusters import (
    SMALLEST_CLUSTER,
    Cluster,
    communities,
    gather,
    name_clusters,
    set_apart_cluster,
)
from kg.structure.front_matter import FRONT_MATTER_LABEL, is_front_matter
from kg.structure.links import (
    COMMON_KEYWORD_SHARE,
    Link,
    chain_links,
    chain_pulls,
    linking_authors,
    paper_keywords,
    year_of,
)
from kg.structure.terms import noun_phrases, relevance

__all__ = ["Cluster", "Link", "Structure", "analyse", "describe_groups"]

#: A term on more than this share of the papers (and more than :data:`COMMON_TERM_FLOOR`
#: papers) is too common to link them.
COMMON_TERM_SHARE = 0.05
COMMON_TERM_FLOOR = 10
#: Terms on fewer papers than this link nothing.
RAREST_TERM = 2
#: The share of candidate terms dropped as too general (the least relevant).
GENERAL_SHARE = 0.4
#: How many terms each paper links through, at most (its most specific).
TERMS_PER_PAPER = 6


@dataclass
class Structure:
    """What :func:`analyse` finds: links, clusters, the papers alone, each paper's terms."""

    links: list[Link]
    clusters: list[Cluster]
    alone: list[str]
    terms: dict[str, list[str]] = field(default_factory=dict)
    relevance: dict[str, float] = field(default_factory=dict)

    def cluster_of(self) -> dict[str, str]:
        """Each clustered paper's cluster id."""
        return {paper: cluster.id for cluster in self.clusters for paper in cluster.papers}


@dataclass
class _Papers:
    """What each paper brings: its year, linking authors, keywords and candidate terms."""

    order: list[str]  # by year, then id: every chain of links runs in this order
    year: dict[str, int]
    written: dict[str, list[str]]  # author node -> papers
    authors_of: dict[str, list[str]]  # paper -> linking author nodes
    keywords_of: dict[str, list[str]]
    candidates: dict[str, list[str]]


def _papers(graph, papers: list[str]) -> _Papers:
    nodes = graph.nodes
    year = {paper: year_of(nodes[paper]) for paper in papers}
    order = sorted(papers, key=lambda paper: (year[paper], paper))
    written = linking_authors(graph, order)
    authors_of: dict[str, list[str]] = defaultdict(list)
    for author, mine in written.items():
        for paper in mine:
            authors_of[paper].append(author)
    return _Papers(
        order=order,
        year=year,
        written=written,
        authors_of=authors_of,
        keywords_of={paper: paper_keywords(nodes[paper]) for paper in order},
        candidates=_candidate_terms(graph, order),
    )


def analyse(graph, papers: list[str] | None = None) -> Structure:
    """The structure of ``papers`` (paper node ids of ``graph``; default: every paper)."""
    if papers is None:
        papers = sorted(node for node, kind in graph.nodes(data="kind") if kind == "paper")
    found = _papers(graph, papers)
    front = _front_matter(graph, found)
    order, candidates = found.order, found.candidates
    papers_of_term: dict[str, list[str]] = defaultdict(list)
    for paper in order:
        for term in candidates[paper]:
            papers_of_term[term].append(paper)
    idf = {term: math.log(len(order) / len(where)) for term, where in papers_of_term.items()}
    groups = [
        ("authors", graph.nodes[author].get("label", author), mine)
        for author, mine in found.written.items()
    ]
    groups += _keyword_groups(order, found.keywords_of)

    first = communities(chain_pulls(groups + _term_groups(order, _best(candidates, idf))))
    scores = relevance(
        papers_of_term,
        {paper: number for number, members in enumerate(first) for paper in members},
    )
    kept = _relevant(scores)
    weight = {term: scores[term] * idf[term] for term in kept}
    best = _best({paper: [t for t in candidates[paper] if t in kept] for paper in order}, weight)
    links = chain_links(groups + _term_groups(order, best))

    clusters, alone = gather(
        _communities(links),
        order,
        candidates,
        scores,
        venue_of={paper: str(graph.nodes[paper].get("venue", "")) for paper in order},
        year_of_paper=found.year,
    )
    name_clusters(clusters, candidates, found.keywords_of, found.authors_of, graph)
    if front:
        clusters.append(
            set_apart_cluster(front, graph, basis="front matter", label=FRONT_MATTER_LABEL)
        )
        # Largest first, as every reader of clusters expects (the map names the first ones).
        clusters.sort(key=lambda cluster: -len(cluster.papers))
        for number, cluster in enumerate(clusters, start=1):
            cluster.id = f"cluster:{number}"
    return Structure(
        links=links,
        clusters=clusters,
        alone=alone,
        terms={paper: best[paper] for paper in sorted(order) if best[paper]},
        relevance=scores,
    )


def describe_groups(graph, groups: list[list[str]]) -> list[Cluster]:
    """Clusters of ``groups`` (lists of paper node ids, found some other way), named as
    :func:`analyse` names its own, in the order given."""
    found = _papers(graph, [paper for members in groups for paper in members])
    clusters = [Cluster(sorted(members)) for members in groups]
    name_clusters(clusters, found.candidates, found.keywords_of, found.authors_of, graph)
    return clusters


def _front_matter(graph, found: _Papers) -> list[str]:
    """A journal's own pages among the papers, taken out of ``found.order`` (when enough to group)."""
    front = [
        paper
        for paper in found.order
        if is_front_matter(
            str(graph.nodes[paper].get("title", "")), authored=bool(found.authors_of.get(paper))
        )
    ]
    if len(front) < SMALLEST_CLUSTER:
        return []
    apart = set(front)
    found.order = [paper for paper in found.order if paper not in apart]
    found.candidates = {
        paper: terms for paper, terms in found.candidates.items() if paper not in apart
    }
    return front


def _communities(links: list[Link]) -> list[list[str]]:
    return communities((link.source, link.target, link.pull) for link in links)


def _candidate_terms(graph, papers: list[str]) -> dict[str, list[str]]:
    """Each paper's terms found on :data:`RAREST_TERM` papers or more and not too common."""
    found = {}
    for paper in papers:
        attrs = graph.nodes[paper]
        text = " . ".join(
            str(attrs.get(name, ""))
            for name in ("title", "abstract", "keywords")
            if attrs.get(name)
        )
        found[paper] = noun_phrases(text)
    counts = Counter(term for terms in found.values() for term in terms)
    common = max(COMMON_TERM_FLOOR, COMMON_TERM_SHARE * len(papers))
    return {
        paper: [term for term in terms if RAREST_TERM <= counts[term] <= common]
        for paper, terms in found.items()
    }


def _keyword_groups(papers, keywords_of) -> list[tuple[str, str, list[str]]]:
    by_keyword: dict[str, list[str]] = defaultdict(list)
    for paper in papers:
        for word in keywords_of[paper]:
            by_keyword[word].append(paper)
    common = max(5, COMMON_KEYWORD_SHARE * len(papers))
    return [
        ("keywords", word, tagged)
        for word, tagged in sorted(by_keyword.items())
        if 1 < len(tagged) <= common
    ]


def _best(terms_of: dict[str, list[str]], weight: dict[str, float]) -> dict[str, list[str]]:
    """Each paper's :data:`TERMS_PER_PAPER` terms of highest ``weight``, best first."""
    best = {}
    for paper, terms in terms_of.items():
        ranked = sorted((-weight[term], term) for term in terms)
        best[paper] = [term for _, term in ranked[:TERMS_PER_PAPER]]
    return best


def _term_groups(papers: list[str], terms_of: dict[str, list[str]]):
    """Papers by term (in the order of ``papers``), each through the terms ``terms_of`` gives it."""
    by_term: dict[str, list[str]] = defaultdict(list)
    for paper in papers:
        for term in terms_of[paper]:
            by_term[term].append(paper)
    return [("terms", term, found) for term, found in sorted(by_term.items()) if len(found) > 1]


def _relevant(scores: dict[str, float]) -> set[str]:
    """The terms above the :data:`GENERAL_SHARE` quantile of relevance."""
    if not scores:
        return set()
    ranked = sorted(scores.values())
    floor = ranked[int(GENERAL_SHARE * len(ranked))]
    return {term for term, score in scores.items() if score >= floor and score > 0}
