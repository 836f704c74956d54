"""A Cypher script for Neo4j: run it with ``cypher-shell -f graph.cypher``.

The script is safe to run twice: it starts with one uniqueness constraint per
node label (``CREATE CONSTRAINT ... IF NOT EXISTS``), creates each node with
``MERGE`` on its ``id`` and sets its properties, and creates each relation
with ``MATCH`` of both ends and ``MERGE`` of the relation. Running it again
updates the same nodes and relations instead of duplicating them.

Labels and relationship types match the csv export (``Paper``, ``WROTE`` ...).
Every string is a single-quoted Cypher literal with backslash, quote, line
breaks and other control characters escaped, so one statement is one line.
"""

from __future__ import annotations

import re

from kg.export._output import emit
from kg.export.csv import neo4j_label, neo4j_type

NAME = "cypher"
#: Labels that always get a constraint, so a later import of a fuller graph stays unique.
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


def quote_string(text: str) -> str:
    """Return ``text`` as a single-quoted Cypher string literal.

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


def literal(value) -> str:
    """Return a Cypher literal for a scalar attribute value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return quote_string(str(value))


def name(identifier: str) -> str:
    """Return a property key, label or type, backquoted when it is not a plain identifier."""
    if _IDENTIFIER.match(identifier):
        return identifier
    return "`" + identifier.replace("`", "``") + "`"


def _properties(data: dict, skip: tuple[str, ...] = ()) -> str:
    items = [
        f"{name(key)}: {literal(value)}"
        for key, value in sorted(data.items())
        if key not in skip and value is not None
    ]
    return "{" + ", ".join(items) + "}"


def statements(graph) -> list[str]:
    """Return the script's statements, in order, each ending with ``;``."""
    labels = {node: neo4j_label(data.get("kind", "node")) for node, data in graph.nodes(data=True)}
    lines = []
    for label in list(BASE_LABELS) + sorted(set(labels.values()) - set(BASE_LABELS)):
        constraint = name(f"kg_{label.lower()}_id")
        lines.append(
            f"CREATE CONSTRAINT {constraint} IF NOT EXISTS FOR (n:{name(label)}) REQUIRE n.id IS UNIQUE;"
        )
    for node, data in graph.nodes(data=True):
        lines.append(
            f"MERGE (n:{name(labels[node])} {{id: {quote_string(node)}}}) "
            f"SET n += {_properties(data, skip=('id',))};"
        )
    for source, target, data in graph.edges(data=True):
        relation = neo4j_type(data.get("relation", "related"))
        lines.append(
            f"MATCH (a:{name(labels[source])} {{id: {quote_string(source)}}}), "
            f"(b:{name(labels[target])} {{id: {quote_string(target)}}}) "
            f"MERGE (a)-[r:{name(relation)}]->(b) SET r += {_properties(data)};"
        )
    return lines


def render(graph) -> str:
    """Return the whole Cypher script for ``graph``."""
    header = [
        "// Knowledge graph exported by kg. Safe to run more than once:",
        "//   cypher-shell -f THIS_FILE",
    ]
    return "\n".join(header + statements(graph)) + "\n"


def write(graph, corpus, target) -> None:
    """Write ``graph`` as a Cypher script to ``target`` (a path or a stream)."""
    emit(target, render(graph))
