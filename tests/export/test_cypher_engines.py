"""The Cypher scripts run in real embedded engines, twice: the same counts, nothing duplicated.

- ``opencypher`` in GraphQLite (openCypher over SQLite, from PyPI), one statement at a time.
- ``kuzu`` in Kùzu (from PyPI), the whole script at once.

Both engines are in the test extras; CI fails when one is missing.
"""

from __future__ import annotations

import importlib

import pytest

from export.helpers import HOSTILE
from kg.export import cypher
from tests.conftest import need


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _graphqlite():
    """A GraphQLite connection in memory, or a skip (a failure in CI) when it cannot load."""
    graphqlite = _module("graphqlite")
    need(graphqlite is not None, "the graphqlite package (pip install -e '.[test]')")
    import sqlite3

    connection = sqlite3.connect(":memory:")
    if not hasattr(connection, "enable_load_extension"):
        # this Python's sqlite3 cannot load extensions: pysqlite3 ships one that can
        dbapi = _module("pysqlite3.dbapi2")
        need(dbapi is not None, "pysqlite3-binary, for a sqlite3 that loads extensions")
        connection = dbapi.connect(":memory:")
    return graphqlite.wrap(connection)


def _kuzu():
    kuzu = _module("kuzu")
    need(kuzu is not None, "the kuzu package (pip install -e '.[test]')")
    return kuzu.Connection(kuzu.Database(":memory:"))


def _run_opencypher(db, script: str) -> None:
    for line in script.splitlines():
        if line and not line.startswith("//"):
            db.cypher(line.rstrip(";"))


def _rows(db, query: str) -> list[dict]:
    return db.cypher(query).to_list()


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_opencypher_runs_twice_in_graphqlite(which, request):
    graph = request.getfixturevalue(f"{which}_graph")
    script = cypher.render(graph, "opencypher")
    db = _graphqlite()

    counts = []
    for _ in range(2):
        _run_opencypher(db, script)
        counts.append(
            (
                _rows(db, "MATCH (n) RETURN count(n) AS c")[0]["c"],
                _rows(db, "MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"],
            )
        )
    assert counts == [(graph.number_of_nodes(), graph.number_of_edges())] * 2

    papers = {
        row["id"]: row
        for row in _rows(db, "MATCH (p:Paper) RETURN p.id AS id, p.year AS year, p.title AS title")
    }
    expected_years = {
        node: int(data["year"])
        for node, data in graph.nodes(data=True)
        if data.get("kind") == "paper" and str(data.get("year", "")).isdigit()
    }
    assert {node: papers[node]["year"] for node in expected_years} == expected_years
    assert all(isinstance(year, int) for year in expected_years.values())
    per_type = _rows(db, "MATCH ()-[r:WROTE]->() RETURN count(r) AS c")[0]["c"]
    assert per_type == sum(1 for *_, r in graph.edges(data="relation") if r == "wrote")


def test_opencypher_keeps_hostile_strings_in_graphqlite(hostile_graph):
    db = _graphqlite()
    _run_opencypher(db, cypher.render(hostile_graph, "opencypher"))
    assert _rows(db, "MATCH (q:Quote) RETURN q.text AS text") == [{"text": HOSTILE}]
    reason = _rows(
        db,
        "MATCH (:Paper)-[r:DISCUSSES]->(:Concept {id: 'concept:vicarious-resilience'}) "
        "RETURN r.reason AS reason",
    )
    assert reason == [{"reason": HOSTILE}]
    assert _rows(db, "MATCH (p:Paper {id: 'paper:lonely2020'}) RETURN p.year_text AS y") == [
        {"y": "in press"}
    ]


def _kuzu_value(connection, query: str) -> list[list]:
    """Every row of a Kùzu query."""
    result = connection.execute(query)
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_kuzu_script_runs_twice_in_kuzu(which, request):
    graph = request.getfixturevalue(f"{which}_graph")
    script = cypher.render(graph, "kuzu")
    connection = _kuzu()

    counts = []
    for _ in range(2):
        connection.execute(script)
        counts.append(
            (
                _kuzu_value(connection, "MATCH (n) RETURN count(n)")[0][0],
                _kuzu_value(connection, "MATCH ()-[r]->() RETURN count(r)")[0][0],
            )
        )
    assert counts == [(graph.number_of_nodes(), graph.number_of_edges())] * 2
    years = dict(
        _kuzu_value(connection, "MATCH (p:Paper) WHERE p.year IS NOT NULL RETURN p.id, p.year")
    )
    assert years and all(isinstance(year, int) for year in years.values())
    assert years == {
        node: int(data["year"])
        for node, data in graph.nodes(data=True)
        if data.get("kind") == "paper" and str(data.get("year", "")).isdigit()
    }


def test_kuzu_keeps_hostile_strings(hostile_graph):
    connection = _kuzu()
    connection.execute(cypher.render(hostile_graph, "kuzu"))
    assert _kuzu_value(connection, "MATCH (q:Quote) RETURN q.text") == [[HOSTILE]]
    assert _kuzu_value(
        connection, "MATCH (:Concept)-[r:RELATED]->(:Concept) RETURN r.relation_type, r.reason"
    ) == [["contrasts-with", HOSTILE]]


def test_kuzu_script_extends_a_database_loaded_from_a_smaller_graph(hostile_graph):
    """A later, fuller export adds its new columns and relation ends instead of failing."""
    connection = _kuzu()
    smaller = hostile_graph.subgraph(
        [n for n, kind in hostile_graph.nodes(data="kind") if kind in ("paper", "author")]
    ).copy()
    connection.execute(cypher.render(smaller, "kuzu"))
    connection.execute(cypher.render(hostile_graph, "kuzu"))
    assert _kuzu_value(connection, "MATCH (n) RETURN count(n)")[0][0] == len(hostile_graph)


def test_neo4j_dialect_is_refused_by_kuzu(hostile_graph):
    """Why the kuzu dialect exists: Kùzu rejects Neo4j's script outright."""
    connection = _kuzu()
    with pytest.raises(RuntimeError):
        connection.execute(cypher.render(hostile_graph, "neo4j"))
