"""A bibliography's structure worked out in a forked process gives what working it out here gives."""

import multiprocessing

import pytest

import kg.drawing.ahead as ahead
from kg.drawing.ahead import StructureAhead
from kg.drawing.build import plan_drawing
from kg.drawing.structure import bibliography_structure
from kg.graph import build_graph
from kg.render.page import page_data
from tests.conftest import need

from .test_views import lab_corpus


@pytest.fixture
def needs_fork():
    """Forking, which CI (Linux) has: a test that needs it fails there without it."""
    need("fork" in multiprocessing.get_all_start_methods(), "forking worker processes")


@pytest.fixture
def lab():
    graph = build_graph(lab_corpus())
    papers = plan_drawing(graph).structure_papers
    assert papers  # a bibliography alone with many authors: linked and clustered
    return graph, papers


@pytest.mark.usefixtures("needs_fork")
def test_the_structure_from_a_forked_process_is_the_one_worked_out_here(lab, monkeypatch):
    graph, papers = lab
    monkeypatch.setattr(ahead, "FORK_FROM", 1)
    with StructureAhead(graph, papers) as structure:
        assert structure.forked
        assert structure() == bibliography_structure(graph, papers)


@pytest.mark.usefixtures("needs_fork")
def test_the_map_is_the_same_whether_its_structure_was_forked_or_not(lab, monkeypatch):
    graph, _papers = lab
    monkeypatch.setattr(ahead, "FORK_FROM", 1)
    forked = page_data(graph, title="Lab")
    monkeypatch.setattr(ahead, "FORK_FROM", 10**9)
    assert page_data(graph, title="Lab") == forked


@pytest.mark.usefixtures("needs_fork")
def test_a_failed_worker_leaves_the_work_to_this_process(lab, monkeypatch):
    graph, papers = lab
    monkeypatch.setattr(ahead, "FORK_FROM", 1)

    def failing(graph, papers):
        if multiprocessing.parent_process() is not None:  # only in the forked worker
            raise MemoryError
        return bibliography_structure(graph, papers)

    monkeypatch.setattr(ahead, "bibliography_structure", failing)
    with StructureAhead(graph, papers) as structure:
        assert structure.forked
        assert structure() == bibliography_structure(graph, papers)


def test_a_small_bibliography_is_worked_out_in_process(lab):
    graph, papers = lab
    assert ahead.FORK_FROM == 1000
    with StructureAhead(graph, papers) as structure:
        assert not structure.forked
        assert structure() == bibliography_structure(graph, papers)
