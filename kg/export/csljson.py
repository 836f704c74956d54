"""CSL-JSON, for Zotero, pandoc and citeproc: one item per exported paper.

The items come from :func:`kg.cite.export_item`, the same ones kg formats its
own citations from, so a pandoc or Zotero bibliography agrees with kg's (the
test comparing kg's citations with citeproc-js's runs on this export). Each
item's ``id`` is the BibTeX key; values are the loader's normalised ones
(LaTeX read, cross-references resolved), a journal's own capitalisation and
the groups a title protects with braces marked ``<span class="nocase">``. Items are in key order; the text is indented
with sorted keys.
"""

from __future__ import annotations

import json as _json

from kg.export._output import emit

NAME = "csl-json"


def items(graph, corpus) -> list[dict]:
    """Return the CSL-JSON items of the papers in ``graph``, in key order."""
    from kg.cite import export_item

    keys = sorted(
        data["key"]
        for _, data in graph.nodes(data=True)
        if data.get("kind") == "paper" and data.get("key") in corpus.papers
    )
    return [export_item(corpus.papers[key], corpus) for key in keys]


def render(graph, corpus) -> str:
    """Return the CSL-JSON text of the papers in ``graph``."""
    return _json.dumps(items(graph, corpus), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(graph, corpus, target) -> None:
    """Write the papers of ``graph`` as CSL-JSON to ``target`` (a path or a stream)."""
    emit(target, render(graph, corpus))
