"""A chunk of a bibliography -> records, by bibtexparser.

A chunk starts at a line beginning with ``@type{``, where bibtexparser's
splitter always starts a block afresh (it is either between blocks there, or
aborts the open one at that ``@``). So parsing chunks separately gives
exactly the blocks of one whole-file parse, as long as each chunk also sees
the next chunk's first ``@type{`` (see :func:`scan_chunk`). Every block
is read by bibtexparser (:func:`split_blocks`); :mod:`kg.sources.speed`
reads plain entries faster, with the same records.
"""

from __future__ import annotations

import logging
import re

from kg.sources.entries import library_entry_record, resolve_value
from kg.sources.records import Between, FailedBlock, Found, StringRecord

# bibtexparser logs every failed block at WARNING level; kg reports them itself.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

#: Where a new chunk may start: a line that begins with ``@type{`` or ``@type(``.
CHUNK_START = re.compile(r"\n(?=@\w*[ \t]*[{(])")


def scan_chunk(
    text: str,
    start: int,
    stop: int,
    look: int,
    line_offset: int,
    strings: dict[str, str],
    string_keys: set[str],
) -> list:
    """Split ``text[start:stop]`` into blocks and turn each into a record.

    ``text[stop:look]`` is the next chunk's first ``@type{`` (see
    :func:`split_blocks`). ``line_offset`` is the number of lines above
    ``start``. ``strings`` and ``string_keys`` (the macros defined before
    ``start``, by lower-case and by exact name) are updated in place by the
    chunk's @strings. Returns the records (see :mod:`kg.sources.records`).

    :func:`kg.sources.speed.pieces.scan_chunk` gives the same records faster.
    """
    records: list = []
    split_blocks(text, start, stop, look, line_offset, strings, string_keys, records)
    return records


def mark_end(text: str, at: int) -> int:
    """The end of the ``@type{`` that starts at ``at`` (or ``at`` itself at the end of the text)."""
    if at >= len(text):
        return at
    brace = min(position for position in (text.find("{", at), text.find("(", at)) if position != -1)
    return brace + 1


def split_blocks(
    text: str,
    start: int,
    stop: int,
    look: int,
    line_offset: int,
    strings: dict[str, str],
    string_keys: set[str],
    records: list,
) -> None:
    """Split ``text[start:stop]`` with bibtexparser and append a record for each block.

    ``text[stop:look]`` is the ``@type{`` that starts the next piece: a block
    left open at ``stop`` then aborts there, with the same message as in a
    whole-file parse; the block starting there is the next piece's and is
    dropped.
    """
    from bibtexparser import model as bib
    from bibtexparser.splitter import Splitter

    chunk = text[start:look]
    last_line = chunk.count("\n", 0, stop - start) if look > stop else None
    bound = len(text) - start  # bibtexparser's own bound for an error index, in chunk terms
    append = records.append
    for block in Splitter(chunk).split().blocks:
        if last_line is not None and (block.start_line or 0) >= last_line:
            break
        if isinstance(block, bib.DuplicateBlockKeyBlock):
            # Keys repeat across pieces too: the merge finds duplicate entries over the whole file.
            block = block.ignore_error_block or block
        line = (block.start_line or 0) + 1 + line_offset
        if isinstance(block, bib.String):
            value, issues = resolve_value(block.value, strings)
            found = [
                Found(line, "error", code, f"@string {block.key}: {message}")
                for code, message in issues
            ]
            if block.key in string_keys:
                # Concatenated journal bibliographies repeat their macros. BibTeX and
                # biber both read on, the later definition replacing the earlier one.
                same = strings.get(block.key.lower()) == value
                found.append(
                    Found(
                        line,
                        "warning",
                        "duplicate-string",
                        f"@string {block.key} is defined again, "
                        + ("with the same value" if same else "with another value")
                        + "; BibTeX and biber use the later definition from here on",
                    )
                )
            string_keys.add(block.key)
            strings[block.key.lower()] = value
            append(StringRecord(found))
        elif isinstance(block, bib.DuplicateFieldKeyBlock):
            # bibtexparser does not register such an entry's key; we keep the entry.
            append(library_entry_record(block.ignore_error_block, line, strings, True))
        elif isinstance(block, bib.ParsingFailedBlock):
            # BibTeX itself ignores "@comment" and reads on, so an unclosed one loses nothing.
            raw = block.raw or ""
            is_comment = raw.lstrip()[1:8].lower().startswith("comment")
            failed_line = _failed_line(block, chunk, bound) + line_offset
            origin = None if is_comment else _unclosed_origin(raw)
            if origin is not None and failed_line > line:
                # Report where the mistake is, not where the parser gave up.
                offset, message = origin
                append(
                    FailedBlock(
                        line + offset,
                        "error",
                        f"{message}; BibTeX reached line {failed_line} still inside it",
                        "entry",
                    )
                )
                continue
            append(
                FailedBlock(
                    failed_line,
                    "warning" if is_comment else "error",
                    _failed_message(block, line),
                    "comment" if is_comment else "entry",
                )
            )
        elif isinstance(block, bib.Entry):
            append(library_entry_record(block, line, strings, False))
        elif isinstance(block, bib.ImplicitComment):
            append(Between(line, block.comment))
        # Preambles and @comment blocks carry nothing kg uses.


def _failed_line(block, chunk: str, bound: int) -> int:
    """The 1-based line (in ``chunk``) where a failed block went wrong (or, failing that, starts)."""
    end_index = getattr(getattr(block, "error", None), "end_index", None)
    if isinstance(end_index, int) and 0 <= end_index <= bound:
        return chunk.count("\n", 0, end_index) + 1
    return block.start_line + 1


def _failed_message(block, start: int) -> str:
    """A plain message for a block bibtexparser could not parse, which starts at line ``start``."""
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", "") or str(error or "")
    head = block.raw.lstrip().split("{", 1)[0].split("(", 1)[0].strip() or "@?"
    reason = " ".join(str(reason).split())
    if reason.startswith("Expected comma after entry key, but found ="):
        reason = "the entry has no citation key, or a comma is missing after it"
    text = f"{head} block starting at line {start} could not be read"
    return f"{text}: {reason}" if reason else text


_HEAD = re.compile(r"\s*@\s*([^\s{(]+)\s*\{\s*([^,\s{}]*)\s*,")
_FIELD = re.compile(r"[\s,]*([^\s=,{}\"#]+)\s*=\s*")
_BARE = re.compile(r"[^,}\s]*\s*")
_NEXT_FIELD = re.compile(r"\n[ \t]*[A-Za-z_][\w\-]*[ \t]*=")


def _unclosed_origin(raw: str) -> tuple[int, str] | None:
    """Where an entry left open begins to be open: (lines into ``raw``, message), or None.

    Follows BibTeX's reading of ``raw`` (a block the parser could not finish)
    field by field: the first value whose ``{`` or ``"`` is never closed is the
    origin; when every value is closed, the entry's own closing brace is
    missing and the origin is its first line. None when the block does not
    read as an entry's head and fields (then the parser's own message stays).
    """
    from kg.sources.entries import closing_quote
    from kg.text import closing_delimiter

    head = _HEAD.match(raw)
    if head is None:
        return None
    key = head.group(2)
    position = head.end()
    while True:
        field = _FIELD.match(raw, position)
        if field is None:
            rest = raw[position:].strip().strip(",").strip()
            if rest:  # something else than fields: not a case this reads
                return None
            return 0, f"entry '{key}' has no closing '}}', so it could not be read"
        name, position = field.group(1), field.end()
        opening = raw[position : position + 1]
        if opening in ("{", '"'):
            end = (
                closing_delimiter(raw, position) if opening == "{" else closing_quote(raw, position)
            )
            # A value that swallows the next field's "name =" at the start of a line was
            # not closed where it should be, even if a later brace happens to close it.
            if end is None or _NEXT_FIELD.search(raw, position, end):
                return (
                    raw.count("\n", 0, position),
                    f"entry '{key}', field '{name.lower()}': the '{opening}' opened here is never closed, "
                    f"so the entry could not be read",
                )
            position = end + 1
        else:
            bare = _BARE.match(raw, position)  # it matches even nothing: never None
            position = bare.end() if bare else position
        while position < len(raw) and raw[position] in " \t\r\n#":
            position += 1  # '#' joins values: the next one is read as a field would be
        if raw[position : position + 1] == "}":
            return None  # the entry closes: the parser stopped for another reason
