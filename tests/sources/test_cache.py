"""The cache of loaded corpora: hits, misses, changed files, corrupt entries, size bound."""

from __future__ import annotations

import os

import pytest

import kg.sources
from kg.sources import cache, load

BIB = """\
@article{a2007, author={Hern{\\'a}ndez, Pilar}, title={One}, journal={J}, year={2007}}
@article{b2015, author={Engstrom, David}, title={Two}, journal={J}}
"""
CONCEPTS = """\
version: 1
concepts:
  - id: c
    label: C
    papers:
      - key: a2007
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A project folder, with the cache in its own folder (never the user's)."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "r.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(CONCEPTS, encoding="utf-8")
    return tmp_path


def entries(folder):
    return sorted((folder / "cache").glob("*.corpus"))


def no_parsing(monkeypatch):
    """Make any parse fail the test: what follows must come from the cache."""

    def refuse(*arguments, **options):
        raise AssertionError("parsed, but the cache should have answered")

    monkeypatch.setattr(kg.sources, "_load", refuse)


def test_second_load_of_unchanged_files_comes_from_the_cache(folder, monkeypatch):
    first = load(folder / "r.bib", folder / "c.yaml")
    assert len(entries(folder)) == 1
    no_parsing(monkeypatch)
    second = load(folder / "r.bib", folder / "c.yaml")
    assert second == first
    assert second is not first
    assert [p.format() for p in second.problems] == [p.format() for p in first.problems]


def test_a_changed_bibliography_or_concepts_file_is_parsed_again(folder):
    load(folder / "r.bib", folder / "c.yaml")
    (folder / "r.bib").write_text(BIB.replace("{Two}", "{Two, revised}"), encoding="utf-8")
    assert load(folder / "r.bib", folder / "c.yaml").papers["b2015"].title == "Two, revised"
    (folder / "c.yaml").write_text(CONCEPTS.replace("label: C", "label: Changed"), encoding="utf-8")
    assert load(folder / "r.bib", folder / "c.yaml").concepts["c"].label == "Changed"
    assert len(entries(folder)) == 3


def test_same_bytes_under_another_name_report_that_name(folder):
    load(folder / "r.bib")
    (folder / "copy.bib").write_bytes((folder / "r.bib").read_bytes())
    corpus = load(folder / "copy.bib")
    assert corpus.bib_path == str(folder / "copy.bib")
    assert {problem.file for problem in corpus.problems} == {str(folder / "copy.bib")}


def test_a_corrupt_entry_is_ignored_and_written_again(folder):
    expected = load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    entry.write_bytes(b"not a cache entry")
    assert load(folder / "r.bib", folder / "c.yaml") == expected
    assert entry.read_bytes() != b"not a cache entry"
    entry.write_bytes(entry.read_bytes()[:100])  # truncated
    assert load(folder / "r.bib", folder / "c.yaml") == expected


def test_no_cache_neither_reads_nor_writes(folder, monkeypatch):
    load(folder / "r.bib", use_cache=False)
    assert entries(folder) == []
    load(folder / "r.bib")
    [entry] = entries(folder)
    entry.write_bytes(b"corrupt")
    load(folder / "r.bib", use_cache=False)
    assert entry.read_bytes() == b"corrupt"


def test_an_unwritable_cache_never_stops_a_load(folder, monkeypatch):
    blocker = folder / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "cache"))
    assert sorted(load(folder / "r.bib").papers) == ["a2007", "b2015"]


def test_the_cache_keeps_under_its_limit_by_dropping_the_oldest(folder):
    cache_folder = folder / "cache"
    cache_folder.mkdir()
    for number in range(5):
        path = cache_folder / f"{number}.corpus"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_000_000 + number, 1_000_000 + number))
    (cache_folder / "other.txt").write_bytes(b"y" * 5000)  # not an entry: left alone
    removed = cache.prune(cache_folder, limit=2500)
    assert sorted(path.name for path in removed) == ["0.corpus", "1.corpus", "2.corpus"]
    assert sorted(path.name for path in cache_folder.iterdir()) == [
        "3.corpus",
        "4.corpus",
        "other.txt",
    ]


def test_writing_prunes_with_the_default_limit(folder, monkeypatch):
    monkeypatch.setattr(cache, "LIMIT_BYTES", 1)
    load(folder / "r.bib")
    assert entries(folder) == []


def test_a_hit_marks_the_entry_recently_used(folder):
    load(folder / "r.bib")
    [entry] = entries(folder)
    os.utime(entry, (1_000_000, 1_000_000))
    load(folder / "r.bib")
    assert entry.stat().st_mtime > 1_000_000


def test_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "here"))
    assert cache.cache_dir() == tmp_path / "here"
    monkeypatch.delenv("KG_CACHE_DIR")
    assert cache.cache_dir().name == "kg"


def test_a_big_corpus_read_back_is_hidden_from_the_cycle_collector(tmp_path, monkeypatch):
    import gc

    from kg.model import Corpus, Paper
    from kg.sources import cache

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("kg.sources.collector.FREEZE_MIN_PAPERS", 3)
    corpus = Corpus(bib_path="refs.bib")
    for number in range(3):
        corpus.papers[f"k{number}"] = Paper(
            key=f"k{number}", entry_type="misc", title=f"Paper {number}"
        )
    assert cache.write("k" * 64, corpus)
    frozen = gc.get_freeze_count()
    try:
        read = cache.read("k" * 64)
        assert list(read.papers) == ["k0", "k1", "k2"]
        assert gc.get_freeze_count() > frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()
