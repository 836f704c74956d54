"""The layout file: where each node of a map was, kept beside the map.

``kg render -o concept-map.html`` also writes ``concept-map.layout.json``.
The next render reads it back, so nodes that were on the map stay where they
were and only new ones are placed (next to what they link to): the room keeps
the geography it learned. The file is small, sorted and one node a line, so
it reads well in a diff and can be committed with the sources. Deleting it,
or ``kg render --relayout``, lays the map out afresh.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError, ReadError
from kg.fileio import atomic_write, read_guarded
from kg.model import Problem

__all__ = ["Layout", "layout_path_for", "load_layout", "read_layout", "write_layout"]

FORMAT = "kg-layout"
VERSION = 1
#: A layout file holds about 45 bytes a node: this is room for some 350,000 nodes. A larger
#: file is refused before it is read (a 113 MB one took 14 s and 1.8 GB to parse).
MAX_BYTES = 16 * 1024 * 1024
#: No coordinate kg writes comes near this (the 9,455 nodes of cdl.bib's map lie within
#: ±6,848 pixels, and a map's extent grows with the square root of its nodes); beyond it
#: one node would shrink the rest of the map to a dot.
MAX_COORDINATE = 1_000_000
#: A node id as kg writes it: a kind, a colon, and at most this many characters.
MAX_ID_LENGTH = 1000
_NODE_ID = re.compile(r"(?:paper|author|concept|objective|quote|cluster):.+", re.DOTALL)
#: More bad nodes than this get one summary warning.
MAX_NODE_WARNINGS = 5
_HINT = "fix it, delete it, or run `kg render --relayout` to lay the map out afresh"


@dataclass
class Layout:
    """What a layout file holds: the positions kg can use, and warnings about the rest."""

    positions: dict[str, tuple[float, float]]
    problems: list[Problem] = field(default_factory=list)


def layout_path_for(map_path: str | Path) -> Path:
    """The layout file that goes with a map: ``workshop.html`` -> ``workshop.layout.json``."""
    path = Path(map_path)
    return path.with_name(path.stem + ".layout.json")


def read_layout(path: str | Path) -> dict[str, tuple[float, float]] | None:
    """The usable positions of a layout file (see :func:`load_layout`), or None without one."""
    layout = load_layout(path)
    return None if layout is None else layout.positions


def load_layout(path: str | Path) -> Layout | None:
    """The layout file at ``path`` read as data, or None when there is no such file.

    The file is read through :func:`kg.fileio.read_guarded`: a regular file of at
    most :data:`MAX_BYTES`, never a FIFO or a device, whatever link leads there.
    Raises :class:`~kg.errors.KgError` naming the file (and line, for broken
    JSON) when the file as a whole cannot be used. A node whose id or place is
    not what kg writes (not two finite numbers within :data:`MAX_COORDINATE`)
    is left out with a warning naming the file, its line and the node: the map
    then places it afresh.
    """
    path = Path(path)
    try:
        data = read_guarded(path, limit=MAX_BYTES, missing_ok=True, what="a layout file")
    except ReadError as error:
        raise KgError(f"{error}; {_HINT}") from None
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise KgError(f"{path}:{line}: the layout file is not UTF-8; {_HINT}") from None
    document = _parse(path, text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KgError(f'{path}: not a kg layout file (no "format": "{FORMAT}"); {_HINT}')
    if document.get("version") != VERSION:
        version = document.get("version")
        shown = repr(version) if isinstance(version, int | float | str | None) else "not a number"
        raise KgError(f"{path}: layout file version {shown[:40]} is not {VERSION}; {_HINT}")
    positions = document.get("positions")
    if not isinstance(positions, dict):
        raise KgError(f'{path}: "positions" must map node ids to [x, y]; {_HINT}')
    return _checked_positions(path, text, positions)


def _parse(path: Path, text: str):
    """The JSON document, or a :class:`KgError` with the line: broken, too deep, or odd numbers."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise KgError(f"{path}:{error.lineno}: not valid JSON ({error.msg}); {_HINT}") from None
    except RecursionError:
        raise KgError(
            f"{path}: nested deeper than any layout file (kg writes three levels); {_HINT}"
        ) from None
    except ValueError as error:  # an integer of thousands of digits, and the like
        raise KgError(f"{path}: not a layout file kg can read ({error}); {_HINT}") from None


def _checked_positions(path: Path, text: str, positions: dict) -> Layout:
    """Keep the nodes whose id and place are sane; a warning for each of the others."""
    result: dict[str, tuple[float, float]] = {}
    rejected: list[tuple[str, str]] = []
    for node, value in positions.items():
        reason = _bad_id(node) or _bad_place(value)
        if reason:
            rejected.append((node, reason))
        else:
            result[node] = (float(value[0]), float(value[1]))
    problems = [
        Problem(
            str(path),
            _line_of(text, node),
            "warning",
            "layout-value",
            f"node '{_shown(node)}': {reason}; it is placed afresh",
        )
        for node, reason in rejected[:MAX_NODE_WARNINGS]
    ]
    if len(rejected) > MAX_NODE_WARNINGS:
        more = len(rejected) - MAX_NODE_WARNINGS
        problems.append(
            Problem(
                str(path),
                None,
                "warning",
                "layout-value",
                f"{more} more nodes have a place kg cannot use; they are placed afresh",
            )
        )
    return Layout(result, problems)


def _bad_id(node: str) -> str:
    """Why ``node`` is not a node id kg writes, or ``""``."""
    if len(node) > MAX_ID_LENGTH:
        return f"the id is longer than {MAX_ID_LENGTH} characters"
    if not _NODE_ID.fullmatch(node):
        return "not a node id kg writes (paper:KEY, concept:ID, author:ID...)"
    if any(0xD800 <= ord(character) <= 0xDFFF for character in node):
        return "the id holds half of a surrogate pair"
    return ""


def _bad_place(value) -> str:
    """Why ``value`` is not a place on the map (``[x, y]``, finite, in range), or ``""``."""
    if not isinstance(value, list) or len(value) != 2:
        return "its place must be [x, y]"
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int | float):
            return "its place must be two numbers"
        if isinstance(number, float) and not math.isfinite(number):
            return f"its place holds {json.dumps(number)}, not a finite number"
        if abs(number) > MAX_COORDINATE:
            return f"its place lies beyond ±{MAX_COORDINATE:,} pixels"
    return ""


def _line_of(text: str, node: str) -> int | None:
    """The line where ``node``'s place is written (one node a line), if it can be found."""
    for spelling in (json.dumps(node, ensure_ascii=False), json.dumps(node)):
        found = text.find(spelling + ":")
        if found == -1:
            found = text.find(spelling)
        if found != -1:
            return text.count("\n", 0, found) + 1
    return None


def _shown(node: str) -> str:
    """A node id for a message: at most 80 characters, invisible ones spelt out."""
    from kg.sources.identity import shown

    text = shown(node)
    return text if len(text) <= 80 else text[:77] + "..."


def layout_text(positions: dict[str, tuple[int, int]], map_name: str) -> str:
    """The layout file's text: a short note, then one node a line, sorted by id."""
    lines = [
        "{",
        f'  "format": "{FORMAT}",',
        f'  "version": {VERSION},',
        '  "about": '
        + json.dumps(
            f"Where each node of {map_name} stands. kg render keeps these places and puts new "
            "nodes next to what they link to; delete this file or use --relayout to start afresh."
        )
        + ",",
        '  "positions": {',
    ]
    items = sorted(positions.items())
    for number, (node, (x, y)) in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        lines.append(f"    {json.dumps(node, ensure_ascii=False)}: [{int(x)}, {int(y)}]{comma}")
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def write_layout(path: str | Path, positions: dict[str, tuple[int, int]], map_name: str) -> bool:
    """Write the layout file atomically unless it already holds these positions; True when written.

    :func:`kg.fileio.atomic_write` refuses a FIFO, a device, a source, and a
    symlink that leads out of the project (a cloned project can carry one).
    """
    data = layout_text(positions, map_name).encode("utf-8")
    path = Path(path)
    try:
        if read_guarded(path, limit=MAX_BYTES, missing_ok=True) == data:
            return False
    except ReadError:
        pass  # not a file kg can compare with: atomic_write says why it cannot replace it
    atomic_write(path, data)
    return True
