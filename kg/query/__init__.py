"""Questions students and trainers ask of the knowledge graph.

Pure functions over the graph built by :func:`kg.graph.build_graph`, in one
module per kind of question and all importable from here:

- :mod:`kg.query.lookup`: find a node from what a person typed
  (:func:`resolve`, :func:`resolve_among`, :func:`suggest`);
- :mod:`kg.query.ranking`: the papers behind an objective or a concept,
  ranked and explained (:func:`papers_for_objective`,
  :func:`papers_for_concept`);
- :mod:`kg.query.describe`: everything about one node (:func:`node_details`)
  and each link in words;
- :mod:`kg.query.paths`: how two nodes connect (:func:`shortest_path`);
- :mod:`kg.query.coverage`: where the reading list is thin (:func:`gaps`).
"""

from __future__ import annotations

from kg.query.coverage import TYPES_WITH_PAGES, Gap, gaps
from kg.query.describe import (
    RELATION_PHRASES,
    RELATION_TYPE_PHRASES,
    describe_edge,
    node_details,
    node_name,
)
from kg.query.lookup import (
    LISTED_CANDIDATES,
    Names,
    normalise,
    require,
    resolve,
    resolve_among,
    resolve_story,
    short_id,
    suggest,
    suggest_among,
)
from kg.query.paths import Hop, shortest_path
from kg.query.ranking import (
    EVIDENCE_WEIGHTS,
    SEED_KEYWORD,
    THROUGH_CONCEPT,
    PaperMatch,
    Reason,
    evidence_value,
    has_supported_reading,
    is_seed,
    papers_for_concept,
    papers_for_objective,
    rank,
)

__all__ = [
    "EVIDENCE_WEIGHTS",
    "LISTED_CANDIDATES",
    "RELATION_PHRASES",
    "RELATION_TYPE_PHRASES",
    "SEED_KEYWORD",
    "THROUGH_CONCEPT",
    "TYPES_WITH_PAGES",
    "Gap",
    "Hop",
    "Names",
    "PaperMatch",
    "Reason",
    "describe_edge",
    "evidence_value",
    "gaps",
    "has_supported_reading",
    "is_seed",
    "node_details",
    "node_name",
    "normalise",
    "papers_for_concept",
    "papers_for_objective",
    "rank",
    "require",
    "resolve",
    "resolve_among",
    "resolve_story",
    "short_id",
    "shortest_path",
    "suggest",
    "suggest_among",
]
