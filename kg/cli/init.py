"""``kg init``: start a new project from commented starter files."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kg.cli.options import DEFAULT_BIB, DEFAULT_CONCEPTS, fail, is_quiet, quiet_option

#: The files ``kg init`` writes, in order, with what each one holds.
STARTER_FILES: tuple[tuple[str, str], ...] = (
    (DEFAULT_BIB, "a bibliography with one placeholder entry"),
    (DEFAULT_CONCEPTS, "one placeholder concept and learning objective"),
)

#: What a new project keeps out of git: the lock files ``kg add`` leaves beside the sources.
GITIGNORE = "# The lock files `kg add` leaves beside the sources (they hold nothing).\n.*.lock\n"


def read_template(name: str) -> bytes:
    """Return the bytes of the starter file ``name`` shipped in ``kg/templates``."""
    from importlib.resources import files

    return files("kg").joinpath("templates", name).read_bytes()


def _shown(directory: Path, name: str) -> str:
    """The path of ``name`` as the user would type it from where they ran ``kg init``."""
    return name if directory == Path(".") else str(directory / name)


@click.command()
@click.argument(
    "directory",
    default=".",
    required=False,
    type=click.Path(file_okay=False, path_type=Path),
)
@quiet_option
def init(directory: Path):
    """Start a new project with two commented starter files.

    The project goes in DIRECTORY (default: the current folder).

    Writes a starter references.bib and concepts.yaml, each with comments and
    one placeholder to replace. Creates DIRECTORY if needed. Never overwrites:
    if either file is already there, nothing is written.
    """
    from kg.errors import WriteError
    from kg.fileio import atomic_write

    # lexists, not exists: a dangling symlink would otherwise be written through.
    existing = [name for name, _ in STARTER_FILES if os.path.lexists(directory / name)]
    if existing:
        names = " and ".join(_shown(directory, name) for name in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        fail(
            f"{names} already {verb}; kg init never overwrites a project. "
            f"Run `kg init NEW-FOLDER` to start one in another folder."
        )

    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create folder {directory}: {error.strerror or error}. Choose another folder.")

    written: list[Path] = []
    # An existing .gitignore is the user's: it is left as it is.
    gitignore = directory / ".gitignore"
    add_gitignore = not os.path.lexists(gitignore)
    try:
        for name, _ in STARTER_FILES:
            atomic_write(directory / name, read_template(name))
            written.append(directory / name)
        if add_gitignore:
            atomic_write(gitignore, GITIGNORE.encode("utf-8"))
            written.append(gitignore)
    except WriteError as error:
        # Half a project is worse than none: undo what this run wrote.
        for path in written:
            path.unlink(missing_ok=True)
        fail(f"{error}. Nothing was written; check the folder's permissions or choose another.")

    if created:
        click.echo(f"Created folder {directory}")
    for name, description in STARTER_FILES:
        click.echo(f"Wrote {_shown(directory, name)} ({description})")
    if add_gitignore:
        click.echo(
            f"Wrote {_shown(directory, '.gitignore')} (keeps kg add's lock files out of git)"
        )
    elif ".*.lock" not in _existing_gitignore(gitignore):
        click.echo(
            f"Add `.*.lock` to {_shown(directory, '.gitignore')} to keep kg add's lock files out of git"
        )
    if is_quiet():  # the files written are said; the advice is not
        return
    click.echo("")
    click.echo("Next: replace the placeholders with your own papers and concepts, then run")
    if directory != Path("."):
        click.echo(f"  cd {directory}")
    click.echo("  kg check     # find mistakes, with file and line")
    click.echo("  kg render    # build the concept map")


def _existing_gitignore(path: Path) -> str:
    """The text of the user's ``.gitignore``, or ``""`` when it is not a file kg can read.

    Read through :func:`kg.fileio.read_guarded`: a dangling link, a FIFO or a
    device is not read (and never hangs), and the advice to add ``.*.lock`` is given.
    """
    from kg.errors import ReadError
    from kg.fileio import read_guarded

    try:
        data = read_guarded(path, limit=1024 * 1024, missing_ok=True)
    except ReadError:
        return ""
    return (data or b"").decode("utf-8", errors="replace")
