"""Node-link JSON, for D3 and scripts (``networkx.node_link_graph`` reads it back).

The document is ``{"directed", "multigraph", "graph", "nodes": [...], "edges": [...]}``;
read it with ``node_link_graph(data, edges="edges")``. The attributes are those
of :func:`kg.export.attributes.exported_graph` (``year`` a number, an edge's
``relation_type``). Keys are sorted and the
text indented, so two exports of the same data are byte-identical.
"""

from __future__ import annotations

import json as _json

from kg.export._output import emit
from kg.export.attributes import exported_graph

NAME = "json"


def data(graph) -> dict:
    """Return the node-link data of ``graph``."""
    import networkx as nx

    return nx.node_link_data(exported_graph(graph), edges="edges")


def render(graph) -> str:
    """Return the node-link JSON text of ``graph``."""
    return _json.dumps(data(graph), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(graph, corpus, target) -> None:
    """Write ``graph`` as node-link JSON to ``target`` (a path or a stream)."""
    emit(target, render(graph))
