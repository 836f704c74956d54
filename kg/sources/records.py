"""What reading one piece of a bibliography yields: small records, merged in file order.

A chunk of the file (see :mod:`kg.sources.chunks`) is turned into a list of
these records, in this process or in a worker process (they are cheap to
send back: named tuples of plain values). :func:`kg.sources.bibtex.merge`
then walks them in file order and does what needs the whole file: duplicate
keys, authors, text between blocks, crossrefs.
"""

from __future__ import annotations

from typing import NamedTuple


class Found(NamedTuple):
    """A problem found in a chunk; the file name is added when the records are merged."""

    line: int
    severity: str
    code: str
    message: str


class PaperValues(NamedTuple):
    """The values of one :class:`kg.model.Paper`, but for its people and file."""

    key: str
    entry_type: str
    title: str
    year: str
    venue: str
    volume: str
    number: str
    pages: str
    doi: str
    url: str
    publisher: str
    abstract: str
    note: str
    keywords: str
    fields: dict
    unverified: list
    line: int
    end_line: int


class Person(NamedTuple):
    """One name of an author or editor list, split: its author id and its parts."""

    author_id: str
    display: str
    family: str
    given: str
    #: The name as a citation needs it (CSL: family, given, suffix, or literal
    #: for a braced name); None when BibTeX's name rules cannot read it.
    cited: dict | None


class ReadEntry(NamedTuple):
    """What a usable entry holds: its values, its people, and what is wrong with it."""

    values: PaperValues
    authors: tuple
    editors: tuple
    problems: list


class EntryRecord(NamedTuple):
    """An entry. ``before`` are problems found before its key is checked for duplicates;
    ``entry`` is None when the entry is unusable (no key, bad type)."""

    line: int
    key: str
    entry_type: str
    ignored_by_library: bool  # bibtexparser did not register the key (a repeated field)
    before: list
    entry: ReadEntry | None


class StringRecord(NamedTuple):
    """An ``@string``, already applied to the macros, and the problems of its value."""

    problems: list


class FailedBlock(NamedTuple):
    """A block that could not be read."""

    line: int
    severity: str
    message: str
    kind: str  # "entry" or "comment"


class Between(NamedTuple):
    """Text between blocks, from line ``line``."""

    line: int
    text: str
