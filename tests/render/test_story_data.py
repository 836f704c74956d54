"""What the map's page holds for stories: steps as drawn ids, notes as element trees, and
citations as italic spans (all data: the page builds them with DOM nodes)."""

from __future__ import annotations

import json

import kg
from kg.model import Story, StoryStep
from kg.render import render_html
from kg.render.stories import citation_spans, notes_tree, stories_data
from tests.conftest import ROOT

from .conftest import IMG_PAYLOAD, SCRIPT_PAYLOAD, build_corpus


def page_data(html: str) -> dict:
    start = html.index('<script type="application/json" id="kg-data">') + len(
        '<script type="application/json" id="kg-data">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_notes_become_a_tree_of_allowed_elements_and_text():
    notes = "**Ten minutes.** Ask:\n*what changed?*\n\n- one `code`\n- two\n\n1. first"
    assert notes_tree(notes) == [
        {"t": "p", "c": [{"t": "strong", "c": ["Ten minutes."]}, " Ask: ", {"t": "em", "c": ["what changed?"]}]},
        {"t": "ul", "c": [{"t": "li", "c": ["one ", {"t": "code", "c": ["code"]}]}, {"t": "li", "c": ["two"]}]},
        {"t": "ol", "c": [{"t": "li", "c": ["first"]}]},
    ]  # fmt: skip


def test_markup_in_notes_stays_text():
    notes = (
        f"{IMG_PAYLOAD} [a link](https://example.org) [bad](javascript:alert(1)) ![alt](x.png)"
        f"\n\n{SCRIPT_PAYLOAD}"
    )
    link = {"t": "span", "c": ["a link"]}
    assert notes_tree(notes) == [
        {"t": "p", "c": [f"{IMG_PAYLOAD} ", link, " [bad](javascript:alert(1)) alt"]},
        {"t": "p", "c": [SCRIPT_PAYLOAD]},
    ]


def test_a_citation_keeps_its_italic_spans():
    html = "Pack, M. (2014). Title &amp; more. <i>Affilia</i>, <i>29</i>(1), 18–29."
    assert citation_spans(html) == [
        ["Pack, M. (2014). Title & more. ", False],
        ["Affilia", True],
        [", ", False],
        ["29", True],
        ["(1), 18–29.", False],
    ]


def test_the_page_carries_stories_and_italic_citations():
    corpus = build_corpus()
    corpus.stories = {
        "demo": Story(
            "demo",
            f"Demo {IMG_PAYLOAD}",
            [
                StoryStep(
                    "One",
                    focus=["concept:vicarious-resilience", "author:hernandez-p"],
                    notes="Hi *there*",
                )
            ],
        )
    }
    data = page_data(render_html(corpus))
    assert data["stories"] == [
        {
            "id": "demo",
            "title": f"Demo {IMG_PAYLOAD}",
            "steps": [
                {
                    "title": "One",
                    "focus": ["concept:vicarious-resilience", "author:hernandez-p"],
                    "reveal": [],
                    "view": "map",
                    "notes": [{"t": "p", "c": ["Hi ", {"t": "em", "c": ["there"]}]}],
                }
            ],
        }
    ]
    spans = data["details"]["paper:hernandez2007vicarious"]["citationSpans"]
    assert ["Family Process", True] in spans
    assert (
        "".join(text for text, _ in spans)
        == data["details"]["paper:hernandez2007vicarious"]["citation"]
    )


def test_a_step_leaves_out_nodes_the_map_does_not_draw():
    corpus = build_corpus()
    corpus.stories = {
        "demo": Story(
            "demo", "Demo", [StoryStep("One", focus=["concept:self-care", "author:gone"])]
        )
    }
    assert stories_data(corpus, {"concept:self-care"})[0]["steps"][0]["focus"] == [
        "concept:self-care"
    ]


def test_the_shipped_map_carries_the_workshop_story():
    corpus = kg.load(ROOT / "references.bib", ROOT / "concepts.yaml")
    data = page_data(render_html(corpus))
    (story,) = data["stories"]
    assert story["id"] == "workshop"
    assert len(story["steps"]) >= 6
    assert all(step["notes"] for step in story["steps"])
