"""``kg diff``'s report in words: plain text for a terminal, Markdown for a course page.

Both say the same things in the same order: papers, authors, concepts,
objectives, relations, quotes, links, the objectives' answers, and the new
problems. JSON is :meth:`kg.diff.compare.Changes.as_dict`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.cite import markdown_escape
from kg.diff.compare import STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from kg.diff.answers import AnswerChange, Placed
    from kg.diff.compare import Changes, FieldChange, Item

#: Each group's heading in a report.
HEADINGS = {
    "papers": "Papers",
    "authors": "Authors",
    "concepts": "Concepts",
    "objectives": "Objectives",
    "relations": "Relations between concepts",
    "quotes": "Quotes",
    "links": "Evidence links",
}
#: The word a report uses for a changed record: wording changes for ideas, fields for entries.
CHANGED_WORD = {"concepts": "reworded", "objectives": "reworded", "quotes": "reworded"}
#: A field change fits on one line when both values are at most this long.
SHORT_VALUE = 40


def plural(number: int, noun: str, nouns: str | None = None) -> str:
    """``1 paper``, ``3 papers``."""
    return f"{number} {noun if number == 1 else nouns or noun + 's'}"


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def title_line(changes: Changes) -> str:
    """The report's first line: which states are compared."""
    return f"Changes from {changes.old} to {changes.new}"


def summary_line(changes: Changes) -> str:
    """One line counting everything: ``papers: 1 added, 1 renamed; concepts: 1 reworded; ...``."""
    if not changes:
        return "No differences."
    parts = []
    for name, items in changes.groups():
        counts = [
            f"{sum(1 for item in items if item.status == status)} {_word(name, status)}"
            for status in STATUSES
            if any(item.status == status for item in items)
        ]
        if counts:
            parts.append(f"{HEADINGS[name].lower()}: {', '.join(counts)}")
    if changes.answers:
        parts.append(
            plural(len(changes.answers), "objective's answer", "objectives' answers") + " changed"
        )
    if changes.problems:
        parts.append(plural(len(changes.problems), "new problem"))
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _word(group: str, status: str) -> str:
    return CHANGED_WORD.get(group, "changed") if status == "changed" else status


def _item_head(group: str, item: Item) -> str:
    """The item in words, without its status: the paper's key, a rename's two keys, a detail."""
    text = item.label
    if group == "papers":
        key = item.id.partition(":")[2]
        if item.status == "renamed":
            text += f", key {item.old_id.partition(':')[2]} → {key} (same {item.matched_by})"
        else:
            text += f" [{key}]"
    if item.detail:
        text += f" ({item.detail})" if group in ("links", "relations") else f": {item.detail}"
    return text


def _ranked(placed: Placed, which: str) -> str:
    rank = placed.new_rank if which == "new" else placed.old_rank
    return (
        f"{placed.label}, {'now' if which == 'new' else 'was'} {ordinal(rank)}"
        if rank
        else placed.label
    )


def answer_lines(answer: AnswerChange) -> list[str]:
    """What changed in one objective's answer, one sentence a line."""
    lines = []
    if answer.new_objective:
        lines.append("a new objective")
    if answer.first is not None:
        was, now = answer.first
        lines.append(
            f"first paper: {was.label if was else 'none'} → {now.label if now else 'none'}"
        )
    for placed in answer.entered:
        lines.append(f"enters the top five: {_ranked(placed, 'new')}")
    for placed in answer.left:
        where = f"now {ordinal(placed.new_rank)}" if placed.new_rank else "no longer in the answer"
        lines.append(
            f"leaves the top five: {placed.label}, was {ordinal(placed.old_rank)}, {where}"
        )
    if answer.gained:
        lines.append("gains supported evidence: " + ", ".join(p.label for p in answer.gained))
    if answer.lost:
        lines.append("loses supported evidence: " + ", ".join(p.label for p in answer.lost))
    if answer.supported[0] and not answer.supported[1]:
        lines.append("no reading supports it directly any more")
    elif answer.supported[1] and not answer.supported[0] and not answer.new_objective:
        lines.append("a reading now supports it directly")
    return lines


def field_lines(change: FieldChange) -> list[str]:
    """A field's change: on one line when short, else what it was and what it is now."""
    if not change.old:
        return [f"{change.name} added: {change.new}"]
    if not change.new:
        return [f"{change.name} removed (was: {change.old})"]
    if len(change.old) <= SHORT_VALUE and len(change.new) <= SHORT_VALUE:
        return [f"{change.name}: {change.old} → {change.new}"]
    return [f"{change.name} was: {change.old}", f"{change.name} now: {change.new}"]


# ---------------------------------------------------------------- text


def format_text(changes: Changes) -> str:
    """The report as plain text, for a terminal (ends with a newline)."""
    blocks = [title_line(changes)]
    for name, items in changes.groups():
        if not items:
            continue
        lines = [HEADINGS[name]]
        for item in items:
            lines.append(f"  {_word(name, item.status):<9}{_item_head(name, item)}")
            for change in item.fields:
                lines += [f"             {line}" for line in field_lines(change)]
        blocks.append("\n".join(lines))
    if changes.answers:
        lines = ["Objectives' answers (ranked as kg papers ranks them)"]
        for answer in changes.answers:
            lines.append(f"  Objective {answer.objective}: {answer.text}")
            lines += [f"    {line}" for line in answer_lines(answer)]
        blocks.append("\n".join(lines))
    if changes.problems:
        lines = [f"New problems kg check would report ({len(changes.problems)})"]
        lines += [f"  {problem.format()}" for problem in changes.problems]
        blocks.append("\n".join(lines))
    blocks.append(summary_line(changes))
    return "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------- Markdown


def format_markdown(changes: Changes) -> str:
    """The report as Markdown, to paste into a course page or a merge request."""
    lines = [f"## {markdown_escape(title_line(changes))}", ""]
    for name, items in changes.groups():
        if not items:
            continue
        lines += [f"### {HEADINGS[name]}", ""]
        for item in items:
            lines.append(
                f"- **{_word(name, item.status)}** {markdown_escape(_item_head(name, item))}"
            )
            for change in item.fields:
                lines += [f"  - {markdown_escape(line)}" for line in field_lines(change)]
        lines.append("")
    if changes.answers:
        lines += ["### Objectives' answers", "", "Ranked as `kg papers` ranks them.", ""]
        for answer in changes.answers:
            lines.append(
                f"- **Objective {markdown_escape(answer.objective)}**: "
                f"{markdown_escape(answer.text)}"
            )
            lines += [f"  - {markdown_escape(line)}" for line in answer_lines(answer)]
        lines.append("")
    if changes.problems:
        lines += ["### New problems `kg check` would report", ""]
        lines += [f"- {markdown_escape(problem.format())}" for problem in changes.problems]
        lines.append("")
    lines.append(f"_{markdown_escape(summary_line(changes))}_")
    return "\n".join(lines) + "\n"
