"""Corpus -> NetworkX graph.

Node ids are typed (``paper:KEY``, ``author:ID``, ``concept:ID``,
``objective:ID``, ``quote:ID``) so that a paper and a concept with the same
name never merge. Every attribute is a scalar (str or int): lists are joined
with ``"; "`` and missing values are left out rather than stored as None, so
GraphML and GEXF writers accept the graph as it is.

Edges and their ``relation``:

==========  ======================  ===================================
relation    direction               other attributes
==========  ======================  ===================================
wrote       author -> paper         role (author/editor), position
discusses   paper -> concept        strength, reason
covers      objective -> concept    strength, reason
supports    paper -> objective      strength, reason
related     concept -> concept      type (contrasts-with, ...), reason
illustrates quote -> concept/obj.   (none)
quotes      quote -> paper          page (when known)
==========  ======================  ===================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from kg.model import Corpus, Paper
from kg.text import shorten

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

LIST_SEPARATOR = "; "


def node_id(kind: str, key: str) -> str:
    """Return the typed node id for an object of ``kind`` with ``key``."""
    return f"{kind}:{key}"


def split_node_id(node: str) -> tuple[str, str]:
    """Split ``"paper:KEY"`` into ``("paper", "KEY")``."""
    kind, _, key = node.partition(":")
    return kind, key


def _scalar_attrs(**values) -> dict:
    """Keep non-empty values; join lists so every attribute is a scalar."""
    attrs = {}
    for name, value in values.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, (list, tuple)):
            value = LIST_SEPARATOR.join(str(v) for v in value)
        attrs[name] = value
    return attrs


def build_graph(corpus: Corpus) -> nx.DiGraph:
    """Build the knowledge graph of ``corpus``.

    References to objects that do not exist (already reported as problems by
    the loaders) are skipped, so the graph only holds edges between real nodes.
    """
    import networkx as nx

    graph: nx.DiGraph = nx.DiGraph()
    graph.graph.update(
        _scalar_attrs(title=corpus.title, bib=corpus.bib_path, concepts=corpus.concepts_path)
    )
    for node, attrs in _nodes(corpus):
        graph.add_node(node, **attrs)
    for source, target, attrs in _edges(corpus):
        graph.add_edge(source, target, **_scalar_attrs(**attrs))
    return graph


def _nodes(corpus: Corpus):
    """The ``(node id, attributes)`` of every node, in the graph's order: authors, papers,
    concepts, objectives and quotes, each kind sorted by id."""
    for author_id in sorted(corpus.authors):
        author = corpus.authors[author_id]
        yield (
            node_id("author", author_id),
            _scalar_attrs(
                kind="author",
                label=author.name,
                name=author.name,
                family=author.family,
                given=author.given,
                aliases=author.aliases,
            ),
        )
    for key in sorted(corpus.papers):
        yield node_id("paper", key), _paper_attrs(corpus, key, corpus.papers[key])
    for concept_id in sorted(corpus.concepts):
        concept = corpus.concepts[concept_id]
        yield (
            node_id("concept", concept_id),
            _scalar_attrs(
                kind="concept",
                label=concept.label,
                definition=concept.definition,
                aliases=concept.aliases,
                line=concept.line,
            ),
        )
    for objective_id in sorted(corpus.objectives):
        objective = corpus.objectives[objective_id]
        yield (
            node_id("objective", objective_id),
            _scalar_attrs(
                kind="objective",
                label=objective_id,
                domain=objective.domain,
                text=objective.text,
                line=objective.line,
            ),
        )
    for quote_id in sorted(corpus.quotes):
        quote = corpus.quotes[quote_id]
        yield (
            node_id("quote", quote_id),
            _scalar_attrs(
                kind="quote",
                label=_quote_label(quote.text),
                text=quote.text,
                speaker=quote.speaker,
                source=quote.source,
                page=quote.page,
                note=quote.note,
                line=quote.line,
            ),
        )


def _paper_attrs(corpus: Corpus, key: str, paper: Paper) -> dict:
    """The attributes of the node of the paper ``key``: its values, its authors by name,
    where it is written."""
    names = [corpus.authors[a].name for a in paper.authors if a in corpus.authors]
    return _scalar_attrs(
        kind="paper",
        label=_paper_label(corpus, paper),
        key=key,
        entry_type=paper.entry_type,
        title=paper.title,
        year=paper.year,
        authors=names,
        venue=paper.venue,
        volume=paper.volume,
        number=paper.number,
        pages=paper.pages,
        doi=paper.doi,
        url=paper.url,
        publisher=paper.publisher,
        abstract=paper.abstract,
        note=paper.note,
        keywords=paper.keywords,
        unverified=paper.unverified,
        file=paper.file,
        line=paper.line,
    )


def _edges(corpus: Corpus, include_authors: bool = True):
    """The ``(source, target, attributes)`` of every edge between existing nodes.

    In the graph's order: authorship by paper key, then concepts, objectives
    and quotes by id. ``include_authors=False`` leaves authorship out.
    """
    pools: dict[str, Mapping[str, object]] = {
        "paper": corpus.papers,
        "author": corpus.authors,
        "concept": corpus.concepts,
        "objective": corpus.objectives,
        "quote": corpus.quotes,
    }

    def edge(source_kind, source, target_kind, target, **attrs):
        if source in pools[source_kind] and target in pools[target_kind]:
            return node_id(source_kind, source), node_id(target_kind, target), attrs
        return None

    candidates = []
    if include_authors:
        for key in sorted(corpus.papers):
            paper = corpus.papers[key]
            for role, people in (("author", paper.authors), ("editor", paper.editors)):
                for position, author_id in enumerate(people, start=1):
                    candidates.append(
                        edge(
                            "author",
                            author_id,
                            "paper",
                            key,
                            relation="wrote",
                            role=role,
                            position=position,
                        )
                    )
    candidates += _links_of_the_concepts_file(corpus, edge)
    return [candidate for candidate in candidates if candidate is not None]


def _links_of_the_concepts_file(corpus: Corpus, edge) -> list:
    """The edges the concepts file declares, by concept, objective and quote id; ``edge``
    makes one (or None when either end does not exist)."""
    candidates = []
    for concept_id in sorted(corpus.concepts):
        concept = corpus.concepts[concept_id]
        for evidence in concept.papers:
            candidates.append(
                edge(
                    "paper",
                    evidence.target,
                    "concept",
                    concept_id,
                    relation="discusses",
                    strength=evidence.strength,
                    reason=evidence.reason,
                )
            )
        for relation in concept.relations:
            candidates.append(
                edge(
                    "concept",
                    concept_id,
                    "concept",
                    relation.target,
                    relation="related",
                    type=relation.type,
                    reason=relation.reason,
                )
            )
    for objective_id in sorted(corpus.objectives):
        objective = corpus.objectives[objective_id]
        for covered in objective.concepts:
            candidates.append(
                edge(
                    "objective",
                    objective_id,
                    "concept",
                    covered.target,
                    relation="covers",
                    strength=covered.strength,
                    reason=covered.reason,
                )
            )
        for evidence in objective.papers:
            candidates.append(
                edge(
                    "paper",
                    evidence.target,
                    "objective",
                    objective_id,
                    relation="supports",
                    strength=evidence.strength,
                    reason=evidence.reason,
                )
            )
    for quote_id in sorted(corpus.quotes):
        quote = corpus.quotes[quote_id]
        for concept_id in quote.concepts:
            candidates.append(
                edge("quote", quote_id, "concept", concept_id, relation="illustrates")
            )
        for objective_id in quote.objectives:
            candidates.append(
                edge("quote", quote_id, "objective", objective_id, relation="illustrates")
            )
        if quote.source:
            candidates.append(
                edge("quote", quote_id, "paper", quote.source, relation="quotes", page=quote.page)
            )
    return candidates


def edge_count(corpus: Corpus) -> int:
    """How many edges :func:`build_graph` would make, counted cheaply (``kg check``).

    Author-to-paper edges, nearly all of a large bibliography's, are counted
    per paper without building their node ids.
    """
    authors = corpus.authors
    wrote = sum(
        len({a for a in (*paper.authors, *paper.editors) if a in authors})
        for paper in corpus.papers.values()
    )
    return wrote + len(edge_pairs(corpus, include_authors=False))


def edge_pairs(corpus: Corpus, include_authors: bool = True) -> set[tuple[str, str]]:
    """The (source, target) pairs :func:`build_graph` joins, without networkx."""
    return {(source, target) for source, target, _ in _edges(corpus, include_authors)}


def _paper_label(corpus: Corpus, paper) -> str:
    """Short author-year label: "Hernández et al. (2007)"."""
    families = _families_as_written(corpus, paper)
    if not families:
        who = shorten(paper.title, 40) or paper.key
    elif len(families) == 1:
        who = families[0]
    elif len(families) == 2:
        who = f"{families[0]} & {families[1]}"
    else:
        who = f"{families[0]} et al."
    return f"{who} ({paper.year})" if paper.year else who


def _families_as_written(corpus: Corpus, paper) -> list[str]:
    """Family names as the entry spells them.

    An author known under several names (Hernández, later Hernandez-Wolfe) is
    one node, but a label names the paper as it was published.
    """
    people = paper.authors or paper.editors
    families = [corpus.authors[a].family for a in people if a in corpus.authors]
    if not any(corpus.authors[a].aliases for a in people[:2] if a in corpus.authors):
        return families
    names = paper.author_names if paper.authors else paper.editor_names
    written = [name.get("family") or name.get("literal", "") for name in names]
    return written if len(written) == len(families) else families


def _quote_label(text: str, limit: int = 48) -> str:
    """The quote's opening words, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return f"“{text}”"
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"“{cut}…”"
