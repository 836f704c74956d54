"""Benchmark: the structure of a bibliography alone (kg.structure.analyse) on real files.

For each bibliography of ``../shared/bench`` (cdl.bib, 6,315 entries; and
beebe7_concat.bib, 24,633 entries) it loads the file once, builds the graph,
then runs :func:`kg.structure.analyse` several times and prints:

* analyse: median wall-clock and processor seconds (the graph already built);
* papers alone: papers in no cluster, and their share (target: at most 10 %);
* clusters: all, those of 4 papers or more (the ones the map names), and those
  gathered by venue and year;
* duplicate names, and clusters named after an anonymous or corporate author
  (target: none of either);
* links: all, and those made by shared terms alone.

``--communities`` also times the community step alone on the final links:
igraph's Leiden (what kg uses) against networkx's Louvain (what it used
before), the with/without figure for the igraph dependency. Usage::

    python scripts/bench_structure.py [--runs 3] [--communities] [FILE ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
DEFAULT_FILES = (BENCH / "cdl.bib", BENCH / "beebe7_concat.bib")


def _timed(function, runs: int):
    """(result of the last run, median wall seconds, median processor seconds)."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, statistics.median(walls), statistics.median(cpus)


def _figures(graph, structure) -> dict:
    from kg.structure.links import is_collective_author

    papers = sum(1 for _, kind in graph.nodes(data="kind") if kind == "paper")
    collective = {
        str(attrs.get("family") or attrs.get("label"))
        for _, attrs in graph.nodes(data=True)
        if attrs.get("kind") == "author" and is_collective_author(attrs)
    }
    names = Counter(cluster.label for cluster in structure.clusters)
    return {
        "papers": papers,
        "alone": len(structure.alone),
        "clusters": len(structure.clusters),
        "named": sum(1 for c in structure.clusters if len(c.papers) >= 4),
        "by venue": sum(1 for c in structure.clusters if c.basis == "venue"),
        "duplicate names": sum(count - 1 for count in names.values() if count > 1),
        "named after a collective author": sum(
            1 for c in structure.clusters if set(c.label.split("\n")[-1].split(" & ")) & collective
        ),
        "links": len(structure.links),
        "term-only links": sum(1 for link in structure.links if link.terms and not link.authors),
    }


def _communities(structure, runs: int) -> tuple[float, float]:
    """Median processor seconds of the community step: igraph's Leiden, networkx's Louvain."""
    import networkx as nx

    from kg.structure.clusters import communities

    edges = [(link.source, link.target, link.pull) for link in structure.links]
    _, _, leiden = _timed(lambda: communities(edges), runs)

    def louvain():
        linked = nx.Graph()
        linked.add_weighted_edges_from(edges)
        return nx.community.louvain_communities(linked, weight="weight", seed=7)

    _, _, louvain_cpu = _timed(louvain, runs)
    return leiden, louvain_cpu


def main() -> None:
    """Measure every file given (default: the two of ../shared/bench) and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--communities", action="store_true")
    options = parser.parse_args()

    from kg.graph import build_graph
    from kg.sources import load
    from kg.structure import analyse

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    header = "| file | papers | analyse wall | analyse CPU | alone | clusters (≥ 4 / by venue) | duplicate names | named after a collective author | links (by terms alone) |"
    print(header)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    compared = []
    for path in options.files:
        graph = build_graph(load(path))
        structure, wall, cpu = _timed(lambda graph=graph: analyse(graph), options.runs)
        f = _figures(graph, structure)
        print(
            f"| {path.name} | {f['papers']:,} | {wall:.2f} s | {cpu:.2f} s "
            f"| {f['alone']:,} ({f['alone'] / f['papers']:.1%}) "
            f"| {f['clusters']:,} ({f['named']:,} / {f['by venue']:,}) "
            f"| {f['duplicate names']} | {f['named after a collective author']} "
            f"| {f['links']:,} ({f['term-only links']:,}) |"
        )
        if options.communities:
            compared.append(
                (path.name, len(structure.links), *_communities(structure, options.runs))
            )
    if compared:
        print("\n| file | links | Leiden (igraph) CPU | Louvain (networkx) CPU | ratio |")
        print("|---|---:|---:|---:|---:|")
        for name, links, leiden, louvain in compared:
            print(
                f"| {name} | {links:,} | {leiden:.2f} s | {louvain:.2f} s | {louvain / leiden:.1f}x |"
            )


if __name__ == "__main__":
    main()
