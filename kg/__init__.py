"""kg: the concept map of a literature.

The public API, kept small (heavy libraries are imported only when used)::

    corpus = kg.load("references.bib", "concepts.yaml")   # model objects + problems
    graph = kg.build_graph(corpus)                        # a networkx.DiGraph
"""

from kg._version import __version__
from kg.model import (
    Author,
    Concept,
    Corpus,
    Link,
    Objective,
    Paper,
    Problem,
    Quote,
    Relation,
)

__all__ = [
    "Author",
    "Concept",
    "Corpus",
    "Link",
    "Objective",
    "Paper",
    "Problem",
    "Quote",
    "Relation",
    "__version__",
    "build_graph",
    "load",
]


def load(bib_path, concepts_path=None, **options):
    """Load a bibliography and an optional concepts file into a :class:`Corpus`."""
    from kg.sources import load as _load

    return _load(bib_path, concepts_path, **options)


def build_graph(corpus):
    """Build the networkx graph of a :class:`Corpus` (see :mod:`kg.graph`)."""
    from kg.graph import build_graph as _build

    return _build(corpus)
