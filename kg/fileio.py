"""Writing files so that a reader never sees half of one, and never over a source.

Every output kg writes goes through :func:`atomic_write`: the data goes to a
temporary file in the same folder, is flushed to disk, and only then renamed
over the target. A full disk or a refused permission leaves the target as it
was and no temporary file behind; a process killed mid-write leaves the
target as it was, and its temporary file is removed by the next write.

A command that reads the sources names them with :func:`protecting` for as
long as it runs: :func:`atomic_write` then refuses to replace either of them,
whatever path, symlink or hard link leads there (files are compared by
device and inode, not by name). It also refuses anything that is not a
regular file (a device, a FIFO, a socket), which a rename would silently
turn into one. :func:`check_output` makes the same checks up front, so that
a command refuses before it does any work.
"""

from __future__ import annotations

import contextlib
import contextvars
import glob
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.errors import WriteError


@dataclass(frozen=True)
class _Protected:
    """A source file a running command must not write over."""

    role: str  # "the bibliography", "the concepts file"
    shown_as: str  # the path as the user gave it
    device: int
    inode: int


_protected: contextvars.ContextVar[tuple[_Protected, ...]] = contextvars.ContextVar(
    "kg_protected_sources", default=()
)


@contextlib.contextmanager
def protecting(sources: Mapping[str, str | os.PathLike | None]) -> Iterator[None]:
    """While the block runs, refuse to write over these files (``{role: path}``).

    A path that does not exist (or is None) protects nothing. Writes that are
    meant to change a source (``kg add``) run inside :func:`changing_sources`.
    """
    found = []
    for role, path in sources.items():
        if path is None:
            continue
        try:
            info = os.stat(path)
        except OSError:
            continue
        found.append(_Protected(role, os.fspath(path), info.st_dev, info.st_ino))
    token = _protected.set(_protected.get() + tuple(found))
    try:
        yield
    finally:
        _protected.reset(token)


@contextlib.contextmanager
def changing_sources() -> Iterator[None]:
    """While the block runs, the sources may be written: for the code whose job that is."""
    token = _protected.set(())
    try:
        yield
    finally:
        _protected.reset(token)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (``a FIFO (named pipe)``...)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_output(
    path: str | os.PathLike,
    sources: Mapping[str, str | os.PathLike | None] | None = None,
    *,
    folder_ok: bool = False,
) -> None:
    """Raise :class:`WriteError` unless ``path`` may be written as an output.

    An output is a new path or an existing regular file (``folder_ok``: or a
    folder, for outputs that are several files). It is never one of the
    ``sources`` (``{role: path}``, default: those of :func:`protecting`),
    however it is reached: the same name, another name, a symlink or a hard
    link. ``-`` (standard output) is the caller's to handle.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return  # a new file (or a dangling symlink, whose target is new): nothing to lose
    except OSError as error:
        raise WriteError(f"cannot write {os.fspath(path)}: {error.strerror or error}") from error
    if stat.S_ISDIR(info.st_mode) and folder_ok:
        return
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(
            f"refusing to write {os.fspath(path)}: it is {file_kind(info.st_mode)}, not a regular "
            f"file; give the path of a new or existing file"
        )
    if sources is None:
        protected = _protected.get()
    else:
        with protecting(sources):
            protected = _protected.get()
    _refuse_source(path, info, protected)


def _refuse_source(path, info: os.stat_result, protected) -> None:
    for source in protected:
        if (info.st_dev, info.st_ino) == (source.device, source.inode):
            same = "" if os.fspath(path) == source.shown_as else f" ({source.shown_as})"
            raise WriteError(
                f"refusing to write {os.fspath(path)}: it is {source.role}{same}, which this "
                f"command reads; kg never writes over its sources. Choose another output path"
            )


def atomic_write(path: str | os.PathLike, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``data`` atomically; return the real path written.

    A symlink is followed, so the link stays a link and its target is updated.
    An existing file keeps its permission bits, and its owner and group when
    the process may set them (as root); a new file gets the usual ones (0666
    less the umask). Anything but a regular file or a new path is refused, and
    so is a source the running command reads (see :func:`protecting`) outside
    :func:`changing_sources`. Raises :class:`WriteError` with a readable message.
    """
    if isinstance(data, str):
        data = data.encode(encoding)
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        raise WriteError(f"cannot write {path}: folder {folder} does not exist")
    if target.is_dir():
        raise WriteError(f"cannot write {path}: it is a folder")
    owner = None
    try:
        info = target.stat()
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as error:  # a symlink loop, a path component that is a file...
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from error
    else:
        if not stat.S_ISREG(info.st_mode):
            raise WriteError(
                f"refusing to write {path}: it is {file_kind(info.st_mode)}, not a regular file"
            )
        _refuse_source(path, info, _protected.get())
        mode = stat.S_IMODE(info.st_mode)
        owner = (info.st_uid, info.st_gid)
    remove_dead_writers_temp_files(target)
    try:
        # The writer's process id in the name lets a later write tell a temp file
        # left by a killed process from one a live process is still writing.
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                             dir=folder)  # fmt: skip
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            if owner is not None:
                _keep_owner(stream.fileno(), owner)
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        if isinstance(error, OSError):
            raise WriteError(f"cannot write {path}: {error.strerror or error}") from error
        raise
    _fsync_folder(folder)
    return target


def write_in_place(path: str | os.PathLike, data: bytes, old: bytes) -> None:
    """Change the file at ``path`` from ``old`` to ``data`` in place: same inode, links,
    owner and mode. Raises :class:`WriteError`, with the old bytes put back.

    For a file :func:`atomic_write` cannot replace without changing what it is:
    one with several hard links (a rename would cut it off from the others),
    or one whose owner the process could not give back. Only the bytes from
    the first difference on are written: when ``data`` extends ``old`` (an
    append), the old bytes are never touched, so even a process killed in the
    middle leaves all of them, followed by part of the new ones.
    """
    prefix = len(old) if data.startswith(old) else _common_prefix_length(old, data)
    try:
        descriptor = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from error
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(old):
            raise WriteError(f"cannot write {path}: it changed while kg was writing it; run again")
        try:
            _write_at(descriptor, data, prefix)
        except OSError as error:
            with contextlib.suppress(OSError):
                _write_at(descriptor, old, prefix)  # put the old bytes back
            raise WriteError(f"cannot write {path}: {error.strerror or error}") from error
    finally:
        os.close(descriptor)


def _common_prefix_length(first: bytes, second: bytes) -> int:
    """How many leading bytes two byte strings share (by halving: each comparison runs in C)."""
    low, high = 0, min(len(first), len(second))
    first_view, second_view = memoryview(first), memoryview(second)
    while low < high:
        middle = (low + high + 1) // 2
        if first_view[:middle] == second_view[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _write_at(descriptor: int, data: bytes, start: int) -> None:
    """Make the file hold ``data``, writing only from byte ``start`` on, and flush it to disk."""
    view = memoryview(data)
    offset = start
    while offset < len(data):
        offset += os.pwrite(descriptor, view[offset:], offset)
    os.ftruncate(descriptor, len(data))
    os.fsync(descriptor)


def _keep_owner(descriptor: int, owner: tuple[int, int]) -> None:
    """Give the new file the old one's owner and group, as far as the process may.

    Only root may give a file away; anyone may set a group they belong to.
    Without this, root running kg over a user's file would leave it root's.
    """
    info = os.fstat(descriptor)
    if (info.st_uid, info.st_gid) == owner:
        return
    try:
        os.fchown(descriptor, *owner)
    except OSError:
        with contextlib.suppress(OSError):
            os.fchown(descriptor, -1, owner[1])


def remove_dead_writers_temp_files(target: str | os.PathLike) -> list[Path]:
    """Delete temp files that killed writers left next to ``target``; return them.

    A process killed in the middle of :func:`atomic_write` (power cut,
    ``kill -9``) leaves its ``.NAME.PID.XXXX.tmp`` behind: the target itself is
    untouched. Such a file is removed once no process with that id is running;
    a temp file of a live writer, or one without a process id, is left alone.
    """
    target = Path(target)
    removed = []
    prefix = f".{target.name}."
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid_text = leftover.name[len(prefix) :].split(".", 1)[0]
        if not pid_text.isdigit() or _process_alive(int(pid_text)):
            continue
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass  # not ours to fix; the write itself can still succeed
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # it exists (another user's), or the id is odd: leave the file alone
    return True


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system allows it)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
