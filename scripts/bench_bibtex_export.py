"""Benchmark: the BibTeX export against the JSON export, on the same loaded corpus.

For each bibliography given, loads it once (through the cache, as a command
would), builds the graph, then times writing every paper as BibTeX and as
JSON (``kg export --format bibtex`` / ``--format json``, output to memory),
alternated, and prints the medians and their ratio. The issue's target is a
ratio of at most 3: the BibTeX export copies each entry as written, which
must not cost a pass over the whole file per entry.

Usage::

    python scripts/bench_bibtex_export.py FILE.bib [FILE.bib ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(bib: Path, repeat: int) -> dict:
    """Median seconds of each export of ``bib``'s papers, and how many papers."""
    from kg.export import write
    from kg.graph import build_graph
    from kg.sources import load

    corpus = load(bib)
    graph = build_graph(corpus)
    times: dict[str, list[float]] = {"bibtex": [], "json": []}
    for _ in range(repeat):
        for name in times:
            target = io.BytesIO()
            start = time.perf_counter()
            write(name, graph, corpus, target)
            times[name].append(time.perf_counter() - start)
    return {
        "papers": len(corpus.papers),
        **{name: statistics.median(v) for name, v in times.items()},
    }


def main() -> None:
    """Print one line per file: papers, medians, ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    for bib in arguments.files:
        result = measure(bib, arguments.repeat)
        print(f"{bib.name}: {result['papers']} papers, bibtex {result['bibtex']:.2f} s, "
              f"json {result['json']:.2f} s, ratio {result['bibtex'] / result['json']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
