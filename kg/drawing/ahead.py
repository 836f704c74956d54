"""A bibliography's structure worked out on another core while the map's other parts are built.

The links, terms and clusters of a bibliography alone
(:func:`kg.drawing.structure.bibliography_structure`) need only the built
graph, and the side panel's details need none of them. On a large map the
structure is therefore worked out by a one-worker process pool whose worker
is forked from this process, so that it inherits the graph as it stands
(only the result comes back, pickled), while the caller builds the details;
:func:`kg.drawing.build.draw` waits for it when the layout needs it. Where a
process cannot be forked, on a small map, or when the worker fails, the
structure is worked out in process, with the same result.
"""

from __future__ import annotations

from kg.drawing.structure import bibliography_structure

#: From this many papers the structure is worked out in a forked process; below it
#: forking costs more than it saves.
FORK_FROM = 1000

#: The graph and papers the worker inherits when it is forked (set only around the fork).
_inherited: tuple | None = None


def _work_inherited():
    """In the forked worker: the structure of the graph it inherited."""
    assert _inherited is not None  # set by StructureAhead before the worker was forked
    return bibliography_structure(*_inherited)


class StructureAhead:
    """The structure of ``papers`` of ``graph``, started now and read by calling the object.

    Calling it, :meth:`close` or leaving a ``with`` block lets the worker go
    (one still working finishes on its own and its result is dropped).
    """

    def __init__(self, graph, papers: list[str] | None):
        global _inherited
        self.graph, self.papers = graph, papers or []
        self._pool = None
        self._future = None
        if papers is not None and len(papers) >= FORK_FROM:
            import multiprocessing
            import threading

            # A process with other threads (kg render --watch) is not forked: a lock one
            # of them holds would stay held in the copy.
            if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("fork")
                )
                # A pool on fork starts its worker at the first task: the worker then has
                # the graph as it is here, and nothing but the result is pickled.
                _inherited = (graph, self.papers)
                try:
                    self._future = self._pool.submit(_work_inherited)
                finally:
                    _inherited = None

    @property
    def forked(self) -> bool:
        """Whether the structure is being worked out in a forked process."""
        return self._future is not None

    def __call__(self) -> tuple[list[dict], list[list[str]], list]:
        """The structure, as :func:`~kg.drawing.structure.bibliography_structure` returns it."""
        result = None
        if self._future is not None:
            try:
                result = self._future.result()
            except Exception:  # worked out here again, where its error shows
                result = None
        self.close()
        return result if result is not None else bibliography_structure(self.graph, self.papers)

    def close(self) -> None:
        """Let the worker go."""
        if self._pool is not None:
            self._pool.shutdown(
                wait=self._future is None or self._future.done(), cancel_futures=True
            )
            self._pool = None
            self._future = None

    def __enter__(self) -> StructureAhead:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
