"""The structure of a bibliography alone: papers linked by shared authors and keywords.

A reference list without a concepts file has no concepts to hang papers on,
but it is not flat: the same people write together and the same keywords
recur. This module links papers through both, so the layout draws them in
clusters, and names each cluster by its main authors (or keyword)::

    links = shared_links(graph, papers)
    groups = communities(links)  # weakens links between communities
    positions = ...  # lay out the papers with the links
    clusters = find_clusters(graph, groups, positions)

Every author (or keyword) links its papers as a chain, in order of year, not
as a clique: a prolific author with 300 papers adds 299 links, not 44,850,
and the chain still holds the papers together in the layout.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

#: A keyword on more than this share of the papers says nothing about any one of them.
COMMON_KEYWORD_SHARE = 0.2
#: Clusters with fewer papers than this get no name on the map.
NAMED_CLUSTER_FROM = 4
#: At most this many clusters are named (the largest first).
NAMED_CLUSTERS_UP_TO = 60
#: How hard a shared author, and a shared keyword, pull two papers together.
AUTHOR_PULL = 1.0
KEYWORD_PULL = 0.35
#: Links between two clusters pull this much of their strength, so clusters stay apart.
BETWEEN_CLUSTERS_PULL = 0.15

_KEYWORD_SPLIT = re.compile(r"[;,]")


def _year(attrs: dict) -> int:
    """The first four-digit year in a paper's year field, or a large number when there is none."""
    match = re.search(r"\d{4}", str(attrs.get("year", "")))
    return int(match.group()) if match else 9999


def paper_keywords(attrs: dict) -> list[str]:
    """The keywords of a paper, folded to lower case, in their order, without repeats."""
    seen: dict[str, None] = {}
    for part in _KEYWORD_SPLIT.split(str(attrs.get("keywords", "") or "")):
        word = " ".join(part.split()).lower()
        if word:
            seen.setdefault(word, None)
    return list(seen)


def shared_links(graph, papers: list[str]) -> list[dict]:
    """Links between papers that share an author or a keyword.

    Returns one dict per linked pair, sorted: ``from`` and ``to`` (paper node
    ids), ``authors`` and ``keywords`` (what the two share, as labels), and
    ``pull`` (how hard the layout draws them together). Keywords carried by
    more than :data:`COMMON_KEYWORD_SHARE` of the papers are left out.
    """
    paper_set = set(papers)
    order = {paper: (_year(graph.nodes[paper]), paper) for paper in papers}
    groups: list[tuple[str, str, list[str]]] = []
    for author in sorted(node for node in graph if graph.nodes[node].get("kind") == "author"):
        written = sorted(
            (target for _, target in graph.out_edges(author) if target in paper_set),
            key=order.__getitem__,
        )
        if len(written) > 1:
            groups.append(("authors", graph.nodes[author].get("label", author), written))
    by_keyword: dict[str, list[str]] = {}
    for paper in papers:
        for word in paper_keywords(graph.nodes[paper]):
            by_keyword.setdefault(word, []).append(paper)
    common = max(5, COMMON_KEYWORD_SHARE * len(papers))
    for word in sorted(by_keyword):
        tagged = sorted(by_keyword[word], key=order.__getitem__)
        if 1 < len(tagged) <= common:
            groups.append(("keywords", word, tagged))
    pairs: dict[tuple[str, str], dict] = {}
    for what, label, chain in groups:
        for first, second in itertools.pairwise(chain):
            key = (first, second) if first < second else (second, first)
            link = pairs.setdefault(
                key, {"from": key[0], "to": key[1], "authors": [], "keywords": []}
            )
            link[what].append(label)
    links = []
    for key in sorted(pairs):
        link = pairs[key]
        link["pull"] = min(
            2.0, AUTHOR_PULL * len(link["authors"]) + KEYWORD_PULL * len(link["keywords"])
        )
        links.append(link)
    return links


def communities(links: list[dict]) -> list[list[str]]:
    """Communities of linked papers (Louvain, fixed seed), largest first, each sorted.

    Links between two communities are weakened in place (their ``pull`` drops
    to :data:`BETWEEN_CLUSTERS_PULL` of itself), so the layout draws each
    community as a compact cluster.
    """
    import networkx as nx

    linked = nx.Graph()
    for link in links:
        linked.add_edge(link["from"], link["to"], weight=link["pull"])
    if not linked:
        return []
    found = nx.community.louvain_communities(linked, weight="weight", seed=7)
    groups = sorted((sorted(members) for members in found), key=lambda m: (-len(m), m[0]))
    member_of = {paper: number for number, members in enumerate(groups) for paper in members}
    for link in links:
        if member_of[link["from"]] != member_of[link["to"]]:
            link["pull"] *= BETWEEN_CLUSTERS_PULL
    return groups


def named_groups(groups: list[list[str]]) -> list[list[str]]:
    """The communities that get a name on the map, largest first; the n-th is ``cluster:n``."""
    return [members for members in groups if len(members) >= NAMED_CLUSTER_FROM][
        :NAMED_CLUSTERS_UP_TO
    ]


def find_clusters(graph, groups: list[list[str]], positions: dict) -> list[dict]:
    """Name the communities of :func:`communities` and place each name amid its papers.

    Each cluster is a dict: ``id`` (``cluster:N``), ``papers`` (sorted),
    ``label`` (its two main authors' family names, and its main keyword when one stands
    out), ``authors`` and ``keywords`` (the most frequent, with counts) and
    ``position`` (the middle of its papers). Only clusters of at least
    :data:`NAMED_CLUSTER_FROM` papers are named, at most
    :data:`NAMED_CLUSTERS_UP_TO`, largest first.
    """
    groups = named_groups(groups)
    clusters = []
    for number, members in enumerate(groups, start=1):
        authors: Counter[str] = Counter()
        keywords: Counter[str] = Counter()
        for paper in members:
            for author, _ in graph.in_edges(paper):
                attrs = graph.nodes[author]
                if attrs.get("kind") == "author":
                    authors[attrs.get("family") or attrs.get("label", author)] += 1
            keywords.update(paper_keywords(graph.nodes[paper]))
        main_authors = sorted(authors.items(), key=lambda item: (-item[1], item[0]))[:2]
        main_keywords = sorted(keywords.items(), key=lambda item: (-item[1], item[0]))[:3]
        names = [name for name, count in main_authors if count > 1]
        label = " & ".join(names)
        if main_keywords and main_keywords[0][1] >= max(2, 0.3 * len(members)):
            label = f"{label}\n{main_keywords[0][0]}" if label else main_keywords[0][0]
        label = label or f"Cluster {number}"
        xs = [positions[paper][0] for paper in members]
        ys = [positions[paper][1] for paper in members]
        if f"cluster:{number}" in positions:  # the layout placed the name amid its papers
            xs, ys = [positions[f"cluster:{number}"][0]], [positions[f"cluster:{number}"][1]]
        clusters.append(
            {
                "id": f"cluster:{number}",
                "papers": members,
                "label": label,
                "authors": main_authors,
                "keywords": main_keywords,
                "position": (
                    round(sum(xs) / len(xs)),
                    round(sum(ys) / len(ys)),
                ),
            }
        )
    return clusters
