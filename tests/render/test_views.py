"""The timeline, a bibliography's clusters, stable placement, and what other outputs reuse."""

from __future__ import annotations

from kg.drawing import draw, kind_palette
from kg.drawing.layout import extend_layout
from kg.drawing.overlap import separate_boxes
from kg.drawing.structure import communities, find_clusters, shared_links
from kg.drawing.styles import KIND_STYLES
from kg.graph import build_graph
from kg.model import Author, Corpus, Paper
from kg.render.page import page_data
from kg.render.timeline import short_label, timeline


def lab_corpus() -> Corpus:
    """Two groups of co-authors with no concepts file, keywords on some papers, and a loner."""
    authors = {
        slug: Author(slug, f"{given} {family}", family, given)
        for slug, given, family in [
            ("ada-a", "Ada", "Lovelace"),
            ("bo-b", "Bo", "Berg"),
            ("cy-c", "Cy", "Chen"),
            ("di-d", "Di", "Dahl"),
            ("ed-e", "Ed", "Eng"),
            ("fay-f", "Fay", "Fox"),
        ]
        + [(f"solo-{n}", "Sol", f"Solo{n}") for n in range(20)]
    }
    papers = {}
    for n in range(6):
        papers[f"first{n}"] = Paper(
            key=f"first{n}",
            entry_type="article",
            title=f"Memory study {n}",
            year=str(2000 + n),
            authors=["ada-a", "bo-b"] + (["cy-c"] if n % 2 else []),
            keywords="memory, hippocampus" if n < 4 else "memory",
        )
        papers[f"second{n}"] = Paper(
            key=f"second{n}",
            entry_type="article",
            title=f"Vision study {n}",
            year=str(2010 + n),
            authors=["di-d", "ed-e"] + (["fay-f"] if n % 2 else []),
        )
    for n in range(20):
        papers[f"solo{n}"] = Paper(
            key=f"solo{n}",
            entry_type="article",
            title=f"Alone {n}",
            year="1995",
            authors=[f"solo-{n}"],
        )
    return Corpus(papers=papers, authors=authors, bib_path="lab.bib")


def test_shared_authors_and_keywords_link_papers_as_chains():
    graph = build_graph(lab_corpus())
    papers = sorted(n for n in graph if graph.nodes[n]["kind"] == "paper")
    links = shared_links(graph, papers)
    pairs = {(link["from"], link["to"]) for link in links}
    # Ada and Bo wrote all six "first" papers: linked year after year, not all with all.
    assert ("paper:first0", "paper:first1") in pairs
    assert ("paper:first0", "paper:first5") not in pairs
    assert not any("solo" in a or "solo" in b for a, b in pairs)
    first = next(
        link for link in links if (link["from"], link["to"]) == ("paper:first0", "paper:first1")
    )
    assert first["authors"] == ["Ada Lovelace", "Bo Berg"]
    assert first["keywords"] == ["hippocampus", "memory"]
    # "memory" is on 6 of 32 papers: common enough to link, not so common as to mean nothing.
    assert all(
        link["from"].startswith("paper:first") == link["to"].startswith("paper:first")
        for link in links
    )


def test_clusters_are_named_by_their_terms_and_main_authors():
    graph = build_graph(lab_corpus())
    papers = sorted(n for n in graph if graph.nodes[n]["kind"] == "paper")
    groups = communities(shared_links(graph, papers))
    positions = {paper: (index * 10, 0) for index, paper in enumerate(papers)}
    clusters = find_clusters(graph, groups, positions)
    labels = sorted(cluster["label"] for cluster in clusters)
    # distinctive terms (from titles and keywords) over the two main authors
    assert labels == ["memory, hippocampus\nBerg & Lovelace", "vision\nDahl & Eng"]


def test_a_bibliography_alone_is_drawn_in_named_clusters():
    graph = build_graph(lab_corpus())
    data = page_data(graph, title="Lab")
    names = [node for node in data["nodes"] if node["group"] == "cluster"]
    assert len(names) == 2
    assert {edge["relation"] for edge in data["edges"] if edge["id"].startswith("s")} == {
        "coauthor"
    }
    assert data["details"][names[0]["id"]]["kind"] == "cluster"
    assert data["settings"]["sharedLinks"] > 0

    # Each name stands by its own papers: nearer their middle than the other cluster's.
    def middle(ids):
        xs = [data["positions"][paper][0] for paper in ids]
        ys = [data["positions"][paper][1] for paper in ids]
        return sum(xs) / len(xs), sum(ys) / len(ys)

    for name in names:
        mine = {p["id"] for p in data["details"][name["id"]]["papers"]}
        others = {
            p["id"]
            for other in names
            if other is not name
            for p in data["details"][other["id"]]["papers"]
        }
        own_x, own_y = middle(mine)
        far_x, far_y = middle(others)
        near = ((own_x - name["x"]) ** 2 + (own_y - name["y"]) ** 2) ** 0.5
        far = ((far_x - name["x"]) ** 2 + (far_y - name["y"]) ** 2) ** 0.5
        assert near < far


def test_the_timeline_orders_papers_by_year_in_lanes():
    graph = build_graph(lab_corpus())
    data = page_data(graph, title="Lab")
    line = data["timeline"]
    places = line["positions"]
    dated = sorted(
        (int(graph.nodes[p]["year"]), places[p][0]) for p in graph if p.startswith("paper:")
    )
    assert [x for _, x in dated] == sorted(x for _, x in dated)
    assert line["axis"]["from"] == 1995 and line["axis"]["to"] == 2015
    # Lanes by median year: the 1995 loners are "Other papers", the memory lane before vision.
    labels = [lane["label"] for lane in line["lanes"]]
    assert labels[-1] == "Other papers"
    memory = next(number for number, label in enumerate(labels) if "memory" in label)
    assert labels.index("vision: Dahl & Eng") > memory
    for lane in line["lanes"]:
        assert lane["top"] < lane["bottom"]
    assert line["labels"]["paper:first0"] == short_label(graph.nodes["paper:first0"]["label"])


def test_short_labels_leave_the_year_to_the_axis():
    assert short_label("Hernández et al. (2007)") == "Hernández et al."
    assert short_label("Ungar (2011b)") == "Ungar"
    assert short_label("No year") == "No year"


def test_extend_layout_keeps_old_places_and_puts_new_nodes_by_their_links():
    previous = {"a": (0.0, 0.0), "b": (400.0, 0.0), "c": (0.0, 400.0)}
    nodes = ["a", "b", "c", "new", "lonely"]
    edges = [("a", "b", 1.0), ("new", "b", 1.0)]
    boxes = dict.fromkeys(nodes, (40.0, 40.0))
    positions = extend_layout(nodes, edges, previous, boxes=boxes, edge_length=70.0)
    assert all(positions[n] == (round(x), round(y)) for n, (x, y) in previous.items())
    new = positions["new"]
    assert ((new[0] - 400) ** 2 + new[1] ** 2) ** 0.5 < 150
    assert positions["lonely"][0] > 400  # laid out beside the map, right of it


def test_separate_boxes_never_moves_fixed_nodes():
    positions = {"pinned": (0, 0), "free": (5, 0)}
    moved = separate_boxes(positions, dict.fromkeys(positions, (40.0, 20.0)), fixed={"pinned"})
    assert moved["pinned"] == (0, 0)
    assert abs(moved["free"][0]) >= 40 or abs(moved["free"][1]) >= 20


def test_exports_get_the_maps_positions_and_palette():
    graph = build_graph(lab_corpus())
    positions = draw(graph).positions
    assert set(positions) == set(graph.nodes)
    assert positions == {n: tuple(xy) for n, xy in page_data(graph, title="x")["positions"].items()}
    palette = kind_palette()
    assert palette["paper"]["fill"] == KIND_STYLES["paper"]["color"]
    assert set(palette) == set(KIND_STYLES)


def test_a_large_timeline_draws_dots_close_together():
    corpus = lab_corpus()
    for n in range(400):
        corpus.papers[f"many{n}"] = Paper(
            key=f"many{n}", entry_type="article", title=f"Many {n}", year=str(2000 + n % 10)
        )
    graph = build_graph(corpus)
    nodes = sorted(graph)
    small = timeline(build_graph(lab_corpus()), sorted(build_graph(lab_corpus())))
    large = timeline(graph, nodes)
    assert small["labelled"] is True and large["labelled"] is False
    # Forty papers a year in one lane: stacked in rows of dots, not a tower of labels.
    other = large["lanes"][-1]
    assert other["label"] == "Other papers"
    assert other["bottom"] - other["top"] < 45 * 30
