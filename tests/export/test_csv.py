"""CSV export: nodes.csv and edges.csv, in a folder or a zip, read back with the csv module."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from export.helpers import HOSTILE, exported_edges_of, exported_nodes_of
from kg.errors import WriteError
from kg.export import csv as csv_export


def _rows(data: bytes) -> list[dict]:
    """Rows of one table, as a spreadsheet or neo4j-admin would read them."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _typed(row: dict, fixed: tuple[str, ...]) -> dict:
    """Attributes of a row: empty cells dropped, ``NAME:int`` columns turned into ints."""
    attributes = {}
    for header, cell in row.items():
        if header in fixed or cell == "":
            continue
        name, _, kind = header.partition(":")
        attributes[name] = int(cell) if kind == "int" else cell
    return attributes


def _graph_from(nodes_csv: bytes, edges_csv: bytes) -> tuple[dict, dict]:
    nodes, edges = {}, {}
    for row in _rows(nodes_csv):
        assert row["id:ID"] not in nodes, "a node appears twice"
        assert row[":LABEL"] == row["kind"].capitalize()
        nodes[row["id:ID"]] = _typed(row, ("id:ID", ":LABEL"))
    for row in _rows(edges_csv):
        pair = (row[":START_ID"], row[":END_ID"])
        assert pair not in edges, "an edge appears twice"
        assert row[":TYPE"] == row["relation"].upper()
        edges[pair] = _typed(row, (":START_ID", ":END_ID", ":TYPE"))
    return nodes, edges


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_folder_holds_every_node_and_edge_once(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    folder = tmp_path / "export"

    csv_export.write(graph, corpus, folder)

    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]
    nodes, edges = _graph_from(
        (folder / "nodes.csv").read_bytes(), (folder / "edges.csv").read_bytes()
    )
    assert nodes == exported_nodes_of(graph)
    assert edges == exported_edges_of(graph)


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_zip_holds_the_same_tables(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.zip"

    csv_export.write(graph, corpus, path)

    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["nodes.csv", "edges.csv"]
        nodes, edges = _graph_from(archive.read("nodes.csv"), archive.read("edges.csv"))
    assert nodes == exported_nodes_of(graph)
    assert edges == exported_edges_of(graph)


def test_headers_follow_the_neo4j_import_convention(hostile_graph):
    tables = csv_export.tables(hostile_graph)
    node_header = tables["nodes.csv"].decode("utf-8").split("\r\n")[0]
    edge_header = tables["edges.csv"].decode("utf-8").split("\r\n")[0]
    assert node_header.startswith("id:ID,:LABEL,kind,label,")
    assert "line:int" in node_header.split(",")
    # a whole-number year is a number column; the others keep their text beside it
    assert {"year:int", "year_text"} <= set(node_header.split(","))
    assert (
        edge_header
        == ":START_ID,:END_ID,:TYPE,relation,page,position:int,reason,relation_type,role,strength"
    )


def test_hostile_strings_survive_in_one_cell(hostile_graph):
    rows = _rows(csv_export.tables(hostile_graph)["nodes.csv"])
    quote = next(row for row in rows if row["id:ID"] == "quote:q1")
    assert quote["text"] == HOSTILE


def test_same_graph_gives_the_same_zip_bytes(hostile_graph, hostile_corpus):
    first, second = io.BytesIO(), io.BytesIO()
    csv_export.write(hostile_graph, hostile_corpus, first)
    csv_export.write(hostile_graph, hostile_corpus, second)
    assert first.getvalue() == second.getvalue()
    assert zipfile.ZipFile(first).namelist() == ["nodes.csv", "edges.csv"]


def test_refuses_a_text_stream_and_a_file_in_the_way(hostile_graph, hostile_corpus, tmp_path):
    with pytest.raises(WriteError, match="binary stream"):
        csv_export.write(hostile_graph, hostile_corpus, io.StringIO())
    in_the_way = tmp_path / "export"
    in_the_way.write_text("not a folder")
    with pytest.raises(WriteError, match=r"it is a file; give a folder or a \.zip path"):
        csv_export.write(hostile_graph, hostile_corpus, in_the_way)
    assert in_the_way.read_text() == "not a folder"
