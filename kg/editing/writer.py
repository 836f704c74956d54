"""Changing a source file without ever losing a byte of it.

``kg add`` appends pasted BibTeX to ``references.bib`` and links to
``concepts.yaml``. Both files are edited by hand, often in an editor that is
open at the same moment, so every change here follows the same rules:

- the new file is built from the old file's exact bytes (append only for the
  bibliography; its newline style and byte-order mark are kept);
- the change is made under a lock file (``.references.bib.lock`` next to the
  real file), so two ``kg add`` running at once both land;
- just before writing, the file is read again: if its bytes changed since they
  were read (an editor saved it), the change is planned again from the new
  bytes, and refused after a few attempts rather than overwrite someone's work;
- the write itself is :func:`kg.fileio.atomic_write` (temp file, fsync, rename),
  which follows symlinks and keeps permissions; a file with several hard
  links, or an owner kg could not give back, is changed in place instead, so
  that it stays the same file (:func:`write_keeping_identity`);
- when several files change together and a later write fails, the earlier
  ones are put back, so the change is all or nothing.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError, WriteError
from kg.fileio import (
    atomic_write,
    changing_sources,
    read_guarded,
    remove_dead_writers_temp_files,
    write_in_place,
    write_target,
)

BOM = b"\xef\xbb\xbf"

#: How long to wait for another kg process to release a file (seconds).
LOCK_TIMEOUT = 60.0

#: How many times a change is planned again when the file changes under it.
ATTEMPTS = 3


class ConcurrentChangeError(KgError):
    """A file kept changing while kg tried to update it; nothing was written."""


@dataclass(frozen=True)
class FileStyle:
    """How a text file spells its line ends, and whether it starts with a BOM."""

    newline: str  # "\n", "\r\n", or "\r" (old Mac files)
    bom: bool


_FIRST_LINE_END = re.compile(rb"\r\n|\r|\n")


def detect_style(data: bytes) -> FileStyle:
    """Return the file's newline style (its first line end decides: LF, CRLF or a lone CR) and BOM.

    A file without any line end (empty, or a single line) gets ``"\\n"``.
    """
    bom = data.startswith(BOM)
    first = _FIRST_LINE_END.search(data)
    newline = first.group().decode("ascii") if first else "\n"
    return FileStyle(newline=newline, bom=bom)


def to_newline(text: str, newline: str) -> str:
    """Return ``text`` with every line end (LF, CRLF or lone CR) spelt ``newline``."""
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    return unified if newline == "\n" else unified.replace("\n", newline)


def decode_source(data: bytes, path: str | os.PathLike) -> str:
    """Decode a source file as UTF-8 (a leading BOM is dropped), keeping its line ends.

    Raises :class:`KgError` with the loader's own message (line and column of
    the first byte that is not UTF-8, NUL bytes, UTF-16), since kg cannot
    promise to keep bytes it cannot read, nor append to a file it could not
    read back.
    """
    from kg.sources.encoding import decode_bytes

    text, problems = decode_bytes(data, str(path))
    if text is None:
        raise KgError(problems[0].format())
    body = data[len(BOM) :] if data.startswith(BOM) else data
    return body.decode("utf-8")


def append_text(old: bytes, addition: str) -> bytes:
    """Return ``old`` unchanged followed by ``addition`` in the file's own style.

    ``addition`` is re-spelt with the file's newline style and always ends with
    a line end. It starts on a line of its own, after one blank line, even when
    the file lacks a final newline; an empty file (or one holding only a BOM)
    gets the addition alone after the BOM.
    """
    style = detect_style(old)
    newline = style.newline
    body = to_newline(addition.strip("\r\n"), newline) + newline
    return old + separator(old, newline).encode("utf-8") + body.encode("utf-8")


def separator(old: bytes, newline: str) -> str:
    """The text between ``old`` and an appended block: enough line ends for one blank line.

    Nothing after an empty file or one that already ends with a blank line;
    a file without a final newline gets its line ended first.
    """
    content = old[len(BOM) :] if old.startswith(BOM) else old
    if not content or content.endswith((b"\n\n", b"\n\r\n", b"\r\r")):
        return ""
    if content.endswith((b"\n", b"\r")):
        return newline
    return newline + newline


def digest(data: bytes) -> str:
    """A fingerprint of a file's bytes, to notice a change made by someone else."""
    return hashlib.sha256(data).hexdigest()


def real_path(path: str | os.PathLike) -> Path:
    """The file a path names once symlinks are followed."""
    return Path(os.path.realpath(path))


def lock_path(path: str | os.PathLike) -> Path:
    """The lock file for ``path``: a hidden ``.NAME.lock`` next to the real file."""
    target = real_path(path)
    return target.parent / f".{target.name}.lock"


def check_writable(path: str | os.PathLike) -> None:
    """Refuse early, with a fix, when ``path`` cannot be changed in place.

    A rename would replace even a read-only file, so the permission bits are
    checked here: read-only means the user asked kg not to touch the file.
    """
    target = write_target(path)  # a link out of the project is refused here, before any work
    if not target.parent.is_dir():
        raise WriteError(
            f"cannot write {path}: folder {target.parent} does not exist; "
            f"create it or pass the right path"
        )
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        raise WriteError(
            f"cannot write {path}: it does not exist; run `kg init` or pass --bib PATH"
        ) from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise WriteError(
            f"cannot write {path}: the file is read-only; make it writable "
            f"(chmod u+w {path}) and run again"
        )
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise WriteError(
            f"cannot write {path}: folder {target.parent} is not writable "
            f"(kg writes a temporary file next to it); fix its permissions and run again"
        )


#: The largest source ``kg add`` reads back to change it (a bibliography of millions of
#: entries is far smaller; a link to /dev/zero or a runaway file is refused, not read).
MAX_SOURCE_BYTES = 2 * 1024**3


def read_bytes(path: str | os.PathLike, limit: int | None = MAX_SOURCE_BYTES) -> bytes:
    """Read a source's bytes through :func:`kg.fileio.read_guarded`: a regular file only, bounded.

    A FIFO, a device or anything but a regular file is refused at once (kg add
    writes the file back, which only a regular file allows); errors are a
    :class:`KgError` naming the path.
    """
    data = read_guarded(path, limit=limit, what="the path of a regular file")
    assert data is not None  # only a missing_ok read returns None
    return data


class _Locks:
    """Hold the lock files of several paths, always taken in the same order."""

    def __init__(self, paths, timeout: float):
        from filelock import FileLock

        ordered = sorted({str(lock_path(p)) for p in paths})
        self._locks = [FileLock(name, timeout=timeout) for name in ordered]

    def __enter__(self):
        from filelock import Timeout

        taken = []
        try:
            for lock in self._locks:
                lock.acquire()
                taken.append(lock)
        except (Timeout, OSError) as error:
            for lock in reversed(taken):
                lock.release()
            if isinstance(error, Timeout):
                raise KgError(
                    f"another kg process has held {error.lock_file} for too long; wait for it to "
                    f"finish (or delete the lock file if no kg is running) and run again"
                ) from None
            if isinstance(error, OSError) and error.errno == errno.ELOOP:
                raise WriteError(
                    f"refusing to use the lock file {error.filename or ''}: it is a symlink, which "
                    f"kg never follows (a cloned project can carry one); delete it and run again"
                ) from error
            raise WriteError(
                f"cannot create the lock file {error.filename or ''}: {error.strerror or error}; "
                f"kg needs to write in the file's folder"
            ) from error
        return self

    def __exit__(self, *exc_info):
        for lock in reversed(self._locks):
            lock.release()
        return False


#: A plan turns the current bytes of each file into the new bytes wanted
#: (files left out of the result stay as they are). It may raise KgError to
#: refuse the change. It is called again if a file changes under it.
Plan = Callable[[Mapping[Path, bytes]], Mapping[Path, bytes]]


def update_files(
    paths: list[str | os.PathLike],
    plan: Plan,
    *,
    timeout: float = LOCK_TIMEOUT,
    attempts: int = ATTEMPTS,
) -> dict[Path, bytes]:
    """Change several files together, locked, checked and atomic; return what was written.

    ``plan`` receives ``{path: current bytes}`` (keys are the given paths as
    :class:`Path`) and returns ``{path: new bytes}``. Under the locks each file
    is read, the plan runs, each file is read again and compared with what the
    plan saw; on a difference everything is planned again (at most
    ``attempts`` times, then :class:`ConcurrentChangeError`). Files are then
    written one by one; if one write fails, the files already written are put
    back to their old bytes and the error is raised.
    """
    keys = [Path(p) for p in paths]
    for path in keys:
        check_writable(path)
    with _Locks(keys, timeout):
        for path in keys:
            # Under the lock no kg process is writing these files: every temp file
            # of theirs was left by a writer that died.
            remove_dead_writers_temp_files(write_target(path), locked=True)
        for _attempt in range(attempts):
            current = {path: read_bytes(path) for path in keys}
            wanted = dict(plan(current))
            changed = {path: data for path, data in wanted.items() if data != current[path]}
            if any(digest(read_bytes(path)) != digest(current[path]) for path in keys):
                continue
            _write_all(changed, current)
            return changed
    names = ", ".join(str(p) for p in keys)
    raise ConcurrentChangeError(
        f"{names} kept changing while kg was updating it (another program is writing it); "
        f"nothing was written; close the other program or save its changes, then run again"
    )


def write_keeping_identity(path: str | os.PathLike, data: bytes, old: bytes) -> None:
    """Write a source as a symlink is written through: the file stays the same file.

    Usually that is :func:`kg.fileio.atomic_write` (temporary file, rename):
    the permission bits are kept, and the owner too when kg runs as root. A
    file with several hard links, or whose owner and group this process could
    not give back, is changed in place instead (:func:`kg.fileio.write_in_place`),
    so that every link still names it and its owner stays; for the
    bibliography that is a plain append, which never touches the old bytes.
    """
    target = write_target(path)
    try:
        info = os.stat(target)
    except OSError:
        info = None
    if info is not None and (info.st_nlink > 1 or not _owner_can_be_kept(info)):
        write_in_place(target, data, old)
    else:
        atomic_write(path, data)


def _owner_can_be_kept(info: os.stat_result) -> bool:
    """Whether a new file made by this process can be given ``info``'s owner and group."""
    if os.geteuid() == 0:
        return True
    return info.st_uid == os.geteuid() and (
        info.st_gid == os.getegid() or info.st_gid in os.getgroups()
    )


def _write_all(changed: dict[Path, bytes], old: Mapping[Path, bytes]) -> None:
    """Write each file; on a failure, restore the ones already written.

    These are the sources themselves: the guard that keeps other commands'
    outputs off them (:func:`kg.fileio.protecting`) is lifted for the writes.
    """
    with changing_sources():
        _write_each(changed, old)


def _write_each(changed: dict[Path, bytes], old: Mapping[Path, bytes]) -> None:
    written: list[Path] = []
    try:
        for path, data in changed.items():
            write_keeping_identity(path, data, old[path])
            written.append(path)
    except WriteError as error:
        restore_failures = []
        for path in reversed(written):
            try:
                write_keeping_identity(path, old[path], changed[path])
            except WriteError as restore_error:
                restore_failures.append(str(restore_error))
        if restore_failures:
            raise WriteError(
                f"{error}; and putting back the files already written failed too: "
                + "; ".join(restore_failures)
            ) from error
        raise
