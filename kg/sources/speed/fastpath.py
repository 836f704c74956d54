"""The fast path: plain entries read without bibtexparser, with exactly its result.

Nearly every entry of a real bibliography is plain: ``@type{key, name =
value, ...}`` with values in braces, quotes or bare words. :func:`read_plain_entry`
reads such a piece of the file many times faster than bibtexparser's splitter,
following the splitter's own rules (quotes, nested braces, backslash
escapes), and declines anything else (``@string``, comments, ``{"}``, an
``@`` at the start of a line inside the entry, odd field names), which then
goes to bibtexparser.

Its contract is the differential test against bibtexparser
(``tests/reliability/test_fuzz_bibtex.py``): on any text, the fast path and
bibtexparser give the same records.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from kg.sources.entries import entry_record
from kg.sources.records import Between
from kg.text import closing_delimiter

_PLAIN_HEAD = re.compile(r"@(\w+)[ \t]*\{([^{}\",=@\\\n]*),")
_PLAIN_FIELD = re.compile(r"\s*([A-Za-z_][^\s{}\",=@\\%#()]*)\s*=")
_PLAIN_END = re.compile(r"\s*\}")
#: What bibtexparser's splitter looks at inside a value (a backslash escapes it).
_VALUE_MARK = re.compile(r'(?<!\\)[{}",]')
_QUOTE_MARK = re.compile(r'(?<!\\)"')
#: One quoted or braced string (no braces inside) or one bare word, then the
#: ``,`` or ``}`` that ends the field: most values, read in one step.
_SIMPLE_VALUE = re.compile(r'\s*(?:"[^"]*(?<!\\)"|\{[^{}]*\}|[^\s{}",#\\]+)\s*(?=[,}])')
#: An '@' at the start of a line: inside an entry, bibtexparser may stop there.
_LINE_START_AT = re.compile(r"\n[ \t]*@")


class PlainEntry(NamedTuple):
    """One plain entry as bibtexparser's splitter would read it."""

    written_type: str  # the type as written: "Article"
    key: str
    fields: list  # (name, value as written, offset of its '=')
    close: int  # offset just after its closing brace


def read_plain_entry(text: str, start: int, stop: int) -> PlainEntry | None:
    """Read ``text[start:stop]`` when it is one plain ``@type{key, name = value, ...}`` and text.

    Returns the entry exactly as bibtexparser's splitter would read it, or
    None for anything this reader does not handle (then bibtexparser does).
    """
    head = _PLAIN_HEAD.match(text, start, stop)
    if head is None or head.group(1).lower().startswith(("comment", "preamble", "string")):
        return None
    if _LINE_START_AT.search(text, start + 1, stop) or text.find('{"}', start, stop) != -1:
        return None
    fields = []
    position = head.end()
    while True:
        closing = _PLAIN_END.match(text, position, stop)
        if closing is not None:
            close = closing.end()
            break
        name = _PLAIN_FIELD.match(text, position, stop)
        if name is None:
            return None
        equals = name.end() - 1
        simple = _SIMPLE_VALUE.match(text, equals + 1, stop)
        if simple is not None:
            end = simple.end()
        else:
            mark = _value_end(text, equals + 1, stop)
            if mark is None:
                return None
            end = mark.start()
        fields.append((name.group(1), text[equals + 1 : end].strip(), equals))
        if text[end] == "}":
            close = end + 1
            break
        position = end + 1
    if text.find("@", close, stop) != -1:
        return None
    return PlainEntry(head.group(1), head.group(2).strip(), fields, close)


def _value_end(text: str, position: int, stop: int):
    """The ``,`` or ``}`` that ends the value starting at ``position``, as bibtexparser's
    splitter finds it (inside quotes only the closing quote counts, inside braces
    only braces), or None if it is not before ``stop``."""
    while True:
        mark = _VALUE_MARK.search(text, position, stop)
        if mark is None:
            return None
        char = mark.group()
        position = mark.end()
        if char == '"':
            closing = _QUOTE_MARK.search(text, position, stop)
            if closing is None:
                return None
            position = closing.end()
        elif char == "{":
            brace = closing_delimiter(text, mark.start(), stop, escapes=True)
            if brace is None:
                return None
            position = brace + 1
        else:
            return mark


def plain_entry_records(
    text: str, start: int, stop: int, line_offset: int, entry: PlainEntry, strings, records
) -> None:
    """The records of a piece :func:`read_plain_entry` read (``line_offset`` lines above it)."""
    written_type, key, fields, close = entry
    line = line_offset + 1
    items: list[tuple[str, str, int | None]] = []
    names = set()
    repeated = False
    position, field_line = start, line
    for name, value, equals in fields:
        field_line += text.count("\n", position, equals)
        position = equals
        items.append((name, value, field_line))
        repeated = repeated or name in names
        names.add(name)
    newlines = text.count("\n", start, close)
    records.append(
        entry_record(
            key, written_type.lower(), written_type, False, newlines, items, line, strings, repeated
        )
    )
    if text[close:stop].strip():
        # Text after the entry, as bibtexparser's splitter cuts it: from the line of
        # the closing brace, without leading blank lines and trailing space.
        comment = text[close:stop]
        blank_lines = 0
        index = 0
        for index, char in enumerate(comment):  # noqa: B007 (index is read after the loop)
            if char == "\n":
                blank_lines += 1
            elif not char.isspace():
                break
        records.append(Between(line + newlines + blank_lines, comment[index:].rstrip()))
