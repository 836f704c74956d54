"""A Cypher script that loads the graph into a graph database, in one of three dialects.

Every dialect is safe to run twice: each node is created with ``MERGE`` on its
``id`` and each relation with ``MATCH`` of both ends and ``MERGE`` of the
relation, so running the script again updates the same nodes and relations
instead of duplicating them. Labels and relationship types match the csv
export (``Paper``, ``WROTE`` ...); the properties are those of
:func:`kg.export.attributes.exported_graph` (``year`` a number).

``neo4j`` (the default)
    For Neo4j 5 (``cypher-shell -f graph.cypher``). It starts with one
    uniqueness constraint per label (``CREATE CONSTRAINT ... IF NOT EXISTS``,
    Neo4j's own syntax) and sets properties from a map (``SET n += {...}``).
``opencypher``
    Nothing but openCypher clauses every engine shares: no constraint, no
    schema, properties set one by one (``SET n.title = ..., n.year = ...``).
    Tested on GraphQLite (openCypher over SQLite).
``kuzu``
    For Kùzu, which needs its tables declared before any data: the script
    starts with ``CREATE NODE TABLE IF NOT EXISTS`` and ``CREATE REL TABLE IF
    NOT EXISTS`` for every label and relationship type, then ``ALTER TABLE
    ... ADD IF NOT EXISTS`` for every property (so a database loaded from a
    smaller graph gains the new columns), then the ``opencypher`` statements.
    Run it whole: ``connection.execute(script)``.

In ``neo4j`` and ``opencypher`` every string is a single-quoted literal with
backslash, quote, line breaks and other control characters escaped, so one
statement is one line. Kùzu reads only ``\\\\`` and ``\\'`` as escapes (a
``\\n`` would lose its backslash), so its strings hold line breaks as they are
and a statement may span lines.
"""

from __future__ import annotations

import re

from kg.export._output import emit
from kg.export.attributes import exported_graph
from kg.export.csv import neo4j_label, neo4j_type

NAME = "cypher"
#: The dialects, in the order ``kg export --dialect`` lists them; the first is the default.
DIALECTS = ("neo4j", "opencypher", "kuzu")
DEFAULT_DIALECT = DIALECTS[0]
#: Labels that always get a constraint (or a table), so a later import of a fuller graph stays unique.
BASE_LABELS = ("Paper", "Author", "Concept", "Objective", "Quote")

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SIMPLE_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_HEADERS = {
    "neo4j": [
        "// Knowledge graph exported by kg, for Neo4j 5. Safe to run more than once:",
        "//   cypher-shell -f THIS_FILE",
    ],
    "opencypher": [
        "// Knowledge graph exported by kg, in plain openCypher (no constraints, no schema).",
        "// One statement per line; safe to run more than once.",
    ],
    "kuzu": [
        "// Knowledge graph exported by kg, for Kùzu: tables first, then the data.",
        "// Run the whole text at once (connection.execute(text)); safe to run more than once.",
    ],
}
_KUZU_TYPES = {bool: "BOOLEAN", int: "INT64", float: "DOUBLE", str: "STRING"}


def quote_string(text: str) -> str:
    """Return ``text`` as a single-quoted Cypher string literal (Neo4j, openCypher).

    Backslash, the single quote and line breaks get their backslash escapes;
    other control characters and the Unicode line and paragraph separators
    become ``\\uXXXX``; every other character, non-ASCII included, is kept.
    """
    out = []
    for char in text:
        if char in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def quote_kuzu_string(text: str) -> str:
    """Return ``text`` as a Kùzu string literal: only ``\\`` and ``'`` escaped, the rest as is."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def literal(value, dialect: str = DEFAULT_DIALECT) -> str:
    """Return a Cypher literal for a scalar attribute value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if dialect == "kuzu":
        return quote_kuzu_string(str(value))
    return quote_string(str(value))


def name(identifier: str) -> str:
    """Return a property key, label or type, backquoted when it is not a plain identifier."""
    if _IDENTIFIER.match(identifier):
        return identifier
    return "`" + identifier.replace("`", "``") + "`"


def quoted_name(identifier: str) -> str:
    """Return a property key always backquoted, so no engine's reserved word can clash with it."""
    return "`" + identifier.replace("`", "``") + "`"


def _map(data: dict, skip: tuple[str, ...] = ()) -> str:
    """``{key: value, ...}``, keys sorted (Neo4j's ``SET n += {...}``)."""
    items = [
        f"{name(key)}: {literal(value)}"
        for key, value in sorted(data.items())
        if key not in skip and value is not None
    ]
    return "{" + ", ".join(items) + "}"


def _assignments(variable: str, data: dict, dialect: str, skip: tuple[str, ...] = ()) -> str:
    """`` SET v.`a` = 1, v.`b` = 'x'`` for every property, or nothing when there is none."""
    items = [
        f"{variable}.{quoted_name(key)} = {literal(value, dialect)}"
        for key, value in sorted(data.items())
        if key not in skip and value is not None
    ]
    return " SET " + ", ".join(items) if items else ""


def _labels(graph) -> dict[str, str]:
    return {node: neo4j_label(data.get("kind", "node")) for node, data in graph.nodes(data=True)}


def _all_labels(labels: dict[str, str]) -> list[str]:
    return list(BASE_LABELS) + sorted(set(labels.values()) - set(BASE_LABELS))


def _neo4j(graph, labels: dict[str, str]) -> list[str]:
    lines = []
    for label in _all_labels(labels):
        constraint = name(f"kg_{label.lower()}_id")
        lines.append(
            f"CREATE CONSTRAINT {constraint} IF NOT EXISTS FOR (n:{name(label)}) REQUIRE n.id IS UNIQUE;"
        )
    for node, data in graph.nodes(data=True):
        lines.append(
            f"MERGE (n:{name(labels[node])} {{id: {quote_string(node)}}}) "
            f"SET n += {_map(data, skip=('id',))};"
        )
    for source, target, data in graph.edges(data=True):
        relation = neo4j_type(data.get("relation", "related"))
        lines.append(
            f"MATCH (a:{name(labels[source])} {{id: {quote_string(source)}}}), "
            f"(b:{name(labels[target])} {{id: {quote_string(target)}}}) "
            f"MERGE (a)-[r:{name(relation)}]->(b) SET r += {_map(data)};"
        )
    return lines


def _portable(graph, labels: dict[str, str], dialect: str) -> list[str]:
    """The MERGE statements of the ``opencypher`` and ``kuzu`` dialects."""
    lines = []
    for node, data in graph.nodes(data=True):
        lines.append(
            f"MERGE (n:{name(labels[node])} {{id: {literal(node, dialect)}}})"
            f"{_assignments('n', data, dialect, skip=('id',))};"
        )
    for source, target, data in graph.edges(data=True):
        relation = neo4j_type(data.get("relation", "related"))
        lines.append(
            f"MATCH (a:{name(labels[source])} {{id: {literal(source, dialect)}}}), "
            f"(b:{name(labels[target])} {{id: {literal(target, dialect)}}}) "
            f"MERGE (a)-[r:{name(relation)}]->(b){_assignments('r', data, dialect)};"
        )
    return lines


def _column_types(rows) -> dict[str, str]:
    """Kùzu column type of each property over ``rows`` (dicts); mixed types become STRING."""
    found: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            if value is not None:
                found.setdefault(key, set()).add(_KUZU_TYPES.get(type(value), "STRING"))
    return {key: kinds.pop() if len(kinds) == 1 else "STRING" for key, kinds in found.items()}


def _as_column(data: dict, types: dict[str, str]) -> dict:
    """``data`` with each value turned to text where its column holds text."""
    return {
        key: str(value) if types.get(key) == "STRING" and not isinstance(value, str) else value
        for key, value in data.items()
    }


def _kuzu(graph, labels: dict[str, str]) -> list[str]:
    node_types = {
        label: _column_types(data for node, data in graph.nodes(data=True) if labels[node] == label)
        for label in _all_labels(labels)
    }
    edge_groups: dict[str, list] = {}
    for source, target, data in graph.edges(data=True):
        edge_groups.setdefault(neo4j_type(data.get("relation", "related")), []).append(
            (labels[source], labels[target], data)
        )
    edge_types = {
        relation: _column_types(data for _, _, data in members)
        for relation, members in edge_groups.items()
    }

    lines = []
    for label, types in node_types.items():
        lines.append(f"CREATE NODE TABLE IF NOT EXISTS {name(label)}(id STRING, PRIMARY KEY (id));")
        lines.extend(
            f"ALTER TABLE {name(label)} ADD IF NOT EXISTS {quoted_name(key)} {kind};"
            for key, kind in sorted(types.items())
            if key != "id"
        )
    for relation in sorted(edge_groups):
        pairs = sorted({(source, target) for source, target, _ in edge_groups[relation]})
        ends = ", ".join(f"FROM {name(source)} TO {name(target)}" for source, target in pairs)
        lines.append(f"CREATE REL TABLE IF NOT EXISTS {name(relation)}({ends});")
        # a table made by an earlier load may lack a pair or a column this graph has
        lines.extend(
            f"ALTER TABLE {name(relation)} ADD IF NOT EXISTS FROM {name(source)} TO {name(target)};"
            for source, target in pairs
        )
        lines.extend(
            f"ALTER TABLE {name(relation)} ADD IF NOT EXISTS {quoted_name(key)} {kind};"
            for key, kind in sorted(edge_types[relation].items())
        )

    typed = graph.copy()
    for node, data in typed.nodes(data=True):
        data.update(_as_column(data, node_types[labels[node]]))
    for _, _, data in typed.edges(data=True):
        relation = neo4j_type(data.get("relation", "related"))
        data.update(_as_column(data, edge_types[relation]))
    return lines + _portable(typed, labels, "kuzu")


def statements(graph, dialect: str = DEFAULT_DIALECT) -> list[str]:
    """Return the script's statements in ``dialect``, in order, each ending with ``;``.

    ``ValueError`` for a dialect not in :data:`DIALECTS`.
    """
    if dialect not in DIALECTS:
        raise ValueError(
            f"unknown Cypher dialect {dialect!r}; choose one of: {', '.join(DIALECTS)}"
        )
    exported = exported_graph(graph)
    labels = _labels(exported)
    if dialect == "neo4j":
        return _neo4j(exported, labels)
    if dialect == "kuzu":
        return _kuzu(exported, labels)
    return _portable(exported, labels, dialect)


def render(graph, dialect: str = DEFAULT_DIALECT) -> str:
    """Return the whole Cypher script for ``graph`` in ``dialect``."""
    lines = statements(graph, dialect)
    return "\n".join(_HEADERS[dialect] + lines) + "\n"


def write(graph, corpus, target, dialect: str = DEFAULT_DIALECT) -> None:
    """Write ``graph`` as a Cypher script in ``dialect`` to ``target`` (a path or a stream)."""
    emit(target, render(graph, dialect))
