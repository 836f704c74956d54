"""The concept map in real Chromium: it draws, works offline, and treats all text as data."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from kg.graph import build_graph
from kg.render import write_map
from tests.conftest import need

from .conftest import build_corpus

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shipped_map(tmp_path_factory):
    """The workshop's map, rendered from the shipped sources."""
    import kg

    root = Path(__file__).resolve().parents[2]
    bib, concepts = root / "references.bib", root / "concepts.yaml"
    need(bib.exists() and concepts.exists(), "the shipped references.bib and concepts.yaml")
    corpus = kg.load(bib, concepts)
    path = tmp_path_factory.mktemp("shipped") / "concept-map.html"
    write_map(corpus, path)
    return path, build_graph(corpus)


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    """A map whose every text field tries to run script."""
    corpus = build_corpus()
    path = tmp_path_factory.mktemp("hostile") / "map.html"
    write_map(corpus, path)
    return path, build_graph(corpus)


class Page:
    """A loaded map, with what it requested and logged."""

    viewport: ClassVar[dict[str, int]] = {"width": 1400, "height": 900}

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport=self.viewport)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda message: (
                message.type in ("error", "warning") and self.errors.append(message.text)
            ),
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.kgReady === true", timeout=20_000)

    def js(self, expression: str, argument=None):
        return self.page.evaluate(expression, argument)

    def settle(self) -> None:
        """Wait until no animation moves the view or the nodes (a busy machine draws late)."""
        self.page.wait_for_function("() => kg.isSettled()", timeout=20_000)

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Centre the view on a node and return its position on the page."""
        self.settle()
        self.js(
            "id => network.moveTo({position: network.getPosition(id), scale: 1.3, animation: false})",
            node_id,
        )
        box = self.page.locator("#map canvas").bounding_box()
        point = self.js("id => network.canvasToDOM(network.getPosition(id))", node_id)
        return box["x"] + point["x"], box["y"] + point["y"]

    def empty_point(self) -> tuple[float, float]:
        """A point on the canvas with no node under it."""
        box = self.page.locator("#map canvas").bounding_box()
        point = self.js(
            """([width, height]) => {
              for (let y = height - 10; y > 10; y -= 23) {
                for (let x = width - 10; x > 10; x -= 29) {
                  if (network.getNodeAt({x, y}) === undefined && network.getEdgeAt({x, y}) === undefined) return {x, y};
                }
              }
              return null;
            }""",
            [box["width"], box["height"]],
        )
        return box["x"] + point["x"], box["y"] + point["y"]

    def panel_node(self):
        return self.js(
            "document.getElementById('panel').hidden ? null : document.getElementById('panel').dataset.node"
        )


@pytest.fixture(scope="module")
def shipped(browser, shipped_map):
    page = Page(browser, shipped_map[0])
    yield page, shipped_map[1]
    page.page.close()


def test_every_node_is_drawn_without_network_or_errors(shipped):
    page, graph = shipped
    assert page.js("network.body.data.nodes.length") == graph.number_of_nodes()
    assert page.js("network.body.data.edges.length") == graph.number_of_edges()
    assert page.js("Object.keys(network.body.nodes).length") == graph.number_of_nodes()
    shown = page.js("network.body.data.nodes.get().filter(node => !node.hidden).length")
    assert page.js("Object.keys(network.getPositions()).length") == shown
    assert shown >= graph.number_of_nodes() - sum(
        1 for n in graph if graph.nodes[n]["kind"] == "author"
    )
    assert page.js("document.title") == graph.graph["title"]
    assert [url for url in page.requests if not url.startswith("file://")] == []
    assert page.errors == []


def test_search_by_alias_author_and_key_focuses_the_node(shipped):
    page, graph = shipped
    search = page.page.locator("#search")
    concept = next(
        n
        for n in sorted(graph)
        if graph.nodes[n].get("kind") == "concept" and graph.nodes[n].get("aliases")
    )
    alias = graph.nodes[concept]["aliases"].split("; ")[0]
    paper = next(n for n in sorted(graph) if graph.nodes[n].get("kind") == "paper")
    key = graph.nodes[paper]["key"]
    for query, expected in ((alias, concept), (key, paper)):
        search.fill(query)
        assert page.page.locator("#search-results li").count() >= 1
        search.press("Enter")
        assert page.js("network.getSelectedNodes()") == [expected]
        assert page.panel_node() == expected
    search.fill("Gangsei")
    labels = page.page.locator("#search-results li").all_inner_texts()
    assert any("Gangsei" in label for label in labels)
    search.fill("zzzz-nothing-like-this")
    assert page.page.locator("#search-results li").all_inner_texts() == ["Nothing matches"]
    search.press("Escape")


def test_kind_checkboxes_hide_and_show_nodes(shipped):
    page, graph = shipped
    papers = [n for n in graph if graph.nodes[n]["kind"] == "paper"]
    hidden = "ids => ids.filter(id => network.body.nodes[id].options.hidden).length"
    page.page.locator('.kind-filter[value="paper"]').uncheck()
    assert page.js(hidden, papers) == len(papers)
    page.page.locator('.kind-filter[value="paper"]').check()
    assert page.js(hidden, papers) == 0
    authors = [n for n in graph if graph.nodes[n]["kind"] == "author"]
    initially_hidden = page.js(hidden, authors)
    assert initially_hidden in (0, len(authors))
    page.page.locator('.kind-filter[value="author"]').set_checked(initially_hidden == len(authors))
    assert page.js(hidden, authors) == len(authors) - initially_hidden
    page.page.locator('.kind-filter[value="author"]').set_checked(initially_hidden == 0)


def test_objective_picker_and_tour_highlight_and_dim(shipped):
    page, graph = shipped
    objectives = sorted(n for n in graph if graph.nodes[n]["kind"] == "objective")
    first = objectives[0]
    page.page.locator("#objective").select_option(first)
    assert page.panel_node() == first
    related = set(graph.successors(first)) | set(graph.predecessors(first)) | {first}
    opacity = "id => network.body.nodes[id].options.opacity ?? 1"
    assert all(
        page.js(opacity, node) == 1 for node in related if graph.nodes[node]["kind"] != "author"
    )
    unrelated = [n for n in graph if n not in related and graph.nodes[n]["kind"] == "concept"]
    assert unrelated and page.js(opacity, unrelated[0]) < 0.5
    # The panel lists the papers in the ranking model's order, best evidence first.
    from kg.query import papers_for_objective

    listed = page.js(
        'Array.from(document.querySelectorAll("#panel section li > button.node-link"))'
        ".map(b => b.dataset.node).filter(id => id.startsWith('paper:'))"
    )
    assert listed == [f"paper:{match.key}" for match in papers_for_objective(graph, first)]
    # The tour starts at the objective picked, and moves on from there.
    page.page.locator("#tour").click()
    assert page.js("document.getElementById('objective').value") == first
    page.page.locator("#tour-next").click()
    assert page.js("document.getElementById('objective').value") == objectives[1]
    assert page.panel_node() == objectives[1]
    page.page.locator("#fit").click()
    assert page.js(opacity, unrelated[0]) == 1
    assert page.panel_node() is None


def test_searching_for_a_node_outside_the_objective_shows_the_whole_map(shipped):
    page, graph = shipped
    objective = sorted(n for n in graph if graph.nodes[n]["kind"] == "objective")[0]
    page.page.locator("#objective").select_option(objective)
    related = set(graph.successors(objective)) | set(graph.predecessors(objective))
    related |= {
        paper for concept in graph.successors(objective) for paper in graph.predecessors(concept)
    }
    outside = next(
        n for n in sorted(graph) if graph.nodes[n]["kind"] == "paper" and n not in related
    )
    search = page.page.locator("#search")
    search.fill(graph.nodes[outside]["key"])
    search.press("Enter")
    assert page.js("network.getSelectedNodes()") == [outside]
    assert page.js("document.getElementById('objective').value") == ""
    assert page.js("id => network.body.nodes[id].options.opacity ?? 1", outside) == 1
    search.press("Escape")


def test_panel_links_move_to_the_named_node(shipped):
    page, graph = shipped
    concept = next(
        n for n in sorted(graph) if graph.nodes[n]["kind"] == "concept" and graph.in_degree(n)
    )
    page.js("id => kg.goTo(id)", concept)
    link = page.page.locator("#panel button.node-link").first
    target = link.get_attribute("data-node")
    link.click()
    assert page.panel_node() == target
    assert page.js("network.getSelectedNodes()") == [target]


def test_paper_panel_shows_citation_and_doi(shipped):
    page, graph = shipped
    paper = next(
        n for n in sorted(graph) if graph.nodes[n]["kind"] == "paper" and graph.nodes[n].get("doi")
    )
    page.js("id => kg.goTo(id)", paper)
    assert page.page.locator("#panel .citation").inner_text().strip()
    href = page.page.locator("#panel a").first.get_attribute("href")
    assert href == "https://doi.org/" + graph.nodes[paper]["doi"]


def test_hovering_dims_all_but_the_neighbourhood(shipped):
    page, graph = shipped
    node = max(
        sorted(graph), key=lambda n: graph.degree(n) if graph.nodes[n]["kind"] == "concept" else -1
    )
    x, y = page.node_point(node)
    page.page.mouse.move(x - 3, y - 3)
    page.page.mouse.move(x, y)  # a move onto the node, not only a position, makes the hover
    page.page.wait_for_function("id => network.body.nodes[id].hover === true", arg=node)
    far = next(
        n
        for n in sorted(graph)
        if n != node and not graph.has_edge(n, node) and not graph.has_edge(node, n)
    )
    assert page.js("id => network.body.nodes[id].options.opacity ?? 1", far) < 0.5
    page.page.mouse.move(*page.empty_point())
    page.page.wait_for_function(
        "id => (network.body.nodes[id].options.opacity ?? 1) === 1", arg=far
    )


def test_list_view_is_a_keyboard_navigable_table(shipped):
    page, graph = shipped
    page.page.locator("#list-toggle").click()
    assert page.page.locator("#list-view").is_visible()
    assert page.page.locator("#list-table tbody tr").count() == graph.number_of_nodes()
    focused = page.js("document.activeElement.dataset.node")
    assert focused in graph
    page.page.keyboard.press("Tab")  # to the first "linked to" button of the row
    target = page.js("document.activeElement.dataset.node")
    assert target in graph and (graph.has_edge(focused, target) or graph.has_edge(target, focused))
    page.page.keyboard.press("Enter")  # moves to the linked node's row
    assert page.page.locator("#list-view").is_visible()
    assert page.js("document.activeElement.closest('tr').id") == "row-" + target
    page.page.keyboard.press("Enter")  # the row's name goes to the node on the map
    assert not page.page.locator("#list-view").is_visible()
    assert page.panel_node() == target


def test_hostile_text_never_runs(browser, hostile_map):
    path, graph = hostile_map
    page = Page(browser, path)
    try:
        assert page.js("typeof window.__xss") == "undefined"
        page.js("kg.setKindVisible('author', true)")
        for node in sorted(graph):
            x, y = page.node_point(node)
            page.page.mouse.move(x, y)
            page.page.mouse.click(x, y)
            assert page.panel_node() == node
        x, y = page.node_point("concept:vicarious-trauma")
        page.page.mouse.move(*page.empty_point())
        page.page.mouse.move(x, y)
        tooltip = page.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible")
        assert tooltip.text_content().startswith(
            "Vicarious trauma <img src=x onerror=window.__xss=1>"
        )
        assert (
            tooltip.locator(":not(br)").count() == 0
        )  # plain text: innerText makes only line breaks
        page.page.locator("#list-toggle").click()
        page.page.locator("#search").fill("img")
        assert page.page.locator("#search-results li").count() >= 1
        assert page.js("typeof window.__xss") == "undefined"
        assert page.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.js("document.scripts.length") == 3
        page.js("id => kg.showPanel(id)", "paper:engstrom2008vicarious")
        assert page.js("[...document.querySelectorAll('#panel a')].map(a => a.href)") == []
        assert page.js("document.getElementById('map-title').textContent") == graph.graph["title"]
        assert [url for url in page.requests if not url.startswith("file://")] == []
        assert page.errors == []
    finally:
        page.page.close()
