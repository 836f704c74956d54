"""Reading lists: one handout per learning objective, in Markdown or printable HTML.

A handout gives the objective's text, the concepts it covers with their
definitions, the essential readings (``supported`` evidence) and further
readings (``weak`` or ``inferred``) as formatted citations with DOI links,
and the quotes that illustrate the objective. Readings come in the order of
:func:`kg.query.papers_for_objective`, the ranking every command shares; a
paper on the workshop's own reading list carries a badge.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.cite import DEFAULT_STYLE, format_citations, markdown_escape
from kg.errors import KgError
from kg.model import STRENGTHS, Corpus, Story, strength_rank
from kg.query import papers_for_objective, require, short_id

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

TEMPLATE = "reading-list.html.j2"


@dataclass
class Reading:
    """One paper in a handout."""

    key: str
    strength: str
    citation_text: str
    citation_html: str  # escaped markup from citeproc, DOI linked
    doi: str = ""
    why: str = ""  # the strongest reason, with the concept it came through
    citation_markdown: str = ""  # escaped Markdown from citeproc, italics as *…*
    seed: bool = False  # on the workshop's own reading list (a badge, not evidence)
    new: bool = False  # new since the state a handout is compared with (--since)

    @property
    def doi_url(self) -> str:
        """``https://doi.org/...`` with the characters a URL cannot hold percent-encoded."""
        return doi_url(self.doi) if self.doi else ""


@dataclass
class Handout:
    """The reading list of one objective."""

    id: str
    domain: str
    text: str
    concepts: list[dict] = field(default_factory=list)  # {"id", "label", "definition", "strength"}
    essential: list[Reading] = field(default_factory=list)
    further: list[Reading] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)  # {"text", "speaker", "source", "page"}
    #: Where a handout that follows a story meets this objective: "Step 2 of 8: title".
    step: str = ""


def doi_url(doi: str) -> str:
    """The resolver URL of ``doi``, safe to put in a link."""
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/:;()._-")


def story_objectives(story: Story) -> dict[str, str]:
    """The objectives a story shows, in the order it first shows them, each with its step."""
    found: dict[str, str] = {}
    for number, step in enumerate(story.steps, start=1):
        for node in step.focus + step.reveal:
            if node.startswith("objective:") and node not in found:
                found[node] = f"Step {number} of {len(story.steps)}: {step.title}"
    return found


def build_reading_list(
    graph: nx.DiGraph,
    corpus: Corpus,
    objectives=None,
    style: str = DEFAULT_STYLE,
    story: Story | None = None,
    new_keys: Collection[str] = (),
) -> list[Handout]:
    """Handouts for ``objectives`` (ids, labels or aliases; all objectives when empty).

    With ``story``, the handouts follow it instead: the objectives its steps
    show, in the order it shows them, each saying at which step. Readings whose
    key is in ``new_keys`` are marked new (see :func:`kg.diff.new_readings`).

    Raises :class:`kg.errors.NotFoundError` for an unknown objective or style,
    and :class:`kg.errors.KgError` when the project has no objectives (or the
    story shows none).
    """
    nodes, steps = _handout_objectives(graph, objectives, story)
    handouts = []
    matches_by_node = {node: papers_for_objective(graph, node) for node in nodes}
    keys = [match.key for matches in matches_by_node.values() for match in matches]
    texts = format_citations(corpus, keys, style=style, output="text")
    markups = format_citations(corpus, keys, style=style, output="html")
    markdowns = format_citations(corpus, keys, style=style, output="markdown")
    for node in nodes:
        data = graph.nodes[node]
        handout = Handout(
            id=short_id(node),
            domain=data.get("domain", ""),
            text=data.get("text", ""),
            step=steps.get(node, ""),
        )
        for _, concept_node, cover in sorted(
            graph.out_edges(node, data=True), key=lambda edge: edge[1]
        ):
            if cover.get("relation") == "covers":
                concept = graph.nodes[concept_node]
                handout.concepts.append(
                    {
                        "id": short_id(concept_node),
                        "label": concept.get("label", ""),
                        "definition": concept.get("definition", ""),
                        "strength": cover.get("strength", ""),
                    }
                )
        handout.concepts.sort(
            key=lambda c: (
                strength_rank(c["strength"]) if c["strength"] in STRENGTHS else len(STRENGTHS),
                c["label"].casefold(),
            )
        )
        for match in matches_by_node[node]:
            paper = corpus.papers[match.key]
            best = match.reasons[0]
            through = (
                graph.nodes[f"concept:{best.through}"].get("label", best.through)
                if best.through
                else ""
            )
            why = best.reason
            if through:
                why = f"{why} (through {through})" if why else f"through {through}"
            reading = Reading(
                key=match.key,
                strength=match.strength,
                citation_text=texts.get(match.key, ""),
                citation_html=_link_doi_html(markups.get(match.key, ""), paper.doi),
                doi=paper.doi,
                why=why,
                citation_markdown=markdowns.get(match.key, ""),
                seed=match.seed,
                new=match.key in new_keys,
            )
            (handout.essential if match.strength == "supported" else handout.further).append(
                reading
            )
        handout.quotes = _quotes_illustrating(graph, node)
        handouts.append(handout)
    return handouts


def _handout_objectives(
    graph: nx.DiGraph, objectives, story: Story | None
) -> tuple[list[str], dict[str, str]]:
    """The objective nodes to write handouts for, in order, and the story step of each.

    Raises :class:`kg.errors.KgError` when there is none.
    """
    steps: dict[str, str] = {}
    if story is not None:
        steps = story_objectives(story)
        nodes = [node for node in steps if node in graph]
        if not nodes:
            raise KgError(
                f"story '{story.id}' shows no learning objective, so no handout follows it; "
                "name objectives in its steps' focus (see docs/concepts-format.md)"
            )
    elif objectives:
        nodes = list(dict.fromkeys(require(graph, text, "objective") for text in objectives))
    else:
        nodes = sorted(
            node for node, attrs in graph.nodes.items() if attrs.get("kind") == "objective"
        )
    if not nodes:
        raise KgError(
            "the project has no learning objectives; add an `objectives` section to the "
            "concepts file (see docs/concepts-format.md)"
        )
    return nodes, steps


def _quotes_illustrating(graph: nx.DiGraph, node: str) -> list[dict]:
    """The quotes that illustrate ``node``, each with its speaker, source and page."""
    quotes = []
    for quote_node, _, edge in sorted(graph.in_edges(node, data=True)):
        if edge.get("relation") != "illustrates":
            continue
        quote = graph.nodes[quote_node]
        source = quote.get("source", "")
        source_node = f"paper:{source}"
        quotes.append(
            {
                "text": quote.get("text", ""),
                "speaker": quote.get("speaker", ""),
                "source": graph.nodes[source_node].get("label", source)
                if source_node in graph
                else source,
                "page": quote.get("page", ""),
            }
        )
    return quotes


def _link_doi_html(citation_html: str, doi: str) -> str:
    """Turn the DOI URL a style printed into a link (appending one if the style printed none)."""
    if not doi:
        return citation_html
    url = doi_url(doi)
    anchor = f'<a href="{html.escape(url, quote=True)}">'
    printed = html.escape("https://doi.org/" + doi, quote=False)
    if printed in citation_html:
        return citation_html.replace(printed, f"{anchor}{printed}</a>", 1)
    return f"{citation_html} {anchor}{html.escape('doi:' + doi, quote=False)}</a>"


# ---------------------------------------------------------------- Markdown

#: The badge of a paper on the workshop's own reading list.
SEED_BADGE = "workshop reading list"


def _markdown_citation(reading: Reading, since: str = "") -> str:
    """The citation in Markdown (italics kept), its DOI a link."""
    text = reading.citation_markdown or markdown_escape(reading.citation_text)
    if reading.doi:
        printed = markdown_escape("https://doi.org/" + reading.doi)
        link = f"[{printed}]({_markdown_url(reading.doi_url)})"
        if printed in text:
            before, _, after = text.partition(printed)
            text = before + link + after
        else:
            text = f"{text} {link}"
    if reading.seed:
        text += f" ({SEED_BADGE})"
    if reading.new and since:
        text += f" ({markdown_escape(new_badge(since))})"
    return text


def new_badge(since: str) -> str:
    """The badge of a reading new since ``since`` (a revision, as the user named it)."""
    return f"new since {since}"


def _markdown_url(url: str) -> str:
    """A link target Markdown reads whole: parentheses and spaces percent-encoded."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def render_markdown(
    handouts: list[Handout], title: str = "", since: str = "", story: Story | None = None
) -> str:
    """The handouts as one Markdown document; readings marked new say since when (``since``),
    and a handout that follows ``story`` says so."""
    lines = [f"# Reading list{': ' + markdown_escape(title) if title else ''}", ""]
    if story is not None:
        lines += [f"Following the story “{markdown_escape(story.title)}”, step by step.", ""]
    if since:
        lines += [f"_{markdown_escape(_new_note(handouts, since))}_", ""]
    for handout in handouts:
        heading = f"## Objective {markdown_escape(handout.id)}"
        if handout.domain:
            heading += f" ({handout.domain})"
        lines += [heading, ""]
        if handout.step:
            lines += [f"_{markdown_escape(handout.step)}_", ""]
        lines += [markdown_escape(handout.text), ""]
        if handout.concepts:
            lines += ["### Concepts", ""]
            for concept in handout.concepts:
                entry = f"- **{markdown_escape(concept['label'])}**"
                if concept["definition"]:
                    entry += f": {markdown_escape(concept['definition'])}"
                lines.append(entry)
            lines.append("")
        for heading, readings, empty in (
            ("Essential readings", handout.essential, no_supported_reading(handout)),
            ("Further readings", handout.further, "None."),
        ):
            lines += [f"### {heading}", ""]
            if not readings:
                lines += [f"_{empty}_", ""]
                continue
            for number, reading in enumerate(readings, start=1):
                lines.append(f"{number}. {_markdown_citation(reading, since)}")
                if reading.why:
                    lines.append(f"   - _{reading.strength}:_ {markdown_escape(reading.why)}")
            lines.append("")
        if handout.quotes:
            lines += ["### Quotes", ""]
            for quote in handout.quotes:
                lines.append(f"> “{markdown_escape(quote['text'])}”")
                attribution = ", ".join(
                    part
                    for part in (
                        quote["speaker"],
                        quote["source"],
                        f"p. {quote['page']}" if quote["page"] else "",
                    )
                    if part
                )
                if attribution:
                    lines.append(f"> — {markdown_escape(attribution)}")
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- HTML


def no_supported_reading(handout: Handout) -> str:
    """What a handout says when no reading supports its objective with supported evidence."""
    if handout.further:
        return (
            f"No reading supports {handout.id} directly yet; "
            f"the further readings below are the closest."
        )
    return f"No reading is linked to {handout.id} yet."


def _new_note(handouts: list[Handout], since: str) -> str:
    """The line under a handout's title that says what the new-reading badge means."""
    count = len(
        {r.key for handout in handouts for r in handout.essential + handout.further if r.new}
    )
    if not count:
        return f"No reading is new since {since}."
    readings = "reading" if count == 1 else "readings"
    return f"New since {since}: {count} {readings}, marked so below."


def render_html(
    handouts: list[Handout], title: str = "", since: str = "", story: Story | None = None
) -> str:
    """The handouts as one self-contained, printable HTML page (every value escaped)."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    environment = Environment(
        loader=PackageLoader("kg", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = environment.get_template(TEMPLATE)
    # Citations come from kg.cite's HTML formatter, which escapes every value itself.
    safe = {
        id(reading): Markup(reading.citation_html)
        for handout in handouts
        for reading in handout.essential + handout.further
    }
    return template.render(
        handouts=handouts,
        title=title,
        story=story,
        citation=lambda r: safe[id(r)],
        no_supported_reading=no_supported_reading,
        seed_badge=SEED_BADGE,
        new_badge=new_badge(since) if since else "",
        new_note=_new_note(handouts, since) if since else "",
    )
