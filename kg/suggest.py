"""Did-you-mean suggestions: difflib's ranking, fast enough for a bibliography of any size.

``difflib.get_close_matches`` compares the word with every candidate in
Python; against the keys of a large bibliography (tens of thousands) each
unknown key costs a noticeable fraction of a second. Its similarity (matching
blocks found by ``SequenceMatcher``) is never higher than the similarity of
the longest common subsequence, which rapidfuzz computes in C. So candidates
rapidfuzz puts below the cutoff cannot pass difflib's either: they are
dropped first, and difflib ranks the few left, exactly as it would have
ranked the whole pool.
"""

from __future__ import annotations

import difflib

#: Below this many candidates difflib alone is fast enough.
PREFILTER_MIN = 200


def close_matches(word: str, pool, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The ``n`` candidates of ``pool`` most like ``word``, as ``difflib.get_close_matches`` gives them."""
    candidates = [str(item) for item in pool]
    if len(candidates) >= PREFILTER_MIN:
        from rapidfuzz import fuzz, process

        # A hair below the cutoff, so that rounding never drops a candidate difflib keeps.
        kept = process.extract(
            word,
            candidates,
            scorer=fuzz.ratio,
            score_cutoff=max(0.0, cutoff * 100 - 0.01),
            limit=None,
        )
        candidates = [candidate for candidate, _score, _index in kept]
    return difflib.get_close_matches(word, candidates, n=n, cutoff=cutoff)
