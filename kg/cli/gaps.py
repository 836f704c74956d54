"""``kg gaps``: where the reading list is thin, and how to close it."""

from __future__ import annotations

import click

from kg.cli.options import dump_json, format_option, graph_of, source_options
from kg.cli.wrapping import wrap_hanging

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

    corpus, graph = graph_of(ctx, bib_path, concepts_path)
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
            lines.append(wrap_hanging(f"{gap.node} {gap.label}: {gap.gap}", 4, first="  - "))
            lines.append(wrap_hanging(gap.fix, 8, first="    fix: "))
        blocks.append("\n".join(lines))
    click.echo("\n\n".join(blocks))
