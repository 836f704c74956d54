"""Parquet export: nodes.parquet and edges.parquet in a folder, read back with pyarrow and DuckDB."""

from __future__ import annotations

import builtins
import io

import pytest
from click.testing import CliRunner

from export.helpers import HOSTILE, exported_edges_of, exported_nodes_of
from kg.cli import main
from kg.errors import MissingDependencyError, WriteError
from kg.export import FORMATS
from kg.export import parquet as parquet_export


def _query(sql: str) -> list[tuple]:
    """Rows of a DuckDB query, through the DB-API cursor every DuckDB version keeps."""
    import duckdb

    with duckdb.connect() as connection:
        return connection.execute(sql).fetchall()


def _read(folder):
    """Both tables as {node: attributes} and {(src, dst): attributes}, read with pyarrow."""
    import pyarrow.parquet as pq

    nodes, edges = {}, {}
    for row in pq.read_table(folder / "nodes.parquet").to_pylist():
        node = row.pop("id")
        assert node not in nodes, "a node appears twice"
        nodes[node] = {name: value for name, value in row.items() if value is not None}
    for row in pq.read_table(folder / "edges.parquet").to_pylist():
        pair = (row.pop("src"), row.pop("dst"))
        assert pair not in edges, "an edge appears twice"
        edges[pair] = {name: value for name, value in row.items() if value is not None}
    return nodes, edges


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_pyarrow_reads_back_every_node_and_edge_once(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    folder = tmp_path / "export"

    parquet_export.write(graph, corpus, folder)

    assert sorted(p.name for p in folder.iterdir()) == [
        "edges.parquet",
        "neo4j-edges-header.csv",
        "neo4j-nodes-header.csv",
        "nodes.parquet",
    ]
    nodes, edges = _read(folder)
    assert nodes == exported_nodes_of(graph)
    assert edges == exported_edges_of(graph)


def test_columns_follow_the_graphframes_schema_with_typed_numbers(hostile_graph, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet_export.write(hostile_graph, None, tmp_path / "out")
    nodes = pq.read_schema(tmp_path / "out" / "nodes.parquet")
    edges = pq.read_schema(tmp_path / "out" / "edges.parquet")
    assert nodes.names[:3] == ["id", "kind", "label"]
    assert nodes.names[3:] == sorted(nodes.names[3:])
    assert nodes.field("year").type == pa.int64()
    assert nodes.field("line").type == pa.int64()
    assert nodes.field("year_text").type == pa.string()  # a year that is not a number
    assert edges.names == [
        "src", "dst", "relation", "page", "position", "reason", "relation_type", "role", "strength",
    ]  # fmt: skip
    assert edges.field("position").type == pa.int64()


def test_duckdb_queries_the_two_tables_as_a_graph(shipped_graph, shipped_corpus, tmp_path):
    folder = tmp_path / "graph"
    parquet_export.write(shipped_graph, shipped_corpus, folder)
    nodes, edges = str(folder / "nodes.parquet"), str(folder / "edges.parquet")
    kinds = _query(
        f"SELECT kind, count(*) FROM read_parquet('{nodes}') GROUP BY kind ORDER BY kind"
    )
    expected = {}
    for _, kind in shipped_graph.nodes(data="kind"):
        expected[kind] = expected.get(kind, 0) + 1
    assert kinds == sorted(expected.items())
    # every edge joins two nodes of the nodes table: a graph engine can load them as they are
    dangling = _query(
        f"SELECT count(*) FROM read_parquet('{edges}') e "
        f"LEFT JOIN read_parquet('{nodes}') s ON s.id = e.src "
        f"LEFT JOIN read_parquet('{nodes}') d ON d.id = e.dst WHERE s.id IS NULL OR d.id IS NULL"
    )[0]
    assert dangling == (0,)
    most = _query(
        f"SELECT a.label, count(*) AS papers FROM read_parquet('{edges}') e "
        f"JOIN read_parquet('{nodes}') a ON a.id = e.src WHERE e.relation = 'wrote' "
        f"GROUP BY a.label ORDER BY papers DESC, a.label LIMIT 1"
    )[0]
    wrote = {}
    for source, _, relation in shipped_graph.edges(data="relation"):
        if relation == "wrote":
            label = shipped_graph.nodes[source]["label"]
            wrote[label] = wrote.get(label, 0) + 1
    assert most == min(wrote.items(), key=lambda item: (-item[1], item[0]))
    year = _query(f"SELECT typeof(year) FROM read_parquet('{nodes}') LIMIT 1")[0]
    assert year == ("BIGINT",)


def test_hostile_strings_survive_in_one_value(hostile_graph, tmp_path):
    parquet_export.write(hostile_graph, None, tmp_path / "out")
    text = _query(
        f"SELECT text FROM read_parquet('{tmp_path / 'out' / 'nodes.parquet'}') WHERE id = 'quote:q1'"
    )[0]
    assert text == (HOSTILE,)


def test_neo4j_header_files_map_the_columns(hostile_graph):
    files = parquet_export.tables(hostile_graph)
    meaning, columns = files["neo4j-edges-header.csv"].decode().splitlines()
    assert meaning == (
        ":START_ID,:END_ID,:TYPE,page,position:long,reason,relation_type,role,strength"
    )
    assert columns == "src,dst,relation,page,position,reason,relation_type,role,strength"
    meaning, columns = files["neo4j-nodes-header.csv"].decode().splitlines()
    assert meaning.startswith("id:ID,:LABEL,label,")
    assert columns.startswith("id,kind,label,")
    assert "year:long" in meaning.split(",") and "line:long" in meaning.split(",")


def test_same_graph_gives_the_same_bytes(hostile_graph):
    assert parquet_export.tables(hostile_graph) == parquet_export.tables(hostile_graph)


def test_refuses_a_stream_and_a_file_in_the_way(hostile_graph, tmp_path):
    with pytest.raises(WriteError, match="give a folder with -o, not a stream"):
        parquet_export.write(hostile_graph, None, io.BytesIO())
    in_the_way = tmp_path / "export"
    in_the_way.write_text("not a folder")
    with pytest.raises(WriteError, match="it is a file; give a folder"):
        parquet_export.write(hostile_graph, None, in_the_way)
    assert in_the_way.read_text() == "not a folder"


def test_without_pyarrow_it_says_how_to_install_it_and_writes_nothing(
    hostile_graph, tmp_path, monkeypatch
):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    folder = tmp_path / "out"
    with pytest.raises(MissingDependencyError) as raised:
        parquet_export.write(hostile_graph, None, folder)
    assert str(raised.value) == (
        "parquet export needs pyarrow, which is not installed; "
        "install it with: pip install 'kg[parquet]' (or pip install pyarrow)"
    )
    assert not folder.exists()


def test_the_command_writes_a_folder_and_refuses_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "references.bib").write_text(
        "@article{a2020, author = {Ann Lee and Bo Park}, title = {Otolith growth}, "
        "journal = {J}, year = {2020}}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--format", "parquet", "-o", "graph"],
                           catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "kg: wrote parquet to graph: 3 nodes, 2 edges" in result.stderr
    nodes, edges = _read(tmp_path / "graph")
    assert sorted(nodes) == ["author:lee-a", "author:park-b", "paper:a2020"]
    assert nodes["paper:a2020"]["year"] == 2020
    assert {pair: attrs["relation"] for pair, attrs in edges.items()} == {
        ("author:lee-a", "paper:a2020"): "wrote",
        ("author:park-b", "paper:a2020"): "wrote",
    }
    refused = runner.invoke(main, ["export", "--format", "parquet", "-o", "-"])
    assert refused.exit_code == 2
    assert "writes several files and cannot go to standard output" in refused.stderr


def test_registered_as_a_folder_format_and_listed_in_help():
    fmt = FORMATS["parquet"]
    assert (fmt.module, fmt.suffixes, fmt.single_file) == ("kg.export.parquet", (), False)
    help_text = CliRunner().invoke(main, ["export", "--help"]).output
    assert (
        "  parquet    (folder)             Spark GraphFrames, DuckDB, Neo4j 5.25+ import"
        in help_text
    )
