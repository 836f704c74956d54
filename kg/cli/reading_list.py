"""``kg reading-list``: a handout per objective, in Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import (
    format_option,
    graph_of,
    note,
    objective_option,
    source_options,
    style_option,
)


@click.command("reading-list")
@source_options
@objective_option("An objective to include (repeat for several; default: all).")
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
    corpus, graph = graph_of(ctx, bib_path, concepts_path)

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
