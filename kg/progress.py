"""A progress bar on stderr for long work, and nothing at all otherwise.

The bar appears only when stderr is a terminal, ``CI`` is not set, and the
work has already taken :data:`DELAY` seconds: short work, pipes, logs and
CI output stay clean. Usage::

    from kg.progress import progress

    with progress("rendering map", total=len(nodes)) as bar:
        for node in nodes:
            ...
            bar.advance()          # or bar.advance(n), or bar.update(done)

Without a ``total`` the bar shows a count instead of a percentage. The bar
erases itself when the block ends, whether it ends normally or by an error.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager

#: Seconds of work before a bar appears.
DELAY = 1.0
#: Seconds between two redraws.
REDRAW = 0.1
_WIDTH = 30


def enabled(stream=None) -> bool:
    """True when a bar may be drawn on ``stream`` (default stderr): a terminal, outside CI."""
    stream = stream if stream is not None else sys.stderr
    if os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}:
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


class Progress:
    """The state of one bar; see :func:`progress`."""

    def __init__(self, label: str, total: int | None = None, stream=None, delay: float = DELAY):
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.active = enabled(self.stream)
        self.delay = delay
        self.started = time.monotonic()
        self.drawn_at: float | None = None

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more units done."""
        self.update(self.done + amount)

    def update(self, done: int) -> None:
        """Set the number of units done, and redraw if it is time to."""
        self.done = done
        if not self.active:
            return
        now = time.monotonic()
        if now - self.started < self.delay or (
            self.drawn_at is not None and now - self.drawn_at < REDRAW
        ):
            return
        self.drawn_at = now
        self.stream.write("\r" + self.render() + "\033[K")
        self.stream.flush()

    def render(self) -> str:
        """The bar as one line of text, e.g. ``reading refs.bib [#######.......]  45%``."""
        if self.total:
            share = min(max(self.done / self.total, 0.0), 1.0)
            filled = int(share * _WIDTH)
            return f"{self.label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {share:4.0%}"
        return f"{self.label}: {self.done}"

    def close(self) -> None:
        """Erase the bar if it was drawn."""
        if self.drawn_at is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn_at = None


@contextmanager
def progress(label: str, total: int | None = None, *, stream=None, delay: float = DELAY):
    """A :class:`Progress` for the work inside the ``with`` block, erased when it ends."""
    bar = Progress(label, total, stream, delay)
    try:
        yield bar
    finally:
        bar.close()
