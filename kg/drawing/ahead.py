"""A bibliography's structure worked out on another core while the map's other parts are built.

The links, terms and clusters of a bibliography alone
(:func:`kg.drawing.structure.bibliography_structure`) need only the built
graph, and the side panel's details need none of them. On a large map the
structure is therefore worked out in a forked process, which inherits the
graph as it stands (only the result comes back, pickled), while the caller
builds the details; :func:`kg.drawing.build.draw` waits for it when the
layout needs it. Where a process cannot be forked, on a small map, or when
the forked process fails, the structure is worked out in process, with the
same result.
"""

from __future__ import annotations

import contextlib

from kg.drawing.structure import bibliography_structure

#: From this many papers the structure is worked out in a forked process; below it
#: forking costs more than it saves.
FORK_FROM = 1000


def _work(graph, papers: list[str], sending) -> None:
    """In the forked process: send the structure, or None when working it out failed."""
    try:
        result = bibliography_structure(graph, papers)
    except BaseException:  # the caller works it out again and meets the error itself
        result = None
    sending.send(result)
    sending.close()


class StructureAhead:
    """The structure of ``papers`` of ``graph``, started now and read by calling the object.

    Calling it, :meth:`close` or leaving a ``with`` block ends the forked
    process (one still working is stopped).
    """

    def __init__(self, graph, papers: list[str] | None):
        self.graph, self.papers = graph, papers or []
        self._process = None
        self._receiving = None
        if papers is not None and len(papers) >= FORK_FROM:
            import multiprocessing
            import threading

            # A process with other threads (kg render --watch) is not forked: a lock one
            # of them holds would stay held in the copy.
            if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
                context = multiprocessing.get_context("fork")
                self._receiving, sending = context.Pipe(duplex=False)
                # Forked, the worker has the graph as it is here: nothing is pickled to it.
                self._process = context.Process(
                    target=_work, args=(graph, papers, sending), daemon=True
                )
                self._process.start()
                sending.close()

    @property
    def forked(self) -> bool:
        """Whether the structure is being worked out in a forked process."""
        return self._process is not None

    def __call__(self) -> tuple[list[dict], list[list[str]], list]:
        """The structure, as :func:`~kg.drawing.structure.bibliography_structure` returns it."""
        result = None
        if self._receiving is not None:
            # EOFError: the worker died (out of memory, killed); it is worked out here then.
            with contextlib.suppress(EOFError):
                result = self._receiving.recv()
        self.close()
        return result if result is not None else bibliography_structure(self.graph, self.papers)

    def close(self) -> None:
        """End the forked process, if any."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
        if self._receiving is not None:
            self._receiving.close()
            self._receiving = None

    def __enter__(self) -> StructureAhead:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
