"""Every file kg reads or writes goes through one guarded door.

A project someone else made (cloned, unzipped) can carry symlinks, FIFOs and
hand-made files where kg keeps its own: the layout file beside the map, the
warning record in the cache folder, ``kg init``'s ``.gitignore``. Each case
runs the real command in its own process, under a hang guard: the layout
file's values are checked as data (a bad node is placed afresh with a
warning naming the file, its line and the node), a file kg cannot use is a
message, and nothing outside the project is ever written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from kg.errors import WriteError
from kg.fileio import atomic_write, in_project, remove_dead_writers_temp_files
from tests.conftest import ROOT

from .test_hostile_inputs import assert_clean_failure, kg

HINT = "fix it, delete it, or run `kg render --relayout` to lay the map out afresh"
LAYOUT = "concept-map.layout.json"


@pytest.fixture
def home(tmp_path) -> Path:
    """A stand-in for the user's home: files a hostile project would like kg to overwrite."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / ".bashrc").write_text("export PATH=$HOME/bin:$PATH\n", encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path) -> Path:
    """The workshop's sources in a folder of their own, with their map rendered once."""
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("references.bib", "concepts.yaml"):
        shutil.copy(ROOT / name, folder / name)
    assert kg("render", "-q", cwd=folder).returncode == 0
    return folder


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file under ``folder``: bytes, or where a link points."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def set_place(project: Path, node: str, place: str) -> int:
    """Write ``place`` (JSON text) as ``node``'s place in the layout file; return its line."""
    layout = project / LAYOUT
    lines = layout.read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines) if line.lstrip().startswith(f'"{node}":'))
    comma = "," if lines[number].endswith(",") else ""
    lines[number] = f'    "{node}": {place}{comma}'
    layout.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


# ----------------------------------------------------------------- the layout file, written


def test_a_layout_file_linked_out_of_the_project_is_never_written_through(project, home):
    before = snapshot(home)
    (project / LAYOUT).unlink()
    (project / LAYOUT).symlink_to(home / ".bashrc")
    map_before = (project / "concept-map.html").read_bytes()
    result = kg("render", "-q", "--relayout", cwd=project)
    assert_clean_failure(result)
    assert result.stderr == (
        f"kg: error: refusing to write {LAYOUT}: it is a symlink to {home / '.bashrc'}, outside "
        f"the project ({project}); kg never writes through a link that leads out of the project "
        "(a cloned project can carry one). Remove the link, or name the file itself (it is where "
        "the map concept-map.html keeps its layout: give the map another name)\n"
    )
    assert snapshot(home) == before
    assert (project / "concept-map.html").read_bytes() == map_before  # refused before the map


def test_a_layout_file_linked_to_a_hidden_file_of_the_project_is_refused(project):
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    (project / LAYOUT).unlink()
    (project / LAYOUT).symlink_to(Path(".git") / "config")
    result = kg("render", "-q", "--relayout", cwd=project)
    assert_clean_failure(result, "it is a symlink to", "a hidden file or folder of the project")
    assert (project / ".git" / "config").read_text(encoding="utf-8") == "[core]\n"


def test_the_default_map_linked_out_of_the_project_is_refused_before_any_work(project, home):
    before = snapshot(home)
    (project / "concept-map.html").unlink()
    (project / "concept-map.html").symlink_to(home / ".bashrc")
    result = kg("render", "-q", cwd=project)
    assert_clean_failure(result, "refusing to write concept-map.html: it is a symlink to")
    assert snapshot(home) == before


def test_a_layout_path_that_is_a_source_is_refused_before_the_map_is_written(project):
    shutil.copy(project / "concepts.yaml", project / "m.layout.json")
    before = snapshot(project)
    result = kg("render", "-q", "--concepts", "m.layout.json", "-o", "m.html", cwd=project)
    assert_clean_failure(result)
    assert result.stderr == (
        "kg: error: refusing to write m.layout.json: it is the concepts file, which this command "
        "reads; kg never writes over its sources. Choose another output path (it is where the "
        "map m.html keeps its layout: give the map another name)\n"
    )
    assert snapshot(project) == before


def test_render_to_standard_output_writes_no_file(project):
    before = snapshot(project)
    result = kg("render", "-q", "-o", "-", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith(
        "</html>"
    )
    assert snapshot(project) == before  # no "-", no "-.layout.json"


# ------------------------------------------------------------------- the layout file, read


@pytest.mark.parametrize(
    ("place", "reason"),
    [
        ("[NaN, NaN]", "its place holds NaN, not a finite number"),
        ("[Infinity, -Infinity]", "its place holds Infinity, not a finite number"),
        ("[1e400, 5]", "its place holds Infinity, not a finite number"),
        ("[1e308, -1e308]", "its place lies beyond ±1,000,000 pixels"),
        ("[1, 2, 3]", "its place must be [x, y]"),
        ('["1", 2]', "its place must be two numbers"),
        ("[true, 2]", "its place must be two numbers"),
    ],
    ids=["nan", "infinity", "1e400", "1e308", "three", "text", "boolean"],
)
def test_a_bad_place_is_a_warning_and_the_node_is_placed_afresh(project, place, reason):
    check_bad_place(project, place, reason, "render")


@pytest.mark.parametrize("command", ["gexf", "graphml", "cytoscape"])
def test_a_bad_place_is_a_warning_in_the_drawing_exports_too(project, command):
    check_bad_place(project, "[NaN, NaN]", "its place holds NaN, not a finite number", command)


def check_bad_place(project: Path, place: str, reason: str, command: str) -> None:
    """``place`` for one node: a warning with file, line and node, and the rest as it was."""
    line = set_place(project, "concept:burnout", place)
    if command == "render":
        result = kg("render", cwd=project)
        assert re.fullmatch(r"Wrote concept-map\.html \(82 nodes, \d+ edges\)\n", result.stdout)
    else:
        suffix = {"gexf": "gexf", "graphml": "graphml", "cytoscape": "cyjs"}[command]
        result = kg("export", "-o", f"graph.{suffix}", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warning = f"{LAYOUT}:{line}: warning: node 'concept:burnout': {reason}; it is placed afresh"
    assert warning in result.stderr.splitlines()
    if command == "render":
        stored = json.loads((project / LAYOUT).read_text(encoding="utf-8"))["positions"]
        x, y = stored["concept:burnout"]
        assert abs(x) < 10_000 and abs(y) < 10_000  # placed among its neighbours, not at 1e308


def test_a_node_id_kg_never_writes_is_left_out_with_a_warning(project):
    layout = project / LAYOUT
    text = layout.read_text(encoding="utf-8")
    layout.write_text(text.replace('"positions": {', '"positions": {\n    "rm -rf": [1, 2],'))
    result = kg("render", cwd=project)
    assert result.returncode == 0
    assert (
        f"{LAYOUT}:6: warning: node 'rm -rf': not a node id kg writes (paper:KEY, concept:ID, "
        "author:ID...); it is placed afresh"
    ) in result.stderr.splitlines()
    assert '"rm -rf"' not in layout.read_text(encoding="utf-8")


def test_many_bad_nodes_give_five_warnings_and_a_count(project):
    layout = project / LAYOUT
    text, spoiled = re.subn(
        r'("concept:[^"]+": )\[[^\]]*\]', r"\1[NaN, 0]", layout.read_text("utf-8")
    )
    layout.write_text(text, encoding="utf-8")
    result = kg("render", cwd=project)
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith(LAYOUT)]
    assert len(warnings) == 6
    assert warnings[-1] == (
        f"{LAYOUT}: warning: {spoiled - 5} more nodes have a place kg cannot use; they are "
        "placed afresh"
    )


@pytest.mark.parametrize("command", [["render", "-q"], ["export", "-q", "-o", "graph.gexf"]])
def test_deep_nesting_in_the_layout_file_is_a_message(project, command):
    (project / LAYOUT).write_text("[" * 100_000, encoding="utf-8")
    result = kg(*command, cwd=project)
    assert_clean_failure(result)
    assert result.stderr == (
        f"kg: error: {LAYOUT}: nested deeper than any layout file (kg writes three levels); "
        f"{HINT}\n"
    )


def test_a_fifo_as_the_layout_file_never_hangs(project):
    (project / LAYOUT).unlink()
    os.mkfifo(project / LAYOUT)
    result = kg("export", "-q", "-o", "graph.gexf", cwd=project)
    assert_clean_failure(result)
    assert result.stderr == (
        f"kg: error: {LAYOUT} is a FIFO (named pipe), not a regular file: give a layout file; "
        f"{HINT}\n"
    )
    result = kg("render", "-q", cwd=project)  # the map would write it: refused before any work
    assert_clean_failure(result)
    assert result.stderr == (
        f"kg: error: refusing to write {LAYOUT}: it is a FIFO (named pipe), not a regular file; "
        "give the path of a new or existing file (it is where the map concept-map.html keeps its "
        "layout: give the map another name)\n"
    )
    assert not (project / "graph.gexf").exists()


def test_a_layout_file_linked_to_dev_zero_is_a_message(project):
    (project / LAYOUT).unlink()
    (project / LAYOUT).symlink_to("/dev/zero")
    result = kg("export", "-q", "-o", "graph.gexf", cwd=project)
    assert_clean_failure(result)
    assert result.stderr == (
        f"kg: error: {LAYOUT} is a device, not a regular file: give a layout file; {HINT}\n"
    )
    result = kg("render", "-q", cwd=project)
    assert_clean_failure(result, f"refusing to write {LAYOUT}: it is a symlink to /dev/zero")


def test_a_113_mb_layout_file_is_refused_unread(project):
    with open(project / LAYOUT, "r+b") as stream:
        stream.truncate(113 * 1000 * 1000)  # sparse: no disk used, and kg must not read it
    result = kg("render", "-q", cwd=project)
    assert_clean_failure(result)
    assert result.stderr == (
        f"kg: error: {LAYOUT} is larger than kg reads (113,000,000 bytes; the limit is "
        f"16,777,216); {HINT}\n"
    )


# ----------------------------------------------------------------------- the warning record


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder


def test_the_warning_record_is_replaced_never_followed_through_a_link(project, home, cache):
    before = snapshot(home)
    assert kg("check", cwd=project).returncode == 0  # makes the private folder
    record = cache / "announced-warnings.json"
    record.unlink(missing_ok=True)
    record.symlink_to(home / ".bashrc")
    result = kg("render", cwd=project)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "7 warnings in the sources" in result.stderr
    assert not record.is_symlink() and json.loads(record.read_text(encoding="utf-8"))
    assert snapshot(home) == before


@pytest.mark.parametrize("kind", ["fifo", "deep", "huge", "wrong-types"])
def test_an_odd_warning_record_never_hangs_or_crashes(project, cache, kind):
    assert kg("check", cwd=project).returncode == 0
    record = cache / "announced-warnings.json"
    record.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(record)
    elif kind == "deep":
        record.write_text("[" * 100_000, encoding="utf-8")
    elif kind == "huge":
        with open(record, "wb") as stream:
            stream.truncate(3 * 1024**3)
    else:
        record.write_text('{"a": [1], "b": {"c": 2}}', encoding="utf-8")
    result = kg("render", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "kg: warning: 7 warnings in the sources; `kg check` lists them" in result.stderr
    assert record.is_file() and not record.is_symlink()  # replaced by a record of kg's own
    assert kg("render", cwd=project).stderr.count("warnings in the sources") == 0  # said once


def test_the_cache_folder_and_its_missing_parents_are_private_under_umask_000(project, tmp_path):
    folder = tmp_path / "fresh" / "deeper" / "kg"
    previous = os.umask(0)
    try:
        result = kg("check", cwd=project, env={"KG_CACHE_DIR": str(folder)})
    finally:
        os.umask(previous)
    assert result.returncode == 0
    for path in (tmp_path / "fresh", tmp_path / "fresh" / "deeper", folder):
        assert path.stat().st_mode & 0o777 == 0o700, path


# -------------------------------------------------------------------------------- kg init


@pytest.mark.parametrize("kind", ["dangling-link", "fifo", "link-to-a-device"])
def test_kg_init_beside_an_odd_gitignore_says_what_to_add(tmp_path, kind):
    folder = tmp_path / "new"
    folder.mkdir()
    gitignore = folder / ".gitignore"
    if kind == "dangling-link":
        gitignore.symlink_to(tmp_path / "nowhere")
    elif kind == "fifo":
        os.mkfifo(gitignore)
    else:
        gitignore.symlink_to("/dev/zero")
    result = kg("init", "-q", "new", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == (
        "Wrote new/references.bib (a bibliography with one placeholder entry)\n"
        "Wrote new/concepts.yaml (one placeholder concept and learning objective)\n"
        "Add `.*.lock` to new/.gitignore to keep kg add's lock files out of git\n"
    )
    assert not (tmp_path / "nowhere").exists()


# ------------------------------------------------------------------------- atomic_write


def test_atomic_write_refuses_a_link_out_of_the_project_and_follows_one_inside(tmp_path, home):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "real.html").write_bytes(b"old")
    (project / "inside.html").symlink_to(Path("data") / "real.html")
    (project / "outside.html").symlink_to(home / ".bashrc")
    with in_project(project):
        atomic_write(project / "inside.html", b"new")
        with pytest.raises(WriteError) as caught:
            atomic_write(project / "outside.html", b"new")
    assert (project / "data" / "real.html").read_bytes() == b"new"
    assert str(caught.value).startswith(
        f"refusing to write {project / 'outside.html'}: it is a symlink to {home / '.bashrc'}, "
        f"outside the project ({project});"
    )
    assert (home / ".bashrc").read_text(encoding="utf-8") == "export PATH=$HOME/bin:$PATH\n"
    atomic_write(project / "outside.html", b"mine", links="replace")  # kg's own files
    assert not (project / "outside.html").is_symlink()
    assert (home / ".bashrc").read_text(encoding="utf-8") == "export PATH=$HOME/bin:$PATH\n"


def test_temp_files_are_matched_by_their_own_literal_name(tmp_path):
    """``refs[1].bib`` is a glob pattern: its temp files are matched literally, in one place."""
    dead = 2**22 + 12345  # above any pid this system hands out
    own = tmp_path / f".refs[1].bib.{dead}.abc.tmp"
    other = tmp_path / f".refs1.bib.{dead}.abc.tmp"
    own.write_bytes(b"half")
    other.write_bytes(b"half")
    assert remove_dead_writers_temp_files(tmp_path / "refs[1].bib") == [own]
    assert other.exists() and not own.exists()
