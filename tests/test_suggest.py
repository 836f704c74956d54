"""Did-you-mean suggestions: the same as difflib's, for pools of any size."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.suggest import PREFILTER_MIN, close_matches

words = st.text(alphabet="abcdeé-_12", min_size=0, max_size=12)


@settings(max_examples=100, deadline=None)
@given(
    words,
    st.lists(words, min_size=PREFILTER_MIN, max_size=PREFILTER_MIN + 50),
    st.sampled_from([0.0, 0.6, 0.8]),
)
def test_a_large_pool_gives_exactly_what_difflib_gives(word, pool, cutoff):
    assert close_matches(word, pool, n=3, cutoff=cutoff) == difflib.get_close_matches(
        word, pool, n=3, cutoff=cutoff
    )


def test_a_misspelt_key_among_thousands_finds_its_neighbours():
    pool = [f"author{number}paper" for number in range(5000)] + ["hernandez2007vicarious"]
    assert close_matches("hernandes2007vicarious", pool) == ["hernandez2007vicarious"]
    assert close_matches("zzzz", pool) == []


def test_a_small_pool_is_ranked_by_difflib_alone():
    pool = ["vicarious-resilience", "vicarious-trauma", "self-care"]
    assert close_matches("vicarious-resilence", pool) == [
        "vicarious-resilience",
        "vicarious-trauma",
    ]
