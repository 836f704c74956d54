"""Tests for kg.reading_list on a small hand-built corpus."""

from __future__ import annotations

import pytest
from test_query import (
    small_corpus,
)  # tests/ is on sys.path: pytest puts it there (prepend import mode)

from kg.errors import KgError, NotFoundError
from kg.graph import build_graph
from kg.model import Corpus, Link, Paper
from kg.reading_list import (
    build_reading_list,
    doi_url,
    markdown_escape,
    render_html,
    render_markdown,
)


@pytest.fixture
def corpus() -> Corpus:
    return small_corpus()


def test_handout_sorts_readings_by_strength(corpus):
    handouts = build_reading_list(build_graph(corpus), corpus, ["1a"])
    assert len(handouts) == 1
    handout = handouts[0]
    assert (handout.id, handout.domain, handout.text) == (
        "1a",
        "knowledge",
        "describe vicarious resilience",
    )
    assert [c["id"] for c in handout.concepts] == ["vicarious-resilience", "self-care"]
    assert [r.key for r in handout.essential] == ["h2007"]
    assert [r.key for r in handout.further] == ["p2014"]
    assert handout.essential[0].why == "defines it"
    assert handout.further[0].why == "buffers (through Self-care)"


def test_all_objectives_by_default_and_quotes(corpus):
    handouts = build_reading_list(build_graph(corpus), corpus)
    assert [h.id for h in handouts] == ["1a", "3b"]
    assert handouts[1].quotes == [
        {
            "text": "Help yourself first.",
            "speaker": "",
            "source": "Unlinked book (2000)",
            "page": "",
        }
    ]


def test_unknown_objective_and_no_objectives(corpus):
    graph = build_graph(corpus)
    with pytest.raises(NotFoundError):
        build_reading_list(graph, corpus, ["9z"])
    corpus.objectives = {}
    with pytest.raises(KgError, match="no learning objectives"):
        build_reading_list(build_graph(corpus), corpus)


def test_markdown_links_the_doi_and_escapes_markup(corpus):
    corpus.papers["h2007"].title = "Vicarious *resilience* [draft]"
    text = render_markdown(build_reading_list(build_graph(corpus), corpus, ["1a"]), "My <title>")
    assert text.startswith("# Reading list: My \\<title\\>\n")
    assert "Vicarious \\*resilience\\* \\[draft\\]" in text
    assert "[https://doi.org/10.1/x](https://doi.org/10.1/x)" in text
    assert "### Essential readings\n\n1. Hernández, P. (2007)." in text


def test_doi_url_percent_encodes_what_a_link_cannot_hold():
    assert doi_url("10.1002/1097-4679(200008)56:8<1005::AID-JCLP2>3.0.CO;2-L") == (
        "https://doi.org/10.1002/1097-4679(200008)56:8%3C1005::AID-JCLP2%3E3.0.CO;2-L"
    )
    assert markdown_escape("a|b_c") == "a\\|b\\_c"


def test_html_escapes_every_value_and_links_dois(corpus):
    corpus.objectives["1a"].text = "<script>x</script>"
    corpus.concepts["self-care"].definition = "a & b"
    corpus.papers["odd"] = Paper("odd", "article", title="T", year="2001", doi='10.1/"q"<x>')
    corpus.objectives["1a"].papers.append(Link("odd", "supported", "r"))
    page = render_html(build_reading_list(build_graph(corpus), corpus, ["1a"]), "Title & co")
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "a &amp; b" in page
    assert "<title>Reading list: Title &amp; co</title>" in page
    assert '<a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>' in page
    assert '<a href="https://doi.org/10.1/%22q%22%3Cx%3E">' in page
    assert "@media print" in page
