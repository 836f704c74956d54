"""How two nodes connect: the shortest chain of relations, each hop in words."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from kg.errors import KgError
from kg.query.describe import describe_edge, node_name
from kg.query.lookup import resolve

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx


@dataclass
class Hop:
    """One step of a path: the edge between two consecutive nodes, in its own direction."""

    source: str
    target: str
    relation: str
    text: str

    def as_dict(self) -> dict:
        """JSON shape."""
        return asdict(self)


def shortest_path(graph: nx.DiGraph, a: str, b: str) -> list[Hop]:
    """The shortest chain of relations between ``a`` and ``b`` (ids, labels or aliases).

    Edges are followed in either direction; each hop is described in the
    edge's own direction ("Pack (2014) discusses ..."). Raises
    :class:`kg.errors.NotFoundError` for an unknown node and
    :class:`kg.errors.KgError` when nothing links the two.
    """
    import networkx as nx

    start = a if a in graph else resolve(graph, a)
    end = b if b in graph else resolve(graph, b)
    try:
        nodes = nx.shortest_path(graph.to_undirected(as_view=True), start, end)
    except nx.NetworkXNoPath:
        raise KgError(
            f"nothing links {node_name(graph, start)} and {node_name(graph, end)}; "
            f"add a relation or a paper link in concepts.yaml to connect them"
        ) from None
    hops = []
    for here, there in itertools.pairwise(nodes):
        source, target = (here, there) if graph.has_edge(here, there) else (there, here)
        hops.append(
            Hop(
                source,
                target,
                graph.edges[source, target].get("relation", ""),
                describe_edge(graph, source, target),
            )
        )
    return hops
