"""``kg reading-list --story NAME``: the handout follows a story of the concepts file."""

from __future__ import annotations

import re

from tests.conftest import run_kg


def test_the_handout_follows_the_workshop_story(shipped_project):
    result = run_kg("reading-list", "-q", "--story", "workshop")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith(
        "# Reading list: Vicarious resilience\n\n"
        "Following the story “Vicarious resilience: the two-hour workshop”, step by step.\n\n"
        "## Objective 1a (knowledge)\n\n"
        "_Step 2 of 8: Vicarious resilience: the other side of the same work_\n\n"
        "describe the concept of vicarious resilience\n"
    )
    assert re.findall(r"^## Objective (\w+)", text, re.M) == [
        "1a", "1c", "2a", "1b", "3b", "3c", "2b", "3a",
    ]  # fmt: skip
    assert re.findall(r"^_Step (\d) of 8", text, re.M) == ["2", "4", "4", "5", "6", "7", "7", "8"]


def test_a_story_is_named_by_its_title_too_and_the_html_says_where_each_objective_comes(
    shipped_project,
):
    result = run_kg(
        "reading-list", "-q", "--story", "vicarious resilience: the two-hour workshop",
        "--format", "html",
    )  # fmt: skip
    assert result.exit_code == 0
    assert (
        '<p class="story">Following the story “Vicarious resilience: the two-hour workshop”'
        in result.output
    )
    assert (
        '<p class="step">Step 4 of 8: Mutuality, the influence that runs both ways</p>'
        in result.output
    )


def test_an_unknown_story_gets_suggestions_and_exit_1(shipped_project):
    result = run_kg("reading-list", "-q", "--story", "worksop")
    assert result.exit_code == 1
    assert result.output == "kg: error: no story matches 'worksop'; did you mean: workshop?\n"


def test_story_and_objective_together_is_a_usage_error(shipped_project):
    result = run_kg("reading-list", "--story", "workshop", "--objective", "1a")
    assert result.exit_code == 2
    assert "give --objective or --story, not both" in result.output


def test_a_story_that_shows_no_objective_has_no_handout(shipped_project):
    concepts = shipped_project / "concepts.yaml"
    text = concepts.read_text(encoding="utf-8")
    concepts.write_text(
        text
        + "  - id: costs\n    title: Costs\n    steps:\n      - title: One\n        focus: [burnout]\n",
        encoding="utf-8",
    )
    result = run_kg("reading-list", "-q", "--story", "costs")
    assert result.exit_code == 1
    assert result.output == (
        "kg: error: story 'costs' shows no learning objective, so no handout follows it; name "
        "objectives in its steps' focus (see docs/concepts-format.md)\n"
    )
