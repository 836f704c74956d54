"""Stories in the concepts file: authored walks through the map, step by step.

A story is a named sequence of steps; each step has a title, the nodes to
show together (``focus``), nodes added one at a time (``reveal``), the view
(``map`` or ``timeline``) and speaker notes in short Markdown::

    stories:
      - id: workshop
        title: Vicarious resilience in two hours
        steps:
          - title: What trauma work costs
            focus: [vicarious-trauma, concept:compassion-fatigue, Burnout]
            reveal: [mccann1990vicarious]
            view: map
            notes: |
              Start from what the room already knows.

A step names nodes as every command reads them (:func:`kg.query.resolve`):
typed or bare ids, labels and aliases, citation keys. Those names can point
at papers and authors, so they are resolved by :func:`resolve_stories` once
the bibliography is read too, each unknown one reported with its own line.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import STORY_VIEWS, Corpus, Problem, Story, StoryStep
from kg.sources.yaml_fields import Reader, key_line, suggest, value_line

#: What a step may hold.
STEP_KEYS = ("title", "focus", "reveal", "view", "notes")
#: What a story may hold.
STORY_KEYS = ("id", "title", "steps")
#: Speaker notes are read at a glance during a talk: longer notes get a warning.
NOTES_LIMIT = 1500


@dataclass(frozen=True)
class StoryReference:
    """A node a story step names, as written, with its line."""

    story: str
    step: int  # 0-based position of the step in its story
    field: str  # "focus" or "reveal"
    text: str
    line: int


def parse_stories(reader: Reader, document: dict) -> tuple[dict[str, Story], list[StoryReference]]:
    """The ``stories`` section: each story and the node names its steps hold, unresolved."""
    stories: dict[str, Story] = {}
    references: list[StoryReference] = []
    for item, line in reader.items(document, "stories"):
        story_id = reader.identifier(item, "id", line)
        if story_id is None or not reader.is_new("story", story_id, stories, line):
            continue
        _warn_unknown_keys(reader, item, STORY_KEYS, f"story '{story_id}'")
        story = Story(id=story_id, title=reader.text(item, "title", line) or story_id, line=line)
        for step_item, step_line in reader.items(item, "steps"):
            step = _read_step(reader, step_item, step_line, story_id, len(story.steps) + 1)
            for field_name in ("focus", "reveal"):
                for text, item_line in reader.id_items(step_item, field_name, step_line):
                    references.append(
                        StoryReference(story_id, len(story.steps), field_name, text, item_line)
                    )
            story.steps.append(step)
        if not story.steps:
            reader.error(
                line,
                "empty-story",
                f"story '{story_id}' has no steps; add a 'steps' list with at least one "
                "step (a title, and the nodes to focus)",
            )
        stories[story_id] = story
    return stories, references


def _read_step(reader: Reader, item: dict, line: int, story_id: str, number: int) -> StoryStep:
    """One step, its node names left for :func:`resolve_stories`."""
    where = f"story '{story_id}', step {number}"
    _warn_unknown_keys(reader, item, STEP_KEYS, where)
    view = reader.text(item, "view", line) or STORY_VIEWS[0]
    if view not in STORY_VIEWS:
        reader.error(
            value_line(item, "view", line),
            "bad-view",
            f"{where}: view '{view}' is not one of {', '.join(STORY_VIEWS)}"
            f"{suggest(view, STORY_VIEWS)}",
        )
        view = STORY_VIEWS[0]
    title = reader.text(item, "title", line)
    if not title:
        reader.error(
            line,
            "missing",
            f"{where}: 'title' is required (what the room and the presenter console show)",
        )
    return StoryStep(
        title=title or f"Step {number}",
        view=view,
        notes=_notes(reader, item, line, where),
        line=line,
    )


def _notes(reader: Reader, item: dict, line: int, where: str) -> str:
    """Speaker notes as written: Markdown keeps its line breaks."""
    value = item.get("notes")
    if value is None:
        return ""
    at = value_line(item, "notes", line)
    if not isinstance(value, str):
        reader.error(
            at,
            "wrong-type",
            f"{where}: 'notes' must be text (Markdown; write `notes: |` and the "
            "notes indented below it)",
        )
        return ""
    notes = "\n".join(part.rstrip() for part in value.strip().splitlines())
    if len(notes) > NOTES_LIMIT:
        reader.warning(
            at,
            "long-notes",
            f"{where}: the notes are {len(notes):,} characters; a presenter reads "
            f"them at a glance, so keep them under {NOTES_LIMIT:,}",
        )
    return notes


def _warn_unknown_keys(reader: Reader, item: dict, known: tuple[str, ...], where: str) -> None:
    for key in item:
        if key not in known:
            reader.warning(
                key_line(item, key),
                "unknown-key",
                f"{where}: unknown key '{key}'{suggest(str(key), known)} "
                f"(known: {', '.join(known)})",
            )


def resolve_stories(corpus: Corpus, references: list[StoryReference], file: str) -> list[Problem]:
    """Put the node ids each story step names into ``corpus.stories``; a problem for each miss.

    Names are read as every command reads them (:func:`kg.query.resolve`), so
    ``Self Care``, ``concept:self-care`` and ``self_care`` all name one node.
    A node named twice in a step is kept once, where it is first named.
    """
    if not references:
        return []
    from kg.errors import NotFoundError
    from kg.graph import build_graph
    from kg.query.lookup import resolve

    graph = build_graph(corpus)
    problems: list[Problem] = []
    for reference in references:
        story = corpus.stories.get(reference.story)
        if story is None or reference.step >= len(story.steps):
            continue
        step = story.steps[reference.step]
        try:
            node = resolve(graph, reference.text)
        except NotFoundError as error:
            problems.append(
                Problem(
                    file,
                    reference.line,
                    "error",
                    "unknown-node",
                    f"story '{reference.story}', step {reference.step + 1} "
                    f"({reference.field}): {error}",
                )
            )
            continue
        if node not in step.focus and node not in step.reveal:
            getattr(step, reference.field).append(node)
    return problems
