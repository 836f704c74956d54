"""``kg render``: write the concept map, one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.options import load_sources, source_options, strict_option, warn

DEFAULT_OUTPUT = "concept-map.html"


@click.command()
@source_options
@strict_option
@click.option(
    "-o",
    "--output",
    "output_path",
    default=DEFAULT_OUTPUT,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="HTML file to write (replaced atomically).",
)
@click.option(
    "--title", default=None, help="Title shown on the map [default: the concepts file's title]."
)
@click.option(
    "--open", "open_browser", is_flag=True, help="Open the map in the default web browser."
)
@click.option(
    "--watch", is_flag=True, help="Rebuild the map whenever a source file changes (Ctrl-C stops)."
)
@click.pass_context
def render(ctx, bib_path, concepts_path, output_path, title, open_browser, watch):
    """Write the concept map: one offline HTML file.

    The page needs no network: vis-network and everything else are inside it.
    Open it in any browser to search, filter by kind, step through the
    learning objectives, and read each node's details. The same sources
    always give the same file.
    """
    corpus = load_sources(ctx, bib_path, concepts_path)
    _write(corpus, output_path, title)
    if open_browser:
        _open(output_path)
    if watch:
        _watch(ctx, bib_path, concepts_path, output_path, title)


def _write(corpus, output_path: Path, title: str | None) -> None:
    """Render and write the map, then say what was written."""
    from kg.render import write_map

    result = write_map(corpus, output_path, title=title)
    click.echo(f"Wrote {output_path} ({result.nodes} nodes, {result.edges} edges)")


def _open(output_path: Path) -> None:
    """Show the map in the user's browser (a warning, not a failure, when there is none)."""
    import webbrowser

    if not webbrowser.open(output_path.resolve().as_uri()):
        warn(f"could not start a web browser; open {output_path} yourself")


def _watch(ctx, bib_path: Path, concepts_path: Path, output_path: Path, title: str | None) -> None:
    """Rebuild on every change to either source until interrupted.

    Errors in the sources are printed and the loop goes on, so a trainer can
    fix a typo in concepts.yaml and see the map come back.
    """
    from watchfiles import watch

    from kg.cli.options import ENCODING, resolve_sources
    from kg.errors import KgError
    from kg.sources import load

    watched = {bib_path.resolve()}
    if concepts_path.exists():
        watched.add(concepts_path.resolve())
    folders = sorted({str(path.parent) for path in watched})
    click.echo(f"Watching {', '.join(str(p) for p in sorted(watched))} (Ctrl-C stops)", err=True)
    try:
        for changes in watch(
            *folders, watch_filter=lambda _change, path: Path(path).resolve() in watched
        ):
            changed = sorted({Path(path).name for _change, path in changes})
            click.echo(f"Changed: {', '.join(changed)}", err=True)
            try:
                bib, concepts = resolve_sources(ctx, bib_path, concepts_path)
                corpus = load(bib, concepts, use_cache=False, encoding=ctx.meta.get(ENCODING))
            except (click.UsageError, KgError, OSError) as error:
                click.echo(f"kg: error: {error}", err=True)
                continue
            for problem in corpus.errors:
                click.echo(problem.format(), err=True)
            if corpus.errors and ctx.meta.get("kg.strict"):
                click.echo(f"kg: error: {len(corpus.errors)} error(s) and --strict; the map was not rebuilt",
                           err=True)  # fmt: skip
                continue
            try:
                _write(corpus, output_path, title)
            except KgError as error:  # a map that cannot be written now may be next time
                click.echo(f"kg: error: {error}", err=True)
    except KeyboardInterrupt:
        pass
    ctx.exit(0)
