"""A project's sources as they were at a git revision, read through the ``git`` command.

Only git's own porcelain and plumbing commands are used (``rev-parse``,
``ls-tree``, ``show``): the object store is never read by hand, so packed,
shallow and partial clones work as git itself makes them work. Nothing is
written into the user's project: a revision's files come back as bytes.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from kg.errors import GitError, RevisionNotFound

#: Seconds one git command may take before kg gives up on it.
GIT_TIMEOUT = 60.0


def _git(folder: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``git ARGUMENTS`` in ``folder``; :class:`GitError` when git is missing or fails."""
    environment = dict(os.environ, LC_ALL="C", GIT_OPTIONAL_LOCKS="0")
    try:
        result = subprocess.run(
            ["git", *arguments],
            cwd=folder,
            capture_output=True,
            env=environment,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise GitError(
            "the git command is not installed: install git, or compare two pairs of files "
            "with --bib-old and --concepts-old"
        ) from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {arguments[0]} took more than {GIT_TIMEOUT:g} seconds") from None
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {arguments[0]} failed: {message[-1] if message else 'no message'}")
    return result


def repository_root(path: Path) -> Path:
    """The top folder of the git work tree that holds ``path`` (a file or a folder)."""
    folder = path if path.is_dir() else (path.parent if str(path.parent) else Path("."))
    result = _git(folder.resolve(), "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise GitError(
            f"{folder.resolve()} is not in a git repository, so it has no revision to compare "
            "with; without git, kg diff compares two pairs of files (--bib-old, --concepts-old)"
        )
    return Path(result.stdout.decode("utf-8", "surrogateescape").strip())


def resolve_revision(root: Path, revision: str) -> str:
    """The commit ``revision`` names (a hash, a tag, ``HEAD~1``...); :class:`RevisionNotFound` if none."""
    if revision.startswith("-"):  # never an option to git
        raise RevisionNotFound(f"no revision '{revision}' in the repository at {root}")
    result = _git(
        root,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{revision}^{{commit}}",
        check=False,
    )
    if result.returncode == 0:
        return result.stdout.decode("ascii").strip()
    hint = ""
    shallow = _git(root, "rev-parse", "--is-shallow-repository", check=False)
    if shallow.stdout.strip() == b"true":
        hint = (
            "; this clone is shallow, so older history may be missing "
            "(git fetch --deepen=N or git fetch --unshallow brings it)"
        )
    elif _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        hint = "; the repository has no commit yet"
    raise RevisionNotFound(f"no revision '{revision}' in the repository at {root}{hint}")


def short_hash(root: Path, commit: str) -> str:
    """The abbreviated hash git itself would show for ``commit``."""
    result = _git(root, "rev-parse", "--short", commit)
    return result.stdout.decode("ascii").strip()


def path_in_repository(root: Path, path: Path) -> str:
    """``path`` relative to the work tree's top, as git names it (``/`` separated)."""
    absolute = Path(os.path.abspath(path))
    for top in (root, root.resolve()):
        try:
            return absolute.relative_to(top).as_posix()
        except ValueError:
            pass
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise GitError(f"{path} is not inside the git repository at {root}") from None


def file_at(root: Path, commit: str, name: str) -> bytes | None:
    """The bytes of file ``name`` at ``commit``; None when the revision has no such file."""
    listed = _git(root, "ls-tree", "-z", "--full-tree", commit, "--", name)
    if not listed.stdout:
        return None
    mode, kind = listed.stdout.split(b" ", 2)[:2]
    if kind != b"blob":
        raise GitError(f"{name} at {commit[:12]} is a {kind.decode()}, not a file")
    if mode == b"120000":  # a committed symbolic link: its target is the file
        target = _git(root, "show", f"{commit}:{name}").stdout.decode("utf-8", "surrogateescape")
        joined = os.path.normpath(os.path.join(os.path.dirname(name), target))
        if joined.startswith(".."):
            raise GitError(f"{name} at {commit[:12]} is a link out of the repository")
        return file_at(root, commit, joined)
    return _git(root, "show", f"{commit}:{name}").stdout
