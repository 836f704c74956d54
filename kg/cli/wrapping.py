"""Text laid out for a terminal: answers filled to 80 columns with hanging indents.

Terminal italics (from :mod:`kg.cite`) survive wrapping; ``NO_COLOR`` and pipes
turn them off.
"""

from __future__ import annotations

import re

WIDTH = 80  # table output fits an 80-column terminal


def wrap(text: str, width: int = WIDTH, first: str = "", rest: str = "") -> str:
    """Fill ``text`` to ``width`` columns: the first line starts with ``first``, the others with ``rest``.

    Lines break at spaces; a word longer than a line is cut to fill the line
    it starts on, as :func:`textwrap.fill` does (``break_long_words=True``,
    ``break_on_hyphens=False``), and the output is the same as textwrap's. It
    exists because textwrap cuts a long word by copying what is left of it at
    every line, which takes minutes on a title of a few million characters;
    here a long word is cut by position, in time linear in its length.
    """
    chunks: list[str] = []
    for word in str(text).split():
        if chunks:
            chunks.append(" ")
        chunks.append(word)
    chunks.reverse()  # taken from the end
    used = 0  # how much of chunks[-1] earlier lines already hold
    lines: list[str] = []
    while chunks:
        indent = rest if lines else first
        room = width - len(indent)
        if lines and chunks[-1] == " ":
            chunks.pop()
        line: list[str] = []
        length = 0
        while chunks and length + len(chunks[-1]) - used <= room:
            chunk = chunks.pop()
            line.append(chunk[used:] if used else chunk)
            length += len(chunk) - used
            used = 0
        if chunks and len(chunks[-1]) - used > room:
            # textwrap's own rule, kept for identical output: a line already full after its
            # last space takes an empty piece, and so keeps that space.
            take = 1 if room < 1 else room - length
            line.append(chunks[-1][used : used + take])
            used += take
        if line and not line[-1].strip():
            line.pop()
        if line:
            lines.append(indent + "".join(line))
    return "\n".join(lines)


def wrap_hanging(text: str, indent: int = 0, first: str | None = None) -> str:
    """Wrap ``text`` to the terminal width with a hanging indent of ``indent`` spaces."""
    prefix = " " * indent
    return wrap(text, WIDTH, prefix if first is None else first, prefix)


def citation_output(output_format: str) -> str:
    """The kind of citation markup a --format prints (italics where the format has them)."""
    if output_format == "markdown":
        return "markdown"
    if output_format == "table" and italics_on_terminal():
        return "ansi"
    return "text"


def italics_on_terminal() -> bool:
    """True when standard output is a terminal that shows italics (never when piped).

    ``NO_COLOR`` (https://no-color.org) and ``TERM=dumb`` turn them off.
    """
    import os
    import sys

    if os.environ.get("NO_COLOR") or os.environ.get("TERM", "") == "dumb":
        return False
    stream = sys.stdout
    return bool(getattr(stream, "isatty", None) and stream.isatty())


def wrap_marked(text: str, indent: int, first: str) -> str:
    """Wrap a citation that may hold terminal italics, counting only the visible characters.

    The visible text is wrapped, then the italic codes are put back at the same
    characters; a span that crosses a line break is closed at the end of the
    line and opened again on the next, so every line stands on its own.
    """
    from kg.cite import ITALIC_OFF, ITALIC_ON

    if ITALIC_ON not in text:
        return wrap_hanging(text, indent, first=first)
    marks: dict[int, str] = {}
    plain_parts: list[str] = []
    position = 0
    for piece in re.split(f"({re.escape(ITALIC_ON)}|{re.escape(ITALIC_OFF)})", text):
        if piece in (ITALIC_ON, ITALIC_OFF):
            marks[position] = marks.get(position, "") + piece
        else:
            plain_parts.append(piece)
            position += len(piece)
    plain = "".join(plain_parts)  # kg.cite leaves single spaces and no space at either end
    wrapped = wrap_hanging(plain, indent, first=first).split("\n")
    codes = re.compile(f"{re.escape(ITALIC_ON)}|{re.escape(ITALIC_OFF)}")
    out = []
    position = 0
    italic = False
    for number, line in enumerate(wrapped):
        prefix = len(first) if number == 0 else indent
        if number and position < len(plain) and plain[position] == " ":
            position += 1  # the space the line break replaced
        pieces = [line[:prefix], ITALIC_ON if italic else ""]
        for offset in range(prefix, len(line) + 1):
            for code in codes.findall(marks.pop(position, "")):
                italic = code == ITALIC_ON
                pieces.append(code)
            if offset < len(line):
                pieces.append(line[offset])
                position += 1
        if italic:
            pieces.append(ITALIC_OFF)
        out.append("".join(pieces).replace(ITALIC_ON + ITALIC_OFF, ""))
    return "\n".join(out)
