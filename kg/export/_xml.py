"""Keep XML writers from choking on characters XML 1.0 cannot hold."""

from __future__ import annotations

import re

# XML 1.0 allows tab, newline and carriage return but no other C0 control
# character, not even escaped; BibTeX text can (rarely) carry one.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def xml_safe(value):
    """Return ``value`` with XML-illegal characters replaced by U+FFFD (other types unchanged)."""
    if isinstance(value, str):
        return _ILLEGAL.sub(REPLACEMENT, value)
    return value


def xml_safe_graph(graph):
    """Return a copy of ``graph`` whose string attributes are all XML-safe."""
    copy = graph.__class__()
    copy.graph.update({k: xml_safe(v) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{k: xml_safe(v) for k, v in data.items() if v is not None})
    for source, target, data in graph.edges(data=True):
        copy.add_edge(source, target, **{k: xml_safe(v) for k, v in data.items() if v is not None})
    return copy
