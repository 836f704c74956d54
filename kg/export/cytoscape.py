"""Cytoscape.js JSON (``elements``), for Cytoscape and Cytoscape.js.

Written by ``networkx.cytoscape_data``; ``networkx.cytoscape_graph`` reads it
back. Each node's ``data`` holds ``id`` (the typed node id), ``value`` (the
same), ``name`` (the author's name, or the node id) and every other attribute,
``label`` included, so a Cytoscape style can show ``data(label)``. Use the
``.cyjs`` suffix or ``--format cytoscape``: a plain ``.json`` means node-link.
"""

from __future__ import annotations

import json as _json

from kg.export._output import emit

NAME = "cytoscape"


def data(graph) -> dict:
    """Return the Cytoscape.js data of ``graph``."""
    import networkx as nx

    return nx.cytoscape_data(graph)


def render(graph) -> str:
    """Return the Cytoscape.js JSON text of ``graph``."""
    return _json.dumps(data(graph), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(graph, corpus, target) -> None:
    """Write ``graph`` as Cytoscape.js JSON to ``target`` (a path or a stream)."""
    emit(target, render(graph))
