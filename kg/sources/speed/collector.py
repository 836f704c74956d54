"""Big results and Python's cycle collector.

Parsing a bibliography, or reading one back from the cache, makes millions of
small objects that all live as long as the corpus and hold no reference
cycles. Left on, the collector would walk them again and again while they are
made, and once more in its first full pass afterwards (most of a second for
25,000 papers), and free nothing. So it is kept off while they are made, and
a big result is then moved out of its sight (``gc.freeze``); it is still
freed as usual when nothing refers to it any more.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

#: From this many papers on, a corpus is moved out of the collector's sight.
FREEZE_MIN_PAPERS = 2000


@contextmanager
def collector_off():
    """Turn the cycle collector off for the block, then back on if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def hide_from_collector(paper_count: int) -> None:
    """Move every object made so far out of the collector's sight, if the corpus is big."""
    if paper_count >= FREEZE_MIN_PAPERS:
        gc.freeze()
