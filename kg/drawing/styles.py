"""How things are drawn: colours, shapes and sizes per kind, labels, edges by relation and strength.

The palette is Okabe and Ito's, safe for the common colour-vision
deficiencies, and every kind also has its own shape, so that colour is never
the only cue. The map and every export that carries a drawing take their
colours from here (through :func:`kg.drawing.draw`), so they look alike.
"""

from __future__ import annotations

import math
from typing import TypedDict


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
STRENGTH_DASHES: dict[str, bool | list[int]] = {
    "supported": False,
    "weak": [10, 6],
    "inferred": [2, 5],
}
STRENGTH_WIDTH = {"supported": 3.0, "weak": 2.0, "inferred": 1.6}


EDGE_COLOURS = {
    "wrote": "#B9B9B9",
    "related": "#0072B2",
    "illustrates": "#9A8C00",
    "quotes": "#9A8C00",
}
EVIDENCE_COLOUR = "#6B6B6B"

#: Radius in pixels of the kinds drawn as a marker with their label below it.
MARKER_SIZE = {"paper": 10, "quote": 12, "author": 8}

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
        return f"{attrs.get('label', '')}  {shorten(text, 70)}" if text else attrs.get("label", "")
    return attrs.get("label", "")


def shorten(text: str, limit: int) -> str:
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


def edge_style(attrs: dict) -> tuple[float, str, bool | list[int] | None]:
    """Width, colour and dashes of an edge of the graph: colour by relation, dashes by strength.

    Dashes are ``None`` when the map leaves them to vis-network's default (solid).
    """
    relation = attrs.get("relation", "")
    strength = attrs.get("strength")
    dashes: bool | list[int] | None = None
    if strength in STRENGTH_DASHES:
        dashes = STRENGTH_DASHES[strength]
        width = STRENGTH_WIDTH[strength]
    else:
        width = 1.0 if relation == "wrote" else 1.8
        if relation == "related":
            dashes = False
    return width, EDGE_COLOURS.get(relation, EVIDENCE_COLOUR), dashes


def link_style(authors: int) -> tuple[float, str, bool | list[int]]:
    """Width, colour and dashes of a link between two papers sharing ``authors`` (or only keywords).

    Shared authors are drawn solid, thicker with each more author; keywords alone dotted.
    """
    if authors:
        return min(4.0, 1.0 + 0.8 * (authors - 1)), SHARED_AUTHOR_COLOUR, False
    return 1.2, SHARED_KEYWORD_COLOUR, [2, 5]
