"""BibTeX, for Zotero, JabRef and LaTeX: the exported papers, as written in the bibliography.

Each selected entry is copied byte for byte from its source file (its lines,
``Paper.line`` to ``Paper.end_line``), in file order, with one change: a
``keywords`` field naming the concepts the paper discusses and the learning
objectives it serves (``Objective 1a``), directly or through a concept the
objective covers. An entry that already has ``keywords`` keeps them; the new
terms are added after them (with the entry's separator, comma or semicolon),
without repeating one already there. The
``@preamble`` and ``@string`` blocks of the source file come first, in file
order, so entries that use their macros still parse and typeset. Entries
keep what they are written with: LaTeX, ``crossref``, ``@string`` names (kg's
resolved and normalised values are for the other formats). The file is
split into lines once, so the export's time grows with the file, not with
entries times the file.

A concept is named by its label, or by its id when the label holds a
character that would split or break a keyword (``, ; { } \\``).
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import WriteError
from kg.export._output import emit
from kg.text import closing_delimiter

NAME = "bibtex"
KEYWORD_SEPARATOR = ", "
_UNSAFE_IN_KEYWORD = re.compile(r"[,;{}\\]")
_STRING_START = re.compile(r"^[ \t]*@[ \t]*string[ \t]*[{(]", re.IGNORECASE | re.MULTILINE)
_HEADER_START = re.compile(
    r"^[ \t]*@[ \t]*(?:string|preamble)[ \t]*[{(]", re.IGNORECASE | re.MULTILINE
)
_FIELD_NAME = re.compile(r"[^\s=,{}()\"#]+")


def keyword_terms(paper_key: str, corpus) -> list[str]:
    """Return the keywords kg adds to a paper: its concepts, then its objectives."""
    concept_ids = [
        concept_id
        for concept_id, concept in sorted(corpus.concepts.items())
        if any(link.target == paper_key for link in concept.papers)
    ]
    objective_ids = []
    for objective_id, objective in sorted(corpus.objectives.items()):
        direct = any(link.target == paper_key for link in objective.papers)
        through = any(link.target in concept_ids for link in objective.concepts)
        if direct or through:
            objective_ids.append(objective_id)
    terms = []
    for concept_id in concept_ids:
        label = corpus.concepts[concept_id].label.strip()
        terms.append(concept_id if not label or _UNSAFE_IN_KEYWORD.search(label) else label)
    terms.extend(f"Objective {objective_id}" for objective_id in objective_ids)
    return terms


def _read(path: str) -> str:
    from kg.errors import ReadError
    from kg.fileio import read_guarded

    try:
        data = read_guarded(path, limit=None, pipes=True, what="the bibliography")
    except ReadError as error:
        raise WriteError(f"cannot export the entries of {path}: {error}") from error
    # surrogateescape: bytes that are not UTF-8 come back out unchanged
    return (data or b"").decode("utf-8", errors="surrogateescape")


def _lines(text: str) -> list[str]:
    """Split on ``\\n`` only (keeping it), the way line numbers are counted."""
    return text.split("\n")


def entry_text(text: str, line: int, end_line: int) -> str:
    """Return lines ``line``..``end_line`` (1-based, inclusive) of ``text``, as written."""
    return "\n".join(_lines(text)[line - 1 : end_line])


def string_definitions(text: str) -> list[str]:
    """Return every ``@string`` block of a BibTeX text, as written."""
    return _blocks(text, _STRING_START)


def header_blocks(text: str) -> list[str]:
    """Every ``@preamble`` and ``@string`` block of a BibTeX text, as written, in file order."""
    return _blocks(text, _HEADER_START)


def _blocks(text: str, start: re.Pattern) -> list[str]:
    blocks = []
    for match in start.finditer(text):
        end = closing_delimiter(text, match.end() - 1)
        if end is not None:
            blocks.append(text[match.start() : end + 1].strip())
    return blocks


def _scan_fields(entry: str):
    """Parse an entry's fields: return (fields, close) or None when it cannot be read.

    ``fields`` maps lower-case field names to a list of (kind, start, end)
    value parts (kind is ``brace``, ``quote`` or ``bare``; ``end`` is exclusive),
    and ``close`` is the index of the entry's closing delimiter.
    """
    opening = re.search(r"[{(]", entry)
    if opening is None:
        return None
    close = closing_delimiter(entry, opening.start())
    if close is None:
        return None
    position = entry.find(",", opening.end(), close)
    if position < 0:
        return {}, close
    fields: dict[str, list[tuple[str, int, int]]] = {}
    position += 1
    while True:
        while position < close and (entry[position].isspace() or entry[position] == ","):
            position += 1
        if position >= close:
            return fields, close
        match = _FIELD_NAME.match(entry, position)
        if match is None:
            return None
        field_name = match.group().lower()
        position = match.end()
        while position < close and entry[position].isspace():
            position += 1
        if position >= close or entry[position] != "=":
            return None
        position += 1
        parts = []
        while True:
            while position < close and entry[position].isspace():
                position += 1
            if position >= close:
                return None
            char = entry[position]
            if char == "{":
                end = closing_delimiter(entry, position)
                if end is None or end > close:
                    return None
                parts.append(("brace", position, end + 1))
                position = end + 1
            elif char == '"':
                end, depth = position + 1, 0
                while end < close and not (entry[end] == '"' and depth == 0):
                    depth += {"{": 1, "}": -1}.get(entry[end], 0)
                    end += 1
                if end >= close:
                    return None
                parts.append(("quote", position, end + 1))
                position = end + 1
            else:
                match = re.compile(r"[^\s,#{}()\"]+").match(entry, position)
                if match is None:
                    return None
                parts.append(("bare", position, match.end()))
                position = match.end()
            while position < close and entry[position].isspace():
                position += 1
            if position < close and entry[position] == "#":
                position += 1
                continue
            break
        fields[field_name] = parts


def _existing_terms(value: str) -> set[str]:
    return {
        term.strip().strip("{}").strip().lower()
        for term in re.split(r"[,;]", value)
        if term.strip()
    }


def add_keywords(entry: str, terms: list[str]) -> str:
    """Return ``entry`` with ``terms`` added to its ``keywords`` field (created if missing).

    Terms already present (compared without case) are not repeated. The rest of
    the entry is left exactly as it was; an entry that cannot be read is
    returned unchanged.
    """
    if not terms:
        return entry
    scanned = _scan_fields(entry)
    if scanned is None:
        return entry
    fields, close = scanned
    parts = fields.get("keywords")
    if parts:
        present = _existing_terms("".join(entry[start:end] for _, start, end in parts))
        new = [term for term in terms if term.lower() not in present]
        if not new:
            return entry
        written = "".join(entry[start:end] for _, start, end in parts)
        # follow the entry's own separator: some tools write "a; b"
        separator = "; " if ";" in written and "," not in written else KEYWORD_SEPARATOR
        kind, start, end = parts[-1]
        addition = separator.join(new)
        if kind == "bare":
            return entry[:end] + " # {" + separator + addition + "}" + entry[end:]
        inner = entry[start + 1 : end - 1]
        joiner = separator if inner.strip() else ""
        return entry[: end - 1] + joiner + addition + entry[end - 1 :]

    before = entry[:close]
    body = before.rstrip()
    trailing = before[len(body) :]
    indent, name_width = _field_layout(entry)
    field = f"{'keywords'.ljust(name_width)} = {{{KEYWORD_SEPARATOR.join(terms)}}}"
    if body.endswith(","):
        insertion = f"\n{indent}{field},"
    else:
        insertion = f",\n{indent}{field}"
    return body + insertion + (trailing if "\n" in trailing else "\n") + entry[close:]


def _field_layout(entry: str) -> tuple[str, int]:
    """(indentation, padded name width) of the entry's first field line, so a new
    field lines up with the others; two spaces and no padding when there is none."""
    for line in entry.split("\n")[1:]:
        match = re.match(r"([ \t]+)([^\s=]+)([ \t]*)=", line)
        if match:
            return match.group(1), len(match.group(2)) + max(len(match.group(3)) - 1, 0)
    return "  ", 0


def render(graph, corpus) -> bytes:
    """Return the BibTeX of the papers in ``graph``, as UTF-8 bytes."""
    papers = [
        corpus.papers[data["key"]]
        for _, data in graph.nodes(data=True)
        if data.get("kind") == "paper" and data.get("key") in corpus.papers
    ]
    texts: dict[str, str] = {}

    def source_of(paper) -> str:
        path = paper.file if paper.file and Path(paper.file).is_file() else corpus.bib_path
        if path not in texts:
            texts[path] = _read(path)
        return path

    papers.sort(key=lambda p: (source_of(p), p.line))
    chunks = []
    lines: dict[str, list[str]] = {}
    for path in dict.fromkeys(source_of(p) for p in papers):
        chunks.extend(header_blocks(texts[path]))
        lines[path] = _lines(texts[path])
    for paper in papers:
        entry = "\n".join(lines[source_of(paper)][paper.line - 1 : paper.end_line])
        chunks.append(add_keywords(entry.strip("\n"), keyword_terms(paper.key, corpus)))
    text = "\n\n".join(chunks) + "\n" if chunks else ""
    return text.encode("utf-8", errors="surrogateescape")


def write(graph, corpus, target) -> None:
    """Write the papers of ``graph`` as BibTeX to ``target`` (a path or a stream)."""
    emit(target, render(graph, corpus))
