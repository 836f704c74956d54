"""Cut the part of the graph around some objectives or concepts (``kg export --objective``)."""

from __future__ import annotations

from collections.abc import Iterable

#: Relations that bring evidence or illustration to a concept or objective.
_EVIDENCE = {"discusses", "supports"}


def neighbourhood(graph, objectives: Iterable[str] = (), concepts: Iterable[str] = ()):
    """Return the subgraph around the given objective and concept node ids.

    It holds: the chosen objectives and concepts; the concepts the chosen
    objectives cover; the papers that discuss or support any of those; the
    quotes that illustrate them, and the papers those quotes come from; and
    the authors and editors of every paper kept. Every edge of ``graph``
    between two kept nodes is kept. With no ids at all, the whole graph is
    returned (as a copy).
    """
    objectives = list(objectives)
    concepts = list(concepts)
    if not objectives and not concepts:
        return graph.copy()
    for node in objectives + concepts:
        if node not in graph:
            raise KeyError(node)

    core = set(objectives) | set(concepts)
    for objective in objectives:
        for _, target, data in graph.out_edges(objective, data=True):
            if data.get("relation") == "covers":
                core.add(target)

    papers, quotes = set(), set()
    for node in core:
        for source, _, data in graph.in_edges(node, data=True):
            relation = data.get("relation")
            if relation in _EVIDENCE:
                papers.add(source)
            elif relation == "illustrates":
                quotes.add(source)
    for quote in quotes:
        for _, target, data in graph.out_edges(quote, data=True):
            if data.get("relation") == "quotes":
                papers.add(target)

    authors = {
        source
        for paper in papers
        for source, _, data in graph.in_edges(paper, data=True)
        if data.get("relation") == "wrote"
    }
    keep = core | papers | quotes | authors
    return graph.subgraph(keep).copy()
