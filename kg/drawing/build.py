"""Graph -> :class:`~kg.drawing.model.Drawing`: what a map of a given size draws, where and how.

The decisions that change where nodes go are taken here, once, for the map
and the exports alike: from :data:`LARGE_MAP_FROM` nodes the authors of a
single paper are folded into it, past :data:`AUTHORS_SHOWN_UP_TO` authors they
start hidden and are set beside their papers after the layout, and a
bibliography alone then gets links between papers sharing authors, keywords
or terms, and named clusters (:mod:`kg.drawing.structure`, over
:mod:`kg.structure`). Where each node
goes is :mod:`kg.drawing.placement`; how it looks, :mod:`kg.drawing.styles`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.drawing.model import ClusterDrawing, Drawing, EdgeDrawing, NodeDrawing
from kg.drawing.placement import place_nodes
from kg.drawing.structure import (
    bibliography_structure,
    find_clusters,
    named_groups,
    with_other_papers,
)
from kg.drawing.styles import (
    KIND_STYLES,
    MARKER_SIZE,
    STRENGTH_DASHES,
    cluster_text_size,
    concept_text_size,
    display_label,
    edge_style,
    link_style,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

#: Past this many authors, author nodes start hidden (the map's checkbox shows them).
AUTHORS_SHOWN_UP_TO = 20
#: From this many nodes, text sizes shrink, nodes sit closer and single-paper authors fold.
LARGE_MAP_FROM = 1000


@dataclass(frozen=True)
class Plan:
    """What a map of a graph draws, decided before anything is placed (see :func:`plan_drawing`)."""

    #: Every node of the graph, sorted: the drawing's order.
    everything: list[str]
    large: bool
    #: Authors of a single paper folded into it (large maps only).
    folded: set[str]
    #: The nodes drawn as themselves (everything but the folded), in order, and their kinds.
    nodes: list[str]
    kinds: list[str]
    hide_authors: bool
    #: The papers a bibliography alone is linked and clustered by (None: no such structure).
    structure_papers: list[str] | None


def plan_drawing(graph: nx.DiGraph) -> Plan:
    """What the drawing of ``graph`` holds: folded and hidden authors, and whose structure it needs.

    Cheap; :func:`draw` takes it, and so can a caller that starts the
    structure early (:class:`kg.drawing.ahead.StructureAhead`).
    """
    everything = sorted(graph.nodes)
    large = len(everything) >= LARGE_MAP_FROM
    folded = _foldable_authors(graph, everything) if large else set()
    nodes = [node for node in everything if node not in folded]
    kinds = [graph.nodes[node].get("kind", "paper") for node in nodes]
    hide_authors = kinds.count("author") > AUTHORS_SHOWN_UP_TO
    bibliography_only = not ({"concept", "objective"} & set(kinds))
    papers = [node for node, kind in zip(nodes, kinds, strict=True) if kind == "paper"]
    return Plan(
        everything=everything,
        large=large,
        folded=folded,
        nodes=nodes,
        kinds=kinds,
        hide_authors=hide_authors,
        structure_papers=papers if bibliography_only and hide_authors else None,
    )


def draw(
    graph: nx.DiGraph,
    previous: dict[str, tuple[float, float]] | None = None,
    *,
    plan: Plan | None = None,
    structure: Callable[[], tuple[list[dict], list[list[str]], list]] | None = None,
) -> Drawing:
    """Return the drawing of ``graph`` (from :func:`kg.graph.build_graph`).

    ``previous`` holds the positions of a layout file (see
    :func:`kg.drawing.layout_file.read_layout`): nodes found there keep their
    place, except on a large map of clusters where it holds too few of them
    (the drawing is then ``laid_afresh``). Every node of the graph is drawn, the folded ones included (placed
    beside their paper), so that an export can draw them too. ``plan`` is
    :func:`plan_drawing` of ``graph`` when the caller has it; ``structure``,
    when given, returns the :func:`bibliography_structure` of the plan's
    papers (worked out ahead, see :mod:`kg.drawing.ahead`).
    """
    plan = plan or plan_drawing(graph)
    everything, large, folded, nodes = plan.everything, plan.large, plan.folded, plan.nodes
    hide_authors = plan.hide_authors
    edges = sorted(graph.edges(data=True), key=lambda edge: (edge[0], edge[1]))
    shared: list[dict] = []
    groups: list[list[str]] = []
    found: list = []
    if plan.structure_papers is not None:
        shared, groups, found = (
            structure()
            if structure is not None
            else bibliography_structure(graph, plan.structure_papers)
        )
    if large and groups and plan.structure_papers:
        groups, found = with_other_papers(graph, groups, found, plan.structure_papers)
    hubs = {f"cluster:{n}": members for n, members in enumerate(named_groups(groups), 1)}
    laid_afresh = bool(previous and large and hubs and not _keeps_most(previous, plan))
    positions = place_nodes(
        graph,
        nodes,
        [edge for edge in edges if edge[0] not in folded],
        large=large,
        authors_aside=hide_authors,
        shared=shared,
        hubs=hubs,
        previous=None if laid_afresh else previous,
    )
    drawn = {
        node: _node(graph, node, positions[node], large=large, hidden=hide_authors)
        for node in nodes
    }
    drawn.update(_folded(graph, folded, drawn, large=large))
    return Drawing(
        nodes={node: drawn[node] for node in everything},
        edges={(source, target): _edge(source, target, attrs) for source, target, attrs in edges},
        links=[_link(link) for link in shared],
        clusters=[_cluster(cluster) for cluster in find_clusters(graph, groups, positions, found)],
        large=large,
        laid_afresh=laid_afresh,
    )


#: A large map of clusters keeps a layout file's places only when it holds this share of
#: its papers; otherwise (a file of an older version of the map) it is laid out afresh.
KEEP_LAYOUT_FROM = 0.9


def _keeps_most(previous: dict[str, tuple[float, float]], plan: Plan) -> bool:
    """Whether ``previous`` places enough of the plan's papers to keep (:data:`KEEP_LAYOUT_FROM`).

    Placing a new paper among kept ones is a search of its own, fine for a
    few; thousands of them (a layout file written for an older version of
    the map) take seconds each and leave the clusters in pieces, where a
    fresh layout by cluster takes a second.
    """
    papers = plan.structure_papers or []
    kept = sum(1 for paper in papers if paper in previous)
    return kept >= KEEP_LAYOUT_FROM * len(papers)


def _node(graph, node: str, position, *, large: bool, hidden: bool) -> NodeDrawing:
    """One node the map draws, at ``position``; ``hidden`` when authors start hidden."""
    attrs = graph.nodes[node]
    kind = attrs.get("kind", "paper")
    if kind == "concept":
        size = concept_text_size(graph, node)
    else:
        size = _kind_size(kind, large)
    style = KIND_STYLES.get(kind, KIND_STYLES["paper"])
    return NodeDrawing(
        x=position[0],
        y=position[1],
        kind=kind,
        label=display_label(attrs),
        color=style["color"],
        border=style["border"],
        shape=style["shape"],
        size=size,
        hidden=hidden and kind == "author",
    )


def _kind_size(kind: str, large: bool) -> int:
    """A marker's radius, or for kinds drawn as labelled boxes their text size."""
    if kind in MARKER_SIZE:
        return MARKER_SIZE[kind]
    if kind in KIND_STYLES:
        return KIND_STYLES[kind]["text"] - (2 if large else 0)
    return 14


def _folded(graph, folded: set[str], drawn: dict[str, NodeDrawing], *, large: bool) -> dict:
    """The folded authors, each beside its paper the way the map shows hidden authors."""
    from kg.drawing.layout import place_satellites

    if not folded:
        return {}
    anchors = {node: sorted(graph.successors(node)) for node in folded}
    placed = place_satellites({node: (at.x, at.y) for node, at in drawn.items()}, anchors)
    result = {}
    for node in folded:
        attrs = graph.nodes[node]
        kind = attrs.get("kind", "author")
        style = KIND_STYLES.get(kind, KIND_STYLES["paper"])
        x, y = placed.get(node, (0, 0))
        result[node] = NodeDrawing(
            x=x,
            y=y,
            kind=kind,
            label=attrs.get("label", node),
            color=style["color"],
            border=style["border"],
            shape=style["shape"],
            size=_kind_size(kind, large),
            folded=True,
        )
    return result


def _edge(source: str, target: str, attrs: dict) -> EdgeDrawing:
    """One edge of the graph."""
    width, color, dashes = edge_style(attrs)
    strength = attrs.get("strength")
    return EdgeDrawing(
        source=source,
        target=target,
        relation=attrs.get("relation", ""),
        width=width,
        color=color,
        dashes=dashes,
        strength=strength if strength in STRENGTH_DASHES else None,
    )


def _link(link: dict) -> EdgeDrawing:
    """A link between two papers of a bibliography alone (see :func:`bibliography_structure`)."""
    width, color, dashes = link_style(len(link["authors"]))
    return EdgeDrawing(
        source=link["from"],
        target=link["to"],
        relation="coauthor" if link["authors"] else "keyword",
        width=width,
        color=color,
        dashes=dashes,
        authors=tuple(link["authors"]),
        keywords=tuple(link["keywords"]),
        terms=tuple(link.get("terms", ())),
    )


def _cluster(cluster: dict) -> ClusterDrawing:
    """A named cluster (see :func:`find_clusters`)."""
    x, y = cluster["position"]
    return ClusterDrawing(
        id=cluster["id"],
        label=cluster["label"],
        x=x,
        y=y,
        size=cluster_text_size(len(cluster["papers"])),
        papers=cluster["papers"],
        authors=cluster["authors"],
        keywords=cluster["keywords"],
        terms=cluster["terms"],
        basis=cluster["basis"],
    )


def _foldable_authors(graph, nodes) -> set[str]:
    """Authors of a single paper and nothing else: on a large map they live inside their paper.

    They add nothing to the map's structure (they connect no two papers), and
    drawing thousands of them makes panning slow. Their names stay in their
    paper's panel and in the search.
    """
    return {
        node
        for node in nodes
        if graph.nodes[node].get("kind") == "author"
        and graph.out_degree(node) == 1
        and graph.in_degree(node) == 0
    }
