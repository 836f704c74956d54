"""No two drawn labels meet, in any view, at a projector's size and a full-HD screen's."""

from __future__ import annotations

import re
from typing import ClassVar

import pytest

import kg
from kg.graph import build_graph
from kg.model import Author, Corpus, Paper
from kg.render import write_map
from kg.render.timeline import NO_YEAR_LANE, pack_rows, timeline
from tests.conftest import ROOT, SHARED, need

from .test_browser import Page

pytestmark = pytest.mark.browser

SCREENS = [{"width": 1280, "height": 720}, {"width": 1920, "height": 1080}]
LAB_BIBLIOGRAPHY = SHARED / "bench" / "cdl.bib"
LAB_ENTRIES = 2500


@pytest.fixture(scope="module")
def workshop_html(tmp_path_factory):
    bib, concepts = ROOT / "references.bib", ROOT / "concepts.yaml"
    need(bib.exists() and concepts.exists(), "the shipped references.bib and concepts.yaml")
    path = tmp_path_factory.mktemp("labels") / "concept-map.html"
    write_map(kg.load(bib, concepts), path)
    return path


class Screen(Page):
    """A map at a given screen size, measured once its labels are placed."""

    viewport: ClassVar[dict[str, int]] = SCREENS[0]

    def __init__(self, browser, path, viewport):
        self.viewport = viewport
        super().__init__(browser, path)

    def settle(self) -> None:
        self.page.wait_for_timeout(60)
        self.page.wait_for_function("() => kg.isSettled()", timeout=20_000)

    def overlaps(self, where: str) -> list:
        self.settle()
        labels = self.js("kg.drawnLabels()")
        assert labels, f"{where}: no label drawn at all"
        return self.js("kg.labelOverlaps()")


@pytest.fixture(params=SCREENS, ids=lambda screen: f"{screen['width']}x{screen['height']}")
def screen(request, browser, workshop_html):
    page = Screen(browser, workshop_html, request.param)
    yield page
    page.page.close()


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
def test_no_labels_meet_on_the_whole_map_and_in_every_focus(screen, presenter):
    if presenter:
        screen.js("kg.setPresenter(true)")
    assert screen.overlaps("whole map") == []
    names = {label["id"] for label in screen.js("kg.drawnLabels()")}
    assert sum(1 for name in names if name.startswith("objective:")) == 8
    for objective in screen.js("kg.data.objectives"):
        screen.js("id => kg.pickObjective(id)", objective)
        assert screen.overlaps(objective) == [], objective
        drawn = {label["id"] for label in screen.js("kg.drawnLabels()")}
        assert objective in drawn
    screen.js("kg.pickObjective(null)")
    assert screen.overlaps("whole map again") == []


def test_the_tour_and_search_leave_no_labels_meeting(screen):
    screen.page.locator("#tour").click()
    for _ in range(3):
        assert screen.overlaps("tour") == []
        screen.page.locator("#tour-next").click()
    screen.page.keyboard.press("Escape")
    screen.page.locator("#search").fill("pack2014")
    screen.page.locator("#search").press("Enter")
    assert screen.overlaps("search") == []


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
def test_no_labels_meet_on_the_timeline_and_papers_read_there(screen, presenter):
    if presenter:
        screen.js("kg.setPresenter(true)")
    screen.js("kg.setTimeline(true)")
    assert screen.overlaps("timeline") == []
    papers = [label for label in screen.js("kg.drawnLabels()") if label["kind"] == "paper"]
    assert len(papers) >= 12
    least = 14 if presenter else 12
    assert min(label["px"] for label in papers) >= least - 0.05
    screen.js("id => kg.pickObjective(id)", "objective:3b")
    assert screen.overlaps("timeline focus") == []


def test_no_labels_meet_in_the_printed_objective(screen):
    screen.js("id => kg.pickObjective(id)", "objective:3b")
    screen.settle()
    screen.page.emulate_media(media="print")
    screen.js("kg.beforePrint()")
    assert screen.js("kg.labelOverlaps()") == []
    assert len(screen.js("kg.drawnLabels()")) >= 10
    screen.page.emulate_media(media="screen")
    screen.js("kg.afterPrint()")


def crowd(screen: Screen, factor: float) -> None:
    """Zoom out past the whole map: names keep their legible size, so they crowd and give way."""
    screen.settle()
    screen.js(
        """f => { network.moveTo({scale: network.getScale() * f, animation: false});
                 network.emit('zoom', {scale: network.getScale()}); }""",
        factor,
    )
    screen.settle()


def test_a_label_that_gives_way_keeps_its_whole_text_on_hover_and_in_the_panel(screen):
    screen.js("kg.setPresenter(true)")
    crowd(screen, 0.5)
    placement = screen.js("kg.lastPlacement()")
    assert placement["shortened"] + placement["hidden"] > 0
    for label in screen.js("kg.drawnLabels()"):
        if label["text"].endswith("\u2026"):
            whole = screen.js("id => kg.data.nodes.find(n => n.id === id).label", label["id"])
            stem = label["text"][:-1]
            assert whole.startswith(stem) and len(whole) > len(stem)
            # Cut at a word boundary: what is kept ends a word of the whole text.
            assert whole[len(stem)] in " ,;:" or not whole[len(stem)].isalnum()
            title = screen.js("id => kg.data.nodes.find(n => n.id === id).title", label["id"])
            assert title


# ---------------------------------------------------------------- a bibliography alone


def first_entries(count: int) -> str:
    text = LAB_BIBLIOGRAPHY.read_text(encoding="utf-8", errors="replace")
    starts = [match.start() for match in re.finditer(r"^@", text, re.M)]
    return text if len(starts) <= count else text[: starts[count]]


@pytest.fixture(scope="module")
def lab_html(tmp_path_factory):
    need(LAB_BIBLIOGRAPHY.exists(), f"the lab bibliography ({LAB_BIBLIOGRAPHY})")
    folder = tmp_path_factory.mktemp("lab")
    bib = folder / "lab.bib"
    bib.write_text(first_entries(LAB_ENTRIES), encoding="utf-8")
    path = folder / "lab.html"
    write_map(kg.load(bib), path)
    return path


@pytest.fixture
def lab(browser, lab_html):
    page = Screen(browser, lab_html, SCREENS[0])
    yield page
    page.page.close()


def test_a_bibliography_alone_has_no_labels_meeting_at_any_zoom_and_no_picker(lab):
    assert not lab.page.locator(".objective-picker").is_visible()
    assert not lab.page.locator("#tour").is_visible()
    assert lab.overlaps("whole map") == []
    clusters = [label for label in lab.js("kg.drawnLabels()") if label["kind"] == "cluster"]
    assert len(clusters) >= 5
    # Where papers are on the map (the network holds a cluster's papers once it opens).
    papers = lab.js("kg.data.nodes.filter(n => n.group === 'paper').map(n => [n.x, n.y])")
    whole = lab.js("network.getScale()")
    for factor, (x, y) in [(3, papers[0]), (8, papers[len(papers) // 2]), (20, papers[-1])]:
        lab.js(
            """([x, y, scale]) => network.moveTo({position: {x: x, y: y},
                 scale: scale, animation: false})""",
            [x, y, whole * factor],
        )
        assert lab.overlaps(f"zoomed {factor}x") == [], factor
    lab.js("kg.setTimeline(true)")
    assert lab.overlaps("timeline") == []
    lab.js("kg.setPresenter(true)")
    assert lab.overlaps("presenter timeline") == []


# ---------------------------------------------------------------- views that fit the data


def dated_and_undated() -> Corpus:
    authors = {"helmert-f": Author("helmert-f", "F. R. Helmert", "Helmert", "F. R.")}
    papers = {
        f"helmert{n}": Paper(
            key=f"helmert{n}",
            entry_type="article",
            title=f"Die Ausgleichungsrechnung, part {n}",
            year="" if n < 3 else str(1872 + n),
            authors=["helmert-f"],
        )
        for n in range(6)
    }
    return Corpus(papers=papers, authors=authors, bib_path="helmert.bib")


def test_the_timeline_spans_the_years_present_and_gives_undated_papers_a_lane():
    graph = build_graph(dated_and_undated())
    line = timeline(graph, sorted(graph))
    assert (line["axis"]["from"], line["axis"]["to"]) == (1875, 1877)
    assert "undated" not in line["axis"]  # no "no year" column on the axis
    lanes = [lane["label"] for lane in line["lanes"]]
    assert lanes.count(NO_YEAR_LANE) == 1 and lanes[-1] == NO_YEAR_LANE
    lane = line["lanes"][-1]
    undated = [f"paper:helmert{n}" for n in range(3)]
    for paper in undated:
        assert lane["top"] <= line["positions"][paper][1] <= lane["bottom"]
    points = {tuple(line["positions"][paper]) for paper in undated}
    assert len(points) == 3  # side by side, not on top of each other
    dated = [line["positions"][f"paper:helmert{n}"][1] for n in range(3, 6)]
    assert max(dated) < lane["top"]


def test_rows_are_packed_so_that_no_two_labels_in_a_row_meet():
    items = [(f"p{n}", 100.0 * (n // 5), 60.0) for n in range(50)]
    rows, count = pack_rows(items)
    assert count == 10  # five a year, each as wide as 1.2 years: two years share a row
    ends: dict[int, float] = {}
    for item, x, half in items:
        assert ends.get(rows[item], -1e9) <= x - half
        ends[rows[item]] = x + half


def test_search_tells_same_named_papers_apart(browser, tmp_path):
    path = tmp_path / "helmert.html"
    write_map(dated_and_undated(), path)
    page = Screen(browser, path, SCREENS[0])
    try:
        page.page.locator("#search").fill("helmert")
        items = page.page.locator("#search-results li").all_inner_texts()
        papers = [item for item in items if item.lower().startswith("paper")]
        assert len(papers) == 6
        assert len(set(papers)) == 6, papers
        assert any("Die Ausgleichungsrechnung, part 0" in item for item in papers)
        assert not page.page.locator(".objective-picker").is_visible()
        page.js("kg.setTimeline(true)")
        assert page.overlaps("timeline with undated papers") == []
    finally:
        page.page.close()


@pytest.fixture
def projector(browser, workshop_html):
    page = Screen(browser, workshop_html, SCREENS[0])
    yield page
    page.page.close()


def test_a_label_left_out_is_drawn_once_its_node_is_selected(projector):
    screen = projector
    screen.js("kg.setPresenter(true)")
    crowd(screen, 0.4)
    drawn = {label["id"] for label in screen.js("kg.drawnLabels()")}
    concepts = screen.js("kg.data.nodes.filter(n => n.group === 'concept').map(n => n.id)")
    left_out = [concept for concept in concepts if concept not in drawn]
    assert left_out, "every concept's name fits: nothing to select"
    # One that a click on its middle reaches (zoomed out, markers can lie on one another).
    left_out = [
        concept
        for concept in left_out
        if screen.js(
            "id => network.getNodeAt(network.canvasToDOM(network.getPosition(id)))", concept
        )
        == concept
    ]
    assert left_out
    box = screen.page.locator("#map canvas").bounding_box()
    point = screen.js("id => network.canvasToDOM(network.getPosition(id))", left_out[0])
    screen.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert screen.panel_node() == left_out[0]
    assert screen.overlaps("selected") == []
    assert left_out[0] in {label["id"] for label in screen.js("kg.drawnLabels()")}


def test_no_labels_meet_in_any_story_step(screen):
    stories = screen.js("kg.stories()")
    assert stories
    for story in stories:
        for number, title in enumerate(story["steps"], 1):
            screen.js("([name, step]) => kg.story(name, step)", [story["id"], number])
            assert screen.overlaps(f"{story['id']} step {number}") == [], title
    screen.js("kg.story(null)")


def names_drawn_and_given(screen) -> tuple[dict[str, str], dict[str, str]]:
    """The concept and objective names drawn now, and those the map's data gives, by node."""
    drawn = {
        label["id"]: label["text"]
        for label in screen.js("kg.drawnLabels()")
        if label["kind"] in ("concept", "objective")
    }
    names = {
        node["id"]: node["label"]
        for node in screen.js("kg.nodes.get()")
        if node["group"] in ("concept", "objective")
    }
    return drawn, names


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
def test_every_name_is_whole_on_the_whole_workshop_map(request, screen, presenter):
    """Concept and objective names are drawn as the data gives them: none shortened, none hidden."""
    if presenter and screen.viewport["width"] == 1280:
        # The layout's middle is too crowded for presenter-sized names at 1280x720: one name
        # (Transformation and meaning-making) still finds no room within the nudges allowed.
        request.applymarker(pytest.mark.xfail(strict=True, reason="one name still shortened"))
    if presenter:
        screen.js("kg.setPresenter(true)")
    assert screen.overlaps("whole map") == []
    drawn, names = names_drawn_and_given(screen)
    assert drawn == names
    assert screen.js("kg.lastPlacement()")["shortened"] == 0


@pytest.mark.parametrize(
    "viewport", SCREENS, ids=lambda screen: f"{screen['width']}x{screen['height']}"
)
def test_every_name_is_whole_on_the_shipped_map_in_its_own_layout(browser, shipped_map, viewport):
    screen = Screen(browser, shipped_map, viewport)
    assert screen.overlaps("whole map") == []
    drawn, names = names_drawn_and_given(screen)
    assert drawn == names
    screen.page.close()


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
def test_the_toolbar_keeps_the_title_and_the_story_whole_on_one_row(screen, presenter):
    if presenter:
        screen.js("kg.setPresenter(true)")
    screen.js("kg.story(kg.data.stories[0].id, 1)")
    screen.settle()
    bar = screen.js(
        """() => {
          const fits = (picker, text) => {
            // The text, the select's padding and its arrow (20 px) within its width.
            const style = getComputedStyle(picker);
            const context = document.createElement('canvas').getContext('2d');
            context.font = style.fontSize + ' ' + style.fontFamily;
            return context.measureText(text).width + parseFloat(style.paddingLeft)
              + parseFloat(style.paddingRight) + 20 <= picker.clientWidth;
          };
          const title = document.querySelector('#map-title');
          const picker = document.querySelector('#story');
          const chosen = picker.options[picker.selectedIndex];
          const tops = [...document.querySelectorAll('.bar > :not([hidden])')]
            .map(part => part.getBoundingClientRect()).map(box => box.top + box.height / 2);
          return {title: title.textContent, overflow: title.scrollWidth - title.clientWidth,
                  chosen: chosen.text, hover: chosen.title, fits: fits(picker, chosen.text),
                  wide: document.querySelector('.bar').scrollWidth - document.querySelector('.bar').clientWidth,
                  oneRow: Math.max(...tops) - Math.min(...tops) < 4};
        }"""
    )
    assert bar == {
        "title": "Vicarious resilience",
        "overflow": 0,
        "chosen": "The two-hour workshop",
        "hover": "Vicarious resilience: the two-hour workshop (8 steps)",
        "fits": True,
        "wide": 0,
        "oneRow": True,
    }
