"""``kg reading-list``: a handout per objective, in Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.diff import changes_since, since_option
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
@click.option(
    "--story",
    "story_name",
    metavar="NAME",
    help="Follow a story of the concepts file: its objectives in the order its steps show them.",
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
@since_option("the readings")
@click.pass_context
def reading_list(
    ctx,
    bib_path,
    concepts_path,
    objectives,
    story_name,
    style,
    output_format,
    output_path,
    since,
):
    """A handout per objective (Markdown or HTML).

    Each handout gives the objective, its concepts with their definitions,
    essential readings (supported) and further readings (weak, inferred) as
    formatted citations with DOI links, and the quotes that illustrate it.
    The HTML version is one file with a print stylesheet. With --story, the
    handout follows a story: its objectives in the order the story shows them,
    each with the step where it comes. With --since OLD (a git revision or tag,
    as for kg diff), readings added since then carry a "new since OLD" badge.
    """
    if story_name is not None and objectives:
        raise click.UsageError("give --objective or --story, not both")
    corpus, graph = graph_of(ctx, bib_path, concepts_path)
    new_keys: set[str] = set()
    if since is not None:
        from kg.diff import new_readings

        new_keys = new_readings(changes_since(ctx, bib_path, concepts_path, corpus, since, graph))

    def answer():
        from kg.fileio import atomic_write
        from kg.query import resolve_story
        from kg.reading_list import build_reading_list, render_html, render_markdown

        story = resolve_story(corpus.stories, story_name) if story_name is not None else None
        handouts = build_reading_list(
            graph, corpus, objectives, style=style, story=story, new_keys=new_keys
        )
        render = render_html if output_format == "html" else render_markdown
        document = render(handouts, corpus.title, since or "", story)
        if output_path is None:
            return document
        atomic_write(output_path, document)
        note(f"wrote {output_path} ({len(handouts)} objective{'s' if len(handouts) != 1 else ''})")
        return None

    document = answer()
    if document is not None:
        click.echo(document, nl=False)
