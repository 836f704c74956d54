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
from pathlib import Path

from kg.errors import KgError
from kg.fileio import atomic_write

__all__ = ["layout_path_for", "read_layout", "write_layout"]

FORMAT = "kg-layout"
VERSION = 1


def layout_path_for(map_path: str | Path) -> Path:
    """The layout file that goes with a map: ``workshop.html`` -> ``workshop.layout.json``."""
    path = Path(map_path)
    return path.with_name(path.stem + ".layout.json")


def read_layout(path: str | Path) -> dict[str, tuple[float, float]] | None:
    """Positions stored in a layout file, or None when there is no such file.

    Raises :class:`~kg.errors.KgError` with the file (and line, for broken
    JSON) when the file exists but is not a layout file kg can read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise KgError(f"{path}: cannot read the layout file: {error}") from error
    hint = "fix it, delete it, or run `kg render --relayout` to lay the map out afresh"
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise KgError(f"{path}:{error.lineno}: not valid JSON ({error.msg}); {hint}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KgError(f'{path}: not a kg layout file (no "format": "{FORMAT}"); {hint}')
    if document.get("version") != VERSION:
        raise KgError(
            f"{path}: layout file version {document.get('version')!r} is not {VERSION}; {hint}"
        )
    positions = document.get("positions")
    if not isinstance(positions, dict):
        raise KgError(f'{path}: "positions" must map node ids to [x, y]; {hint}')
    result = {}
    for node, value in positions.items():
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(
                isinstance(number, int | float) and not isinstance(number, bool) for number in value
            )
        ):
            raise KgError(f"{path}: the position of {node!r} must be [x, y] numbers; {hint}")
        result[node] = (float(value[0]), float(value[1]))
    return result


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
    """Write the layout file atomically unless it already holds these positions; True when written."""
    text = layout_text(positions, map_name)
    path = Path(path)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write(path, text.encode("utf-8"))
    return True
