"""Parsing a big bibliography on all cores, with exactly the result of a serial parse.

The file is cut into chunks at lines that begin with ``@type{`` (see
:mod:`kg.sources.chunks` for why that is safe), each chunk is read by
:func:`kg.sources.speed.pieces.scan_chunk` in a worker process of a
:class:`concurrent.futures.ProcessPoolExecutor`, and the records come back
in file order to :func:`kg.sources.bibtex.merge`, which merges each chunk
while the workers read the next ones.

Entries need the ``@string`` macros defined above them. Before the workers
start, a cheap scan finds every ``@string`` in the file, parses just the
pieces of the file around them, and computes the macros known at the start
of each chunk; a worker that ends with other macros than the next chunk
starts with (which would mean the scan was wrong), a worker that fails and a
pool that cannot start all make the whole parse run again serially.

Workers are forked (Linux): they inherit the text without copying it (the
pool's initializer keeps it for them). Where ``fork`` is not available, in a
process that runs threads, or for a small file, the parse runs in this
process: below a few hundred kilobytes the cost of starting workers and
sending results back outweighs the gain.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import os
import re
import sys
import threading
from typing import NamedTuple

from kg.sources.chunks import CHUNK_START, mark_end
from kg.sources.speed.pieces import scan_chunk

#: Below this many characters a file is parsed in this process.
PARALLEL_MIN_CHARS = 300_000
#: At most this many chunks per worker: more chunks balance the load, feed the
#: progress bar and let this process merge the first while the workers parse
#: the next...
CHUNKS_PER_WORKER = 8
#: ...but no chunk (beyond one per worker) is smaller than this many
#: characters: each one is sent back and forth and merged on its own.
MIN_CHUNK_CHARS = 250_000

_STRING_AT = re.compile(r"@string", re.IGNORECASE)

# The text being parsed, in a worker process (set by the pool's initializer).
_shared_text: str = ""
# How many chunks this worker process has parsed.
_chunks_done = 0


class ChunkJob(NamedTuple):
    """One chunk to parse: ``text[start:stop]``, with what it needs to know of the text above."""

    start: int
    stop: int
    look: int  # end of the next chunk's first ``@type{`` (see scan_chunk)
    line: int  # lines above ``start``
    strings: dict  # macros known at ``start``, by lower-case name
    keys: set  # their exact names


def default_workers(text_length: int) -> int:
    """How many processes to parse a text of ``text_length`` characters with: one per free core.

    Workers pay only on cores nobody else uses: with the other core busy, two
    workers took a third longer than one process, where on free cores they
    save about a quarter (see docs/benchmarks.md). So the cores counted are
    those no other process is running on right now. ``KG_WORKERS`` overrides
    it (``1``: never start workers).
    """
    forced = os.environ.get("KG_WORKERS", "").strip()
    if forced.isdigit() and int(forced) > 0:
        return int(forced)
    if text_length < PARALLEL_MIN_CHARS:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, cores - _others_running()))


def _others_running() -> int:
    """How many other processes (threads) are running or waiting for a core right now.

    Linux counts them in ``/proc/loadavg`` ("running/total", this process
    included); elsewhere none are assumed.
    """
    try:
        with open("/proc/loadavg", encoding="ascii") as stream:
            running = int(stream.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return 0
    return max(0, running - 1)


def worker_count(text_length: int, workers: int | None = None) -> int:
    """How many processes read a text of ``text_length`` characters: ``workers`` if given,
    else :func:`default_workers`; one where worker processes cannot be forked."""
    workers = workers or default_workers(text_length)
    return workers if workers == 1 or can_fork() else 1


def chunk_count(text_length: int, workers: int) -> int:
    """How many chunks ``workers`` processes parse a text of ``text_length`` characters in."""
    return max(workers, min(workers * CHUNKS_PER_WORKER, text_length // MIN_CHUNK_CHARS))


def can_fork() -> bool:
    """True where worker processes can be forked safely."""
    import multiprocessing

    if (
        not sys.platform.startswith("linux")
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return False
    # Forking a process that runs other threads can deadlock the child; a daemon
    # process (itself a pool worker) may not have children.
    return threading.active_count() == 1 and not multiprocessing.current_process().daemon


def chunk_bounds(text: str, count: int) -> list[int]:
    """Up to ``count`` + 1 offsets cutting ``text`` into chunks of similar size at block starts."""
    bounds = [0]
    size = len(text)
    for index in range(1, count):
        match = CHUNK_START.search(text, max(bounds[-1] + 1, size * index // count))
        if match is None:
            break
        bounds.append(match.start() + 1)
    bounds.append(size)
    return bounds


class ParallelParseFailed(Exception):
    """The parse in chunks cannot be trusted; the caller parses the whole text in this process.

    Raised when a worker ended with other macros than the scan for
    ``@string`` predicted, or a worker process failed or could not start.
    """


def scan_chunks(
    text: str,
    workers: int | None = None,
    *,
    chunks: int | None = None,
    progress=None,
    meanwhile=None,
    macros: dict[str, str] | None = None,
):
    """Split and check ``text`` in chunks; yield each chunk's records, in file order.

    ``workers`` processes (default: :func:`default_workers`) parse ``chunks``
    chunks (default: :func:`chunk_count`), and the records of a chunk are
    yielded as soon as it and every chunk before it are done, so that the
    caller works on them while the workers go on. ``macros``, if given, is
    filled with the macros known at the end of the text once every chunk is
    yielded. ``progress``, if given, is called with the number of characters
    done after each chunk. ``meanwhile``, if given, is called in this process
    while the workers parse (or before the parse, when there are no workers).

    Raises :class:`ParallelParseFailed` (possibly after yielding some chunks)
    when the result of the workers cannot be trusted.
    """
    workers = worker_count(len(text), workers)
    count = chunks or (1 if workers == 1 else chunk_count(len(text), workers))
    bounds = chunk_bounds(text, count)
    if len(bounds) <= 2:
        if meanwhile:
            meanwhile()
        strings: dict[str, str] = {}
        yield scan_chunk(text, 0, len(text), len(text), 0, strings, set())
        if progress:
            progress(len(text))
        if macros is not None:
            macros.update(strings)
        return

    states = _macros_at(text, bounds)
    jobs = []
    line = 0
    for index in range(len(bounds) - 1):
        start, stop = bounds[index], bounds[index + 1]
        strings, keys = states[index]
        jobs.append(ChunkJob(start, stop, mark_end(text, stop), line, dict(strings), set(keys)))
        line += text.count("\n", start, stop)

    if workers == 1:  # chunks asked for, in this process (tests compare them with a whole parse)
        results = (_job(job, text) for job in jobs)
        if meanwhile:
            meanwhile()
    else:
        results = _run(text, jobs, workers, meanwhile)
    try:
        for index, (records, strings, keys) in enumerate(results):
            if (strings, keys) != tuple(states[index + 1]):
                # The scan for macros missed or misread one: trust only a serial parse.
                raise ParallelParseFailed(f"chunk {index + 1} ends with other macros than expected")
            yield records
            if progress:
                progress(jobs[index].stop - jobs[index].start)
    finally:
        if hasattr(results, "close"):
            results.close()  # stops the workers at once if the parse ends early
    if macros is not None:
        macros.update(states[-1][0])


def once(function):
    """``function``, callable any number of times but run only the first."""
    done: list[bool] = []

    def call():
        if not done:
            done.append(True)
            function()

    return call


def _macros_at(text: str, bounds: list[int]) -> list[tuple[dict[str, str], set[str]]]:
    """The macros (by lower-case name, and the exact names) known at each bound of the chunks.

    Only the pieces of the file (between two block starts) that hold
    ``@string`` are parsed, exactly as their chunk's worker will parse them.
    """
    states = []
    strings: dict[str, str] = {}
    keys: set[str] = set()
    found = [match.start() for match in _STRING_AT.finditer(text)]
    position = 0
    for index in range(len(bounds) - 1):
        chunk_start, chunk_end = bounds[index], bounds[index + 1]
        states.append((dict(strings), set(keys)))
        pieces: list[list[int]] = []
        while position < len(found) and found[position] < chunk_end:
            at = found[position]
            start, stop = _piece_around(text, at, chunk_start, chunk_end)
            if pieces and pieces[-1][1] == start:
                pieces[-1][1] = stop  # next to the previous piece: parse them together
            else:
                pieces.append([start, stop])
            # Later @strings in the same piece are parsed with it.
            position = bisect.bisect_left(found, stop, position)
        for start, stop in pieces:
            scan_chunk(text, start, stop, mark_end(text, stop), 0, strings, keys)
    states.append((dict(strings), set(keys)))
    return states


def _piece_around(text: str, at: int, chunk_start: int, chunk_end: int) -> tuple[int, int]:
    """The piece of the chunk between the block starts around offset ``at``."""
    newline = text.rfind("\n@", chunk_start, at + 1)
    while newline != -1 and not CHUNK_START.match(text, newline):
        newline = text.rfind("\n@", chunk_start, newline)
    start = chunk_start if newline == -1 else newline + 1
    following = CHUNK_START.search(text, at)
    stop = min(following.start() + 1 if following else len(text), chunk_end)
    return start, stop


def _run(text: str, jobs: list[ChunkJob], workers: int, meanwhile=None):
    """Run the chunk jobs in ``workers`` forked processes; yield their results in file order.

    Every job is queued at once; the pool hands them to its workers as they
    become free, and a result that comes before those of earlier chunks waits
    in its future. ``meanwhile()`` runs here once the workers are started.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Children flush the standard streams when they end: output still buffered
    # here would be printed once more by each of them.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        min(workers, len(jobs)), mp_context=context, initializer=_start_worker, initargs=(text,)
    )
    finished = False
    futures: collections.deque = collections.deque()
    next_job = 0

    def submit_next() -> None:
        nonlocal next_job
        if next_job < len(jobs):
            try:
                futures.append(pool.submit(_work, jobs[next_job]))
            except (OSError, BrokenProcessPool) as error:  # no more processes, or no memory
                raise ParallelParseFailed(f"cannot start a worker process: {error}") from error
            next_job += 1

    try:
        # Each worker has the chunk it parses and the next one; a chunk is handed
        # out only when the merge takes one, so that finished chunks never pile
        # up here faster than they are merged.
        for _ in range(2 * workers):
            submit_next()
        if meanwhile is not None:
            meanwhile()
        for index in range(len(jobs)):
            future = futures.popleft()
            submit_next()
            try:
                yield future.result()
            except BrokenProcessPool as error:
                raise ParallelParseFailed(
                    f"worker for chunk {index + 1} ended without a result"
                ) from error
            except Exception as error:
                raise ParallelParseFailed(
                    f"worker for chunk {index + 1} failed: {error}"
                ) from error
        finished = True
    finally:
        # An unfinished parse (an error, Ctrl-C, a caller that stopped early)
        # leaves nothing running: chunks nobody wants any more are dropped.
        # The pool has no public way to stop a task that runs: its processes are ended.
        running = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=finished, cancel_futures=True)
        if not finished:
            for process in running:
                with contextlib.suppress(OSError, ValueError):
                    process.kill()


def _start_worker(text: str) -> None:
    """Set up a worker process: the text to parse, and the cycle collector out of its way.

    What the worker inherited from the main process is frozen, so that the
    collector never walks (and copies) those pages; Ctrl-C is for the main
    process, which stops the workers.
    """
    import gc
    import signal

    global _shared_text
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
    _shared_text = text


def _work(job: ChunkJob) -> tuple[list, dict[str, str], set[str]]:
    """A worker's task: one chunk. The cycle collector, off during the parse, runs between
    chunks: decoding LaTeX leaves reference cycles behind, which would pile up."""
    import gc

    global _chunks_done
    if _chunks_done:
        gc.collect()
    _chunks_done += 1
    return _job(job, _shared_text)


def _job(job: ChunkJob, text: str) -> tuple[list, dict[str, str], set[str]]:
    """One chunk: its records and the macros known at its end."""
    records = scan_chunk(text, job.start, job.stop, job.look, job.line, job.strings, job.keys)
    return records, job.strings, job.keys
