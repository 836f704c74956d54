"""Two CSV tables, ``nodes.csv`` and ``edges.csv``, for spreadsheets and Neo4j's bulk import.

They go in a folder (created if missing) or, for a target ending in ``.zip``
or an open binary stream, in one zip archive. Both files are UTF-8 with a
header row, quoted by the csv module (a value with a comma, a quote or a line
break is wrapped in double quotes, quotes doubled); every node and every edge
appears once.

Headers follow the ``neo4j-admin database import`` convention, which a
spreadsheet shows as plain column names:

- ``nodes.csv``: ``id:ID`` (the typed node id, ``paper:KEY``), ``:LABEL``
  (``Paper``, ``Author``, ``Concept``, ``Objective``, ``Quote``), ``kind``,
  ``label``, then every other attribute in alphabetical order.
- ``edges.csv``: ``:START_ID``, ``:END_ID``, ``:TYPE`` (the relation in
  capitals: ``WROTE``, ``DISCUSSES`` ...), ``relation``, then every other
  attribute (``strength``, ``reason``, ``relation_type``, ``role``, ``position``, ``page``).

The attributes are those of :func:`kg.export.attributes.exported_graph`:
``year`` is a number (``year_text`` holds a year that is not one) and a
concept relation's kind is ``relation_type``. A column whose values are all
whole numbers is named ``NAME:int`` so Neo4j stores numbers. An empty cell means the attribute is absent. Text may hold
line breaks: import with ``--multiline-fields=true``.
"""

from __future__ import annotations

import csv as _csv
import io
import os
import zipfile
from pathlib import Path

from kg.errors import WriteError
from kg.export._output import emit, is_stream
from kg.export.attributes import exported_graph
from kg.fileio import atomic_write

NAME = "csv"
NODES_FILE = "nodes.csv"
EDGES_FILE = "edges.csv"
NODE_COLUMNS = ("id:ID", ":LABEL", "kind", "label")
EDGE_COLUMNS = (":START_ID", ":END_ID", ":TYPE", "relation")
# zip members get a fixed date so that the same graph gives the same bytes
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def neo4j_label(kind: str) -> str:
    """The Neo4j node label of a node kind: ``paper`` -> ``Paper``."""
    return kind[:1].upper() + kind[1:]


def neo4j_type(relation: str) -> str:
    """The Neo4j relationship type of a relation: ``discusses`` -> ``DISCUSSES``."""
    return relation.upper().replace("-", "_")


def _typed_columns(rows: list[dict], fixed: tuple[str, ...]) -> list[tuple[str, str]]:
    """(attribute, header) for every attribute not in ``fixed``, sorted by name."""
    names = sorted({name for row in rows for name in row} - set(fixed))
    columns = []
    for name in names:
        values = [row[name] for row in rows if name in row]
        numeric = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
        columns.append((name, f"{name}:int" if numeric else name))
    return columns


def _table(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = _csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def tables(graph) -> dict[str, bytes]:
    """Return ``{"nodes.csv": bytes, "edges.csv": bytes}`` for ``graph``."""
    graph = exported_graph(graph)
    node_rows = [dict(data) for _, data in graph.nodes(data=True)]
    node_columns = _typed_columns(node_rows, ("kind", "label"))
    nodes = []
    for node, data in graph.nodes(data=True):
        kind = data.get("kind", "")
        nodes.append(
            [node, neo4j_label(kind), kind, data.get("label", "")]
            + [_cell(data.get(name)) for name, _ in node_columns]
        )

    edge_rows = [dict(data) for _, _, data in graph.edges(data=True)]
    edge_columns = _typed_columns(edge_rows, ("relation",))
    edges = []
    for source, target, data in graph.edges(data=True):
        relation = data.get("relation", "")
        edges.append(
            [source, target, neo4j_type(relation), relation]
            + [_cell(data.get(name)) for name, _ in edge_columns]
        )

    return {
        NODES_FILE: _table(list(NODE_COLUMNS) + [h for _, h in node_columns], nodes),
        EDGES_FILE: _table(list(EDGE_COLUMNS) + [h for _, h in edge_columns], edges),
    }


def _cell(value) -> str:
    return "" if value is None else str(value)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """Pack ``files`` into a zip archive (deflated, fixed dates) and return its bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def write(graph, corpus, target) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` to a folder, a ``.zip`` path or a binary stream.

    A folder that does not exist is created (its parent must exist). Each file
    is replaced atomically; the zip is built in memory and written in one go.
    """
    files = tables(graph)
    if is_stream(target):
        if isinstance(target, io.TextIOBase):
            raise WriteError("csv export to a stream is a zip archive: give a binary stream")
        emit(target, zip_bytes(files))
        return
    path = Path(os.fspath(target))
    if path.suffix.lower() == ".zip":
        atomic_write(path, zip_bytes(files))
        return
    if path.exists() and not path.is_dir():
        raise WriteError(f"cannot write csv to {path}: it is a file; give a folder or a .zip path")
    try:
        path.mkdir(exist_ok=True)
    except OSError as error:
        raise WriteError(f"cannot create folder {path}: {error.strerror or error}") from error
    for name, content in files.items():
        atomic_write(path / name, content)
