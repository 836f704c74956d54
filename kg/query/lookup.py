"""Finding nodes from what a person typed: the one resolver every command uses.

Case, accents, spaces, hyphens and underscores are folded away before
comparing (:func:`normalise`); an id match wins over a label or alias match,
and a miss comes with "did you mean" suggestions (:func:`suggest_among`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import NotFoundError
from kg.graph import LIST_SEPARATOR, split_node_id
from kg.model import NODE_KINDS, Story
from kg.suggest import close_matches
from kg.text import fold

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx


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
        (node for node, attrs in graph.nodes.items() if attrs.get("kind") in kinds),
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
    what = " or ".join(kinds) if len(kinds) < len(NODE_KINDS) else "node"
    return resolve_among(text, _candidates(graph, kinds), what, list_choices=len(kinds) == 1)


def resolve_story(stories: dict[str, Story], text: str) -> Story:
    """The story ``text`` names, by id or title, folded as every name is (:func:`resolve_among`).

    Raises :class:`kg.errors.NotFoundError` with suggestions, or the list of stories.
    """
    candidates = {
        story_id: Names(shown=story_id, ids=(story_id,), others=(story.title,))
        for story_id, story in stories.items()
    }
    return stories[resolve_among(text, candidates, "story")]


def suggest(graph: nx.DiGraph, text: str, kinds=None, limit: int = 5) -> list[str]:
    """Short ids of the nodes whose names are closest to ``text`` (best first)."""
    kinds = tuple(kinds) if kinds else NODE_KINDS
    return suggest_among(text, _candidates(graph, kinds), limit)


def require(graph: nx.DiGraph, node_or_text: str, kind: str) -> str:
    """Accept a node id of ``kind`` as it is; resolve anything else."""
    if node_or_text in graph and graph.nodes[node_or_text].get("kind") == kind:
        return node_or_text
    return resolve(graph, node_or_text, kinds=(kind,))
