"""The concept map: one self-contained, offline HTML page.

::

    html = render_html(corpus, title="Vicarious resilience")
    result = write_map(corpus, "concept-map.html", layout="concept-map.layout.json")

The page inlines vis-network (read from the installed pyvis package), its
stylesheet, and this package's own script and stylesheet, so it opens with no
network at all. The graph goes in as JSON inside a ``<script
type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the
page's script writes every piece of text with ``textContent``: titles, notes
and labels from the sources are data, never markup. A Content-Security-Policy
allows only the page's own scripts (by hash), so an injected event handler
could not run even if some text did reach the markup.

What the page draws, and where, is the graph's drawing (:mod:`kg.drawing`,
shared with the exports that draw): positions computed in Python and kept
between renders in a layout file (:mod:`kg.drawing.layout_file`), so a map
that grows keeps its geography, and on a bibliography alone the links and
named clusters of shared authors and keywords. The page also carries a
second set of positions, the timeline (:mod:`kg.render.timeline`).
Given what changed since an earlier state (:class:`kg.diff.Changes`), it
carries one mark per new or changed node under its ``since`` key
(:func:`kg.diff.marks.page_marks`), which ``since.js`` draws.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.drawing.layout_file import layout_path_for
from kg.fileio import atomic_write
from kg.model import Corpus

__all__ = [
    "MapResult",
    "layout_path_for",
    "map_html",
    "page_json",
    "render_html",
    "safe_json",
    "unpack_page_json",
    "write_map",
]

#: vis-network inside the pyvis package, newest first.
_VIS_FOLDERS = (
    "lib/vis-9.1.2",
    "templates/lib/vis-9.1.2",
    "lib/vis-9.0.4",
    "templates/lib/vis-9.0.4",
)

#: APA citations are formatted for maps with up to this many papers; citeproc-py takes
#: about 40 ms a paper, so larger maps show each paper's fields instead.
CITATIONS_UP_TO = 250

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True)
class MapResult:
    """What :func:`write_map` wrote."""

    path: Path
    nodes: int
    edges: int
    #: The layout file read and written beside the map (None when none was asked for).
    layout: Path | None = None
    #: Nodes placed afresh: all of them without a layout file, the new ones with one.
    placed: int = 0
    #: Named clusters of a bibliography-only map.
    clusters: int = 0
    #: The layout file held too little of the map to keep: it was laid out afresh.
    laid_afresh: bool = False
    #: Warnings about the layout file: nodes whose stored place could not be used.
    layout_problems: tuple = ()


#: What the page data carries for the writer of the map, not for the page.
OUT_OF_PAGE = ("positions", "laidAfresh")


def safe_json(data) -> str:
    """Serialise ``data`` as JSON that can sit inside a ``<script>`` element.

    Keys are sorted for a stable file. ``<``, ``>`` and ``&`` become ``\\u``
    escapes, so no text can close the element or open a comment, and the line
    separators U+2028 and U+2029 are escaped for old JavaScript parsers.
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for character, escape in _JSON_ESCAPES.items():
        text = text.replace(character, escape)
    return text


#: Page data with this many nodes and edges or more is packed: its edges' looks and hover
#: text go into lookup tables, and the whole is gzip-compressed and written in base64.
PACK_FROM = 3000
#: The gzip level of packed page data: level 4 takes half the time of the usual 6 for a
#: file 4% larger (cdl.bib: 0.08 s against 0.17 s; 3.20 MB against 3.09 MB of HTML).
PACK_LEVEL = 4


def page_json(data: dict) -> str:
    """The page's data block: ``data`` as :func:`safe_json`, packed on a large map.

    A packed block is ``{"packed": BASE64}``, the gzip of the JSON of
    :func:`kg.render.page.pack_tables` of ``data``; the page inflates it with
    the browser's own ``DecompressionStream``, offline. Compressed with a
    fixed time stamp, the same data always gives the same file.
    """
    if len(data.get("nodes", ())) + len(data.get("edges", ())) < PACK_FROM:
        return safe_json(data)
    import gzip

    from kg.render.page import pack_tables

    packed = safe_json(pack_tables(data)).encode("utf-8")
    compressed = gzip.compress(packed, PACK_LEVEL, mtime=0)
    # Base64 holds no character that needs escaping inside a script element.
    return '{"packed":"' + base64.b64encode(compressed).decode() + '"}'


def unpack_page_json(text: str) -> dict:
    """The data of a page's data block (:func:`page_json`), packed or not, as the page reads it."""
    block = json.loads(text)
    if "packed" not in block:
        return block
    import gzip

    from kg.render.page import unpack_tables

    return unpack_tables(json.loads(gzip.decompress(base64.b64decode(block["packed"]))))


def render_html(graph_or_corpus, title: str | None = None) -> str:
    """Return the concept-map page for a :class:`~kg.model.Corpus` or a graph from :func:`kg.graph.build_graph`.

    From a corpus the papers' APA citations are formatted (with citeproc-py,
    for up to :data:`CITATIONS_UP_TO` papers); a bare graph or a larger
    bibliography shows the papers' fields instead. ``title`` defaults to the
    corpus's title (from the concepts file), then to "Concept map".
    """
    return _render(graph_or_corpus, title)[0]


def _render(
    graph_or_corpus, title: str | None, previous: dict | None = None, since=None
) -> tuple[str, dict]:
    """The page and the data drawn on it; ``since`` (:class:`kg.diff.Changes`) marks what changed.

    The graph, its drawing and the page data are hundreds of thousands of
    small objects that live until the page is written and hold almost no
    reference cycles, so the cycle collector is kept off meanwhile (walking
    them again and again freed nothing and took a fifth of a large render).
    """
    from kg.sources.speed.collector import collector_off

    with collector_off():
        return _render_page(graph_or_corpus, title, previous, since)


def _render_page(
    graph_or_corpus, title: str | None, previous: dict | None, since
) -> tuple[str, dict]:
    """:func:`_render`, with the collector as the caller left it."""
    from kg.render.page import page_data

    if isinstance(graph_or_corpus, Corpus):
        from kg.graph import build_graph

        corpus = graph_or_corpus
        graph = build_graph(corpus)
        spans = _citation_spans(corpus)
        default_title = corpus.title
        note = sources_note(len(corpus.errors), corpus.unread_entries)
    else:
        corpus = None
        graph = graph_or_corpus
        spans = {}
        default_title = graph.graph.get("title", "")
        note = ""
    title = title or default_title or "Concept map"
    citations = {key: "".join(text for text, _italic in parts) for key, parts in spans.items()}
    data = page_data(graph, title=title, citations=citations, previous=previous)
    _add_rich_text(data, corpus, spans)
    if since is not None:
        from kg.diff.marks import page_marks

        data["since"] = page_marks(since, [node["id"] for node in data["nodes"]])
    return _fill_template(data, title, note), data


def _add_rich_text(data: dict, corpus: Corpus | None, spans: dict[str, list]) -> None:
    """The stories, and each citation's italic spans, into the page's data."""
    from kg.render.stories import stories_data

    details = data["details"]
    for key, parts in spans.items():
        info = details.get(f"paper:{key}")
        if info is not None and any(italic for _text, italic in parts):
            info["citationSpans"] = parts
    data["stories"] = stories_data(corpus, set(details)) if corpus is not None else []


def sources_note(errors: int, unread_entries: int = 0) -> str:
    """The map's note on a corpus that had errors: what is missing, and what to run."""
    if unread_entries:
        entries = "entry" if unread_entries == 1 else "entries"
        return f"{unread_entries} {entries} could not be read — run kg check"
    if not errors:
        return ""
    return (
        f"{errors} error{'s' if errors != 1 else ''} in the sources: what could not be "
        "read is not on this map — run kg check"
    )


def write_map(
    corpus,
    path,
    title: str | None = None,
    *,
    layout: str | Path | None = None,
    relayout: bool = False,
    since=None,
) -> MapResult:
    """Render the concept map of ``corpus`` and write it to ``path`` atomically, in UTF-8.

    With ``layout`` (a layout file, see :mod:`kg.drawing.layout_file`), the
    positions stored there are kept and the file is updated after the map
    is written; ``relayout`` ignores what it holds and lays the map out
    afresh. With ``since`` (:class:`kg.diff.Changes` from an earlier state
    to this corpus), the page marks what is new or changed. Returns the path
    written and the number of nodes and edges on
    the map (on a large map, authors of a single paper are folded into it
    and not counted; neither are cluster names and the links between papers
    of a bibliography alone). Raises :class:`kg.errors.WriteError` when a file
    cannot be written (an existing file is then left as it was) and
    :class:`kg.errors.KgError` when the layout file cannot be read. Both files
    are checked before either is written (a layout path that is a source, a
    FIFO or a link out of the project is refused with the map untouched).
    """
    from kg.drawing.layout_file import load_layout, write_layout
    from kg.errors import WriteError
    from kg.fileio import check_output

    if layout is not None:
        try:
            check_output(layout)
        except WriteError as error:
            raise WriteError(
                f"{error} (it is where the map {path} keeps its layout: give the map another name)"
            ) from None
    stored = load_layout(layout) if layout is not None and not relayout else None
    previous = stored.positions if stored is not None else None
    html, data = _render(corpus, title, previous, since)
    written = atomic_write(path, html.encode("utf-8"))
    if layout is not None:
        write_layout(layout, data["positions"], Path(path).name)
    drawn = [node for node in data["nodes"] if node["group"] not in ("cluster", "clusterDisc")]
    known = previous or {}
    return MapResult(
        path=written,
        nodes=len(drawn),
        edges=sum(1 for edge in data["edges"] if not edge["id"].startswith("s")),
        layout=Path(layout) if layout is not None else None,
        placed=sum(1 for node in data["positions"] if node not in known),
        clusters=len(data["nodes"]) - len(drawn),
        layout_problems=tuple(stored.problems) if stored is not None else (),
        laid_afresh=data["laidAfresh"],
    )


def map_html(corpus, title: str | None = None, *, layout: str | Path | None = None, since=None):
    """The map's page as text, laid out as the layout file says (nothing is written).

    Returns ``(html, problems)``: the warnings about the layout file's nodes.
    For ``kg render -o -``, which prints the map and keeps no layout file.
    """
    from kg.drawing.layout_file import load_layout

    stored = load_layout(layout) if layout is not None else None
    html, _data = _render(corpus, title, stored.positions if stored is not None else None, since)
    return html, list(stored.problems) if stored is not None else []


def _citation_spans(corpus: Corpus) -> dict[str, list]:
    """APA citations of every paper as ``[text, italic]`` spans (none past :data:`CITATIONS_UP_TO` papers)."""
    from kg.cite import format_citations
    from kg.render.stories import citation_spans

    if len(corpus.papers) > CITATIONS_UP_TO:
        return {}
    formatted = format_citations(corpus, sorted(corpus.papers), style="apa", output="html")
    return {key: citation_spans(citation) for key, citation in formatted.items()}


#: The page's script, one file per responsibility, joined in this order into one function
#: scope (so they share its state) and inlined as one script, whose hash the page's policy allows.
MAP_SCRIPTS = (
    "core.js",
    "labels.js",
    "placement.js",
    "view.js",
    "panel.js",
    "focus.js",
    "timeline.js",
    "search.js",
    "list.js",
    "story.js",
    "console.js",
    "start.js",
    "since.js",
    "clusters.js",
)

_MAP_SCRIPT_HEADER = """/* kg concept map: the page's behaviour.
 *
 * Every piece of text from the sources reaches the page through textContent
 * (or vis-network's innerText tooltips): never through innerHTML. The data is
 * read from a JSON block, so it is parsed, never executed.
 */
(async function () {
"use strict";
"""


def _map_script(assets) -> str:
    """The page's own script: :data:`MAP_SCRIPTS` joined inside one function."""
    parts = [assets.joinpath(name).read_text(encoding="utf-8") for name in MAP_SCRIPTS]
    return _MAP_SCRIPT_HEADER + "\n".join(parts) + "})();\n"


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """The scripts and stylesheets the page inlines."""
    pyvis = resources.files("pyvis")
    for folder in _VIS_FOLDERS:
        script = pyvis / folder / "vis-network.min.js"
        style = pyvis / folder / "vis-network.css"
        if script.is_file() and style.is_file():
            break
    else:  # pragma: no cover - a broken pyvis install
        raise RuntimeError(
            "vis-network is missing from the installed pyvis package; reinstall pyvis"
        )
    own = resources.files("kg.render").joinpath("assets")
    return {
        "vis_js": script.read_text(encoding="utf-8"),
        "vis_css": without_pictures(style.read_text(encoding="utf-8")),
        "map_js": _map_script(own),
        "map_css": own.joinpath("map.css").read_text(encoding="utf-8"),
    }


def without_pictures(css: str) -> str:
    """vis-network's stylesheet without its rules that draw pictures (inlined as ``data:`` URLs).

    They draw the buttons of its navigation, editing and close controls,
    which the map never turns on: 206 KB of a 220 KB stylesheet, a fifth of
    the workshop's page, and more than a paper's share of a large map's.
    """
    return re.sub(r"[^{}]*\{[^{}]*url\(\s*['\"]?data:[^{}]*\}", "", css)


def _script_hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _fill_template(data: dict, title: str, note: str = "") -> str:
    """Render the page template with the data and the inlined assets."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    environment = Environment(
        loader=PackageLoader("kg.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    template = environment.get_template("map.html.j2")
    assets = _assets()
    for name in ("vis_js", "map_js"):
        if "</script" in assets[name].lower():  # pragma: no cover - would break the page
            raise RuntimeError(f"{name} contains '</script' and cannot be inlined")
    policy = (
        "default-src 'none'; "
        f"script-src {_script_hash(assets['vis_js'])} {_script_hash(assets['map_js'])}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return template.render(
        title=title,
        sources_note=note,
        policy=policy,
        data_json=Markup(
            page_json({key: value for key, value in data.items() if key not in OUT_OF_PAGE})
        ),
        vis_js=Markup(assets["vis_js"]),
        vis_css=Markup(assets["vis_css"]),
        map_js=Markup(assets["map_js"]),
        map_css=Markup(assets["map_css"]),
        kinds=data["kinds"],
        strengths=data["strengths"],
        objective_count=len(data["objectives"]),
        shared_links=data["settings"]["sharedLinks"],
        has_evidence=any(
            kind["count"] for kind in data["kinds"] if kind["kind"] in ("concept", "objective")
        ),
    )
