"""A large bibliography's map opens as its clusters; a click, zooming in or a search opens one.

The bibliography is made up: 24 teams of six authors, each writing 45
papers three authors at a time, so that the map has 1,080 papers in one or
two clusters a team, past the size from which a map opens as clusters.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re

import pytest

from kg.graph import build_graph
from kg.render import page_json, unpack_page_json, write_map
from kg.render.page import page_data
from kg.sources import load

TEAMS = 24
PAPERS_PER_TEAM = 45
WORDS = ("memory", "cortex", "sleep", "attention", "language", "vision", "reward", "motor")


def lab_bibliography() -> str:
    """BibTeX of :data:`TEAMS` teams' papers, each by three authors of its team."""
    entries = []
    for team in range(TEAMS):
        people = [f"Person{team}x{member}, Given{member}" for member in range(6)]
        for number in range(PAPERS_PER_TEAM):
            names = " and ".join(people[(number + step) % 6] for step in (0, 1, 3))
            topic = WORDS[(team + number) % len(WORDS)]
            entries.append(
                f"@article{{t{team}p{number},\n  author = {{{names}}},\n"
                f"  title = {{Study {number} of {topic} by team {team}}},\n"
                f"  journal = {{Journal {team % 4}}},\n  year = {{{1990 + number % 30}}},\n}}\n"
            )
    return "\n".join(entries)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The made-up lab's sources, its graph and its map written to a file."""
    folder = tmp_path_factory.mktemp("lab")
    bib = folder / "lab.bib"
    bib.write_text(lab_bibliography(), encoding="utf-8")
    corpus = load(bib, use_cache=False)
    html = folder / "lab.html"
    write_map(corpus, html)
    return {"graph": build_graph(corpus), "html": html}


@pytest.fixture(scope="module")
def lab_data(lab):
    return page_data(lab["graph"], title="Lab")


def test_a_large_bibliography_opens_as_closed_clusters(lab_data):
    clusters = lab_data["clusters"]
    assert lab_data["settings"]["clusterView"] is True
    assert TEAMS <= len(clusters) <= 2 * TEAMS
    assert sum(len(papers) for papers in clusters.values()) == TEAMS * PAPERS_PER_TEAM
    by_id = {node["id"]: node for node in lab_data["nodes"]}
    for cluster, papers in clusters.items():
        disc = by_id[cluster]
        assert disc["group"] == "clusterDisc"
        for paper in papers:
            assert by_id[paper]["hidden"] is True
            # The disc covers the place its papers take when it opens.
            reach = math.hypot(by_id[paper]["x"] - disc["x"], by_id[paper]["y"] - disc["y"])
            assert reach <= disc["size"]


def test_no_cluster_mixes_two_teams(lab_data):
    for papers in lab_data["clusters"].values():
        assert len({paper.split("p")[1] for paper in papers}) == 1, papers


def test_the_workshop_map_never_opens_as_clusters(corpus):
    data = page_data(build_graph(corpus), title="Workshop")
    assert data["settings"]["clusterView"] is False
    assert data["clusters"] == {}
    assert not any(node.get("hidden") for node in data["nodes"] if node["group"] == "paper")


def test_large_page_data_is_packed_and_unpacks_to_itself(lab_data, monkeypatch):
    import kg.render

    data = {key: value for key, value in lab_data.items() if key not in kg.render.OUT_OF_PAGE}
    monkeypatch.setattr(kg.render, "PACK_FROM", 10**9)
    assert page_json(data) == kg.render.safe_json(data)  # under the packing size: plain
    monkeypatch.setattr(kg.render, "PACK_FROM", 10)
    packed = page_json(data)
    assert list(json.loads(packed)) == ["packed"]
    assert len(packed) < len(kg.render.safe_json(data)) / 4
    assert unpack_page_json(packed) == json.loads(kg.render.safe_json(data))


def test_the_map_of_a_large_bibliography_carries_its_data_packed(lab):
    html = lab["html"].read_text(encoding="utf-8")
    (block,) = re.findall(r'<script type="application/json" id="kg-data">(.*?)</script>', html)
    assert list(json.loads(block)) == ["packed"]
    assert unpack_page_json(block)["settings"]["clusterView"] is True


def test_the_page_unpacks_its_data_as_python_does(browser, lab):
    html = lab["html"].read_text(encoding="utf-8")
    (block,) = re.findall(r'<script type="application/json" id="kg-data">(.*?)</script>', html)
    packed = json.loads(gzip.decompress(base64.b64decode(json.loads(block)["packed"])))
    assert packed["detailDefaults"]["paper"]["abstract"] == ""  # empty fields left out
    refs = [ref for info in packed["details"].values() for ref in info.get("people", [])]
    assert refs and not any("label" in ref for ref in refs)  # names left to the lookup
    expected = unpack_page_json(block)
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(lab["html"].as_uri())
    page.wait_for_function("() => window.kgReady === true")
    seen = page.evaluate(
        "({details: window.kg.data.details, edges: window.kg.data.edges,"
        " keys: Object.keys(window.kg.data)})"
    )
    page.close()
    assert seen["details"] == expected["details"]
    assert seen["edges"] == expected["edges"]
    assert set(seen["keys"]) - {"edgeLooks"} == set(expected)


def lab_clusters(page) -> dict[str, list[str]]:
    return page.evaluate("window.kg.data.clusters")


def _visible_papers(page) -> list[str]:
    return page.evaluate(
        "Object.keys(network.body.nodes).filter(id => id.startsWith('paper:')"
        " && !network.body.nodes[id].options.hidden)"
    )


DRAWN_LABELS = """
() => {
  if (window.kg.drawnLabels) { return window.kg.drawnLabels(); }
  const scale = network.getScale();
  const boxes = [];
  Object.values(network.body.nodes).forEach((node) => {
    if (node.options.hidden || !node.labelModule.elementOptions.label) { return; }
    const size = node.labelModule.size;
    if (node.labelModule.fontOptions.size * scale < 9 || !size.width) { return; }
    const view = network.canvasToDOM({ x: size.left, y: size.top });
    const far = network.canvasToDOM({ x: size.left + size.width, y: size.top + size.height });
    if (far.x < 0 || far.y < 0 || view.x > 1280 || view.y > 720) { return; }
    boxes.push({ id: node.id, left: view.x, top: view.y, right: far.x, bottom: far.y });
  });
  return boxes;
}
"""


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for number, a in enumerate(boxes):
        for b in boxes[number + 1 :]:
            if min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and (
                min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
            ):
                pairs.append((a["id"], b["id"]))
    return pairs


def test_a_cluster_opens_in_place_and_its_labels_never_overlap(browser, lab):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(lab["html"].as_uri())
    page.wait_for_function("() => window.kgReady === true")
    assert _visible_papers(page) == []
    assert len(page.evaluate("window.kg.openClusters()")) == 0
    page.evaluate("window.kg.goTo('paper:t3p7')")
    page.wait_for_timeout(1200)
    (cluster,) = [c for c, papers in lab_clusters(page).items() if "paper:t3p7" in papers]
    assert cluster in page.evaluate("window.kg.openClusters()")
    shown = set(_visible_papers(page))
    assert set(lab_clusters(page)[cluster]) <= shown
    page.evaluate("network.redraw()")
    boxes = page.evaluate(DRAWN_LABELS)
    assert len(boxes) > 5
    assert _overlapping(boxes) == []
    page.evaluate(f"window.kg.closeCluster({json.dumps(cluster)})")
    assert not set(_visible_papers(page)) & set(lab_clusters(page)[cluster])
    assert errors == []
    page.close()


def test_search_opens_the_cluster_of_the_paper_found(browser, lab):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(lab["html"].as_uri())
    page.wait_for_function("() => window.kgReady === true")
    page.fill("#search", "Study 12 of")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    selected = page.evaluate("network.getSelectedNodes()")
    assert len(selected) == 1 and re.fullmatch(r"paper:t\d+p12", selected[0])
    # Its cluster is open (a neighbour now wide on the screen may be open too).
    (found,) = [cluster for cluster, papers in lab_clusters(page).items() if selected[0] in papers]
    assert found in page.evaluate("window.kg.openClusters()")
    assert selected[0] in _visible_papers(page)
    page.close()


HELD = """
() => ({
  nodes: Object.keys(network.body.nodes),
  edges: Object.values(network.body.edges).map((edge) => [edge.fromId, edge.toId]),
})
"""


def test_the_network_holds_a_cluster_only_once_it_is_opened(browser, lab):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(lab["html"].as_uri())
    page.wait_for_function("() => window.kgReady === true")
    clusters = lab_clusters(page)
    everything = page.evaluate("window.kg.data.edges.map((edge) => [edge.from, edge.to])")
    held = page.evaluate(HELD)
    # At the start: the discs and nothing inside them; no author (a kind hidden at the start).
    assert sorted(held["nodes"]) == sorted(clusters)
    assert held["edges"] == []
    cluster, papers = sorted(clusters.items())[0]
    page.evaluate(f"window.kg.openCluster({json.dumps(cluster)})")
    held = page.evaluate(HELD)
    assert set(held["nodes"]) == set(clusters) | set(papers)
    inside = {(a, b) for a, b in everything if a in papers and b in papers}
    assert inside and {tuple(edge) for edge in held["edges"]} == inside
    # Closed again, its papers stay in the network, hidden.
    page.evaluate(f"window.kg.closeCluster({json.dumps(cluster)})")
    assert set(page.evaluate(HELD)["nodes"]) == set(clusters) | set(papers)
    assert not set(_visible_papers(page)) & set(papers)
    # Authors shown: every author comes in, linked to the papers the network holds.
    page.evaluate("window.kg.setKindVisible('author', true)")
    held = page.evaluate(HELD)
    authors = {node for node in held["nodes"] if node.startswith("author:")}
    assert authors == {a for a, _ in everything if a.startswith("author:")}
    wrote = {(a, b) for a, b in everything if a.startswith("author:") and b in papers}
    assert wrote <= {tuple(edge) for edge in held["edges"]}
    assert errors == []
    page.close()


def test_clusters_linked_to_no_other_gather_around_the_rest():
    from kg.drawing.clustered import clustered_layout

    # Two linked clusters of three papers, and ten clusters linked to nothing.
    clusters = {f"c{n}": [f"p{n}a", f"p{n}b", f"p{n}c"] for n in range(12)}
    nodes = sorted([*clusters, *(paper for papers in clusters.values() for paper in papers)])
    edges = [(papers[0], papers[1], 1.0) for papers in clusters.values()]
    edges.append(("p0a", "p1a", 1.0))
    boxes = dict.fromkeys(nodes, (60.0, 20.0))
    positions = clustered_layout(nodes, edges, clusters, weights={}, boxes=boxes, edge_length=80.0)
    middle_x = (positions["c0"][0] + positions["c1"][0]) / 2
    middle_y = (positions["c0"][1] + positions["c1"][1]) / 2
    loose = [positions[f"c{n}"] for n in range(2, 12)]
    # On every side of the linked pair, not in rows below it.
    assert any(y < middle_y for _, y in loose) and any(y > middle_y for _, y in loose)
    assert any(x < middle_x for x, _ in loose) and any(x > middle_x for x, _ in loose)
    assert len({round(y, -1) for _, y in loose}) > 3


def test_packing_leaves_out_only_what_a_lookup_gives_back():
    from kg.render.page import pack_tables, unpack_tables

    folded = {"id": "author:x", "kind": "author", "label": "X", "role": "author", "inside": True}
    renamed = {"id": "paper:a", "kind": "paper", "label": "Not A's label"}
    data = {
        "nodes": [{"id": "paper:a", "label": "A (2000)"}, {"id": "paper:b", "label": "B"}],
        "edges": [],
        "details": {
            "paper:a": {"kind": "paper", "label": "A (2000)", "abstract": "", "people": [folded]},
            "paper:b": {
                "kind": "paper",
                "label": "B",
                "abstract": "Text.",
                "people": [
                    folded,
                    renamed,
                    {"id": "paper:a", "kind": "paper", "label": "A (2000)"},
                ],
            },
        },
    }
    packed = json.loads(json.dumps(pack_tables(data)))
    assert packed["refNames"] == {"author:x": ["author", "X"]}
    assert packed["detailDefaults"] == {"paper": {"abstract": ""}}
    assert packed["details"]["paper:a"] == {
        "kind": "paper",
        "label": "A (2000)",
        "people": [{"id": "author:x", "role": "author", "inside": True}],
    }
    assert packed["details"]["paper:b"]["people"][1:] == [renamed, {"id": "paper:a"}]
    assert unpack_tables(packed) == data


def test_a_layout_file_holding_too_little_of_a_map_of_clusters_is_laid_out_afresh(tmp_path):
    bib = tmp_path / "lab.bib"
    bib.write_text(lab_bibliography(), encoding="utf-8")
    corpus = load(bib, use_cache=False)
    html, layout = tmp_path / "lab.html", tmp_path / "lab.layout.json"
    first = write_map(corpus, html, layout=layout)
    assert not first.laid_afresh
    fresh = html.read_bytes()
    stored = json.loads(layout.read_text(encoding="utf-8"))
    papers = sorted(node for node in stored["positions"] if node.startswith("paper:"))
    # A few papers unknown to the layout file: it is kept, and they are placed among the rest.
    few = {
        **stored,
        "positions": {k: v for k, v in stored["positions"].items() if k not in papers[:5]},
    }
    layout.write_text(json.dumps(few), encoding="utf-8")
    kept = write_map(corpus, html, layout=layout)
    assert (kept.laid_afresh, kept.placed) == (False, 5)
    # A third unknown (a layout of an older version of the map): laid out afresh, as with none.
    third = {k: v for k, v in stored["positions"].items() if k not in papers[: len(papers) // 3]}
    layout.write_text(json.dumps({**stored, "positions": third}), encoding="utf-8")
    afresh = write_map(corpus, html, layout=layout)
    assert afresh.laid_afresh
    assert html.read_bytes() == fresh


def test_papers_of_no_named_cluster_become_the_last_cluster_of_a_large_map(lab):
    from kg.drawing.structure import NAMED_CLUSTERS_UP_TO, with_other_papers
    from kg.structure.clusters import OTHER_PAPERS_LABEL, Cluster

    graph = lab["graph"]
    papers = sorted(node for node, kind in graph.nodes(data="kind") if kind == "paper")
    # Many clusters of four papers: more than the map names, and three papers in none.
    groups = [papers[start : start + 4] for start in range(0, 4 * (NAMED_CLUSTERS_UP_TO + 5), 4)]
    found = [Cluster(members, label=f"c{number}") for number, members in enumerate(groups)]
    named, clusters = with_other_papers(graph, groups, found, papers)
    assert len(named) == NAMED_CLUSTERS_UP_TO
    assert named[:-1] == groups[: NAMED_CLUSTERS_UP_TO - 1]
    assert sorted(named[-1]) == sorted(set(papers) - {p for g in named[:-1] for p in g})
    assert clusters[-1].label == OTHER_PAPERS_LABEL and clusters[-1].papers == named[-1]
    # Every paper named once: none is drawn loose among the discs.
    assert sorted(p for members in named for p in members) == papers
