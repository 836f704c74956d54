"""Faults while kg writes: killed mid-write, disk full, permission denied, symlinks, 20 writers at once.

Whatever happens, a file kg changes is afterwards either byte-identical to
before or holds exactly the change asked for, and no temporary file stays
next to it. The library's own write (``atomic_write``) is tested directly;
``kg add`` (which changes the user's sources) and ``kg render`` /
``kg export`` (which replace outputs) are tested through their commands.

Faults are made by patching the operating-system calls the write goes
through (we run as root, so chmod alone refuses nothing), and a kill by a
child process that sends itself SIGKILL at a chosen point of the write.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import WriteError
from kg.fileio import atomic_write
from kg.sources.bibtex import load_bibtex

ROOT = Path(__file__).resolve().parents[2]
OLD = "% my bibliography\r\n@article{old2020,\r\n  author = {Old, Anna},\r\n  title = {Old},\r\n  journal = {J},\r\n  year = {2020},\r\n}\r\n"


TOPICS = (
    "hope",
    "grief",
    "memory",
    "trust",
    "anger",
    "play",
    "sleep",
    "music",
    "work",
    "faith",
    "humour",
    "family",
    "school",
    "dance",
    "silence",
    "courage",
    "art",
    "language",
    "nature",
    "ritual",
)
FAMILIES = (
    "Abara",
    "Bengtsson",
    "Castro",
    "Dlamini",
    "Eze",
    "Fujita",
    "Garcia",
    "Haddad",
    "Ibsen",
    "Jovanovic",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Sato",
    "Tanaka",
)


def new_entry(number: int) -> str:
    """An entry no other one resembles (kg add refuses near-duplicates by title, year and author)."""
    return (f"@article{{new{number:02d},\n  author = {{{FAMILIES[number]}, Ann}},\n"
            f"  title = {{On {TOPICS[number]} in the therapy room}},\n"
            f"  journal = {{Journal}},\n  year = {{{2000 + number}}},\n}}\n")  # fmt: skip


def leftovers(folder: Path) -> list[str]:
    """Temporary files in ``folder`` (lock files are kept by design and do not count)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "references.bib").write_bytes(OLD.encode("utf-8"))
    (tmp_path / "new.bib").write_text(new_entry(1), encoding="utf-8")
    return tmp_path


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _eacces(*args, **kwargs):
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))


class _FullDisk:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, handle, mode="wb"):
        self._stream = _REAL_FDOPEN(handle, mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._stream.close()
        return False

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._stream, name)


_REAL_FDOPEN = os.fdopen

#: (id, what to patch, replacement, words the error must hold)
WRITE_FAULTS = [
    ("disk-full-on-write", "os.fdopen", _FullDisk, "No space left"),
    ("disk-full-on-fsync", "os.fsync", _enospc, "No space left"),
    ("permission-denied-creating-temp", "tempfile.mkstemp", _eacces, "Permission denied"),
    ("permission-denied-on-rename", "os.replace", _eacces, "Permission denied"),
    ("permission-denied-on-chmod", "os.chmod", _eacces, "Permission denied"),
]


# ---------------------------------------------------------------- atomic_write itself


@pytest.mark.parametrize(
    "target, replacement, words", [f[1:] for f in WRITE_FAULTS], ids=[f[0] for f in WRITE_FAULTS]
)
def test_atomic_write_fault_keeps_the_original_and_leaves_nothing(
    tmp_path, monkeypatch, target, replacement, words
):
    path = tmp_path / "out.html"
    path.write_bytes(b"original")
    monkeypatch.setattr(target, replacement)
    with pytest.raises(WriteError) as caught:
        atomic_write(path, b"new content")
    monkeypatch.undo()
    assert words in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == b"original"
    assert leftovers(tmp_path) == []


def test_atomic_write_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "data" / "real.html"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "out.html"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert real.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_atomic_write_to_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "out.html"
    link.symlink_to(tmp_path / "missing.html")
    atomic_write(link, b"new")
    assert link.is_symlink() and (tmp_path / "missing.html").read_bytes() == b"new"


@pytest.mark.parametrize("kind", ["folder", "missing-folder", "symlink-loop", "symlink-to-folder"])
def test_atomic_write_refuses_an_impossible_target_clearly(tmp_path, kind):
    path = tmp_path / "out.html"
    if kind == "folder":
        path.mkdir()
    elif kind == "missing-folder":
        path = tmp_path / "no" / "such" / "out.html"
    elif kind == "symlink-loop":
        path.symlink_to(tmp_path / "loop2")
        (tmp_path / "loop2").symlink_to(path)
    else:
        (tmp_path / "folder").mkdir()
        path.symlink_to(tmp_path / "folder")
    with pytest.raises(WriteError) as caught:
        atomic_write(path, b"x")
    assert str(path) in str(caught.value) or "out.html" in str(caught.value)
    assert leftovers(tmp_path) == []


# A child process that writes with atomic_write and kills itself at one point of the write.
KILLER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {root!r})
    point, target, data = sys.argv[1], sys.argv[2], sys.argv[3].encode()

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    real = {{"os.fsync": os.fsync, "os.replace": os.replace}}
    if point == "before-rename":
        os.replace = die
    elif point == "during-fsync":
        os.fsync = die
    from kg.fileio import atomic_write
    atomic_write(target, data)
""")


@pytest.mark.parametrize("point", ["during-fsync", "before-rename"])
def test_a_writer_killed_mid_write_leaves_the_original_and_the_next_write_cleans_up(
    tmp_path, point
):
    path = tmp_path / "out.html"
    path.write_bytes(b"original")
    child = subprocess.run([sys.executable, "-c", KILLER.format(root=str(ROOT)), point, str(path), "new"],
                           capture_output=True, timeout=120)  # fmt: skip
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == b"original"
    assert len(leftovers(tmp_path)) == 1  # the killed process could not clean up after itself
    atomic_write(path, b"second")
    assert path.read_bytes() == b"second"
    assert leftovers(tmp_path) == []


def test_a_live_writers_temp_file_is_left_alone(tmp_path):
    path = tmp_path / "out.html"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = tmp_path / f".out.html.{sleeper.pid}.abcd.tmp"
        busy.write_bytes(b"half")
        atomic_write(path, b"x")
        assert busy.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


# ---------------------------------------------------------------- kg add


def _add(folder: Path, *args: str):
    return CliRunner().invoke(main, ["add", "--bib", str(folder / "references.bib"), *args],
                              catch_exceptions=False)  # fmt: skip


def test_kg_add_appends_exactly_the_new_entry(project):
    result = _add(project, str(project / "new.bib"))
    assert result.exit_code == 0, result.output
    data = (project / "references.bib").read_bytes()
    assert data.startswith(OLD.encode())
    assert data[len(OLD.encode()) :].decode().replace("\r\n", "\n").strip() == new_entry(1).strip()
    assert leftovers(project) == []


@pytest.mark.parametrize(
    "target, replacement, words", [f[1:] for f in WRITE_FAULTS], ids=[f[0] for f in WRITE_FAULTS]
)
def test_kg_add_under_a_write_fault_changes_nothing(
    project, monkeypatch, target, replacement, words
):
    monkeypatch.setattr(target, replacement)
    result = _add(project, str(project / "new.bib"))
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert words in result.output and "Traceback" not in result.output
    assert (project / "references.bib").read_bytes() == OLD.encode()
    assert leftovers(project) == []


def test_kg_add_refuses_a_read_only_bibliography(project):
    (project / "references.bib").chmod(0o444)
    result = _add(project, str(project / "new.bib"))
    assert result.exit_code == 1
    assert "read-only" in result.output and "chmod" in result.output
    assert (project / "references.bib").read_bytes() == OLD.encode()


def test_kg_add_through_a_symlink_changes_the_real_file_and_keeps_the_link(project):
    real = project / "library" / "real.bib"
    real.parent.mkdir()
    (project / "references.bib").rename(real)
    (project / "references.bib").symlink_to(real)
    result = _add(project, str(project / "new.bib"))
    assert result.exit_code == 0, result.output
    assert (project / "references.bib").is_symlink()
    assert real.read_bytes().startswith(OLD.encode()) and b"new01" in real.read_bytes()
    assert leftovers(project) == [] and leftovers(real.parent) == []


def test_kg_add_when_the_file_is_swapped_for_a_symlink_mid_run(project, monkeypatch):
    """Someone replaces references.bib with a link to another file between kg's read and write."""
    from kg.editing import writer

    other = project / "other.bib"
    other.write_bytes(OLD.encode())
    real_read = writer.read_bytes
    calls = {"count": 0}

    def swap_then_read(path):
        calls["count"] += 1
        if calls["count"] == 2:
            (project / "references.bib").unlink()
            (project / "references.bib").symlink_to(other)
        return real_read(path)

    monkeypatch.setattr(writer, "read_bytes", swap_then_read)
    result = _add(project, str(project / "new.bib"))
    monkeypatch.undo()
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    # The file the link names ends with the original bytes plus at most the one new entry.
    data = (project / "references.bib").read_bytes()
    assert data == OLD.encode() or (
        data.startswith(OLD.encode()) and data.count(b"@article{new01") == 1
    )
    assert leftovers(project) == []


ADD_KILLER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {root!r})
    point = sys.argv[1]

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if point == "before-rename":
        os.replace = die
    elif point == "during-fsync":
        os.fsync = die
    elif point == "after-rename":
        import kg.fileio
        kg.fileio._fsync_folder = die
    elif point == "second-rename":
        real_replace, renames = os.replace, []

        def replace_once(*args, **kwargs):
            renames.append(args)
            if len(renames) == 2:
                die()
            return real_replace(*args, **kwargs)

        os.replace = replace_once
    from kg.cli import main
    main(sys.argv[2:])
""")


@pytest.mark.parametrize("point", ["during-fsync", "before-rename", "after-rename"])
def test_kg_add_killed_mid_write_leaves_old_or_old_plus_entry_and_the_next_add_works(
    project, point
):
    bib = project / "references.bib"
    child = subprocess.run([sys.executable, "-c", ADD_KILLER.format(root=str(ROOT)), point, "add", "--bib", str(bib),
                            str(project / "new.bib")], capture_output=True, timeout=120, cwd=project)  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    data = bib.read_bytes()
    if point == "after-rename":
        assert data.startswith(OLD.encode()) and data.count(b"@article{new01") == 1
    else:
        assert data == OLD.encode()
    (project / "second.bib").write_text(new_entry(2), encoding="utf-8")
    result = _add(project, str(project / "second.bib"))
    assert result.exit_code == 0, result.output  # the lock died with the process
    assert leftovers(project) == []  # the next add removed what the killed one left
    assert bib.read_bytes().startswith(data)
    assert list(load_bibtex(bib).papers)[-1] == "new02"


@pytest.mark.slow
def test_twenty_concurrent_kg_add_all_land_exactly_once(project):
    bib = project / "references.bib"
    for number in range(20):
        (project / f"new{number:02d}.bib").write_text(new_entry(number), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [subprocess.Popen([sys.executable, "-m", "kg", "add", "--bib", str(bib), str(project / f"new{n:02d}.bib")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=project, env=env)
                for n in range(20)]  # fmt: skip
    outcomes = [(child.wait(timeout=300), child.stderr.read().decode()) for child in children]
    assert [code for code, _ in outcomes] == [0] * 20, [err for code, err in outcomes if code]
    data = bib.read_bytes()
    assert data.startswith(OLD.encode())
    papers = load_bibtex(bib).papers
    assert sorted(papers) == sorted(["old2020", *(f"new{n:02d}" for n in range(20))])
    for number in range(20):
        assert data.count(f"@article{{new{number:02d},".encode()) == 1
    assert [p.format() for p in load_bibtex(bib).problems if p.severity == "error"] == []
    assert b"\r\n" in data[len(OLD) :] and b"\n" not in data.replace(
        b"\r\n", b""
    )  # CRLF style kept
    assert leftovers(project) == []


# ---------------------------------------------------------------- outputs: kg render and kg export

#: A concepts file whose last item is a concept with a block list of papers.
LINKABLE = """version: 1
concepts:
  - id: resilience
    label: Resilience
    papers:
      - key: old2020
        strength: supported
        reason: It says so.
"""
CONCEPTS = (
    LINKABLE
    + """objectives:
  - id: "1a"
    domain: knowledge
    text: Know what resilience is.
    concepts: [resilience]
"""
)


@pytest.fixture
def sources(tmp_path, monkeypatch):
    (tmp_path / "references.bib").write_bytes(OLD.encode("utf-8"))
    (tmp_path / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _sources_args(folder: Path) -> list[str]:
    return ["--bib", str(folder / "references.bib"), "--concepts", str(folder / "concepts.yaml")]


OUTPUT_COMMANDS = {
    "render": lambda folder, out: ["render", *_sources_args(folder), "-o", str(out)],
    "export-graphml": lambda folder, out: [
        "export",
        *_sources_args(folder),
        "--format",
        "graphml",
        "-o",
        str(out),
    ],
    "reading-list": lambda folder, out: [
        "reading-list",
        *_sources_args(folder),
        "--format",
        "html",
        "-o",
        str(out),
    ],
}


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
@pytest.mark.parametrize(
    "target, replacement, words", [f[1:] for f in WRITE_FAULTS], ids=[f[0] for f in WRITE_FAULTS]
)
def test_an_output_write_fault_keeps_the_old_output(
    sources, monkeypatch, command, target, replacement, words
):
    out = sources / "output.file"
    out.write_bytes(b"previous output")
    monkeypatch.setattr(target, replacement)
    result = CliRunner().invoke(
        main, OUTPUT_COMMANDS[command](sources, out), catch_exceptions=False
    )
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert words in result.output and "Traceback" not in result.output
    assert out.read_bytes() == b"previous output"
    assert leftovers(sources) == []


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
def test_an_output_killed_mid_write_keeps_the_old_output(sources, command):
    out = sources / "output.file"
    out.write_bytes(b"previous output")
    args = OUTPUT_COMMANDS[command](sources, out)
    child = subprocess.run([sys.executable, "-c", ADD_KILLER.format(root=str(ROOT)), "before-rename", *args],
                           capture_output=True, timeout=120, cwd=sources)  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert out.read_bytes() == b"previous output"
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert leftovers(sources) == []


@pytest.mark.slow
def test_twenty_concurrent_kg_add_with_concept_links_all_land(project):
    from kg.sources.concepts import load_concepts

    bib, concepts = project / "references.bib", project / "concepts.yaml"
    concepts.write_text(LINKABLE, encoding="utf-8")
    for number in range(20):
        (project / f"new{number:02d}.bib").write_text(new_entry(number), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [subprocess.Popen([sys.executable, "-m", "kg", "add", "--bib", str(bib), "--concepts", str(concepts),
                                  "--concept", "resilience", "--reason", f"Writer {n}", str(project / f"new{n:02d}.bib")],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=project, env=env)
                for n in range(20)]  # fmt: skip
    outcomes = [(child.wait(timeout=300), child.stderr.read().decode()) for child in children]
    assert [code for code, _ in outcomes] == [0] * 20, [err for code, err in outcomes if code]
    linked = [link.target for link in load_concepts(concepts).concepts["resilience"].papers]
    assert sorted(linked) == sorted(["old2020", *(f"new{n:02d}" for n in range(20))])
    assert concepts.read_text(encoding="utf-8").startswith(LINKABLE.rsplit("\n", 5)[0])
    assert len(load_bibtex(bib).papers) == 21
    assert leftovers(project) == []


def test_kg_add_killed_between_its_two_files_leaves_each_file_whole(project):
    """The bibliography is written first, then the concepts file: a kill between them cannot be undone
    by the dead process, but neither file is torn and the bibliography alone is still valid."""
    from kg.sources import load

    bib, concepts = project / "references.bib", project / "concepts.yaml"
    concepts.write_text(LINKABLE, encoding="utf-8")
    child = subprocess.run([sys.executable, "-c", ADD_KILLER.format(root=str(ROOT)), "second-rename", "add",
                            "--bib", str(bib), "--concepts", str(concepts), "--concept", "resilience",
                            str(project / "new.bib")], capture_output=True, timeout=120, cwd=project)  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    bib_data, concepts_text = bib.read_bytes(), concepts.read_text(encoding="utf-8")
    assert bib_data == OLD.encode() or (
        bib_data.startswith(OLD.encode()) and bib_data.count(b"@article{new01") == 1
    )
    assert concepts_text == LINKABLE or "new01" in concepts_text
    corpus = load(bib, concepts, use_cache=False)
    assert [p.format() for p in corpus.problems if p.severity == "error"] == []


# ---------------------------------------------------------------- the parse cache


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "cache-is-a-file"])
def test_a_damaged_cache_never_changes_what_kg_reports(
    sources, monkeypatch, tmp_path_factory, damage
):
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("KG_CACHE_DIR", str(cache))
    (sources / "references.bib").write_bytes(
        OLD.encode() + b"@misc{broken,\n  title = {x}\n  year = 2000\n}\n"
    )
    runner = CliRunner()
    first = runner.invoke(main, ["check", *_sources_args(sources)], catch_exceptions=False)
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert entries, "the first run should have filled the cache"
    for entry in entries:
        data = entry.read_bytes()
        if damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            entry.write_bytes(os.urandom(len(data)))
        elif damage == "empty":
            entry.write_bytes(b"")
    if damage == "cache-is-a-file":
        blocked = tmp_path_factory.mktemp("blocked") / "not-a-folder"
        blocked.write_bytes(b"x")
        monkeypatch.setenv("KG_CACHE_DIR", str(blocked))
    second = runner.invoke(main, ["check", *_sources_args(sources)], catch_exceptions=False)
    assert (second.exit_code, second.output) == (first.exit_code, first.output)
    assert first.exit_code == 1 and "comma" in first.output


# ---------------------------------------------------------------- kg add --concept keeps the concepts file

CONCEPT_VARIANTS = {
    "block-list": LINKABLE,
    "block-list-crlf": LINKABLE.replace("\n", "\r\n"),
    "block-list-bom": "\ufeff" + LINKABLE,
    "no-final-newline": LINKABLE.rstrip("\n"),
    "comments-everywhere": LINKABLE.replace(
        "    papers:\n", "    # evidence\n    papers:  # the list\n"
    )
    + "# trailing comment\n",
    "no-papers-key": "version: 1\nconcepts:\n  - id: resilience\n    label: Résilience — «x»\n  - id: other\n",
    "empty-papers": "version: 1\nconcepts:\n  - id: resilience\n    papers: []\n",
    "last-item-deeper": LINKABLE
    + "  - id: other\n    label: Other\n    aliases:\n      - one\n      - two\n",
}


@pytest.mark.parametrize("variant", sorted(CONCEPT_VARIANTS))
def test_kg_add_concept_only_inserts_lines_into_the_concepts_file(project, variant):
    import difflib

    from kg.sources.concepts import load_concepts

    concepts = project / "concepts.yaml"
    original = CONCEPT_VARIANTS[variant].encode("utf-8")
    concepts.write_bytes(original)
    result = _add(project, "--concepts", str(concepts), "--concept", "resilience", "--reason", "Says so.",
                  str(project / "new.bib"))  # fmt: skip
    assert result.exit_code == 0, result.output
    after = concepts.read_bytes()
    links = [link.target for link in load_concepts(concepts).concepts["resilience"].papers]
    assert "new01" in links
    assert [p.format() for p in load_concepts(concepts).problems if p.severity == "error"] == []
    if (
        b"[]" not in original
    ):  # a flow-style list is re-dumped by design; block lists only gain lines
        old_lines = original.decode("utf-8").splitlines(keepends=True)
        new_lines = after.decode("utf-8").splitlines(keepends=True)
        operations = {
            tag for tag, *_ in difflib.SequenceMatcher(a=old_lines, b=new_lines).get_opcodes()
        }
        changed = [(tag, old_lines[i1:i2], new_lines[j1:j2]) for tag, i1, i2, j1, j2 in
                   difflib.SequenceMatcher(a=old_lines, b=new_lines).get_opcodes() if tag != "equal"]  # fmt: skip
        assert operations <= {"equal", "insert"} or _only_final_newline_added(changed), changed
    assert after.startswith(b"\xef\xbb\xbf") == original.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in after) == (b"\r\n" in original)
    assert leftovers(project) == []


def _only_final_newline_added(changed) -> bool:
    """A file without a final newline gets one on its last line before lines are appended."""
    return (
        len(changed) == 1
        and changed[0][0] == "replace"
        and len(changed[0][1]) == 1
        and changed[0][2][0]
        == changed[0][1][0] + ("\r\n" if changed[0][1][0].endswith("\r") else "\n")
    )
