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


class GitError(KgError):
    """Git could not answer: no ``git`` command, no repository, or a source outside it."""


class RevisionNotFound(GitError):
    """A revision the user named does not exist in the repository (or not in a shallow clone)."""
