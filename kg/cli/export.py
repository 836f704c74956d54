"""``kg export``: write the graph (or part of it) in a format another tool reads."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.options import (
    concept_option,
    count_of,
    fail,
    load_sources,
    note,
    objective_option,
    source_options,
)

# kg.export is the format registry: plain data and the standard library only,
# imported here so that --help and --format can list the formats.
from kg.export import FORMATS, format_for_path

STDOUT = "-"
#: Formats that carry the map's drawing (positions, colours, sizes).
DRAWING_FORMATS = ("gexf", "graphml", "cytoscape")
#: The layout file `kg render` keeps beside its default map.
DEFAULT_LAYOUT = "concept-map.layout.json"


def _formats_epilog() -> str:
    rows = [
        f"  {fmt.name:<10} {', '.join(fmt.suffixes) or '(folder)':<20} {fmt.consumers}"
        for fmt in FORMATS.values()
    ]
    return (
        "\b\nFormats (name, suffixes, read by):\n"
        + "\n".join(rows)
        + "\n\n\b\nA folder (an existing one, or a path ending in /) means csv. A plain .json is\n"
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
    if output.lower().endswith(".parquet") and output_format is None:
        raise click.UsageError(
            f"-o {output}: parquet export writes two tables (nodes.parquet and edges.parquet) "
            f"into a folder; give one with --format parquet (-o {output[:-8]}/ --format parquet).",
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


def _map_positions(layout_path: Path | None) -> dict | None:
    """Positions from the named layout file, or from the default map's when it exists."""
    from kg.drawing.layout_file import load_layout

    path = layout_path or Path(DEFAULT_LAYOUT)
    layout = load_layout(path)
    if layout is None and layout_path is not None:
        fail(f"layout file not found: {layout_path}; `kg render` writes one beside the map")
    if layout is None:
        return None
    for problem in layout.problems:
        note(problem.format())
    note(f"positions from {path}")
    return layout.positions


@click.command(epilog=_formats_epilog())
@source_options
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
@click.option(
    "--dialect",
    # kg.export.cypher.DIALECTS, spelt out so that --help does not import the writer
    type=click.Choice(["neo4j", "opencypher", "kuzu"]),
    default=None,
    help="Cypher flavour (cypher only): neo4j (default), opencypher (no vendor syntax), or kuzu (frozen: Kùzu is archived).",
)
@click.option(
    "--layout",
    "layout_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Node positions from this map's layout file (gexf, graphml, cytoscape; "
    f"default: {DEFAULT_LAYOUT} when it exists), so the drawing matches the map.",
)
@objective_option("Export only the part of the graph around this objective (repeatable).")
@concept_option("Export only the part of the graph around this concept (repeatable).")
@click.pass_context
def export(
    ctx, bib_path, concepts_path, output, output_format, dialect, layout_path, objectives, concepts
):
    """Export to Gephi, Cytoscape, Neo4j, Zotero and more.

    Writes every paper, author, concept, objective and quote with their links,
    or, with --objective / --concept, only the part around them: those nodes,
    the concepts the objectives cover, the papers linked to any of these, the
    quotes that illustrate them (and the papers quoted), and the authors of
    every paper kept. Files are replaced atomically.
    """
    fmt = choose_format(ctx, output, output_format)
    if dialect is not None and fmt != "cypher":
        raise click.UsageError(
            f"--dialect chooses a Cypher flavour; this export is {fmt}. "
            "Use it with --format cypher or a .cypher / .cql path.",
            ctx,
        )
    options = {"dialect": dialect} if dialect else {}
    if layout_path is not None and fmt not in DRAWING_FORMATS:
        raise click.UsageError(
            f"--layout gives positions to a drawing ({', '.join(DRAWING_FORMATS)}); "
            f"this export is {fmt}.",
            ctx,
        )
    if fmt in DRAWING_FORMATS:
        options["previous"] = _map_positions(layout_path)

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
    write(fmt, part, corpus, target, **options)
    where = "standard output" if output == STDOUT else output
    if fmt in ("bibtex", "csl-json"):
        papers = sum(1 for _, kind in part.nodes(data="kind") if kind == "paper")
        what = count_of(papers, "entry", "entries")
    else:
        what = f"{count_of(part.number_of_nodes(), 'node')}, {count_of(part.number_of_edges(), 'edge')}"
    note(f"kg: wrote {fmt} to {where}: {what}")
