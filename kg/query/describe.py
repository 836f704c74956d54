"""One node in words: everything the graph holds about it, and each link as a sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.model import STRENGTHS, strength_rank
from kg.query.lookup import resolve, short_id

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

#: How each relation reads, in the edge's own direction ("A wrote B").
RELATION_PHRASES: dict[str, str] = {
    "wrote": "wrote",
    "discusses": "discusses",
    "covers": "covers",
    "supports": "supports",
    "illustrates": "illustrates",
    "quotes": "is quoted from",
}

#: How each concept-to-concept relation type reads.
RELATION_TYPE_PHRASES: dict[str, str] = {
    "contrasts-with": "contrasts with",
    "part-of": "is part of",
    "protects-against": "protects against",
    "leads-to": "leads to",
    "risk-for": "is a risk for",
    "related-to": "is related to",
    "measured-by": "is measured by",
    "example-of": "is an example of",
}


def node_details(graph: nx.DiGraph, node: str) -> dict:
    """Everything the graph holds about ``node`` (an id, label or alias).

    Returns ``{"id", "kind", "label", "attributes", "links"}``; each link has
    ``relation``, ``direction`` (``out`` when ``node`` is the edge's source),
    ``node``, ``kind``, ``label``, the edge's own attributes, and ``text``:
    the link in words.
    """
    if node not in graph:
        node = resolve(graph, node)
    data = dict(graph.nodes[node])
    links = []
    for source, target, edge in list(graph.out_edges(node, data=True)) + list(
        graph.in_edges(node, data=True)
    ):
        other = target if source == node else source
        other_data = graph.nodes[other]
        link = {
            "relation": edge.get("relation", ""),
            "direction": "out" if source == node else "in",
            "node": other,
            "kind": other_data.get("kind", ""),
            "label": other_data.get("label", ""),
            "text": describe_edge(graph, source, target),
        }
        link.update({name: value for name, value in edge.items() if name != "relation"})
        links.append(link)
    relation_order = [*list(RELATION_PHRASES), "related"]
    links.sort(
        key=lambda link: (
            relation_order.index(link["relation"])
            if link["relation"] in relation_order
            else len(relation_order),
            link["direction"],
            strength_rank(link["strength"])
            if link.get("strength") in STRENGTHS
            else len(STRENGTHS),
            link.get("position", 0),
            link["label"].casefold(),
            link["node"],
        )
    )
    return {
        "id": node,
        "kind": data.pop("kind", ""),
        "label": data.pop("label", ""),
        "attributes": data,
        "links": links,
    }


def node_name(graph: nx.DiGraph, node: str) -> str:
    """How a node is named in a sentence: ``objective 1a``, ``Self-care``, ``Pack (2014)``."""
    data = graph.nodes[node]
    if data.get("kind") == "objective":
        return f"objective {short_id(node)}"
    if data.get("kind") == "concept":
        return f"the concept “{data.get('label', short_id(node))}”"
    if data.get("kind") == "quote":
        return f"the quote {data.get('label', short_id(node))}"
    return data.get("label", short_id(node))


def describe_edge(graph: nx.DiGraph, source: str, target: str) -> str:
    """One sentence for the edge ``source -> target``, read in its own direction."""
    edge = graph.edges[source, target]
    relation = edge.get("relation", "")
    if relation == "related":
        verb = RELATION_TYPE_PHRASES.get(edge.get("type", ""), "is related to")
    elif relation == "wrote" and edge.get("role") == "editor":
        verb = "edited"
    else:
        verb = RELATION_PHRASES.get(relation, relation)
    sentence = f"{node_name(graph, source)} {verb} {node_name(graph, target)}"
    if relation == "quotes" and edge.get("page"):
        sentence += f", p. {edge['page']}"
    if edge.get("strength"):
        sentence += f" ({edge['strength']})"
    return sentence
