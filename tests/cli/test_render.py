"""CLI tests for ``kg render``."""

from __future__ import annotations

import json
import os
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
    assert sorted(os.listdir(project)) == ["concept-map.html", "concepts.yaml", "references.bib"]


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


def test_errors_in_the_sources_and_strict_write_nothing(project):
    (project / "concepts.yaml").write_text(
        CONCEPTS.replace("hernandez2007vicarious", "hernandez2007vicarius"), encoding="utf-8"
    )
    result = run("render", "--strict")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "concepts.yaml:" in result.stderr and ": error: " in result.stderr
    assert result.stderr.rstrip().endswith("fix them (see `kg check`) and run again")
    assert not (project / "concept-map.html").exists()


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


def test_watch_rebuilds_reports_errors_and_stops_on_ctrl_c(project, monkeypatch):
    concepts = project / "concepts.yaml"

    def fake_watch(*folders, watch_filter):
        assert folders == (str(project.resolve()),)
        assert watch_filter(1, str(concepts)) and not watch_filter(1, str(project / "other.txt"))
        concepts.write_text(CONCEPTS.replace("Tiny <map>", "Renamed"), encoding="utf-8")
        yield {(2, str(concepts))}
        concepts.write_text(
            CONCEPTS.replace("strength: supported", "strength: strong"), encoding="utf-8"
        )
        yield {(2, str(concepts))}
        raise KeyboardInterrupt

    monkeypatch.setattr("watchfiles.watch", fake_watch)
    result = run("render", "--watch", "--strict")
    assert result.exit_code == 0
    assert result.stdout == "Wrote concept-map.html (5 nodes, 4 edges)\n" * 2
    stderr = result.stderr.splitlines()
    assert stderr[0].startswith("Watching ") and stderr[0].endswith("(Ctrl-C stops)")
    assert stderr[1] == "Changed: concepts.yaml"
    assert stderr[2] == "Changed: concepts.yaml"
    assert any("strong" in line and ": error: " in line for line in stderr[3:])
    assert stderr[-1] == "kg: error: 1 error(s) and --strict; the map was not rebuilt"
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
