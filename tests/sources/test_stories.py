"""Stories in the concepts file: the format, names resolved as every command resolves them,
and each mistake reported with its line."""

from __future__ import annotations

import pytest

import kg
from kg.model import Story, StoryStep
from tests.conftest import ROOT, run_kg

BIB = """\
@article{smith2020,
  author = {Smith, Jane and Hernández, Pilar},
  title = {Resilience in practice},
  journal = {Journal},
  year = {2020},
}
"""

CONCEPTS = """\
version: 1
concepts:
  - id: self-care
    label: Self-care
    aliases: [caring for self]
  - id: burnout
    label: Burnout
objectives:
  - id: "3b"
    domain: attitude
    text: attend to self-care
quotes:
  - id: helped
    text: "Be helped."
stories:
  - id: demo
    title: A short demo
    steps:
      - title: The costs
        focus: [burnout, concept:self-care]
        notes: |
          **Five minutes.** Ask the room.

          - one
          - two
      - title: Self-care
        view: timeline
        focus: ["3B", Caring for self, helped]
        reveal: [smith2020, author:hernandez-p]
"""


def project(tmp_path, concepts: str = CONCEPTS):
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "concepts.yaml").write_text(concepts, encoding="utf-8")
    return kg.load(tmp_path / "references.bib", tmp_path / "concepts.yaml", use_cache=False)


def test_a_story_reads_as_written_with_every_name_resolved_to_its_node(tmp_path):
    corpus = project(tmp_path)
    assert [problem.format() for problem in corpus.problems] == []
    assert corpus.stories == {
        "demo": Story(
            id="demo",
            title="A short demo",
            line=16,
            steps=[
                StoryStep(
                    title="The costs",
                    focus=["concept:burnout", "concept:self-care"],
                    notes="**Five minutes.** Ask the room.\n\n- one\n- two",
                    line=19,
                ),
                StoryStep(
                    title="Self-care",
                    view="timeline",
                    focus=["objective:3b", "concept:self-care", "quote:helped"],
                    reveal=["paper:smith2020", "author:hernandez-p"],
                    line=26,
                ),
            ],
        )
    }


def test_stories_survive_the_cache(tmp_path):
    first = kg.load(*_paths(tmp_path))
    second = kg.load(*_paths(tmp_path))
    assert second.stories == first.stories
    assert second.stories["demo"].steps[1].reveal == ["paper:smith2020", "author:hernandez-p"]


def _paths(tmp_path):
    project(tmp_path)
    return tmp_path / "references.bib", tmp_path / "concepts.yaml"


MISTAKES = [
    pytest.param(
        "        focus: [burnout, concept:self-care]\n",
        "        focus: [burnout, self-cair]\n",
        "concepts.yaml:20: error: story 'demo', step 1 (focus): no node matches 'self-cair'; "
        "did you mean: self-care?",
        id="misspelt-concept",
    ),
    pytest.param(
        "        reveal: [smith2020, author:hernandez-p]\n",
        "        reveal:\n          - smith2020\n          - smith2021\n",
        "concepts.yaml:31: error: story 'demo', step 2 (reveal): no node matches 'smith2021'; "
        "did you mean: smith2020, smith-j?",
        id="unknown-key-on-its-own-line",
    ),
    pytest.param(
        "        view: timeline\n",
        "        view: timelime\n",
        "concepts.yaml:27: error: story 'demo', step 2: view 'timelime' is not one of map, "
        "timeline (did you mean 'timeline'?)",
        id="bad-view",
    ),
    pytest.param(
        "      - title: Self-care\n",
        "      - heading: Self-care\n",
        "concepts.yaml:26: warning: story 'demo', step 2: unknown key 'heading' (known: title, "
        "focus, reveal, view, notes)\n"
        "concepts.yaml:26: error: story 'demo', step 2: 'title' is required (what the room "
        "and the presenter console show)",
        id="unknown-key-and-no-title",
    ),
    pytest.param(
        "        view: timeline\n",
        "        view: timeline\n        notes: 3\n",
        "concepts.yaml:28: error: story 'demo', step 2: 'notes' must be text (Markdown; write "
        "`notes: |` and the notes indented below it)",
        id="notes-not-text",
    ),
    pytest.param(
        "        focus: [burnout, concept:self-care]\n",
        "        focus: [burnout, 3]\n",
        "concepts.yaml:20: error: 'focus' holds 3, read as a number: put it in quotes",
        id="number-id",
    ),
    pytest.param(
        "        reveal: [smith2020, author:hernandez-p]\n",
        "        reveal: [smith2020, author:hernandez-p]\n  - id: demo\n    steps: [{title: X}]\n",
        "concepts.yaml:30: error: story 'demo' is defined twice (first at line 16)",
        id="duplicate-story",
    ),
    pytest.param(
        "        reveal: [smith2020, author:hernandez-p]\n",
        "        reveal: [smith2020, author:hernandez-p]\n  - id: empty\n",
        "concepts.yaml:30: error: story 'empty' has no steps; add a 'steps' list with at least "
        "one step (a title, and the nodes to focus)",
        id="empty-story",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), MISTAKES)
def test_kg_check_names_each_mistake_in_a_story_with_its_line(workdir, old, new, expected):
    assert old in CONCEPTS
    (workdir / "references.bib").write_text(BIB, encoding="utf-8")
    (workdir / "concepts.yaml").write_text(CONCEPTS.replace(old, new, 1), encoding="utf-8")
    result = run_kg("check", "--no-cache")
    problems = [line for line in result.output.splitlines() if "concepts.yaml:" in line]
    assert problems == expected.split("\n")
    assert result.exit_code == (1 if ": error: " in expected else 0)


def test_long_notes_get_a_warning(tmp_path):
    long_notes = "notes: |\n          " + "word " * 320 + "\n"
    corpus = project(tmp_path, CONCEPTS.replace("notes: |\n", long_notes + "        x: |\n", 1))
    assert [problem.message for problem in corpus.problems if problem.code == "long-notes"] == [
        "story 'demo', step 1: the notes are 1,599 characters; a presenter reads them at a "
        "glance, so keep them under 1,500"
    ]


def test_the_shipped_story_has_six_steps_or_more_each_with_notes():
    corpus = kg.load(ROOT / "references.bib", ROOT / "concepts.yaml", use_cache=False)
    assert not [problem for problem in corpus.problems if problem.file.endswith(".yaml")]
    story = corpus.stories["workshop"]
    assert len(story.steps) >= 6
    assert all(step.notes and (step.focus or step.reveal) for step in story.steps)
    shown = {node for step in story.steps for node in step.focus + step.reveal}
    # Every learning objective of the workshop has its place in the two hours.
    assert {f"objective:{objective}" for objective in corpus.objectives} <= shown
    assert "timeline" in {step.view for step in story.steps}
