"""Reading the source files: once, into memory, from a regular file or a pipe.

Everything downstream (the cache key, the parse, ``kg check``'s report) works
on the bytes read here, so a source given as a pipe (``--bib /dev/stdin``,
``--concepts <(...)``) is read exactly once and hashed as read. Only regular
files and pipes are opened: a device (``/dev/zero``), a socket or a folder is
refused with a message, and a pipe that stays silent for
:data:`kg.fileio.PIPE_TIMEOUT` seconds (a FIFO nobody writes to) ends with a
message instead of hanging. The reading is :func:`kg.fileio.read_guarded`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import ReadError, TooLargeError
from kg.fileio import read_guarded

#: A source that cannot be read (the name the loading code has always used).
UnreadableSourceError = ReadError
#: A source larger than its reader's limit.
SourceTooLarge = TooLargeError


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
    #: How many bytes both sources hold (known from the first :meth:`cache_key` on).
    size: int = 0

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
            self.size = len(self.bib_data) + len(self.concepts_data or b"")
        return self._key

    def take_bib_data(self) -> bytes:
        """The bibliography's bytes, no longer kept here.

        The parse decodes them into a text as big, and nothing needs them
        afterwards: handing them over lets them be freed before the parse.
        A cache key wanted later must be asked for before.
        """
        data, self.bib_data = self.bib_data, None
        if data is None:
            raise ValueError("the bibliography's bytes were handed to the parse already")
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
    that big is not read at all, a pipe no further. The reading itself is
    :func:`kg.fileio.read_guarded`, the one guarded way kg reads a file.
    """
    data = read_guarded(path, limit=limit, pipes=True, what="a BibTeX or YAML file, or a pipe")
    assert data is not None  # only a missing_ok read returns None
    return data
