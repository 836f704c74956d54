"""How each objective's answer changed, ranked exactly as ``kg papers`` ranks it.

Both states are asked :func:`kg.query.papers_for_objective`; a paper renamed
between them is the same paper. What a trainer notices is reported: a new
first paper, papers entering or leaving the top five, and papers gaining or
losing ``supported`` evidence (and with it, whether the objective has any).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from kg.diff.states import Names

#: How many papers count as the top of an answer.
TOP = 5


@dataclass
class Placed:
    """A paper in an answer: its key, its name, and its rank in each state (0: absent)."""

    key: str
    label: str
    old_rank: int = 0
    new_rank: int = 0

    def as_dict(self) -> dict:
        """JSON shape."""
        return {
            "key": self.key,
            "label": self.label,
            "old_rank": self.old_rank,
            "new_rank": self.new_rank,
        }


@dataclass
class AnswerChange:
    """What changed in one objective's ranked answer."""

    objective: str  # its id: "3b"
    text: str
    first: tuple[Placed | None, Placed | None] | None = None  # (was, now) when it changed
    entered: list[Placed] = field(default_factory=list)  # into the top five
    left: list[Placed] = field(default_factory=list)  # out of the top five
    gained: list[Placed] = field(default_factory=list)  # now backed by supported evidence
    lost: list[Placed] = field(default_factory=list)  # no longer
    supported: tuple[bool, bool] = (False, False)  # any supported reading, before and after
    new_objective: bool = False

    @property
    def node(self) -> str:
        """The objective's node id."""
        return f"objective:{self.objective}"

    def __bool__(self) -> bool:
        return bool(self.first or self.entered or self.left or self.gained or self.lost)

    def as_dict(self) -> dict:
        """JSON shape."""
        first = None
        if self.first is not None:
            was, now = self.first
            first = {"old": was.as_dict() if was else None, "new": now.as_dict() if now else None}
        return {
            "objective": self.objective,
            "text": self.text,
            "new_objective": self.new_objective,
            "first": first,
            "entered_top": [placed.as_dict() for placed in self.entered],
            "left_top": [placed.as_dict() for placed in self.left],
            "gained_supported": [placed.as_dict() for placed in self.gained],
            "lost_supported": [placed.as_dict() for placed in self.lost],
            "supported": {"old": self.supported[0], "new": self.supported[1]},
        }


def compare_answers(
    old: nx.DiGraph, new: nx.DiGraph, renamed: dict[str, str], names: Names
) -> list[AnswerChange]:
    """Every objective of the new state whose answer changed, in the objectives' order."""
    from kg.query import papers_for_objective

    changes = []
    objectives = sorted(
        node for node, attrs in new.nodes.items() if attrs.get("kind") == "objective"
    )
    for node in objectives:
        after = [(match.key, match.strength) for match in papers_for_objective(new, node)]
        before = []
        if node in old and old.nodes[node].get("kind") == "objective":
            before = [
                (renamed.get(match.key, match.key), match.strength)
                for match in papers_for_objective(old, node)
            ]
        change = _answer_change(node, new.nodes[node].get("text", ""), before, after, names)
        change.new_objective = node not in old
        if change:
            changes.append(change)
    return changes


def _answer_change(node: str, text: str, before: list, after: list, names: Names) -> AnswerChange:
    old_rank = {key: rank for rank, (key, _) in enumerate(before, start=1)}
    new_rank = {key: rank for rank, (key, _) in enumerate(after, start=1)}

    def placed(key: str) -> Placed:
        return Placed(key, names.label(f"paper:{key}"), old_rank.get(key, 0), new_rank.get(key, 0))

    change = AnswerChange(node.partition(":")[2], text)
    was = before[0][0] if before else None
    now = after[0][0] if after else None
    if was != now:
        change.first = (placed(was) if was else None, placed(now) if now else None)
    top_before = {key for key, _ in before[:TOP]}
    top_after = {key for key, _ in after[:TOP]}
    change.entered = [placed(key) for key, _ in after[:TOP] if key not in top_before]
    change.left = [placed(key) for key, _ in before[:TOP] if key not in top_after]
    strong_before = {key for key, strength in before if strength == "supported"}
    strong_after = {key for key, strength in after if strength == "supported"}
    change.gained = [placed(key) for key, _ in after if key in strong_after - strong_before]
    change.lost = [placed(key) for key, _ in before if key in strong_before - strong_after]
    change.supported = (bool(strong_before), bool(strong_after))
    return change
