"""Cytoscape JSON (``.cyjs``), for Cytoscape desktop and Cytoscape.js.

The document is the one Cytoscape desktop writes and reads (its importer,
``CytoscapejsMapper``, reads the ``data`` objects field by field, so every
level holds objects, never lists of pairs)::

    {
      "data": {"name": TITLE, "title": ..., "bib": ..., "concepts": ...},
      "directed": true, "multigraph": false,
      "elements": {
        "nodes": [{"data": {"id", "value", "name", ...}, "position": {"x", "y"}}],
        "edges": [{"data": {"id", "source", "target", ...}}]
      },
      "style": [...]
    }

- A node's ``id`` (and ``value``, which networkx reads) is the typed node id
  (``paper:KEY``); its ``name``, the column Cytoscape shows as the node's
  label, is the text the concept map shows (``Hernández et al. (2007)``).
  Every other attribute follows (``year`` a number, see
  :mod:`kg.export.attributes`), with the map's ``color`` (``#RRGGBB``) and
  ``size`` (radius in pixels).
- ``position`` is the map's layout, in screen pixels (``y`` down, as in
  Cytoscape).
- Edges have an ``id`` (``e1``, ``e2`` ... in the graph's order), their
  ``source`` and ``target``, their attributes, and the map's ``color`` and
  ``width``.
- ``style`` is a Cytoscape.js stylesheet that draws those colours, sizes and
  names; ``cy.json(document)`` in Cytoscape.js shows the map as it is.
  Cytoscape desktop ignores it and uses its own default style.

``networkx.cytoscape_graph`` reads the file back. Use the ``.cyjs`` suffix or
``--format cytoscape``: a plain ``.json`` means node-link.
"""

from __future__ import annotations

import json as _json

from kg.drawing import draw
from kg.export._output import emit
from kg.export.attributes import exported_graph

NAME = "cytoscape"

#: Draws each node and edge with the colour, size and name the file gives it.
STYLE = [
    {
        "selector": "node",
        "style": {
            "background-color": "data(color)",
            "label": "data(name)",
            # size is a radius; Cytoscape.js wants a diameter
            "width": "mapData(size, 0, 100, 0, 200)",
            "height": "mapData(size, 0, 100, 0, 200)",
            "font-size": 12,
            "text-valign": "bottom",
            "text-wrap": "ellipsis",
            "text-max-width": "180px",
        },
    },
    {
        "selector": "edge",
        "style": {
            "line-color": "data(color)",
            "width": "data(width)",
            "curve-style": "bezier",
        },
    },
]


def data(graph, previous: dict | None = None) -> dict:
    """Return the Cytoscape JSON document of ``graph`` (see above)."""
    drawing = draw(graph, previous)
    exported = exported_graph(graph)
    network = dict(exported.graph)
    if network.get("title"):
        network["name"] = network["title"]
    nodes = []
    for node, attributes in exported.nodes(data=True):
        drawn = drawing.nodes[node]
        fields = {
            **attributes,
            "id": node,
            "value": node,
            "name": drawn.label,
            "color": drawn.color,
            "size": float(drawn.size),
        }
        nodes.append({"data": fields, "position": {"x": float(drawn.x), "y": float(drawn.y)}})
    edges = []
    for number, (source, target, attributes) in enumerate(exported.edges(data=True), start=1):
        edge = drawing.edges[source, target]
        fields = {
            **attributes,
            "id": f"e{number}",
            "source": source,
            "target": target,
            "color": edge.color,
            "width": edge.width,
        }
        edges.append({"data": fields})
    return {
        "data": network,
        "directed": exported.is_directed(),
        "multigraph": exported.is_multigraph(),
        "elements": {"nodes": nodes, "edges": edges},
        "style": STYLE,
    }


def render(graph, previous: dict | None = None) -> str:
    """Return the Cytoscape JSON text of ``graph``."""
    return _json.dumps(data(graph, previous), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(graph, corpus, target, previous: dict | None = None) -> None:
    """Write ``graph`` as Cytoscape JSON to ``target`` (a path or a stream).

    ``previous``: positions from a map's layout file, so the drawing matches that map.
    """
    emit(target, render(graph, previous))
