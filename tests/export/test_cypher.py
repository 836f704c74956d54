"""Cypher export: parse the script back with a small Cypher-literal reader and compare."""

from __future__ import annotations

import re

import pytest

from export.helpers import HOSTILE, exported_edges_of, exported_nodes_of
from kg.export import cypher

_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def read_literal(text: str, at: int):
    """Read one Cypher literal (string, integer, boolean) at ``at``: (value, next index)."""
    if text[at] == "'":
        out, at = [], at + 1
        while text[at] != "'":
            if text[at] == "\\":
                code = text[at + 1]
                if code == "u":
                    out.append(chr(int(text[at + 2 : at + 6], 16)))
                    at += 6
                    continue
                out.append(_ESCAPES[code])
                at += 2
                continue
            assert text[at] not in "\n\r", "a raw line break inside a string literal"
            out.append(text[at])
            at += 1
        return "".join(out), at + 1
    match = re.compile(r"-?\d+|true|false").match(text, at)
    assert match, f"no literal at {text[at : at + 20]!r}"
    token = match.group()
    return (token == "true" if token in ("true", "false") else int(token)), match.end()


def read_map(text: str, at: int):
    """Read a map literal ``{key: literal, ...}`` at ``at``: (dict, next index)."""
    assert text[at] == "{"
    values, at = {}, at + 1
    while text[at] != "}":
        match = re.compile(r"\s*(`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_]*): ").match(text, at)
        assert match, f"no key at {text[at : at + 20]!r}"
        key = match.group(1)
        key = key[1:-1].replace("``", "`") if key.startswith("`") else key
        values[key], at = read_literal(text, match.end())
        if text[at] == ",":
            at += 1
    return values, at + 1


def parse_script(script: str):
    """Constraints, nodes {id: (label, props)} and edges {(a, b): (type, props)} of a script.

    Fails on anything that is not one of the three statement shapes, and on a
    node or relation merged twice.
    """
    constraints, nodes, edges = [], {}, {}
    for line in script.splitlines():
        if line.startswith("//"):
            continue
        assert line.endswith(";"), line
        if line.startswith("CREATE CONSTRAINT"):
            match = re.fullmatch(
                r"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.id IS UNIQUE;",
                line,
            )
            assert match, line
            constraints.append(match.group(1))
        elif line.startswith("MERGE (n:"):
            label = re.match(r"MERGE \(n:(\w+) \{id: ", line)
            node, at = read_literal(line, label.end())
            assert line[at : at + len("}) SET n += ")] == "}) SET n += "
            props, at = read_map(line, at + len("}) SET n += "))
            assert line[at:] == ";"
            assert node not in nodes, f"{node} merged twice"
            nodes[node] = (label.group(1), props)
        elif line.startswith("MATCH (a:"):
            start = re.match(r"MATCH \(a:(\w+) \{id: ", line)
            source, at = read_literal(line, start.end())
            end = re.compile(r"\}\), \(b:(\w+) \{id: ").match(line, at)
            target, at = read_literal(line, end.end())
            relation = re.compile(r"\}\) MERGE \(a\)-\[r:(\w+)\]->\(b\) SET r \+= ").match(line, at)
            props, at = read_map(line, relation.end())
            assert line[at:] == ";"
            assert (source, target) not in edges, f"{source} -> {target} merged twice"
            assert nodes[source][0] == start.group(1) and nodes[target][0] == end.group(1)
            edges[source, target] = (relation.group(1), props)
        else:
            raise AssertionError(f"unexpected statement: {line}")
    return constraints, nodes, edges


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "",
        "'",
        "\\",
        "\\'",
        "a\rb",
        "\x00\x1f\x7f",
        "line\u2028sep",
        "`backtick`",
        "}) MATCH (x) DELETE x; //",
    ],
    ids=[
        "hostile",
        "empty",
        "quote",
        "backslash",
        "backslash-quote",
        "cr",
        "controls",
        "u2028",
        "backtick",
        "injection",
    ],
)
def test_string_literals_decode_to_the_original(text):
    literal = cypher.quote_string(text)
    assert "\n" not in literal and "\r" not in literal
    assert read_literal(literal, 0) == (text, len(literal))


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_script_creates_every_node_and_relation_once(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "graph.cypher"

    cypher.write(graph, corpus, path)
    constraints, nodes, edges = parse_script(path.read_text(encoding="utf-8"))

    assert constraints == ["Paper", "Author", "Concept", "Objective", "Quote"]
    assert {node: props for node, (_, props) in nodes.items()} == exported_nodes_of(graph)
    assert {node: label for node, (label, _) in nodes.items()} == {
        node: kind.capitalize() for node, kind in graph.nodes(data="kind")
    }
    assert {pair: props for pair, (_, props) in edges.items()} == exported_edges_of(graph)
    assert {pair: kind for pair, (kind, _) in edges.items()} == {
        (a, b): relation.upper() for a, b, relation in graph.edges(data="relation")
    }


def test_script_is_idempotent_by_construction(hostile_graph):
    """Running twice cannot duplicate: every write is a MERGE on the unique id or a constraint IF NOT EXISTS."""
    statements = cypher.statements(hostile_graph)
    assert all(s.startswith(("CREATE CONSTRAINT", "MERGE (n:", "MATCH (a:")) for s in statements)
    assert all(" IF NOT EXISTS " in s for s in statements if s.startswith("CREATE"))
    assert all(" MERGE (a)-[r:" in s for s in statements if s.startswith("MATCH"))
    assert not any("CREATE (" in s for s in statements)


def test_odd_property_names_are_backquoted():
    assert cypher.name("strength") == "strength"
    assert cypher.name("entry-type") == "`entry-type`"
    assert cypher.name("a`b") == "`a``b`"


def test_opencypher_has_no_vendor_syntax(shipped_graph):
    statements = cypher.statements(shipped_graph, "opencypher")
    assert all(s.startswith(("MERGE (n:", "MATCH (a:")) for s in statements)
    assert not any("CONSTRAINT" in s or "+=" in s or "INDEX" in s for s in statements)
    assert len(statements) == shipped_graph.number_of_nodes() + shipped_graph.number_of_edges()
    assert all("\n" not in s for s in statements)


def test_kuzu_declares_its_tables_before_the_data(hostile_graph):
    statements = cypher.statements(hostile_graph, "kuzu")
    first_data = next(i for i, s in enumerate(statements) if s.startswith("MERGE"))
    schema, data = statements[:first_data], statements[first_data:]
    assert all(s.startswith(("CREATE NODE TABLE IF NOT EXISTS", "CREATE REL TABLE IF NOT EXISTS",
                             "ALTER TABLE")) for s in schema)  # fmt: skip
    assert "ALTER TABLE Paper ADD IF NOT EXISTS `year` INT64;" in schema
    assert "ALTER TABLE Paper ADD IF NOT EXISTS `year_text` STRING;" in schema
    assert (
        "CREATE REL TABLE IF NOT EXISTS ILLUSTRATES(FROM Quote TO Concept, FROM Quote TO Objective);"
        in schema
    )
    assert all(s.startswith(("MERGE (n:", "MATCH (a:")) for s in data)


def test_kuzu_strings_escape_only_backslash_and_quote():
    # Kùzu reads no \n or \u escape: control characters stay as they are
    assert cypher.quote_kuzu_string("it's C:\\x\nline") == "'it\\'s C:\\\\x\nline'"
    assert cypher.quote_kuzu_string("tab\there") == "'tab\there'"


def test_an_unknown_dialect_is_refused(hostile_graph):
    with pytest.raises(ValueError, match="opencypher"):
        cypher.render(hostile_graph, "gremlin")
