"""Helpers shared by the exporter tests: compare graphs attribute by attribute."""

from __future__ import annotations

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
  year  = {2020},
}
"""


def nodes_of(graph) -> dict:
    """``{node: attributes}``, for comparing two graphs."""
    return {node: dict(data) for node, data in graph.nodes(data=True)}


def edges_of(graph) -> dict:
    """``{(source, target): attributes}``, for comparing two graphs."""
    return {(source, target): dict(data) for source, target, data in graph.edges(data=True)}
