"""A cache of loaded corpora, so that a command on unchanged files skips the parse.

The cache is data, never code. An entry is one line of header followed by a
MessagePack document (plain data, like JSON, only faster to read and write)::

    kg-cache 3 <SHA-256 of the body, hex> <length of the body in bytes>\\n<body>

The body holds a :class:`kg.model.Corpus` as plain values: each
dataclass of :mod:`kg.model` becomes a list of its field values, and the body
names the fields of every class it holds (taken from :func:`dataclasses.fields`
when it was written), so an entry written for other dataclasses simply
misses. Reading checks everything before anything is built: the header, the
declared length against the file's size, the checksum, then every value's
type against the dataclasses' annotations. Whatever fails is a miss, and the
entry is written again from a fresh parse: a damaged entry is never trusted.

An entry is named by a SHA-256 of everything the result depends on: both
files' bytes, the names they are shown under (problems name them), the kg
version, :data:`FORMAT` and the source code of the package. So a changed
file, a new kg or a renamed path simply misses; nothing is trusted by date.

The folder is ``platformdirs.user_cache_dir("kg")`` (``~/.cache/kg`` on
Linux), or ``KG_CACHE_DIR`` when set. kg creates it private (0700) and uses
it only while it stays so: a folder owned by someone else or writable by
others turns the cache off, with one warning. Entries are opened without
following symlinks and used only when they are regular files owned by the
user; they are written to a private temporary file and renamed into place,
which replaces whatever was at the entry's path (a planted symlink included)
instead of writing through it. The folder is kept under :data:`LIMIT_BYTES`
by deleting the least recently used entries.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from kg.sources.speed.cache_codec import (
    Unusable,
    check_corpus,
    decode_corpus,
    decode_value,
    encode_corpus,
    encode_value,
    pack,
    unpack,
)
from kg.sources.speed.collector import collector_off, hide_from_collector

#: Bumped whenever the layout of an entry changes.
FORMAT = 3
#: The cache folder never grows beyond this many bytes (and no entry is read beyond it).
LIMIT_BYTES = 200 * 1024 * 1024
_SUFFIX = ".corpus"
_MAGIC = b"kg-cache"
#: A header is ``kg-cache FORMAT DIGEST LENGTH\n``: never longer than this.
_HEADER_MAX = 128

_warned_folders: set[str] = set()


def cache_dir() -> Path:
    """The folder that holds the cache (``KG_CACHE_DIR`` overrides the user cache folder)."""
    override = os.environ.get("KG_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("kg", appauthor=False))


def usable_folder(create: bool = False) -> Path | None:
    """The cache folder if it is safe to use (created 0700 when ``create``), else None.

    Safe means: a folder (a symlink to one is followed), owned by the user,
    and writable by nobody else. Otherwise someone else could plant entries
    (the cache would answer with their data) or read what the user's sources
    hold, so the cache is off and one warning says why and how to fix it.
    """
    folder = cache_dir()
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        if not create:
            return None
        try:
            _make_private_folder(folder)
        except FileExistsError:
            pass  # another kg process made it meanwhile: checked below like any other
        except OSError:
            return None  # a read-only home, a file in the way: no cache, no fuss
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o700)  # mkdir's mode passed through the umask
        try:
            info = os.stat(folder)
        except OSError:
            return None
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return None
    if info.st_uid != os.geteuid():
        _warn_once(
            folder,
            f"the cache folder {folder} belongs to another user (uid "
            f"{info.st_uid}); the cache is off. Remove it, or set KG_CACHE_DIR "
            f"to a folder of your own",
        )
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        _warn_once(
            folder,
            f"the cache folder {folder} is writable by others (mode "
            f"{stat.S_IMODE(info.st_mode):04o}); the cache is off. Fix it with "
            f"`chmod 700 {folder}`",
        )
        return None
    return folder


def _make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parent (``~/.cache``) readable by the user alone.

    ``mkdir``'s mode passes through the umask and applies to the last folder only:
    under ``umask 000`` the parents would be 0777, writable by anyone.
    """
    previous = os.umask(0o077)
    try:
        folder.mkdir(mode=0o700, parents=True)
    finally:
        os.umask(previous)


def _warn_once(folder: Path, message: str) -> None:
    """Say once per process and folder why the cache is not used."""
    if str(folder) in _warned_folders:
        return
    _warned_folders.add(str(folder))
    with contextlib.suppress(OSError, ValueError):
        print(f"kg: warning: {message}", file=sys.stderr)


def cache_key(
    bib_label: str, bib_data: bytes, concepts_label: str | None, concepts_data: bytes | None
) -> str:
    """The name of the entry for these sources (hex SHA-256)."""
    from kg._version import __version__

    digest = hashlib.sha256()
    for part in (
        f"kg {__version__} cache {FORMAT}".encode(),
        code_digest(),
        bib_label.encode("utf-8", "surrogateescape"),
        bib_data,
        b"" if concepts_label is None else concepts_label.encode("utf-8", "surrogateescape"),
        b"\x00" if concepts_data is None else concepts_data,
    ):
        # Length-prefixed, so that no two different inputs run together the same way.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def code_files() -> list[Path]:
    """Every Python module of the kg package, found afresh (sorted): what :func:`code_digest` hashes."""
    package = Path(__file__).resolve().parents[2]
    return sorted(package.rglob("*.py"))


@functools.lru_cache(maxsize=1)
def code_digest() -> bytes:
    """A digest of every Python module of the kg package (:func:`code_files`).

    Part of every key, so that a changed loader (a new check, a fixed bug, a
    module moved to another package) never answers from results the old code
    cached, even within one version. Hashing the whole package, rather than a
    list of files, means no module can be forgotten; it takes a few
    milliseconds.
    """
    package = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for path in code_files():
        relative = path.relative_to(package).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(relative).to_bytes(8, "big") + relative)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()


# ----------------------------------------------------------------- entries on disk


def _entry_name(key: str, name: str | None = None) -> str:
    """The file name of an entry: a key (hex) and, for a summary, a plain word."""
    if not key or any(character not in "0123456789abcdef" for character in key):
        raise ValueError(f"not a cache key: {key!r}")
    if name is not None and not name.isalnum():
        raise ValueError(f"not a summary name: {name!r}")
    return f"{key}{_SUFFIX}" if name is None else f"{key}.{name}{_SUFFIX}"


def _frame(body: bytes) -> bytes:
    header = b"%s %d %s %d\n" % (
        _MAGIC,
        FORMAT,
        hashlib.sha256(body).hexdigest().encode(),
        len(body),
    )
    return header + body


def _read_entry(path: Path, limit: int | None = None) -> bytes | None:
    """The verified body of the entry at ``path``, or None when there is none or it is unusable.

    The entry is opened without following a symlink and without blocking (a
    FIFO planted there would otherwise wait forever), used only if it is a
    regular file of the user's, and read no further than its header says;
    the body's checksum is checked before it is returned. An entry larger than
    ``limit`` (default :data:`LIMIT_BYTES`) is not read at all. A hit marks the
    entry as recently used.
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.geteuid()
            or info.st_size > min(LIMIT_BYTES, limit if limit is not None else LIMIT_BYTES)
        ):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            header = stream.readline(_HEADER_MAX)
            body_length, body_digest = _parse_header(header, info.st_size)
            body = stream.read(body_length)
        if len(body) != body_length or hashlib.sha256(body).hexdigest().encode() != body_digest:
            return None
        with contextlib.suppress(OSError):
            os.utime(descriptor)  # recently used: pruned last
        return body
    except (OSError, Unusable):
        return None
    finally:
        os.close(descriptor)


def _parse_header(header: bytes, file_size: int) -> tuple[int, bytes]:
    """The body's declared length and digest; the length must account for the whole file."""
    parts = header.rstrip(b"\n").split(b" ")
    if not header.endswith(b"\n") or len(parts) != 4 or parts[0] != _MAGIC:
        raise Unusable("not a kg cache entry")
    _magic, stored_format, body_digest, length = parts
    if stored_format != str(FORMAT).encode() or not length.isdigit() or len(body_digest) != 64:
        raise Unusable("another format")
    body_length = int(length)
    if len(header) + body_length != file_size:
        raise Unusable("truncated or extended")
    return body_length, body_digest


def _write_entry(folder: Path, name: str, body: bytes) -> bool:
    """Put an entry in place atomically; False when it could not be written.

    The data goes to a private (0600) temporary file first, which is then
    renamed over ``name``: whatever was at that path, a symlink or a FIFO
    included, is replaced, never written through.
    """
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(_frame(body))
        os.replace(temp_name, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        return False
    return True


# ------------------------------------------------------------------- the corpus


def entry_limit(source_bytes: int) -> int:
    """The largest entry worth reading for sources of ``source_bytes`` bytes.

    An entry holds about what its sources hold (beebe7_concat.bib: 24.5 MB of
    BibTeX, a 45 MB entry), but MessagePack can spell an empty list in one byte
    that takes some 60 in memory: a planted entry as large as the whole cache
    (200 MB) could ask for 14 GB. Four times the sources, and a megabyte, bounds
    what reading an entry can cost by what parsing the sources costs anyway.
    """
    return 4 * source_bytes + 1024 * 1024


def read(key: str, limit: int | None = None):
    """The cached corpus for ``key``, or None when there is none or it cannot be trusted.

    ``limit`` (see :func:`entry_limit`) bounds the entry's size; its values are
    then checked as data (:func:`kg.sources.speed.cache_codec.check_corpus`).
    """
    folder = usable_folder()
    if folder is None:
        return None
    body = _read_entry(folder / _entry_name(key), limit)
    if body is None:
        return None
    try:
        with collector_off():  # millions of small acyclic objects: nothing to collect
            corpus = decode_corpus(body)
        check_corpus(corpus)
    except (Unusable, ValueError, TypeError, RecursionError, AttributeError):
        return None
    hide_from_collector(len(corpus.papers))
    return corpus


def write(key: str, corpus) -> bool:
    """Store ``corpus`` under ``key``, then prune the folder; return False if it could not be written.

    A cache that cannot be written (read-only home, full disk, unsafe folder)
    never stops a command.
    """
    folder = usable_folder(create=True)
    if folder is None:
        return False
    try:
        with collector_off():  # encoding makes a list for every paper and author
            body = encode_corpus(corpus)
    except (TypeError, ValueError, RecursionError):
        return False
    if not _write_entry(folder, _entry_name(key), body):
        return False
    prune(folder)
    return True


def read_summary(key: str, name: str, shape=None, limit: int | None = None):
    """A small result stored beside the corpus for ``key`` (``kg check``'s report), or None.

    With ``shape`` (a type annotation: a dataclass, ``list[Problem]``...) the data
    is decoded as that type, every value checked: anything else is a miss.
    """
    folder = usable_folder()
    if folder is None:
        return None
    body = _read_entry(folder / _entry_name(key, name), limit)
    if body is None:
        return None
    try:
        data = unpack(body)
        return data if shape is None else decode_value(shape, data)
    except (ValueError, TypeError, RecursionError):
        return None


def write_summary(key: str, name: str, data, shape=None) -> bool:
    """Store a small result for ``key`` (plain data, or a value of type ``shape``); False when
    the cache cannot be written."""
    folder = usable_folder(create=True)
    if folder is None:
        return False
    try:
        body = pack(data if shape is None else encode_value(shape, data))
    except (TypeError, ValueError, OverflowError):
        return False
    return _write_entry(folder, _entry_name(key, name), body)


def prune(folder: Path | None = None, limit: int | None = None) -> list[Path]:
    """Delete the least recently used entries until the folder holds at most ``limit`` bytes
    (default :data:`LIMIT_BYTES`); return the deleted files."""
    folder = folder or cache_dir()
    limit = LIMIT_BYTES if limit is None else limit
    entries = []
    try:
        for path in folder.iterdir():
            if path.suffix == _SUFFIX:
                info = path.lstat()  # a symlink counts as itself, and is removed as itself
                entries.append((info.st_mtime, info.st_size, path))
    except OSError:
        return []
    total = sum(size for _, size, _ in entries)
    removed = []
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            path.unlink()
        except OSError:
            continue
        total -= size
        removed.append(path)
    return removed
