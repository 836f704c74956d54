"""Writing files so that a reader never sees half of one.

Every output kg writes goes through :func:`atomic_write`: the data goes to a
temporary file in the same folder, is flushed to disk, and only then renamed
over the target. A crash, a full disk or a refused permission leaves the
target as it was and no temporary file behind.
"""

from __future__ import annotations

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
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException as error:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise WriteError(f"cannot write {path}: {error.strerror or error}") from error
        raise
    _fsync_folder(folder)
    return target


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
