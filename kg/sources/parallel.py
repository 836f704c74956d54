"""Parsing a big bibliography on all cores, with exactly the result of a serial parse.

The file is cut into chunks at lines that begin with ``@type{`` (see
:data:`kg.sources.bibtex.CHUNK_START` for why that is safe), each chunk is
split and checked by :func:`kg.sources.bibtex._scan_chunk` in a worker
process, and the workers send back compact records (plain tuples) that
:func:`kg.sources.bibtex._merge` walks in file order.

Entries need the ``@string`` macros defined above them. Before the workers
start, a cheap scan finds every ``@string`` in the file, parses just the
pieces of the file around them, and computes the macros known at the start
of each chunk; a worker that ends with other macros than the next chunk
starts with (which would mean the scan was wrong) makes the whole parse run
again serially.

Workers are forked (Linux): they inherit the text without copying it. One
worker per core parses chunk after chunk, keeping its caches of decoded names
and LaTeX, and sends each chunk's records back as soon as they are ready;
this process merges them meanwhile. Where
``fork`` is not available, in a process that runs threads, or for a small
file, the parse runs in this process: below a few hundred kilobytes the cost of
starting workers and sending results back outweighs the gain.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import re
import sys
import threading

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

# The text being parsed, for forked workers (they inherit it; nothing is pickled).
_shared_text: str = ""


def default_workers(text_length: int) -> int:
    """How many processes to parse a text of ``text_length`` characters with.

    ``KG_WORKERS`` overrides it (``1``: never start workers).
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
    return max(1, cores)


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
    from kg.sources.bibtex import CHUNK_START

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


def scan_chunks(text: str, workers: int | None = None, *, chunks: int | None = None,
                progress=None, meanwhile=None, macros: dict[str, str] | None = None):  # fmt: skip
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
    from kg.sources.bibtex import _mark_end, _scan_chunk

    workers = workers or default_workers(len(text))
    if workers > 1 and not can_fork():
        workers = 1
    count = chunks or (1 if workers == 1 else chunk_count(len(text), workers))
    bounds = chunk_bounds(text, count)
    if len(bounds) <= 2:
        if meanwhile:
            meanwhile()
        strings: dict[str, str] = {}
        yield _scan_chunk(text, 0, len(text), len(text), 0, strings, set())
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
        look = _mark_end(text, stop)
        strings, keys = states[index]
        jobs.append((start, stop, look, line, dict(strings), set(keys)))
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
                progress(jobs[index][1] - jobs[index][0])
    finally:
        if hasattr(results, "close"):
            results.close()  # stops the workers at once if the parse ends early
    if macros is not None:
        macros.update(states[-1][0])


def once(function):
    """``function``, callable any number of times but run only the first."""
    done = []

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
    from kg.sources.bibtex import _mark_end, _scan_chunk

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
            _scan_chunk(text, start, stop, _mark_end(text, stop), 0, strings, keys)
    states.append((dict(strings), set(keys)))
    return states


def _piece_around(text: str, at: int, chunk_start: int, chunk_end: int) -> tuple[int, int]:
    """The piece of the chunk between the block starts around offset ``at``."""
    from kg.sources.bibtex import CHUNK_START

    newline = text.rfind("\n@", chunk_start, at + 1)
    while newline != -1 and not CHUNK_START.match(text, newline):
        newline = text.rfind("\n@", chunk_start, newline)
    start = chunk_start if newline == -1 else newline + 1
    following = CHUNK_START.search(text, at)
    stop = min(following.start() + 1 if following else len(text), chunk_end)
    return start, stop


def _run(text: str, jobs: list[tuple], workers: int, meanwhile=None):
    """Run the chunk jobs in ``workers`` forked processes; yield their results in file order.

    Each worker is given its next chunk before it has sent back the last one,
    so that it never waits for this process (which merges the results as they
    come). A result that comes before those of earlier chunks waits here.
    ``meanwhile()`` runs here once the workers are started.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    global _shared_text
    context = multiprocessing.get_context("fork")
    # Children flush the standard streams when they end: output still buffered
    # here would be printed once more by each of them.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    pending = list(range(len(jobs)))  # chunks not yet given to a worker, first first
    given: dict = {}  # result connection -> (job connection, process, chunks given, not yet returned)
    done: dict[int, tuple] = {}
    next_result = 0
    _shared_text = text

    def give(job_connection, queue: list[int]) -> None:
        index = pending.pop(0)
        job_connection.send(jobs[index])
        queue.append(index)

    try:
        for _ in range(min(workers, len(jobs))):
            receive_jobs, send_jobs = context.Pipe(duplex=False)
            receive_results, send_results = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(receive_jobs, send_results), daemon=True)
            try:
                process.start()
            except OSError as error:  # no more processes allowed, or no memory to fork
                raise ParallelParseFailed(f"cannot start a worker process: {error}") from error
            finally:
                receive_jobs.close()
                send_results.close()
            queue: list[int] = []
            given[receive_results] = (send_jobs, process, queue)
        for _ in range(2):  # to each worker, the chunk to parse now, then the next one
            for send_jobs, _process, queue in given.values():
                if pending:
                    give(send_jobs, queue)
        if meanwhile is not None:
            meanwhile()
        while next_result < len(jobs):
            busy = [connection for connection, (_, _, queue) in given.items() if queue]
            if not busy:  # cannot happen while chunks are missing; never wait for nothing
                raise ParallelParseFailed("no worker is parsing the chunks still missing")
            for connection in wait(busy):
                send_jobs, _process, queue = given[connection]
                index = queue.pop(0)
                try:
                    outcome = connection.recv()
                except (EOFError, OSError) as error:
                    raise ParallelParseFailed(
                        f"worker for chunk {index + 1} ended without a result"
                    ) from error
                if outcome[0] != "ok":
                    raise ParallelParseFailed(f"worker for chunk {index + 1} failed: {outcome[1]}")
                done[index] = outcome[1]
                if pending:
                    give(send_jobs, queue)
            while next_result in done:
                yield done.pop(next_result)
                next_result += 1
    finally:
        _shared_text = ""
        for connection, (send_jobs, process, queue) in given.items():
            with contextlib.suppress(OSError):
                send_jobs.send(None)  # no more chunks: the worker ends
            send_jobs.close()
            connection.close()
            process.join(timeout=5 if not queue else 0)
            if process.is_alive():  # still parsing a chunk nobody wants any more
                process.kill()
                process.join()


def _work(jobs, results) -> None:
    """A worker process: parse the chunks it is given until it gets None.

    For each chunk it sends back ``("ok", result)`` or ``("error", message)``
    (then the main process stops the workers and parses again itself).
    Results are sent from a thread, so that the next chunk is parsed
    meanwhile. The cycle collector, off during the parse, is run between
    chunks: decoding LaTeX leaves reference cycles behind, which would
    otherwise pile up, chunk after chunk. What the worker inherited from the
    main process is frozen first, so that the collector never walks (and
    copies) those pages.
    """
    import gc
    import pickle
    import signal

    # Ctrl-C is for the main process, which stops the workers; a worker says nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
    sender = None
    while True:
        try:
            job = jobs.recv()
        except (EOFError, OSError):  # the main process is gone
            break
        if job is None:
            break
        if sender is not None:
            gc.collect()  # what the chunk before left behind (not after the last one: no need)
        try:
            payload = pickle.dumps(
                ("ok", _job(job, _shared_text)), protocol=pickle.HIGHEST_PROTOCOL
            )
        except BaseException as error:
            payload = pickle.dumps(("error", f"{type(error).__name__}: {error}"))
        if sender is not None:
            sender.join()
        sender = threading.Thread(target=_send, args=(results, payload))
        sender.start()
        del payload
    if sender is not None:
        sender.join()
    results.close()


def _send(connection, payload: bytes) -> None:
    """Send ``payload``; if the main process has stopped listening, there is nobody to tell."""
    with contextlib.suppress(OSError):
        connection.send_bytes(payload)


def _job(job: tuple, text: str) -> tuple[list[tuple], dict[str, str], set[str]]:
    """One chunk: its records and the macros known at its end."""
    from kg.sources.bibtex import _scan_chunk

    start, stop, look, line, strings, keys = job
    records = _scan_chunk(text, start, stop, look, line, strings, keys)
    return records, strings, keys
