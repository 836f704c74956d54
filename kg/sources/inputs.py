"""Reading the source files: once, into memory, from a regular file or a pipe.

Everything downstream (the cache key, the parse, ``kg check``'s report) works
on the bytes read here, so a source given as a pipe (``--bib /dev/stdin``,
``--concepts <(...)``) is read exactly once and hashed as read. Only regular
files and pipes are opened: a device (``/dev/zero``), a socket or a folder is
refused with a message, and a pipe that stays silent for :data:`PIPE_TIMEOUT`
seconds (a FIFO nobody writes to) ends with a message instead of hanging.
"""

from __future__ import annotations

import os
import select
import stat
from dataclasses import dataclass, field

from kg.errors import KgError
from kg.fileio import file_kind

#: Seconds a pipe may stay silent before kg gives up on it (``KG_PIPE_TIMEOUT`` overrides).
PIPE_TIMEOUT = 30.0
_CHUNK = 1 << 20


class UnreadableSourceError(KgError):
    """A source could not be read: not a regular file or pipe, a silent pipe, or an OS error."""


class SourceTooLarge(KgError):
    """A source is larger than the reader's limit; ``size`` is its size in bytes (at least)."""

    def __init__(self, path, size: int):
        super().__init__(f"{path} is larger than kg reads ({size:,} bytes)")
        self.size = size


@dataclass
class SourceFiles:
    """The bytes of both sources as read, with the names problems show them under."""

    bib_label: str
    bib_data: bytes | None  # None once the parse took them (see take_bib_data)
    concepts_label: str | None = None
    concepts_data: bytes | None = None  # None: a bibliography-only project
    #: The size of a concepts file too large to read (then ``concepts_data`` is empty).
    concepts_too_large: int | None = None
    #: The bibliography's encoding as the user named it (None: UTF-8, else Windows-1252).
    bib_encoding: str | None = None
    _key: str | None = field(default=None, repr=False)

    def cache_key(self) -> str:
        """The name of these sources' entry in the cache (see :mod:`kg.sources.speed.cache`)."""
        if self._key is None:
            if self.bib_data is None:
                raise ValueError("the bibliography's bytes were handed to the parse already")
            from kg.sources.speed import cache

            # The encoding changes what the same bytes mean: it is part of the name.
            label = (
                self.bib_label
                if not self.bib_encoding
                else f"{self.bib_label}\0{self.bib_encoding}"
            )
            self._key = cache.cache_key(
                label, self.bib_data, self.concepts_label, self.concepts_data
            )
        return self._key

    def take_bib_data(self) -> bytes:
        """The bibliography's bytes, no longer kept here.

        The parse decodes them into a text as big, and nothing needs them
        afterwards: handing them over lets them be freed before the parse.
        A cache key wanted later must be asked for before.
        """
        data, self.bib_data = self.bib_data, None
        return data


def read_sources(bib_path, concepts_path=None, *, encoding: str | None = None) -> SourceFiles:
    """Read the bibliography and, if given, the concepts file; :class:`UnreadableSourceError` if one cannot be.

    A concepts file over :data:`kg.sources.yaml_reader.MAX_BYTES` is not read
    (its size is kept, for the problem that reports it). ``encoding`` is the
    bibliography's, when the user names it.
    """
    from kg.sources.yaml_reader import MAX_BYTES

    bib_data = read_source(bib_path)
    if concepts_path is None:
        return SourceFiles(str(bib_path), bib_data, bib_encoding=encoding)
    try:
        concepts_data = read_source(concepts_path, limit=MAX_BYTES)
    except SourceTooLarge as error:
        return SourceFiles(str(bib_path), bib_data, str(concepts_path), b"", error.size, encoding)
    return SourceFiles(
        str(bib_path), bib_data, str(concepts_path), concepts_data, bib_encoding=encoding
    )


def read_source(path, limit: int | None = None) -> bytes:
    """The whole content of ``path``, a regular file or a pipe, read once.

    Beyond ``limit`` bytes, :class:`SourceTooLarge` is raised: a regular file
    that big is not read at all, a pipe no further.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise UnreadableSourceError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISREG(mode):
            size = os.fstat(descriptor).st_size
            if limit is not None and size > limit:
                raise SourceTooLarge(path, size)
            os.set_blocking(descriptor, True)
            return _read_file(descriptor, size)
        if stat.S_ISFIFO(mode):
            return _read_pipe(descriptor, path, limit)
        raise UnreadableSourceError(
            f"{path} is {file_kind(mode)}, not a file: give a BibTeX or YAML file, or a pipe"
        )
    except OSError as error:
        raise UnreadableSourceError(f"cannot read {path}: {error.strerror or error}") from None
    finally:
        os.close(descriptor)


def _read_file(descriptor: int, size: int) -> bytes:
    """Read a regular file to its end (``size`` is what it held when opened; it may grow)."""
    parts = []
    while True:
        part = os.read(descriptor, max(size, _CHUNK) + 1)
        if not part:
            return b"".join(parts) if len(parts) != 1 else parts[0]
        parts.append(part)


def _read_pipe(descriptor: int, path, limit: int | None) -> bytes:
    """Read a pipe to its end, giving up when it stays silent for :func:`pipe_timeout` seconds.

    Opened without blocking, a FIFO that no process writes to reads as nothing
    rather than blocking; poll() says when data or the writer's end arrive.
    """
    timeout = pipe_timeout()
    poller = select.poll()
    poller.register(descriptor, select.POLLIN | select.POLLHUP)
    parts: list[bytes] = []
    size = 0
    while True:
        if not poller.poll(timeout * 1000):
            raise UnreadableSourceError(
                f"{path}: nothing came through the pipe for {timeout:g} seconds; is anything "
                f"writing to it? Give the file itself instead"
            )
        try:
            part = os.read(descriptor, _CHUNK)
        except BlockingIOError:  # woken without data (another reader took it)
            continue
        if not part:
            return b"".join(parts)
        parts.append(part)
        size += len(part)
        if limit is not None and size > limit:
            raise SourceTooLarge(path, size)


def pipe_timeout() -> float:
    """:data:`PIPE_TIMEOUT`, or ``KG_PIPE_TIMEOUT`` seconds when that is set."""
    try:
        return max(0.01, float(os.environ.get("KG_PIPE_TIMEOUT", PIPE_TIMEOUT)))
    except ValueError:
        return PIPE_TIMEOUT
