"""What makes loading fast, kept apart from what loading does.

Reading a bibliography is :mod:`kg.sources.bibtex`: the text cut into
chunks, each chunk's blocks turned into records (:mod:`kg.sources.chunks`,
:mod:`kg.sources.entries`), the records merged in file order. Nothing there
needs this package to be understood. The pieces here only make the same read
faster, and each earns its place with a figure in docs/benchmarks.md:

- :mod:`~kg.sources.speed.parallel`: big files cut into chunks read on all cores;
- :mod:`~kg.sources.speed.fastpath` (through :mod:`~kg.sources.speed.pieces`):
  plain entries read without bibtexparser;
- :mod:`~kg.sources.speed.collector`: the cycle collector kept out of the way;
- :mod:`~kg.sources.speed.cache` (with :mod:`~kg.sources.speed.cache_codec`):
  a corpus loaded before is read back instead of parsed
  (used by :func:`kg.sources.load_read`, not by the read itself).

:func:`read_quickly` is the one place the read calls into them, and the one
place that decides which of them a given read uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar


class _Read(Protocol):
    """What a merged read holds, as far as speed cares: how many papers."""

    papers: dict


ReadResult = TypeVar("ReadResult", bound=_Read)


def read_quickly(
    text: str,
    merge: Callable[[Iterable[list], dict[str, str]], ReadResult],
    *,
    workers: int | None = None,
    chunks: int | None = None,
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> ReadResult:
    """Read ``text`` by chunks of records and hand them to ``merge``, the fastest way there is.

    ``merge(records_of_chunks, macros)`` walks the chunks' records in file
    order; ``macros`` is filled with the macros known at the end of the text
    once the last chunk is out. One process reads the whole text as one chunk,
    plain entries by the fast path; a big file on a machine with free cores is
    read in chunks by worker processes (``workers`` and ``chunks`` as for
    :func:`kg.sources.bibtex.parse_bibtex`), and read again in one process if
    their result cannot be trusted. Either way the cycle collector stays off
    and a big result is moved out of its sight. ``progress`` is called with a
    number of characters done; ``meanwhile`` once, while the workers read (in
    one process: before the read).
    """
    from kg.sources.speed.collector import collector_off, hide_from_collector
    from kg.sources.speed.parallel import ParallelParseFailed, once, scan_chunks, worker_count
    from kg.sources.speed.pieces import scan_chunk

    def in_one_process() -> ReadResult:
        if meanwhile:
            meanwhile()
        macros: dict[str, str] = {}
        records = scan_chunk(text, 0, len(text), len(text), 0, macros, set())
        if progress:
            progress(len(text))
        return merge([records], macros)

    with collector_off():
        if worker_count(len(text), workers) == 1 and not chunks:
            result = in_one_process()
        else:
            meanwhile = once(meanwhile) if meanwhile else None
            macros: dict[str, str] = {}
            try:
                records_of_chunks = scan_chunks(
                    text,
                    workers,
                    chunks=chunks,
                    progress=progress,
                    meanwhile=meanwhile,
                    macros=macros,
                )
                result = merge(records_of_chunks, macros)
            except ParallelParseFailed:
                result = in_one_process()
        hide_from_collector(len(result.papers))
    return result
