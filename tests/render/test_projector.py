"""The map on a 1280×720 projector: legible, clear of overlays, and the trainer's controls."""

from __future__ import annotations

import re
from typing import ClassVar

import pytest

import kg
from kg.graph import build_graph
from kg.render import write_map
from tests.conftest import ROOT, need

from .test_browser import Page

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
#: Smallest on-screen label in an objective's focus, and for concept and objective names on the whole map.
FOCUS_LABEL_PX = 14
WHOLE_MAP_LABEL_PX = 11

ON_SCREEN = """
(ids) => {
  const canvas = document.querySelector('#map canvas').getBoundingClientRect();
  const scale = network.getScale();
  return ids.map(id => {
    const at = network.canvasToDOM(network.getPosition(id));
    const x = canvas.left + at.x, y = canvas.top + at.y;
    const hit = document.elementFromPoint(x, y);
    return {
      id, x, y,
      label: network.body.nodes[id].options.font.size * scale,
      inside: x >= canvas.left && x <= canvas.right && y >= canvas.top && y <= canvas.bottom
        && x >= 0 && y >= 0 && x <= innerWidth && y <= innerHeight,
      under: hit && hit.closest('#map canvas') ? null : (hit ? (hit.id || hit.tagName) : 'nothing'),
    };
  });
}
"""


@pytest.fixture(scope="module")
def workshop_map(tmp_path_factory):
    """The workshop's map, rendered from the shipped sources (no layout file)."""
    bib, concepts = ROOT / "references.bib", ROOT / "concepts.yaml"
    need(bib.exists() and concepts.exists(), "the shipped references.bib and concepts.yaml")
    corpus = kg.load(bib, concepts)
    path = tmp_path_factory.mktemp("projector") / "concept-map.html"
    write_map(corpus, path)
    return path, build_graph(corpus)


class Projector(Page):
    """A map loaded at the design size."""

    viewport: ClassVar[dict[str, int]] = PROJECTOR

    def settle(self):
        self.page.wait_for_timeout(50)
        self.page.wait_for_function("() => kg.isSettled()", timeout=10_000)
        self.page.wait_for_timeout(50)

    def measure(self, ids):
        return self.js(ON_SCREEN, list(ids))


@pytest.fixture
def projector(browser, workshop_map):
    page = Projector(browser, workshop_map[0])
    yield page, workshop_map[1]
    page.page.close()


def objectives_of(graph):
    return sorted(n for n in graph if graph.nodes[n]["kind"] == "objective")


def test_the_toolbar_is_one_row(projector):
    page, _ = projector
    height = page.js("document.querySelector('.bar').getBoundingClientRect().height")
    button = page.js("document.getElementById('fit').getBoundingClientRect().height")
    assert height < 2 * button, f"the toolbar wraps: {height}px for {button}px buttons"
    page.page.locator("#tour").click()  # the tour's extra buttons appear: still one row
    page.settle()
    assert page.js("document.querySelector('.bar').getBoundingClientRect().height") == height


def test_the_whole_map_names_concepts_and_objectives_legibly(projector):
    page, graph = projector
    names = [n for n in graph if graph.nodes[n]["kind"] in ("concept", "objective")]
    placed = page.measure(names)
    small = [(p["id"], round(p["label"], 1)) for p in placed if p["label"] < WHOLE_MAP_LABEL_PX]
    assert not small
    covered = [(p["id"], p["under"]) for p in placed if p["under"] or not p["inside"]]
    assert not covered


@pytest.mark.parametrize("how", ["picker", "tour", "search"])
def test_every_objective_focus_is_legible_and_clear_of_overlays(projector, how):
    page, graph = projector
    objectives = objectives_of(graph)
    for number, objective in enumerate(objectives):
        if how == "picker":
            page.page.locator("#objective").select_option(objective)
        elif how == "tour":
            page.page.locator("#tour-next" if number else "#tour").click()
            expected = f"{number + 1} of {len(objectives)}"
            assert page.page.locator("#tour").inner_text() == expected
        else:
            search = page.page.locator("#search")
            search.fill(graph.nodes[objective]["text"][:30])
            search.press("Enter")
        page.settle()
        assert page.js("document.getElementById('objective').value") == objective
        focus = page.js("kg.focusIds()")
        assert objective in focus and len(focus) > 1
        placed = page.measure(focus)
        small = [(p["id"], round(p["label"], 1)) for p in placed if p["label"] < FOCUS_LABEL_PX]
        assert not small, (objective, small)
        covered = [(p["id"], p["under"]) for p in placed if p["under"] or not p["inside"]]
        assert not covered, (objective, covered)
        assert page.panel_node() == objective


def test_leaving_a_focus_puts_every_node_back(projector):
    page, graph = projector
    home = page.js("Object.fromEntries(kg.data.nodes.map(n => [n.id, [n.x, n.y]]))")
    page.js("id => kg.pickObjective(id)", objectives_of(graph)[0])
    page.settle()
    moved = page.js("network.getPositions()")
    assert any(moved[n] != {"x": x, "y": y} for n, (x, y) in home.items() if n in moved)
    page.page.locator("#objective").select_option("")
    page.settle()
    back = page.js("network.getPositions()")
    # A name the label placement moved aside a little on the whole map keeps its own place
    # as its home, and stands within a few screen pixels of it.
    nudged = page.js("kg.nudgedNodes()")
    reach = 100 / page.js("network.getScale()")
    for node, (x, y) in home.items():
        if node not in back:
            continue
        if node in nudged:
            assert (nudged[node]["x"], nudged[node]["y"]) == (x, y), node
            assert abs(back[node]["x"] - x) <= reach and abs(back[node]["y"] - y) <= reach, node
        else:
            assert back[node] == {"x": x, "y": y}, node


def test_all_clears_the_objective_panel_and_selection(projector):
    page, graph = projector
    page.page.locator("#objective").select_option(objectives_of(graph)[1])
    page.settle()
    assert page.panel_node() and page.js("network.getSelectedNodes()")
    page.page.locator("#objective").select_option("")
    page.settle()
    assert page.panel_node() is None
    assert page.js("network.getSelectedNodes()") == []
    assert page.js("kg.focusIds()") == []


def test_the_tour_goes_back_and_forth_with_buttons_and_keys(projector):
    page, graph = projector
    objectives = objectives_of(graph)
    total = len(objectives)
    tour = page.page.locator("#tour")
    assert tour.inner_text() == "Tour ▶"
    assert not page.page.locator("#tour-previous").is_visible()
    tour.click()
    assert tour.inner_text() == f"1 of {total}"
    page.page.locator("#tour-next").click()
    page.page.locator("#tour-next").click()
    assert tour.inner_text() == f"3 of {total}"
    assert page.js("document.getElementById('objective').value") == objectives[2]
    page.page.locator("#tour-previous").click()
    assert tour.inner_text() == f"2 of {total}"
    page.page.locator("#map canvas").focus()
    page.page.keyboard.press("ArrowRight")
    assert tour.inner_text() == f"3 of {total}"
    page.page.keyboard.press("ArrowLeft")
    page.page.keyboard.press("ArrowLeft")
    assert tour.inner_text() == f"1 of {total}"
    page.page.keyboard.press("ArrowLeft")  # wraps round to the last
    assert tour.inner_text() == f"{total} of {total}"
    page.page.keyboard.press("Escape")
    assert tour.inner_text() == "Tour ▶"
    assert page.js("document.getElementById('objective').value") == ""
    assert page.panel_node() is None
    tour.click()
    page.page.locator("#tour-stop").click()
    assert tour.inner_text() == "Tour ▶" and not page.page.locator("#tour-stop").is_visible()


def test_the_legend_folds_and_is_remembered(projector):
    page, graph = projector
    toggle = page.page.locator("#legend-toggle")
    assert page.page.locator("#legend-body").is_visible()
    toggle.click()
    page.settle()
    assert not page.page.locator("#legend-body").is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    names = [n for n in graph if graph.nodes[n]["kind"] in ("concept", "objective")]
    assert all(p["under"] is None for p in page.measure(names))
    page.page.reload()
    page.page.wait_for_function("() => window.kgReady === true")
    assert not page.page.locator("#legend-body").is_visible()
    page.page.locator("#legend-toggle").click()
    assert page.page.locator("#legend-body").is_visible()


def test_presenter_mode_has_larger_text_and_no_hover_popups(projector):
    page, graph = projector
    concepts = [n for n in graph if graph.nodes[n]["kind"] == "concept"]
    before = min(p["label"] for p in page.measure(concepts))
    page.page.locator("#map canvas").focus()
    page.page.keyboard.press("p")
    page.settle()
    assert page.js("document.body.classList.contains('presenter')")
    assert page.page.locator("#presenter-toggle").get_attribute("aria-pressed") == "true"
    assert min(p["label"] for p in page.measure(concepts)) > before
    assert page.js("network.interactionHandler.options.hover") is False
    node = concepts[0]
    x, y = page.node_point(node)
    page.page.mouse.move(x, y)
    page.page.wait_for_timeout(600)
    assert not page.page.locator("div.vis-tooltip").is_visible()
    page.page.locator("#presenter-toggle").click()
    assert not page.js("document.body.classList.contains('presenter')")


def test_a_click_hides_the_hover_tooltip(projector):
    page, graph = projector
    concept = next(n for n in sorted(graph) if graph.nodes[n]["kind"] == "concept")
    x, y = page.node_point(concept)
    page.page.mouse.move(x + 1, y + 1)
    page.page.locator("div.vis-tooltip").wait_for(state="visible")
    page.page.mouse.click(x, y)
    assert not page.page.locator("div.vis-tooltip").is_visible()
    assert page.panel_node() == concept


def test_the_list_view_follows_the_objective_picker(projector):
    page, graph = projector
    objective = objectives_of(graph)[0]
    page.page.locator("#objective").select_option(objective)
    page.settle()
    page.page.locator("#list-toggle").click()
    rows = page.js(
        "[...document.querySelectorAll('#list-table tbody tr')].filter(r => !r.hidden).map(r => r.id.slice(4))"
    )
    assert objective in rows and len(rows) < graph.number_of_nodes()
    assert set(rows) == set(page.js("kg.focusIds()"))
    assert (
        "Objective " + graph.nodes[objective]["label"]
        in page.page.locator("#list-table caption").inner_text()
    )
    page.page.locator("#list-toggle").click()
    page.page.locator("#objective").select_option("")
    page.page.locator("#list-toggle").click()
    assert (
        page.js(
            "[...document.querySelectorAll('#list-table tbody tr')].filter(r => !r.hidden).length"
        )
        == graph.number_of_nodes()
    )


def test_the_timeline_orders_papers_by_year_and_keeps_focus_and_search(projector):
    page, graph = projector
    page.page.locator("#timeline-toggle").click()
    page.settle()
    assert page.page.locator("#timeline-toggle").get_attribute("aria-pressed") == "true"
    papers = [n for n in graph if graph.nodes[n]["kind"] == "paper"]
    at = page.js("ids => network.getPositions(ids)", papers)
    dated = sorted(
        (int(re.search(r"\d{4}", graph.nodes[n]["year"]).group()), at[n]["x"], n)
        for n in papers
        if re.search(r"\d{4}", str(graph.nodes[n].get("year", "")))
    )
    xs = [x for _, x, _ in dated]
    assert xs == sorted(xs), "papers are not in year order"
    assert dated[0][0] <= 1990 and dated[-1][0] >= 2018
    objective = objectives_of(graph)[0]
    page.page.locator("#objective").select_option(objective)
    page.settle()
    placed = page.measure(page.js("kg.focusIds()"))
    assert not [(p["id"], p["under"]) for p in placed if p["under"] or not p["inside"]]
    assert page.panel_node() == objective
    search = page.page.locator("#search")
    search.fill(graph.nodes[papers[0]]["key"])
    search.press("Enter")
    page.settle()
    assert page.panel_node() == papers[0]
    (point,) = page.measure([papers[0]])
    assert point["inside"] and point["under"] is None
    page.page.locator("#objective").select_option("")
    page.page.locator("#timeline-toggle").click()
    page.settle()
    home = page.js("id => kg.data.nodes.find(n => n.id === id)", papers[0])
    assert page.js("id => network.getPosition(id)", papers[0]) == {"x": home["x"], "y": home["y"]}


def test_printing_an_objective_prints_its_map_and_reading_list(projector):
    page, graph = projector
    objective = objectives_of(graph)[0]
    page.page.locator("#objective").select_option(objective)
    page.settle()
    page.page.emulate_media(media="print")
    page.js("kg.beforePrint()")
    sheet = page.page.locator("#print-sheet")
    assert sheet.is_visible()
    assert not page.page.locator("#list-view").is_visible()
    items = sheet.locator("ol.reading-list li").all_inner_texts()
    papers = page.js("id => kg.data.details[id].papers.map(p => p.id)", objective)
    assert len(items) == len(papers) > 0
    citations = page.js("ids => ids.map(id => kg.data.details[id].citation)", papers)
    assert all(
        citation and citation in item for citation, item in zip(citations, items, strict=True)
    )
    focus = page.js("kg.focusIds()")
    placed = page.measure(focus)
    assert all(p["inside"] for p in placed)
    assert min(p["label"] for p in placed) >= 9  # legible on paper at the printed map's size
    page.page.emulate_media(media="screen")
    page.js("kg.afterPrint()")
    page.settle()
    assert not sheet.is_visible()
