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
import re
import unicodedata
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


@dataclass(frozen=True)
class Names:
    """What one thing answers to: ids (which win) and other names (label, aliases)."""

    shown: str  # the id suggestions show, as a person would type it
    ids: tuple[str, ...]
    others: tuple[str, ...] = ()


#: Up to this many candidates, a "not found" message lists them all when nothing is close.
LISTED_CANDIDATES = 12


def resolve_among(
    text: str, candidates: dict[str, Names], what: str, *, list_choices: bool = True
) -> str:
    """Return the key of ``candidates`` that ``text`` names: the resolver of every command.

    Case, accents and the difference between spaces, hyphens and underscores
    are ignored, so ``self_care``, ``Self Care`` and ``self-care`` name the
    same concept and ``3B`` names objective 3b. An id match wins over a label
    or alias match; among matches of the same rank the candidate listed first
    wins. ``what`` names the kind sought in the message ("objective").

    Two ids of one kind that fold alike (``self-care`` and ``selfcare``, an
    error ``kg check`` reports) are told apart by the exact spelling typed;
    folded, they are ambiguous and neither is chosen.

    Raises :class:`kg.errors.NotFoundError` with "did you mean" suggestions,
    or, when nothing is close, the candidates are few and ``list_choices`` is
    true, the list of them.
    """
    wanted = normalise(text)
    if wanted:
        for rank in ("ids", "others"):
            matches = [
                key
                for key, names in candidates.items()
                if any(normalise(name) == wanted for name in getattr(names, rank))
            ]
            if matches:
                return _one_match(text, matches, candidates, rank)
    suggestions = suggest_among(text, candidates)
    message = f"no {what} matches {text!r}"
    if suggestions:
        message += f"; did you mean: {', '.join(suggestions)}?"
    elif list_choices and 0 < len(candidates) <= LISTED_CANDIDATES:
        shown = ", ".join(names.shown for names in candidates.values())
        message += f"; the choices are: {shown}"
    elif not candidates:
        message += f"; the project has no {what} of that kind"
    else:
        message += "; give an id, label or alias from the concepts file, or a citation key"
    raise NotFoundError(message, suggestions)


def _one_match(text: str, matches: list[str], candidates: dict[str, Names], rank: str) -> str:
    """The match ``text`` means: the first, unless ids of its kind collide once folded."""

    def kind_of(key: str) -> str:
        return key.partition(":")[0] if ":" in key else ""

    same_kind = [key for key in matches if kind_of(key) == kind_of(matches[0])]
    if rank != "ids" or len(same_kind) == 1:
        return matches[0]
    typed = unicodedata.normalize("NFC", text.strip())
    exact = [
        key
        for key in same_kind
        if any(unicodedata.normalize("NFC", name) == typed for name in candidates[key].ids)
    ]
    if len(exact) == 1:
        return exact[0]
    shown = ", ".join(candidates[key].shown for key in same_kind)
    raise NotFoundError(
        f"{text!r} names more than one: {shown} (their ids differ only in case, accents or "
        "separators; `kg check` reports it); type one exactly as written, or rename one",
        [candidates[key].shown for key in same_kind],
    )


def suggest_among(text: str, candidates: dict[str, Names], limit: int = 5) -> list[str]:
    """The ids of the candidates whose names are closest to ``text``, best first.

    Close spellings come first (difflib's ratio), then names that contain the
    text or are contained in it, then short sibling ids differing only in their
    last character (``3d`` -> ``3a``, ``3b``, ``3c``).
    """
    wanted = normalise(text)
    if not wanted:
        return []
    by_name: dict[str, str] = {}
    for names in candidates.values():
        for name in (*names.ids, *names.others):
            by_name.setdefault(normalise(name), names.shown)
    close = close_matches(wanted, by_name, n=limit * 3)
    contained = sorted(
        name for name in by_name if len(wanted) >= 3 and (wanted in name or name in wanted)
    )
    siblings = sorted(
        name
        for name in by_name
        if 2 <= len(wanted) <= 4 and len(name) == len(wanted) and name[:-1] == wanted[:-1]
    )
    result: list[str] = []
    for name in close + contained + siblings:
        if by_name[name] not in result:
            result.append(by_name[name])
    return result[:limit]


def _names_of(graph: nx.DiGraph, node: str) -> Names:
    """What a node answers to: its typed and bare ids, then its label, name and aliases."""
    data = graph.nodes[node]
    others = [data.get("label", "")]
    if data.get("kind") == "author":
        others.append(data.get("name", ""))
    aliases = data.get("aliases", "")
    if aliases:
        others.extend(aliases.split(LIST_SEPARATOR))
    return Names(
        shown=short_id(node),
        ids=(node, short_id(node)),
        others=tuple(name for name in others if name),
    )


def _candidates(graph: nx.DiGraph, kinds: tuple[str, ...]) -> dict[str, Names]:
    """The nodes of ``kinds``, in the order that settles a clash (kind order, then id)."""
    nodes = sorted(
        (node for node, kind in graph.nodes(data="kind") if kind in kinds),
        key=lambda node: (NODE_KINDS.index(graph.nodes[node]["kind"]), node),
    )
    return {node: _names_of(graph, node) for node in nodes}


def resolve(graph: nx.DiGraph, text: str, kinds=None) -> str:
    """Return the node id that ``text`` names.

    ``text`` may be a typed node id (``concept:self-care``), a bare id, a label
    or an alias, folded as :func:`resolve_among` folds it. ``kinds`` limits the
    search (e.g. ``("objective",)``); among several matches of the same rank
    the kind listed first in :data:`kg.model.NODE_KINDS` wins.

    Raises :class:`kg.errors.NotFoundError` with "did you mean" suggestions.
    """
    kinds = tuple(kinds) if kinds else NODE_KINDS
    what = (
        " or ".join(_KIND_NAMES.get(kind, kind) for kind in kinds)
        if len(kinds) < len(NODE_KINDS)
        else "node"
    )
    return resolve_among(text, _candidates(graph, kinds), what, list_choices=len(kinds) == 1)


def suggest(graph: nx.DiGraph, text: str, kinds=None, limit: int = 5) -> list[str]:
    """Short ids of the nodes whose names are closest to ``text`` (best first)."""
    kinds = tuple(kinds) if kinds else NODE_KINDS
    return suggest_among(text, _candidates(graph, kinds), limit)


def _require(graph: nx.DiGraph, node_or_text: str, kind: str) -> str:
    """Accept a node id of ``kind`` as it is; resolve anything else."""
    if node_or_text in graph and graph.nodes[node_or_text].get("kind") == kind:
        return node_or_text
    return resolve(graph, node_or_text, kinds=(kind,))


# ---------------------------------------------------------------- ranking papers
#
# The ranking model (README, "How papers are ranked"). Every chain of evidence
# that brings a paper into an answer is one piece of evidence:
#
#   * a direct link (objective -> paper) is worth the weight of its strength;
#   * a chain through a concept (objective -> concept -> paper) is as strong as
#     its weakest link, and worth half the weight of that strength, since the
#     paper backs the concept and only the concept backs the objective.
#
# A paper's score is the sum of its pieces, so several independent pieces
# outrank one. Weights are far apart, so one supported piece outweighs any
# two weak ones. Ties on the score are broken by the number of the
# objective's concepts the paper discusses, then by a direct link, then by the
# strongest single piece; only then does being on the workshop's own reading
# list (a "seed" paper) count, and papers still level keep the order of the
# bibliography, the editor's own order.

#: What one piece of evidence is worth, by strength.
EVIDENCE_WEIGHTS: dict[str, float] = {"supported": 1.0, "weak": 0.4, "inferred": 0.1}

#: The share of its weight a piece keeps when it comes through a concept.
THROUGH_CONCEPT = 0.5

#: The ``keywords`` value that marks a paper on the workshop's own reading list.
SEED_KEYWORD = "workshop reading list"


def evidence_value(strength: str, direct: bool) -> float:
    """What one piece of evidence adds to a paper's score (see the ranking model above)."""
    return EVIDENCE_WEIGHTS[strength] * (1.0 if direct else THROUGH_CONCEPT)


def is_seed(graph: nx.DiGraph, paper_node: str) -> bool:
    """True when the paper is on the workshop's own reading list (``keywords`` says so)."""
    keywords = graph.nodes[paper_node].get("keywords", "")
    return any(normalise(word) == normalise(SEED_KEYWORD) for word in re.split(r"[;,]", keywords))


@dataclass
class Reason:
    """One chain of evidence that brings a paper into an answer."""

    through: str  # concept id, or "" for a direct link to the objective
    strength: str  # the chain's strength (its weakest link)
    reason: str  # the reason recorded on the paper's link
    #: One link from what was asked about to the paper (the default when ``through`` is empty).
    direct: bool | None = None

    def __post_init__(self):
        if self.direct is None:
            self.direct = not self.through

    @property
    def value(self) -> float:
        """What this piece adds to the paper's score."""
        return evidence_value(self.strength, self.direct)

    def as_dict(self) -> dict:
        """JSON shape."""
        return {
            "through": self.through or "direct",
            "strength": self.strength,
            "reason": self.reason,
            "value": round(self.value, 3),
        }


@dataclass
class PaperMatch:
    """A paper in an answer, with why it is there and how it ranks."""

    key: str
    strength: str  # strongest chain
    via: list[str] = field(default_factory=list)  # concept ids it comes through
    direct: bool = False  # linked to the objective itself
    reasons: list[Reason] = field(default_factory=list)
    concepts: int = 0  # how many of the asked-about concepts it discusses
    seed: bool = False  # on the workshop's own reading list: a badge, not evidence
    position: tuple[str, int] = ("", 0)  # (file, line) in the bibliography

    @property
    def node(self) -> str:
        """The paper's node id."""
        return f"paper:{self.key}"

    @property
    def score(self) -> float:
        """The sum of the values of its pieces of evidence."""
        return sum(reason.value for reason in self.reasons)

    def rank_key(self) -> tuple:
        """Sort key, best first: score, coverage, directness, best piece, seed, bibliography order."""
        return (
            -round(self.score, 9),
            -self.concepts,
            not self.direct,
            strength_rank(self.strength),
            not self.seed,
            self.position,
        )


def rank(matches) -> list[PaperMatch]:
    """``matches`` best first, by :meth:`PaperMatch.rank_key`."""
    return sorted(matches, key=PaperMatch.rank_key)


def has_supported_reading(matches) -> bool:
    """True when at least one paper backs the question with ``supported`` evidence."""
    return any(match.strength == "supported" for match in matches)


def _keep(matches: dict[str, PaperMatch], min_strength: str) -> list[PaperMatch]:
    if min_strength not in STRENGTHS:
        raise ValueError(f"min_strength must be one of {', '.join(STRENGTHS)}")
    limit = strength_rank(min_strength)
    kept = [match for match in matches.values() if strength_rank(match.strength) <= limit]
    for match in kept:
        match.reasons.sort(key=lambda r: (-r.value, r.through))
        match.via = sorted(
            set(match.via),
            key=lambda concept: (
                -max((r.value for r in match.reasons if r.through == concept), default=0.0),
                concept,
            ),
        )
    return rank(kept)


def _new_match(graph: nx.DiGraph, paper_node: str) -> PaperMatch:
    data = graph.nodes[paper_node]
    return PaperMatch(
        key=short_id(paper_node),
        strength=STRENGTHS[-1],
        seed=is_seed(graph, paper_node),
        position=(str(data.get("file", "")), int(data.get("line", 0) or 0)),
    )


def papers_for_objective(
    graph: nx.DiGraph, objective: str, min_strength: str = "inferred"
) -> list[PaperMatch]:
    """Papers that support ``objective``, directly or through the concepts it covers.

    Ranked by the model above (:meth:`PaperMatch.rank_key`); each match keeps
    its pieces of evidence, strongest first. Papers whose strongest piece is
    weaker than ``min_strength`` are left out.
    """
    node = _require(graph, objective, "objective")
    matches: dict[str, PaperMatch] = {}

    def match_for(paper_node: str) -> PaperMatch:
        key = short_id(paper_node)
        if key not in matches:
            matches[key] = _new_match(graph, paper_node)
        return matches[key]

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
    return _keep(matches, min_strength)


def papers_for_concept(
    graph: nx.DiGraph, concept: str, min_strength: str = "inferred"
) -> list[PaperMatch]:
    """Papers that discuss ``concept``, ranked as for an objective (each link is direct)."""
    node = _require(graph, concept, "concept")
    concept_id = short_id(node)
    matches: dict[str, PaperMatch] = {}
    for paper_node, _, data in graph.in_edges(node, data=True):
        if data.get("relation") != "discusses":
            continue
        strength = data.get("strength", "inferred")
        match = _new_match(graph, paper_node)
        match.strength = strength
        match.via = [concept_id]
        match.direct = True
        match.reasons = [Reason(concept_id, strength, data.get("reason", ""), direct=True)]
        match.concepts = 1
        matches[match.key] = match
    return _keep(matches, min_strength)


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
