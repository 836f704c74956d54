"""Terms: noun phrases cut by rule from titles, and how specific each is to a group of papers."""

from __future__ import annotations

import math

import pytest

from kg.structure.terms import noun_phrases, relevance, singular


def test_a_title_gives_its_noun_phrases_up_to_three_words():
    assert noun_phrases("Growth of juvenile cod in the Baltic Sea") == {
        "growth",
        "juvenile",
        "juvenile cod",
        "cod",
        "baltic",
        "baltic sea",
        "sea",
    }


def test_punctuation_and_function_words_end_a_phrase_and_the_last_word_is_singular():
    assert noun_phrases("Otolith microchemistry: tracing fish migrations; a review") == {
        "otolith",
        "otolith microchemistry",
        "microchemistry",
        "tracing",
        "tracing fish",
        "tracing fish migration",
        "fish",
        "fish migration",
        "migration",
    }


def test_edge_words_neither_open_nor_close_a_term_but_sit_inside_one():
    # "new" is a stop word; "high" and "effects" may only sit inside a phrase
    assert noun_phrases("New high nutrient effects") == {"nutrient"}
    assert noun_phrases("Effects of high nutrient loads") == {"nutrient", "nutrient load", "load"}
    assert noun_phrases("Sea surface effects of high winds") == {
        "sea",
        "sea surface",
        "surface",
        "wind",
    }


def test_numbers_and_one_letter_words_make_no_term():
    assert noun_phrases("3 D models of a 2010 X study") == set()


@pytest.mark.parametrize(
    ("plural", "single"),
    [
        ("stocks", "stock"),
        ("fisheries", "fishery"),
        ("species", "species"),
        ("analysis", "analysis"),
        ("stress", "stress"),
        ("branches", "branch"),
        ("gas", "gas"),
        ("dynamics", "dynamics"),
    ],
)
def test_singular(plural, single):
    assert singular(plural) == single


def test_a_term_in_one_group_is_more_relevant_than_one_spread_like_all_papers():
    group_of = {f"p{n}": n % 2 for n in range(20)}  # two groups of ten
    papers_of_term = {
        "specific": [f"p{n}" for n in range(0, 20, 2)],  # all ten in group 0
        "general": [f"p{n}" for n in range(10)],  # five in each group
        "nowhere": ["q1", "q2"],  # papers in no group
    }
    scores = relevance(papers_of_term, group_of)
    assert scores["general"] == pytest.approx(0.0)
    assert scores["nowhere"] == 0.0
    # ten papers plus two papers' worth of the overall (half and half) distribution
    inside, outside = 11 / 12, 1 / 12
    expected = inside * math.log(inside / 0.5) + outside * math.log(outside / 0.5)
    assert scores["specific"] == pytest.approx(expected)


def test_a_term_on_few_papers_needs_more_evidence_to_look_specific():
    group_of = {f"p{n}": n % 4 for n in range(40)}
    scores = relevance({"two": ["p0", "p4"], "ten": [f"p{n}" for n in range(0, 40, 4)]}, group_of)
    assert 0 < scores["two"] < scores["ten"]
