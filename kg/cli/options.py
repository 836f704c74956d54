"""Options and helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

DEFAULT_BIB = "references.bib"
DEFAULT_CONCEPTS = "concepts.yaml"
#: Where ``--encoding`` is kept in the click context's meta.
ENCODING = "kg.encoding"


def source_options(function):
    """Add ``--bib``, ``--concepts`` (with ``KG_BIB`` / ``KG_CONCEPTS``) and ``--encoding`` to a command."""
    function = click.option(
        "--encoding",
        metavar="NAME",
        expose_value=False,
        callback=lambda ctx, _param, value: ctx.meta.__setitem__(ENCODING, value),
        help="The bibliography's encoding when it is not UTF-8 (latin-1, cp1252, gbk...); "
        "without it such a file is read as Windows-1252, with a warning.",
    )(function)
    function = click.option(
        "--concepts",
        "concepts_path",
        envvar="KG_CONCEPTS",
        default=DEFAULT_CONCEPTS,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Concepts file (env KG_CONCEPTS). Optional: without it kg works on papers and authors.",
    )(function)
    function = click.option(
        "--bib",
        "bib_path",
        envvar="KG_BIB",
        default=DEFAULT_BIB,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="BibTeX bibliography (env KG_BIB).",
    )(function)
    return function


def format_option(*choices: str, default: str | None = None):
    """A ``--format`` option limited to ``choices`` (the first is the default)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default or choices[0],
        show_default=True,
        help="Output format.",
    )


def require_bibliography(
    ctx: click.Context, bib_path: Path, *, dangling_link_ok: bool = False
) -> None:
    """A usage error (exit 2) unless ``bib_path`` is a file (or, if allowed, a link to be written)."""
    if not bib_path.exists() and not (dangling_link_ok and bib_path.is_symlink()):
        raise click.UsageError(
            f"bibliography not found: {bib_path}. Pass --bib PATH, set KG_BIB, "
            f"or run `kg init` to start a new project.",
            ctx,
        )
    if bib_path.is_dir():
        raise click.UsageError(f"--bib {bib_path} is a folder, not a BibTeX file.", ctx)


def resolve_sources(
    ctx: click.Context, bib_path: Path, concepts_path: Path
) -> tuple[Path, Path | None]:
    """Check the source paths; return the concepts path, or None for a bibliography-only project.

    A missing bibliography is a usage error (exit 2). A missing concepts file is
    fine when it is the default one (a warning says so once); a concepts file the
    user named that does not exist is a usage error.
    """
    require_bibliography(ctx, bib_path)
    if not concepts_path.exists():
        source = ctx.get_parameter_source("concepts_path")
        if source in (click.core.ParameterSource.DEFAULT, None):
            warn(f"no concepts file ({concepts_path}): working from the bibliography alone")
            return bib_path, None
        raise click.UsageError(f"concepts file not found: {concepts_path}", ctx)
    return bib_path, concepts_path


def strict_option(function):
    """``--strict``: refuse (exit 1, nothing written) when the sources hold any error."""
    return click.option(
        "--strict",
        is_flag=True,
        expose_value=False,
        callback=lambda ctx, _param, value: ctx.meta.__setitem__(_STRICT, value),
        help="Refuse (exit 1, write nothing) when the sources hold an error; "
        "by default the output holds what could be read.",
    )(function)


_STRICT = "kg.strict"


def load_sources(
    ctx: click.Context, bib_path: Path, concepts_path: Path, *, use_cache: bool = True
):
    """Load the sources for a command that produces something from them.

    The command works on everything that could be read: errors are printed to
    stderr (``PATH:LINE: error: ...``), then one line that sums up the problems
    (``kg check`` lists the warnings too). With ``--strict`` (see
    :func:`strict_option`) an error ends the command instead, with exit 1,
    before anything is written.
    """
    from kg.sources import load

    bib_path, concepts = resolve_sources(ctx, bib_path, concepts_path)
    corpus = load(bib_path, concepts, use_cache=use_cache, encoding=ctx.meta.get(ENCODING))
    errors = corpus.errors
    for problem in errors:
        click.echo(problem.format(), err=True)
    if errors and ctx.meta.get(_STRICT):
        fail(f"{_count(len(errors), 'error')} in the sources and --strict: nothing was written; "
             f"fix them (see `kg check`) and run again")  # fmt: skip
    if errors:
        unread = corpus.unread_entries
        lost = f" ({_count(unread, 'entry', 'entries')} could not be read)" if unread else ""
        warn(f"{_count(len(errors), 'error')}{lost} and {_count(len(corpus.warnings), 'warning')} "
             f"in the sources: the output holds what could be read; `kg check` lists them, "
             f"--strict refuses")  # fmt: skip
    elif corpus.warnings:
        count = len(corpus.warnings)
        warn(f"{count} warning{'s' if count != 1 else ''} in the sources; `kg check` lists them")
    return corpus


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def warn(message: str) -> None:
    """Print a warning on stderr."""
    click.echo(f"kg: warning: {message}", err=True)


def fail(message: str, code: int = 1):
    """Print an error on stderr and exit with ``code`` (1: data problem or refused operation)."""
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(code)


def dump_json(data) -> str:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8 characters kept."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
