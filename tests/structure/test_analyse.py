"""The structure of small bibliographies built by hand: exact links, clusters and names."""

from __future__ import annotations

from kg.graph import build_graph
from kg.model import Author, Corpus, Paper
from kg.structure import analyse
from kg.structure.clusters import Cluster, gather, name_clusters
from kg.structure.front_matter import FRONT_MATTER_LABEL, is_front_matter
from kg.structure.links import is_collective_author, linking_authors

OTOLITH = [
    "Otolith microchemistry of Atlantic cod",
    "Otolith microchemistry reveals salmon natal origins",
    "Otolith microchemistry and estuarine habitat use",
    "Tracing eel movements with otolith microchemistry",
    "Otolith microchemistry in larval flounder",
]
CORAL = [
    "Coral bleaching on the Great Barrier Reef",
    "Coral bleaching after marine heatwaves",
    "Thermal tolerance and coral bleaching",
    "Coral bleaching recovery in Kenya",
    "Symbiont shuffling during coral bleaching",
]
FRONT_MATTER = ["Editorial board", "Contents", "Erratum", "Instructions to authors", "Index"]


def _paper(key, title, year, authors, venue="", editors=()):
    return Paper(key=key, entry_type="article", title=title, year=str(year), authors=list(authors),
                 editors=list(editors), venue=venue)  # fmt: skip


def field_corpus() -> Corpus:
    """Two topics whose papers share no author, unsigned front matter, a standards body, a loner."""
    authors = {"anonymous": Author("anonymous", "Anonymous", "Anonymous"),
               "ieee": Author("ieee", "IEEE", "IEEE"),
               "ed-e": Author("ed-e", "Edna Editor", "Editor", "Edna")}  # fmt: skip
    papers = {}
    for topic, titles in (("oto", OTOLITH), ("cor", CORAL)):
        for number, title in enumerate(titles, start=1):
            person = f"{topic}{number}-a"
            authors[person] = Author(
                person, f"Ann {topic.title()}{number}", f"{topic.title()}{number}", "Ann"
            )
            papers[f"{topic}{number}"] = _paper(f"{topic}{number}", title, 2000 + number, [person],
                                                f"Journal {topic}{number}", editors=["ed-e"])  # fmt: skip
    for number, title in enumerate(FRONT_MATTER, start=1):
        papers[f"front{number}"] = _paper(
            f"front{number}", title, 2003, ["anonymous"], "Marine Biology"
        )
    papers["std1"] = _paper("std1", "Floating-point arithmetic", 1985, ["ieee"], "IEEE Standards")
    papers["std2"] = _paper("std2", "Software test documentation", 2008, ["ieee"], "IEEE Standards")
    authors["solo-s"] = Author("solo-s", "Sam Solo", "Solo", "Sam")
    papers["whale"] = _paper("whale", "Whale song", 1999, ["solo-s"])
    return Corpus(papers=papers, authors=authors, bib_path="field.bib")


def test_papers_of_one_topic_join_it_without_a_shared_author():
    structure = analyse(build_graph(field_corpus()))
    summary = [(cluster.label, cluster.basis, cluster.papers) for cluster in structure.clusters]
    assert summary == [
        ("coral bleaching", "links", [f"paper:cor{n}" for n in range(1, 6)]),
        ("otolith microchemistry", "links", [f"paper:oto{n}" for n in range(1, 6)]),
        # unsigned contents, indexes and notices: a journal's own pages, not papers
        (FRONT_MATTER_LABEL, "front matter", [f"paper:front{n}" for n in range(1, 6)]),
        ("IEEE Standards, 1985–2008", "venue", ["paper:std1", "paper:std2"]),
    ]
    assert structure.alone == ["paper:whale"]
    # the topics are chained by year through their terms; no author, anonymous or corporate, links
    assert all(not link.authors for link in structure.links)
    first = structure.links[0]
    assert (first.source, first.target) == ("paper:cor1", "paper:cor2")
    assert "coral bleaching" in first.terms
    assert structure.terms["paper:oto4"][0] in {
        "otolith microchemistry",
        "microchemistry",
        "otolith",
    }
    assert [cluster.id for cluster in structure.clusters] == [f"cluster:{n}" for n in range(1, 5)]


def test_collective_authors_and_volume_editors_never_link():
    graph = build_graph(field_corpus())
    assert is_collective_author(graph.nodes["author:anonymous"])
    assert is_collective_author(graph.nodes["author:ieee"])
    assert not is_collective_author(graph.nodes["author:ed-e"])
    papers = sorted(node for node, kind in graph.nodes(data="kind") if kind == "paper")
    # Edna edits the ten topic papers' volumes: she links none of them
    assert linking_authors(graph, papers) == {}


def test_is_collective_author_by_name():
    def person(label, family=None, given=""):
        return {"label": label, "family": family or label, "given": given}

    assert is_collective_author(person("Anonymous"))
    assert is_collective_author(person("{IEEE}", "IEEE"))
    assert is_collective_author(person("AFS Fish Culture Section"))
    assert is_collective_author(person("Stan Development Team"))
    assert is_collective_author(person("World Health Organization"))
    assert is_collective_author(person("The 2017 Taimen Research Team"))
    assert not is_collective_author(person("Heraclitus"))
    assert not is_collective_author(person("Ann Lee", "Lee", "Ann"))
    assert not is_collective_author(person("Otto Kinne", "Kinne", "Otto"))


def test_co_authors_link_and_name_their_cluster():
    authors = {slug: Author(slug, f"{given} {family}", family, given)
               for slug, given, family in [("lee-a", "Ann", "Lee"), ("park-b", "Bo", "Park")]}  # fmt: skip
    papers = {f"p{n}": _paper(f"p{n}", f"Sleep spindles in mice {n}", 2010 + n, ["lee-a", "park-b"])
              for n in range(4)}  # fmt: skip
    structure = analyse(build_graph(Corpus(papers=papers, authors=authors)))
    assert [(c.label, len(c.papers)) for c in structure.clusters] == [
        ("Lee & Park", 4)  # one cluster has no distinctive term: every term is on all its papers
    ]
    assert [(link.source, link.target, link.authors) for link in structure.links] == [
        ("paper:p0", "paper:p1", ["Ann Lee", "Bo Park"]),
        ("paper:p1", "paper:p2", ["Ann Lee", "Bo Park"]),
        ("paper:p2", "paper:p3", ["Ann Lee", "Bo Park"]),
    ]
    assert structure.clusters[0].authors == [("Lee", 4), ("Park", 4)]


def test_a_small_group_and_an_unlinked_paper_join_the_cluster_their_terms_point_to():
    big = [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4", "b5"]]
    terms_of = {"a1": ["kelp"], "a2": ["kelp"], "a3": ["kelp"], "a4": [],
                "b1": ["krill"], "b2": ["krill"], "b3": [], "b4": [], "b5": [],
                "pair1": ["kelp"], "pair2": [], "single": ["krill", "kelp"], "lost": ["none"]}  # fmt: skip
    clusters, alone = gather(
        [*big, ["pair1", "pair2"]],
        [*terms_of, "other"],
        terms_of,
        {"kelp": 1.0, "krill": 2.0, "none": 3.0},
        venue_of={"lost": "J", "other": "J"},
        year_of_paper={"lost": 2001, "other": 2002},
    )
    assert [(c.papers, c.gathered, c.basis) for c in clusters] == [
        (["a1", "a2", "a3", "a4", "pair1", "pair2"], ["pair1", "pair2"], "links"),
        (["b1", "b2", "b3", "b4", "b5", "single"], ["single"], "links"),
        (["lost", "other"], [], "venue"),
    ]
    assert alone == []


def test_clusters_of_the_same_name_are_told_apart():
    graph = build_graph(field_corpus())

    def names(groups, terms):
        clusters = [Cluster(group) for group in groups]
        name_clusters(clusters, terms, {}, {}, graph)
        return [cluster.label for cluster in clusters]

    groups = [["paper:oto1", "paper:oto2"], ["paper:oto3", "paper:oto4"],
              ["paper:oto5", "paper:cor1"], ["paper:cor2", "paper:cor3"]]  # fmt: skip
    terms = {"paper:oto1": ["cod", "eel"], "paper:oto2": ["cod", "eel"],
             "paper:oto3": ["cod", "eel", "fin"], "paper:oto4": ["cod", "eel", "fin"],
             "paper:cor2": ["fin"], "paper:cor3": ["fin"]}  # fmt: skip
    # the same two terms: a third tells them apart; nothing distinctive: where and when
    assert names(groups, terms) == ["cod, eel", "cod, eel, fin", "Journal cor1, 2001–2005", "fin"]
    del terms["paper:oto3"][2], terms["paper:oto4"][2]
    # no third term: the years do
    assert names(groups[:2], terms) == ["Journal oto1, 2001–2002", "Journal oto3, 2003–2004"]
    terms.update({"paper:cor2": ["cod"], "paper:cor3": ["cod"]})
    assert names(groups, terms) == [
        "eel, cod (2001–2002)", "eel, cod (2003–2004)", "Journal cor1, 2001–2005", "cod",
    ]  # fmt: skip


def test_front_matter_is_told_by_its_title_and_the_absence_of_an_author():
    for title in [
        "Editorial Board",
        "Subject index of volume 187",
        "Contents of previous volumes",
        "Prelim (ii or iii) Title Page",
        "IFC — Eds/publication info",
        "Inside Front Cover/Aims, Scope, Editorial",
        "Issue Information",
        "Journal Highlights",
        "Books Received",
        "Pages 1–98 (1 March 2000)",
        "Index",
        "Erratum",
    ]:
        assert is_front_matter(title, authored=False), title
        assert not is_front_matter(title, authored=True), title
    for title in [
        "Index of biotic integrity for Ohio streams",
        "Covering the reef: coral cover after bleaching",
        "Pages from a field notebook",
        "Correcting for detection in occupancy models",
    ]:
        assert not is_front_matter(title, authored=False), title
