"""A chunk read with the fast path: plain entries by hand, everything else by bibtexparser.

:func:`scan_chunk` takes the arguments of :func:`kg.sources.chunks.scan_chunk`
and returns the same records. It cuts the chunk further at every line that
starts with ``@type{`` (where bibtexparser starts a block afresh, see
:mod:`kg.sources.chunks`); a piece that is one plain entry (and maybe a
comment after it) is read by :func:`kg.sources.speed.fastpath.read_plain_entry`,
many times faster than bibtexparser and with the same result; runs of other
pieces go to bibtexparser together, through :func:`kg.sources.chunks.split_blocks`.
"""

from __future__ import annotations

import kg.sources.speed.fastpath as fastpath
from kg.sources.chunks import CHUNK_START, mark_end, split_blocks


def scan_chunk(
    text: str,
    start: int,
    stop: int,
    look: int,
    line_offset: int,
    strings: dict[str, str],
    string_keys: set[str],
) -> list:
    """The records of ``text[start:stop]``, as :func:`kg.sources.chunks.scan_chunk` gives them."""
    records: list = []
    slow_start = None  # where the current run of pieces for bibtexparser starts
    slow_line = line = line_offset
    piece_start = start
    starts = [match.start() + 1 for match in CHUNK_START.finditer(text, start, stop)]
    for piece_stop in [*starts, stop]:
        if piece_stop <= piece_start:
            continue
        entry = fastpath.read_plain_entry(text, piece_start, piece_stop)
        if entry is None:
            if slow_start is None:
                slow_start, slow_line = piece_start, line
        else:
            if slow_start is not None:
                split_blocks(
                    text,
                    slow_start,
                    piece_start,
                    mark_end(text, piece_start),
                    slow_line,
                    strings,
                    string_keys,
                    records,
                )
                slow_start = None
            fastpath.plain_entry_records(
                text, piece_start, piece_stop, line, entry, strings, records
            )
        line += text.count("\n", piece_start, piece_stop)
        piece_start = piece_stop
    if slow_start is not None:
        split_blocks(text, slow_start, stop, look, slow_line, strings, string_keys, records)
    return records
