"""references.bib -> model: papers, authors and every problem found on the way.

bibtexparser 2 splits the file into blocks and never raises on bad syntax;
several malformations reach us silently (a missing comma merges two fields,
an extra ``}`` leaves the rest of an entry outside it, an undefined macro
becomes its own name). So the pipeline below parses with an empty middleware
stack, keeps every value as written, and runs its own small steps:

1. decode the bytes (strict UTF-8, with the line and column of a bad byte);
2. split into blocks (bibtexparser), in chunks of the file (see below);
3. report failed blocks, duplicate keys and fields, and stray text;
4. resolve ``@string`` macros and ``#`` concatenation, noticing what does not resolve;
5. split names with bibtexparser's name functions, then decode LaTeX only in
   the values that are displayed and only when they contain LaTeX;
6. check the fields each entry type requires, and the ``unverified`` flags.

Steps 2 to 6 run per *chunk* of the file and turn each block into a compact
record (plain tuples); :func:`_merge` then walks the records in file order and
does what needs the whole file: duplicate keys, registering authors, text
between blocks, crossrefs. A chunk starts at a line beginning with ``@type{``,
where bibtexparser's splitter always starts a block afresh (it is either
between blocks there, or aborts the open one at that ``@``), so parsing the
chunks separately gives exactly the blocks of one whole-file parse, as long
as each chunk also sees the next chunk's first ``@type{`` (see
:func:`_scan_chunk`). Big files are parsed chunk by chunk on all cores by
:mod:`kg.sources.parallel`; small ones are one chunk, in this process.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Author, Paper, Problem
from kg.sources.encoding import decode_bytes

#: Fields BibTeX's standard styles require, per entry type. A tuple inside
#: the list means "one of these" (``author`` or ``editor``). biblatex names
#: (``date``, ``journaltitle``) count for their BibTeX twins.
REQUIRED_FIELDS: dict[str, list[tuple[str, ...]]] = {
    "article": [("author",), ("title",), ("journal", "journaltitle"), ("year", "date")],
    "book": [("author", "editor"), ("title",), ("publisher",), ("year", "date")],
    "booklet": [("title",)],
    "inbook": [
        ("author", "editor"),
        ("title",),
        ("chapter", "pages"),
        ("publisher",),
        ("year", "date"),
    ],
    "incollection": [("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "conference": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "manual": [("title",)],
    "mastersthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "phdthesis": [("author",), ("title",), ("school", "institution"), ("year", "date")],
    "proceedings": [("title",), ("year", "date")],
    "techreport": [("author",), ("title",), ("institution",), ("year", "date")],
    "unpublished": [("author",), ("title",), ("note",)],
}

#: BibTeX's predefined month macros.
MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April",
    "may": "May", "jun": "June", "jul": "July", "aug": "August",
    "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip

#: The field an entry uses to flag values nobody could verify: ``unverified = {volume, pages}``.
UNVERIFIED_FIELD = "unverified"

_LATEX_MARKS = re.compile(r"[\\{}~$]")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ENTRY_START = re.compile(r"@\s*\w+\s*[{(]")
#: An '@' that no '{' or '(' follows after the type name: BibTeX would choke on it.
_STRAY_AT = re.compile(r"@([^\s{(]*)(?![^\s{(]*\s*[{(])")
_ENTRY_TYPE = re.compile(r"^[A-Za-z_][\w@+\-.:]*$")
_FIELD_NAME = re.compile(r"^[A-Za-z_+\-.@][^\s#%{}=,\"]*$")
_BARE_WORD = re.compile(r"[^\s#,{}\"=()]+")
_NOT_IN_KEY = re.compile(r"[\s=,{}\"]")
_NAME_PARTS = re.compile(r"[\s.\-]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

# bibtexparser logs every failed block at WARNING level; we report them ourselves.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


@dataclass
class BibResult:
    """What one bibliography holds: papers in file order, their authors, and problems."""

    papers: dict[str, Paper] = field(default_factory=dict)
    authors: dict[str, Author] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=dict)  # lower-case macro -> value
    text: str = ""  # the decoded file, for slicing entries out as written


def load_bibtex(path: str | Path, label: str | None = None) -> BibResult:
    """Read and parse a BibTeX file; ``label`` is the name used in problems (default: the path)."""
    label = label or str(path)
    return parse_bibtex_bytes(Path(path).read_bytes(), label)


def parse_bibtex_bytes(data: bytes | list[bytes], label: str, *, workers: int | None = None, progress=None,
                       meanwhile=None) -> BibResult:  # fmt: skip
    """Decode and parse a bibliography's bytes (already read, e.g. to hash them for the cache).

    ``data`` may also be a list holding the bytes, which is emptied once they
    are decoded, so that they are freed before the parse. ``progress``, if
    given, is called with a number of bytes done, now and then;
    ``meanwhile``, if given, is called once while worker processes parse
    (other work for this process, which would otherwise wait).
    """
    if isinstance(data, list):
        data = data.pop()
    size = len(data)
    text, problems = decode_bytes(data, label)
    del data
    if text is None:
        if meanwhile:
            meanwhile()
        return BibResult(problems=problems)
    # Progress comes in characters; the bar counts bytes (the same for ASCII text).
    scale = size / max(len(text), 1)
    report = (lambda done: progress(int(done * scale))) if progress else None
    result = parse_bibtex(text, label, workers=workers, progress=report, meanwhile=meanwhile)
    result.problems[:0] = problems
    return result


def parse_bibtex(text: str, file: str = "<text>", *, workers: int | None = None, progress=None,
                 meanwhile=None, chunks: int | None = None) -> BibResult:  # fmt: skip
    """Parse BibTeX ``text``; problems name ``file`` and 1-based lines. Never raises.

    ``workers`` is how many processes parse the file (``None``: decide from
    the file's size and the machine, see :mod:`kg.sources.parallel`; 1: this
    process only), and ``chunks`` in how many pieces (default: a few per
    worker). The result is the same whatever they are. ``progress``, if
    given, is called with a number of characters done, now and then;
    ``meanwhile`` as for :func:`parse_bibtex_bytes`.
    """
    from kg.sources.collector import collector_off, hide_from_collector
    from kg.sources.parallel import ParallelParseFailed, once, scan_chunks

    with collector_off():  # see kg.sources.collector
        meanwhile = once(meanwhile) if meanwhile else None
        # The records of each chunk are merged while the workers parse the next ones.
        macros: dict[str, str] = {}
        try:
            result = _merge(scan_chunks(text, workers, chunks=chunks, progress=progress, meanwhile=meanwhile,
                                        macros=macros), file, text)  # fmt: skip
        except ParallelParseFailed:
            macros.clear()
            result = _merge(scan_chunks(text, 1, meanwhile=meanwhile, macros=macros), file, text)
        result.strings = macros
        hide_from_collector(len(result.papers))
        return result


# A record is a tuple whose first item says what it is:
#   ("S", problems)                              an @string (already applied to the macros)
#   ("D", line, key, entry_type)                 a block whose key an earlier block has
#   ("E", line, key, entry_type, ignored_by_library, before, entry)
#                                                an entry; `before` are the problems found
#                                                before the key is checked for duplicates;
#                                                `entry` is None when the entry is unusable,
#                                                else (paper tuple, authors, editors, problems)
#   ("F", line, severity, message, kind)         a block that could not be read
#   ("C", line, comment)                         text between blocks
# where problems are (line, severity, code, message) tuples. Records are plain
# tuples so that worker processes can send them back cheaply.

#: Where a new chunk may start: a line that begins with ``@type{`` or ``@type(``.
CHUNK_START = re.compile(r"\n(?=@\w*[ \t]*[{(])")


def _scan_chunk(text: str, start: int, stop: int, look: int, line_offset: int,
                strings: dict[str, str], string_keys: set[str]) -> list[tuple]:  # fmt: skip
    """Split ``text[start:stop]`` into blocks and turn each into a record.

    ``text[stop:look]`` is the next chunk's first ``@type{`` (see
    :func:`_split_blocks`). ``line_offset`` is the number of lines above
    ``start``. ``strings`` and ``string_keys`` (the macros defined before
    ``start``, by lower-case and by exact name) are updated in place by the
    chunk's @strings.

    The chunk is cut further at every line that starts with ``@type{``; a piece
    that is one plain entry (and maybe a comment after it) is read by
    :func:`_read_plain_entry`, many times faster than bibtexparser and with
    the same result; runs of other pieces go to bibtexparser.
    """
    records: list[tuple] = []
    slow_start = None  # where the current run of pieces for bibtexparser starts
    slow_line = line = line_offset
    piece_start = start
    starts = [match.start() + 1 for match in CHUNK_START.finditer(text, start, stop)]
    for piece_stop in [*starts, stop]:
        if piece_stop <= piece_start:
            continue
        entry = _read_plain_entry(text, piece_start, piece_stop)
        if entry is None:
            if slow_start is None:
                slow_start, slow_line = piece_start, line
        else:
            if slow_start is not None:
                _split_blocks(text, slow_start, piece_start, _mark_end(text, piece_start), slow_line,
                              strings, string_keys, records)  # fmt: skip
                slow_start = None
            _plain_entry_records(text, piece_start, piece_stop, line, entry, strings, records)
        line += text.count("\n", piece_start, piece_stop)
        piece_start = piece_stop
    if slow_start is not None:
        _split_blocks(text, slow_start, stop, look, slow_line, strings, string_keys, records)
    return records


def _mark_end(text: str, at: int) -> int:
    """The end of the ``@type{`` that starts at ``at`` (or ``at`` itself at the end of the text)."""
    if at >= len(text):
        return at
    brace = min(position for position in (text.find("{", at), text.find("(", at)) if position != -1)
    return brace + 1


_PLAIN_HEAD = re.compile(r"@(\w+)[ \t]*\{([^{}\",=@\\\n]*),")
_PLAIN_FIELD = re.compile(r"\s*([A-Za-z_][^\s{}\",=@\\%#()]*)\s*=")
_PLAIN_END = re.compile(r"\s*\}")
#: What bibtexparser's splitter looks at inside a value (a backslash escapes it).
_VALUE_MARK = re.compile(r'(?<!\\)[{}",]')
_QUOTE_MARK = re.compile(r'(?<!\\)"')
#: One quoted or braced string (no braces inside) or one bare word, then the
#: ``,`` or ``}`` that ends the field: most values, read in one step.
_SIMPLE_VALUE = re.compile(r'\s*(?:"[^"]*(?<!\\)"|\{[^{}]*\}|[^\s{}",#\\]+)\s*(?=[,}])')
_BRACE_MARK = re.compile(r"(?<!\\)[{}]")
#: An '@' at the start of a line: inside an entry, bibtexparser may stop there.
_LINE_START_AT = re.compile(r"\n[ \t]*@")


def _read_plain_entry(text: str, start: int, stop: int):
    """Read ``text[start:stop]`` when it is one plain ``@type{key, name = value, ...}`` and text.

    Returns ``(type as written, key, fields, end)`` with fields as (name, value,
    offset of its '='), exactly as bibtexparser's splitter would read them, or
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
        end = _PLAIN_END.match(text, position, stop)
        if end is not None:
            close = end.end()
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
    return head.group(1), head.group(2).strip(), fields, close


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
            depth = 1
            while depth:
                inner = _BRACE_MARK.search(text, position, stop)
                if inner is None:
                    return None
                position = inner.end()
                depth += 1 if inner.group() == "{" else -1
        else:
            return mark


def _plain_entry_records(
    text: str, start: int, stop: int, line_offset: int, entry, strings, records
) -> None:
    """The records of a piece :func:`_read_plain_entry` read (``line_offset`` lines above it)."""
    written_type, key, fields, close = entry
    line = line_offset + 1
    items = []
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
    records.append(_record(key, written_type.lower(), written_type, False, newlines, items, line, strings,
                           repeated))  # fmt: skip
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
        records.append(("C", line + newlines + blank_lines, comment[index:].rstrip()))


def _split_blocks(text: str, start: int, stop: int, look: int, line_offset: int,
                  strings: dict[str, str], string_keys: set[str], records: list[tuple]) -> None:  # fmt: skip
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
        if last_line is not None and block.start_line >= last_line:
            break
        if isinstance(block, bib.DuplicateBlockKeyBlock):
            # Keys repeat across pieces too: _merge finds duplicate entries over the whole file.
            block = block.ignore_error_block
        line = block.start_line + 1 + line_offset
        if isinstance(block, bib.String):
            if block.key in string_keys:
                append(("D", line, block.key, _raw_type(block.raw)))
                continue
            string_keys.add(block.key)
            value, issues = resolve_value(block.value, strings)
            strings[block.key.lower()] = value
            append(("S", [(line, "error", code, f"@string {block.key}: {message}")
                          for code, message in issues]))  # fmt: skip
        elif isinstance(block, bib.DuplicateFieldKeyBlock):
            # bibtexparser does not register such an entry's key; we keep the entry.
            append(_entry_record(block.ignore_error_block, line, strings, True))
        elif isinstance(block, bib.ParsingFailedBlock):
            # BibTeX itself ignores "@comment" and reads on, so an unclosed one loses nothing.
            is_comment = block.raw.lstrip()[1:8].lower().startswith("comment")
            append(("F", _failed_line(block, chunk, bound) + line_offset,
                    "warning" if is_comment else "error", _failed_message(block, line),
                    "comment" if is_comment else "entry"))  # fmt: skip
        elif isinstance(block, bib.Entry):
            append(_entry_record(block, line, strings, False))
        elif isinstance(block, bib.ImplicitComment):
            append(("C", line, block.comment))
        # Preambles and @comment blocks carry nothing kg uses.


def _merge(chunks, file: str, text: str) -> BibResult:
    """Walk the chunks' records in file order and build the result (see the record list above)."""
    result = BibResult(text=text)
    problems = result.problems
    authors = result.authors
    papers = result.papers
    library_keys: set[str] = set()  # entry keys as bibtexparser registers them: exact case
    seen_keys: dict[str, tuple[str, int]] = {}  # lower-case key -> (key, line)
    previous_failed = ""  # "", "entry" or "comment": what the block before failed to be

    def add(found) -> None:
        problems.extend(Problem(file, *problem) for problem in found)

    for records in chunks:
        for record in records:
            kind = record[0]
            if kind == "E":
                _, line, key, entry_type, ignored_by_library, before, entry = record
                previous_failed = ""
                if not ignored_by_library:
                    if key in library_keys:
                        _add_duplicate(file, line, key, entry_type, seen_keys, problems)
                        continue
                    library_keys.add(key)
                add(before)
                if entry is None:
                    continue
                key = key.strip()
                earlier = seen_keys.get(key.lower())
                if earlier is not None:
                    code, what = (
                        ("duplicate-key", "duplicate")
                        if earlier[0] == key
                        else (
                            "duplicate-key-case",
                            "keys differ only in case, which BibTeX treats as the same:",
                        )
                    )
                    problems.append(Problem(file, line, "error", code,
                                            f"{what} key '{key}' (first '{earlier[0]}' at line {earlier[1]}); "
                                            f"rename or delete one"))  # fmt: skip
                    continue
                seen_keys[key.lower()] = (key, line)
                values, people, editors, found = entry
                papers[key] = Paper(*values[:4], _register(people, authors), _register(editors, authors),
                                    *values[4:16], file, *values[16:])  # fmt: skip
                add(found)
            elif kind == "S":
                add(record[1])
                previous_failed = ""
            elif kind == "D":
                _add_duplicate(file, record[1], record[2], record[3], seen_keys, problems)
                previous_failed = ""
            elif kind == "F":
                problems.append(Problem(file, record[1], record[2], "syntax", record[3]))
                previous_failed = record[4]
            else:
                _check_stray_text(record[1], record[2], file, problems, previous_failed)
    _check_crossrefs(result, file)
    return result


def _add_duplicate(file, line, key, entry_type, seen_keys, problems) -> None:
    """A block bibtexparser found a second time (same key, same case): report it, ignore it."""
    if not key.strip():
        problems.append(_no_key_problem(file, line, entry_type))
        return
    first = seen_keys.get(key.lower(), (key, None))[1]
    where = f" (first at line {first})" if first else ""
    problems.append(Problem(file, line, "error", "duplicate-key",
                            f"duplicate key '{key}'{where}: this entry is ignored; "
                            f"give it another key or delete it"))  # fmt: skip


def _register(people, authors: dict[str, Author]) -> list[str]:
    """Register the people of one entry as authors (in file order); return their ids."""
    ids = []
    for author_id, display, family, given in people:
        known = authors.get(author_id)
        if known is None:
            authors[author_id] = Author(author_id, display, family, given)
        elif display != known.name and display not in known.aliases:
            # Keep the fullest spelling for display; remember the others.
            if len(given) > len(known.given):
                known.aliases.append(known.name)
                known.name, known.given = display, given
            else:
                known.aliases.append(display)
        ids.append(author_id)
    return ids


def _raw_type(raw: str) -> str:
    """The ``type`` of a block written ``@type{...``, as the missing-key message names it."""
    return raw.lstrip()[1:].split("{", 1)[0].split("(", 1)[0].strip() or "misc"


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


def _no_key_problem(file: str, line: int, entry_type: str) -> Problem:
    return Problem(file, line, "error", "missing-key",
                   f"@{entry_type} entry has no citation key: write one after the opening "
                   f"brace, as in @{entry_type}{{smith2020title, ...}}")  # fmt: skip


def _check_stray_text(
    start: int, text: str, file: str, problems: list[Problem], after_failure: str
) -> None:
    """Text outside entries (``text``, from line ``start``) is a comment, unless it looks like part of an entry."""
    # ``%`` lines are comments by common convention, whatever they contain (but an '@'
    # in them still starts an entry for BibTeX, which bibtexparser follows).
    lines = ["" if line.lstrip().startswith("%") else line for line in text.split("\n")]
    comment = "\n".join(lines)
    for match in _STRAY_AT.finditer(comment):
        problems.append(Problem(file, start + comment.count("\n", 0, match.start()),
                                "error", "stray-at",
                                f"'@{match.group(1)}' outside an entry: BibTeX reads '@' as "
                                f"the start of an entry and expects '{{' or '(' after its "
                                f"type; remove the '@' or fix the entry"))  # fmt: skip
    if not ("=" in comment or "}" in comment or _ENTRY_START.search(comment)):
        return
    first = next(number for number, line in enumerate(lines) if line.strip())
    line = start + first
    snippet = " ".join(comment.strip().split())
    if len(snippet) > 60:
        snippet = snippet[:57] + "..."
    if after_failure == "comment":
        problems.append(Problem(file, line, "warning", "stray-text",
                                f"text after the unclosed @comment above: '{snippet}'"))  # fmt: skip
        return
    if after_failure:
        message = f"text left over from the broken block above: '{snippet}'"
        if _ENTRY_START.search(comment):
            message += " (an entry in it was not read)"
    elif _ENTRY_START.search(comment) or re.search(r"@\w+\s*$", comment, re.M):
        message = (f"an entry here was not read: '{snippet}' (is there a line break "
                   f"between @type and '{{', or a brace missing above?)")  # fmt: skip
    else:
        message = (f"text outside any entry looks like part of one: '{snippet}' "
                   f"(an extra '}}' above may have ended the entry early)")  # fmt: skip
    problems.append(Problem(file, line, "error", "stray-text", message))


def resolve_value(raw: str, strings: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """Resolve one field value as BibTeX would: braces, quotes, numbers, macros and ``#``.

    Returns the value and a list of ``(code, message)`` issues: undefined
    macros, and text after a value that is neither ``#`` nor the end (which is
    how a missing comma between two fields shows up).
    """
    text = raw.strip()
    # Most values are one braced or quoted string, or a number: answer those at once.
    first, last = text[:1], text[-1:]
    if (
        first == "{"
        and last == "}"
        and (
            (text.count("{") == 1 and text.count("}") == 1)
            or _matching_brace(text, 0) == len(text) - 1
        )
    ):
        return text[1:-1], []
    if (
        first == '"'
        and last == '"'
        and len(text) > 1
        and (
            (text.count('"') == 2 and "{" not in text and "}" not in text)
            or _closing_quote(text, 0) == len(text) - 1
        )
    ):
        return text[1:-1], []
    if text.isdigit() and _BARE_WORD.fullmatch(text):
        return text, []
    issues: list[tuple[str, str]] = []
    parts: list[str] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            if not parts or text.endswith("#"):
                issues.append(("unresolved-concat", "a value is missing around '#'") if parts
                              else ("empty-value", "the value is empty"))  # fmt: skip
            break
        char = text[position]
        if char == "{":
            end = _matching_brace(text, position)
            if end is None:
                issues.append(("syntax", "a '{' is never closed"))
                parts.append(text[position + 1 :])
                break
            parts.append(text[position + 1 : end])
            position = end + 1
        elif char == '"':
            end = _closing_quote(text, position)
            if end is None:
                issues.append(("syntax", "a '\"' is never closed"))
                parts.append(text[position + 1 :])
                break
            parts.append(text[position + 1 : end])
            position = end + 1
        else:
            match = _BARE_WORD.match(text, position)
            if not match:
                issues.append(("syntax", f"unexpected '{char}' in a value"))
                break
            word = match.group()
            position = match.end()
            if word.isdigit():
                parts.append(word)
            elif word.lower() in strings:
                parts.append(strings[word.lower()])
            elif word.lower() in MONTHS:
                parts.append(MONTHS[word.lower()])
            else:
                issues.append(("undefined-macro",
                               f"'{word}' is not a defined @string macro; put the value in "
                               f"braces or define it with @string{{{word} = {{...}}}}"))  # fmt: skip
                parts.append(word)
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        if text[position] == "#":
            position += 1
            continue
        rest = " ".join(text[position:].split())
        if len(rest) > 40:
            rest = rest[:37] + "..."
        issues.append(("missing-comma", f"unexpected text after the value: '{rest}' "
                                        f"(a comma missing between two fields?)"))  # fmt: skip
        break
    return "".join(parts), issues


_BRACES = re.compile(r"[{}]")
_BRACES_AND_QUOTES = re.compile(r'[{}"]')


def _matching_brace(text: str, start: int) -> int | None:
    """Index of the ``}`` closing the ``{`` at ``start`` (BibTeX counts every brace)."""
    depth = 0
    for match in _BRACES.finditer(text, start):
        if match.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.start()
    return None


def _closing_quote(text: str, start: int) -> int | None:
    """Index of the ``"`` closing a quoted value (quotes inside braces do not count)."""
    depth = 0
    for match in _BRACES_AND_QUOTES.finditer(text, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            return match.start()
    return None


def _entry_record(entry, line: int, strings: dict[str, str], ignored_by_library: bool) -> tuple:
    """Check one bibtexparser entry and turn it into an "E" record (see :func:`_merge`)."""
    raw = entry.raw
    offset = line - entry.start_line  # from bibtexparser's 0-based lines in the chunk to ours
    fields = [(item.key, item.value, None if item.start_line is None else item.start_line + offset)
              for item in entry.fields]  # fmt: skip
    key = (entry.key or "").strip()
    keyless = not key or _NOT_IN_KEY.search(key)
    return _record(entry.key or "", entry.entry_type, _raw_type(raw) if keyless else "",
                   bool(re.search(r"[()]", key)) and raw.lstrip()[1:].split("(", 1)[0].strip() == entry.entry_type,
                   raw.count("\n"), fields, line, strings, ignored_by_library)  # fmt: skip


def _record(raw_key: str, entry_type: str, written_type: str, in_parentheses: bool, newlines: int,
            items: list[tuple[str, str, int | None]], line: int, strings: dict[str, str],
            ignored_by_library: bool) -> tuple:  # fmt: skip
    """Check one entry and turn it into an "E" record (see :func:`_merge`).

    ``entry_type`` is bibtexparser's (lower case), ``written_type`` the type as
    written (needed only when the key is missing), ``in_parentheses`` whether
    the entry is written ``@type( ... )``, ``newlines`` how many line breaks it
    spans, and ``items`` its fields as (name, value as written, line).
    """
    key = raw_key.strip()
    if not key or _NOT_IN_KEY.search(key):
        written_type = written_type or entry_type
        problem = _no_key_problem("", line, written_type)
        return ("E", line, raw_key, written_type, ignored_by_library,
                [(line, "error", "missing-key", problem.message)], None)  # fmt: skip
    if not _ENTRY_TYPE.match(entry_type):
        return ("E", line, raw_key, entry_type, ignored_by_library,
                [(line, "error", "entry-type",
                  f"'@{entry_type}' is not a valid entry type: a type starts "
                  f"with a letter and holds no spaces or '#'; the entry is ignored")], None)  # fmt: skip
    before = []
    if in_parentheses:
        before.append((line, "error", "syntax",
                       f"key '{key}' holds a parenthesis, which ends an entry written "
                       f"with @{entry_type}( ... ): use braces or change the key"))  # fmt: skip

    problems: list[tuple] = []
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    for item_key, item_value, item_line in items:
        name = item_key.strip().lower()
        item_line = line if item_line is None else item_line
        if not _FIELD_NAME.match(name):
            if "%" in name:
                reason = "BibTeX has no '%' comments inside an entry; delete the comment"
            elif name[:1].isdigit():
                reason = "a field name cannot start with a digit"
            else:
                reason = "a field name holds no spaces, '#' or '%' (a comma missing before it?)"
            shown = " ".join(name.split())
            problems.append((max(line, item_line - item_key.strip().count("\n")), "error", "field-name",
                             f"entry '{key}': '{shown}' is not a valid field name: {reason}"))  # fmt: skip
            continue
        if name in fields:
            problems.append((item_line, "error", "duplicate-field",
                             f"entry '{key}' sets '{name}' twice (also at line "
                             f"{field_lines[name]}); keep one"))  # fmt: skip
            continue
        value, issues = resolve_value(item_value, strings)
        for code, message in issues:
            problems.append((item_line, "error", code, f"entry '{key}', field '{name}': {message}"))
        fields[name] = value
        field_lines[name] = item_line

    end_line = line + newlines
    entry_type = entry_type.lower()
    values, unverified = _paper_values(key, entry_type, fields, line, end_line)
    if "crossref" not in fields:
        missing = _check_required(entry_type, key, line, fields)
        if missing:
            problems.append(missing)
    if unverified:
        problems.append((field_lines.get(UNVERIFIED_FIELD, line), "warning", "unverified",
                         f"entry '{key}': {', '.join(unverified)} not verified "
                         f"(flagged in its '{UNVERIFIED_FIELD}' field)"))  # fmt: skip
    people = _people(fields.get("author", ""))
    editors = _people(fields.get("editor", ""))
    return ("E", line, raw_key, entry_type, ignored_by_library, before,
            (values, people, editors, problems))  # fmt: skip


def _check_required(entry_type: str, key: str, line: int, fields: dict[str, str],
                    inherited: dict[str, str] | None = None) -> tuple | None:  # fmt: skip
    """The warning (a problem tuple) about fields the entry's type requires but it lacks, if any."""
    available = dict(inherited or {})
    available.update(fields)
    missing = [
        " or ".join(choice)
        for choice in REQUIRED_FIELDS.get(entry_type, [])
        if not any(available.get(name, "").strip() for name in choice)
    ]
    if missing:
        return (
            line,
            "warning",
            "missing-field",
            f"@{entry_type} '{key}' lacks {', '.join(missing)}",
        )
    return None


def _check_crossrefs(result: BibResult, file: str) -> None:
    """Check crossref targets exist and required fields are present once inherited."""
    lowered = {key.lower(): key for key in result.papers}
    for paper in result.papers.values():
        target_key = paper.fields.get("crossref", "").strip()
        if not target_key:
            continue
        chain, current = [paper.key], lowered.get(target_key.lower())
        inherited: dict[str, str] = {}
        while current is not None and current not in chain:
            chain.append(current)
            target = result.papers[current]
            for name, value in target.fields.items():
                inherited.setdefault(name, value)
            next_key = target.fields.get("crossref", "").strip()
            current = lowered.get(next_key.lower()) if next_key else None
        if lowered.get(target_key.lower()) is None:
            result.problems.append(Problem(file, paper.line, "warning", "crossref-missing",
                                           f"entry '{paper.key}' cross-references '{target_key}', "
                                           f"which is not in the file"))  # fmt: skip
        elif current is not None:
            result.problems.append(Problem(file, paper.line, "warning", "crossref-cycle",
                                           f"entry '{paper.key}': crossref chain loops back "
                                           f"({' -> '.join([*chain, current])})"))  # fmt: skip
        if "booktitle" not in paper.fields and "title" in inherited:
            inherited.setdefault("booktitle", inherited["title"])
        missing = _check_required(paper.entry_type, paper.key, paper.line, paper.fields, inherited)
        if missing:
            result.problems.append(Problem(file, *missing))


_DISPLAYED = ("title", "journal", "journaltitle", "booktitle", "publisher", "note", "annote",
              "abstract", "keywords", "pages", "volume", "number", "school", "institution",
              "howpublished")  # fmt: skip


def _paper_values(key, entry_type, fields, line, end_line) -> tuple[tuple, list[str]]:
    """The values of one Paper, in field order, without its people and file (see :func:`_merge`).

    LaTeX is decoded only in the fields that are displayed.
    """
    display = decode_latex({name: fields.get(name, "") for name in _DISPLAYED})
    venue = (display["journal"] or display["journaltitle"] or display["booktitle"]
             or display["school"] or display["institution"] or display["howpublished"]
             or display["publisher"])  # fmt: skip
    year = fields.get("year", "") or fields.get("date", "")[:4]
    flagged = fields.get(UNVERIFIED_FIELD, "")
    unverified = (
        [name.strip().lower() for name in re.split(r"[,;\s]+", flagged) if name.strip()]
        if flagged
        else []
    )
    values = (
        key, entry_type, display["title"], year.strip(),
        # authors and editors go here
        venue, display["volume"], display["number"] or fields.get("issue", ""),
        display["pages"].replace("--", "–"), normalise_doi(fields.get("doi", "")),
        fields.get("url", "").strip(), display["publisher"], display["abstract"],
        " ".join(part for part in (display["note"], display["annote"]) if part),
        display["keywords"], fields, unverified,
        # file goes here
        line, end_line,
    )  # fmt: skip
    return values, unverified


def normalise_doi(doi: str) -> str:
    """``https://doi.org/10.1/X`` and ``doi:10.1/X`` -> ``10.1/X`` (DOIs compare case-insensitively)."""
    if not doi:
        return ""
    return _DOI_PREFIX.sub("", doi.strip()).strip()


def decode_latex(values: dict[str, str]) -> dict[str, str]:
    """LaTeX-decode the values that contain LaTeX, with bibtexparser's decoding middleware.

    Decoding every field of every entry costs most of a parse, so values
    without LaTeX pass through, values whose only LaTeX is grouping braces lose
    the braces, and each distinct string is decoded once.
    """
    result = dict(values)
    for name, value in values.items():
        if value and _LATEX_MARKS.search(value):
            if "\\" in value or "$" in value or "~" in value:
                result[name] = _decode_in_pieces(value)
            else:
                result[name] = " ".join(value.replace("{", "").replace("}", "").split())
    return result


#: Tokens of LaTeX text, enough to see where it can be cut into independent pieces.
_LATEX_TOKEN = re.compile(r"\\[A-Za-z@]+|\\.|[{}$\[]|\s+|[^\\{}$\[\s]+", re.S)
#: What makes a piece of text more than plain characters for LaTeX.
_LATEX_ACTIVE = re.compile(r"[\\{}$%&#_^~`]|--|''")
#: What the piecewise decoding leaves to the decoder whole: comments, display
#: and bracket math, environments.
_DECODE_WHOLE = re.compile(r"%|\$\$|\\[(\[]|\\begin")


def _decode_in_pieces(value: str) -> str:
    """Decode ``value`` like :func:`_decode_latex_string`, a piece at a time.

    Long values (abstracts) hold a little LaTeX in much plain text, and the
    decoder's cost grows with the text. Cut at spaces that are outside braces
    and math and not between a macro and its arguments, the pieces decode
    independently: plain ones stay as they are, the others are decoded (and
    cached) one by one, and the whitespace is collapsed as in the whole.
    """
    if _DECODE_WHOLE.search(value):
        return _decode_latex_string(value)
    if len(value) < 80:
        return _decode_piece(value)
    pieces: list[str] = []
    depth = 0
    in_math = False
    piece_start = 0
    cut: tuple[int, int] | None = None  # a space where the text may be cut
    after_macro = False
    for match in _LATEX_TOKEN.finditer(value):
        token = match.group()
        if token[0].isspace():
            if depth == 0 and not in_math and not after_macro:
                cut = (match.start(), match.end())
            continue
        if cut is not None:
            if token[0] not in "{[":  # else an argument may follow its macro after a space
                pieces.append(value[piece_start : cut[0]])
                piece_start = cut[1]
            cut = None
        after_macro = token[0] == "\\"
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return _decode_latex_string(value)
        elif token == "$":
            in_math = not in_math
    if depth or in_math:
        return _decode_latex_string(value)
    pieces.append(value[piece_start:])
    decoded = [_decode_piece(piece) if _LATEX_ACTIVE.search(piece) else piece for piece in pieces]
    return " ".join(" ".join(decoded).split())


#: Small units of LaTeX that decode on their own, whatever surrounds them: accented
#: letters (``{\\'a}``, ``\\'{a}``, ``\\"o``, ``{\\c{c}}``, ``{\\'\\i}``), symbols in braces
#: (``{\\ss}``), a macro around plain text (``\\emph{word}``, unless a second argument
#: follows), grouping braces around plain text, inline math.
_PLAIN = r"[^{}\\$%&#_^~`'-]*"
_LATEX_ATOM = re.compile(
    r"""\{\\[`'^"~=.](?:[A-Za-z]|\{[A-Za-z]\}|\\[ij])\}"""
    r"""|\\[`'^"~=.](?:[A-Za-z]|\{[A-Za-z]\})"""
    r"""|\{\\[A-Za-z]+(?:\{[A-Za-z]\})?\}"""
    rf"""|\\(?P<macro>[A-Za-z]+)\{{(?P<argument>{_PLAIN})\}}(?![{{\[])"""
    rf"""|\{{(?P<grouped>{_PLAIN})\}}"""
    r"""|\$[^$\\{}%]*\$"""
)


def _decode_piece(piece: str) -> str:
    """Decode a piece of text without spaces to cut at: atom by atom when it is made of
    plain text and :data:`_LATEX_ATOM` units (each decoded once, ever), else whole."""
    parts = []
    position = 0
    for match in _LATEX_ATOM.finditer(piece):
        between = piece[position : match.start()]
        if between and _LATEX_ACTIVE.search(between):
            return _decode_latex_string(piece)
        parts.append(between)
        grouped, macro = match.group("grouped"), match.group("macro")
        if grouped is not None:
            parts.append(grouped)
        elif macro is not None and _shows_argument_as_is(macro):
            parts.append(match.group("argument"))
        else:
            parts.append(_decode_raw(match.group()))
        position = match.end()
    rest = piece[position:]
    if rest and _LATEX_ACTIVE.search(rest):
        return _decode_latex_string(piece)
    parts.append(rest)
    return " ".join("".join(parts).split())


@functools.lru_cache(maxsize=4096)
def _shows_argument_as_is(macro: str) -> bool:
    """True when the decoder turns ``\\macro{text}`` into ``text`` (unknown macros, ``\\emph``...)."""
    return all(
        _decode_raw(f"\\{macro}{{{sample}}}") == sample for sample in ("ab cd", "x,\n 1.", "é")
    )


def _decode_latex_string(value: str) -> str:
    """bibtexparser's LatexDecodingMiddleware on one value, whitespace collapsed."""
    return " ".join(_decode_raw(value).split())


@functools.lru_cache(maxsize=65536)
def _decode_raw(value: str) -> str:
    """bibtexparser's LatexDecodingMiddleware on one value, as it returns it."""
    decoder, context = _latex_decoder()
    try:
        # The same decoder the middleware builds, given the parsing context it would
        # otherwise rebuild for every value.
        decoded = decoder.latex_to_text(value, latex_context=context)
    except Exception:  # the middleware keeps a value it cannot decode
        return value
    return decoded if isinstance(decoded, str) else value


@functools.lru_cache(maxsize=1)
def _latex_decoder():
    from bibtexparser.middlewares import LatexDecodingMiddleware
    from pylatexenc.latexwalker import get_default_latex_context_db

    return LatexDecodingMiddleware()._decoder, get_default_latex_context_db()


def _people(value: str) -> tuple[tuple[str, str, str, str], ...]:
    """Split an author or editor list into (author id, display name, family, given) tuples."""
    if not value or not value.strip():
        return ()
    return _split_people(value)


@functools.lru_cache(maxsize=65536)
def _split_people(value: str) -> tuple[tuple[str, str, str, str], ...]:
    people = (_person(name) for name in _split_names(value))
    return tuple(person for person in people if person is not None)


#: " and " between two names: the word in any case, with spaces, tabs or line
#: breaks around it (BibTeX's whitespace; a "~" is not).
_AND = re.compile(r"[ \r\n\t]+[aA][nN][dD][ \r\n\t]+")


def _split_names(value: str) -> list[str]:
    """The names of an author list, split at " and " exactly as bibtexparser splits them.

    Without braces or backslashes (nearly every list) a regular expression
    finds the same places as bibtexparser's character-by-character scan, which
    skips what is braced or escaped; other lists go to that scan.
    """
    names = value.strip(" \r\n\t")
    if not names:
        return []
    if "{" in names or "}" in names or "\\" in names:
        from bibtexparser.middlewares.names import split_multiple_persons_names

        return split_multiple_persons_names(names)
    return _AND.split(names)


#: Names whose parts need no BibTeX rules: "Family, Given Names" and "Given Names
#: Family", in ASCII words that all start with a capital (so no "von" part), no
#: braces, no LaTeX, no "Jr" part.
_WORD = r"[A-Z][A-Za-z.']*(?:-[A-Z][A-Za-z.']*)*"
_FAMILY_FIRST = re.compile(rf"\s*({_WORD})\s*,((?:\s*{_WORD})*)\s*")
_GIVEN_FIRST = re.compile(rf"\s*((?:{_WORD}\s+)+)({_WORD})\s*")


def _plain_name_parts(name: str) -> tuple[str, str] | None:
    """(family, given) of a name :data:`_FAMILY_FIRST` or :data:`_GIVEN_FIRST` matches, else None."""
    match = _FAMILY_FIRST.fullmatch(name)
    if match:
        return match.group(1), " ".join(match.group(2).split())
    match = _GIVEN_FIRST.fullmatch(name)
    if match:
        return match.group(2), " ".join(match.group(1).split())
    return None


@functools.lru_cache(maxsize=65536)
def _person(name: str) -> tuple[str, str, str, str] | None:
    """One written name -> (author id, display name, family, given); None for "others"."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    if name.strip().lower() == "others":
        return None
    plain = _plain_name_parts(name)
    if plain is not None:  # what the BibTeX rules below give, only faster
        family, given = plain
        return author_id_for(family, given), f"{given} {family}" if given else family, family, given
    try:
        parts = parse_single_name_into_parts(name)
    except Exception:  # InvalidNameError and friends: keep the name whole
        parts = None
    if parts is None:
        raw = {"given": "", "family": name}
    else:
        raw = {"given": " ".join(parts.first), "family": " ".join(parts.von + parts.last),
               "jr": " ".join(parts.jr)}  # fmt: skip
    decoded = decode_latex(raw)
    family = _strip_braces(decoded["family"])
    given = _strip_braces(decoded["given"])
    jr = _strip_braces(decoded.get("jr", ""))
    display = " ".join(part for part in (given, family) if part)
    if jr:
        display += f", {jr}"
    return author_id_for(family, given), display, family, given


def _strip_braces(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


def author_id_for(family: str, given: str = "") -> str:
    """A stable author id: family name and initials, ASCII, e.g. ``hernandez-p``."""
    initials = "".join(word[0] for word in _NAME_PARTS.split(given) if word)
    slug = slugify(family)
    return f"{slug}-{slugify(initials)}" if initials else slug


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``Hernández-Wolfe`` -> ``hernandez-wolfe``."""
    # ASCII text is the same in every Unicode normal form.
    ascii_text = (
        text
        if text.isascii()
        else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    )
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def split_name(name: str) -> tuple[str, str]:
    """Split one written name ("Pilar Hernández", "Hernández, P.") into (family, given)."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    parts = parse_single_name_into_parts(name)
    family = _strip_braces(" ".join(parts.von + parts.last))
    given = _strip_braces(" ".join(parts.first))
    decoded = decode_latex({"family": family, "given": given})
    return decoded["family"], decoded["given"]
