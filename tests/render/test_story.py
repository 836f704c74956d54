"""Telling a story with the map, in Chromium at projector sizes: every step legible and clear of
the overlays, the clicker's keys, the address of a step, and the presenter console in a second
window that follows the first, all from the file on disk."""

from __future__ import annotations

import pytest

from kg.model import Story, StoryStep
from kg.render import write_map

from .conftest import IMG_PAYLOAD, SCRIPT_PAYLOAD, build_corpus
from .test_projector import FOCUS_LABEL_PX, Projector

pytestmark = pytest.mark.browser


#: The drawn box of each node (marker and label), on the page.
DRAWN = """
(ids) => {
  const canvas = document.querySelector('#map canvas').getBoundingClientRect();
  return ids.map(id => {
    const box = network.getBoundingBox(id);
    const a = network.canvasToDOM({x: box.left, y: box.top}), b = network.canvasToDOM({x: box.right, y: box.bottom});
    return {id, left: canvas.left + a.x, top: canvas.top + a.y, right: canvas.left + b.x, bottom: canvas.top + b.y};
  });
}
"""


def reveal_all(page) -> dict:
    """Reveal every node of the current step; its state then."""
    current = page.js("kg.current()")
    step = page.js("n => kg.data.stories[0].steps[n - 1]", current["step"])
    for _ in step["reveal"]:
        current = page.js("kg.next()")
    return current


def assert_step_is_shown_well(page, current: dict) -> None:
    """Every node of the step inside the map, uncovered, its whole drawing in view and on no
    other's, labels ≥ 14 px."""
    page.settle()
    placed = page.measure(current["focus"])
    assert [(p["id"], round(p["label"], 1)) for p in placed if p["label"] < FOCUS_LABEL_PX] == []
    assert [(p["id"], p["under"]) for p in placed if p["under"] or not p["inside"]] == []
    canvas = page.page.locator("#map canvas").bounding_box()
    legend = page.page.locator("#legend").bounding_box()
    boxes = page.js(DRAWN, current["focus"])
    # No node's drawing (marker and label) on another's.
    overlaps = [(a["id"], b["id"]) for n, a in enumerate(boxes) for b in boxes[n + 1 :]
                if a["left"] < b["right"] and b["left"] < a["right"]
                and a["top"] < b["bottom"] and b["top"] < a["bottom"]]  # fmt: skip
    assert overlaps == []
    for box in boxes:
        assert (
            box["left"] >= canvas["x"] - 1 and box["right"] <= canvas["x"] + canvas["width"] + 1
        ), box
        assert (
            box["top"] >= canvas["y"] - 1 and box["bottom"] <= canvas["y"] + canvas["height"] + 1
        ), box
        beside = (
            box["left"] >= legend["x"] + legend["width"]
            or box["top"] >= legend["y"] + legend["height"]
        )
        assert beside, f"{box['id']} is under the legend"


class Wide(Projector):
    viewport = {"width": 1920, "height": 1080}  # noqa: RUF012


@pytest.mark.parametrize("screen", [Projector, Wide], ids=["1280x720", "1920x1080"])
@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
def test_every_step_of_the_workshop_story_is_on_screen_uncovered_and_legible(
    browser, shipped_map, screen, presenter
):
    page = screen(browser, shipped_map)
    try:
        if presenter:
            page.js("kg.setPresenter(true)")
        stories = page.js("kg.stories()")
        assert [story["id"] for story in stories] == ["workshop"]
        for number in range(1, len(stories[0]["steps"]) + 1):
            current = page.js("n => kg.story('workshop', n)", number)
            assert current["step"] == number
            assert_step_is_shown_well(page, current)
            assert_step_is_shown_well(page, reveal_all(page))
        assert page.errors == []
    finally:
        page.page.close()


@pytest.fixture
def projector(browser, shipped_map):
    page = Projector(browser, shipped_map)
    yield page
    page.page.close()


def test_a_presentation_clicker_drives_the_story(projector):
    page = projector
    page.page.locator("#story").select_option("workshop")
    page.settle()
    assert page.js("kg.current()")["step"] == 1
    assert (
        page.page.locator("#story-heading").inner_text() == "Witnessing trauma, and what it costs"
    )
    first = page.js("kg.current()")
    keyboard = page.page.keyboard
    keyboard.press("ArrowRight")  # reveals the first paper of the step
    assert page.js("kg.current()")["revealed"] == 1
    assert len(page.js("kg.current()")["focus"]) == len(first["focus"]) + 1
    for _ in range(3):
        keyboard.press("PageDown")
    assert (page.js("kg.current()")["step"], page.js("kg.current()")["revealed"]) == (2, 0)
    keyboard.press("PageUp")  # back to the previous step, all of it revealed
    assert (page.js("kg.current()")["step"], page.js("kg.current()")["revealed"]) == (1, 3)
    keyboard.press("ArrowLeft")
    assert page.js("kg.current()")["revealed"] == 2
    keyboard.press("b")
    assert page.page.locator("#blank").is_visible()
    keyboard.press("ArrowRight")  # the first key after a blank brings the map back, nothing else
    assert not page.page.locator("#blank").is_visible()
    assert page.js("kg.current()")["revealed"] == 2
    keyboard.press("B")
    keyboard.press("B")
    assert not page.page.locator("#blank").is_visible()
    keyboard.press("Home")
    assert (page.js("kg.current()")["step"], page.js("kg.current()")["revealed"]) == (1, 0)
    keyboard.press("Escape")
    page.settle()
    assert page.js("kg.current()") is None
    assert page.js("location.hash") == ""
    assert page.page.locator("#story-bar").is_hidden()
    # The whole map again: every concept and objective in view, uncovered.
    names = page.js(
        "kg.data.nodes.filter(n => n.group === 'concept' || n.group === 'objective').map(n => n.id)"
    )
    placed = page.measure(names)
    assert [(p["id"], p["under"]) for p in placed if p["under"] or not p["inside"]] == []
    assert page.errors == []


def test_each_step_has_an_address_to_resume_from(browser, shipped_map, projector):
    page = projector
    page.js("kg.story('workshop', 4)")
    assert page.js("location.hash") == "#story=workshop&step=4"
    page.js("kg.next()")
    assert page.js("location.hash") == "#story=workshop&step=4"  # a reveal stays on the step
    resumed = Projector(browser, shipped_map)
    try:
        resumed.page.goto("about:blank")
        resumed.page.goto(shipped_map.as_uri() + "#story=workshop&step=5")
        resumed.page.wait_for_function("() => window.kgReady === true")
        current = resumed.js("kg.current()")
        assert (current["story"], current["step"], current["revealed"]) == ("workshop", 5, 0)
        assert resumed.page.locator("#story-heading").inner_text() == "Context and positionality"
        assert_step_is_shown_well(resumed, current)
    finally:
        resumed.page.close()


def console_text(console, selector: str) -> str:
    return console.locator(selector).inner_text()


def test_the_presenter_console_follows_the_map_from_the_file_on_disk(browser, shipped_map):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        main = context.new_page()
        main.goto(shipped_map.as_uri() + "#story=workshop&step=4")
        main.wait_for_function("() => window.kgReady === true")
        assert main.url.startswith("file://")
        with context.expect_page() as opened:
            main.locator("#story-console").click()
        console = opened.value
        assert console.url == shipped_map.as_uri() + "#console"
        console.wait_for_function(
            "() => document.querySelector('.console-title')?.textContent === 'Mutuality, the influence that runs both ways'"
        )
        assert console_text(console, ".console-position") == "Step 4 of 8"
        assert console_text(console, ".console-next") == "Reveal Jordan (2000)"
        assert console_text(console, ".console-then") == "Then step 5: Context and positionality"
        assert console.locator(".console-notes strong").first.inner_text() == "15 minutes."
        assert console.locator(".console-notes li").count() == 2
        assert console.locator(".console-elapsed").inner_text().endswith("elapsed")
        # The map's window moves on: the console follows.
        main.keyboard.press("ArrowRight")
        console.wait_for_function(
            "() => document.querySelector('.console-reveal').textContent === '1 of 3 revealed'"
        )
        main.evaluate("kg.story('workshop', 6)")
        console.wait_for_function(
            "() => document.querySelector('.console-title').textContent === 'Self-care is a necessity, not a luxury'"
        )
        main.keyboard.press("ArrowLeft")
        console.wait_for_function(
            "() => document.querySelector('.console-title').textContent === 'Context and positionality'"
        )
        assert console_text(console, ".console-reveal") == "3 of 3 revealed"
        assert console_text(console, ".console-next") == "Self-care is a necessity, not a luxury"
        # The presenter steps from the console: the map's window moves.
        console.locator(".console-controls button", has_text="Next").click()
        main.wait_for_function("() => kg.current().step === 6")
        console.keyboard.press("ArrowRight")
        main.wait_for_function("() => kg.current().revealed === 1")
        console.keyboard.press("b")
        main.wait_for_function("() => !document.getElementById('blank').hidden")
        console.wait_for_function(
            "() => document.querySelector('.console-position').textContent.includes('screen blank')"
        )
        main.keyboard.press("Escape")
        console.wait_for_function(
            "() => document.querySelector('.console-title').textContent === 'No story is being told'"
        )
        assert all(url.startswith("file://") for url in requests), requests
    finally:
        context.close()


def test_speaker_notes_are_built_as_text_never_as_markup(browser, tmp_path):
    corpus = build_corpus()
    corpus.stories = {
        "demo": Story(
            "demo",
            f"Demo {SCRIPT_PAYLOAD}",
            [
                StoryStep(
                    f"One {IMG_PAYLOAD}",
                    focus=["concept:self-care"],
                    notes=f"**Say** {IMG_PAYLOAD}\n\n{SCRIPT_PAYLOAD}",
                ),
                StoryStep("Two", focus=["concept:vicarious-resilience"]),
            ],
        )
    }
    path = tmp_path / "map.html"
    write_map(corpus, path)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        # Opened on its own (no map's window), the console steps through the story by itself.
        page.goto(path.as_uri() + "#console&story=demo&step=1")
        page.wait_for_function("() => document.querySelector('.console-title')")
        assert page.locator(".console-title").inner_text() == f"One {IMG_PAYLOAD}"
        assert (
            page.locator(".console-notes").inner_text() == f"Say {IMG_PAYLOAD}\n\n{SCRIPT_PAYLOAD}"
        )
        assert page.locator(".console-notes strong").inner_text() == "Say"
        assert page.locator("#console img, #console script").count() == 0
        assert (
            page.locator(".console-link").inner_text()
            == "The map's window is closed: this console steps on its own."
        )
        page.keyboard.press("ArrowRight")
        assert page.locator(".console-title").inner_text() == "Two"
        assert page.locator(".console-notes").inner_text() == "No notes for this step."
        assert page.evaluate("window.__xss") is None
    finally:
        page.close()


def test_the_tour_starts_at_the_first_objective_or_says_it_continues_from_the_picked_one(projector):
    page = projector
    tour = page.page.locator("#tour")
    assert tour.inner_text() == "Tour ▶"
    tour.click()
    page.settle()
    assert (tour.inner_text(), page.js("document.getElementById('objective').value")) == (
        "1 of 8",
        "objective:1a",
    )
    page.page.keyboard.press("Escape")
    page.page.locator("#objective").select_option("objective:2b")
    page.settle()
    assert tour.inner_text() == "Tour from 2b ▶"
    tour.click()
    page.settle()
    assert (tour.inner_text(), page.js("document.getElementById('objective').value")) == (
        "5 of 8",
        "objective:2b",
    )
    page.page.keyboard.press("ArrowRight")
    assert tour.inner_text() == "6 of 8"
    page.page.keyboard.press("Escape")
    page.settle()
    assert tour.inner_text() == "Tour ▶"
    # Escape frames the whole map again: every node of it in view.
    ids = page.js("kg.data.nodes.filter(n => !n.hidden).map(n => n.id)")
    canvas = page.page.locator("#map canvas").bounding_box()
    outside = [box["id"] for box in page.js(DRAWN, ids)
               if box["top"] < canvas["y"] - 1 or box["bottom"] > canvas["y"] + canvas["height"] + 1
               or box["left"] < canvas["x"] - 1 or box["right"] > canvas["x"] + canvas["width"] + 1]  # fmt: skip
    assert outside == []


def test_printing_an_objective_keeps_apa_italics_and_whole_list_numbers(projector):
    page = projector
    counts = page.js("kg.data.objectives.map(id => [id, kg.data.details[id].papers.length])")
    objective = max(counts, key=lambda pair: pair[1])[0]
    assert max(count for _, count in counts) >= 10
    page.js("id => kg.pickObjective(id)", objective)
    page.settle()
    page.page.emulate_media(media="print")
    page.js("kg.beforePrint()")
    italics = page.js(
        "Array.from(document.querySelectorAll('#print-sheet .citation i')).map(i => i.textContent)"
    )
    assert "Family Process" in italics
    # The widest number's marker fits in the list's indent: "10." and "11." print whole.
    fits = page.js("""() => {
      const list = document.querySelector('#print-sheet ol');
      const style = getComputedStyle(list);
      const context = document.createElement('canvas').getContext('2d');
      context.font = style.fontSize + ' ' + style.fontFamily;
      return [parseFloat(style.paddingLeft), context.measureText(list.children.length + '. ').width];
    }""")
    assert fits[0] >= fits[1], fits
    page.js("kg.afterPrint()")
    page.page.emulate_media(media="screen")


@pytest.mark.parametrize("presenter", [False, True], ids=["normal", "presenter"])
def test_the_bar_fits_and_so_does_the_search_placeholder(projector, presenter):
    page = projector
    if presenter:
        page.js("kg.setPresenter(true)")
    page.page.locator("#objective").select_option("objective:1b")  # "Tour from 1b ▶", the widest
    page.settle()
    assert page.page.locator("#tour").inner_text() == "Tour from 1b ▶"
    for state in ("picked", "touring"):
        right = page.js(
            "Math.max(...Array.from(document.querySelectorAll('.bar > *')).map(e => e.getBoundingClientRect().right))"
        )
        assert right <= page.js("innerWidth"), (state, right)
        fits = page.js(PLACEHOLDER_ROOM)
        assert fits[0] <= fits[1], (state, fits)
        page.page.locator("#tour").click()
        page.settle()


PLACEHOLDER_ROOM = """() => {
  const input = document.getElementById('search');
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.fontSize + ' ' + style.fontFamily;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [context.measureText(input.placeholder).width, room];
}"""


def test_nodes_show_a_pointer(projector):
    page = projector
    page.settle()
    x, y = page.node_point("concept:self-care")
    page.page.mouse.move(x, y)
    page.page.wait_for_function("() => document.getElementById('map').style.cursor === 'pointer'")
    page.page.mouse.move(*page.empty_point())
    page.page.wait_for_function("() => document.getElementById('map').style.cursor === ''")
