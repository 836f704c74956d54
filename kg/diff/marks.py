"""What the map and the handouts mark as new or changed since an earlier state.

:func:`node_marks` turns :class:`kg.diff.compare.Changes` into one mark per
node of the new state: ``new`` for a node the old state did not have, or
``changed`` with the sentences its panel shows (a field reworded, a link's
strength, a place in an objective's answer). Removed things are not on the
map; what they were linked to is marked changed instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.diff.report import HEADINGS, answer_lines, field_lines

if TYPE_CHECKING:  # pragma: no cover
    from kg.diff.compare import Changes


def node_marks(changes: Changes, nodes) -> dict[str, dict]:
    """``{node id: {"status": "new"|"changed", "what": [sentences]}}`` for the nodes in ``nodes``."""
    present = set(nodes)
    marks: dict[str, dict] = {}

    def mark(node: str, status: str, sentence: str = "") -> None:
        if node not in present:
            return
        entry = marks.setdefault(node, {"status": status, "what": []})
        if status == "new":
            entry["status"] = "new"
        if sentence and sentence not in entry["what"]:
            entry["what"].append(sentence)

    for name, items in changes.groups():
        for item in items:
            if item.status == "added" and name not in ("links", "relations"):
                mark(item.id, "new", f"new since {changes.old}")
            elif item.status == "renamed":
                mark(item.id, "changed", f"citation key was {item.old_id.partition(':')[2]}")
            elif name in ("links", "relations"):
                for node in item.nodes:
                    what = f"{HEADINGS[name].lower()[:-1]} {item.status}: {item.label}"
                    if item.fields:
                        what += (
                            " ("
                            + "; ".join(
                                line for change in item.fields for line in field_lines(change)
                            )
                            + ")"
                        )
                    mark(node, "changed", what)
            for change in item.fields if name not in ("links", "relations") else ():
                for line in field_lines(change):
                    mark(item.id, "changed", line)
    for answer in changes.answers:
        for line in answer_lines(answer):
            mark(answer.node, "changed", f"answer: {line}")
    return dict(sorted(marks.items()))


def new_readings(changes: Changes) -> set[str]:
    """The citation keys of papers new since the old state (added, not renamed)."""
    return {item.id.partition(":")[2] for item in changes.papers if item.status == "added"}


def page_marks(changes: Changes, nodes) -> dict:
    """What the map's page gets under its ``since`` key: the old state's name, a summary, the marks."""
    from kg.diff.report import summary_line

    return {
        "label": changes.old,
        "summary": summary_line(changes),
        "nodes": node_marks(changes, nodes),
    }
