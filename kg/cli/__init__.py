"""The ``kg`` command: a thin Click layer over the library.

Each command lives in its own module under ``kg.cli`` and is imported only
when it runs (or when ``kg --help`` lists it): command modules import nothing
heavy at top level, so ``kg --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import re
import sys

import click

from kg._version import __version__
from kg.invisible import INVISIBLE_CHARACTERS

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: command name -> "module:function", in the order ``kg --help`` lists them.
COMMANDS = {
    "check": "kg.cli.check:check",
    "init": "kg.cli.init:init",
    "render": "kg.cli.render:render",
    "add": "kg.cli.add:add",
    "papers": "kg.cli.papers:papers",
    "show": "kg.cli.show:show",
    "gaps": "kg.cli.gaps:gaps",
    "reading-list": "kg.cli.reading_list:reading_list",
    "path": "kg.cli.path:path",
    "export": "kg.cli.export:export",
    "diff": "kg.cli.diff:diff",
}


class LibraryError(click.ClickException):
    """A :class:`kg.errors.KgError` from the library, as the command line reports it (exit 1).

    The problems of a :class:`kg.errors.SourceError` come first, one per line;
    a message that already names its place (``FILE:LINE: error: ...``) is
    printed as it is, and says that nothing was written.
    """

    exit_code = 1

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error

    def show(self, file=None) -> None:
        for problem in getattr(self.error, "problems", ()):
            click.echo(problem.format(), err=True)
        if _LOCATED.match(self.message):
            click.echo(self.message, err=True)
            click.echo("kg: error: nothing was written", err=True)
        else:
            click.echo(f"kg: error: {self.message}", err=True)


#: A message that starts with its place: ``references.bib:12: error: ...``.
_LOCATED = re.compile(r"^\S+?(:\d+)?: error: ")


class LazyGroup(click.Group):
    """A group whose commands are imported on first use.

    It is also the one place where the library's typed errors become the
    command line's messages and exit code (see :class:`LibraryError`).
    """

    def invoke(self, ctx):
        from kg.errors import KgError

        try:
            return super().invoke(ctx)
        except KgError as error:
            raise LibraryError(error) from None

    def list_commands(self, ctx):
        return [name for name in COMMANDS if self.get_command(ctx, name) is not None]

    def get_command(self, ctx, cmd_name):
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attr = target.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:  # command not built yet
                return None
            raise
        return getattr(module, attr)


#: C0 and C1 control characters other than tab and line ends: from a pasted
#: bibliography they could move the cursor, retitle or clear a terminal. Lone
#: surrogates too: no stream can encode them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

#: On a terminal, characters that show as nothing or reorder the text after
#: them (U+202E...) are escaped too: in an id or a title they make text look
#: like other text. Files and pipes get them as they are (Persian and Indic
#: text need U+200C and U+200D).
_CONTROL_OR_INVISIBLE = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{INVISIBLE_CHARACTERS}]"
)


def visible_escape(match: re.Match) -> str:
    """``\\xNN`` for a control character, ``\\uNNNN`` (``\\UNNNNNNNN``) for the others."""
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class OutputBroken(OSError):
    """Standard output or error could not be written: a closed pipe, a full disk."""


#: The only terminal codes kg writes itself: italics on and off (citations on a terminal).
_ITALICS = re.compile("(\x1b\\[3m|\x1b\\[23m)")


class _GuardedStream:
    """A stream whose failed writes and flushes raise :class:`OutputBroken`.

    Everything else is the wrapped stream's own.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, data):
        try:
            return self._stream.write(data)
        except OSError as error:
            raise OutputBroken(error.errno, error.strerror) from error

    def flush(self):
        try:
            return self._stream.flush()
        except OSError as error:
            raise OutputBroken(error.errno, error.strerror) from error

    def __getattr__(self, name):
        return getattr(self._stream, name)


class VisibleControlCharacters(_GuardedStream):
    """A text stream that writes control characters as visible ``\\xNN`` escapes.

    The two italics codes kg writes for citations on a terminal pass: at worst
    a field holding them turns italics on or off, nothing more.

    On a terminal, invisible and bidirectional-control characters
    (:data:`kg.invisible.INVISIBLE_CHARACTERS`) are escaped too (``\\u202e``). A failed write or flush
    raises :class:`OutputBroken`, so that the command can end quietly instead
    of with a traceback. Everything else (``encoding``, ``isatty``...) is the
    wrapped stream's own; ``buffer``, for exact binary output, is guarded the
    same way.
    """

    def __init__(self, stream):
        super().__init__(stream)
        try:
            terminal = stream.isatty()
        except (AttributeError, ValueError, OSError):
            terminal = False
        self._pattern = _CONTROL_OR_INVISIBLE if terminal else _CONTROL

    def write(self, text):
        if isinstance(text, str) and self._pattern.search(text):
            text = "".join(
                piece if number % 2 else self._pattern.sub(visible_escape, piece)
                for number, piece in enumerate(_ITALICS.split(text))
            )
        return super().write(text)

    @property
    def buffer(self):
        return _GuardedStream(self._stream.buffer)


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="kg")
def main():
    """kg: the concept map of a literature.

    Reads a bibliography (references.bib) and an optional concepts file
    (concepts.yaml), checks them, and turns them into a knowledge graph: an
    interactive concept map, reading lists, answers and exports.
    """
    guard_streams()


def guard_streams() -> None:
    """Wrap standard output and error in :class:`VisibleControlCharacters` (once)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, VisibleControlCharacters):
            setattr(sys, name, VisibleControlCharacters(stream))


def run() -> None:
    """The ``kg`` console script: run the command, flush, and leave without teardown.

    Tearing the interpreter down (freeing every object, unloading bibtexparser,
    networkx, ruamel.yaml...) costs about a tenth of a whole check of a small
    project (see docs/benchmarks.md), and nothing is left to clean up: output
    is flushed and every file was written atomically. Output that cannot be
    written (``kg check > /dev/full``, a pipe closed by its reader) ends the
    command with exit 1 and at most one line on standard error, never a
    traceback.
    """
    guard_streams()
    broken = False
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        if not isinstance(exit_.code, (int, type(None))):
            print(exit_.code, file=sys.stderr)
    except OutputBroken as error:
        code, broken = _output_broken(error), True
    if not broken:  # what is still buffered may fail too (a short output to /dev/full)
        try:
            sys.stdout.flush()
        except (OSError, ValueError) as error:
            code = _output_broken(error) if isinstance(error, OSError) else 1
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


def _output_broken(error: OSError) -> int:
    """Say why the output stopped (nothing for a reader that went away); the exit code."""
    if error.errno != errno.EPIPE:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"kg: error: cannot write the output: {error.strerror or error}\n")
            sys.stderr.flush()
    return 1
