"""How the map draws things: colours, shapes and text sizes per kind, edges, vis-network options.

The palette is Okabe and Ito's, safe for the common colour-vision
deficiencies, and every kind also has its own shape, so that colour is never
the only cue. Other outputs (exports, printed figures) take the palette from
:func:`kind_palette` to look like the map.
"""

from __future__ import annotations

import math
from typing import Any, TypedDict


class KindStyle(TypedDict):
    """How one kind of node is drawn: vis-network shape, fill, border and text colours, text size."""

    shape: str
    color: str
    border: str
    font: str
    text: int


#: Okabe-Ito colours (safe for the common colour-vision deficiencies), one per kind,
#: and a distinct shape per kind so that colour is never the only cue.
KIND_STYLES: dict[str, KindStyle] = {
    "objective": {
        "shape": "box",
        "color": "#D55E00",
        "border": "#8F3F00",
        "font": "#FFFFFF",
        "text": 20,
    },
    "concept": {
        "shape": "ellipse",
        "color": "#56B4E9",
        "border": "#0072B2",
        "font": "#0B2233",
        "text": 18,
    },
    "paper": {
        "shape": "dot",
        "color": "#009E73",
        "border": "#00684B",
        "font": "#1F2A24",
        "text": 18,
    },
    "quote": {
        "shape": "diamond",
        "color": "#F0E442",
        "border": "#8A7E00",
        "font": "#2B2700",
        "text": 14,
    },
    "author": {
        "shape": "triangle",
        "color": "#CC79A7",
        "border": "#8E4571",
        "font": "#4A2A3C",
        "text": 13,
    },
}

#: Cluster names on a bibliography-only map: plain text, no marker.
CLUSTER_STYLE: KindStyle = {
    "shape": "text",
    "color": "#3A3A3A",
    "border": "#3A3A3A",
    "font": "#2B2B2B",
    "text": 26,
}
#: Links between papers of a bibliography alone: shared authors solid, shared keywords dotted.
SHARED_AUTHOR_COLOUR = "#8C8C8C"
SHARED_KEYWORD_COLOUR = "#B08A00"


#: How an edge is drawn for each evidence strength: supported solid, weak dashed, inferred dotted.
STRENGTH_DASHES = {"supported": False, "weak": [10, 6], "inferred": [2, 5]}
STRENGTH_WIDTH = {"supported": 3.0, "weak": 2.0, "inferred": 1.6}


EDGE_COLOURS = {
    "wrote": "#B9B9B9",
    "related": "#0072B2",
    "illustrates": "#9A8C00",
    "quotes": "#9A8C00",
}
EVIDENCE_COLOUR = "#6B6B6B"

RELATION_PHRASES = {
    "wrote": "wrote",
    "discusses": "discusses",
    "covers": "covers",
    "supports": "supports",
    "related": "is related to",
    "illustrates": "illustrates",
    "quotes": "quotes",
}

#: Width at which long labels wrap, per kind (pixels).
WRAP_WIDTH = {"objective": 210, "concept": 190, "quote": 180, "paper": 170, "author": 140}


def kind_palette() -> dict[str, dict[str, str]]:
    """The map's colours and shapes by node kind: ``fill``, ``border``, ``text`` and ``shape``.

    Other outputs (exports, printed figures) use this to look like the map.
    """
    return {
        kind: {
            "fill": style["color"],
            "border": style["border"],
            "text": style["font"],
            "shape": style["shape"],
        }
        for kind, style in KIND_STYLES.items()
    }


def cluster_text_size(papers: int) -> int:
    """Text size of a cluster's name: larger clusters get larger names."""
    return CLUSTER_STYLE["text"] + min(22, round(2 * math.sqrt(papers)))


def display_label(attrs: dict) -> str:
    """The text drawn on the node; an objective shows its id and its words."""
    if attrs.get("kind") == "objective":
        text = attrs.get("text", "")
        return f"{attrs.get('label', '')}  {_shorten(text, 70)}" if text else attrs.get("label", "")
    return attrs.get("label", "")


def _shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary, adding an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def concept_text_size(graph, node: str) -> int:
    """Concepts with more links get larger text, so the central ideas stand out."""
    base = KIND_STYLES["concept"]["text"]
    if graph.nodes[node].get("kind") != "concept":
        return base
    return base + min(8, graph.degree(node) // 2)


def tooltip(attrs: dict) -> str:
    """Plain-text hover text (vis-network shows strings with innerText, never as HTML)."""
    kind = attrs.get("kind", "paper")
    if kind == "paper":
        lines = [attrs.get("label", ""), attrs.get("title", "")]
    elif kind == "concept":
        lines = [attrs.get("label", ""), _shorten(attrs.get("definition", ""), 160)]
    elif kind == "objective":
        lines = [
            f"Objective {attrs.get('label', '')} ({attrs.get('domain', '')})",
            attrs.get("text", ""),
        ]
    elif kind == "quote":
        lines = [_shorten(attrs.get("text", ""), 200), attrs.get("speaker", "")]
    else:
        lines = [attrs.get("label", "")]
    return "\n".join(line for line in lines if line)


def vis_edge(edge_id: str, source: str, target: str, attrs: dict, graph) -> dict:
    """One vis-network edge: colour by relation, dash and width by evidence strength."""
    relation = attrs.get("relation", "")
    strength = attrs.get("strength")
    edge = {"id": edge_id, "from": source, "to": target, "relation": relation}
    if strength in STRENGTH_DASHES:
        edge["strength"] = strength
        edge["dashes"] = STRENGTH_DASHES[strength]
        edge["width"] = STRENGTH_WIDTH[strength]
    else:
        edge["width"] = 1.0 if relation == "wrote" else 1.8
        if relation == "related":
            edge["dashes"] = False
    edge["color"] = {"color": EDGE_COLOURS.get(relation, EVIDENCE_COLOUR), "opacity": 1.0}
    source_label = graph.nodes[source].get("label", source)
    target_label = graph.nodes[target].get("label", target)
    phrase = RELATION_PHRASES.get(relation, relation)
    if relation == "related" and attrs.get("type"):
        phrase = attrs["type"].replace("-", " ")
    words = f"{source_label} {phrase} {target_label}"
    if strength:
        words += f" ({strength})"
    if attrs.get("reason"):
        words += f"\n{attrs['reason']}"
    edge["title"] = words
    return edge


def vis_options(*, large: bool, straight_edges: bool) -> dict:
    """vis-network options: frozen positions, one group per kind.

    ``large`` shrinks text and drops outlines (see :data:`kg.render.page.LARGE_MAP_FROM`);
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
        elif kind == "paper":
            group["size"] = 10
            group["font"]["strokeWidth"] = 3
            group["font"]["strokeColor"] = "#FFFFFF"
        elif kind == "quote":
            group["size"] = 12
            group["font"]["strokeWidth"] = 3
            group["font"]["strokeColor"] = "#FFFFFF"
        elif kind == "author":
            group["size"] = 8
            group["font"]["strokeWidth"] = 3
            group["font"]["strokeColor"] = "#FFFFFF"
        if kind in ("paper", "author", "quote"):
            # Labels too small to read give way (they fade out) and come back on zooming in.
            group["scaling"] = {"label": {"drawThreshold": 9, "maxVisible": 48}}
        if large and kind in ("paper", "author"):
            # Thousands of outlines cost more to draw than the fills: plain shapes pan faster.
            group["borderWidth"] = 0
        groups[kind] = group
    groups["cluster"] = {
        "shape": "text",
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


def shared_edge(edge_id: str, link: dict) -> dict:
    """A link between two papers that share authors (solid) or only keywords (dotted)."""
    by_author = bool(link["authors"])
    words = []
    if link["authors"]:
        words.append("Shared authors: " + ", ".join(link["authors"]))
    if link["keywords"]:
        words.append("Shared keywords: " + ", ".join(link["keywords"]))
    return {
        "id": edge_id,
        "from": link["from"],
        "to": link["to"],
        "relation": "coauthor" if by_author else "keyword",
        "width": min(4.0, 1.0 + 0.8 * (len(link["authors"]) - 1)) if by_author else 1.2,
        "dashes": False if by_author else [2, 5],
        "color": {
            "color": SHARED_AUTHOR_COLOUR if by_author else SHARED_KEYWORD_COLOUR,
            "opacity": 1.0,
        },
        "title": "\n".join(words),
    }
