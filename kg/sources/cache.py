"""A cache of loaded corpora, so that a command on unchanged files skips the parse.

An entry is a :class:`kg.model.Corpus` (papers, authors and problems as
plain tuples in :mod:`marshal` format, which reads and writes several times
faster than pickling the dataclasses; the small rest pickled), named by a SHA-256 of
everything the result depends on: both files' bytes, the names they are
shown under (problems name them), the kg version and :data:`FORMAT`. So a
changed file, a new kg or a renamed path simply misses; nothing is ever
trusted by date. An entry that cannot be read (truncated, corrupt, from an
incompatible Python) is ignored and written again. Entries are written
atomically, and the folder is kept under :data:`LIMIT_BYTES` by deleting the
least recently used entries.

The folder is ``platformdirs.user_cache_dir("kg")`` (``~/.cache/kg`` on
Linux), or ``KG_CACHE_DIR`` when set.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import marshal
import os
import pickle
from pathlib import Path

from kg.sources.collector import collector_off, hide_from_collector

#: Bumped whenever what a cached corpus holds changes shape.
FORMAT = 2
#: The cache folder never grows beyond this many bytes.
LIMIT_BYTES = 200 * 1024 * 1024
_SUFFIX = ".corpus"


def cache_dir() -> Path:
    """The folder that holds the cache (``KG_CACHE_DIR`` overrides the user cache folder)."""
    override = os.environ.get("KG_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("kg", appauthor=False))


def cache_key(
    bib_label: str, bib_data: bytes, concepts_label: str | None, concepts_data: bytes | None
) -> str:
    """The name of the entry for these sources (hex SHA-256)."""
    from kg import __version__

    digest = hashlib.sha256()
    for part in (f"kg {__version__} cache {FORMAT}".encode(), loader_digest(),
                 bib_label.encode("utf-8", "surrogateescape"),
                 bib_data, b"" if concepts_label is None else concepts_label.encode("utf-8", "surrogateescape"),
                 b"\x00" if concepts_data is None else concepts_data):  # fmt: skip
        # Length-prefixed, so that no two different inputs run together the same way.
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def loader_digest() -> bytes:
    """A digest of the code that turns files into a Corpus (and into ``kg check``'s report).

    Part of every key, so that a changed loader (a new check, a fixed bug)
    never answers from results the old one cached, even within one version.
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    code = [package / "model.py", package / "graph.py", package / "cli" / "check.py",
            *package.joinpath("sources").glob("*.py")]  # fmt: skip
    for path in sorted(code):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


def read(key: str):
    """The cached corpus for ``key``, or None when there is none or it cannot be read."""
    path = cache_dir() / (key + _SUFFIX)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with collector_off():  # see kg.sources.collector
        try:
            corpus = _unpack(data)
        except Exception:  # truncated, corrupt, or written by an incompatible version: rebuild it
            corpus = None
        if corpus is None:
            return None
        hide_from_collector(len(corpus.papers))
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return corpus


def write(key: str, corpus) -> bool:
    """Store ``corpus`` under ``key``, then prune the folder; return False if it could not be written.

    A cache that cannot be written (read-only home, full disk) never stops a command.
    """
    from kg.errors import WriteError
    from kg.fileio import atomic_write

    folder = cache_dir()
    try:
        with collector_off():  # packing makes a tuple for every paper and author
            data = _pack(corpus)
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / (key + _SUFFIX), data)
    except (OSError, WriteError, ValueError, pickle.PicklingError):
        return False
    prune(folder)
    return True


def _layout() -> tuple:
    """The field names of the tuples an entry holds: an entry with other names is not used."""
    from kg.model import Author, Paper, Problem

    return tuple(
        tuple(field.name for field in dataclasses.fields(kind)) for kind in (Paper, Author, Problem)
    )


def _pack(corpus) -> bytes:
    paper_fields, author_fields, problem_fields = _layout()

    def values(item, names):
        attributes = item.__dict__
        return tuple(attributes[name] for name in names)

    rest = dict(corpus.__dict__)
    papers, authors, problems = rest.pop("papers"), rest.pop("authors"), rest.pop("problems")
    return marshal.dumps((
        FORMAT, _layout(),
        [values(paper, paper_fields) for paper in papers.values()],
        [values(author, author_fields) for author in authors.values()],
        [values(problem, problem_fields) for problem in problems],
        pickle.dumps(rest, protocol=pickle.HIGHEST_PROTOCOL),
    ))  # fmt: skip


def _unpack(data: bytes):
    from kg.model import Author, Corpus, Paper, Problem

    stored_format, layout, papers, authors, problems, rest = marshal.loads(data)
    if stored_format != FORMAT or layout != _layout():
        return None
    corpus = Corpus(**pickle.loads(rest))
    corpus.papers = {values[0]: Paper(*values) for values in papers}
    corpus.authors = {values[0]: Author(*values) for values in authors}
    corpus.problems = [Problem(*values) for values in problems]
    return corpus


def read_summary(key: str, name: str):
    """A small JSON result stored beside the corpus for ``key`` (``kg check``'s report), or None."""
    import json

    path = cache_dir() / f"{key}.{name}{_SUFFIX}"
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return data


def write_summary(key: str, name: str, data) -> bool:
    """Store a small JSON result for ``key``; False when the cache cannot be written."""
    import json

    from kg.errors import WriteError
    from kg.fileio import atomic_write

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / f"{key}.{name}{_SUFFIX}", json.dumps(data, ensure_ascii=False))
    except (OSError, WriteError, ValueError):
        return False
    return True


def prune(folder: Path | None = None, limit: int | None = None) -> list[Path]:
    """Delete the least recently used entries until the folder holds at most ``limit`` bytes
    (default :data:`LIMIT_BYTES`); return the deleted files."""
    folder = folder or cache_dir()
    limit = LIMIT_BYTES if limit is None else limit
    entries = []
    try:
        for path in folder.iterdir():
            if path.suffix == _SUFFIX:
                stat = path.stat()
                entries.append((stat.st_mtime, stat.st_size, path))
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
