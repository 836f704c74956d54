"""Writing files so that a reader never sees half of one.

Every output kg writes goes through :func:`atomic_write`: the data goes to a
temporary file in the same folder, is flushed to disk, and only then renamed
over the target. A full disk or a refused permission leaves the target as it
was and no temporary file behind; a process killed mid-write leaves the
target as it was, and its temporary file is removed by the next write.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from pathlib import Path

from kg.errors import WriteError


def atomic_write(path: str | os.PathLike, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``data`` atomically; return the real path written.

    A symlink is followed, so the link stays a link and its target is updated.
    An existing file keeps its permission bits; a new file gets the usual ones
    (0666 less the umask). Raises :class:`WriteError` with a readable message.
    """
    if isinstance(data, str):
        data = data.encode(encoding)
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.is_dir():
        raise WriteError(f"cannot write {path}: folder {folder} does not exist")
    if target.is_dir():
        raise WriteError(f"cannot write {path}: it is a folder")
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as error:  # a symlink loop, a path component that is a file...
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from error
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
