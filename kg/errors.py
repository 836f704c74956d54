"""Typed exceptions. Only the command-line layer turns them into messages and exit codes."""

from __future__ import annotations


class KgError(Exception):
    """Base class: an operation was refused or failed; the message says why and how to fix it."""


class SourceError(KgError):
    """The sources hold errors; ``problems`` lists them with file and line."""

    def __init__(self, problems, message: str = "the sources have errors"):
        super().__init__(message)
        self.problems = list(problems)


class NotFoundError(KgError):
    """An id given by the user matches no node; ``suggestions`` lists close ones."""

    def __init__(self, message: str, suggestions=()):
        super().__init__(message)
        self.suggestions = list(suggestions)


class WriteError(KgError):
    """A file could not be written; the original is untouched."""


class MissingDependencyError(KgError):
    """An optional package a feature needs is not installed; the message says how to install it."""


class ReadError(KgError):
    """A file could not be read: not a regular file (or an allowed pipe), a silent pipe,
    a link kg does not follow, or an OS error. The message names the file."""


class TooLargeError(ReadError):
    """A file is larger than its reader's limit; ``size`` is its size in bytes (at least)."""

    def __init__(self, path, size: int, limit: int | None = None):
        what = f"{size:,} bytes" if limit is None else f"{size:,} bytes; the limit is {limit:,}"
        super().__init__(f"{path} is larger than kg reads ({what})")
        self.size = size
        self.limit = limit


class GitError(KgError):
    """Git could not answer: no ``git`` command, no repository, or a source outside it."""


class RevisionNotFound(GitError):
    """A revision the user named does not exist in the repository (or not in a shallow clone)."""
