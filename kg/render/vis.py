"""The map's bridge to vis-network: a drawing in vis-network's data shape, its options, hover text.

Where nodes stand and how they look is decided by :mod:`kg.drawing`; this
module only spells it the way vis-network reads it (nodes by group, edges with
``from``/``to``, colours as ``{"color": ..., "opacity": ...}``), and adds what
only the map shows: hover text and the relation phrased in words.
"""

from __future__ import annotations

import math
from typing import Any

from kg.drawing.model import ClusterDrawing, EdgeDrawing, NodeDrawing
from kg.drawing.styles import CLUSTER_STYLE, KIND_STYLES, MARKER_SIZE, WRAP_WIDTH, shorten

#: How an edge's hover text words each relation.
RELATION_PHRASES = {
    "wrote": "wrote",
    "discusses": "discusses",
    "covers": "covers",
    "supports": "supports",
    "related": "is related to",
    "illustrates": "illustrates",
    "quotes": "quotes",
}


def vis_node(node: str, drawn: NodeDrawing, attrs: dict) -> dict:
    """One vis-network node: its group (kind) styles it; concepts carry their own text size."""
    vis = {
        "id": node,
        "label": drawn.label,
        "group": drawn.kind,
        "x": drawn.x,
        "y": drawn.y,
        "title": tooltip(attrs),
    }
    if drawn.kind == "concept":
        vis["font"] = {"size": drawn.size}
    if drawn.hidden:
        vis["hidden"] = True
    return vis


def cluster_node(cluster: ClusterDrawing) -> dict:
    """A cluster's name as a vis-network text node."""
    return {
        "id": cluster.id,
        "label": cluster.label,
        "group": "cluster",
        "shape": "text",
        "x": cluster.x,
        "y": cluster.y,
        "font": {"size": cluster.size},
        "title": f"{cluster.label} ({len(cluster.papers)} papers)".replace("\n", ": "),
    }


#: Fill and outline of a closed cluster's disc: a light wash that papers replace when it opens.
CLOSED_CLUSTER_COLOR = {
    "background": "rgba(86, 180, 233, 0.16)",
    "border": "rgba(0, 114, 178, 0.45)",
    "highlight": {"background": "rgba(86, 180, 233, 0.3)", "border": "#0072B2"},
    "hover": {"background": "rgba(86, 180, 233, 0.26)", "border": "#0072B2"},
}
#: On the whole map a closed cluster's name is drawn at least this many pixels high.
LEGIBLE_CLUSTER_NAME = 13


def closed_cluster_node(cluster: ClusterDrawing, reach: float, *, legible_from: float) -> dict:
    """A closed cluster: a disc as wide as the place of its papers, its name in the middle.

    The disc's group (``clusterDisc``) draws it; its name is drawn large
    enough to be read at the scale ``legible_from`` (the whole map's). ``openSize`` is the name's size
    once the cluster opens (the page, clusters.js, then draws it as
    :func:`cluster_node` does).
    """
    radius = max(40, math.ceil(reach) + 16)  # the papers' markers inside the disc too
    # Legible at the whole map's scale even where wider than the disc: the page draws a
    # name only where it meets no other, shortened or on hover otherwise.
    size = max(cluster.size, math.ceil(LEGIBLE_CLUSTER_NAME / legible_from))
    return {
        "id": cluster.id,
        "label": cluster.label,
        "group": "clusterDisc",
        "x": cluster.x,
        "y": cluster.y,
        "size": radius,
        # A dot's name hangs below it: lift it into the middle of the disc.
        "font": {"size": size, "vadjust": -radius - size},
        "openSize": cluster.size,
        "title": f"{cluster.label} ({len(cluster.papers)} papers)".replace("\n", ": "),
    }


def tooltip(attrs: dict) -> str:
    """Plain-text hover text (vis-network shows strings with innerText, never as HTML)."""
    kind = attrs.get("kind", "paper")
    if kind == "paper":
        lines = [attrs.get("label", ""), attrs.get("title", "")]
    elif kind == "concept":
        lines = [attrs.get("label", ""), shorten(attrs.get("definition", ""), 160)]
    elif kind == "objective":
        lines = [
            f"Objective {attrs.get('label', '')} ({attrs.get('domain', '')})",
            attrs.get("text", ""),
        ]
    elif kind == "quote":
        lines = [shorten(attrs.get("text", ""), 200), attrs.get("speaker", "")]
    else:
        lines = [attrs.get("label", "")]
    return "\n".join(line for line in lines if line)


def vis_edge(edge_id: str, drawn: EdgeDrawing, graph) -> dict:
    """One vis-network edge of the graph, with its relation in words as hover text."""
    source, target = drawn.source, drawn.target
    attrs = graph.edges[source, target]
    relation = drawn.relation
    edge: dict[str, Any] = {"id": edge_id, "from": source, "to": target, "relation": relation}
    if drawn.strength:
        edge["strength"] = drawn.strength
    if drawn.dashes is not None:
        edge["dashes"] = drawn.dashes
    edge["width"] = drawn.width
    edge["color"] = {"color": drawn.color, "opacity": 1.0}
    source_label = graph.nodes[source].get("label", source)
    target_label = graph.nodes[target].get("label", target)
    phrase = RELATION_PHRASES.get(relation, relation)
    if relation == "related" and attrs.get("type"):
        phrase = attrs["type"].replace("-", " ")
    words = f"{source_label} {phrase} {target_label}"
    if attrs.get("strength"):
        words += f" ({attrs['strength']})"
    if attrs.get("reason"):
        words += f"\n{attrs['reason']}"
    edge["title"] = words
    return edge


def shared_edge(edge_id: str, link: EdgeDrawing) -> dict:
    """A link between two papers that share authors (solid) or only keywords or terms (dotted)."""
    words = []
    if link.authors:
        words.append("Shared authors: " + ", ".join(link.authors))
    if link.keywords:
        words.append("Shared keywords: " + ", ".join(link.keywords))
    if link.terms:
        words.append("Shared terms: " + ", ".join(link.terms))
    return {
        "id": edge_id,
        "from": link.source,
        "to": link.target,
        "relation": link.relation,
        "width": link.width,
        "dashes": link.dashes,
        "color": {"color": link.color, "opacity": 1.0},
        "title": "\n".join(words),
    }


def vis_options(*, large: bool, straight_edges: bool) -> dict:
    """vis-network options: frozen positions, one group per kind.

    ``large`` shrinks text and drops outlines (see :data:`kg.drawing.build.LARGE_MAP_FROM`);
    ``straight_edges`` draws edges straight, as curves cost too much on big maps.
    """
    groups = {}
    for kind, style in KIND_STYLES.items():
        size = style["text"] - (2 if large else 0)
        group: dict[str, Any] = {
            "shape": style["shape"],
            "color": {
                "background": style["color"],
                "border": style["border"],
                "highlight": {"background": style["color"], "border": "#000000"},
                "hover": {"background": style["color"], "border": "#000000"},
            },
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": size,
                "color": style["font"],
                "face": "system-ui, 'Segoe UI', Roboto, sans-serif",
            },
            "widthConstraint": {"maximum": WRAP_WIDTH[kind]},
        }
        if kind == "objective":
            group["font"].update({"bold": {"color": "#FFFFFF"}, "multi": False})
            group["margin"] = {"top": 10, "bottom": 10, "left": 12, "right": 12}
            group["shapeProperties"] = {"borderRadius": 6}
        elif kind == "concept":
            group["margin"] = {"top": 8, "bottom": 8, "left": 10, "right": 10}
        elif kind in MARKER_SIZE:
            group["size"] = MARKER_SIZE[kind]
            group["font"]["strokeWidth"] = 3
            group["font"]["strokeColor"] = "#FFFFFF"
        if kind in ("paper", "author", "quote"):
            # Labels too small to read give way (they fade out) and come back on zooming in.
            group["scaling"] = {"label": {"drawThreshold": 9, "maxVisible": 48}}
        if large and kind in ("paper", "author"):
            # Thousands of outlines cost more to draw than the fills: plain shapes pan faster.
            group["borderWidth"] = 0
        groups[kind] = group
    # No shape here: a group's shape would win over a node's, and a closed cluster is a disc.
    groups["cluster"] = {
        "font": {
            "size": CLUSTER_STYLE["text"],
            "color": CLUSTER_STYLE["font"],
            "face": "system-ui, 'Segoe UI', Roboto, sans-serif",
            "strokeWidth": 5,
            "strokeColor": "#FFFFFF",
            "multi": False,
        },
        "widthConstraint": {"maximum": 420},
    }
    groups["clusterDisc"] = {
        "shape": "dot",
        "color": CLOSED_CLUSTER_COLOR,
        "borderWidth": 1,
        "font": {**groups["cluster"]["font"], "multi": False},
        # A name too small to read is not drawn (it shows on hover and on zooming in).
        "scaling": {"label": {"drawThreshold": 9, "maxVisible": 30}},
    }
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "groups": groups,
        "nodes": {"shapeProperties": {"interpolation": False}},
        "edges": {
            "smooth": False
            if straight_edges
            else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "arrows": {"to": {"enabled": False}},
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": False,
            "zoomSpeed": 0.6,
        },
    }
