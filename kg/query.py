"""Questions students and trainers ask of the knowledge graph.

Pure functions over the graph built by :func:`kg.graph.build_graph`: find a
node from what a person typed (:func:`resolve`), the papers behind an
objective or a concept, ranked and explained (:func:`papers_for_objective`,
:func:`papers_for_concept`), everything about one node (:func:`node_details`),
where the reading list is thin (:func:`gaps`) and how two nodes connect
(:func:`shortest_path`).

Evidence strength follows :mod:`kg.model`: ``supported`` > ``weak`` >
``inferred``. A chain objective -> concept -> paper is as strong as its
weakest link; a paper is as strong for an objective as its strongest chain,
and a paper linked to the objective directly is a chain of one link.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from kg.errors import KgError, NotFoundError
from kg.graph import LIST_SEPARATOR, split_node_id
from kg.model import NODE_KINDS, STRENGTHS, Corpus, strength_rank, weakest
from kg.suggest import close_matches
from kg.text import fold

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

#: How each relation reads, in the edge's own direction ("A wrote B").
RELATION_PHRASES: dict[str, str] = {
    "wrote": "wrote",
    "discusses": "discusses",
    "covers": "covers",
    "supports": "supports",
    "illustrates": "illustrates",
    "quotes": "is quoted from",
}

#: How each concept-to-concept relation type reads.
RELATION_TYPE_PHRASES: dict[str, str] = {
    "contrasts-with": "contrasts with",
    "part-of": "is part of",
    "protects-against": "protects against",
    "leads-to": "leads to",
    "risk-for": "is a risk for",
    "related-to": "is related to",
    "measured-by": "is measured by",
    "example-of": "is an example of",
}

#: Entry types whose citation needs page numbers (a book's does not).
TYPES_WITH_PAGES = {"article", "incollection", "inproceedings", "inbook", "conference"}

_KIND_NAMES = {
    "objective": "objective",
    "concept": "concept",
    "paper": "paper",
    "quote": "quote",
    "author": "author",
}


# ---------------------------------------------------------------- finding nodes


def normalise(text: str) -> str:
    """Fold ``text`` for matching: no case, no accents, no spaces or punctuation."""
    return fold(str(text), "")


def short_id(node: str) -> str:
    """The id a person types: ``concept:self-care`` -> ``self-care``."""
    return split_node_id(node)[1]


def _names_of(graph: nx.DiGraph, node: str) -> tuple[list[str], list[str]]:
    """(ids, other names) a node answers to: ids outrank labels and aliases."""
    data = graph.nodes[node]
    ids = [node, short_id(node)]
    others = [data.get("label", "")]
    if data.get("kind") == "author":
        others.append(data.get("name", ""))
    aliases = data.get("aliases", "")
    if aliases:
        others.extend(aliases.split(LIST_SEPARATOR))
    return ids, [name for name in others if name]


def resolve(graph: nx.DiGraph, text: str, kinds=None) -> str:
    """Return the node id that ``text`` names.

    ``text`` may be a typed node id (``concept:self-care``), a bare id, a label
    or an alias; case, accents and the difference between spaces, hyphens and
    underscores are ignored. ``kinds`` limits the search (e.g. ``("objective",)``).
    An id match wins over a label or alias match; among several matches of the
    same rank the kind listed first in :data:`kg.model.NODE_KINDS` wins.

    Raises :class:`kg.errors.NotFoundError` with "did you mean" suggestions.
    """
    kinds = tuple(kinds) if kinds else NODE_KINDS
    wanted = normalise(text)
    candidates = [node for node, kind in graph.nodes(data="kind") if kind in kinds]
    if wanted:
        for rank in (0, 1):
            matches = [
                node
                for node in candidates
                if wanted in map(normalise, _names_of(graph, node)[rank])
            ]
            if matches:
                return min(
                    matches, key=lambda node: (NODE_KINDS.index(graph.nodes[node]["kind"]), node)
                )
    suggestions = suggest(graph, text, kinds)
    what = (
        " or ".join(_KIND_NAMES.get(kind, kind) for kind in kinds)
        if len(kinds) < len(NODE_KINDS)
        else "node"
    )
    message = f"no {what} matches {text!r}"
    if suggestions:
        message += f"; did you mean: {', '.join(suggestions)}?"
    else:
        message += "; `kg show` takes an id, label or alias from concepts.yaml or a citation key"
    raise NotFoundError(message, suggestions)


def suggest(graph: nx.DiGraph, text: str, kinds=None, limit: int = 5) -> list[str]:
    """Short ids of the nodes whose names are closest to ``text`` (best first)."""
    kinds = tuple(kinds) if kinds else NODE_KINDS
    wanted = normalise(text)
    by_name: dict[str, str] = {}
    for node, kind in sorted(graph.nodes(data="kind")):
        if kind not in kinds:
            continue
        ids, others = _names_of(graph, node)
        for name in ids[1:] + others:
            by_name.setdefault(normalise(name), short_id(node))
    if not wanted:
        return []
    close = close_matches(wanted, by_name, n=limit * 3)
    contained = [
        name for name in by_name if len(wanted) >= 3 and (wanted in name or name in wanted)
    ]
    result: list[str] = []
    for name in close + sorted(contained):
        if by_name[name] not in result:
            result.append(by_name[name])
    return result[:limit]


def _require(graph: nx.DiGraph, node_or_text: str, kind: str) -> str:
    """Accept a node id of ``kind`` as it is; resolve anything else."""
    if node_or_text in graph and graph.nodes[node_or_text].get("kind") == kind:
        return node_or_text
    return resolve(graph, node_or_text, kinds=(kind,))


# ---------------------------------------------------------------- papers behind an objective


@dataclass
class Reason:
    """One chain of evidence that brings a paper into an answer."""

    through: str  # concept id, or "" for a direct link to the objective
    strength: str  # the chain's strength (its weakest link)
    reason: str  # the reason recorded on the paper's link

    def as_dict(self) -> dict:
        """JSON shape."""
        return {
            "through": self.through or "direct",
            "strength": self.strength,
            "reason": self.reason,
        }


@dataclass
class PaperMatch:
    """A paper in an answer, with why it is there."""

    key: str
    strength: str  # strongest chain
    via: list[str] = field(default_factory=list)  # concept ids it comes through
    direct: bool = False  # linked to the objective itself
    reasons: list[Reason] = field(default_factory=list)
    concepts: int = 0  # how many of the asked-about concepts it discusses

    @property
    def node(self) -> str:
        """The paper's node id."""
        return f"paper:{self.key}"


def _rank_key(graph: nx.DiGraph, match: PaperMatch):
    data = graph.nodes[match.node]
    return (
        strength_rank(match.strength),
        -match.concepts,
        data.get("label", "").casefold(),
        match.key,
    )


def _keep(matches: dict[str, PaperMatch], graph, min_strength: str) -> list[PaperMatch]:
    if min_strength not in STRENGTHS:
        raise ValueError(f"min_strength must be one of {', '.join(STRENGTHS)}")
    limit = strength_rank(min_strength)
    kept = [match for match in matches.values() if strength_rank(match.strength) <= limit]
    for match in kept:
        match.reasons.sort(key=lambda r: (strength_rank(r.strength), r.through != "", r.through))
        match.via = sorted(
            set(match.via),
            key=lambda concept: (
                min(strength_rank(r.strength) for r in match.reasons if r.through == concept),
                concept,
            ),
        )
    return sorted(kept, key=lambda match: _rank_key(graph, match))


def papers_for_objective(
    graph: nx.DiGraph, objective: str, min_strength: str = "inferred"
) -> list[PaperMatch]:
    """Papers that support ``objective``, directly or through the concepts it covers.

    Ranked by strength, then by how many of the objective's concepts each
    paper discusses. Papers weaker than ``min_strength`` are left out.
    """
    node = _require(graph, objective, "objective")
    matches: dict[str, PaperMatch] = {}

    def match_for(paper_node: str) -> PaperMatch:
        key = short_id(paper_node)
        return matches.setdefault(key, PaperMatch(key=key, strength=STRENGTHS[-1]))

    for paper_node, _, data in graph.in_edges(node, data=True):
        if data.get("relation") != "supports":
            continue
        match = match_for(paper_node)
        strength = data.get("strength", "inferred")
        match.direct = True
        match.reasons.append(Reason("", strength, data.get("reason", "")))
        match.strength = min(match.strength, strength, key=strength_rank)

    for _, concept_node, cover in graph.out_edges(node, data=True):
        if cover.get("relation") != "covers":
            continue
        concept = short_id(concept_node)
        for paper_node, _, discuss in graph.in_edges(concept_node, data=True):
            if discuss.get("relation") != "discusses":
                continue
            match = match_for(paper_node)
            strength = weakest(
                cover.get("strength", "inferred"), discuss.get("strength", "inferred")
            )
            match.via.append(concept)
            match.concepts += 1
            match.reasons.append(Reason(concept, strength, discuss.get("reason", "")))
            match.strength = min(match.strength, strength, key=strength_rank)
    return _keep(matches, graph, min_strength)


def papers_for_concept(
    graph: nx.DiGraph, concept: str, min_strength: str = "inferred"
) -> list[PaperMatch]:
    """Papers that discuss ``concept``, strongest evidence first."""
    node = _require(graph, concept, "concept")
    concept_id = short_id(node)
    matches: dict[str, PaperMatch] = {}
    for paper_node, _, data in graph.in_edges(node, data=True):
        if data.get("relation") != "discusses":
            continue
        strength = data.get("strength", "inferred")
        key = short_id(paper_node)
        matches[key] = PaperMatch(
            key=key,
            strength=strength,
            via=[concept_id],
            reasons=[Reason(concept_id, strength, data.get("reason", ""))],
            concepts=1,
        )
    return _keep(matches, graph, min_strength)


# ---------------------------------------------------------------- one node


def node_details(graph: nx.DiGraph, node: str) -> dict:
    """Everything the graph holds about ``node`` (an id, label or alias).

    Returns ``{"id", "kind", "label", "attributes", "links"}``; each link has
    ``relation``, ``direction`` (``out`` when ``node`` is the edge's source),
    ``node``, ``kind``, ``label``, the edge's own attributes, and ``text``:
    the link in words.
    """
    if node not in graph:
        node = resolve(graph, node)
    data = dict(graph.nodes[node])
    links = []
    for source, target, edge in list(graph.out_edges(node, data=True)) + list(
        graph.in_edges(node, data=True)
    ):
        other = target if source == node else source
        other_data = graph.nodes[other]
        link = {
            "relation": edge.get("relation", ""),
            "direction": "out" if source == node else "in",
            "node": other,
            "kind": other_data.get("kind", ""),
            "label": other_data.get("label", ""),
            "text": describe_edge(graph, source, target),
        }
        link.update({name: value for name, value in edge.items() if name != "relation"})
        links.append(link)
    relation_order = [*list(RELATION_PHRASES), "related"]
    links.sort(
        key=lambda link: (
            relation_order.index(link["relation"])
            if link["relation"] in relation_order
            else len(relation_order),
            link["direction"],
            strength_rank(link["strength"])
            if link.get("strength") in STRENGTHS
            else len(STRENGTHS),
            link.get("position", 0),
            link["label"].casefold(),
            link["node"],
        )
    )
    return {
        "id": node,
        "kind": data.pop("kind", ""),
        "label": data.pop("label", ""),
        "attributes": data,
        "links": links,
    }


def node_name(graph: nx.DiGraph, node: str) -> str:
    """How a node is named in a sentence: ``objective 1a``, ``Self-care``, ``Pack (2014)``."""
    data = graph.nodes[node]
    if data.get("kind") == "objective":
        return f"objective {short_id(node)}"
    if data.get("kind") == "concept":
        return f"the concept “{data.get('label', short_id(node))}”"
    if data.get("kind") == "quote":
        return f"the quote {data.get('label', short_id(node))}"
    return data.get("label", short_id(node))


def describe_edge(graph: nx.DiGraph, source: str, target: str) -> str:
    """One sentence for the edge ``source -> target``, read in its own direction."""
    edge = graph.edges[source, target]
    relation = edge.get("relation", "")
    if relation == "related":
        verb = RELATION_TYPE_PHRASES.get(edge.get("type", ""), "is related to")
    elif relation == "wrote" and edge.get("role") == "editor":
        verb = "edited"
    else:
        verb = RELATION_PHRASES.get(relation, relation)
    sentence = f"{node_name(graph, source)} {verb} {node_name(graph, target)}"
    if relation == "quotes" and edge.get("page"):
        sentence += f", p. {edge['page']}"
    if edge.get("strength"):
        sentence += f" ({edge['strength']})"
    return sentence


# ---------------------------------------------------------------- paths


@dataclass
class Hop:
    """One step of a path: the edge between two consecutive nodes, in its own direction."""

    source: str
    target: str
    relation: str
    text: str

    def as_dict(self) -> dict:
        """JSON shape."""
        return asdict(self)


def shortest_path(graph: nx.DiGraph, a: str, b: str) -> list[Hop]:
    """The shortest chain of relations between ``a`` and ``b`` (ids, labels or aliases).

    Edges are followed in either direction; each hop is described in the
    edge's own direction ("Pack (2014) discusses ..."). Raises
    :class:`kg.errors.NotFoundError` for an unknown node and
    :class:`kg.errors.KgError` when nothing links the two.
    """
    import networkx as nx

    start = a if a in graph else resolve(graph, a)
    end = b if b in graph else resolve(graph, b)
    try:
        nodes = nx.shortest_path(graph.to_undirected(as_view=True), start, end)
    except nx.NetworkXNoPath:
        raise KgError(
            f"nothing links {node_name(graph, start)} and {node_name(graph, end)}; "
            f"add a relation or a paper link in concepts.yaml to connect them"
        ) from None
    hops = []
    for here, there in itertools.pairwise(nodes):
        source, target = (here, there) if graph.has_edge(here, there) else (there, here)
        hops.append(
            Hop(
                source,
                target,
                graph.edges[source, target].get("relation", ""),
                describe_edge(graph, source, target),
            )
        )
    return hops


# ---------------------------------------------------------------- gaps


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
    found: dict[str, list[Gap]] = {"objectives": [], "concepts": [], "papers": [], "entries": []}

    for node in _nodes_of(graph, "objective"):
        label = node_name(graph, node)
        matches = papers_for_objective(graph, node)
        if not any(match.strength == "supported" for match in matches):
            found["objectives"].append(
                Gap(
                    node,
                    label,
                    "no supported paper",
                    "link a paper whose own title or abstract backs it (strength: supported), "
                    "directly under the objective or through one of its concepts",
                )
            )
        if len(matches) < 2:
            found["objectives"].append(
                Gap(
                    node,
                    label,
                    f"only {len(matches)} paper{'s' if len(matches) != 1 else ''}",
                    "link at least two papers to the objective or to the concepts it covers",
                )
            )

    for node in _nodes_of(graph, "concept"):
        if not any(
            data.get("relation") == "discusses" for _, _, data in graph.in_edges(node, data=True)
        ):
            found["concepts"].append(
                Gap(
                    node,
                    graph.nodes[node].get("label", ""),
                    "no paper discusses it",
                    "add a paper under the concept's `papers` in concepts.yaml, "
                    "adding the entry to references.bib first if needed",
                )
            )

    if corpus.has_concepts:
        for node in _nodes_of(graph, "paper"):
            if not any(
                data.get("relation") == "discusses"
                for _, _, data in graph.out_edges(node, data=True)
            ):
                found["papers"].append(
                    Gap(
                        node,
                        graph.nodes[node].get("label", ""),
                        "linked to no concept",
                        "list it under the `papers` of the concept(s) it discusses in concepts.yaml, "
                        "or remove it from references.bib if the workshop does not use it",
                    )
                )

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
            found["entries"].append(
                Gap(
                    node,
                    label,
                    f"unverified: {fields}",
                    f"check {fields} against the publisher's page or a library record, correct "
                    f"them if needed, then drop them from the `unverified` field ({where})",
                )
            )
        if not paper.doi:
            found["entries"].append(
                Gap(
                    node,
                    label,
                    "no DOI",
                    f"look the work up (publisher's page, Crossref) and add `doi = {{...}}` ({where}); "
                    f"never guess one: if it has none, leave the field out",
                )
            )
        if not paper.pages and paper.entry_type in TYPES_WITH_PAGES:
            found["entries"].append(
                Gap(
                    node,
                    label,
                    "no pages",
                    f"add `pages = {{FIRST--LAST}}` from the published version ({where})",
                )
            )
    return found


def _nodes_of(graph: nx.DiGraph, kind: str) -> list[str]:
    return sorted(node for node, node_kind in graph.nodes(data="kind") if node_kind == kind)
