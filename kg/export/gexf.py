"""GEXF 1.2, for Gephi, Gephi Lite and sigma.js (valid against the GEXF 1.2draft schema).

Every node carries the concept map's drawing: its position (the map's
layout), colour (the colour of its kind) and size; every edge carries the
map's colour and thickness. Gephi,
Gephi Lite and sigma.js open the file looking like the map. GEXF's y axis
points up while a screen's points down, so ``y`` is the map's, negated: the
map is not drawn upside down.

The drawing elements (``<color>``, ``<position>``, ``<size>``,
``<thickness>``) are written in the GEXF namespace, where the 1.2draft
schema declares them, rather than with the ``viz:`` prefix most writers use,
which that schema rejects. Gephi and graphology match them by local name and
read both; networkx's reader looks for ``viz:`` only, so it reads the
attributes back but not the drawing.

The attributes are those of :func:`kg.export.attributes.exported_graph`
(``year`` a number, an edge's ``relation_type``). Two more adjustments:

- The schema allows no ``name`` on ``<graph>``; the corpus title goes in the
  ``<meta>`` description instead.
- networkx titles a node attribute called ``key`` (a paper's citation key)
  ``networkx_key``; it is put back to ``key`` so Gephi shows it by its name.
"""

from __future__ import annotations

import io

from kg.drawing import draw, rgb
from kg.export._output import emit
from kg.export._xml import xml_safe, xml_safe_graph
from kg.export.attributes import RELATION_TYPE, exported_graph

NAME = "gexf"
#: The name under which an edge's relation kind is written (the same in every format).
EDGE_TYPE_ATTRIBUTE = RELATION_TYPE


def _colour(color: str) -> dict:
    red, green, blue = rgb(color)
    return {"r": red, "g": green, "b": blue, "a": 1.0}


def _drawing_in_gexf_namespace(writer) -> None:
    """Move the drawing elements networkx writes in the viz namespace into GEXF's own.

    The GEXF 1.2draft schema declares ``color``, ``position``, ``size`` and
    ``thickness`` (of the viz types) in the GEXF namespace and allows no
    ``viz:``-prefixed element in a node or an edge, so the prefixed form fails
    validation. Gephi and graphology (Gephi Lite, sigma.js) read them either way.
    """
    prefix = f"{{{writer.NS_VIZ}}}"
    for element in writer.graph_element.iter():
        if isinstance(element.tag, str) and element.tag.startswith(prefix):
            element.tag = element.tag[len(prefix) :]
    writer.xml.attrib.pop("xmlns:viz", None)


def render(graph, previous: dict | None = None) -> bytes:
    """Return the GEXF 1.2 document of ``graph`` as UTF-8 bytes."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    drawing = draw(graph, previous)
    safe = xml_safe_graph(exported_graph(graph))
    safe.graph.pop("name", None)
    for node, data in safe.nodes(data=True):
        drawn = drawing.nodes[node]
        data["viz"] = {
            "color": _colour(drawn.color),
            "size": float(drawn.size),
            "position": {"x": float(drawn.x), "y": -float(drawn.y), "z": 0.0},
        }
    for source, target, data in safe.edges(data=True):
        edge = drawing.edges[source, target]
        data["viz"] = {"color": _colour(edge.color), "thickness": edge.width}

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(safe)
    _drawing_in_gexf_namespace(writer)
    writer.graph_element.attrib.pop("name", None)
    for attribute in writer.graph_element.iterfind("attributes[@class='node']/attribute"):
        if attribute.get("title") == "networkx_key":
            attribute.set("title", "key")
    title = graph.graph.get("title")
    if title:
        meta = writer.xml.find("meta")
        SubElement(meta, "description").text = xml_safe(str(title))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write(graph, corpus, target, previous: dict | None = None) -> None:
    """Write ``graph`` as GEXF 1.2 to ``target`` (a path or a stream).

    ``previous``: positions from a map's layout file, so the drawing matches that map.
    """
    emit(target, render(graph, previous))
