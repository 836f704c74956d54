"""``kg export``: write the graph (or part of it) in a format another tool reads."""

from __future__ import annotations

import sys

import click

from kg.cli.options import load_sources, source_options, strict_option

# kg.export is the format registry: plain data and the standard library only,
# imported here so that --help and --format can list the formats.
from kg.export import FORMATS, format_for_path

STDOUT = "-"


def _formats_epilog() -> str:
    rows = [
        f"  {fmt.name:<10} {', '.join(fmt.suffixes) or '(folder)':<20} {fmt.consumers}"
        for fmt in FORMATS.values()
    ]
    return (
        "\b\nFormats (name, suffixes, read by):\n"
        + "\n".join(rows)
        + "\n\n\bA folder (an existing one, or a path ending in /) means csv. A plain .json is\n"
        "node-link JSON: use .cyjs or --format cytoscape for Cytoscape.\n"
    )


def choose_format(ctx: click.Context, output: str, output_format: str | None) -> str:
    """Return the format to write, from --format or the suffix of -o; usage errors exit 2."""
    if output.lower().endswith(".csv"):
        raise click.UsageError(
            f"-o {output}: csv export writes two files (nodes.csv and edges.csv); "
            f"give a folder (-o {output[:-4]}/) or a zip archive (-o {output[:-4]}.zip).",
            ctx,
        )
    if output == STDOUT:
        if output_format is None:
            raise click.UsageError(
                "-o - (standard output) needs --format; choose one of: " + ", ".join(FORMATS), ctx
            )
        if not FORMATS[output_format].single_file:
            raise click.UsageError(
                f"--format {output_format} writes several files and cannot go to standard output; "
                f"give a folder or a .zip path with -o.",
                ctx,
            )
        return output_format
    if output_format is not None:
        return output_format
    guessed = format_for_path(output)
    if guessed is None:
        suffixes = ", ".join(s for fmt in FORMATS.values() for s in fmt.suffixes)
        raise click.UsageError(
            f"cannot tell the format of -o {output} from its name; pass --format "
            f"({', '.join(FORMATS)}) or use a known suffix ({suffixes}), or a folder for csv.",
            ctx,
        )
    return guessed


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@click.command(epilog=_formats_epilog())
@source_options
@strict_option
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="PATH",
    help="Where to write: a file, a folder or .zip (csv), or - for standard output.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default=None,
    help="Export format (default: from the suffix of -o; see the list below).",
)
@click.option("--objective", "objectives", multiple=True, metavar="ID",
              help="Export only the part of the graph around this objective (repeatable).")  # fmt: skip
@click.option("--concept", "concepts", multiple=True, metavar="ID",
              help="Export only the part of the graph around this concept (repeatable).")  # fmt: skip
@click.pass_context
def export(ctx, bib_path, concepts_path, output, output_format, objectives, concepts):
    """Export to Gephi, Cytoscape, Neo4j, Zotero and more.

    Writes every paper, author, concept, objective and quote with their links,
    or, with --objective / --concept, only the part around them: those nodes,
    the concepts the objectives cover, the papers linked to any of these, the
    quotes that illustrate them (and the papers quoted), and the authors of
    every paper kept. Files are replaced atomically.
    """
    fmt = choose_format(ctx, output, output_format)

    from kg.export import write
    from kg.export.select import neighbourhood
    from kg.graph import build_graph
    from kg.query import resolve

    corpus = load_sources(ctx, bib_path, concepts_path)
    graph = build_graph(corpus)
    chosen_objectives = [resolve(graph, text, kinds=("objective",)) for text in objectives]
    chosen_concepts = [resolve(graph, text, kinds=("concept",)) for text in concepts]
    part = neighbourhood(graph, chosen_objectives, chosen_concepts)

    # bytes, not text: a bibliography may hold bytes that are not UTF-8, kept as they are
    target = getattr(sys.stdout, "buffer", sys.stdout) if output == STDOUT else output
    write(fmt, part, corpus, target)
    where = "standard output" if output == STDOUT else output
    if fmt in ("bibtex", "csl-json"):
        papers = sum(1 for _, kind in part.nodes(data="kind") if kind == "paper")
        what = _count(papers, "entry").replace("entrys", "entries")
    else:
        what = f"{_count(part.number_of_nodes(), 'node')}, {_count(part.number_of_edges(), 'edge')}"
    click.echo(f"kg: wrote {fmt} to {where}: {what}", err=True)
