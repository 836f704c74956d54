"""``kg papers``: which papers support an objective or discuss a concept, ranked and cited.

Thin: the ranking is :mod:`kg.query.ranking`, citations :mod:`kg.cite`, the
terminal layout :mod:`kg.cli.wrapping`.
"""

from __future__ import annotations

import click

from kg.cli.options import (
    STRENGTH_CHOICE,
    concept_option,
    dump_json,
    fail,
    format_option,
    graph_of,
    note,
    objective_option,
    source_options,
    style_option,
)
from kg.cli.wrapping import citation_output, wrap_hanging, wrap_marked


@click.command()
@source_options
@objective_option("A learning objective (id such as 3b); repeat to ask about several, in order.")
@concept_option("A concept (id, label or alias); repeat to ask about several, in order.")
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
    if not objectives and not concepts:
        raise click.UsageError(
            "say which papers to list: give --objective ID (a learning objective, such as 1a) "
            "or --concept ID (a concept's id, label or alias); either may be repeated. "
            "`kg check` counts the objectives and concepts your files hold",
            ctx,
        )
    if objectives and concepts:
        raise click.UsageError(
            "give --objective ID or --concept ID (either may be repeated), not both", ctx
        )
    corpus, graph = graph_of(ctx, bib_path, concepts_path)
    kind = "objective" if objectives else "concept"
    asked = objectives or concepts
    markup = citation_output(output_format)

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
            citations = format_citations(corpus, keys, style=style, output=markup)
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
        wrap_hanging(_heading(data, node)),
        wrap_hanging(f"{_summary(data, node, matches, min_strength)} Citations: {style}."),
    ]
    indent = 16
    for number, match in enumerate(matches, start=1):
        lines.append("")
        first = f"{number:>3}  {match.strength:<9}  "
        lines.append(wrap_marked(citations.get(match.key, match.key), indent, first))
        for reason in match.reasons:
            lines.append(
                wrap_hanging(_reason_line(reason, labels), indent + 2, first=" " * indent + "- ")
            )
        if match.seed:
            lines.append(" " * indent + f"[{SEED_BADGE}]")
    return "\n".join(lines)


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
    from kg.fileio import read_guarded
    from kg.sources.encoding import decode_bibliography

    texts: dict[str, list[str]] = {}
    chunks = []
    for key in keys:
        paper = corpus.papers[key]
        path = paper.file or corpus.bib_path
        if path not in texts:
            data = read_guarded(path, limit=None, pipes=True, what="the bibliography")
            text, problems = decode_bibliography(data or b"", path)
            if text is None:
                fail(problems[0].format())
            texts[path] = text.split("\n")
        lines = texts[path][paper.line - 1 : paper.end_line]
        chunks.append("\n".join(line.rstrip("\r") for line in lines))
    if chunks:
        click.echo("\n\n".join(chunks))
    else:
        note("kg: no papers match")
