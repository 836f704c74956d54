"""The concept map: one self-contained, offline HTML page.

::

    html = render_html(corpus, title="Vicarious resilience")
    result = write_map(corpus, "concept-map.html")

The page inlines vis-network (read from the installed pyvis package), its
stylesheet, and this package's own script and stylesheet, so it opens with no
network at all. The graph goes in as JSON inside a ``<script
type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the
page's script writes every piece of text with ``textContent``: titles, notes
and labels from the sources are data, never markup. A Content-Security-Policy
allows only the page's own scripts (by hash), so an injected event handler
could not run even if some text did reach the markup.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.fileio import atomic_write
from kg.model import Corpus

__all__ = ["MapResult", "render_html", "safe_json", "write_map"]

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


def render_html(graph_or_corpus, title: str | None = None) -> str:
    """Return the concept-map page for a :class:`~kg.model.Corpus` or a graph from :func:`kg.graph.build_graph`.

    From a corpus the papers' APA citations are formatted (with citeproc-py,
    for up to :data:`CITATIONS_UP_TO` papers); a bare graph or a larger
    bibliography shows the papers' fields instead. ``title`` defaults to the
    corpus's title (from the concepts file), then to "Concept map".
    """
    return _render(graph_or_corpus, title)[0]


def _render(graph_or_corpus, title: str | None) -> tuple[str, dict]:
    """The page and the data drawn on it."""
    from kg.render.page import page_data

    if isinstance(graph_or_corpus, Corpus):
        from kg.graph import build_graph

        corpus = graph_or_corpus
        graph = build_graph(corpus)
        citations = _citations(corpus)
        default_title = corpus.title
    else:
        graph = graph_or_corpus
        citations = {}
        default_title = graph.graph.get("title", "")
    title = title or default_title or "Concept map"
    data = page_data(graph, title=title, citations=citations)
    unread = graph_or_corpus.unread_entries if isinstance(graph_or_corpus, Corpus) else 0
    return _fill_template(data, title, unread), data


def write_map(corpus, path, title: str | None = None) -> MapResult:
    """Render the concept map of ``corpus`` and write it to ``path`` atomically, in UTF-8.

    Returns the path written and the number of nodes and edges on the map (on
    a large map, authors of a single paper are folded into it and not
    counted). Raises :class:`kg.errors.WriteError` when the file cannot be
    written (an existing file is then left as it was).
    """
    html, data = _render(corpus, title)
    written = atomic_write(path, html.encode("utf-8"))
    return MapResult(path=written, nodes=len(data["nodes"]), edges=len(data["edges"]))


def _citations(corpus: Corpus) -> dict[str, str]:
    """APA citations of every paper, as plain text (none past :data:`CITATIONS_UP_TO` papers)."""
    from kg.cite import format_citations

    if len(corpus.papers) > CITATIONS_UP_TO:
        return {}
    return format_citations(corpus, sorted(corpus.papers), style="apa")


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    """The scripts and stylesheets the page inlines."""
    pyvis = resources.files("pyvis")
    for folder in _VIS_FOLDERS:
        script = pyvis.joinpath(folder, "vis-network.min.js")
        style = pyvis.joinpath(folder, "vis-network.css")
        if script.is_file() and style.is_file():
            break
    else:  # pragma: no cover - a broken pyvis install
        raise RuntimeError(
            "vis-network is missing from the installed pyvis package; reinstall pyvis"
        )
    own = resources.files("kg.render").joinpath("assets")
    return {
        "vis_js": script.read_text(encoding="utf-8"),
        "vis_css": style.read_text(encoding="utf-8"),
        "map_js": own.joinpath("map.js").read_text(encoding="utf-8"),
        "map_css": own.joinpath("map.css").read_text(encoding="utf-8"),
    }


def _script_hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _fill_template(data: dict, title: str, unread_entries: int = 0) -> str:
    """Render the page template with the data and the inlined assets.

    ``unread_entries`` (entries of the bibliography that could not be read)
    shows as a discreet note under the title.
    """
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
        unread_entries=unread_entries,
        policy=policy,
        data_json=Markup(safe_json(data)),
        vis_js=Markup(assets["vis_js"]),
        vis_css=Markup(assets["vis_css"]),
        map_js=Markup(assets["map_js"]),
        map_css=Markup(assets["map_css"]),
        kinds=data["kinds"],
        strengths=data["strengths"],
        objective_count=len(data["objectives"]),
        has_evidence=any(
            kind["count"] for kind in data["kinds"] if kind["kind"] in ("concept", "objective")
        ),
    )
