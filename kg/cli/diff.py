"""``kg diff``: what changed between two states of the project, in words."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.options import (
    ENCODING,
    dump_json,
    format_option,
    resolve_sources,
    source_options,
    warn,
)

WORKING_TREE = "the working tree"


@click.command()
@source_options(strict=False)
@click.argument("old", required=False, metavar="[OLD")
@click.argument("new", required=False, metavar="[NEW]]")
@click.option(
    "--bib-old",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Compare with this bibliography instead of a git revision.",
)
@click.option(
    "--concepts-old",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The concepts file that goes with --bib-old (without it: a bibliography alone).",
)
@format_option("text", "markdown", "json")
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit 1 when the states differ and 0 when they do not, as git diff --exit-code does.",
)
@click.pass_context
def diff(ctx, bib_path, concepts_path, old, new, bib_old, concepts_old, output_format, exit_code):
    """What changed since the last workshop, in words.

    Compares two states of references.bib and concepts.yaml: git revisions
    OLD and NEW (OLD defaults to HEAD, the last commit, and may be a tag such
    as workshop-2026-spring; NEW defaults to the working tree), or, without
    git, the files given by --bib-old and --concepts-old against the current
    ones.

    \b
    It reports papers added, removed, renamed (a new key for the same DOI or
    title) and changed field by field; concepts, objectives and quotes added,
    removed or reworded; relations and evidence links added, removed or
    re-rated; for each objective, what changed in its answer as kg papers
    ranks it (a new first paper, papers entering or leaving the top five,
    supported evidence gained or lost); and the new problems kg check would
    report. A report: it exits 0 unless --exit-code is given.
    """
    from kg.diff import compare, format_markdown, format_text

    old_state, new_state = _states(ctx, bib_path, concepts_path, old, new, bib_old, concepts_old)
    for name in old_state.missing + new_state.missing:
        warn(f"{name} does not exist: compared as an empty file")
    changes = compare(old_state, new_state)
    if output_format == "json":
        click.echo(dump_json(changes.as_dict()))
    elif output_format == "markdown":
        click.echo(format_markdown(changes), nl=False)
    else:
        click.echo(format_text(changes), nl=False)
    if exit_code and changes:
        sys.exit(1)


def _states(ctx, bib_path, concepts_path, old, new, bib_old, concepts_old):
    """The two states the options name (see the command's help); usage is checked before loading."""
    from kg.diff import state_at_revision, state_from_files

    encoding = ctx.meta.get(ENCODING)
    if concepts_old is not None and bib_old is None:
        raise click.UsageError("--concepts-old goes with --bib-old", ctx)
    if bib_old is not None and old is not None:
        raise click.UsageError("give revisions or --bib-old, not both", ctx)
    if new is None:  # the files as they are now: a missing one is a usage error, found first
        bib, concepts = resolve_sources(ctx, bib_path, concepts_path)
    if bib_old is not None:
        label = f"{bib_old} and {concepts_old}" if concepts_old else str(bib_old)
        old_state = state_from_files(bib_old, concepts_old, label, encoding=encoding)
        label = f"{bib} and {concepts}" if concepts else str(bib)
        return old_state, state_from_files(bib, concepts, label, encoding=encoding)
    old_state = state_at_revision(bib_path, concepts_path, old or "HEAD", encoding=encoding)
    if new is not None:
        return old_state, state_at_revision(bib_path, concepts_path, new, encoding=encoding)
    return old_state, state_from_files(bib, concepts, WORKING_TREE, encoding=encoding)


def since_option(what: str):
    """``--since OLD``: mark what is new or changed since a git revision (``what`` says where)."""
    return click.option(
        "--since",
        metavar="OLD",
        default=None,
        help=f"Mark {what} new or changed since OLD, a git revision or tag (see kg diff).",
    )


def changes_since(ctx, bib_path: Path, concepts_path: Path, corpus, revision: str, graph=None):
    """What changed from ``revision`` of the sources to ``corpus`` (and its ``graph``, if built)."""
    from kg.diff import compare, state_at_revision
    from kg.diff.states import State
    from kg.graph import build_graph

    old = state_at_revision(bib_path, concepts_path, revision, encoding=ctx.meta.get(ENCODING))
    new = State(WORKING_TREE, corpus, graph if graph is not None else build_graph(corpus))
    return compare(old, new)
