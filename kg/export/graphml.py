"""GraphML, for Gephi, yEd and networkx (``networkx.read_graphml`` reads it back).

Node and edge attributes keep their types (strings, integers); graph-level
attributes (title, source files) are written on the ``<graph>`` element.
"""

from __future__ import annotations

import io

from kg.export._output import emit
from kg.export._xml import xml_safe_graph

NAME = "graphml"


def render(graph) -> bytes:
    """Return the GraphML document of ``graph`` as UTF-8 bytes."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(xml_safe_graph(graph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def write(graph, corpus, target) -> None:
    """Write ``graph`` as GraphML to ``target`` (a path or a stream)."""
    emit(target, render(graph))
