"""Clusters of papers: found in the links, joined by the unlinked, and named.

Three steps, each linear in the number of papers and links (Louvain aside,
which networkx runs in near-linear time on graphs this sparse):

1. :func:`communities`: Louvain communities of the linked papers, with a
   fixed seed, so the same bibliography always gives the same clusters.
2. :func:`gather`: a community too small to be a cluster, or a paper linked
   to nothing, joins the cluster its terms belong to (each term votes for the
   cluster that holds most of its papers, weighted by the term's relevance);
   what no term places is gathered by venue and year, then by venue. Only a
   paper with neither a placing term nor a venue shared with another stays
   alone.
3. :func:`name_clusters`: each cluster is named by its most distinctive terms
   (frequent in it, rare elsewhere) and its main authors; no two clusters
   get the same name.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.structure.links import year_of

__all__ = [
    "SMALLEST_CLUSTER",
    "Cluster",
    "communities",
    "gather",
    "name_clusters",
]

#: A community of fewer papers than this joins a larger one by its terms, when it can.
SMALLEST_CLUSTER = 4
#: Linked papers fewer than this, linked to nothing else, are one community, never cut.
WHOLE_BELOW = 2 * SMALLEST_CLUSTER
#: How many distinctive terms and main authors a name holds, at most.
TERMS_IN_NAME = 2
AUTHORS_IN_NAME = 2
#: How many terms, authors and keywords a cluster lists (its panel).
LISTED = 5


@dataclass
class Cluster:
    """A group of papers, with its name and what it is made of.

    ``basis`` says what holds it together: ``links`` (shared authors,
    keywords or terms; ``gathered`` lists the papers that joined by their
    terms alone), ``venue`` (papers with nothing shared but where and when
    they appeared), ``front matter`` (a journal's own pages, see
    :mod:`kg.structure.front_matter`) or ``other`` (the papers of a map in
    none of its named clusters).
    """

    papers: list[str]
    basis: str = "links"
    gathered: list[str] = field(default_factory=list)
    id: str = ""
    label: str = ""
    terms: list[tuple[str, int]] = field(default_factory=list)
    authors: list[tuple[str, int]] = field(default_factory=list)
    keywords: list[tuple[str, int]] = field(default_factory=list)
    venue: str = ""
    years: tuple[int, int] | None = None


def communities(edges: Iterable[tuple[str, str, float]]) -> list[list[str]]:
    """Communities of the papers of ``edges`` (two papers and a weight each), largest first, each sorted.

    The Leiden algorithm maximising modularity (igraph's, in C), with a
    fixed seed: the same links always give the same communities. Leiden,
    unlike Louvain, never leaves a community in disconnected pieces, and
    igraph runs it in a fraction of a second at 25,000 papers where
    networkx's Louvain took seconds (docs/benchmarks.md).
    """
    import random

    import igraph

    edges = list(edges)
    names = sorted({paper for source, target, _ in edges for paper in (source, target)})
    if not names:
        return []
    index = {name: number for number, name in enumerate(names)}
    graph = igraph.Graph(
        n=len(names), edges=[(index[source], index[target]) for source, target, _ in edges]
    )
    igraph.set_random_number_generator(random.Random(7))
    try:
        found = graph.community_leiden(
            objective_function="modularity", weights=[weight for _, _, weight in edges]
        )
    finally:
        igraph.set_random_number_generator(random)
    membership = list(found.membership)
    # modularity cuts even a chain of four papers in two: a small connected group stays whole
    for component in graph.connected_components():
        if len(component) < WHOLE_BELOW:
            for node in component:
                membership[node] = -1 - component[0]
    members: dict[int, list[str]] = defaultdict(list)
    for number, community in enumerate(membership):
        members[community].append(names[number])
    return sorted(members.values(), key=lambda group: (-len(group), group[0]))


def gather(
    groups: list[list[str]],
    papers: Iterable[str],
    terms_of: Mapping[str, Iterable[str]],
    relevance: Mapping[str, float],
    venue_of: Mapping[str, str],
    year_of_paper: Mapping[str, int],
) -> tuple[list[Cluster], list[str]]:
    """Clusters from ``groups`` (communities) and every paper of ``papers``; and the papers left alone.

    Groups of :data:`SMALLEST_CLUSTER` papers or more are clusters. Every
    smaller group, and every paper in no group, is placed as one unit: in
    the cluster its terms vote for (see the module), else with the papers of
    the same venue and year, else of the same venue; a linked group that
    none of these places stays a cluster of its own. Returns the clusters,
    largest first, and the papers in none, sorted.
    """
    big = [Cluster(sorted(members)) for members in groups if len(members) >= SMALLEST_CLUSTER]
    in_group = {paper for members in groups for paper in members}
    units = [members for members in groups if len(members) < SMALLEST_CLUSTER]
    units += [[paper] for paper in sorted(set(papers) - in_group)]
    home = _term_homes(big, terms_of)
    leftovers: list[list[str]] = []
    for unit in units:
        votes: defaultdict[int, float] = defaultdict(float)  # cluster number -> relevance
        for paper in unit:
            for term in terms_of.get(paper, ()):
                if term in home:
                    votes[home[term]] += relevance.get(term, 0.0)
        if votes and max(votes.values()) > 0:
            best = min(votes, key=lambda number: (-votes[number], number))
            big[best].papers.extend(unit)
            big[best].gathered.extend(unit)
        else:
            leftovers.append(unit)
    clusters = big + _by_venue(leftovers, venue_of, year_of_paper)
    for cluster in clusters:
        cluster.papers.sort()
        cluster.gathered.sort()
    clusters.sort(key=lambda cluster: (-len(cluster.papers), cluster.papers[0]))
    placed = {paper for cluster in clusters for paper in cluster.papers}
    return clusters, sorted(set(papers) - placed)


def _term_homes(clusters: list[Cluster], terms_of: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """For each term on two papers or more of the clusters, the cluster holding most of them."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for number, cluster in enumerate(clusters):
        for paper in cluster.papers:
            for term in terms_of.get(paper, ()):
                counts[term][number] += 1
    homes = {}
    for term, where in counts.items():
        number, count = min(where.items(), key=lambda item: (-item[1], item[0]))
        if count >= 2:
            homes[term] = number
    return homes


def _by_venue(
    units: list[list[str]], venue_of: Mapping[str, str], year_of_paper: Mapping[str, int]
) -> list[Cluster]:
    """Units no term placed, gathered by venue and year, then by venue alone."""
    by_venue_year: dict[tuple[str, int], list[list[str]]] = defaultdict(list)
    linked_alone: list[Cluster] = []
    for unit in units:
        if len(unit) > 1:  # linked papers stay together, whatever their venues
            linked_alone.append(Cluster(list(unit)))
            continue
        venue = _venue_key(venue_of.get(unit[0], ""))
        if venue:
            by_venue_year[(venue, year_of_paper.get(unit[0], 9999))].append(unit)
    clusters = []
    single_by_venue: dict[str, list[str]] = defaultdict(list)
    for (venue, _year), found in sorted(by_venue_year.items()):
        members = [paper for unit in found for paper in unit]
        if len(members) > 1:
            clusters.append(Cluster(members, basis="venue"))
        else:
            single_by_venue[venue].extend(members)
    for _venue, members in sorted(single_by_venue.items()):
        if len(members) > 1:
            clusters.append(Cluster(members, basis="venue"))
    return linked_alone + clusters


def _venue_key(venue: str) -> str:
    return " ".join(venue.split()).casefold()


def name_clusters(
    clusters: list[Cluster],
    terms_of: Mapping[str, Iterable[str]],
    keywords_of: Mapping[str, Iterable[str]],
    authors_of: Mapping[str, Iterable[str]],
    graph,
) -> None:
    """Give each cluster its ``id``, ``label``, terms, authors, keywords, venue and years.

    ``terms_of`` holds each paper's terms, ``keywords_of`` its keywords and
    ``authors_of`` its linking authors (node ids). Clusters are numbered in
    their order (``cluster:1`` ...). A linked cluster's name is its
    :data:`TERMS_IN_NAME` most distinctive terms over its
    :data:`AUTHORS_IN_NAME` main authors (family names, on two papers or
    more); a venue cluster's is its venue and years. Names are made unique
    by adding the next distinctive term, then the years, then a number.
    """
    papers_total = sum(len(cluster.papers) for cluster in clusters) or 1
    frequency: Counter[str] = Counter()
    for cluster in clusters:
        for paper in cluster.papers:
            frequency.update(terms_of.get(paper, ()))
    spare: dict[int, list[str]] = {}
    for number, cluster in enumerate(clusters, start=1):
        cluster.id = f"cluster:{number}"
        _describe(cluster, terms_of, keywords_of, authors_of, graph)
        distinctive = _distinctive_terms(cluster, terms_of, frequency, papers_total)
        cluster.terms = distinctive[:LISTED]
        names = _plain_terms(distinctive)
        spare[number] = names[TERMS_IN_NAME:]
        cluster.label = _first_label(cluster, names[:TERMS_IN_NAME])
    _make_unique(clusters, spare)


#: The name of the cluster of papers in none of a large map's named clusters.
OTHER_PAPERS_LABEL = "Other papers: in no cluster of their own"


def set_apart_cluster(papers: Iterable[str], graph, *, basis: str, label: str) -> Cluster:
    """``papers`` as a cluster of their own, named ``label`` rather than by their terms.

    For what holds together by what it is, not by what it shares: a journal's
    own pages (``basis="front matter"``, named by
    :data:`kg.structure.front_matter.FRONT_MATTER_LABEL`) or the papers a map names no cluster for
    (``basis="other"``, :data:`OTHER_PAPERS_LABEL`). Its id is given where it
    takes its place among the others.
    """
    cluster = Cluster(sorted(papers), basis=basis)
    _describe(cluster, {}, {}, {}, graph)
    cluster.label = label
    return cluster


def _describe(cluster, terms_of, keywords_of, authors_of, graph) -> None:
    """Main authors, keywords, venue and years of ``cluster``."""
    authors: Counter[str] = Counter()
    keywords: Counter[str] = Counter()
    venues: Counter[str] = Counter()
    years = []
    for paper in cluster.papers:
        attrs = graph.nodes[paper]
        for author in authors_of.get(paper, ()):
            author_attrs = graph.nodes[author]
            authors[author_attrs.get("family") or author_attrs.get("label", author)] += 1
        keywords.update(keywords_of.get(paper, ()))
        if attrs.get("venue"):
            venues[" ".join(str(attrs["venue"]).split())] += 1
        year = year_of(attrs)
        if year != 9999:
            years.append(year)
    cluster.authors = _top(authors, LISTED)
    cluster.keywords = _top(keywords, LISTED)
    cluster.venue = _top(venues, 1)[0][0] if venues else ""
    cluster.years = (min(years), max(years)) if years else None


def _top(counts: Counter[str], number: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:number]


def _distinctive_terms(cluster, terms_of, frequency, papers_total) -> list[tuple[str, int]]:
    """Terms on two papers or more of ``cluster``, most distinctive first, with their counts.

    A term's score is its share of the cluster's papers times the log of how
    much more often it is found in the cluster than in all clustered papers
    (the term's contribution to the divergence of the cluster from the whole).
    """
    counts: Counter[str] = Counter()
    for paper in cluster.papers:
        counts.update(terms_of.get(paper, ()))
    size = len(cluster.papers)
    scored = []
    for term, count in counts.items():
        if count < 2:
            continue
        inside = count / size
        score = inside * math.log(inside / (frequency[term] / papers_total))
        if score > 0:
            scored.append((-score, term, count))
    scored.sort()
    return [(term, count) for _, term, count in scored[: 4 * LISTED]]


def _plain_terms(distinctive: list[tuple[str, int]]) -> list[str]:
    """The terms to name a cluster by, in order, without overlaps.

    A term gives way to a longer one that holds it and is on at least half
    as many papers ("free" to "free recall"); a term that shares a word with
    one already kept is left out ("recall" after "free recall").
    """
    kept: list[str] = []
    for term, count in distinctive:
        padded = f" {term} "
        longer = [
            (other_count, other)
            for other, other_count in distinctive
            if len(other) > len(term) and padded in f" {other} " and 2 * other_count >= count
        ]
        if longer:
            term = max(longer)[1]
        words = set(term.split())
        if not any(words & set(other.split()) for other in kept):
            kept.append(term)
    return kept


def _first_label(cluster: Cluster, terms: list[str]) -> str:
    """Terms over main authors; a venue cluster's venue and years; else the years."""
    years = _years_text(cluster)
    if cluster.basis == "venue":
        return f"{cluster.venue}, {years}" if years else cluster.venue
    people = [name for name, count in cluster.authors[:AUTHORS_IN_NAME] if count > 1]
    lines = [line for line in (", ".join(terms), " & ".join(people)) if line]
    if lines:
        return "\n".join(lines)
    return f"{cluster.venue}, {years}" if cluster.venue and years else years or "Papers"


def _years_text(cluster: Cluster) -> str:
    if cluster.years is None:
        return ""
    first, last = cluster.years
    return str(first) if first == last else f"{first}–{last}"


def _make_unique(clusters: list[Cluster], spare: dict[int, list[str]]) -> None:
    """Add to clashing names: the next distinctive term, then the years, then a number."""
    for step in ("term", "years", "number"):
        seen: defaultdict[str, list[int]] = defaultdict(list)
        for number, cluster in enumerate(clusters, start=1):
            seen[cluster.label].append(number)
        clashes = [numbers for numbers in seen.values() if len(numbers) > 1]
        if not clashes:
            return
        for numbers in clashes:
            for place, number in enumerate(numbers):
                cluster = clusters[number - 1]
                if step == "term" and spare[number]:
                    first, _, rest = cluster.label.partition("\n")
                    first = f"{first}, {spare[number][0]}" if first else spare[number][0]
                    cluster.label = f"{first}\n{rest}" if rest else first
                elif step == "years" and _years_text(cluster):
                    cluster.label = f"{cluster.label} ({_years_text(cluster)})"
                elif step == "number" and place:
                    cluster.label = f"{cluster.label} ({place + 1})"
