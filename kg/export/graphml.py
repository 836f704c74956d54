"""GraphML, for Gephi, yEd, igraph and networkx (``networkx.read_graphml`` reads it back).

Node and edge attributes keep their types (strings, integers; ``year`` a
number, see :mod:`kg.export.attributes`); graph-level attributes (title,
source files) are written on the ``<graph>`` element.

Every node also carries the concept map's drawing as plain attributes, the
names Gephi and graphology (Gephi Lite, sigma.js) read: ``x`` and ``y`` (the
map's layout, ``y`` pointing up as in GEXF), ``size`` and ``color``
(``#RRGGBB``, the colour of its kind).
Edges carry the map's ``color`` and their width as ``size``.
"""

from __future__ import annotations

import io

from kg.drawing import draw
from kg.export._output import emit
from kg.export._xml import xml_safe_graph
from kg.export.attributes import exported_graph

NAME = "graphml"


def render(graph, previous: dict | None = None) -> bytes:
    """Return the GraphML document of ``graph`` as UTF-8 bytes."""
    import networkx as nx

    drawing = draw(graph, previous)
    drawn = exported_graph(graph)
    for node, data in drawn.nodes(data=True):
        node_drawing = drawing.nodes[node]
        data.update(
            x=float(node_drawing.x),
            y=-float(node_drawing.y),
            size=float(node_drawing.size),
            color=node_drawing.color,
        )
    for source, target, data in drawn.edges(data=True):
        edge_drawing = drawing.edges[source, target]
        data.update(color=edge_drawing.color, size=edge_drawing.width)
    buffer = io.BytesIO()
    nx.write_graphml(xml_safe_graph(drawn), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def write(graph, corpus, target, previous: dict | None = None) -> None:
    """Write ``graph`` as GraphML to ``target`` (a path or a stream).

    ``previous``: positions from a map's layout file, so the drawing matches that map.
    """
    emit(target, render(graph, previous))
