"""The drawing of a graph: positions, colours, shapes, sizes and labels, computed once.

::

    drawing = draw(graph, previous=read_layout("concept-map.layout.json"))
    drawing.nodes["paper:smith2020"].x, drawing.edges[author, paper].color
    palette = kind_palette()              # colours and shapes by node kind

The concept map (:mod:`kg.render`) and every export that carries a drawing
(GEXF, GraphML, Cytoscape) read the same :class:`Drawing`, so a file opened in
Gephi or Cytoscape looks like the map. Nothing here knows about HTML or
vis-network: the drawing is plain data (:mod:`kg.drawing.model`).

- :mod:`kg.drawing.build`: what a map of a given size draws (folded and
  hidden authors, links and clusters of a bibliography alone);
- :mod:`kg.drawing.styles`: the palette, shapes, sizes and labels;
- :mod:`kg.drawing.placement`, :mod:`kg.drawing.layout`,
  :mod:`kg.drawing.overlap`: where each node goes;
- :mod:`kg.drawing.layout_file`: the positions kept beside a map between renders;
- :mod:`kg.drawing.structure`: a bibliography alone, linked and clustered.
"""

from __future__ import annotations

from kg.drawing.model import ClusterDrawing, Drawing, EdgeDrawing, NodeDrawing, rgb

__all__ = [
    "ClusterDrawing",
    "Drawing",
    "EdgeDrawing",
    "NodeDrawing",
    "draw",
    "kind_palette",
    "rgb",
]


def draw(graph, previous: dict[str, tuple[float, float]] | None = None, **ahead) -> Drawing:
    """The drawing of ``graph``; ``previous``: a layout file's positions to keep (see :func:`kg.drawing.build.draw`).

    ``ahead`` passes on the plan and the structure worked out ahead
    (``plan=``, ``structure=``: see :mod:`kg.drawing.ahead`).
    """
    from kg.drawing.build import draw as build

    return build(graph, previous, **ahead)


def kind_palette() -> dict[str, dict[str, str]]:
    """Colours and shapes by node kind (see :func:`kg.drawing.styles.kind_palette`)."""
    from kg.drawing.styles import kind_palette as palette

    return palette()
