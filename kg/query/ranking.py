"""The ranking model: which papers back an objective or a concept, and in what order.

Evidence strength follows :mod:`kg.model`: ``supported`` > ``weak`` >
``inferred``. A chain objective -> concept -> paper is as strong as its
weakest link; a paper is as strong for an objective as its strongest chain,
and a paper linked to the objective directly is a chain of one link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.model import STRENGTHS, strength_rank, weakest
from kg.query.lookup import normalise, require, short_id

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

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
        direct = self.direct if self.direct is not None else not self.through
        return evidence_value(self.strength, direct)

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
    node = require(graph, objective, "objective")
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
    node = require(graph, concept, "concept")
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
