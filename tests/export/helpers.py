"""Helpers shared by the exporter tests: compare graphs attribute by attribute."""

from __future__ import annotations

from kg.export.attributes import exported_graph

HOSTILE = "He said \"yes\" & <b>no</b> ]]> C:\\path\\to 'single' naïve Hernández 東京 — 😀\nsecond line\tafter tab"

#: The bibliography the hand-built papers point into (their line/end_line).
BIB_TEXT = """% A comment before everything: not an entry.
@string{fp = "Family Process"}

@article{hernandez2007vicarious,
  author   = {Hernández, Pilar and O'Brien, Seán},
  title    = {Vicarious resilience: {A} new concept \\& more},
  journal  = fp,
  year     = {2007},
  keywords = {trauma; Vicarious resilience},
}

@book{obrien2010book,
  author = {O'Brien, Seán},
  title = "A book with {"}quotes{"} in it",
  publisher = {Ünïcode Press},
  year = 2010
}

@misc{lonely2020,
  title = {Nobody links to me},
  year  = {in press},
}
"""


def nodes_of(graph) -> dict:
    """``{node: attributes}``, for comparing two graphs."""
    return {node: dict(data) for node, data in graph.nodes(data=True)}


def edges_of(graph) -> dict:
    """``{(source, target): attributes}``, for comparing two graphs."""
    return {(source, target): dict(data) for source, target, data in graph.edges(data=True)}


def exported_nodes_of(graph) -> dict:
    """``{node: attributes}`` as every export writes them (``year`` a number ...)."""
    return nodes_of(exported_graph(graph))


def exported_edges_of(graph) -> dict:
    """``{(source, target): attributes}`` as every export writes them (``relation_type`` ...)."""
    return edges_of(exported_graph(graph))


#: The attributes a drawing export adds to each node.
DRAWING = ("x", "y", "size", "color")


def without_drawing(nodes: dict) -> dict:
    """``nodes`` (``{node: attributes}``) without the drawing attributes."""
    return {
        node: {key: value for key, value in data.items() if key not in DRAWING}
        for node, data in nodes.items()
    }


def assert_palette(colours_by_node: dict, kinds: dict) -> None:
    """One colour per kind, a different one for each kind."""
    by_kind: dict[str, set] = {}
    for node, colour in colours_by_node.items():
        by_kind.setdefault(kinds[node], set()).add(colour)
    assert all(len(colours) == 1 for colours in by_kind.values()), by_kind
    assert len({colours.pop() for colours in by_kind.values()}) == len(by_kind)
