"""Tests for kg.editing.yaml_links: links added as text, everything else byte for byte."""

from __future__ import annotations

import pytest

from kg.editing.yaml_links import (
    NewLink,
    add_links,
    concepts_of,
    count_paper_links,
    load_document,
    normalise_words,
    suggest_concepts,
)
from kg.errors import KgError, NotFoundError
from kg.model import Concept, Corpus, Paper

CONCEPTS = """\
# The workshop's concepts (a comment that must survive).
version: 1

concepts:
  - id: vicarious-resilience
    label: Vicarious resilience   # the central idea
    aliases: [VR]
    papers:
      - key: old2007
        strength: supported
        reason: >-
          Names the concept,
          in two lines.
      # keep this comment with the list

  - id: self-care
    label: Self-care
    definition: "Quoted, kept quoted."

  - id: burnout
    label: Burnout
    papers: []   # none yet

objectives:
  - id: "1a"
    domain: knowledge
    text: describe the concept
    papers:
      - key: old2007
        strength: weak
"""


def test_adds_under_an_existing_list_and_keeps_every_other_byte():
    result = add_links(
        CONCEPTS, [NewLink("concept", "vicarious-resilience", "new2020", "weak", "Shows it.")]
    )
    # The comment at the dashes' level may introduce what follows, so the link goes before it.
    assert result == CONCEPTS.replace(
        "      # keep this comment with the list\n",
        "      - key: new2020\n"
        "        strength: weak\n"
        "        reason: Shows it.\n"
        "      # keep this comment with the list\n",
    )


def test_adds_a_papers_key_to_a_concept_without_one():
    result = add_links(CONCEPTS, [NewLink("concept", "self-care", "new2020")])
    assert result == CONCEPTS.replace(
        '    definition: "Quoted, kept quoted."\n',
        '    definition: "Quoted, kept quoted."\n'
        "    papers:\n"
        "      - key: new2020\n"
        "        strength: inferred\n",
    )


def test_replaces_an_empty_flow_list_and_keeps_its_comment():
    result = add_links(CONCEPTS, [NewLink("concept", "burnout", "new2020")])
    assert result == CONCEPTS.replace(
        "    papers: []   # none yet\n",
        "    papers:    # none yet\n      - key: new2020\n        strength: inferred\n",
    )


def test_adds_to_an_objective_at_the_end_of_a_file_without_final_newline():
    text = CONCEPTS.rstrip("\n")
    result = add_links(text, [NewLink("objective", "1a", "new2020", "supported", "yes")])
    assert (
        result
        == text + "\n      - key: new2020\n        strength: supported\n        reason: 'yes'\n"
    )


def test_keeps_crlf_line_ends():
    text = CONCEPTS.replace("\n", "\r\n")
    result = add_links(text, [NewLink("concept", "self-care", "new2020")])
    assert "\n" not in result.replace("\r\n", "")
    assert result.startswith(text.split("  - id: burnout")[0].rstrip("\r\n"))


def test_quotes_values_other_yaml_tools_would_misread():
    result = add_links(CONCEPTS, [NewLink("concept", "self-care", "2020", reason="no")])
    assert "      - key: '2020'\n        strength: inferred\n        reason: 'no'\n" in result


def test_flow_style_concept_falls_back_to_a_round_trip_dump_that_keeps_comments():
    text = "version: 1  # v\nconcepts:\n  - {id: a, label: A}\n"
    result = add_links(text, [NewLink("concept", "a", "k1")])
    assert "# v" in result
    assert load_document(result)["concepts"][0]["papers"] == [{"key": "k1", "strength": "inferred"}]


def test_unknown_concept_suggests_close_ids():
    with pytest.raises(NotFoundError) as caught:
        add_links(CONCEPTS, [NewLink("concept", "self-car", "new2020")])
    assert str(caught.value) == "no concept 'self-car' in concepts.yaml; did you mean self-care?"
    assert caught.value.suggestions == ["self-care"]


def test_unknown_objective_without_close_ids_points_at_the_file():
    with pytest.raises(
        NotFoundError, match=r"^no objective '9z' in concepts.yaml; see the ids in concepts.yaml$"
    ):
        add_links(CONCEPTS, [NewLink("objective", "9z", "new2020")])


def test_refuses_a_link_that_is_already_there():
    with pytest.raises(KgError) as caught:
        add_links(CONCEPTS, [NewLink("objective", "1a", "OLD2007")])
    assert (
        str(caught.value)
        == "concepts.yaml:29: error: objective '1a' already links 'old2007'; edit that link instead"
    )


def test_a_yaml_error_names_the_line():
    with pytest.raises(KgError, match=r"^concepts.yaml:2: error: "):
        load_document("a: 1\n b: [\n")


def test_counts_and_concepts():
    document = load_document(CONCEPTS)
    assert count_paper_links(document) == 2
    concepts = concepts_of(document)
    assert list(concepts) == ["vicarious-resilience", "self-care", "burnout"]
    assert concepts["vicarious-resilience"].aliases == ["VR"]


def test_normalise_words_ignores_case_accents_and_hyphens():
    assert (
        normalise_words("Post-traumatic  Growth in Hernández's work")
        == "post traumatic growth in hernandez s work"
    )


@pytest.mark.parametrize(
    "title, abstract, keywords, expected",
    [
        ("Vicarious Resilience in therapists", "", "", [("vr", "Vicarious resilience")]),
        ("On VR", "", "", [("vr", "VR")]),
        ("VRAM budgets", "", "", []),
        ("", "We study post-traumatic growth.", "", [("ptg", "Posttraumatic growth")]),
        ("", "", "posttraumatic growth", [("ptg", "Posttraumatic growth")]),
        ("", "", "burn-out; self care", [("burnout", "Burn-out")]),
        ("", "", "burnout", [("burnout", "Burn-out")]),
        (
            "Vicarious résilience and post traumatic growth",
            "",
            "",
            [("vr", "Vicarious resilience"), ("ptg", "post traumatic growth")],
        ),
    ],
    ids=[
        "label-case",
        "alias",
        "whole-words-only",
        "abstract-hyphen",
        "keywords",
        "keywords-hyphen",
        "hyphen-in-label-only",
        "accents-two",
    ],
)
def test_suggest_concepts(title, abstract, keywords, expected):
    corpus = Corpus(concepts={
        "vr": Concept("vr", "Vicarious resilience", aliases=["VR"]),
        "ptg": Concept("ptg", "Posttraumatic growth", aliases=["post traumatic growth"]),
        "burnout": Concept("burnout", "Burn-out"),
    })  # fmt: skip
    paper = Paper("k", "article", title=title, abstract=abstract, keywords=keywords)
    assert suggest_concepts(corpus, paper) == expected


@pytest.mark.parametrize("concept", ["vicarious-resilience", "self-care", "burnout"])
def test_many_links_give_the_file_one_at_a_time_would(concept):
    links = [NewLink("concept", concept, f"new{number}", "weak", f"Reason {number}.")
             for number in range(5)]  # fmt: skip
    one_at_a_time = CONCEPTS
    for link in links:
        one_at_a_time = add_links(one_at_a_time, [link])
    assert add_links(CONCEPTS, links) == one_at_a_time


def test_linking_many_papers_edits_each_owner_once(monkeypatch):
    """A thousand pasted entries linked to one concept and one objective: two edits, not 2,000."""
    import kg.editing.yaml_links as yaml_links

    parsed = []
    real_load = yaml_links.load_document
    monkeypatch.setattr(
        yaml_links,
        "load_document",
        lambda text, file="concepts.yaml": parsed.append(1) or real_load(text, file),
    )
    links = [
        NewLink(kind, owner, f"new{number}")
        for number in range(1000)
        for kind, owner in (("concept", "self-care"), ("objective", "1a"))
    ]
    result = add_links(CONCEPTS, links)
    assert result.count("- key: new") == 2000
    assert len(parsed) <= 3  # the check, then one edit per owner
