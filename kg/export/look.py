"""How the concept map draws each node and edge, for the exports that carry a drawing.

GEXF, GraphML and Cytoscape JSON open in programs that draw graphs (Gephi,
sigma.js, Cytoscape). They carry the map's own positions, colours and sizes, so
the file opens looking like the HTML map instead of a grey ball.

:func:`map_look` is the only place that asks :mod:`kg.render` for them: when
the map's layout or palette moves, this function is the one to point at the
new place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EdgeLook", "Look", "NodeLook", "map_look", "rgb"]


@dataclass(frozen=True)
class NodeLook:
    """Where and how the map draws one node.

    ``x`` and ``y`` are the map's pixels, ``y`` growing downwards as on a
    screen; ``color`` is ``#RRGGBB``; ``size`` is the marker's radius in pixels
    (for concepts and objectives, drawn as labelled boxes, their text size).
    """

    x: float
    y: float
    color: str
    size: float
    label: str


@dataclass(frozen=True)
class EdgeLook:
    """The colour (``#RRGGBB``) and width in pixels of one edge on the map."""

    color: str
    width: float


@dataclass(frozen=True)
class Look:
    """The map's drawing of a whole graph: every node and every edge."""

    nodes: dict[str, NodeLook]
    edges: dict[tuple[str, str], EdgeLook]


def rgb(color: str) -> tuple[int, int, int]:
    """``"#D55E00"`` -> ``(213, 94, 0)``."""
    digits = color.lstrip("#")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def map_look(graph, previous: dict | None = None) -> Look:
    """Return the positions, colours, sizes and labels the HTML map gives ``graph``.

    ``previous`` holds the positions of a map's layout file (see
    :func:`kg.render.layout_file.read_layout`): nodes found there keep the
    place the trainer's map gives them. Every node gets a look, including those
    the map leaves out of its drawing: on a map of a thousand nodes or more,
    the authors of a single paper are folded into it, and here they are placed
    beside that paper the way the map places its hidden authors. What the map
    adds that is not a node of the graph (cluster names) is left out.
    """
    from kg.render.layout import place_satellites
    from kg.render.page import page_data
    from kg.render.styles import vis_edge

    data = page_data(graph, title="", previous=previous)
    colours = {kind["kind"]: kind["color"] for kind in data["kinds"]}
    groups = data["options"]["groups"]

    def size(kind: str, drawn: dict) -> float:
        group = groups.get(kind, {})
        if "size" in group:  # a marker (dot, diamond, triangle) of this radius
            return float(group["size"])
        font = drawn.get("font") or group.get("font", {})
        return float(font.get("size", 14))

    nodes = {}
    for drawn in data["nodes"]:
        if drawn["id"] not in graph:  # a cluster's name, drawn on the map only
            continue
        kind = graph.nodes[drawn["id"]].get("kind", "paper")
        nodes[drawn["id"]] = NodeLook(
            x=float(drawn["x"]),
            y=float(drawn["y"]),
            color=colours.get(kind, colours["paper"]),
            size=size(kind, drawn),
            label=drawn["label"],
        )

    folded = [node for node in graph.nodes if node not in nodes]
    if folded:
        anchors = {node: sorted(graph.successors(node)) for node in folded}
        placed = place_satellites({node: (look.x, look.y) for node, look in nodes.items()}, anchors)
        for node in folded:
            kind = graph.nodes[node].get("kind", "author")
            x, y = placed.get(node, (0, 0))
            nodes[node] = NodeLook(
                x=float(x),
                y=float(y),
                color=colours.get(kind, colours["paper"]),
                size=size(kind, {}),
                label=graph.nodes[node].get("label", node),
            )

    edges = {}
    for source, target, attributes in graph.edges(data=True):
        drawn = vis_edge("", source, target, attributes, graph)
        edges[source, target] = EdgeLook(color=drawn["color"]["color"], width=drawn["width"])
    return Look(nodes=nodes, edges=edges)
