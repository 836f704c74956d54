"""Export the knowledge graph to the formats other tools read.

One module per format (``kg.export.graphml``, ``kg.export.csv`` ...), each with
the same entry point::

    write(graph, corpus, target)

where ``graph`` is the graph from :func:`kg.graph.build_graph` (or a part of it,
see :func:`kg.export.select.neighbourhood`), ``corpus`` the loaded
:class:`~kg.model.Corpus`, and ``target`` a path or an open stream (binary or
text). Paths are written atomically with :func:`kg.fileio.atomic_write`.

This module is the registry: it maps format names and file suffixes to the
modules, and imports nothing heavy, so the command line can list the formats
without loading networkx.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from types import ModuleType

__all__ = ["FORMATS", "Format", "format_for_path", "get", "write"]


@dataclass(frozen=True)
class Format:
    """One export format: its name, module, suffixes and what reads it."""

    name: str
    module: str
    suffixes: tuple[str, ...]
    consumers: str
    #: False for a format that may be several files (csv): it cannot go to stdout.
    single_file: bool = True

    def load(self) -> ModuleType:
        """Import and return the module that writes this format."""
        return importlib.import_module(self.module)


#: Every format, in the order ``kg export --help`` lists them.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("graphml", "kg.export.graphml", (".graphml",), "Gephi, igraph, networkx, yEd"),
        Format("gexf", "kg.export.gexf", (".gexf",), "Gephi, Gephi Lite, sigma.js (GEXF 1.2)"),
        Format("json", "kg.export.json", (".json",), "D3, scripts (networkx node-link JSON)"),
        Format("cytoscape", "kg.export.cytoscape", (".cyjs",), "Cytoscape, Cytoscape.js"),
        Format(
            "csv",
            "kg.export.csv",
            (".zip",),
            "spreadsheets, neo4j-admin import (folder or .zip)",
            single_file=False,
        ),
        Format(
            "cypher",
            "kg.export.cypher",
            (".cypher", ".cql"),
            "Neo4j, openCypher engines, Kùzu (--dialect; frozen)",
        ),
        Format(
            "parquet",
            "kg.export.parquet",
            (),
            "Spark GraphFrames, DuckDB, Neo4j 5.25+ import (a folder; needs pyarrow)",
            single_file=False,
        ),
        Format("bibtex", "kg.export.bibtex", (".bib",), "Zotero, JabRef, LaTeX"),
        Format(
            "csl-json", "kg.export.csljson", (".csl.json", ".csljson"), "Zotero, pandoc, citeproc"
        ),
    )
}


def get(name: str) -> ModuleType:
    """Return the writer module of format ``name``; ``KeyError`` for an unknown name."""
    return FORMATS[name].load()


def format_for_path(path: str | os.PathLike) -> str | None:
    """Guess the format from a path's suffix; None when it says nothing.

    The longest matching suffix wins, so ``refs.csl.json`` is CSL-JSON while
    ``graph.json`` is node-link JSON. An existing folder means csv.
    """
    text = os.fspath(path)
    lower = text.lower()
    best, best_length = None, 0
    for fmt in FORMATS.values():
        for suffix in fmt.suffixes:
            if lower.endswith(suffix) and len(suffix) > best_length:
                best, best_length = fmt.name, len(suffix)
    if best is None and (os.path.isdir(text) or text.endswith(("/", os.sep))):
        return "csv"
    return best


def write(format_name: str, graph, corpus, target, **options) -> None:
    """Write ``graph`` (of ``corpus``) in format ``format_name`` to ``target``.

    ``options`` go to the format's writer (``dialect=`` for cypher).
    """
    get(format_name).write(graph, corpus, target, **options)
