"""The two states ``kg diff`` compares, each loaded through the ordinary loader.

A state is a bibliography and an optional concepts file, as files on disk or
as they were at a git revision. A revision's files are handed to the loader as
bytes (:class:`kg.sources.inputs.SourceFiles`), never written anywhere, and
problems found in them name the file the way git does (``HEAD~1:references.bib``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.model import Corpus

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx


@dataclass
class State:
    """One state of the project: its corpus, its graph, and how to name it."""

    label: str  # "HEAD~1 (1a2b3c4)", "the working tree", "old.bib and old.yaml"
    corpus: Corpus
    graph: nx.DiGraph
    revision: str = ""  # the revision as the user named it (empty for files)
    #: Sources the revision does not have (``HEAD~3:concepts.yaml``): read as empty or absent.
    missing: list[str] = field(default_factory=list)


def state_from_files(
    bib_path: Path, concepts_path: Path | None, label: str, *, encoding: str | None = None
) -> State:
    """Load a bibliography and an optional concepts file from disk (through the cache)."""
    from kg.sources import load

    corpus = load(bib_path, concepts_path, encoding=encoding)
    return _state(label, corpus)


def state_at_revision(
    bib_path: Path,
    concepts_path: Path | None,
    revision: str,
    *,
    encoding: str | None = None,
) -> State:
    """Load the sources as they were at ``revision`` of the git repository that holds them.

    ``bib_path`` and ``concepts_path`` name the files as they are in the work
    tree; their paths in the repository are looked up at ``revision``. A file
    the revision does not have is an empty bibliography, or no concepts file.
    Raises :class:`kg.errors.RevisionNotFound` for a revision git does not know
    and :class:`kg.errors.GitError` when there is no repository or no git.
    """
    from kg.diff.git import (
        file_at,
        path_in_repository,
        repository_root,
        resolve_revision,
        short_hash,
    )
    from kg.sources import load_read
    from kg.sources.inputs import SourceFiles
    from kg.sources.yaml_reader import MAX_BYTES

    root = repository_root(bib_path)
    commit = resolve_revision(root, revision)
    bib_name = path_in_repository(root, bib_path)
    bib_data = file_at(root, commit, bib_name)
    missing = [] if bib_data is not None else [f"{revision}:{bib_name}"]
    sources = SourceFiles(f"{revision}:{bib_name}", bib_data or b"", bib_encoding=encoding)
    if concepts_path is not None:
        concepts_name = path_in_repository(root, concepts_path)
        concepts_data = file_at(root, commit, concepts_name)
        if concepts_data is None:
            missing.append(f"{revision}:{concepts_name}")
        else:
            sources.concepts_label = f"{revision}:{concepts_name}"
            if len(concepts_data) > MAX_BYTES:
                sources.concepts_data, sources.concepts_too_large = b"", len(concepts_data)
            else:
                sources.concepts_data = concepts_data
    corpus = load_read(sources)
    state = _state(f"{revision} ({short_hash(root, commit)})", corpus)
    state.revision, state.missing = revision, missing
    return state


def _state(label: str, corpus: Corpus) -> State:
    from kg.graph import build_graph

    return State(label=label, corpus=corpus, graph=build_graph(corpus))


class Names:
    """How each node is named in a report: from the new state, else the old one."""

    def __init__(self, old: nx.DiGraph, new: nx.DiGraph):
        self.old, self.new = old, new

    def label(self, node: str) -> str:
        """The node's label on the map ("Bordin (1979)", "Self-care", "3b")."""
        for graph in (self.new, self.old):
            if node in graph:
                return str(graph.nodes[node].get("label") or node.partition(":")[2])
        return node.partition(":")[2]

    def name(self, node: str) -> str:
        """The node in words: "objective 3b", "Self-care", "Bordin (1979)"."""
        kind = node.partition(":")[0]
        return f"objective {self.label(node)}" if kind == "objective" else self.label(node)
