"""Cache records someone with write access to the cache folder planted: a miss, never a traceback.

Each record here has a valid checksum and the types the dataclasses name, but
values no loader makes (a link of unknown strength, a paper naming an author
that is not there, tables keyed by other ids, a problem that is neither an
error nor a warning), or is far larger than its sources could need. The
commands then answer exactly as without a cache, and the record is written
again from a fresh parse.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from kg.sources import load
from kg.sources.inputs import read_sources
from kg.sources.speed import cache
from tests.conftest import ROOT

from .test_hostile_inputs import kg

COMMANDS = [["check"], ["render", "-q", "-o", "map.html"], ["export", "-q", "-o", "graph.gexf"],
            ["papers", "--objective", "1a"], ["show", "hernandez2007vicarious"]]  # fmt: skip


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("references.bib", "concepts.yaml"):
        shutil.copy(ROOT / name, folder / name)
    monkeypatch.chdir(folder)
    return folder


def fresh(project: Path):
    """The corpus parsed now, under the names the commands give the files (the current folder)."""
    return load("references.bib", "concepts.yaml", use_cache=False)


def key_of(project: Path) -> str:
    return read_sources("references.bib", "concepts.yaml").cache_key()


def first(table: dict):
    return next(iter(table.values()))


def bad_strength(corpus):
    first(corpus.concepts).papers[0].strength = "overwhelming"


def unknown_author(corpus):
    first(corpus.papers).authors.append("nobody-n")


def keyed_by_another_id(corpus):
    corpus.papers["planted"] = first(corpus.papers)


def odd_severity(corpus):
    corpus.problems[0].severity = "fatal"


def lines_out_of_order(corpus):
    paper = first(corpus.papers)
    paper.line, paper.end_line = 40, 3


def huge_line(corpus):
    corpus.problems[0].line = 10**15


PLANTS = [bad_strength, unknown_author, keyed_by_another_id, odd_severity, lines_out_of_order,
          huge_line]  # fmt: skip


@pytest.mark.parametrize("plant", PLANTS, ids=lambda plant: plant.__name__)
def test_a_planted_record_with_the_right_types_is_a_miss(project, plant):
    expected = {tuple(command): kg(*command, cwd=project) for command in COMMANDS}
    shutil.rmtree(project.parent / "cache")
    corpus = fresh(project)
    plant(corpus)
    key = key_of(project)
    assert cache.write(key, corpus)  # the codec takes it: every type is right
    assert cache.read(key) is None  # and reading it back refuses it
    for command in COMMANDS:
        result = kg(*command, cwd=project)
        assert "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        assert result.returncode == expected[tuple(command)].returncode, command
        assert result.stdout == expected[tuple(command)].stdout, command
    assert cache.read(key) == fresh(project)  # written again from a fresh parse


@pytest.mark.parametrize(
    "report",
    [{"counts": 5, "problems": "x"}, [{"a": 1}], [{"papers": "x"}, [[1, 2, 3]]],
     [{"papers": 1}, [["f", "1", "error", "c", "m", None]]]],
    ids=["mapping", "list", "wrong-count", "line-as-text"],
)  # fmt: skip
def test_a_planted_check_report_of_other_types_is_a_miss(project, report):
    expected = kg("check", cwd=project)
    key = key_of(project)
    assert cache.write_summary(key, "check", report)
    result = kg("check", cwd=project)
    assert "Traceback" not in result.stderr
    assert (result.returncode, result.stdout) == (expected.returncode, expected.stdout)


def test_an_entry_far_larger_than_its_sources_is_never_read(project, monkeypatch):
    """MessagePack spells an empty list in one byte that takes some sixty in memory."""
    import msgpack

    key = key_of(project)
    size = (project / "references.bib").stat().st_size + (project / "concepts.yaml").stat().st_size
    limit = cache.entry_limit(size)
    assert limit == 4 * size + 1024 * 1024
    body = msgpack.packb({"layout": {}, "corpus": [[]] * (limit + 1)})
    folder = cache.usable_folder(create=True)
    assert cache._write_entry(folder, f"{key}.corpus", body)
    unpacked = []
    monkeypatch.setattr(cache, "decode_corpus", lambda body: unpacked.append(body))
    sources = read_sources("references.bib", "concepts.yaml")
    sources.cache_key()
    assert cache.read(key, limit=cache.entry_limit(sources.size)) is None
    assert unpacked == []  # refused by its size, before a byte of it was decoded
    monkeypatch.undo()
    corpus = load("references.bib", "concepts.yaml")
    assert dataclasses.asdict(corpus) == dataclasses.asdict(fresh(project))
