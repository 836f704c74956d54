"""``kg path``: how two nodes are connected, in words."""

from __future__ import annotations

import click

from kg.cli.options import dump_json, format_option, graph_of, source_options
from kg.cli.wrapping import wrap_hanging


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
    _corpus, graph = graph_of(ctx, bib_path, concepts_path)

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
        wrap_hanging(
            f"From {node_name(graph, first)} to {node_name(graph, last)}: "
            f"{steps} step{'s' if steps != 1 else ''}"
        )
    )
    for number, hop in enumerate(hops, start=1):
        click.echo(wrap_hanging(hop.text, 5, first=f"{number:>3}. "))
