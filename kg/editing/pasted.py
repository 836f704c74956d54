"""Checking pasted BibTeX before it is appended to the bibliography.

``kg add`` takes entries as a researcher pastes them (from Zotero, JabRef,
Google Scholar, a publisher's page) and appends them *as pasted*: their own
text, never re-serialised. Before that, every entry must stand on its own and
must not already be in the bibliography:

- it parses cleanly by itself (no failed block, no stray text, no ``@string``
  it does not define); problems name the line in the pasted text;
- it has the fields its type requires; a missing key is generated
  (first author's family name + year + first significant title word) and
  written into the entry's text;
- it is not a duplicate: same key ignoring case, same DOI, or (unless
  allowed) the same title, year and first author.

:func:`plan_addition` does all of that and returns the bytes the bibliography
should hold afterwards; it never writes (see :mod:`kg.editing.writer`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import kg.editing.writer as writer
from kg.errors import KgError, SourceError
from kg.model import Author, Paper, Problem
from kg.text import fold

#: Similarity (0-100, rapidfuzz ratio of normalised titles) above which two titles are "the same".
TITLE_SIMILARITY = 92.0

#: Words skipped when a title's first word goes into a generated key.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "about",
        "into",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "how",
        "what",
        "why",
        "when",
        "where",
        "who",
        "which",
        "do",
        "does",
    ]
)

_PLACEHOLDER = "kgMissingKey"
#: A placeholder where :func:`_insert_placeholders` puts it (just after ``@type{``).
_PLACED = re.compile(r"(?<=[{(])kgMissingKey\d+")
#: A placeholder quoted in a problem's message.
_QUOTED_PLACEHOLDER = re.compile(r"'(kgMissingKey\d+)'")
_MISSING_KEY = re.compile(
    r"(@(?!string\b|comment\b|preamble\b)[A-Za-z]+\s*[{(])(?=\s*(,|[A-Za-z][\w-]*\s*=))",
    re.IGNORECASE,
)


@dataclass
class PastedSource:
    """Text given to ``kg add``: its label (``<stdin>``, a file name) and content."""

    label: str
    text: str


@dataclass
class NewEntry:
    """One pasted entry, checked and ready to append."""

    key: str
    paper: Paper
    text: str  # the entry as pasted (LF line ends), with a generated key written in
    source: str  # label of the pasted text
    line: int  # where the entry starts in the pasted text
    generated_key: bool = False
    placeholder: str = ""  # the stand-in key used while the real one was not yet known
    file_line: int = 0  # where the entry starts in the bibliography afterwards
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (concept id, matched text)


@dataclass
class Addition:
    """What appending the pasted entries does to the bibliography."""

    entries: list[NewEntry]
    new_bytes: bytes
    entry_count: int  # entries in the bibliography afterwards
    warnings: list[Problem] = field(default_factory=list)


def decode_pasted(data: bytes, label: str) -> str:
    """Decode pasted bytes as UTF-8 (BOM dropped, line ends unified to LF)."""
    try:
        text = writer.decode_source(data, label)
    except KgError as error:
        raise KgError(str(error).replace("the file seems", "the text seems")) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise_title(title: str) -> str:
    """Lower-case ASCII words of a title, for comparison (braces, accents, punctuation gone)."""
    return fold(title.replace("{", "").replace("}", ""), " ", ascii_only=True)


def _ascii_word(text: str) -> str:
    return fold(text, "", ascii_only=True)


def first_author_family(paper: Paper, authors: dict) -> str:
    """The first author's (else first editor's) family name as one ASCII word, or ``""``."""
    people = paper.authors or paper.editors
    if not people:
        return ""
    author = authors.get(people[0])
    return _ascii_word(author.family if author else people[0])


def make_key(paper: Paper, authors: dict, taken: set[str]) -> str:
    """A citation key like ``hernandez2007vicarious``, unique among ``taken`` (lower case).

    First author's family name, year, and the title's first word that is not
    a stop word, in lower-case ASCII; ``a``, ``b``, ``c``... are appended
    until the key is free.
    """
    words = [_ascii_word(word) for word in paper.title.split()]
    significant = [word for word in words if word and word not in STOP_WORDS]
    first_word = significant[0] if significant else next((word for word in words if word), "")
    year = _ascii_word(paper.year)
    base = first_author_family(paper, authors) + year + first_word
    if not base or not base[0].isalpha():
        base = "entry" + base
    if base not in taken:
        return base
    suffix = 0
    while True:
        candidate = base + _letters(suffix)
        if candidate not in taken:
            return candidate
        suffix += 1


def _letters(number: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa ..."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _insert_placeholders(text: str) -> tuple[str, list[str]]:
    """Give every entry that lacks a key a placeholder key on the same line."""
    placeholders: list[str] = []

    def replace(match: re.Match) -> str:
        name = f"{_PLACEHOLDER}{len(placeholders) + 1}"
        placeholders.append(name)
        return match.group(1) + name + ("" if match.group(2) == "," else ",")

    return _MISSING_KEY.sub(replace, text), placeholders


def _stray_text(text: str, label: str) -> list[Problem]:
    """Lines outside any block that are neither blank nor ``%`` comments."""
    import bibtexparser
    from bibtexparser import model as bib

    problems = []
    library = bibtexparser.parse_string(text, parse_stack=[])
    for block in library.blocks:
        if not isinstance(block, bib.ImplicitComment):
            continue
        for offset, line in enumerate((block.raw or "").split("\n")):
            stripped = line.strip()
            if stripped and not stripped.startswith("%"):
                snippet = stripped if len(stripped) <= 50 else stripped[:47] + "..."
                problems.append(
                    Problem(
                        label,
                        (block.start_line or 0) + 1 + offset,
                        "error",
                        "stray-text",
                        f"text outside any entry: '{snippet}'; paste only BibTeX "
                        f"entries (comment lines start with %)",
                    )
                )
                break
    return problems


def parse_pasted(
    source: PastedSource,
) -> tuple[list[NewEntry], dict[str, Author], list[Problem], list[Problem]]:
    """Parse one pasted text; return its entries, authors, errors and warnings.

    Keys are not generated yet (that needs the whole bibliography): entries
    without one carry a placeholder and ``generated_key=True``.
    """
    from kg.sources.bibtex import parse_bibtex

    text, placeholder_list = _insert_placeholders(source.text)
    placeholders = set(placeholder_list)
    result = parse_bibtex(text, source.label)
    errors: list[Problem] = []
    warnings: list[Problem] = []

    def no_key(match: re.Match) -> str:
        return "(no key)" if match.group(1) in placeholders else match.group()

    for problem in result.problems:
        if _PLACEHOLDER in problem.message:
            problem.message = _QUOTED_PLACEHOLDER.sub(no_key, problem.message)
        if problem.severity == "error":
            errors.append(problem)
        elif problem.code == "missing-field":
            errors.append(
                Problem(
                    problem.file,
                    problem.line,
                    "error",
                    problem.code,
                    f"{problem.message}: add the missing field(s) and run again",
                )
            )
        elif problem.code != "crossref-missing":  # the target may be in the bibliography
            warnings.append(problem)
    known_lines = {problem.line for problem in errors}
    errors += [
        problem for problem in _stray_text(text, source.label) if problem.line not in known_lines
    ]
    lines = text.split("\n")
    entries = []
    for key, paper in result.papers.items():
        entries.append(
            NewEntry(
                key=key,
                paper=paper,
                text="\n".join(lines[paper.line - 1 : paper.end_line]),
                source=source.label,
                line=paper.line,
                generated_key=key in placeholders,
                placeholder=key if key in placeholders else "",
            )
        )
    errors.sort(key=lambda problem: problem.line or 0)
    return entries, result.authors, errors, warnings


class KnownEntries:
    """The entries a pasted one must not duplicate, indexed so that each check is quick.

    By key (ignoring case), by DOI (ignoring case), and for the fuzzy match by
    a blocking key, (year, first author's family name): two entries can only
    "look like" each other when both are equal, so only the entries of the
    same block are compared by title. Adding n entries to m is then about
    n + m steps instead of n × m. ``comparisons`` counts the title
    comparisons made, so that tests can hold the index to that.
    """

    def __init__(self):
        self.by_key: dict[str, tuple[Paper, str]] = {}
        self.by_doi: dict[str, tuple[Paper, str]] = {}
        self.by_block: dict[tuple[str, str], list[tuple[str, Paper, str]]] = {}
        self.comparisons = 0

    def add(self, paper: Paper, authors: dict, where: str) -> None:
        """Remember ``paper`` (its authors in ``authors``), found at ``where``."""
        self.by_key.setdefault(paper.key.lower(), (paper, where))
        if paper.doi:
            self.by_doi.setdefault(paper.doi.lower(), (paper, where))
        block = _block(paper, authors)
        if block is not None:
            title = normalise_title(paper.title)
            self.by_block.setdefault(block, []).append((title, paper, where))

    def looking_like(self, paper: Paper, authors: dict) -> tuple[Paper, str] | None:
        """The first known entry with the same year, first author and a title this similar."""
        block = _block(paper, authors)
        title = normalise_title(paper.title)
        if block is None or not title:
            return None
        from rapidfuzz import fuzz

        for other_title, other, where in self.by_block.get(block, ()):
            self.comparisons += 1
            if fuzz.ratio(title, other_title) >= TITLE_SIMILARITY:
                return other, where
        return None


def _block(paper: Paper, authors: dict) -> tuple[str, str] | None:
    """Year and first author's family name, or None when either is missing (no fuzzy match)."""
    family = first_author_family(paper, authors)
    if not paper.year or not family:
        return None
    return paper.year, family


def _duplicate_of(
    entry: NewEntry, authors: dict, known: KnownEntries, allow_duplicate: bool
) -> str | None:
    """Why ``entry`` duplicates one of the ``known`` entries, or None.

    The same key (ignoring case) comes first, then the same DOI, then (unless
    allowed) the same title, year and first author.
    """
    paper = entry.paper
    if not entry.generated_key:
        found = known.by_key.get(entry.key.lower())
        if found is not None:
            other, where = found
            if other.key == entry.key and other.fields == paper.fields:
                return f"already in the bibliography as {other.key} ({where}): nothing to add"
            same = (
                ""
                if other.key == entry.key
                else f" (as '{other.key}'; keys are compared ignoring case)"
            )
            return (
                f"key '{entry.key}' is already used at {where}{same}; "
                f"give the new entry another key"
            )
    if paper.doi:
        found = known.by_doi.get(paper.doi.lower())
        if found is not None:
            other, where = found
            return (
                f"DOI {paper.doi} is already in '{other.key}' at {where}: the work is already "
                f"there; nothing to add"
            )
    if not allow_duplicate:
        found = known.looking_like(paper, authors)
        if found is not None:
            other, where = found
            return (
                f"looks like '{other.key}' at {where} (same title, year and first author); "
                f"if it is a different work, run again with --allow-duplicate"
            )
    return None


def plan_addition(
    old: bytes,
    bib_label: str,
    sources: list[PastedSource],
    *,
    allow_duplicate: bool = False,
) -> Addition:
    """Check the pasted entries against the bibliography's bytes ``old``; return the new bytes.

    Raises :class:`SourceError` listing every problem (each naming the line in
    the pasted text), or :class:`KgError` when the bibliography itself cannot
    be read or would not read back the new entries. Nothing is written.
    """
    from kg.sources.bibtex import parse_bibtex
    from kg.sources.identity import fold

    existing = parse_bibtex(_text_of(old, bib_label), bib_label)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    entries: list[NewEntry] = []
    known = KnownEntries()
    folds: dict[str, tuple[str, str, int | None]] = {}
    for paper in sorted(existing.papers.values(), key=lambda paper: paper.line):
        known.add(paper, existing.authors, f"{bib_label}:{paper.line}")
        folds.setdefault(fold(paper.key), (paper.key, bib_label, paper.line))
    # Keys are taken by their folded form: a generated key never folds like an existing one.
    taken = set(folds)
    any_text = False
    for source in sources:
        any_text = any_text or bool(source.text.strip())
        parsed, authors, source_errors, source_warnings = parse_pasted(source)
        errors += source_errors
        warnings += source_warnings
        for entry in parsed:
            reason = _duplicate_of(entry, authors, known, allow_duplicate)
            if reason:
                code = "already-there" if reason.endswith("nothing to add") else "duplicate"
                errors.append(Problem(source.label, entry.line, "error", code, reason))
                continue
            if entry.generated_key:
                new_key = make_key(entry.paper, authors, taken)
                entry.text = entry.text.replace(entry.key, new_key, 1)
                entry.key = entry.paper.key = new_key
            refusal, warning = _identity_problems(entry, folds)
            if refusal is not None:
                errors.append(refusal)
                continue
            if warning is not None:
                warnings.append(warning)
            taken.add(fold(entry.key))
            known.add(entry.paper, authors, f"{source.label}:{entry.line}")
            entries.append(entry)
    _refuse_on_errors(errors, entries, sources, any_text)

    addition_text = "\n\n".join(
        _pasted_block(source, entries)
        for source in sources
        if any(entry.source == source.label for entry in entries)
    )
    new_bytes = writer.append_text(old, addition_text)
    after = parse_bibtex(_text_of(new_bytes, bib_label), bib_label)
    _check_read_back(existing, after, entries, bib_label)
    for entry in entries:
        entry.file_line = after.papers[entry.key].line
    old_errors = [problem for problem in existing.problems if problem.severity == "error"]
    if old_errors:
        warnings.insert(
            0,
            Problem(
                bib_label,
                None,
                "warning",
                "existing-errors",
                f"{bib_label} already has {len(old_errors)} error(s), left as they "
                f"were; `kg check` lists them",
            ),
        )
    return Addition(
        entries=entries, new_bytes=new_bytes, entry_count=len(after.papers), warnings=warnings
    )


def _refuse_on_errors(
    errors: list[Problem], entries: list[NewEntry], sources: list[PastedSource], any_text: bool
) -> None:
    """Raise :class:`SourceError` when there are errors, or nothing at all to add."""
    if not errors and not entries:
        where = ", ".join(source.label for source in sources)
        message = (
            "no BibTeX entry found; paste entries such as @article{key, author = {...}, ...}"
            if any_text
            else "nothing to add: the input is empty"
        )
        errors.append(Problem(where, None, "error", "empty", message))
    if errors and all(problem.code == "already-there" for problem in errors):
        # Nothing to fix: the works are in the bibliography already.
        raise SourceError(
            errors, "nothing was written: the pasted entries are already in the bibliography"
        )
    if errors:
        raise SourceError(
            errors,
            "the pasted entries have errors; nothing was written; fix the entries and run again",
        )


def _check_read_back(existing, after, entries: list[NewEntry], bib_label: str) -> None:
    """Raise :class:`KgError` unless the bibliography with the entries appended (``after``)
    reads as the old one (``existing``) followed by exactly the pasted entries."""
    expected_keys = list(existing.papers) + [entry.key for entry in entries]
    if list(after.papers) != expected_keys or any(
        after.papers[entry.key].fields != entry.paper.fields for entry in entries
    ):
        last = list(existing.papers.values())[-1] if existing.papers else None
        where = f"{bib_label}:{last.line}" if last else bib_label
        raise KgError(
            f"{where}: error: appended entries would not read back as pasted (is the last entry "
            f"of {bib_label} left open, with a '{{' never closed?); fix the file (see `kg check`) "
            f"and run again; nothing was written"
        )


def _text_of(data: bytes, label: str) -> str:
    """The bibliography's text as the loader reads it (a lone CR ends a line), for line numbers."""
    from kg.sources.encoding import normalise_lone_cr

    return normalise_lone_cr(writer.decode_source(data, label))


def _identity_problems(
    entry: NewEntry, folds: dict[str, tuple[str, str, int | None]]
) -> tuple[Problem | None, Problem | None]:
    """``kg check``'s identity rules for a new key: ``(refusal, warning)``.

    A key that folds like an existing or earlier pasted one (``muller2020`` beside
    ``müller2020``, ``selfcare2020`` beside ``self-care2020``) is refused, naming
    both lines, and so is one holding an invisible or bidirectional-control
    character; a key mixing look-alike scripts gets ``kg check``'s warning.
    """
    from kg.sources.identity import collision, hidden_character

    clash = collision(
        "key", entry.key, entry.source, entry.line, folds, fix="give the new entry another key"
    )
    if clash is not None:
        return clash, None
    hidden = hidden_character("key", entry.key, entry.source, entry.line)
    if hidden is not None and hidden.code == "hidden-character":
        hidden.severity = "error"
        hidden.message += " (kg add never writes a key kg check would warn about this way)"
        return hidden, None
    return None, hidden


def _pasted_block(source: PastedSource, entries: list[NewEntry]) -> str:
    """The pasted text to append: as pasted, blank lines around it trimmed, keys filled in."""
    text, _placeholders = _insert_placeholders(source.text)
    keys = {
        entry.placeholder: entry.key
        for entry in entries
        if entry.source == source.label and entry.placeholder
    }
    # One pass over the text, each placeholder read whole ("...Key12", never "...Key1" + "2").
    text = _PLACED.sub(lambda match: keys.get(match.group(), match.group()), text)
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)
