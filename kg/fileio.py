"""The one way kg reads and writes files: guarded, bounded, atomic, never over a source.

Every file kg reads (the sources, pasted BibTeX, the layout file, its own
records) goes through :func:`read_guarded`: only a regular file (or, where
the caller allows it, a pipe or a terminal) is read, never beyond a size
limit, and a pipe that stays silent ends with a message instead of a hang.

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

A symlink is written through only when the file it leads to lies inside the
project (the folder :func:`in_project` names, or the link's own folder) and
outside its hidden folders (``.git``): a cloned project can carry a link such
as ``concept-map.layout.json -> ~/.bashrc``, and rendering it must not
overwrite the user's file. Files kg keeps for itself are written with
``links="replace"``: a link at their path is replaced, never followed.
"""

from __future__ import annotations

import contextlib
import contextvars
import glob
import os
import select
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kg.errors import ReadError, TooLargeError, WriteError

#: Seconds a pipe may stay silent before kg gives up on it (``KG_PIPE_TIMEOUT`` overrides).
PIPE_TIMEOUT = 30.0
_CHUNK = 1 << 20


# ------------------------------------------------------------------------- reading


def read_guarded(
    path: str | os.PathLike,
    *,
    limit: int | None,
    pipes: bool = False,
    missing_ok: bool = False,
    what: str = "a file",
) -> bytes | None:
    """The whole content of ``path``, read once; None for a missing file when ``missing_ok``.

    Only a regular file is read, or with ``pipes`` a FIFO or pipe (``/dev/stdin``,
    ``<(...)``), which ends with a message after :func:`pipe_timeout` seconds of
    silence instead of hanging. A device (``/dev/zero``), a socket or a folder is
    refused, whatever link leads there. Beyond ``limit`` bytes
    :class:`~kg.errors.TooLargeError` is raised: a regular file that big is not
    read at all, a pipe no further. Other failures are :class:`~kg.errors.ReadError`
    naming the file; ``what`` says what kg expected (``a layout file``).
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if missing_ok:
            return None
        raise ReadError(f"cannot read {os.fspath(path)}: it does not exist") from None
    except OSError as error:
        raise ReadError(f"cannot read {os.fspath(path)}: {error.strerror or error}") from None
    try:
        return read_descriptor(descriptor, path, limit=limit, pipes=pipes, what=what)
    finally:
        os.close(descriptor)


def read_descriptor(
    descriptor: int, label, *, limit: int | None, pipes: bool = False, what: str = "a file"
) -> bytes:
    """Read an open file to its end under :func:`read_guarded`'s rules (``label`` names it).

    A terminal is read as typed (pasted text ends with Ctrl-D), still bounded by ``limit``.
    """
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISREG(mode):
            size = os.fstat(descriptor).st_size
            if limit is not None and size > limit:
                raise TooLargeError(label, size, limit)
            os.set_blocking(descriptor, True)
            return _read_to_end(descriptor, size, label, limit)
        if pipes and (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
            return _read_pipe(descriptor, label, limit)
        if stat.S_ISCHR(mode) and _is_dev_null(descriptor):
            return b""  # `< /dev/null`: empty, as a shell user means it
        if pipes and stat.S_ISCHR(mode) and os.isatty(descriptor):
            os.set_blocking(descriptor, True)
            return _read_to_end(descriptor, 0, label, limit)
        allowed = "a regular file or a pipe" if pipes else "a regular file"
        raise ReadError(f"{label} is {file_kind(mode)}, not {allowed}: give {what}")
    except OSError as error:
        raise ReadError(f"cannot read {label}: {error.strerror or error}") from None


def _is_dev_null(descriptor: int) -> bool:
    """Whether an open character device is ``/dev/null`` (the same device number)."""
    try:
        return os.fstat(descriptor).st_rdev == os.stat(os.devnull).st_rdev
    except OSError:
        return False


def _read_to_end(descriptor: int, size: int, label, limit: int | None) -> bytes:
    """Read to the end (``size`` is what the file held when opened; it may grow, up to ``limit``)."""
    parts: list[bytes] = []
    total = 0
    while True:
        part = os.read(descriptor, max(size, _CHUNK) + 1)
        if not part:
            return b"".join(parts) if len(parts) != 1 else parts[0]
        parts.append(part)
        total += len(part)
        if limit is not None and total > limit:
            raise TooLargeError(label, total, limit)


def _read_pipe(descriptor: int, label, limit: int | None) -> bytes:
    """Read a pipe to its end, giving up when it stays silent for :func:`pipe_timeout` seconds.

    Opened without blocking, a FIFO that no process writes to reads as nothing
    rather than blocking; poll() says when data or the writer's end arrive.
    """
    timeout = pipe_timeout()
    poller = select.poll()
    poller.register(descriptor, select.POLLIN | select.POLLHUP)
    parts: list[bytes] = []
    size = 0
    while True:
        if not poller.poll(timeout * 1000):
            raise ReadError(
                f"{label}: nothing came through the pipe for {timeout:g} seconds; is anything "
                f"writing to it? Give the file itself instead"
            )
        try:
            part = os.read(descriptor, _CHUNK)
        except BlockingIOError:  # woken without data (another reader took it)
            continue
        if not part:
            return b"".join(parts)
        parts.append(part)
        size += len(part)
        if limit is not None and size > limit:
            raise TooLargeError(label, size, limit)


def read_stdin(label: str, *, limit: int | None) -> bytes:
    """Standard input as bytes, under :func:`read_guarded`'s rules for pipes (``label`` names it)."""
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        descriptor = None  # a stream without a file behind it (a test's, an embedding's)
    if descriptor is not None:
        return read_descriptor(descriptor, label, limit=limit, pipes=True, what="BibTeX text")
    data = stream.read() if limit is None else stream.read(limit + 1)
    data = data.encode("utf-8") if isinstance(data, str) else data
    if limit is not None and len(data) > limit:
        raise TooLargeError(label, len(data), limit)
    return data


def pipe_timeout() -> float:
    """:data:`PIPE_TIMEOUT`, or ``KG_PIPE_TIMEOUT`` seconds when that is set."""
    try:
        return max(0.01, float(os.environ.get("KG_PIPE_TIMEOUT", PIPE_TIMEOUT)))
    except ValueError:
        return PIPE_TIMEOUT


# ------------------------------------------------------------------------- writing


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


_project: contextvars.ContextVar[str | None] = contextvars.ContextVar("kg_project", default=None)


@contextlib.contextmanager
def in_project(folder: str | os.PathLike) -> Iterator[None]:
    """While the block runs, symlinks may be written through into ``folder`` (the project)."""
    token = _project.set(os.path.realpath(folder))
    try:
        yield
    finally:
        _project.reset(token)


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
    write_target(path)  # a link out of the project is refused before any work
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


#: How :func:`atomic_write` treats a symlink at the path: write through it when it
#: leads inside the project ("inside"), or replace the link itself ("replace").
Links = Literal["inside", "replace"]


def atomic_write(
    path: str | os.PathLike, data: bytes | str, *, encoding: str = "utf-8", links: Links = "inside"
) -> Path:
    """Replace ``path`` with ``data`` atomically; return the real path written.

    A symlink leading inside the project is followed, so the link stays a link
    and its target is updated; one leading out of it, or into a hidden file or
    folder, is refused (see :func:`write_target`); ``links="replace"`` (kg's own
    files) replaces a link or a FIFO at the path itself. An existing file keeps its permission bits, and its owner
    and group when the process may set them (as root); a new file gets the
    usual ones (0666 less the umask). Anything but a regular file or a new path
    is refused, and so is a source the running command reads (see
    :func:`protecting`) outside :func:`changing_sources`. Raises
    :class:`WriteError` with a readable message.
    """
    if isinstance(data, str):
        data = data.encode(encoding)
    target = write_target(path, links)
    folder = target.parent
    if not folder.is_dir():
        raise WriteError(f"cannot write {path}: folder {folder} does not exist")
    if target.is_dir():
        raise WriteError(f"cannot write {path}: it is a folder")
    owner = None
    try:
        info = target.lstat() if links == "replace" else target.stat()
        if links == "replace" and not stat.S_ISREG(info.st_mode):
            raise FileNotFoundError  # kg's own path: a link or a FIFO planted there is replaced
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
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=folder
        )
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


def write_target(path: str | os.PathLike, links: Links = "inside") -> Path:
    """The file a write to ``path`` changes, or :class:`WriteError` for a link kg must not follow.

    A symlink is followed only to a file inside the project (the folder named by
    :func:`in_project`, or the link's own folder) that is neither hidden nor in a
    hidden folder (``.git``, ``.ssh``): a link a cloned project carries could
    otherwise make kg overwrite any file of the user's. With ``links="replace"``
    the path itself is the target, link or not.
    """
    given = Path(os.path.abspath(path))
    if links == "replace":
        return Path(os.path.realpath(given.parent)) / given.name
    if not given.is_symlink():
        return Path(os.path.realpath(given))
    target = Path(os.path.realpath(given))
    roots = [Path(os.path.realpath(given.parent))]
    project = _project.get()
    if project is not None:
        roots.append(Path(project))
    for root in roots:
        if target.is_relative_to(root):
            inside = target.relative_to(root).parts
            if not any(part.startswith(".") for part in inside):
                return target
            raise WriteError(
                f"refusing to write {os.fspath(path)}: it is a symlink to {target}, a hidden file "
                f"or folder of the project; kg writes through a link only to the project's own "
                f"files. Remove the link, or name the file itself"
            )
    raise WriteError(
        f"refusing to write {os.fspath(path)}: it is a symlink to {target}, outside the project "
        f"({roots[-1]}); kg never writes through a link that leads out of the project (a cloned "
        f"project can carry one). Remove the link, or name the file itself"
    )


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
        # The caller resolved the path: a link found here now was put there meanwhile.
        flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(path, flags)
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


def remove_dead_writers_temp_files(
    target: str | os.PathLike, *, locked: bool = False
) -> list[Path]:
    """Delete temp files that killed writers left next to ``target``; return them.

    A process killed in the middle of :func:`atomic_write` (power cut,
    ``kill -9``) leaves its ``.NAME.PID.XXXX.tmp`` behind: the target itself is
    untouched. Such a file is removed once no process with that id is running;
    a temp file of a live writer, or one without a process id, is left alone.
    ``locked``: the caller holds the file's lock (``kg add``), so no writer of
    it is alive and every temp file of it goes. This is the one place temp
    files are cleaned up: the name is matched literally (``refs[1].bib``
    matches its own temp files, never another file's).
    """
    target = Path(target)
    removed = []
    prefix = f".{target.name}."
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid_text = leftover.name[len(prefix) :].split(".", 1)[0]
        if not locked and (not pid_text.isdigit() or _process_alive(int(pid_text))):
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
