"""The drawing of a graph as plain data: where each node stands and how it and each edge look.

Computed once by :func:`kg.drawing.draw`; the HTML map (:mod:`kg.render`)
turns it into vis-network's data, and the exports that draw (GEXF, GraphML,
Cytoscape) write it into their own drawing attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ClusterDrawing", "Drawing", "EdgeDrawing", "NodeDrawing", "rgb"]


@dataclass(frozen=True)
class NodeDrawing:
    """Where and how one node is drawn.

    ``x`` and ``y`` are pixels, ``y`` growing downwards as on a screen.
    ``color`` and ``border`` are ``#RRGGBB``; ``shape`` is vis-network's name
    for it (``dot``, ``box``...). ``size`` is the marker's radius in pixels,
    or for kinds drawn as labelled boxes (concepts, objectives) their text
    size. ``hidden``: the map starts with this node hidden (authors of a map
    with many of them). ``folded``: the map leaves it out, inside its paper
    (an author of that paper alone, on a large map); exports still place it
    beside the paper.
    """

    x: float
    y: float
    kind: str
    label: str
    color: str
    border: str
    shape: str
    size: float
    hidden: bool = False
    folded: bool = False


@dataclass(frozen=True)
class EdgeDrawing:
    """How one edge is drawn: ``width`` in pixels, ``color`` as ``#RRGGBB``, ``dashes``.

    ``dashes`` is ``False`` (solid), a dash pattern in pixels, or ``None``
    (the drawing program's default, solid). ``strength`` is the evidence
    strength that set the dashes, when there is one. A link between two
    papers of a bibliography alone (``relation`` ``coauthor`` or ``keyword``)
    also says what they share: ``authors``, ``keywords`` and ``terms``.
    """

    source: str
    target: str
    relation: str
    width: float
    color: str
    dashes: bool | list[int] | None = None
    strength: str | None = None
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClusterDrawing:
    """The name of a cluster of papers (a bibliography alone), drawn amid them.

    ``authors`` and ``keywords`` are the most frequent among its papers, with
    their counts, ``terms`` the most distinctive; ``size`` is the name's text size.
    """

    id: str
    label: str
    x: float
    y: float
    size: int
    papers: list[str]
    authors: list[tuple[str, int]]
    keywords: list[tuple[str, int]]
    #: its most distinctive terms, with counts (see :mod:`kg.structure.clusters`)
    terms: list[tuple[str, int]] = field(default_factory=list)
    #: what holds it together: ``links`` (authors, keywords, terms) or ``venue`` (venue and year)
    basis: str = "links"


@dataclass(frozen=True)
class Drawing:
    """The drawing of a whole graph.

    ``nodes`` holds every node of the graph, in sorted order; ``edges`` every
    edge, sorted by source and target. ``links`` (papers linked by shared
    authors or keywords) and ``clusters`` (their names) exist only on a
    bibliography alone whose authors start hidden; they are drawn on the map
    and are not part of the graph. ``large``: the map is a large one (smaller
    text, no outlines, single-paper authors folded). ``laid_afresh``: see
    :func:`kg.drawing.build.draw`.
    """

    nodes: dict[str, NodeDrawing]
    edges: dict[tuple[str, str], EdgeDrawing]
    links: list[EdgeDrawing] = field(default_factory=list)
    clusters: list[ClusterDrawing] = field(default_factory=list)
    large: bool = False
    #: The layout file given held too little of this map to keep: it was laid out afresh.
    laid_afresh: bool = False

    @property
    def positions(self) -> dict[str, tuple[float, float]]:
        """Where each node the map draws stands (folded ones left out): what a layout file keeps."""
        return {node: (drawn.x, drawn.y) for node, drawn in self.nodes.items() if not drawn.folded}


def rgb(color: str) -> tuple[int, int, int]:
    """``"#D55E00"`` -> ``(213, 94, 0)``."""
    digits = color.lstrip("#")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
