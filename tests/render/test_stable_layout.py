"""A map keeps its geography between renders: the layout file beside it."""

from __future__ import annotations

import json
import math
import re
import statistics
from pathlib import Path

import pytest

import kg
from kg.drawing.layout_file import read_layout
from kg.errors import KgError
from kg.render import layout_path_for, write_map
from tests.conftest import ROOT

NEW_ENTRY = """
@article{example2016added,
  author  = {Example, Ada and Hernández, Pilar},
  title   = {A paper added after the first session},
  journal = {Family Process},
  year    = {2016},
}
"""

NEW_LINK = """      - key: example2016added
        strength: weak
        reason: Added to see where the map puts it.
"""


@pytest.fixture
def project(tmp_path) -> Path:
    """The workshop's sources, copied so a test can add to them."""
    for name in ("references.bib", "concepts.yaml"):
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def render(project: Path, **options):
    """Load the project and write its map with the layout file beside it."""
    corpus = kg.load(project / "references.bib", project / "concepts.yaml", use_cache=False)
    path = project / "concept-map.html"
    return write_map(corpus, path, layout=layout_path_for(path), **options)


def add_linked_paper(project: Path) -> None:
    """Add one paper to the bibliography and link it to vicarious resilience."""
    with open(project / "references.bib", "a", encoding="utf-8") as stream:
        stream.write(NEW_ENTRY)
    concepts = (project / "concepts.yaml").read_text(encoding="utf-8")
    anchor = "    papers:\n      - key: hernandez2007vicarious\n"
    assert anchor in concepts
    concepts = concepts.replace(
        anchor, anchor.replace("    papers:\n", "    papers:\n" + NEW_LINK), 1
    )
    (project / "concepts.yaml").write_text(concepts, encoding="utf-8")


def test_adding_a_linked_paper_leaves_the_map_where_it_was(project):
    render(project)
    layout = project / "concept-map.layout.json"
    before = read_layout(layout)
    add_linked_paper(project)
    result = render(project)
    after = read_layout(layout)
    assert set(after) - set(before) == {"paper:example2016added", "author:example-a"}
    xs = [x for x, _ in before.values()]
    ys = [y for _, y in before.values()]
    diagonal = math.hypot(max(xs) - min(xs), max(ys) - min(ys))
    moves = sorted(math.dist(before[node], after[node]) / diagonal for node in before)
    assert statistics.median(moves) <= 0.02
    assert moves[int(0.9 * (len(moves) - 1))] <= 0.08
    new = after["paper:example2016added"]
    concept = after["concept:vicarious-resilience"]
    others = sorted(
        (math.dist(new, xy), node)
        for node, xy in after.items()
        if node != "paper:example2016added" and not node.startswith("author:")
    )
    # Near what it links to: its concept is among the few nodes closest to it.
    assert [node for _, node in others].index("concept:vicarious-resilience") < 6
    assert math.dist(new, concept) <= 0.12 * diagonal
    assert result.placed == 2


def test_without_a_layout_file_the_layout_is_fresh_and_deterministic(project):
    first = render(project)
    layout = project / "concept-map.layout.json"
    html = (project / "concept-map.html").read_bytes()
    layout.unlink()
    render(project)
    assert (project / "concept-map.html").read_bytes() == html
    assert first.placed == first.nodes


def test_relayout_ignores_the_layout_file(project):
    render(project)
    layout = project / "concept-map.layout.json"
    fresh = layout.read_text(encoding="utf-8")
    add_linked_paper(project)
    render(project)
    kept = read_layout(layout)
    render(project, relayout=True)
    relaid = read_layout(layout)
    assert relaid != kept
    # Laid out afresh, the old nodes move: the fresh layout of the same sources differs from the old one.
    assert set(relaid) == set(kept)
    assert fresh != layout.read_text(encoding="utf-8")


def test_the_layout_file_is_sorted_one_node_a_line(project):
    render(project)
    text = (project / "concept-map.layout.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["format"] == "kg-layout" and document["version"] == 1
    lines = [line for line in text.splitlines() if line.startswith('    "')]
    assert len(lines) == len(document["positions"])
    assert lines == sorted(lines)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "kg-layout",\n "version": 1,\n "positions": {,}}',
            "concept-map.layout.json:3: not valid JSON",
        ),
        ('{"positions": {}}', "not a kg layout file"),
        ('{"format": "kg-layout", "version": 1, "positions": []}', '"positions" must map'),
    ],
)
def test_a_broken_layout_file_is_an_error_that_names_it(project, text, message):
    (project / "concept-map.layout.json").write_text(text, encoding="utf-8")
    with pytest.raises(KgError, match=None) as caught:
        render(project)
    assert message in str(caught.value)
    assert "--relayout" in str(caught.value)
    assert not (project / "concept-map.html").exists()
    render(project, relayout=True)
    assert read_layout(project / "concept-map.layout.json")


def test_a_node_with_a_bad_place_is_placed_afresh_with_a_warning(project):
    """One bad node (here [1]) spoils neither the map nor the other nodes' places."""
    render(project)
    layout = project / "concept-map.layout.json"
    good = read_layout(layout)
    text = layout.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"concept:burnout"' in row)
    layout.write_text(re.sub(r'("concept:burnout": )\[[^\]]*\]', r"\1[1]", text), encoding="utf-8")
    result = render(project)
    assert [problem.format() for problem in result.layout_problems] == [
        f"{layout}:{line}: warning: node 'concept:burnout': its place must be [x, y]; "
        "it is placed afresh"
    ]
    after = read_layout(layout)
    assert {node: after[node] for node in good if node != "concept:burnout"} == {
        node: place for node, place in good.items() if node != "concept:burnout"
    }
    assert "concept:burnout" in after
