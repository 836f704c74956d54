"""GEXF 1.2, for Gephi (valid against the GEXF 1.2draft schema; networkx reads it back).

Two adjustments to what ``networkx.write_gexf`` produces, both so that the
file validates:

- GEXF gives an edge's ``type`` attribute a fixed meaning (directed,
  undirected, mutual), so the ``type`` of a ``related`` edge
  (``contrasts-with`` ...) is written as the attribute ``relation_type``.
- The schema allows no ``name`` on ``<graph>``; the corpus title goes in the
  ``<meta>`` description instead.

And one so that Gephi shows the attribute by its name: networkx titles a
node attribute called ``key`` (a paper's citation key) ``networkx_key``,
which is put back to ``key``.
"""

from __future__ import annotations

import io

from kg.export._output import emit
from kg.export._xml import xml_safe, xml_safe_graph

NAME = "gexf"
#: The name under which an edge's ``type`` attribute is written.
EDGE_TYPE_ATTRIBUTE = "relation_type"


def render(graph) -> bytes:
    """Return the GEXF 1.2 document of ``graph`` as UTF-8 bytes."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    safe = xml_safe_graph(graph)
    for _, _, data in safe.edges(data=True):
        if "type" in data:
            data[EDGE_TYPE_ATTRIBUTE] = data.pop("type")
    safe.graph.pop("name", None)

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(safe)
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


def write(graph, corpus, target) -> None:
    """Write ``graph`` as GEXF 1.2 to ``target`` (a path or a stream)."""
    emit(target, render(graph))
