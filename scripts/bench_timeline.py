"""Benchmark: the timeline's rows, packed with a heap against a scan of every row.

A year holding thousands of papers gives thousands of rows in its lane. The
timeline (:func:`kg.render.timeline.timeline`) puts each paper in the row that
ends furthest left, found with a heap (:func:`kg.render.timeline.pack_rows`);
it used to look through every row for each paper, which grows with the square
of the papers of a crowded year. Both are timed on the same papers in one run,
and the whole timeline of such a bibliography too. Usage::

    python scripts/bench_timeline.py [--sizes 10000,20000,40000]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def scan_every_row(items: list[tuple[str, float, float]]) -> tuple[dict[str, int], int]:
    """The former packing: the first row, from the top, that ends before the item starts."""
    ends: list[float] = []
    rows = {}
    for item, x, half in items:
        row = next((number for number, end in enumerate(ends) if end <= x - half), None)
        if row is None:
            ends.append(-math.inf)
            row = len(ends) - 1
        ends[row] = x + half
        rows[item] = row
    return rows, len(ends)


def timed(function, *arguments) -> float:
    """Wall time of one call, in seconds."""
    start = time.perf_counter()
    function(*arguments)
    return time.perf_counter() - start


def one_year_graph(count: int):
    """A bibliography alone of ``count`` papers, all of one year."""
    from kg.graph import build_graph
    from kg.model import Corpus, Paper

    papers = {
        f"p{n}": Paper(key=f"p{n}", entry_type="article", title=f"Paper {n}", year="2001")
        for n in range(count)
    }
    return build_graph(Corpus(papers=papers, bib_path="bench.bib"))


def main() -> None:
    """Time both packings and the whole timeline for each size; print the figures and ratios."""
    from kg.render.timeline import DOT_WIDTH, pack_rows, timeline

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,20000,40000", help="papers in the one year")
    arguments = parser.parse_args()
    print(f"{'papers':>8} {'heap':>9} {'scan':>9} {'ratio':>7} {'timeline':>9}")
    for count in (int(size) for size in arguments.sizes.split(",")):
        items = [(f"p{n}", 0.0, float(DOT_WIDTH)) for n in range(count)]
        heap = timed(pack_rows, items)
        scan = timed(scan_every_row, items)
        graph = one_year_graph(count)
        whole = timed(timeline, graph, sorted(graph))
        print(f"{count:>8} {heap:>8.3f}s {scan:>8.2f}s {scan / heap:>6.0f}x {whole:>8.2f}s")


if __name__ == "__main__":
    main()
