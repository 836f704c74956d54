"""The fast path's contract: on any text, it gives exactly the records bibtexparser gives.

:mod:`kg.sources.speed.fastpath` reads plain entries without bibtexparser, for
speed. Every test here reads the same text twice, once with the fast path and
once by bibtexparser alone (:func:`kg.sources.chunks.scan_chunk`),
and compares the records, problems and lines included: generated files,
damaged ones, hand-picked edge cases, and every real file of the corpus.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from kg.sources.chunks import scan_chunk
from kg.sources.encoding import decode_bytes
from kg.sources.speed import fastpath
from kg.sources.speed.pieces import scan_chunk as scan_with_fast_path
from tests.conftest import CORPUS, SHARED, need

from .helpers import fuzz_settings
from .strategies import bibtex_files, corrupted

BENCH = SHARED / "bench"


def records(text: str, *, fast: bool) -> list:
    """The records of the whole text as one chunk, with or without the fast path."""
    scan = scan_with_fast_path if fast else scan_chunk
    return scan(text, 0, len(text), len(text), 0, {}, set())


def assert_same_as_bibtexparser(text: str) -> None:
    assert records(text, fast=True) == records(text, fast=False)


def test_the_fast_path_reads_plain_entries_itself():
    text = '@article{k1,\n  title = {A {B} c},\n  year = 2001,\n  note = "x"\n}\n'
    entry = fastpath.read_plain_entry(text, 0, len(text))
    assert entry is not None and entry.key == "k1"
    assert [name for name, _value, _offset in entry.fields] == ["title", "year", "note"]


@pytest.mark.parametrize(
    "text",
    [
        "@article{k1, title = {A {nested {deep}} title}, year = 2001}\n",
        "@article{k1, title = {Escaped \\{ brace}, year = 2001}\n",
        '@article{k1, title = "Quoted {with} braces", year = 2001}\n',
        '@article{k1, title = {A "quote" inside}, note = "a \\" b"}\n',
        "@article{k1, title = {T}, year = 2001,}\n",
        "@article{k1, title = {T} year = 2001}\n",
        "@article{k1, title = {T}\n@article{k2, title = {U}}\n",
        "@article{k1, title = {T}}}\n@article{k2, title = {U}}\n",
        "@article{k1, title = {T}, title = {U}}\n",
        "@article{k1, title = jan # { 2001}, month = feb}\n",
        "@article{k1,\n  title = {T},\n}\ntext after the entry\n\n",
        "@Article{K1, Title = {T}}\n@article{k1, title = {U}}\n",
        '@article{k1, title = {{"}}}\n',
    ],
    ids=[
        "nested",
        "escaped",
        "quoted",
        "quotes-in-braces",
        "trailing-comma",
        "missing-comma",
        "unclosed",
        "extra-brace",
        "repeated-field",
        "macros",
        "text-after",
        "duplicate-case",
        "quote-in-braces",
    ],
)
def test_edge_cases_read_the_same_both_ways(text):
    assert_same_as_bibtexparser(text)


@pytest.mark.slow
@fuzz_settings()
@given(bibtex_files())
def test_generated_files_read_the_same_both_ways(generated):
    assert_same_as_bibtexparser(generated[0])


@pytest.mark.slow
@fuzz_settings()
@given(corrupted(bibtex_files()))
def test_damaged_files_read_the_same_both_ways(text):
    assert_same_as_bibtexparser(text)


def _real_files() -> list:
    files = sorted(CORPUS.rglob("*.bib")) if CORPUS.is_dir() else []
    return files + ([BENCH / "cdl.bib"] if (BENCH / "cdl.bib").is_file() else [])


@pytest.mark.parametrize(
    "path", _real_files() or [None], ids=lambda path: path.name if path else "none"
)
def test_real_files_read_the_same_both_ways(path):
    need(path is not None, f"the external corpus ({CORPUS})")
    data = path.read_bytes()
    text, _problems = decode_bytes(data, path.name)
    # A file in another encoding is compared as Latin-1: the readers see the same text.
    assert_same_as_bibtexparser(data.decode("latin-1") if text is None else text)
