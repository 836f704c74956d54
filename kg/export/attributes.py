"""The attributes every graph export writes, the same in every format.

The graph from :func:`kg.graph.build_graph` keeps a paper's year as its
bibliography wrote it (a string) and a concept relation's kind as ``type``.
Before writing, each exporter takes :func:`exported_graph`, a copy where:

- ``year`` is an integer whenever the entry's year is one (``2005``), so that
  Gephi, Cytoscape, spreadsheets and Cypher engines can sort, filter and draw
  a timeline by it. Any other year (``2005a``, ``in press``, ``1999/2000``)
  is kept as written under ``year_text``, and ``year`` is then left out: a
  column holds one type in GraphML, GEXF, Cytoscape and Neo4j's csv import.
- An edge's ``type`` (``contrasts-with`` ...) is called ``relation_type``.
  ``type`` has a fixed meaning in three of the consumers: GEXF's edge
  ``type`` is directed / undirected / mutual, Gephi's edge table already has a
  ``Type`` column, and sigma.js picks the program that draws an edge by its
  ``type`` (an unknown one stops the drawing). One name in every format is
  easier to query than one that changes with the file.
"""

from __future__ import annotations

import re

__all__ = ["RELATION_TYPE", "YEAR_TEXT", "exported_graph", "year_attributes"]

#: Where a year that is not a whole number is kept, as written.
YEAR_TEXT = "year_text"
#: The name of an edge's relation kind (the graph's ``type``) in every export.
RELATION_TYPE = "relation_type"

_WHOLE_YEAR = re.compile(r"[0-9]{1,4}\Z")


def year_attributes(year) -> dict:
    """``{"year": 2005}`` for a year that is a whole number, else ``{"year_text": year}``.

    Surrounding spaces do not count; an empty year gives ``{}``.
    """
    if isinstance(year, int) and not isinstance(year, bool):
        return {"year": year}
    text = str(year).strip()
    if not text:
        return {}
    if _WHOLE_YEAR.match(text):
        return {"year": int(text)}
    return {YEAR_TEXT: str(year)}


def exported_graph(graph):
    """Return a copy of ``graph`` with the attributes as the exports write them (see above).

    ``graph`` itself is not changed.
    """
    copy = graph.__class__()
    copy.graph.update(graph.graph)
    for node, data in graph.nodes(data=True):
        attributes = dict(data)
        if "year" in attributes:
            attributes.update(year_attributes(attributes.pop("year")))
        copy.add_node(node, **attributes)
    for source, target, data in graph.edges(data=True):
        attributes = dict(data)
        if "type" in attributes:
            attributes[RELATION_TYPE] = attributes.pop("type")
        copy.add_edge(source, target, **attributes)
    return copy
