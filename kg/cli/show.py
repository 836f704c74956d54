"""``kg show``: everything about one node, as text or JSON."""

from __future__ import annotations

import click

from kg.cli.options import dump_json, format_option, graph_of, source_options
from kg.cli.wrapping import wrap_hanging


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
    corpus, graph = graph_of(ctx, bib_path, concepts_path)

    def answer():
        from kg.cite import format_citations
        from kg.query import node_details

        details = node_details(graph, node_id)
        if details["kind"] == "paper":
            key = details["attributes"]["key"]
            details["citation"] = format_citations(corpus, [key]).get(key, "")
            if key in corpus.papers and corpus.papers[key].inherited:
                details["inherited"] = dict(corpus.papers[key].inherited)
        return details

    details = answer()
    if output_format == "json":
        click.echo(dump_json(details))
        return
    attributes = dict(details["attributes"])
    heading = details["id"]
    if details["label"] and details["label"] != details["id"].partition(":")[2]:
        heading += f": {details['label']}"
    click.echo(wrap_hanging(heading))
    if details.get("citation"):
        click.echo(wrap_hanging(details["citation"], 4, first="  citation: "))
    line = attributes.pop("line", None)
    source = attributes.pop("file", None) or (
        corpus.bib_path if details["kind"] == "paper" else corpus.concepts_path
    )
    for name, value in attributes.items():
        click.echo(wrap_hanging(str(value), 4, first=f"  {name}: "))
    if line and source:
        click.echo(f"  defined at: {source}:{line}")
    for origin, names in _by_origin(details.get("inherited", {})).items():
        click.echo(wrap_hanging(f"{', '.join(names)} from {origin}", 4, first="  inherited: "))
    if details["links"]:
        click.echo("")
        click.echo("Links:")
        for link in details["links"]:
            click.echo(wrap_hanging(link["text"], 4, first="  - "))
            if link.get("reason"):
                click.echo(wrap_hanging(link["reason"], 6, first="    reason: "))


def _by_origin(inherited: dict[str, str]) -> dict[str, list[str]]:
    """{entry key: the fields taken from it}, in the order they were taken."""
    grouped: dict[str, list[str]] = {}
    for name, origin in inherited.items():
        grouped.setdefault(origin, []).append(name)
    return grouped
