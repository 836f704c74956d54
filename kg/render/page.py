"""Graph -> the data the concept-map page shows.

The page receives one JSON document: the vis-network nodes, edges and options
(built through pyvis), and for every node the details its side panel lists.
Everything is computed here, in Python, once: positions, citation strings,
papers ranked by evidence strength. The page's script only displays it.

This module puts the document together and decides what a map of a given
size shows; how things are drawn is :mod:`kg.render.styles`, where they go
:mod:`kg.render.placement`, and what the side panel lists
:mod:`kg.render.panel`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from kg.model import NODE_KINDS, STRENGTHS
from kg.render.panel import panel_details, panel_ref
from kg.render.placement import place_nodes
from kg.render.structure import bibliography_structure, find_clusters, named_groups
from kg.render.styles import (
    CLUSTER_STYLE,
    KIND_STYLES,
    cluster_text_size,
    concept_text_size,
    display_label,
    shared_edge,
    tooltip,
    vis_edge,
    vis_options,
)
from kg.render.timeline import timeline

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

#: Past this many nodes edges are drawn straight (curves cost too much to draw).
STRAIGHT_EDGES_FROM = 400
#: Past this many authors, author nodes start hidden (the checkbox shows them).
AUTHORS_SHOWN_UP_TO = 20
#: Past this many nodes hovering only highlights edges, not the whole neighbourhood.
HOVER_DIMMING_UP_TO = 3000
#: Past this many nodes, text sizes shrink and nodes sit closer together.
LARGE_MAP_FROM = 1000

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
    papers without one show their fields instead. ``previous`` holds the
    positions of an earlier render (see :mod:`kg.render.layout_file`): nodes
    found there keep their place. The document's ``positions`` entry holds
    every node's position, for the layout file.
    """
    from pyvis.network import Network

    citations = citations or {}
    nodes = sorted(graph.nodes)
    large = len(nodes) >= LARGE_MAP_FROM
    collapsed = _collapsible_authors(graph, nodes) if large else set()
    if collapsed:
        nodes = [node for node in nodes if node not in collapsed]
    counts = dict.fromkeys(NODE_KINDS, 0)
    for node in nodes:
        kind = graph.nodes[node].get("kind", "paper")
        counts[kind] = counts.get(kind, 0) + 1
    hide_authors = counts.get("author", 0) > AUTHORS_SHOWN_UP_TO

    edges = sorted(
        (edge for edge in graph.edges(data=True) if edge[0] not in collapsed),
        key=lambda edge: (edge[0], edge[1]),
    )
    bibliography_only = not (counts.get("concept") or counts.get("objective"))
    shared, groups, found = (
        bibliography_structure(
            graph, [node for node in nodes if graph.nodes[node].get("kind") == "paper"]
        )
        if bibliography_only and hide_authors
        else ([], [], [])
    )
    positions = place_nodes(
        graph,
        nodes,
        edges,
        large=large,
        authors_aside=hide_authors,
        shared=shared,
        hubs={f"cluster:{n}": members for n, members in enumerate(named_groups(groups), 1)},
        previous=previous,
    )
    clusters = _clusters(graph, groups, positions, found)

    network = Network(directed=True, cdn_resources="remote")
    for node in nodes:
        attrs = graph.nodes[node]
        kind = attrs.get("kind", "paper")
        x, y = positions[node]
        vis_node = {
            "id": node,
            "label": display_label(attrs),
            "group": kind,
            "x": x,
            "y": y,
            "title": tooltip(attrs),
        }
        if kind == "concept":
            vis_node["font"] = {"size": concept_text_size(graph, node)}
        if kind == "author" and hide_authors:
            vis_node["hidden"] = True
        network.nodes.append(vis_node)
        network.node_ids.append(node)
        network.node_map[node] = vis_node
    for number, (source, target, attrs) in enumerate(edges):
        network.edges.append(vis_edge(f"e{number}", source, target, attrs, graph))
    for number, link in enumerate(shared):
        network.edges.append(shared_edge(f"s{number}", link))
    for cluster in clusters:
        network.nodes.append(cluster["node"])
        network.node_ids.append(cluster["node"]["id"])
        network.node_map[cluster["node"]["id"]] = cluster["node"]
    network.options = vis_options(large=large, straight_edges=len(nodes) >= STRAIGHT_EDGES_FROM)
    vis_nodes, vis_edges, _heading, _height, _width, options_json = network.get_network_data()
    details = {node: panel_details(graph, node, citations, collapsed) for node in nodes}
    for cluster in clusters:
        details[cluster["node"]["id"]] = cluster["details"]
    kinds = [
        {
            "kind": kind,
            "singular": KIND_NAMES[kind][0],
            "plural": KIND_NAMES[kind][1],
            "count": counts.get(kind, 0),
            "hidden": kind == "author" and hide_authors,
            "inside": len(collapsed) if kind == "author" else 0,
            **{key: KIND_STYLES[kind][key] for key in ("shape", "color", "border")},
        }
        for kind in NODE_KINDS
    ]
    if clusters:
        kinds.append(
            {
                "kind": "cluster",
                "singular": "Cluster",
                "plural": "Cluster names",
                "count": len(clusters),
                "hidden": False,
                "inside": 0,
                **{key: CLUSTER_STYLE[key] for key in ("shape", "color", "border")},
            }
        )
    return {
        "title": title,
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": json.loads(options_json),
        "kinds": kinds,
        "strengths": list(STRENGTHS),
        "objectives": [node for node in nodes if graph.nodes[node].get("kind") == "objective"],
        "details": details,
        "settings": {
            "hoverDimming": len(nodes) <= HOVER_DIMMING_UP_TO,
            "large": large,
            "sharedLinks": len(shared),
        },
        "timeline": timeline(graph, nodes, clusters),
        "positions": {node: list(positions[node]) for node in nodes},
    }


def graph_positions(graph, previous: dict | None = None) -> dict[str, tuple[int, int]]:
    """The map's positions for every node of ``graph`` (from :func:`kg.graph.build_graph`).

    The same as the rendered map shows (authors of a single paper folded on
    large maps are left out); ``previous`` holds earlier positions to keep
    (a layout file's, see :mod:`kg.render.layout_file`).
    """
    return {
        node: tuple(xy)
        for node, xy in page_data(graph, title="", previous=previous)["positions"].items()
    }


def _clusters(graph, groups: list[list[str]], positions: dict, found: list) -> list[dict]:
    """Named clusters as vis-network text nodes, with what their panel lists."""
    clusters = []
    for cluster in find_clusters(graph, groups, positions, found):
        x, y = cluster["position"]
        size = cluster_text_size(len(cluster["papers"]))
        node = {
            "id": cluster["id"],
            "label": cluster["label"],
            "group": "cluster",
            "x": x,
            "y": y,
            "font": {"size": size},
            "title": f"{cluster['label']} ({len(cluster['papers'])} papers)".replace("\n", ": "),
        }
        details = {
            "kind": "cluster",
            "label": cluster["label"].replace("\n", ": "),
            "text": _cluster_text(cluster),
            "authors": [f"{name} ({count})" for name, count in cluster["authors"]],
            "keywords": [f"{word} ({count})" for word, count in cluster["keywords"]],
            "papers": sorted(
                (panel_ref(graph, paper) for paper in cluster["papers"]),
                key=lambda ref: (ref["label"].lower(), ref["id"]),
            ),
        }
        clusters.append({"node": node, "details": details, "papers": cluster["papers"]})
    return clusters


def _cluster_text(cluster: dict) -> str:
    """What holds a cluster together, in a sentence for its panel."""
    count = len(cluster["papers"])
    if cluster["basis"] == "venue":
        return f"{count} papers that share no author or term with others, gathered by where they appeared"
    text = f"{count} papers linked by shared authors, keywords and terms"
    if cluster["terms"]:
        text += "; distinctive terms: " + ", ".join(f"{t} ({n})" for t, n in cluster["terms"])
    return text


def _collapsible_authors(graph, nodes) -> set[str]:
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
