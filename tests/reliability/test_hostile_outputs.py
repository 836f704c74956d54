"""Hostile text in every output: the map and reading list in Chromium, and every export read back.

The project in ``hostile.py`` puts thirty payloads in titles, journals,
notes, abstracts, author names, DOIs and URLs (references.bib) and in
labels, definitions, aliases, reasons, objectives and quotes
(concepts.yaml). The outputs come from the real commands. Every output must
keep each payload as data: the pages run none of it (``window.__xss`` stays
undefined after loading, hovering and clicking every node, and searching
for every payload), the XML exports parse and give back the exact strings,
Cypher keeps each one inside a string literal, CSV cells read back exactly.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import need

from .hostile import PAYLOADS, write_project

EXPORTS = {"graphml": "graph.graphml", "gexf": "graph.gexf", "json": "graph.json", "cytoscape": "graph.cyjs",
           "cypher": "graph.cypher", "bibtex": "export.bib", "csl-json": "export.csl.json", "csv": "csv/"}  # fmt: skip


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The hostile project, loaded, with every output written by the commands."""

    folder = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        # Durability is test_faults.py's subject; here waiting for the disk only slows the run.
        patch.setattr("os.fsync", lambda descriptor: None)
        return _build_project(folder)


def _build_project(folder):
    import kg
    from kg.graph import build_graph

    bib, concepts = write_project(folder)
    runner = CliRunner()
    base = ["--bib", str(bib), "--concepts", str(concepts)]
    outputs = {"map": folder / "map.html", "reading-list": folder / "reading-list.html",
               "reading-list-md": folder / "reading-list.md"}  # fmt: skip
    commands = [["render", *base, "-o", str(outputs["map"])],
                ["reading-list", *base, "--format", "html", "-o", str(outputs["reading-list"])],
                ["reading-list", *base, "--format", "markdown", "-o", str(outputs["reading-list-md"])]]  # fmt: skip
    for name, target in EXPORTS.items():
        outputs[name] = folder / target
        commands.append(["export", *base, "--format", name, "-o", str(folder / target)])
    for command in commands:
        result = runner.invoke(main, command, catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output)
    corpus = kg.load(bib, concepts, use_cache=False)
    return {"folder": folder, "corpus": corpus, "graph": build_graph(corpus), **outputs}


def test_the_sources_hold_every_payload_exactly(project):
    corpus = project["corpus"]
    assert [p.format() for p in corpus.problems] == []
    labels = [corpus.concepts[f"c{number:02d}"].label for number in range(30)]
    assert labels == list(PAYLOADS)
    assert [corpus.quotes[f"q{number:02d}"].text for number in range(30)] == list(PAYLOADS)


# ---------------------------------------------------------------- pages in Chromium


#: Elements or attributes that only injected markup would bring.
INJECTED = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on')) found.push(element.tagName + '[' + attribute.name + ']');
      if (/^\\s*javascript:/i.test(attribute.value)) found.push(element.tagName + '[' + attribute.name + '=javascript:]');
    }
    const tag = element.tagName.toUpperCase();
    if (['IFRAME', 'INJECTED'].includes(tag) || (tag === 'STYLE' && document.body.contains(element))
        || element.matches('img[src="x"], svg[onload], a[href^="javascript"]'))
      found.push(element.tagName);
  }
  return found;
}"""


CENTRE_ON = """id => {
  network.moveTo({position: network.getPosition(id), scale: 1.2, animation: false});
  return network.canvasToDOM(network.getPosition(id));
}"""


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    return page, errors


@pytest.mark.slow
@pytest.mark.browser
def test_the_map_runs_no_payload_on_load_hover_click_and_search(browser, project):
    page, errors = _open(browser, project["map"])
    try:
        page.wait_for_function("() => window.kgReady === true", timeout=30_000)
        assert page.evaluate("typeof window.__xss") == "undefined"
        # Tooltips at once, so every node's hover text is shown while the mouse is on it.
        page.evaluate("network.setOptions({interaction: {tooltipDelay: 0}})")
        ids = page.evaluate("network.body.data.nodes.get().filter(n => !n.hidden).map(n => n.id)")
        assert len(ids) >= 30 * 3
        box = page.locator("#map canvas").bounding_box()
        clicked = 0
        for node_id in ids:
            point = page.evaluate(CENTRE_ON, node_id)
            x, y = box["x"] + point["x"] + 1, box["y"] + point["y"] + 1
            page.mouse.move(x, y)
            page.mouse.click(x, y)
            clicked += page.evaluate(
                "id => document.getElementById('panel').dataset.node === id", node_id
            )
        assert clicked >= len(ids) * 0.9  # a few nodes may lie under the panel or another node
        search = page.locator("#search")
        for payload in PAYLOADS:
            search.fill(payload)
            search.press("Enter")
        # The objective picker, the tour, the list view and the print view render the same texts again.
        for objective in page.evaluate(
            "[...document.querySelectorAll('#objective option')].map(o => o.value)"
        ):
            if objective:
                page.locator("#objective").select_option(objective)
        page.locator("#tour").click()
        page.evaluate("kg.toggleList(true)")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        page.wait_for_timeout(500)  # let any injected image fail to load and fire its handler
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.evaluate(INJECTED) == []
        assert [error for error in errors if "__xss" in error or error.startswith("dialog")] == []
        # The panel showed the payloads as text: the last clicked node's details hold them verbatim.
        shown = page.evaluate("document.body.innerText")
        assert any(payload in shown for payload in PAYLOADS[:3])
    finally:
        page.close()


@pytest.mark.browser
def test_the_reading_list_runs_no_payload(browser, project):
    page, errors = _open(browser, project["reading-list"])
    try:
        page.wait_for_load_state("load")
        for element in page.locator("a, li, h1, h2, h3, blockquote, p").all()[:400]:
            element.hover(timeout=2_000, force=True)
        page.wait_for_timeout(500)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.evaluate(INJECTED) == []
        hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
        assert hrefs and all(re.match(r"(https?:|#|file:)", href) for href in hrefs), hrefs
        text = page.evaluate("document.body.innerText")
        assert "Objective " + PAYLOADS[0] in text and PAYLOADS[1] in text
        assert errors == []
    finally:
        page.close()


def test_the_reading_list_markdown_keeps_payloads_out_of_links(project):
    text = project["reading-list-md"].read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]*)\)", text)
    assert links and all(link.startswith(("https://", "http://", "#")) for link in links), links


# ---------------------------------------------------------------- exports read back


def _string_attributes(graph, node):
    from kg.export._xml import xml_safe
    from kg.export.attributes import exported_graph

    exported = exported_graph(graph)  # as the exports write them: a whole-number year is a number
    return {
        key: xml_safe(value)
        for key, value in exported.nodes[node].items()
        if isinstance(value, str)
    }


def test_graphml_parses_and_gives_back_every_string(project):
    import networkx as nx
    from lxml import etree

    etree.parse(str(project["graphml"]))  # well-formed XML, nothing injected
    assert not etree.parse(str(project["graphml"])).xpath("//*[local-name()='injected']")
    read = nx.read_graphml(project["graphml"])
    graph = project["graph"]
    assert set(read.nodes) == set(graph.nodes)
    for node in graph:
        for key, value in _string_attributes(graph, node).items():
            assert read.nodes[node][key] == value, (node, key)
    labels = {read.nodes[node]["label"] for node in read}
    assert set(PAYLOADS) <= labels


def test_gexf_parses_validates_and_gives_back_every_string(project):
    import networkx as nx
    from lxml import etree

    document = etree.parse(str(project["gexf"]))
    schema_path = Path(__file__).resolve().parents[3] / "shared" / "schemas"
    xsds = sorted(schema_path.glob("**/gexf.xsd")) if schema_path.is_dir() else []
    need(bool(xsds), f"the GEXF 1.2 schema ({schema_path})")
    schema = etree.XMLSchema(etree.parse(str(xsds[0])))
    assert schema.validate(document), schema.error_log
    read = nx.read_gexf(project["gexf"])
    graph = project["graph"]
    assert set(read.nodes) == set(graph.nodes)
    for node in graph:
        assert read.nodes[node]["label"] == _string_attributes(graph, node)["label"], node
    assert set(PAYLOADS) <= {read.nodes[node]["label"] for node in read}


def test_json_and_cytoscape_give_back_every_label(project):
    graph = project["graph"]
    node_link = json.loads(project["json"].read_text(encoding="utf-8"))
    assert {node["id"]: node["label"] for node in node_link["nodes"]} == {
        n: graph.nodes[n]["label"] for n in graph
    }
    cytoscape = json.loads(project["cytoscape"].read_text(encoding="utf-8"))
    nodes = cytoscape["elements"]["nodes"]
    assert {node["data"]["id"]: node["data"]["label"] for node in nodes} == {
        n: graph.nodes[n]["label"] for n in graph
    }


# Cypher: every literal, decoded, and the statement shapes once literals are blanked out.
_CYPHER_LITERAL = re.compile(r"'((?:[^'\\\n]|\\.)*)'")
_CYPHER_ESCAPES = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "b": "\b",
    "f": "\f",
}


def decode_cypher_literal(body: str) -> str:
    """The value of a single-quoted Cypher string literal (without its quotes)."""
    out, index = [], 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        code = body[index + 1]
        if code == "u":
            out.append(chr(int(body[index + 2 : index + 6], 16)))
            index += 6
        elif code == "U":
            out.append(chr(int(body[index + 2 : index + 10], 16)))
            index += 10
        else:
            out.append(_CYPHER_ESCAPES[code])
            index += 2
    return "".join(out)


def test_cypher_keeps_every_payload_inside_a_string_literal(project):
    text = project["cypher"].read_text(encoding="utf-8")
    literals = []
    for line in text.splitlines():
        if not line or line.startswith("//"):
            continue
        assert line.endswith(";"), line
        literals += [decode_cypher_literal(body) for body in _CYPHER_LITERAL.findall(line)]
        skeleton = _CYPHER_LITERAL.sub("?", line)
        # Outside the literals, only kg's own statement shapes: no payload text escaped into code.
        assert "DETACH" not in skeleton and "DROP" not in skeleton and "//" not in skeleton, (
            skeleton
        )
        assert re.fullmatch(
            r"(CREATE CONSTRAINT|MERGE|MATCH) [\w\s:(){}?,.=+\-\[\]>`<*]*;", skeleton
        ), skeleton
    graph = project["graph"]
    for node in graph:
        assert graph.nodes[node]["label"] in literals, node
    assert set(PAYLOADS) <= set(literals)


def test_csv_cells_read_back_exactly(project):
    folder = project["csv"]
    graph = project["graph"]
    with open(folder / "nodes.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    by_id = {row["id:ID"]: row for row in rows}
    assert set(by_id) == set(graph.nodes)
    for node in graph:
        assert by_id[node]["label"] == graph.nodes[node]["label"], node
    assert set(PAYLOADS) <= {row["label"] for row in rows}
    with open(folder / "edges.csv", newline="", encoding="utf-8") as stream:
        assert len(list(csv.DictReader(stream))) == graph.number_of_edges()


def test_the_bibtex_export_reads_back_to_the_same_entries(project):
    from kg.sources.bibtex import load_bibtex

    exported = load_bibtex(project["bibtex"], "export.bib")
    assert [p.format() for p in exported.problems if p.severity == "error"] == []
    corpus = project["corpus"]
    assert list(exported.papers) == list(corpus.papers)
    for key, paper in corpus.papers.items():
        assert exported.papers[key].title == paper.title, key
        assert exported.papers[key].fields.get("note") == paper.fields.get("note"), key


def test_csl_json_gives_back_every_title(project):
    """Each title comes back whole: the export adds only CSL's own case protection (braced text
    as ``<span class="nocase">``) and typographic apostrophes, which citation processors read."""
    items = json.loads(project["csl-json"].read_text(encoding="utf-8"))
    corpus = project["corpus"]

    def as_read(title: str) -> str:
        return re.sub(r'<span class="nocase">|</span>', "", title).replace("’", "'")

    assert {item["id"]: as_read(item["title"]) for item in items} == {
        key: paper.title.replace("’", "'") for key, paper in corpus.papers.items()
    }


# ---------------------------------------------------------------- text printed to a terminal

#: Escape sequences a pasted bibliography could carry: set the window title, clear the screen, colour.
TERMINAL_BIB = ("@article{k\x1b]0;pwned\x07,\n  author = {Evil, \x1b[31mRed},\n"
                "  title = {Title \x1b]0;pwned\x07 and \x1b[2J clear},\n  year = 2020,\n}\n")  # fmt: skip
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_control_characters_in_the_sources_are_reported_with_line_and_column(tmp_path):
    from kg.sources.bibtex import load_bibtex

    (tmp_path / "references.bib").write_text(TERMINAL_BIB, encoding="utf-8")
    warnings = [(p.line, p.column) for p in load_bibtex(tmp_path / "references.bib").problems
                if p.code == "control-character"]  # fmt: skip
    assert warnings == [(1, 11), (2, 19), (3, 18)]


def test_kg_check_prints_no_raw_control_characters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "references.bib").write_text(TERMINAL_BIB, encoding="utf-8")
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert not _RAW_CONTROL.search(result.output), result.output


def test_kg_show_prints_no_raw_control_characters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "references.bib").write_text(TERMINAL_BIB, encoding="utf-8")
    result = CliRunner().invoke(main, ["show", "k\x1b]0;pwned\x07"], catch_exceptions=False)
    assert result.exit_code == 0
    assert not _RAW_CONTROL.search(result.output), result.output
