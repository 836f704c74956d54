"""CLI tests for ``kg render``."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.graph import build_graph

BIB = """@article{hernandez2007vicarious,
  author  = {Hernández, Pilar and Gangsei, David and Engstrom, David},
  title   = {Vicarious resilience: A new concept in work with those who survive trauma},
  journal = {Family Process},
  year    = {2007},
}
"""

CONCEPTS = """version: 1
title: Tiny <map>
concepts:
  - id: vicarious-resilience
    label: Vicarious resilience
    papers:
      - key: hernandez2007vicarious
        strength: supported
"""


def run(*args: str, **kwargs):
    """Invoke ``kg`` with ``args``; exceptions propagate so failures show a traceback."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A tiny project folder with a bibliography and a concepts file."""
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_BIB", raising=False)
    monkeypatch.delenv("KG_CONCEPTS", raising=False)
    return tmp_path


def test_render_writes_the_map_and_says_so(project):
    result = run("render")
    assert result.exit_code == 0
    # 1 paper, 3 authors, 1 concept; 3 "wrote" edges and 1 "discusses".
    assert result.stdout == "Wrote concept-map.html (5 nodes, 4 edges)\n"
    assert result.stderr == ""
    html = (project / "concept-map.html").read_text(encoding="utf-8")
    document = lxml.html.document_fromstring(html)
    assert document.findtext(".//title") == "Tiny <map>"
    assert sorted(os.listdir(project)) == [
        "concept-map.html",
        "concept-map.layout.json",
        "concepts.yaml",
        "references.bib",
    ]


def test_output_and_title_options(project):
    result = run("render", "-o", "out/map.html", "--title", "Session 1 & 2")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("kg: error: cannot write out/map.html: folder ")
    (project / "out").mkdir()
    result = run("render", "-o", "out/map.html", "--title", "Session 1 & 2")
    assert result.exit_code == 0
    assert result.stdout == "Wrote out/map.html (5 nodes, 4 edges)\n"
    html = (project / "out" / "map.html").read_text(encoding="utf-8")
    assert lxml.html.document_fromstring(html).findtext(".//title") == "Session 1 & 2"


def test_same_sources_same_bytes(project):
    assert run("render", "-o", "a.html").exit_code == 0
    assert run("render", "-o", "b.html").exit_code == 0
    assert (project / "a.html").read_bytes() == (project / "b.html").read_bytes()


def test_bibliography_alone_is_enough(project):
    (project / "concepts.yaml").unlink()
    result = run("render")
    assert result.exit_code == 0
    assert result.stdout == "Wrote concept-map.html (4 nodes, 3 edges)\n"
    assert (
        result.stderr
        == "kg: warning: no concepts file (concepts.yaml): working from the bibliography alone\n"
    )


def test_missing_bibliography_is_a_usage_error(project):
    result = run("render", "--bib", "nope.bib")
    assert result.exit_code == 2
    assert "bibliography not found: nope.bib" in result.stderr
    assert not (project / "concept-map.html").exists()


def _break_a_link(project):
    (project / "concepts.yaml").write_text(
        CONCEPTS.replace("hernandez2007vicarious", "hernandez2007vicarius"), encoding="utf-8"
    )


def test_errors_in_the_sources_still_give_a_map_with_a_note(project):
    _break_a_link(project)
    result = run("render")
    assert result.exit_code == 0
    assert result.stdout.startswith("Wrote concept-map.html (")
    problems = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(problems) == 1 and problems[0].startswith("concepts.yaml:")
    assert (
        "kg: 1 error in the sources: working on what could be read "
        "(`kg check` lists every problem; --strict refuses instead)"
    ) in result.stderr
    page = (project / "concept-map.html").read_text(encoding="utf-8")
    assert (
        '<p id="sources-note" role="note">1 error in the sources: what could not be read '
        "is not on this map — run kg check</p>"
    ) in page


def test_strict_refuses_sources_with_errors_and_writes_nothing(project):
    _break_a_link(project)
    result = run("render", "--strict")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "concepts.yaml:" in result.stderr and ": error: " in result.stderr
    assert result.stderr.endswith(
        "kg: error: 1 error in the sources; nothing was written (--strict). Fix them and run again\n"
    )
    assert not (project / "concept-map.html").exists()
    assert not (project / "concept-map.layout.json").exists()


def test_a_map_without_errors_has_no_note(project):
    assert run("render").exit_code == 0
    assert 'id="sources-note"' not in (project / "concept-map.html").read_text(encoding="utf-8")


def test_open_starts_the_browser(project, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    result = run("render", "--open")
    assert result.exit_code == 0
    assert opened == [(project / "concept-map.html").resolve().as_uri()]


def test_open_without_a_browser_warns(project, monkeypatch):
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    result = run("render", "--open")
    assert result.exit_code == 0
    assert (
        result.stderr
        == "kg: warning: could not start a web browser; open concept-map.html yourself\n"
    )


def _watch_two_changes(project, monkeypatch):
    """Make ``watchfiles.watch`` report a good change, then one with an error, then Ctrl-C."""
    concepts = project / "concepts.yaml"

    def fake_watch(*folders, watch_filter, **settings):
        assert folders == (str(project.resolve()),)
        assert watch_filter(1, str(concepts)) and not watch_filter(1, str(project / "other.txt"))
        concepts.write_text(CONCEPTS.replace("Tiny <map>", "Renamed"), encoding="utf-8")
        yield {(2, str(concepts))}
        concepts.write_text(
            CONCEPTS.replace("Tiny <map>", "Again").replace(
                "strength: supported", "strength: strong"
            ),
            encoding="utf-8",
        )
        yield {(2, str(concepts))}
        raise KeyboardInterrupt

    monkeypatch.setattr("watchfiles.watch", fake_watch)


def test_watch_rebuilds_reports_errors_and_stops_on_ctrl_c(project, monkeypatch):
    _watch_two_changes(project, monkeypatch)
    result = run("render", "--watch")
    assert result.exit_code == 0
    assert result.stdout == "Wrote concept-map.html (5 nodes, 4 edges)\n" * 3
    stderr = result.stderr.splitlines()
    assert stderr[0].startswith("Watching ") and stderr[0].endswith("(Ctrl-C stops)")
    assert stderr[1] == "Changed: concepts.yaml"
    assert stderr[2] == "Changed: concepts.yaml"
    assert any("strong" in line and ": error: " in line for line in stderr[3:])
    assert stderr[-1] == "kg: 1 error in the sources: the map shows what could be read"
    html = (project / "concept-map.html").read_text(encoding="utf-8")
    assert lxml.html.document_fromstring(html).findtext(".//title") == "Again"


def test_watch_with_strict_keeps_the_last_good_map(project, monkeypatch):
    _watch_two_changes(project, monkeypatch)
    result = run("render", "--watch", "--strict")
    assert result.exit_code == 0
    assert result.stdout == "Wrote concept-map.html (5 nodes, 4 edges)\n" * 2
    assert (
        result.stderr.splitlines()[-1] == "kg: error: 1 error; the map was not rebuilt (--strict)"
    )
    html = (project / "concept-map.html").read_text(encoding="utf-8")
    assert lxml.html.document_fromstring(html).findtext(".//title") == "Renamed"


def test_shipped_map_counts(root, monkeypatch, shipped_bib, shipped_concepts, tmp_path):
    from tests.conftest import need

    need(
        shipped_bib.is_file() and shipped_concepts.is_file(),
        "the shipped references.bib and concepts.yaml",
    )
    graph = build_graph(kg.load(shipped_bib, shipped_concepts))
    monkeypatch.chdir(root)
    result = run("render", "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 0
    assert (
        result.stdout
        == f"Wrote {tmp_path / 'map.html'} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)\n"
    )
    data = lxml.html.document_fromstring((tmp_path / "map.html").read_text(encoding="utf-8"))
    block = json.loads(data.xpath('//script[@type="application/json"]')[0].text)
    assert len(block["nodes"]) == graph.number_of_nodes()
    assert not (Path(root) / "lib").exists()


def _lines(stream, sink: queue.Queue) -> None:
    """Copy a process's output into a queue, line by line."""
    for line in iter(stream.readline, ""):
        sink.put(line.rstrip("\n"))


def _wait_for(sink: queue.Queue, seen: list[str], predicate, timeout: float = 30.0) -> str:
    """The first line satisfying ``predicate`` within ``timeout`` seconds (all lines go to ``seen``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = sink.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if predicate(line):
            return line
    raise AssertionError(f"waited {timeout} s; got: {seen}")


def test_watch_survives_its_folder_being_deleted_and_recreated(tmp_path):
    folder = tmp_path / "workshop"
    folder.mkdir()
    (folder / "references.bib").write_text(BIB, encoding="utf-8")
    (folder / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    environment = {
        key: value for key, value in os.environ.items() if key not in ("KG_BIB", "KG_CONCEPTS")
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "render", "--watch", "-o", str(tmp_path / "map.html")],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    output: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, output), daemon=True).start()
    seen: list[str] = []
    try:
        _wait_for(output, seen, lambda line: line.startswith("Watching "))
        shutil.rmtree(folder)
        _wait_for(output, seen, lambda line: "is gone; waiting for it to come back" in line)
        folder.mkdir()
        (folder / "references.bib").write_text(BIB, encoding="utf-8")
        (folder / "concepts.yaml").write_text(
            CONCEPTS.replace("Tiny <map>", "Recreated"), encoding="utf-8"
        )
        _wait_for(output, seen, lambda line: line.startswith("Wrote "))
        title = lxml.html.document_fromstring((tmp_path / "map.html").read_text("utf-8"))
        assert title.findtext(".//title") == "Recreated"
        # The new folder is watched too: a later edit rebuilds again.
        time.sleep(0.5)
        (folder / "concepts.yaml").write_text(
            CONCEPTS.replace("Tiny <map>", "Edited"), encoding="utf-8"
        )
        _wait_for(output, seen, lambda line: line == "Changed: concepts.yaml")
        _wait_for(output, seen, lambda line: line.startswith("Wrote "))
        title = lxml.html.document_fromstring((tmp_path / "map.html").read_text("utf-8"))
        assert title.findtext(".//title") == "Edited"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_layout_file_keeps_places_and_relayout_starts_afresh(project):
    assert run("render").exit_code == 0
    layout = project / "concept-map.layout.json"
    first = json.loads(layout.read_text(encoding="utf-8"))["positions"]
    assert set(first) == {
        "paper:hernandez2007vicarious",
        "concept:vicarious-resilience",
        "author:hernandez-p",
        "author:gangsei-d",
        "author:engstrom-d",
    }
    grown = (
        CONCEPTS
        + """  - id: vicarious-trauma
    label: Vicarious trauma
    papers:
      - key: hernandez2007vicarious
        strength: weak
"""
    )
    (project / "concepts.yaml").write_text(grown, encoding="utf-8")
    result = run("render")
    assert result.exit_code == 0
    assert result.stdout == "Wrote concept-map.html (6 nodes, 5 edges)\n"
    assert result.stderr == (
        "Kept the layout in concept-map.layout.json; placed 1 new node(s) beside their links\n"
    )
    kept = json.loads(layout.read_text(encoding="utf-8"))["positions"]
    assert all(kept[node] == place for node, place in first.items())
    result = run("render", "--relayout")
    assert result.exit_code == 0 and result.stderr == ""


def test_a_broken_layout_file_fails_and_names_it(project):
    (project / "concept-map.layout.json").write_text("{not json", encoding="utf-8")
    result = run("render")
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: concept-map.layout.json:1: not valid JSON")
    assert "--relayout" in result.stderr
    assert not (project / "concept-map.html").exists()
    assert (project / "concept-map.layout.json").read_text(encoding="utf-8") == "{not json"
    assert run("render", "--relayout").exit_code == 0


def test_a_layout_of_an_older_version_of_a_map_of_clusters_is_said_to_be_redone(
    tmp_path, monkeypatch
):
    from tests.render.test_clusters import lab_bibliography

    (tmp_path / "lab.bib").write_text(lab_bibliography(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    assert run("render", "--bib", "lab.bib").exit_code == 0
    layout = tmp_path / "concept-map.layout.json"
    stored = json.loads(layout.read_text(encoding="utf-8"))
    stored["positions"] = {
        node: place
        for node, place in stored["positions"].items()
        if not node.startswith("paper:t1")
    }
    layout.write_text(json.dumps(stored), encoding="utf-8")
    result = run("render", "--bib", "lab.bib")
    assert result.exit_code == 0
    assert result.stderr == (
        "kg: warning: no concepts file (concepts.yaml): working from the bibliography alone\n"
        "Laid the map out afresh: concept-map.layout.json held the places of too few of its "
        "papers (a layout of an older version of the map)\n"
    )
