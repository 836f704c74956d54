"""kg.render: the page is one self-contained, deterministic, safe HTML file."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import lxml.html
import pytest

from kg.errors import WriteError
from kg.graph import build_graph
from kg.render import render_html, safe_json, write_map

from .conftest import CLOSE_SCRIPT, IMG_PAYLOAD, PAYLOADS, SCRIPT_PAYLOAD, build_corpus


def page_json(html: str) -> dict:
    """The data block of a rendered page, parsed."""
    document = lxml.html.document_fromstring(html)
    (block,) = document.xpath('//script[@type="application/json"]')
    return json.loads(block.text)


@pytest.fixture
def html(corpus) -> str:
    return render_html(corpus)


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("</script>", "\\u003c/script\\u003e"),
        ("<!--", "\\u003c!--"),
        ("a & b", "a \\u0026 b"),
        ("line\u2028break\u2029", "line\\u2028break\\u2029"),
        ("Hernández", "Hernández"),
    ],
    ids=["close-script", "comment", "ampersand", "line-separators", "unicode-kept"],
)
def test_safe_json_escapes_what_could_end_a_script(text, escaped):
    assert safe_json({"t": text}) == '{"t":"' + escaped + '"}'
    assert json.loads(safe_json({"t": text})) == {"t": text}


def test_page_is_self_contained(html):
    document = lxml.html.document_fromstring(html)
    assert document.xpath("//script[@src]") == []
    assert document.xpath("//link") == []
    assert document.xpath("//iframe | //img | //object | //embed") == []
    inline = [script for script in document.xpath("//script") if script.get("type") is None]
    assert len(inline) == 2  # vis-network and the page's own script
    assert "vis-network" in inline[0].text[:200]  # licence header kept
    assert "https://" not in "".join(style.text for style in document.xpath("//style"))


def test_the_page_carries_no_pictures_of_controls_it_never_shows(html):
    document = lxml.html.document_fromstring(html)
    styles = "".join(style.text for style in document.xpath("//style"))
    assert "data:" not in styles
    # what the map uses of vis-network's stylesheet is kept: its hover text
    assert "div.vis-tooltip{" in styles
    assert len(html.encode("utf-8")) < 850_000  # over 1 MB with the pictures


def test_scripts_are_allowed_by_hash_and_nothing_else(html):
    document = lxml.html.document_fromstring(html)
    (meta,) = document.xpath('//meta[@http-equiv="Content-Security-Policy"]')
    policy = meta.get("content")
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    for script in document.xpath("//script[not(@type)]"):
        digest = base64.b64encode(hashlib.sha256(script.text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_hostile_text_stays_data(html, corpus):
    document = lxml.html.document_fromstring(html)
    assert document.findtext(".//title") == corpus.title
    assert document.get_element_by_id("map-title").text_content() == corpus.title
    # Only the page's own elements exist: no payload became an element.
    assert document.xpath("//img") == []
    assert len(document.xpath("//script")) == 3
    data_block = document.xpath('//script[@type="application/json"]')[0].text
    assert "<" not in data_block and ">" not in data_block
    data = page_json(html)
    assert data["details"]["concept:vicarious-trauma"]["label"] == f"Vicarious trauma {IMG_PAYLOAD}"
    assert (
        data["details"]["paper:hernandez2007vicarious"]["note"] == f"Seed paper. {SCRIPT_PAYLOAD}"
    )
    assert CLOSE_SCRIPT in data["details"]["paper:engstrom2008vicarious"]["abstract"]
    assert "\u2028" in data["details"]["paper:engstrom2008vicarious"]["abstract"]
    rendered_text = json.dumps(data, ensure_ascii=False)
    for payload in PAYLOADS:
        assert payload.replace("\\", "\\\\") in rendered_text


def test_same_sources_give_the_same_file(corpus):
    reordered = build_corpus()
    reordered.papers = dict(reversed(list(reordered.papers.items())))
    reordered.concepts = dict(reversed(list(reordered.concepts.items())))
    reordered.authors = dict(reversed(list(reordered.authors.items())))
    assert render_html(corpus) == render_html(reordered)


def test_title_option_overrides_the_corpus_title(corpus):
    document = lxml.html.document_fromstring(render_html(corpus, title="Session <2>"))
    assert document.findtext(".//title") == "Session <2>"
    assert page_json(render_html(corpus, title="Session <2>"))["title"] == "Session <2>"


def test_a_corpus_without_title_gets_a_default(corpus):
    corpus.title = ""
    assert lxml.html.document_fromstring(render_html(corpus)).findtext(".//title") == "Concept map"


def test_papers_carry_apa_citations(html):
    details = page_json(html)["details"]["paper:hernandez2007vicarious"]
    assert details["citation"].startswith("Hernández, P., Gangsei, D., & Engstrom, D. (2007).")
    assert "Family Process" in details["citation"]


def test_a_bare_graph_renders_without_citations(corpus):
    data = page_json(render_html(build_graph(corpus)))
    assert data["details"]["paper:hernandez2007vicarious"]["citation"] == ""
    assert data["title"] == corpus.title


def test_write_map_writes_utf8_and_counts(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = write_map(corpus, tmp_path / "map.html")
    graph = build_graph(corpus)
    assert (result.nodes, result.edges) == (graph.number_of_nodes(), graph.number_of_edges())
    text = (tmp_path / "map.html").read_bytes().decode("utf-8")
    assert "Hernández" in text
    assert sorted(os.listdir(tmp_path)) == ["map.html"]  # no lib/ folder, no temporary file


def test_write_map_into_a_missing_folder_fails_cleanly(corpus, tmp_path):
    with pytest.raises(WriteError, match="does not exist"):
        write_map(corpus, tmp_path / "missing" / "map.html")
    assert list(tmp_path.iterdir()) == []


def test_the_cycle_collector_is_off_while_the_page_is_built_and_on_again_after(corpus, monkeypatch):
    import gc

    import kg.render.page

    seen = []
    real = kg.render.page.page_data

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.render.page, "page_data", watched)
    assert gc.isenabled()
    render_html(corpus)
    assert seen == [False]
    assert gc.isenabled()
