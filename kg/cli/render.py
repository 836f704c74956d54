"""``kg render``: write the concept map, one offline HTML file."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import NamedTuple

import click

from kg.cli.diff import changes_since, since_option
from kg.cli.options import SourceOptions, count_of, load_sources, note, source_options, warn

DEFAULT_OUTPUT = "concept-map.html"


@click.command()
@source_options
@click.option(
    "-o",
    "--output",
    "output_path",
    default=DEFAULT_OUTPUT,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="HTML file to write (replaced atomically); - prints the map and keeps no layout file.",
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
@click.option(
    "--relayout",
    is_flag=True,
    help="Lay the map out afresh, ignoring where nodes stood in the layout file.",
)
@since_option("the nodes")
@click.pass_context
def render(ctx, options, output_path, title, open_browser, watch, relayout, since):
    """Write the concept map: one offline HTML file.

    The page needs no network: vis-network and everything else are inside it.
    Open it in any browser to search, filter by kind, step through the
    learning objectives, show the literature on a timeline, and read each
    node's details.

    \b
    Where each node stands is kept in a layout file beside the map,
    concept-map.layout.json for concept-map.html: the next render keeps
    those places and puts new nodes next to what they link to. Commit it
    with the sources; delete it or pass --relayout to start afresh. With
    the same sources and layout file (or none), the map is the same file.

    \b
    --since OLD (a git revision or tag, as for kg diff) marks what is new or
    changed since then: a badge and an outline on each such node, a "What's
    new" first step in the tour, and in a changed node's panel, what changed.
    """
    corpus = load_sources(ctx, options)
    target = MapTarget(output_path, title, since)
    _write(corpus, options, target, relayout=relayout)
    if open_browser:
        _open(output_path, quiet=options.quiet)
    if watch:
        _watch(ctx, options, target)


class MapTarget(NamedTuple):
    """The map a render writes, the same at every --watch rebuild."""

    output_path: Path
    title: str | None
    #: The revision --since names, compared with again at every rebuild (None: no marks).
    since: str | None = None


def _write(corpus, options: SourceOptions, target: MapTarget, *, relayout: bool = False) -> None:
    """Render and write the map with its layout file, then say what was written.

    ``-o -`` prints the map on standard output, laid out as the default map's
    layout file says (``--relayout``: afresh), and writes no file at all.
    """
    from kg.render import layout_path_for, map_html, write_map

    output_path, title = target.output_path, target.title
    changes = changes_since(options, corpus, target.since) if target.since else None
    if str(output_path) == "-":
        default_layout = layout_path_for(DEFAULT_OUTPUT)
        html, problems = map_html(
            corpus, title, layout=None if relayout else default_layout, since=changes
        )
        for problem in problems:
            note(problem.format(), quiet=options.quiet)
        click.echo(html, nl=False)
        return
    layout = layout_path_for(output_path)
    result = write_map(
        corpus, output_path, title=title, layout=layout, relayout=relayout, since=changes
    )
    for problem in result.layout_problems:
        note(problem.format(), quiet=options.quiet)
    counts = f"{result.nodes} nodes, {result.edges} edges"
    if result.clusters:
        counts += f", {result.clusters} clusters"
    click.echo(f"Wrote {output_path} ({counts})")
    if result.laid_afresh:
        note(
            f"Laid the map out afresh: {layout} held the places of too few of its papers "
            "(a layout of an older version of the map)",
            quiet=options.quiet,
        )
    elif result.placed and result.placed < result.nodes:
        note(
            f"Kept the layout in {layout}; placed {result.placed} new node(s) beside their links",
            quiet=options.quiet,
        )


def _open(output_path: Path, *, quiet: bool) -> None:
    """Show the map in the user's browser (a warning, not a failure, when there is none)."""
    import webbrowser

    if not webbrowser.open(output_path.resolve().as_uri()):
        warn(f"could not start a web browser; open {output_path} yourself", quiet=quiet)


def _watch(ctx, options: SourceOptions, target: MapTarget) -> None:
    """Rebuild on every change to either source until interrupted.

    Errors in the sources are printed and the loop goes on, so a trainer can
    fix a typo in concepts.yaml and see the map come back. The watch is
    re-armed when a watched folder is deleted, replaced or renamed away (a
    file system watch dies with its folder): kg says so, waits for the
    folder to come back, and rebuilds.
    """
    import os
    import time

    from watchfiles import watch

    watched = {options.bib_path.resolve()}
    if options.concepts_path.exists():
        watched.add(options.concepts_path.resolve())
    folders = sorted({str(path.parent) for path in watched})
    # Relative paths (the sources, the map) mean this folder, even once it is recreated.
    working = os.getcwd()
    click.echo(f"Watching {', '.join(str(p) for p in sorted(watched))} (Ctrl-C stops)", err=True)
    known = {folder: _identity(folder) for folder in folders}
    rebuild_when_armed = False
    try:
        while True:
            gone = [folder for folder in folders if _identity(folder) is None]
            if gone:
                click.echo(
                    f"kg: warning: {', '.join(gone)} is gone; waiting for it to come back", err=True
                )
                while any(_identity(folder) is None for folder in folders):
                    time.sleep(WATCH_POLL_SECONDS)
            current = {folder: _identity(folder) for folder in folders}
            if current != known:
                known = current
                with contextlib.suppress(OSError):
                    os.chdir(working)
                click.echo(f"Watching again: {', '.join(folders)} was replaced", err=True)
                rebuild_when_armed = True
            try:
                for changes in watch(
                    *folders,
                    watch_filter=lambda _change, path: Path(path).resolve() in watched,
                    yield_on_timeout=True,
                    rust_timeout=WATCH_CHECK_MILLISECONDS,
                ):
                    if any(_identity(folder) != known[folder] for folder in folders):
                        break  # the folder went away or was replaced: re-arm
                    if rebuild_when_armed:
                        # Armed now, so nothing written from here on is missed: rebuild once
                        # for whatever the new folder holds.
                        rebuild_when_armed = False
                        _rebuild(ctx, options, target)
                        continue
                    if not changes:
                        continue
                    changed = sorted({Path(path).name for _change, path in changes})
                    click.echo(f"Changed: {', '.join(changed)}", err=True)
                    _rebuild(ctx, options, target)
                else:
                    return ctx.exit(0)
            except FileNotFoundError:
                continue  # deleted while the watch was being set up: wait for it above
            except OSError as error:
                click.echo(f"kg: error: cannot watch {', '.join(folders)}: {error}", err=True)
                time.sleep(WATCH_POLL_SECONDS)
    except KeyboardInterrupt:
        pass
    ctx.exit(0)


#: How often a watch checks that its folders are still the ones it armed on.
WATCH_CHECK_MILLISECONDS = 1000
#: How often a watch looks for a deleted folder to come back.
WATCH_POLL_SECONDS = 0.5


def _identity(folder: str) -> tuple[int, int] | None:
    """Device and inode of a folder (None when it is gone): a recreated folder gets a new one."""
    import os

    try:
        status = os.stat(folder)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def _rebuild(ctx, options: SourceOptions, target: MapTarget) -> None:
    """Reload the sources and write the map again; report errors and carry on."""
    from kg.cli.options import resolve_sources
    from kg.errors import KgError
    from kg.sources import load

    try:
        bib, concepts = resolve_sources(ctx, options)
        corpus = load(bib, concepts, use_cache=False, encoding=options.encoding)
    except (click.UsageError, KgError, OSError) as error:
        click.echo(f"kg: error: {error}", err=True)
        return
    if corpus.errors:
        for problem in corpus.errors:
            click.echo(problem.format(), err=True)
        count = count_of(len(corpus.errors), "error")
        if options.strict:
            click.echo(f"kg: error: {count}; the map was not rebuilt (--strict)", err=True)
            return
        click.echo(f"kg: {count} in the sources: the map shows what could be read", err=True)
    try:
        _write(corpus, options, target)
    except KgError as error:  # a map that cannot be written now may be next time
        click.echo(f"kg: error: {error}", err=True)
