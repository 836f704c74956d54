"""``kg add``: a duplicate check that scales, and writes that keep the file the same file.

The duplicate check looks entries up by key, DOI and a blocking key (year,
first author), so adding n entries to m compares titles only within a
block: the count of comparisons grows with n + m, not n × m (timings are in
``scripts/bench_add.py``, run by ``scripts/bench.py``).

A bibliography or concepts file with several hard links, or owned by
someone else while kg runs as root, keeps its inode, links, owner and mode:
``kg add`` writes through a hard link as it writes through a symlink.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.editing import pasted
from kg.editing.pasted import KnownEntries, PastedSource, plan_addition
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
NEW = """\
@article{smith2021therapists,
  author  = {Smith, Jane and Doe, John},
  title   = {Self-care and vicarious resilience in trauma therapists},
  journal = {Journal of Trauma Work},
  year    = {2021},
}
"""


def bibliography(count: int, start: int = 0, *, keys: bool = True) -> str:
    """``count`` entries, four by each author, in two years (so each block of the same
    year and first author holds two), with titles unlike one another."""
    entries = []
    for number in range(start, start + count):
        key = f"e{number}x" if keys else ""
        words = hashlib.sha256(str(number).encode()).hexdigest()
        entries.append(
            f"@article{{{key},\n  author = {{Author{number // 4}, Ann}},\n"
            f"  title = {{Notes {words[:6]} {words[6:14]}}},\n  journal = {{J}},\n"
            f"  year = {{{1990 + number % 2}}},\n  doi = {{10.5555/{number}}},\n}}\n"
        )
    return "\n".join(entries)


def comparisons_adding(count: int, existing: int, monkeypatch) -> int:
    made = []
    real = KnownEntries.__init__

    def counting(self):
        real(self)
        made.append(self)

    monkeypatch.setattr(KnownEntries, "__init__", counting)
    old = bibliography(existing).encode()
    addition = plan_addition(old, "r.bib", [PastedSource("<stdin>", bibliography(count, 10**6))])
    assert len(addition.entries) == count
    [index] = made
    return index.comparisons


def test_adding_n_entries_to_m_compares_titles_near_linearly(monkeypatch):
    small = comparisons_adding(1000, 1000, monkeypatch)
    large = comparisons_adding(4000, 4000, monkeypatch)
    assert small > 0  # blocks do hold several entries: the fuzzy match is exercised
    assert large < 6 * small  # 16 times the pairs; the comparisons grow about 4 times
    assert large < 4000 * 4000 / 100


def test_the_index_still_finds_every_kind_of_duplicate():
    old = bibliography(50).encode()
    cases = {
        "E3X": "key 'E3X' is already used at r.bib:",
        "other": "DOI 10.5555/7 is already in 'e7x'",
    }
    for key, message in cases.items():
        doi = "10.5555/7" if key == "other" else "10.1/new"
        entry = (f"@article{{{key}, author = {{Nobody, A}}, title = {{T}}, journal = {{J}}, "
                 f"year = {{2001}}, doi = {{{doi}}}}}")  # fmt: skip
        with pytest.raises(Exception) as raised:
            plan_addition(old, "r.bib", [PastedSource("<stdin>", entry)])
        assert message in str(raised.value.problems[0].message)
    title = next(line for line in bibliography(1, 3).splitlines() if "title" in line)
    title = title.split("{", 1)[1].rstrip("},").upper() + "!"
    lookalike = (f"@article{{new1, author = {{Author0, Ann}}, title = {{{title}}}, "
                 f"journal = {{J}}, year = {{1991}}}}")  # fmt: skip
    with pytest.raises(Exception) as raised:
        plan_addition(old, "r.bib", [PastedSource("<stdin>", lookalike)])
    assert "looks like 'e3x'" in raised.value.problems[0].message
    allowed = plan_addition(
        old, "r.bib", [PastedSource("<stdin>", lookalike)], allow_duplicate=True
    )
    assert [entry.key for entry in allowed.entries] == ["new1"]


def test_a_paste_duplicating_itself_is_caught_within_the_paste():
    twice = bibliography(1, 7) + "\n" + bibliography(1, 7).replace("e7x", "again")
    with pytest.raises(Exception) as raised:
        plan_addition(b"", "r.bib", [PastedSource("<stdin>", twice)])
    assert "DOI 10.5555/7 is already in 'e7x' at <stdin>:1" in raised.value.problems[0].message


def test_many_entries_without_keys_get_their_own_keys(monkeypatch):
    addition = plan_addition(b"", "r.bib", [PastedSource("<stdin>", bibliography(300, keys=False))])
    keys = [entry.key for entry in addition.entries]
    assert len(set(keys)) == 300 and not any("kgMissingKey" in key for key in keys)
    assert b"kgMissingKey" not in addition.new_bytes
    for key in keys:
        assert f"{{{key},".encode() in addition.new_bytes


# ---------------------------------------------------------------- the same file afterwards


@pytest.fixture
def project(tmp_path, monkeypatch):
    for name in ("references.bib", "concepts.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_BIB", raising=False)
    monkeypatch.delenv("KG_CONCEPTS", raising=False)
    return tmp_path


def add(*arguments, stdin=NEW):
    return CliRunner().invoke(main, ["add", *arguments], input=stdin)


def test_kg_add_writes_through_a_hard_link(project):
    bib = project / "references.bib"
    other = project / "backup-name.bib"
    os.link(bib, other)
    os.chmod(bib, 0o640)
    before = bib.read_bytes()
    inode = bib.stat().st_ino
    result = add()
    assert result.exit_code == 0, result.output
    assert bib.stat().st_ino == inode and bib.stat().st_nlink == 2
    assert other.read_bytes() == bib.read_bytes()
    assert bib.read_bytes().startswith(before) and b"smith2021therapists" in bib.read_bytes()
    assert bib.stat().st_mode & 0o777 == 0o640
    assert not [path for path in project.iterdir() if path.name.endswith(".tmp")]


def test_kg_add_concept_writes_through_a_hard_linked_concepts_file(project):
    concepts = project / "concepts.yaml"
    os.link(concepts, project / "linked.yaml")
    inode = concepts.stat().st_ino
    result = add("--concept", "self-care", "--reason", "Names self-care.")
    assert result.exit_code == 0, result.output
    assert concepts.stat().st_ino == inode
    assert (project / "linked.yaml").read_bytes() == concepts.read_bytes()
    assert b"smith2021therapists" in concepts.read_bytes()
    check = CliRunner().invoke(main, ["check"])
    assert check.exit_code == 0, check.output


def test_a_failed_write_through_a_hard_link_puts_the_old_bytes_back(project, monkeypatch):
    bib = project / "references.bib"
    os.link(bib, project / "other.bib")
    before = bib.read_bytes()
    real_pwrite = os.pwrite
    calls = []

    def disk_full_once(descriptor, data, offset):
        calls.append(offset)
        if len(calls) == 1:
            real_pwrite(descriptor, bytes(data[:10]), offset)  # part of it landed
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_pwrite(descriptor, data, offset)

    monkeypatch.setattr(os, "pwrite", disk_full_once)
    result = add()
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert bib.read_bytes() == before and bib.stat().st_nlink == 2


@pytest.mark.parametrize("links", [1, 2])
def test_kg_add_as_root_keeps_the_owner_group_and_mode(project, links):
    need(os.geteuid() == 0, "root (giving a file away needs root)")
    bib = project / "references.bib"
    if links == 2:
        os.link(bib, project / "other.bib")
    os.chown(bib, 4321, 4322)
    os.chmod(bib, 0o664)
    result = add()
    assert result.exit_code == 0, result.output
    info = bib.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777, info.st_nlink) == (
        4321,
        4322,
        0o664,
        links,
    )


def test_the_write_in_place_is_used_only_where_a_rename_would_change_the_file(project, monkeypatch):
    used = []
    monkeypatch.setattr(pasted.writer, "write_in_place", lambda *a: used.append(a[0]))
    assert add().exit_code == 0
    assert used == []  # one link, the user's own: the usual atomic rename
