"""Where an exporter's bytes go: a path (written atomically) or an open stream."""

from __future__ import annotations

import io
import os

from kg.fileio import atomic_write


def is_stream(target) -> bool:
    """True when ``target`` is an open file-like object rather than a path."""
    return hasattr(target, "write")


def emit(target, data: bytes | str) -> None:
    """Write ``data`` to ``target``: a path (atomically, UTF-8) or a binary or text stream."""
    if not is_stream(target):
        atomic_write(os.fspath(target), data)
        return
    if isinstance(target, io.TextIOBase):
        target.write(data.decode("utf-8") if isinstance(data, bytes) else data)
    else:
        target.write(data.encode("utf-8") if isinstance(data, str) else data)
    target.flush()


def clean_graph_attrs(graph):
    """Return a shallow copy of ``graph`` whose graph-level attributes hold no None.

    Graph-level values become strings or numbers only, since GraphML and GEXF
    refuse None.
    """
    copy = graph.copy()
    copy.graph = {k: v for k, v in graph.graph.items() if v is not None}
    return copy
