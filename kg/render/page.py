"""Graph -> the data the concept-map page shows.

The page receives one JSON document: the vis-network nodes, edges and options
(in vis-network's data shape), and for every node the details its side panel lists.
Everything is computed here, in Python, once: positions, citation strings,
papers ranked by evidence strength. The page's script only displays it.

This module puts the document together from the graph's drawing
(:mod:`kg.drawing`: where nodes go and how they look, what a map of a given
size shows), spelled for vis-network by :mod:`kg.render.vis`; what the side
panel lists is :mod:`kg.render.panel`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.drawing.styles import CLUSTER_STYLE, KIND_STYLES
from kg.model import NODE_KINDS, STRENGTHS
from kg.render.panel import panel_details, panel_ref
from kg.render.timeline import timeline
from kg.render.vis import cluster_node, shared_edge, vis_edge, vis_node, vis_options

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from kg.drawing.model import ClusterDrawing, Drawing

#: Past this many nodes edges are drawn straight (curves cost too much to draw).
STRAIGHT_EDGES_FROM = 400
#: Past this many nodes hovering only highlights edges, not the whole neighbourhood.
HOVER_DIMMING_UP_TO = 3000

#: What the legend calls each kind, one and many.
KIND_NAMES = {
    "objective": ("Learning objective", "Learning objectives"),
    "concept": ("Concept", "Concepts"),
    "paper": ("Paper", "Papers"),
    "quote": ("Quote", "Quotes"),
    "author": ("Author", "Authors"),
}


def page_data(
    graph: nx.DiGraph,
    *,
    title: str,
    citations: dict[str, str] | None = None,
    previous: dict[str, tuple[float, float]] | None = None,
) -> dict:
    """Return the JSON-ready document the page template embeds.

    ``citations`` maps citation keys to formatted (plain text) references;
    papers without one show their fields instead. The map shows the graph's
    drawing (:func:`kg.drawing.draw`), keeping the places in ``previous``
    (a layout file's positions). The document's ``positions`` entry holds
    every drawn node's position, for the layout file.
    """
    from kg.drawing import draw

    citations = citations or {}
    drawing = draw(graph, previous)
    nodes = [node for node, drawn in drawing.nodes.items() if not drawn.folded]
    folded = {node for node, drawn in drawing.nodes.items() if drawn.folded}
    clusters = [_cluster(graph, cluster) for cluster in drawing.clusters]
    details = {node: panel_details(graph, node, citations, folded) for node in nodes}
    for cluster in clusters:
        details[cluster["node"]["id"]] = cluster["details"]
    return {
        "title": title,
        **_network(graph, drawing, nodes, clusters),
        "kinds": _legend(drawing, nodes, len(folded)),
        "strengths": list(STRENGTHS),
        "objectives": [node for node in nodes if drawing.nodes[node].kind == "objective"],
        "details": details,
        "settings": {
            "hoverDimming": len(nodes) <= HOVER_DIMMING_UP_TO,
            "large": drawing.large,
            "sharedLinks": len(drawing.links),
        },
        "timeline": timeline(graph, nodes, clusters),
        "positions": {node: list(xy) for node, xy in drawing.positions.items()},
    }


def _network(graph, drawing: Drawing, nodes: list[str], clusters: list[dict]) -> dict:
    """The vis-network nodes, edges and options of the map."""
    vis_nodes = [vis_node(node, drawing.nodes[node], graph.nodes[node]) for node in nodes]
    vis_nodes += [cluster["node"] for cluster in clusters]
    shown = [edge for edge in drawing.edges.values() if not drawing.nodes[edge.source].folded]
    vis_edges = [vis_edge(f"e{number}", edge, graph) for number, edge in enumerate(shown)]
    vis_edges += [shared_edge(f"s{number}", link) for number, link in enumerate(drawing.links)]
    options = vis_options(large=drawing.large, straight_edges=len(nodes) >= STRAIGHT_EDGES_FROM)
    return {"nodes": vis_nodes, "edges": vis_edges, "options": options}


def _legend(drawing: Drawing, nodes: list[str], folded: int) -> list[dict]:
    """The legend: every kind with its names, count, shape and colours, and cluster names."""
    counts = dict.fromkeys(NODE_KINDS, 0)
    for node in nodes:
        counts[drawing.nodes[node].kind] = counts.get(drawing.nodes[node].kind, 0) + 1
    hidden = any(drawing.nodes[node].hidden for node in nodes)
    kinds = [
        {
            "kind": kind,
            "singular": KIND_NAMES[kind][0],
            "plural": KIND_NAMES[kind][1],
            "count": counts.get(kind, 0),
            "hidden": kind == "author" and hidden,
            "inside": folded if kind == "author" else 0,
            **{key: KIND_STYLES[kind][key] for key in ("shape", "color", "border")},
        }
        for kind in NODE_KINDS
    ]
    if drawing.clusters:
        kinds.append(
            {
                "kind": "cluster",
                "singular": "Cluster",
                "plural": "Cluster names",
                "count": len(drawing.clusters),
                "hidden": False,
                "inside": 0,
                **{key: CLUSTER_STYLE[key] for key in ("shape", "color", "border")},
            }
        )
    return kinds


def _cluster(graph, cluster: ClusterDrawing) -> dict:
    """A named cluster: its vis-network text node, what its panel lists, and its papers."""
    details = {
        "kind": "cluster",
        "label": cluster.label.replace("\n", ": "),
        "text": f"{len(cluster.papers)} papers linked by shared authors"
        + (" and keywords" if cluster.keywords else ""),
        "authors": [f"{name} ({count})" for name, count in cluster.authors],
        "keywords": [f"{word} ({count})" for word, count in cluster.keywords],
        "papers": sorted(
            (panel_ref(graph, paper) for paper in cluster.papers),
            key=lambda ref: (ref["label"].lower(), ref["id"]),
        ),
    }
    return {"node": cluster_node(cluster), "details": details, "papers": cluster.papers}
