"""``kg init``: start a new project from commented starter files, or from a bibliography."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from kg.cli.options import DEFAULT_BIB, DEFAULT_CONCEPTS, fail, is_quiet, quiet_option

#: The files ``kg init`` writes, in order, with what each one holds.
STARTER_FILES: tuple[tuple[str, str], ...] = (
    (DEFAULT_BIB, "a bibliography with one placeholder entry"),
    (DEFAULT_CONCEPTS, "one placeholder concept and learning objective"),
)

#: The concepts file of a project that starts from the user's own bibliography: empty lists,
#: and a commented example naming the bibliography's first entry.
OWN_BIB_CONCEPTS = "concepts-own-bib.yaml"

#: ``@type{key,`` of an entry (not @string, @preamble or @comment): the key is group 2.
_FIRST_ENTRY = re.compile(
    r"^[ \t]*@[ \t]*(?!string\b|preamble\b|comment\b)(\w+)[ \t]*[{(][ \t]*([^,\s{}()]+)[ \t]*,",
    re.IGNORECASE | re.MULTILINE,
)

#: What a new project keeps out of git: the lock files ``kg add`` leaves beside the sources.
GITIGNORE = "# The lock files `kg add` leaves beside the sources (they hold nothing).\n.*.lock\n"


def read_template(name: str) -> bytes:
    """Return the bytes of the starter file ``name`` shipped in ``kg/templates``."""
    from importlib.resources import files

    return (files("kg") / "templates" / name).read_bytes()


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
@click.option(
    "--bib",
    "bib_source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start from a bibliography you already have: copied byte for byte as references.bib.",
)
@quiet_option
def init(directory: Path, bib_source: Path | None):
    """Start a new project with two commented starter files.

    The project goes in DIRECTORY (default: the current folder).

    Writes a starter references.bib and concepts.yaml, each with comments and
    one placeholder to replace. With --bib FILE, or where a references.bib is
    already there (and no concepts.yaml), the project starts from that
    bibliography instead: it is copied byte for byte (or kept as it is), and
    the concepts file starts empty, with a commented example, so every command
    works at once. Creates DIRECTORY if needed. Never overwrites: if a file it
    would write is already there, nothing is written.
    """
    bib_path = directory / DEFAULT_BIB
    own = _own_bibliography(directory, bib_path, bib_source)
    names = [DEFAULT_CONCEPTS] if own == "kept" else [DEFAULT_BIB, DEFAULT_CONCEPTS]
    existing = [name for name in names if os.path.lexists(directory / name)]
    if existing:
        shown = " and ".join(_shown(directory, name) for name in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        fail(
            f"{shown} already {verb}; kg init never overwrites a project. "
            f"Run `kg init NEW-FOLDER` to start one in another folder."
        )
    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create folder {directory}: {error.strerror or error}. Choose another folder.")
    contents = _starter_contents(own, bib_path, bib_source)
    gitignore = directory / ".gitignore"
    # An existing .gitignore is the user's: it is left as it is.
    add_gitignore = not os.path.lexists(gitignore)
    if add_gitignore:
        contents.append(
            (".gitignore", GITIGNORE.encode("utf-8"), "keeps kg add's lock files out of git")
        )
    _write_all(directory, contents)
    if created:
        click.echo(f"Created folder {directory}")
    if own == "kept":
        click.echo(f"Kept {_shown(directory, DEFAULT_BIB)} (your bibliography, as it is)")
    for name, _, description in contents:
        click.echo(f"Wrote {_shown(directory, name)} ({description})")
    if not add_gitignore and ".*.lock" not in _existing_gitignore(gitignore):
        click.echo(
            f"Add `.*.lock` to {_shown(directory, '.gitignore')} to keep kg add's lock files out of git"
        )
    if not is_quiet():  # the files written are said; the advice is not
        _next_steps(directory, own)


def _own_bibliography(directory: Path, bib_path: Path, bib_source: Path | None) -> str:
    """ "copied" (--bib FILE), "kept" (the project's references.bib is the user's own) or ""."""
    if bib_source is not None:
        try:
            same = os.path.lexists(bib_path) and bib_path.samefile(bib_source)
        except OSError:
            same = False
        return "kept" if same else "copied"
    if os.path.isfile(bib_path) and not os.path.lexists(directory / DEFAULT_CONCEPTS):
        return "kept"
    return ""


def _starter_contents(
    own: str, bib_path: Path, bib_source: Path | None
) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, what it holds) of every file to write."""
    if not own:
        return [(name, read_template(name), description) for name, description in STARTER_FILES]
    from kg.errors import ReadError
    from kg.fileio import read_guarded

    source = bib_source if own == "copied" and bib_source is not None else bib_path
    try:
        data = read_guarded(source, limit=None) or b""
    except ReadError as error:
        fail(str(error))
    text = data.decode("utf-8", errors="replace")
    match = _FIRST_ENTRY.search(text)
    concepts = read_template(OWN_BIB_CONCEPTS).decode("utf-8")
    concepts = concepts.replace("{first_key}", match.group(2) if match else "surname2024title")
    files = [
        (
            DEFAULT_CONCEPTS,
            concepts.encode("utf-8"),
            "no concepts yet: a commented example to start from",
        )
    ]
    if own == "copied":
        files.insert(
            0, (DEFAULT_BIB, data, f"your bibliography, copied byte for byte from {source}")
        )
    return files


def _write_all(directory: Path, contents: list[tuple[str, bytes, str]]) -> None:
    """Write every file, or none: half a project is worse than none."""
    from kg.errors import WriteError
    from kg.fileio import atomic_write

    written: list[Path] = []
    try:
        for name, data, _ in contents:
            atomic_write(directory / name, data)
            written.append(directory / name)
    except WriteError as error:
        for path in written:
            path.unlink(missing_ok=True)
        fail(f"{error}. Nothing was written; check the folder's permissions or choose another.")


def _next_steps(directory: Path, own: str) -> None:
    click.echo("")
    if own:
        click.echo("Next: every command works on your bibliography now; add concepts when ready")
    else:
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
