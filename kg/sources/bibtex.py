"""references.bib -> model: papers, authors and every problem found on the way.

bibtexparser 2 splits the file into blocks and never raises on bad syntax;
several malformations reach us silently (a missing comma merges two fields,
an extra ``}`` leaves the rest of an entry outside it, an undefined macro
becomes its own name). So kg parses with an empty middleware stack, keeps
every value as written, and runs its own small steps:

1. decode the bytes (:mod:`kg.sources.encoding`);
2. cut the file into blocks, by bibtexparser (:mod:`kg.sources.chunks`);
3. check each entry, resolve its macros, split its names and decode the LaTeX
   it displays (:mod:`kg.sources.entries`, :mod:`kg.sources.names`,
   :mod:`kg.sources.latex`), giving records (:mod:`kg.sources.records`);
4. merge the records in file order (:func:`merge`): duplicate keys, authors,
   text between blocks; then cross-references are resolved
   (:mod:`kg.sources.crossref`).

Steps 2 and 3 may run faster (worker processes, a fast path for plain
entries, the cycle collector kept off), with the same records:
:func:`kg.sources.speed.read_quickly` decides, and is the only way in to
those pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Author, Paper, Problem
from kg.sources.crossref import resolve_crossrefs
from kg.sources.encoding import decode_bibliography
from kg.sources.entries import missing_key_message
from kg.sources.names import cited_names, register_people
from kg.sources.records import Between, EntryRecord, FailedBlock, StringRecord

_ENTRY_START = re.compile(r"@\s*\w+\s*[{(]")
#: An '@' that no '{' or '(' follows after the type name: BibTeX would choke on it.
#: Something BibTeX reads as an entry (any type name but spaces and braces, then '{' or '(').
_ENTRY_LIKE = re.compile(r"@[^\s{}()]+\s*[{(]")
_STRAY_AT = re.compile(r"@([^\s{(]*)(?![^\s{(]*\s*[{(])")


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


def parse_bibtex_bytes(
    data: bytes | list[bytes],
    label: str,
    *,
    workers: int | None = None,
    progress=None,
    meanwhile=None,
    encoding: str | None = None,
) -> BibResult:
    """Decode and parse a bibliography's bytes (already read, e.g. to hash them for the cache).

    ``data`` may also be a list holding the bytes, which is emptied once they
    are decoded, so that they are freed before the parse. ``progress``, if
    given, is called with a number of bytes done, now and then;
    ``meanwhile``, if given, is called once while worker processes parse
    (other work for this process, which would otherwise wait). ``encoding``
    names the file's encoding (default: UTF-8, else Windows-1252 with a
    warning; see :func:`kg.sources.encoding.decode_bibliography`).
    """
    if isinstance(data, list):
        data = data.pop()
    size = len(data)
    text, problems = decode_bibliography(data, label, encoding)
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


def parse_bibtex(
    text: str,
    file: str = "<text>",
    *,
    workers: int | None = None,
    progress=None,
    meanwhile=None,
    chunks: int | None = None,
) -> BibResult:
    """Parse BibTeX ``text``; problems name ``file`` and 1-based lines. Never raises.

    The text is cut into chunks of records (:func:`kg.sources.chunks.scan_chunk`),
    which :func:`merge` walks in file order. ``workers`` is how many processes
    read the chunks (``None``: decide from the file's size and the machine; 1:
    this process only), and ``chunks`` in how many pieces (default: one per
    process, a few per worker): see :func:`kg.sources.speed.read_quickly`.
    The result is the same whatever they are. ``progress``, if given, is
    called with a number of characters done, now and then; ``meanwhile`` as
    for :func:`parse_bibtex_bytes`.
    """
    from kg.sources.speed import read_quickly

    def merge_in_order(records_of_chunks, macros: dict[str, str]) -> BibResult:
        result = merge(records_of_chunks, file, text)
        result.strings = macros
        return result

    return read_quickly(
        text, merge_in_order, workers=workers, chunks=chunks, progress=progress, meanwhile=meanwhile
    )


def merge(chunks, file: str, text: str) -> BibResult:
    """Walk the records of the chunks (lists of :mod:`kg.sources.records`) in file order."""
    result = BibResult(text=text)
    problems = result.problems
    authors = result.authors
    papers = result.papers
    library_keys: set[str] = set()  # entry keys as bibtexparser registers them: exact case
    seen_keys: dict[str, tuple[str, int]] = {}  # lower-case key -> (key, line)
    previous_failed = ""  # "", "entry" or "comment": what the block before failed to be

    def add(found) -> None:
        problems.extend(
            Problem(file, item.line, item.severity, item.code, item.message) for item in found
        )

    for records in chunks:
        for record in records:
            kind = type(record)
            if kind is EntryRecord:
                line, key = record.line, record.key
                previous_failed = ""
                if not record.ignored_by_library:
                    if key in library_keys:
                        _add_duplicate(file, line, key, record.entry_type, seen_keys, problems)
                        continue
                    library_keys.add(key)
                add(record.before)
                entry = record.entry
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
                    problems.append(
                        Problem(
                            file,
                            line,
                            "error",
                            code,
                            f"{what} key '{key}' (first '{earlier[0]}' at line {earlier[1]}); "
                            f"rename or delete one",
                        )
                    )
                    continue
                seen_keys[key.lower()] = (key, line)
                papers[key] = _paper(entry, file, authors)
                add(entry.problems)
            elif kind is StringRecord:
                add(record.problems)
                previous_failed = ""
            elif kind is FailedBlock:
                problems.append(
                    Problem(file, record.line, record.severity, "syntax", record.message)
                )
                previous_failed = record.kind
            elif kind is Between:
                _check_stray_text(record.line, record.text, file, problems, previous_failed)
    resolve_crossrefs(papers, authors, file, problems)
    return result


def _paper(entry, file: str, authors: dict[str, Author]) -> Paper:
    """The Paper of a usable entry, its people registered as authors."""
    values = entry.values
    return Paper(
        key=values.key,
        entry_type=values.entry_type,
        title=values.title,
        year=values.year,
        authors=register_people(entry.authors, authors),
        editors=register_people(entry.editors, authors),
        venue=values.venue,
        volume=values.volume,
        number=values.number,
        pages=values.pages,
        doi=values.doi,
        url=values.url,
        publisher=values.publisher,
        abstract=values.abstract,
        note=values.note,
        keywords=values.keywords,
        fields=values.fields,
        unverified=values.unverified,
        file=file,
        line=values.line,
        end_line=values.end_line,
        author_names=cited_names(entry.authors),
        editor_names=cited_names(entry.editors),
    )


def _add_duplicate(file, line, key, entry_type, seen_keys, problems) -> None:
    """A block bibtexparser found a second time (same key, same case): report it, ignore it."""
    if not key.strip():
        problems.append(
            Problem(file, line, "error", "missing-key", missing_key_message(entry_type))
        )
        return
    first = seen_keys.get(key.lower(), (key, None))[1]
    where = f" (first at line {first})" if first else ""
    problems.append(
        Problem(
            file,
            line,
            "error",
            "duplicate-key",
            f"duplicate key '{key}'{where}: this entry is ignored; "
            f"give it another key or delete it",
        )
    )


def _check_stray_text(
    start: int, text: str, file: str, problems: list[Problem], after_failure: str
) -> None:
    """Text outside entries (``text``, from line ``start``) is a comment, unless it looks like part of an entry."""
    # ``%`` lines are comments by common convention, whatever they contain (but an '@'
    # in them still starts an entry for BibTeX, which bibtexparser follows).
    lines = ["" if line.lstrip().startswith("%") else line for line in text.split("\n")]
    comment = "\n".join(lines)
    for match in _STRAY_AT.finditer(comment):
        if match.group(1).lower() == "comment":
            continue  # "@comment remark": BibTeX's @comment needs no braces; it skips the line
        problems.append(
            Problem(
                file,
                start + comment.count("\n", 0, match.start()),
                "error",
                "stray-at",
                f"'@{match.group(1)}' outside an entry: BibTeX reads '@' as "
                f"the start of an entry and expects '{{' or '(' after its "
                f"type; remove the '@' or fix the entry",
            )
        )
    reported_at = any(problem.code == "stray-at" for problem in problems[-1:])
    # BibTeX's "@comment" needs no braces: it skips the rest of its line.
    if not re.sub(r"(?im)^\s*@comment\b.*$", "", comment).strip():
        return
    first = next(number for number, line in enumerate(lines) if line.strip())
    line = start + first
    snippet = " ".join(comment.strip().split())
    if len(snippet) > 60:
        snippet = snippet[:57] + "..."
    if not ("=" in comment or "}" in comment or _ENTRY_START.search(comment)):
        if reported_at:
            return  # the '@' in these words is the problem, reported above
        # Plain words between entries: BibTeX skips them, so nothing is lost.
        problems.append(_ignored_text(file, line, snippet, "start a comment line with %"))
        return
    if after_failure == "comment":
        problems.append(
            Problem(
                file,
                line,
                "warning",
                "stray-text",
                f"text after the unclosed @comment above: '{snippet}'",
            )
        )
        return
    if after_failure:
        message = f"text left over from the broken block above: '{snippet}'"
        if _ENTRY_START.search(comment):
            message += " (an entry in it was not read)"
    elif (odd := _ENTRY_LIKE.search(comment)) and not _ENTRY_START.search(comment):
        odd_type = odd.group().lstrip("@").rstrip("{( \t")
        message = (
            f"an entry here was not read: '{snippet}' (its type '{odd_type}' holds characters "
            f"other than letters, digits and '_'; BibTeX may accept it, kg cannot: rename the type)"
        )
    elif _ENTRY_LIKE.search(comment) or re.search(r"@\w+\s*$", comment, re.M):
        message = (
            f"an entry here was not read: '{snippet}' (is there a line break "
            f"between @type and '{{', or a brace missing above?)"
        )
    elif "=" in comment:
        message = (
            f"text outside any entry looks like part of one: '{snippet}' "
            f"(an extra '}}' above may have ended the entry early)"
        )
    else:
        # A stray '}' between entries and the like: BibTeX and biber skip all text
        # outside entries, so nothing is lost. (pybtex: no error either.)
        problems.append(_ignored_text(file, line, snippet, "a stray '}'?"))
        return
    problems.append(Problem(file, line, "error", "stray-text", message))


def _ignored_text(file, line: int, snippet: str, hint: str) -> Problem:
    """The warning for text between entries that BibTeX skips, with a ``hint`` at its cause."""
    return Problem(
        file,
        line,
        "warning",
        "stray-text",
        f"text outside any entry: '{snippet}'; BibTeX ignores text between entries ({hint})",
    )
