"""Benchmark: what a drawing export costs next to the JSON export and the layout.

The exports that carry a drawing (GEXF, GraphML, Cytoscape) read the graph's
drawing (:func:`kg.drawing.draw`), which is the layout plus colours, sizes and
labels. Their cost should be about the JSON export's plus the layout's. In
one process, on one bibliography (by default ``../shared/bench/cdl.bib``),
this times the JSON export, the drawing (and the layout inside it), and each
drawing export, and prints each export's ratio to JSON + layout.

Usage::

    python scripts/bench_drawing.py [--bib FILE] [--formats gexf,graphml,cytoscape]

A drawing export computes the drawing itself, so each one lays the graph out
again: run this on a quiet machine, or read the ratios rather than the times.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BIB = ROOT.parent / "shared" / "bench" / "cdl.bib"


def timed(action) -> tuple[float, object]:
    """Seconds ``action()`` took, and what it returned."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    """Time the JSON export, the drawing and the drawing exports of one bibliography."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bib", type=Path, default=DEFAULT_BIB, help="the bibliography")
    parser.add_argument("--formats", default="gexf,graphml,cytoscape", help="drawing exports")
    args = parser.parse_args()

    import kg.drawing.build as build
    from kg.export import cytoscape, gexf, graphml
    from kg.export import json as json_export
    from kg.graph import build_graph
    from kg.sources import load

    corpus = load(args.bib)
    graph = build_graph(corpus)
    print(f"{args.bib.name}: {len(corpus.papers):,} papers, {len(graph):,} nodes")

    json_seconds, _ = timed(lambda: json_export.render(graph))
    layout_seconds = []
    place_nodes = build.place_nodes

    def timed_place_nodes(*arguments, **options):
        seconds, positions = timed(lambda: place_nodes(*arguments, **options))
        layout_seconds.append(seconds)
        return positions

    build.place_nodes = timed_place_nodes
    try:
        drawing_seconds, _ = timed(lambda: build.draw(graph))
    finally:
        build.place_nodes = place_nodes
    print(f"json export      {json_seconds:7.2f} s")
    print(f"drawing          {drawing_seconds:7.2f} s (layout {layout_seconds[0]:.2f} s)")
    yardstick = json_seconds + layout_seconds[0]
    modules = {"gexf": gexf, "graphml": graphml, "cytoscape": cytoscape}
    for name in args.formats.split(","):
        seconds, _ = timed(lambda module=modules[name]: module.render(graph))
        print(f"{name:<16} {seconds:7.2f} s = {seconds / yardstick:.2f} x (json + layout)")


if __name__ == "__main__":
    main()
