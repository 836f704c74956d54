"""Tests for ``kg export``: format choice, stdout, filters, exit codes and exact messages."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export import FORMATS

BIB = """@article{hernandez2007vicarious,
  author  = {Hernández, Pilar and Gangsei, David},
  title   = {Vicarious resilience: {A} "new" concept \\& <more>},
  journal = {Family Process},
  year    = {2007},
}

@book{lipsky2009trauma,
  author    = {van Dernoot Lipsky, Laura},
  title     = {Trauma Stewardship},
  publisher = {Berrett-Koehler},
  year      = {2009},
}
"""

CONCEPTS = """version: 1
title: Tiny & <hostile> "map"

concepts:
  - id: vicarious-resilience
    label: Vicarious resilience
    definition: "Growth \\\\ strength: it's \\"real\\" ]]> naïve"
    papers:
      - key: hernandez2007vicarious
        strength: supported
        reason: Names it.
  - id: self-care
    label: Self-care
    papers:
      - key: lipsky2009trauma
        strength: weak
        reason: A book about it.

objectives:
  - id: "1a"
    domain: knowledge
    text: describe vicarious resilience
    concepts:
      - id: vicarious-resilience
        strength: supported
        reason: Named.

quotes:
  - id: helped
    text: "It's \\"ours\\" — <all> of it"
    speaker: Laura van Dernoot Lipsky
    source: lipsky2009trauma
    page: ""
    concepts: [self-care]
    objectives: []
"""

WHOLE = "9 nodes, 8 edges"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A tiny valid project (two papers, two concepts, one objective, one quote) as the cwd."""
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    """Invoke ``kg export`` with ``args``; exceptions propagate so failures show a traceback."""
    return CliRunner().invoke(main, ["export", *args], catch_exceptions=False)


def test_format_comes_from_the_suffix(project):
    result = run("-o", "graph.graphml")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"kg: wrote graphml to graph.graphml: {WHOLE}\n"
    graph = nx.read_graphml(project / "graph.graphml")
    assert (
        graph.nodes["concept:vicarious-resilience"]["definition"]
        == 'Growth \\ strength: it\'s "real" ]]> naïve'
    )


@pytest.mark.parametrize(
    ("output", "fmt"),
    [
        ("g.graphml", "graphml"),
        ("g.gexf", "gexf"),
        ("g.json", "json"),
        ("g.cyjs", "cytoscape"),
        ("g.zip", "csv"),
        ("out/", "csv"),
        ("g.cypher", "cypher"),
        ("g.cql", "cypher"),
        ("refs.bib", "bibtex"),
        ("refs.csl.json", "csl-json"),
    ],
)
def test_every_suffix_writes_its_format(project, output, fmt):
    result = run("-o", output)
    assert result.exit_code == 0
    what = "2 entries" if fmt in ("bibtex", "csl-json") else WHOLE
    assert result.stderr == f"kg: wrote {fmt} to {output}: {what}\n"
    assert (project / output).exists()


def test_format_option_wins_over_the_suffix(project):
    result = run("-o", "graph.json", "--format", "cytoscape")
    assert result.exit_code == 0
    data = json.loads((project / "graph.json").read_text(encoding="utf-8"))
    assert "elements" in data


def test_csv_folder_holds_both_tables(project):
    result = run("-o", "tables", "--format", "csv")
    assert result.exit_code == 0
    assert sorted(p.name for p in (project / "tables").iterdir()) == ["edges.csv", "nodes.csv"]
    assert run("-o", "t.zip").exit_code == 0
    assert zipfile.ZipFile(project / "t.zip").namelist() == ["nodes.csv", "edges.csv"]


def test_dash_writes_to_stdout(project):
    result = run("-o", "-", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == f"kg: wrote json to standard output: {WHOLE}\n"
    graph = nx.node_link_graph(json.loads(result.stdout), edges="edges")
    assert graph.number_of_nodes() == 9
    assert sorted(p.name for p in project.iterdir()) == ["concepts.yaml", "references.bib"]


def test_bibtex_to_stdout_is_the_entries_with_keywords(project):
    result = run("-o", "-", "--format", "bibtex", "--concept", "self-care")
    assert result.exit_code == 0
    assert result.stdout == (
        "@book{lipsky2009trauma,\n"
        "  author    = {van Dernoot Lipsky, Laura},\n"
        "  title     = {Trauma Stewardship},\n"
        "  publisher = {Berrett-Koehler},\n"
        "  year      = {2009},\n"
        "  keywords  = {Self-care},\n"
        "}\n"
    )
    assert result.stderr == "kg: wrote bibtex to standard output: 1 entry\n"


def test_objective_filter_exports_its_neighbourhood(project):
    result = run("-o", "part.json", "--objective", "1a")
    assert result.exit_code == 0
    assert result.stderr == "kg: wrote json to part.json: 5 nodes, 4 edges\n"
    graph = nx.node_link_graph(
        json.loads((project / "part.json").read_text(encoding="utf-8")), edges="edges"
    )
    assert sorted(graph) == [
        "author:gangsei-d",
        "author:hernandez-p",
        "concept:vicarious-resilience",
        "objective:1a",
        "paper:hernandez2007vicarious",
    ]


def test_unknown_objective_fails_and_writes_nothing(project):
    result = run("-o", "part.json", "--objective", "9z")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("kg: error: no objective matches '9z'")
    assert not (project / "part.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-o", "-"],
            "-o - (standard output) needs --format; choose one of: " + ", ".join(FORMATS),
        ),
        (
            ["-o", "-", "--format", "csv"],
            "--format csv writes several files and cannot go to standard output; give a folder or a .zip path with -o.",
        ),
        (
            ["-o", "graph.csv"],
            "-o graph.csv: csv export writes two files (nodes.csv and edges.csv); give a folder (-o graph/) "
            "or a zip archive (-o graph.zip).",
        ),
        (
            ["-o", "graph.txt"],
            "cannot tell the format of -o graph.txt from its name; pass --format (graphml, gexf, json, "
            "cytoscape, csv, cypher, parquet, bibtex, csl-json) or use a known suffix (.graphml, .gexf, .json, .cyjs, "
            ".zip, .cypher, .cql, .bib, .csl.json, .csljson), or a folder for csv.",
        ),
        (
            ["-o", "graph.parquet"],
            "-o graph.parquet: parquet export writes two tables (nodes.parquet and edges.parquet) "
            "into a folder; give one with --format parquet (-o graph/ --format parquet).",
        ),
    ],
    ids=[
        "stdout-without-format",
        "csv-to-stdout",
        "csv-suffix",
        "unknown-suffix",
        "parquet-suffix",
    ],
)
def test_usage_errors_exit_2(project, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(f"Error: {message}\n")


def test_missing_output_option_is_a_usage_error(project):
    result = run()
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'." in result.stderr


def test_unwritable_target_fails_with_exit_1(project):
    result = run("-o", "no/such/folder/graph.json")
    assert result.exit_code == 1
    assert result.stderr == (
        "kg: error: cannot write no/such/folder/graph.json: folder "
        f"{project / 'no' / 'such' / 'folder'} does not exist\n"
    )


def test_help_lists_every_format(project):
    result = CliRunner().invoke(main, ["export", "-h"], catch_exceptions=False)
    assert result.exit_code == 0
    for name, fmt in FORMATS.items():
        assert any(
            line.split()[:1] == [name] and fmt.consumers in line
            for line in result.stdout.splitlines()
        )


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_shipped_data_exports_in_every_format(fmt, root, tmp_path, monkeypatch):
    from tests.conftest import need

    bib, concepts = root / "references.bib", root / "concepts.yaml"
    need(bib.is_file() and concepts.is_file(), "the shipped references.bib and concepts.yaml")
    monkeypatch.chdir(tmp_path)
    output = "out" if fmt == "csv" else "out.data"
    result = run("--bib", str(bib), "--concepts", str(concepts), "-o", output, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"kg: wrote {fmt} to {output}: ")
    assert (tmp_path / output).exists()


@pytest.mark.parametrize(
    ("dialect", "first_statement"),
    [
        (None, "CREATE CONSTRAINT kg_paper_id IF NOT EXISTS"),
        ("neo4j", "CREATE CONSTRAINT kg_paper_id IF NOT EXISTS"),
        ("opencypher", "MERGE (n:Author {id: 'author:"),
        ("kuzu", "CREATE NODE TABLE IF NOT EXISTS Paper(id STRING, PRIMARY KEY (id));"),
    ],
)
def test_cypher_dialect_chooses_the_script(project, dialect, first_statement):
    options = ["--dialect", dialect] if dialect else []
    result = run("-o", "-", "--format", "cypher", *options)
    assert result.exit_code == 0, result.stderr
    statements = [line for line in result.stdout.splitlines() if not line.startswith("//")]
    assert statements[0].startswith(first_statement)


def test_dialect_is_for_cypher_only(project):
    result = run("-o", "graph.gexf", "--dialect", "kuzu")
    assert result.exit_code == 2
    assert (
        "Error: --dialect chooses a Cypher flavour; this export is gexf. "
        "Use it with --format cypher or a .cypher / .cql path." in result.stderr
    )
    assert not (project / "graph.gexf").exists()


def test_an_unknown_dialect_is_a_usage_error(project):
    result = run("-o", "graph.cypher", "--dialect", "gremlin")
    assert result.exit_code == 2
    assert "'gremlin' is not one of 'neo4j', 'opencypher', 'kuzu'" in result.stderr


def test_dialect_choices_are_the_writers_dialects():
    from kg.cli.export import export
    from kg.export.cypher import DIALECTS

    option = next(param for param in export.params if param.name == "dialect")
    assert tuple(option.type.choices) == DIALECTS


def _cytoscape_positions(path: Path) -> dict[str, tuple[float, float]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return {
        node["data"]["id"]: (node["position"]["x"], node["position"]["y"])
        for node in document["elements"]["nodes"]
    }


def test_drawing_takes_the_positions_of_the_rendered_map(project):
    """After `kg render`, a drawing export puts every node where the map's layout file has it."""
    layout_file = project / "concept-map.layout.json"
    moved = {"concept:self-care": [4321, -1234]}
    assert CliRunner().invoke(main, ["render"], catch_exceptions=False).exit_code == 0
    document = json.loads(layout_file.read_text(encoding="utf-8"))
    document["positions"].update(moved)  # as if a trainer's map had its own geography
    layout_file.write_text(json.dumps(document), encoding="utf-8")

    result = run("-o", "graph.cyjs")
    assert result.exit_code == 0
    assert result.stderr == (
        f"positions from concept-map.layout.json\nkg: wrote cytoscape to graph.cyjs: {WHOLE}\n"
    )
    positions = _cytoscape_positions(project / "graph.cyjs")
    for node, (x, y) in document["positions"].items():
        assert positions[node] == (x, y)


def test_drawing_takes_a_named_layout_file(project):
    assert CliRunner().invoke(main, ["render", "-o", "room.html"]).exit_code == 0
    result = run("-o", "graph.cyjs", "--layout", "room.layout.json")
    assert result.exit_code == 0
    assert result.stderr.startswith("positions from room.layout.json\n")
    layout = json.loads((project / "room.layout.json").read_text(encoding="utf-8"))["positions"]
    positions = _cytoscape_positions(project / "graph.cyjs")
    assert {node: list(xy) for node, xy in positions.items() if node in layout} == layout


def test_layout_is_for_drawings_only_and_must_exist(project):
    result = CliRunner().invoke(main, ["export", "-o", "g.json", "--layout", "x.layout.json"])
    assert result.exit_code == 2
    assert (
        "--layout gives positions to a drawing (gexf, graphml, cytoscape); this export is json."
        in result.stderr
    )
    result = CliRunner().invoke(main, ["export", "-o", "g.gexf", "--layout", "missing.layout.json"])
    assert result.exit_code == 1
    assert result.stderr == (
        "kg: error: layout file not found: missing.layout.json; "
        "`kg render` writes one beside the map\n"
    )
    assert not (project / "g.gexf").exists()
