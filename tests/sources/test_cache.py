"""The cache of loaded corpora: hits, misses, changed files, corrupt entries, size bound,
and the safety of an entry: data only, checksummed, private, never through a symlink."""

from __future__ import annotations

import os

import pytest

import kg.sources
from kg.sources import load
from kg.sources.speed import cache, cache_codec
from tests.conftest import need

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
    from kg.sources.speed import cache

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr("kg.sources.speed.collector.FREEZE_MIN_PAPERS", 3)
    corpus = Corpus(bib_path="refs.bib")
    for number in range(3):
        corpus.papers[f"k{number}"] = Paper(
            key=f"k{number}", entry_type="misc", title=f"Paper {number}"
        )
    assert cache.write("a" * 64, corpus)
    frozen = gc.get_freeze_count()
    try:
        read = cache.read("a" * 64)
        assert list(read.papers) == ["k0", "k1", "k2"]
        assert gc.get_freeze_count() > frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()


# ------------------------------------------------------------- safe by construction


def entry_parts(entry):
    """An entry's header fields and body."""
    data = entry.read_bytes()
    header, _, body = data.partition(b"\n")
    return header.split(b" "), body


def frame(body: bytes) -> bytes:
    """A well-formed entry around ``body``: the header a crafted entry would carry."""
    import hashlib

    digest = hashlib.sha256(body).hexdigest()
    return b"kg-cache %d %s %d\n" % (cache.FORMAT, digest.encode(), len(body)) + body


class RunsCommand:
    """Unpickling this runs a shell command: what a crafted entry would carry."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def test_a_crafted_entry_runs_nothing(folder):
    import marshal
    import pickle

    import msgpack

    expected = load(folder / "r.bib", folder / "c.yaml", use_cache=False)
    load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    marker = folder / "pwned"
    payload = pickle.dumps(RunsCommand(f"touch {marker}"))
    crafted = [
        # the old layout: a pickled field inside marshal
        marshal.dumps((2, (), [], [], [], payload)),
        payload,
        # well-formed entries whose body carries the payload as data, or as an extension type
        frame(msgpack.packb({"layout": {}, "corpus": payload})),
        frame(
            msgpack.packb({"layout": cache_codec._layout(type(expected)), "corpus": [payload] * 10})
        ),
        frame(msgpack.packb(msgpack.ExtType(1, payload))),
        frame(payload),
    ]
    for data in crafted:
        entry.write_bytes(data)
        assert load(folder / "r.bib", folder / "c.yaml") == expected
        assert not marker.exists()
        assert entry.read_bytes() != data  # rebuilt from the sources


def test_an_entry_with_a_valid_checksum_but_wrong_types_is_not_used(folder):
    import msgpack

    expected = load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    _header, body = entry_parts(entry)
    document = msgpack.unpackb(body)
    papers = document["corpus"][0]
    first = next(iter(papers))
    papers[first][2] = 12345  # a title that is a number
    entry.write_bytes(frame(msgpack.packb(document)))
    assert load(folder / "r.bib", folder / "c.yaml") == expected


def test_entries_are_framed_with_format_checksum_and_length(folder):
    import hashlib

    load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    (magic, version, digest, length), body = entry_parts(entry)
    assert magic == b"kg-cache" and int(version) == cache.FORMAT
    assert int(length) == len(body)
    assert digest.decode() == hashlib.sha256(body).hexdigest()


def test_every_single_byte_flip_is_caught(folder):
    import random

    expected = load(folder / "r.bib", folder / "c.yaml", use_cache=False)
    load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    good = entry.read_bytes()
    chooser = random.Random(17)
    positions = list(range(min(len(good), 120))) + chooser.sample(range(len(good)), 200)
    for position in positions:
        damaged = bytearray(good)
        damaged[position] ^= 1 << chooser.randrange(8)
        entry.write_bytes(bytes(damaged))
        assert load(folder / "r.bib", folder / "c.yaml") == expected, position
        assert entry.read_bytes() == good, position  # rebuilt, byte for byte


def test_a_declared_length_beyond_the_file_is_never_read_or_allocated(folder):
    import tracemalloc

    expected = load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    (magic, version, digest, _length), body = entry_parts(entry)
    for declared in (len(body) + 1, len(body) - 1, 24 * 1024**3, 10**30):
        entry.write_bytes(
            b" ".join([magic, version, digest, str(declared).encode()]) + b"\n" + body
        )
        tracemalloc.start()
        try:
            assert load(folder / "r.bib", folder / "c.yaml") == expected
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 50 * 1024 * 1024


def test_the_folder_is_created_private_and_entries_too_whatever_the_umask(folder):
    import stat

    previous = os.umask(0)
    try:
        load(folder / "r.bib", folder / "c.yaml")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((folder / "cache").stat().st_mode) == 0o700
    [entry] = entries(folder)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722, 0o702])
def test_a_folder_writable_by_others_turns_the_cache_off_with_one_warning(folder, mode, capsys):
    expected = load(folder / "r.bib", folder / "c.yaml", use_cache=False)
    (folder / "cache").mkdir()
    os.chmod(folder / "cache", mode)
    cache._warned_folders.clear()
    for _ in range(3):
        assert load(folder / "r.bib", folder / "c.yaml") == expected
    assert entries(folder) == []
    warnings = capsys.readouterr().err.strip().splitlines()
    assert len(warnings) == 1
    assert "writable by others" in warnings[0] and "chmod 700" in warnings[0]


def test_a_planted_entry_in_an_unsafe_folder_is_never_read(folder, monkeypatch):
    """Whatever a shared folder holds, it never answers: not even a perfect entry."""
    load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    entry.write_bytes(entry.read_bytes().replace(b"One", b"Own"))  # checksum now wrong...
    os.chmod(folder / "cache", 0o777)
    cache._warned_folders.clear()
    no_parsing(monkeypatch)
    with pytest.raises(AssertionError, match="parsed"):
        load(folder / "r.bib", folder / "c.yaml")


def test_a_folder_owned_by_another_user_turns_the_cache_off(folder, capsys):
    need(os.geteuid() == 0, "root (giving a folder to another user needs root)")
    expected = load(folder / "r.bib", folder / "c.yaml", use_cache=False)
    (folder / "cache").mkdir(mode=0o700)
    os.chown(folder / "cache", 4321, 4321)
    cache._warned_folders.clear()
    assert load(folder / "r.bib", folder / "c.yaml") == expected
    assert load(folder / "r.bib", folder / "c.yaml") == expected
    assert entries(folder) == []
    [warning] = capsys.readouterr().err.strip().splitlines()
    assert "belongs to another user" in warning


def test_an_entry_owned_by_another_user_is_not_used(folder, monkeypatch):
    need(os.geteuid() == 0, "root (giving a file to another user needs root)")
    expected = load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    os.chown(entry, 4321, 4321)
    assert cache.read(entry.name.removesuffix(".corpus")) is None
    assert load(folder / "r.bib", folder / "c.yaml") == expected
    assert entry.stat().st_uid == os.geteuid()  # replaced by the user's own


def test_a_symlink_at_an_entry_is_neither_followed_nor_written_through(folder):
    expected = load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    good = entry.read_bytes()
    victim = folder / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    entry.unlink()
    entry.symlink_to(victim)
    assert load(folder / "r.bib", folder / "c.yaml") == expected
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not entry.is_symlink() and entry.read_bytes() == good
    # a symlink to a perfect entry is not read either: only the folder's own files count
    elsewhere = folder / "elsewhere.corpus"
    elsewhere.write_bytes(good)
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert cache.read(entry.name.removesuffix(".corpus")) is None


def test_a_fifo_or_folder_at_an_entry_never_blocks(folder):
    from tests.reliability.helpers import returns_within

    expected = load(folder / "r.bib", folder / "c.yaml")
    [entry] = entries(folder)
    entry.unlink()
    os.mkfifo(entry)
    with returns_within(20):
        assert load(folder / "r.bib", folder / "c.yaml") == expected
    assert entry.is_file() and not entry.is_fifo()
    entry.unlink()
    entry.mkdir()
    with returns_within(20):
        assert load(folder / "r.bib", folder / "c.yaml") == expected


def test_the_kg_check_report_is_framed_and_checked_too(folder):
    from click.testing import CliRunner

    from kg.cli import main

    arguments = ["check", "--bib", str(folder / "r.bib"), "--concepts", str(folder / "c.yaml")]
    fresh = CliRunner().invoke(main, [*arguments, "--no-cache"])
    CliRunner().invoke(main, arguments)
    [report] = (folder / "cache").glob("*.check.corpus")
    good = report.read_bytes()
    for position in range(0, len(good), max(1, len(good) // 40)):
        damaged = bytearray(good)
        damaged[position] ^= 0x20
        report.write_bytes(bytes(damaged))
        again = CliRunner().invoke(main, arguments)
        assert (again.exit_code, again.output) == (fresh.exit_code, fresh.output), position


def test_the_key_covers_every_module_of_the_package_wherever_it_lives():
    from pathlib import Path

    import kg

    package = Path(kg.__file__).resolve().parent
    hashed = set(cache.code_files())
    assert set(package.rglob("*.py")) == hashed
    assert package / "model.py" in hashed
    assert set(package.joinpath("sources").rglob("*.py")) <= hashed


def test_any_dataclass_of_the_model_round_trips_generically():
    from kg.model import Concept, Corpus, Link, Objective, Paper, Problem, Quote, Relation

    corpus = Corpus(bib_path="r.bib", concepts_path="c.yaml", title="T\ud800", version=1)
    corpus.papers["k"] = Paper(key="k", entry_type="book", fields={"title": "x"}, line=3)
    corpus.concepts["c"] = Concept(id="c", label="C", relations=[Relation("part-of", "d", line=2)],
                                   papers=[Link("k", "weak", "why", 4)])  # fmt: skip
    corpus.objectives["1a"] = Objective(id="1a", domain="skill", text="Do", line=None)
    corpus.quotes["q"] = Quote(id="q", text="Said", concepts=["c"])
    corpus.problems.append(Problem("r.bib", None, "warning", "w", "m", column=2))
    assert cache.decode_corpus(cache.encode_corpus(corpus)) == corpus


def test_inherited_fields_survive_the_cache(folder, monkeypatch):
    (folder / "x.bib").write_text(
        "@inproceedings{p, author = {Doe, Jane}, title = {T}, crossref = {w}}\n"
        "@proceedings{w, title = {Proceedings}, editor = {Roe, Rich}, year = 2001}\n",
        encoding="utf-8",
    )
    first = load(folder / "x.bib")
    no_parsing(monkeypatch)
    second = load(folder / "x.bib")
    assert second.papers["p"].inherited == {"booktitle": "w", "editor": "w", "year": "w"}
    assert second.papers["p"].editor_names == [{"family": "Roe", "given": "Rich"}]
    assert second == first
