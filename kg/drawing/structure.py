"""The drawing's use of a bibliography's structure (found by :mod:`kg.structure`).

This module only adapts :func:`kg.structure.analyse` to what the layout and
the drawing take: links as dicts with a ``pull``, the clusters as lists of
papers (the hubs the layout gathers them round), and each named cluster as a
dict with its label and the middle of its papers::

    shared, groups, found = bibliography_structure(graph, papers)
    positions = ...  # lay out the papers with the links, round the groups' hubs
    clusters = find_clusters(graph, groups, positions, found)

Links between two clusters pull only :data:`BETWEEN_CLUSTERS_PULL` of their
strength, so the layout draws each cluster compactly.
"""

from __future__ import annotations

from kg.structure import Cluster, analyse
from kg.structure.links import paper_keywords

__all__ = [
    "BETWEEN_CLUSTERS_PULL",
    "NAMED_CLUSTERS_UP_TO",
    "NAMED_CLUSTER_FROM",
    "bibliography_structure",
    "communities",
    "find_clusters",
    "named_groups",
    "paper_keywords",
    "shared_links",
    "with_other_papers",
]

#: Clusters with fewer papers than this get no name on the map.
NAMED_CLUSTER_FROM = 4
#: At most this many clusters are named (the largest first).
NAMED_CLUSTERS_UP_TO = 60
#: Links between two clusters pull this much of their strength, so clusters stay apart.
BETWEEN_CLUSTERS_PULL = 0.15


def bibliography_structure(
    graph, papers: list[str]
) -> tuple[list[dict], list[list[str]], list[Cluster]]:
    """The links (as dicts), the clusters' papers and the clusters of ``papers``, for the layout."""
    structure = analyse(graph, papers)
    groups = [cluster.papers for cluster in structure.clusters]
    member_of = {paper: number for number, members in enumerate(groups) for paper in members}
    # a term shared across two clusters is what the clusters are told apart by, not a tie:
    # drawn, such links would tangle the clusters into one ball
    links = [
        link.as_dict()
        for link in structure.links
        if link.authors or link.keywords or member_of.get(link.source) == member_of.get(link.target)
    ]
    _weaken_between(links, groups)
    return links, groups, structure.clusters


def shared_links(graph, papers: list[str]) -> list[dict]:
    """Links between papers that share an author, a keyword or a term, as dicts, sorted.

    Each has ``from`` and ``to`` (paper node ids), ``authors``, ``keywords``
    and ``terms`` (what the two share) and ``pull``.
    """
    return [link.as_dict() for link in analyse(graph, papers).links]


def communities(links: list[dict]) -> list[list[str]]:
    """Communities of linked papers, largest first, each sorted; between them links weaken.

    The links' ``pull`` drops to :data:`BETWEEN_CLUSTERS_PULL` of itself
    between two communities (in place).
    """
    from kg.structure.clusters import communities as found

    groups = found((link["from"], link["to"], link["pull"]) for link in links)
    _weaken_between(links, groups)
    return groups


def _weaken_between(links: list[dict], groups: list[list[str]]) -> None:
    member_of = {paper: number for number, members in enumerate(groups) for paper in members}
    for link in links:
        if member_of.get(link["from"]) != member_of.get(link["to"]):
            link["pull"] *= BETWEEN_CLUSTERS_PULL


def named_groups(groups: list[list[str]]) -> list[list[str]]:
    """The clusters that get a name on the map, largest first; the n-th is ``cluster:n``."""
    return [members for members in groups if len(members) >= NAMED_CLUSTER_FROM][
        :NAMED_CLUSTERS_UP_TO
    ]


def with_other_papers(
    graph, groups: list[list[str]], found: list[Cluster], papers: list[str]
) -> tuple[list[list[str]], list[Cluster]]:
    """``groups`` and ``found`` as a large map names them, the papers of no named one gathered.

    A large map opens as its named clusters (at most :data:`NAMED_CLUSTERS_UP_TO`);
    the papers in none (linked to nothing, or in groups too small or too many
    to name) would be drawn loose among the discs, unnamed. They become the
    last cluster, "Other papers" (when there are :data:`NAMED_CLUSTER_FROM` or more).
    """
    from kg.structure.clusters import OTHER_PAPERS_LABEL, set_apart_cluster

    named = named_groups(groups)[: NAMED_CLUSTERS_UP_TO - 1]
    inside = {paper for members in named for paper in members}
    leftover = [paper for paper in papers if paper not in inside]
    if len(leftover) < NAMED_CLUSTER_FROM:
        return groups, found
    other = set_apart_cluster(leftover, graph, basis="other", label=OTHER_PAPERS_LABEL)
    return [*named, other.papers], [*found, other]


def find_clusters(
    graph, groups: list[list[str]], positions: dict, found: list[Cluster] | None = None
) -> list[dict]:
    """The named clusters as the page shows them, each name placed amid its papers.

    ``found`` are the clusters :func:`bibliography_structure` returned with
    ``groups``; without them the groups are named afresh. Each is a dict:
    ``id`` (``cluster:N``), ``papers`` (sorted), ``label``, ``authors``,
    ``keywords`` and ``terms`` (the most frequent or distinctive, with
    counts), ``basis`` and ``position`` (where the layout put the name, or the
    middle of its papers).
    """
    named = named_groups(groups)
    if found is None:
        found = _name_groups(graph, named)
    by_papers = {tuple(cluster.papers): cluster for cluster in found}
    clusters = []
    for number, members in enumerate(named, start=1):
        cluster = by_papers[tuple(members)]
        xs = [positions[paper][0] for paper in members]
        ys = [positions[paper][1] for paper in members]
        if f"cluster:{number}" in positions:  # the layout placed the name amid its papers
            xs, ys = [positions[f"cluster:{number}"][0]], [positions[f"cluster:{number}"][1]]
        clusters.append(
            {
                "id": f"cluster:{number}",
                "papers": members,
                "label": cluster.label,
                "authors": cluster.authors[:2],
                "keywords": cluster.keywords[:3],
                "terms": cluster.terms,
                "basis": cluster.basis,
                "position": (round(sum(xs) / len(xs)), round(sum(ys) / len(ys))),
            }
        )
    return clusters


def _name_groups(graph, groups: list[list[str]]) -> list[Cluster]:
    """Name ``groups`` found some other way, as :func:`kg.structure.analyse` names its clusters."""
    from kg.structure import describe_groups

    return describe_groups(graph, groups)
