"""What changed between two states of a project: the library behind ``kg diff``.

::

    old = state_at_revision(Path("references.bib"), Path("concepts.yaml"), "HEAD~1")
    new = state_from_files(Path("references.bib"), Path("concepts.yaml"), "the working tree")
    changes = compare(old, new)
    print(format_text(changes))

- :mod:`kg.diff.git`: a revision's files, through the ``git`` command;
- :mod:`kg.diff.states`: each state loaded by the ordinary loader;
- :mod:`kg.diff.compare`: the comparison, group by group;
- :mod:`kg.diff.answers`: each objective's ranked answer, before and after;
- :mod:`kg.diff.report`: the report as text and Markdown;
- :mod:`kg.diff.marks`: what the map and the handouts mark as new or changed.
"""

from __future__ import annotations

from kg.diff.answers import AnswerChange
from kg.diff.compare import Changes, FieldChange, Item, compare
from kg.diff.marks import new_readings, node_marks
from kg.diff.report import format_markdown, format_text
from kg.diff.states import State, state_at_revision, state_from_files

__all__ = [
    "AnswerChange",
    "Changes",
    "FieldChange",
    "Item",
    "State",
    "compare",
    "format_markdown",
    "format_text",
    "new_readings",
    "node_marks",
    "state_at_revision",
    "state_from_files",
]
