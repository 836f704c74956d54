"""Outputs never replace a source, a device or a FIFO; a broken standard output ends quietly.

``-o`` of every command is refused (exit 1, a message naming the path and
why) when it leads to the bibliography or the concepts file, by the same
name, another spelling, a symlink or a hard link, and when it names
anything that is not a regular file or a new path. The sources stay byte
for byte. ``-`` keeps meaning standard output. A standard output that cannot
be written (``/dev/full``, a pipe whose reader has gone) ends the command
with exit 1 and no traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import COMMANDS, main
from kg.cli.options import OUTPUT_OPTIONS
from kg.errors import WriteError
from kg.fileio import atomic_write, changing_sources, check_output, protecting
from tests.conftest import need
from tests.conftest import snapshot as shared_snapshot

from .helpers import returns_within

ROOT = Path(__file__).resolve().parents[2]
#: Every command with -o, and the arguments it needs besides: a new command with -o must be
#: added here (test_every_command_with_an_output_option_is_covered), and so gets every case below.
EXTRA_ARGUMENTS = {
    "render": [],
    "export": ["--format", "bibtex", "--concept", "self-care"],
    "reading-list": [],
}


@pytest.fixture
def project(shipped_project):
    """A copy of the shipped sources, as the current directory."""
    return shipped_project


def snapshot(folder: Path) -> dict[str, bytes]:
    """The bytes of both sources (the shared ``snapshot`` of ``tests/conftest.py``, narrowed)."""
    return shared_snapshot(folder, ("references.bib", "concepts.yaml"))


def invoke(arguments):
    return CliRunner().invoke(main, arguments)


def test_every_command_with_an_output_option_is_covered():
    with_output = set()
    for name in COMMANDS:
        command = main.get_command(None, name)
        if any(set(OUTPUT_OPTIONS) & set(getattr(p, "opts", ())) for p in command.params):
            with_output.add(name)
    assert with_output == set(EXTRA_ARGUMENTS)


def ways_to_name(folder: Path, name: str) -> dict[str, str]:
    """Paths that all lead to ``folder / name``."""
    (folder / "sub").mkdir(exist_ok=True)
    (folder / f"link-to-{name}").symlink_to(folder / name)
    os.link(folder / name, folder / f"hard-{name}")
    (folder / "sub" / f"relative-link-{name}").symlink_to(Path("..") / name)
    return {
        "same name": name,
        "dot slash": f"./{name}",
        "absolute": str(folder / name),
        "through a folder": f"sub/../{name}",
        "symlink": f"link-to-{name}",
        "relative symlink": f"sub/relative-link-{name}",
        "hard link": f"hard-{name}",
    }


@pytest.mark.parametrize("command", sorted(EXTRA_ARGUMENTS))
@pytest.mark.parametrize("source", ["references.bib", "concepts.yaml"])
def test_no_output_ever_replaces_a_source(project, command, source):
    before = snapshot(project)
    for way, path in ways_to_name(project, source).items():
        result = invoke([command, *EXTRA_ARGUMENTS[command], "-o", path])
        assert result.exit_code == 1, (way, result.output)
        assert (
            "refusing to write" in result.stderr
            and "kg never writes over its sources" in result.stderr
        )
        assert "Traceback" not in result.output
        assert snapshot(project) == before, way
        assert (project / f"hard-{source}").stat().st_nlink == 2
        assert (project / f"link-to-{source}").is_symlink()


def test_the_issues_own_example_keeps_the_bibliography(project):
    before = snapshot(project)
    result = invoke(["export", "--concept", "self-care", "-o", "references.bib"])
    assert result.exit_code == 1
    assert "refusing to write references.bib: it is the bibliography" in result.stderr
    assert snapshot(project) == before


def test_sources_given_by_option_or_environment_are_protected_too(project, monkeypatch):
    (project / "data").mkdir()
    shutil.move(project / "references.bib", project / "data" / "refs.bib")
    before = (project / "data" / "refs.bib").read_bytes()
    monkeypatch.setenv("KG_BIB", "data/refs.bib")
    result = invoke(["render", "-o", str(project / "data" / "refs.bib")])
    assert result.exit_code == 1 and "it is the bibliography (data/refs.bib)" in result.stderr
    assert (project / "data" / "refs.bib").read_bytes() == before


def test_a_csv_folder_export_never_replaces_a_source_inside_it(project):
    (project / "out").mkdir()
    shutil.copy(project / "references.bib", project / "out" / "nodes.csv")
    before = (project / "out" / "nodes.csv").read_bytes()
    result = invoke(["export", "--bib", "out/nodes.csv", "--format", "csv", "-o", "out/"])
    assert result.exit_code == 1 and "refusing to write" in result.stderr
    assert (project / "out" / "nodes.csv").read_bytes() == before


@pytest.mark.parametrize("command", sorted(EXTRA_ARGUMENTS))
def test_a_fifo_or_a_device_is_never_turned_into_a_file(project, command):
    os.mkfifo(project / "fifo")
    for target, kind in (("fifo", "a FIFO (named pipe)"), ("/dev/null", "a device")):
        with returns_within(60):
            result = invoke([command, *EXTRA_ARGUMENTS[command], "-o", target])
        assert result.exit_code == 1, result.output
        assert f"it is {kind}, not a regular file" in result.stderr
    assert (project / "fifo").is_fifo()
    assert Path("/dev/null").is_char_device()


def test_a_dash_still_means_standard_output(project):
    result = invoke(["export", "--format", "bibtex", "--concept", "self-care", "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("@")


def test_new_files_and_existing_outputs_are_still_written(project):
    assert invoke(["export", "--concept", "self-care", "-o", "out.bib"]).exit_code == 0
    assert invoke(["export", "--concept", "self-care", "-o", "out.bib"]).exit_code == 0
    (project / "out-link.bib").symlink_to(project / "out.bib")
    assert invoke(["export", "--concept", "self-care", "-o", "out-link.bib"]).exit_code == 0
    assert (project / "out-link.bib").is_symlink()
    assert invoke(["reading-list", "-o", "list.md"]).exit_code == 0
    assert invoke(["render", "-o", "map.html"]).exit_code == 0


def test_atomic_write_itself_refuses_non_regular_files_and_protected_sources(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    for target in (tmp_path / "fifo", Path("/dev/null")):
        with pytest.raises(WriteError, match="not a regular file"):
            atomic_write(target, b"x")
    source = tmp_path / "refs.bib"
    source.write_bytes(b"@misc{a, title={A}}\n")
    os.link(source, tmp_path / "other-name.bib")
    with protecting({"the bibliography": source, "the concepts file": None}):
        with pytest.raises(WriteError, match="it is the bibliography"):
            atomic_write(tmp_path / "other-name.bib", b"gone")
        with pytest.raises(WriteError, match="it is the bibliography"):
            check_output(tmp_path / "other-name.bib")
        check_output(tmp_path / "new.bib")  # a new path is fine
        with changing_sources():  # what kg add does
            atomic_write(source, b"@misc{a, title={B}}\n")
    assert source.read_bytes() == b"@misc{a, title={B}}\n"
    atomic_write(tmp_path / "other-name.bib", b"free again")  # protection ends with the command


def test_an_output_replaced_as_root_keeps_its_owner(tmp_path):
    need(os.geteuid() == 0, "root (giving a file away needs root)")
    target = tmp_path / "map.html"
    target.write_bytes(b"old")
    os.chown(target, 4321, 4322)
    os.chmod(target, 0o640)
    atomic_write(target, b"new")
    info = target.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (4321, 4322, 0o640)


# ---------------------------------------------------------------- a broken standard output


def kg_process(arguments, stdout, cwd):
    return subprocess.run([sys.executable, "-m", "kg", *arguments], stdout=stdout,
                          stderr=subprocess.PIPE, cwd=cwd, timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize("arguments", [["check"], ["check", "--format", "json"], ["show", "self-care"],
                                       ["export", "--format", "json", "-o", "-"], ["--help"],
                                       ["papers", "--concept", "self-care"]])  # fmt: skip
def test_a_full_standard_output_ends_with_exit_1_and_no_traceback(project, arguments):
    with open("/dev/full", "wb") as full:
        done = kg_process(arguments, full, project)
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert "kg: error: cannot write the output: No space left on device" in stderr


@pytest.mark.parametrize(
    "arguments", [["check"], ["export", "--format", "json", "-o", "-"], ["gaps"]]
)
def test_a_closed_pipe_ends_quietly_with_exit_1(project, arguments):
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone before kg writes anything
    try:
        done = kg_process(arguments, writing, project)
    finally:
        os.close(writing)
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr and "cannot write" not in stderr
