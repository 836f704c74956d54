"""``kg render --since``: the map marks exactly what is new or changed, in real Chromium."""

from __future__ import annotations

import pytest

from tests.conftest import run_kg
from tests.render.test_browser import Page
from tests.workshop_history import workshop_history

pytestmark = pytest.mark.browser

#: What the term's edits (tests/workshop_history.py) add to the map, and what they change.
NEW = ["author:norcross-jc", "author:vandenbos-gr", "paper:norcross2018leaving"]
CHANGED = [
    "concept:burnout",  # reworded
    "concept:self-care",  # links to Norcross added, to Killian re-rated
    "objective:3b",  # a link added, and its answer changed
    "paper:bordin1979working",  # renamed
    "paper:killian2017development",  # its link re-rated
]


def _render(folder, *options) -> None:
    result = run_kg(
        "render", "-q", "--bib", str(folder / "references.bib"),
        "--concepts", str(folder / "concepts.yaml"), "-o", str(folder / "map.html"), *options,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workshop")
    commit = workshop_history(folder, tmp_path_factory.mktemp("pasted") / "norcross.bib")
    return folder, commit


@pytest.fixture(scope="module")
def since_page(browser, project):
    folder, commit = project
    _render(folder, "--since", "HEAD~1")  # read from the repository the sources are in
    page = Page(browser, folder / "map.html")
    yield page, commit
    page.page.close()


def test_the_map_marks_exactly_the_new_and_changed_nodes(since_page):
    page, _commit = since_page
    assert page.js("kg.since.marked()") == sorted(NEW + CHANGED)
    statuses = page.js("kg.data.since.nodes")
    assert sorted(node for node, mark in statuses.items() if mark["status"] == "new") == NEW
    assert sorted(node for node, mark in statuses.items() if mark["status"] == "changed") == CHANGED
    # Authors start hidden: their marks are drawn once they are shown.
    page.settle()
    assert page.js("kg.since.drawn()") == sorted(
        n for n in NEW + CHANGED if not n.startswith("author:")
    )
    page.js("kg.setKindVisible('author', true)")
    page.js("network.redraw()")
    assert sorted(page.js("kg.since.drawn()")) == sorted(NEW + CHANGED)
    page.js("kg.setKindVisible('author', false)")
    assert page.errors == []


def test_the_badge_is_drawn_where_the_mark_is(since_page):
    page, _commit = since_page
    page.settle()
    page.js(
        "() => network.moveTo({position: network.getPosition('concept:burnout'), scale: 1.2, animation: false})"
    )
    page.js("network.redraw()")
    colour = page.js(
        """() => {
          const box = network.getBoundingBox('concept:burnout');
          const corner = network.canvasToDOM({x: box.right, y: box.top});
          const canvas = document.querySelector('#map canvas');
          const ratio = canvas.width / canvas.clientWidth;
          const pixel = canvas.getContext('2d').getImageData(
            Math.round((corner.x + 3) * ratio), Math.round((corner.y - 5) * ratio), 1, 1).data;
          return [pixel[0], pixel[1], pixel[2]];
        }"""
    )
    assert colour == [0xE6, 0x9F, 0x00]


def test_legend_and_panels_say_what_changed(since_page):
    page, commit = since_page
    legend = page.page.locator("#since-legend").inner_text()
    assert (
        page.page.locator("#legend-body h2").last.inner_text().lower() == f"since head~1 ({commit})"
    )
    assert "new 3" in " ".join(legend.split()) and "changed (its panel says what) 5" in " ".join(
        legend.split()
    )
    page.js("kg.goTo('paper:killian2017development')")
    note = page.page.locator("#panel .since-note").inner_text()
    assert note.splitlines() == [
        f"CHANGED SINCE HEAD~1 ({commit.upper()})",  # headings are set in capitals
        "evidence link changed: Self-care → Killian et al. (2017) (strength: weak → inferred)",
    ]
    page.js("kg.goTo('concept:burnout')")
    assert (
        "definition now: Exhaustion, a cynical distance"
        in page.page.locator("#panel .since-note").inner_text()
    )
    page.js("kg.goTo('paper:norcross2018leaving')")
    assert page.page.locator("#panel .since-note li").count() == 0
    assert (
        page.page.locator("#panel .since-note h3").inner_text().lower()
        == f"new since head~1 ({commit})"
    )
    page.js("kg.goTo('concept:vicarious-resilience')")
    assert page.page.locator("#panel .since-note").count() == 0


def test_whats_new_is_the_tours_first_stop(since_page):
    page, commit = since_page
    page.page.locator("#fit").click()
    page.page.locator("#tour").click()
    assert page.js("document.getElementById('objective').value") == "whats-new"
    assert page.page.locator("#tour").inner_text() == "1 of 9"
    assert page.panel_node() == "whats-new"
    assert page.page.locator("#panel h2").inner_text() == f"What's new since HEAD~1 ({commit})"
    assert sorted(page.js("kg.focusIds()")) == sorted(
        n for n in NEW + CHANGED if not n.startswith("author:")
    )
    opacity = "id => network.body.nodes[id].options.opacity ?? 1"
    assert (
        page.js(opacity, "concept:burnout") == 1 and page.js(opacity, "concept:empowerment") < 0.5
    )
    page.js("kg.toggleList(true)")
    caption = page.page.locator("#list-table caption").inner_text()
    assert (
        caption
        == f"What's new since HEAD~1 ({commit}) (8 of 85 nodes; choose All to list every node)"
    )
    assert page.page.locator("#list-table tbody tr:not([hidden])").count() == len(NEW + CHANGED)
    page.js("kg.toggleList(false)")
    page.page.locator("#tour-next").click()
    assert page.js("document.getElementById('objective').value") == "objective:1a"
    assert page.page.locator("#tour").inner_text() == "2 of 9"
    page.page.locator("#tour-previous").click()
    assert page.panel_node() == "whats-new"
    page.page.keyboard.press("Escape")
    assert page.js("document.getElementById('objective').value") == ""
    assert page.js(opacity, "concept:empowerment") == 1
    assert page.errors == []


def test_without_since_nothing_is_marked(browser, project):
    folder, _commit = project
    _render(folder)
    page = Page(browser, folder / "map.html")
    try:
        assert page.js("kg.since.marked()") == []
        assert page.page.locator("#since-legend").count() == 0
        assert page.page.locator("#objective option[value='whats-new']").count() == 0
        page.page.locator("#tour").click()
        assert page.js("document.getElementById('objective').value") == "objective:1a"
        assert page.errors == []
    finally:
        page.page.close()


def test_no_badge_covers_a_label(since_page):
    """The badges are obstacles to the label placement: no label but its own node's meets one."""
    page, _commit = since_page
    for view in ["kg.pickObjective(null)", "kg.since.showWhatsNew()", "kg.setPresenter(true)"]:
        page.js(view)
        page.settle()
        page.page.wait_for_function("() => kg.isSettled()", timeout=20_000)
        badges = page.js("kg.since.badges()")
        assert len(badges) == len(page.js("kg.since.drawn()")) > 0, view
        frame = page.js(
            "(() => { const r = document.querySelector('#map canvas').getBoundingClientRect(); return [r.left, r.top]; })()"
        )
        covered = [
            (badge["owner"], label["id"])
            for badge in badges
            for label in page.js("kg.drawnLabels()")
            if label["id"] != badge["owner"]
            and label["left"] - frame[0] < badge["right"]
            and badge["left"] < label["right"] - frame[0]
            and label["top"] - frame[1] < badge["bottom"]
            and badge["top"] < label["bottom"] - frame[1]
        ]
        assert covered == [], view
