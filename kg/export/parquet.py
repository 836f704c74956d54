"""Two Parquet tables, ``nodes.parquet`` and ``edges.parquet``, for engines beyond one machine.

When a literature outgrows one machine (a field's whole citation graph), it
goes to an engine built for that. Both tables follow the schema Spark
GraphFrames expects, which DuckDB, Polars and pandas read as they are:

- ``nodes.parquet``: ``id`` (the typed node id, ``paper:KEY``), ``kind``
  (``paper``, ``author``, ``concept``, ``objective``, ``quote``), ``label``,
  then every other attribute in alphabetical order.
- ``edges.parquet``: ``src`` and ``dst`` (node ids), ``relation``
  (``wrote``, ``discusses`` ...), then every other attribute.

They go in a folder (created if missing; its parent must exist), one file per
table, as Spark and DuckDB read a table split in files. The attributes are
those of :func:`kg.export.attributes.exported_graph`: a column whose values
are all whole numbers (``year``, ``line``, ``position``) is a 64-bit integer,
every other column text; an absent attribute is null. Rows come in the
graph's order, so the same graph always gives the same tables.

Beside the tables, ``neo4j-nodes-header.csv`` and ``neo4j-edges-header.csv``
are the name-mapping header files of Neo4j's Parquet import (``neo4j-admin
database import full --input-type=parquet``, Neo4j 5.25 and later): their
first row gives Neo4j's meaning (``id:ID``, ``:LABEL`` from ``kind``,
``:START_ID``, ``:END_ID``, ``:TYPE`` from ``relation``, ``year:long``),
the second the column it is read from.

pyarrow writes the files. It is an optional dependency (``pip install
'kg[parquet]'``); without it this format says so and writes nothing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from kg.errors import MissingDependencyError, WriteError
from kg.export._output import is_stream
from kg.export.attributes import exported_graph
from kg.fileio import atomic_write

NAME = "parquet"
NODES_FILE = "nodes.parquet"
EDGES_FILE = "edges.parquet"
NODES_HEADER_FILE = "neo4j-nodes-header.csv"
EDGES_HEADER_FILE = "neo4j-edges-header.csv"
NODE_COLUMNS = ("id", "kind", "label")
EDGE_COLUMNS = ("src", "dst", "relation")
#: Neo4j's name for a fixed column, in its import header.
_NEO4J_FIXED = {
    "id": "id:ID",
    "kind": ":LABEL",
    "src": ":START_ID",
    "dst": ":END_ID",
    "relation": ":TYPE",
}
INSTALL_HINT = (
    "parquet export needs pyarrow, which is not installed; "
    "install it with: pip install 'kg[parquet]' (or pip install pyarrow)"
)


def _pyarrow():
    """The pyarrow module and its parquet writer, or a message that says how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as error:
        raise MissingDependencyError(INSTALL_HINT) from error
    return pyarrow, pyarrow.parquet


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _columns(rows: list[dict], fixed: tuple[str, ...]) -> list[tuple[str, bool]]:
    """(name, whole numbers?) for ``fixed`` then every other attribute, sorted by name."""
    others = sorted({name for row in rows for name in row} - set(fixed))
    columns = [(name, False) for name in fixed]
    for name in others:
        values = [row[name] for row in rows if name in row]
        columns.append((name, bool(values) and all(_is_whole(value) for value in values)))
    return columns


def _table(rows: list[dict], columns: list[tuple[str, bool]]):
    """A pyarrow table of ``rows``: integer columns as int64, the rest as text, absent as null."""
    pyarrow, _ = _pyarrow()
    arrays, fields = [], []
    for name, whole in columns:
        values = [row.get(name) for row in rows]
        if whole:
            arrays.append(pyarrow.array(values, type=pyarrow.int64()))
            fields.append(pyarrow.field(name, pyarrow.int64()))
        else:
            text = [None if value is None else str(value) for value in values]
            arrays.append(pyarrow.array(text, type=pyarrow.string()))
            fields.append(
                pyarrow.field(name, pyarrow.string(), nullable=name not in ("id", "src", "dst"))
            )
    return pyarrow.Table.from_arrays(arrays, schema=pyarrow.schema(fields))


def _parquet_bytes(table) -> bytes:
    _, parquet = _pyarrow()
    buffer = io.BytesIO()
    parquet.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def _neo4j_header(columns: list[tuple[str, bool]]) -> bytes:
    """The two-row name-mapping header of Neo4j's Parquet import for these columns."""
    meaning = [_NEO4J_FIXED.get(name, f"{name}:long" if whole else name) for name, whole in columns]
    return (",".join(meaning) + "\n" + ",".join(name for name, _ in columns) + "\n").encode()


def tables(graph) -> dict[str, bytes]:
    """The four files of the export, by name: both tables and both Neo4j header files."""
    graph = exported_graph(graph)
    nodes = [{"id": node, **data} for node, data in graph.nodes(data=True)]
    edges = [
        {"src": source, "dst": target, **data} for source, target, data in graph.edges(data=True)
    ]
    node_columns = _columns(nodes, NODE_COLUMNS)
    edge_columns = _columns(edges, EDGE_COLUMNS)
    return {
        NODES_FILE: _parquet_bytes(_table(nodes, node_columns)),
        EDGES_FILE: _parquet_bytes(_table(edges, edge_columns)),
        NODES_HEADER_FILE: _neo4j_header(node_columns),
        EDGES_HEADER_FILE: _neo4j_header(edge_columns),
    }


def write(graph, corpus, target) -> None:
    """Write both tables (and Neo4j's header files) into the folder ``target``.

    A folder that does not exist is created (its parent must exist); each
    file is replaced atomically. A stream or an existing file is refused:
    two tables need a folder.
    """
    if is_stream(target):
        raise WriteError("parquet export writes two tables: give a folder with -o, not a stream")
    path = Path(os.fspath(target))
    if path.exists() and not path.is_dir():
        raise WriteError(f"cannot write parquet to {path}: it is a file; give a folder")
    files = tables(graph)  # before creating the folder: a missing pyarrow leaves nothing behind
    try:
        path.mkdir(exist_ok=True)
    except OSError as error:
        raise WriteError(f"cannot create folder {path}: {error.strerror or error}") from error
    for name, content in files.items():
        atomic_write(path / name, content)
