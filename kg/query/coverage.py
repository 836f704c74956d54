"""Where the reading list is thin: the gaps in objectives, concepts, papers and entries."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from kg.model import Corpus
from kg.query.describe import node_name
from kg.query.ranking import papers_for_objective

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

#: Entry types whose citation needs page numbers (a book's does not).
TYPES_WITH_PAGES = {"article", "incollection", "inproceedings", "inbook", "conference"}


@dataclass
class Gap:
    """Something thin or missing, and what would close it."""

    node: str
    label: str
    gap: str
    fix: str

    def as_dict(self) -> dict:
        """JSON shape."""
        return asdict(self)


def gaps(graph: nx.DiGraph, corpus: Corpus) -> dict[str, list[Gap]]:
    """Where the reading list is thin, in four groups.

    - ``objectives``: no ``supported`` paper, or fewer than two papers;
    - ``concepts``: no paper discusses them;
    - ``papers``: linked to no concept;
    - ``entries``: bibliographic fields flagged unverified, or missing (DOI,
      and pages for types that have them).
    """
    return {
        "objectives": _objective_gaps(graph),
        "concepts": _concept_gaps(graph),
        "papers": _paper_gaps(graph) if corpus.has_concepts else [],
        "entries": _entry_gaps(graph, corpus),
    }


def _objective_gaps(graph: nx.DiGraph) -> list[Gap]:
    """Objectives without a supported paper, or with fewer than two papers."""
    found = []
    for node in _nodes_of(graph, "objective"):
        label = node_name(graph, node)
        matches = papers_for_objective(graph, node)
        if not any(match.strength == "supported" for match in matches):
            found.append(
                Gap(
                    node,
                    label,
                    "no supported paper",
                    "link a paper whose own title or abstract backs it (strength: supported), "
                    "directly under the objective or through one of its concepts",
                )
            )
        if len(matches) < 2:
            found.append(
                Gap(
                    node,
                    label,
                    f"only {len(matches)} paper{'s' if len(matches) != 1 else ''}",
                    "link at least two papers to the objective or to the concepts it covers",
                )
            )
    return found


def _concept_gaps(graph: nx.DiGraph) -> list[Gap]:
    """Concepts no paper discusses."""
    return [
        Gap(
            node,
            graph.nodes[node].get("label", ""),
            "no paper discusses it",
            "add a paper under the concept's `papers` in concepts.yaml, "
            "adding the entry to references.bib first if needed",
        )
        for node in _nodes_of(graph, "concept")
        if not any(
            data.get("relation") == "discusses" for _, _, data in graph.in_edges(node, data=True)
        )
    ]


def _paper_gaps(graph: nx.DiGraph) -> list[Gap]:
    """Papers linked to no concept (meaningful only when there is a concepts file)."""
    return [
        Gap(
            node,
            graph.nodes[node].get("label", ""),
            "linked to no concept",
            "list it under the `papers` of the concept(s) it discusses in concepts.yaml, "
            "or remove it from references.bib if the workshop does not use it",
        )
        for node in _nodes_of(graph, "paper")
        if not any(
            data.get("relation") == "discusses" for _, _, data in graph.out_edges(node, data=True)
        )
    ]


def _entry_gaps(graph: nx.DiGraph, corpus: Corpus) -> list[Gap]:
    """Entries with fields flagged unverified, no DOI, or no pages where a citation needs them."""
    found = []
    for key in sorted(corpus.papers):
        paper = corpus.papers[key]
        node = f"paper:{key}"
        label = graph.nodes[node].get("label", key) if node in graph else key
        where = (
            f"{paper.file or corpus.bib_path}:{paper.line}"
            if paper.line
            else (paper.file or corpus.bib_path)
        )
        if paper.unverified:
            fields = ", ".join(paper.unverified)
            found.append(
                Gap(
                    node,
                    label,
                    f"unverified: {fields}",
                    f"check {fields} against the publisher's page or a library record, correct "
                    f"them if needed, then drop them from the `unverified` field ({where})",
                )
            )
        if not paper.doi:
            found.append(
                Gap(
                    node,
                    label,
                    "no DOI",
                    f"look the work up (publisher's page, Crossref) and add `doi = {{...}}` ({where}); "
                    f"never guess one: if it has none, leave the field out",
                )
            )
        if not paper.pages and paper.entry_type in TYPES_WITH_PAGES:
            found.append(
                Gap(
                    node,
                    label,
                    "no pages",
                    f"add `pages = {{FIRST--LAST}}` from the published version ({where})",
                )
            )
    return found


def _nodes_of(graph: nx.DiGraph, kind: str) -> list[str]:
    return sorted(node for node, attrs in graph.nodes.items() if attrs.get("kind") == kind)
