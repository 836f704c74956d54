"""references.bib -> model: papers, authors and every problem found on the way.

bibtexparser 2 splits the file into blocks and never raises on bad syntax;
several malformations reach us silently (a missing comma merges two fields,
an extra ``}`` leaves the rest of an entry outside it, an undefined macro
becomes its own name). So the pipeline below parses with an empty middleware
stack, keeps every value as written, and runs its own small steps:

1. decode the bytes (strict UTF-8, with the line and column of a bad byte);
2. split into blocks (bibtexparser);
3. report failed blocks, duplicate keys and fields, and stray text;
4. resolve ``@string`` macros and ``#`` concatenation, noticing what does not resolve;
5. split names with bibtexparser's name functions, then decode LaTeX only in
   the values that are displayed and only when they contain LaTeX;
6. check the fields each entry type requires, and the ``unverified`` flags.
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
    "inbook": [("author", "editor"), ("title",), ("chapter", "pages"), ("publisher",), ("year", "date")],
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
    data = Path(path).read_bytes()
    text, problems = decode_bytes(data, label)
    if text is None:
        return BibResult(problems=problems)
    result = parse_bibtex(text, label)
    result.problems[:0] = problems
    return result


def parse_bibtex(text: str, file: str = "<text>") -> BibResult:
    """Parse BibTeX ``text``; problems name ``file`` and 1-based lines. Never raises."""
    import bibtexparser
    from bibtexparser import model as bib

    library = bibtexparser.parse_string(text, parse_stack=[])
    result = BibResult(text=text)
    problems = result.problems
    seen_keys: dict[str, tuple[str, int]] = {}  # lower-case key -> (key, line)
    previous_failed = ""  # "", "entry" or "comment": what the block before failed to be

    for block in library.blocks:
        line = block.start_line + 1
        if isinstance(block, bib.String):
            value, issues = resolve_value(block.value, result.strings)
            for code, message in issues:
                problems.append(Problem(file, line, "error", code, f"@string {block.key}: {message}"))
            result.strings[block.key.lower()] = value
            previous_failed = ""
        elif isinstance(block, bib.DuplicateBlockKeyBlock) and not block.key.strip():
            problems.append(_no_key_problem(file, line, block.raw))
            previous_failed = ""
        elif isinstance(block, bib.DuplicateBlockKeyBlock):
            first = seen_keys.get(block.key.lower(), (block.key, None))[1]
            where = f" (first at line {first})" if first else ""
            problems.append(Problem(file, line, "error", "duplicate-key",
                                    f"duplicate key '{block.key}'{where}: this entry is ignored; "
                                    f"give it another key or delete it"))  # fmt: skip
            previous_failed = ""
        elif isinstance(block, bib.DuplicateFieldKeyBlock):
            # The entry itself is kept; _add_entry reports each repeated field with its line.
            _add_entry(block.ignore_error_block, file, result, seen_keys)
            previous_failed = ""
        elif isinstance(block, bib.ParsingFailedBlock):
            # BibTeX itself ignores "@comment" and reads on, so an unclosed one loses nothing.
            is_comment = block.raw.lstrip()[1:8].lower().startswith("comment")
            problems.append(Problem(file, _failed_line(block, text),
                                    "warning" if is_comment else "error", "syntax",
                                    _failed_message(block)))  # fmt: skip
            previous_failed = "comment" if is_comment else "entry"
        elif isinstance(block, bib.Entry):
            _add_entry(block, file, result, seen_keys)
            previous_failed = ""
        elif isinstance(block, bib.ImplicitComment):
            _check_stray_text(block, file, problems, previous_failed)
        # Preambles and @comment blocks carry nothing kg uses.

    _check_crossrefs(result, file)
    return result


def _failed_line(block, text: str) -> int:
    """The 1-based line where a failed block went wrong (or, failing that, starts)."""
    end_index = getattr(getattr(block, "error", None), "end_index", None)
    if isinstance(end_index, int) and 0 <= end_index <= len(text):
        return text.count("\n", 0, end_index) + 1
    return block.start_line + 1


def _failed_message(block) -> str:
    """A plain message for a block bibtexparser could not parse."""
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", "") or str(error or "")
    head = block.raw.lstrip().split("{", 1)[0].split("(", 1)[0].strip() or "@?"
    start = block.start_line + 1
    reason = " ".join(str(reason).split())
    if reason.startswith("Expected comma after entry key, but found ="):
        reason = "the entry has no citation key, or a comma is missing after it"
    text = f"{head} block starting at line {start} could not be read"
    return f"{text}: {reason}" if reason else text


def _no_key_problem(file: str, line: int, raw: str) -> Problem:
    entry_type = raw.lstrip()[1:].split("{", 1)[0].split("(", 1)[0].strip() or "misc"
    return Problem(file, line, "error", "missing-key",
                   f"@{entry_type} entry has no citation key: write one after the opening "
                   f"brace, as in @{entry_type}{{smith2020title, ...}}")  # fmt: skip


def _check_stray_text(block, file: str, problems: list[Problem], after_failure: str) -> None:
    """Text outside entries is a comment, unless it looks like part of an entry."""
    # ``%`` lines are comments by common convention, whatever they contain (but an '@'
    # in them still starts an entry for BibTeX, which bibtexparser follows).
    lines = ["" if text.lstrip().startswith("%") else text for text in block.comment.split("\n")]
    comment = "\n".join(lines)
    for match in _STRAY_AT.finditer(comment):
        problems.append(Problem(file, block.start_line + 1 + comment.count("\n", 0, match.start()),
                                "error", "stray-at",
                                f"'@{match.group(1)}' outside an entry: BibTeX reads '@' as "
                                f"the start of an entry and expects '{{' or '(' after its "
                                f"type; remove the '@' or fix the entry"))  # fmt: skip
    if not ("=" in comment or "}" in comment or _ENTRY_START.search(comment)):
        return
    first = next(number for number, text in enumerate(lines) if text.strip())
    line = block.start_line + 1 + first
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
    issues: list[tuple[str, str]] = []
    parts: list[str] = []
    text = raw.strip()
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


def _matching_brace(text: str, start: int) -> int | None:
    """Index of the ``}`` closing the ``{`` at ``start`` (BibTeX counts every brace)."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    return None


def _closing_quote(text: str, start: int) -> int | None:
    """Index of the ``"`` closing a quoted value (quotes inside braces do not count)."""
    depth = 0
    for index in range(start + 1, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            return index
    return None


def _add_entry(entry, file: str, result: BibResult, seen_keys: dict) -> None:
    """Turn one bibtexparser entry into a Paper and its authors, checking as we go."""
    problems = result.problems
    line = entry.start_line + 1
    key = (entry.key or "").strip()
    if not key or re.search(r"[\s=,{}\"]", key):
        problems.append(_no_key_problem(file, line, entry.raw))
        return
    if not _ENTRY_TYPE.match(entry.entry_type):
        problems.append(Problem(file, line, "error", "entry-type",
                                f"'@{entry.entry_type}' is not a valid entry type: a type starts "
                                f"with a letter and holds no spaces or '#'; the entry is ignored"))  # fmt: skip
        return
    if entry.raw.lstrip()[1:].split("(", 1)[0].strip() == entry.entry_type and re.search(r"[()]", key):
        problems.append(Problem(file, line, "error", "syntax",
                                f"key '{key}' holds a parenthesis, which ends an entry written "
                                f"with @{entry.entry_type}( ... ): use braces or change the key"))  # fmt: skip
    earlier = seen_keys.get(key.lower())
    if earlier is not None:
        code, kind = ("duplicate-key", "duplicate") if earlier[0] == key else (
            "duplicate-key-case", "keys differ only in case, which BibTeX treats as the same:")
        problems.append(Problem(file, line, "error", code,
                                f"{kind} key '{key}' (first '{earlier[0]}' at line {earlier[1]}); "
                                f"rename or delete one"))  # fmt: skip
        return
    seen_keys[key.lower()] = (key, line)

    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    for item in entry.fields:
        name = item.key.strip().lower()
        item_line = (item.start_line + 1) if item.start_line is not None else line
        if not _FIELD_NAME.match(name):
            if "%" in name:
                reason = "BibTeX has no '%' comments inside an entry; delete the comment"
            elif name[:1].isdigit():
                reason = "a field name cannot start with a digit"
            else:
                reason = "a field name holds no spaces, '#' or '%' (a comma missing before it?)"
            shown = " ".join(name.split())
            problems.append(Problem(file, item_line - item.key.strip().count("\n"), "error", "field-name",
                                    f"entry '{key}': '{shown}' is not a valid field name: {reason}"))  # fmt: skip
            continue
        if name in fields:
            problems.append(Problem(file, item_line, "error", "duplicate-field",
                                    f"entry '{key}' sets '{name}' twice (also at line "
                                    f"{field_lines[name]}); keep one"))  # fmt: skip
            continue
        value, issues = resolve_value(item.value, result.strings)
        for code, message in issues:
            problems.append(Problem(file, item_line, "error", code,
                                    f"entry '{key}', field '{name}': {message}"))  # fmt: skip
        fields[name] = value
        field_lines[name] = item_line

    end_line = line + entry.raw.count("\n")
    entry_type = entry.entry_type.lower()
    paper = _make_paper(key, entry_type, fields, file, line, end_line, result)
    result.papers[key] = paper

    if "crossref" not in fields:
        _check_required(paper, fields, file, problems)
    if paper.unverified:
        problems.append(Problem(file, field_lines.get(UNVERIFIED_FIELD, line), "warning", "unverified",
                                f"entry '{key}': {', '.join(paper.unverified)} not verified "
                                f"(flagged in its '{UNVERIFIED_FIELD}' field)"))  # fmt: skip


def _check_required(paper: Paper, fields: dict[str, str], file: str, problems: list[Problem],
                    inherited: dict[str, str] | None = None) -> None:  # fmt: skip
    """Warn about fields the entry's type requires but it lacks."""
    available = dict(inherited or {})
    available.update(fields)
    missing = [
        " or ".join(choice)
        for choice in REQUIRED_FIELDS.get(paper.entry_type, [])
        if not any(available.get(name, "").strip() for name in choice)
    ]
    if missing:
        problems.append(Problem(file, paper.line, "warning", "missing-field",
                                f"@{paper.entry_type} '{paper.key}' lacks {', '.join(missing)}"))  # fmt: skip


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
                                           f"({' -> '.join(chain + [current])})"))  # fmt: skip
        if "booktitle" not in paper.fields and "title" in inherited:
            inherited.setdefault("booktitle", inherited["title"])
        _check_required(paper, paper.fields, file, result.problems, inherited)


def _make_paper(key, entry_type, fields, file, line, end_line, result: BibResult) -> Paper:
    """Build the display model of one entry; LaTeX decoded only where it is shown."""
    display = {name: fields.get(name, "") for name in
               ("title", "journal", "journaltitle", "booktitle", "publisher", "note", "annote",
                "abstract", "keywords", "pages", "volume", "number", "school", "institution",
                "howpublished")}  # fmt: skip
    display = decode_latex(display)
    venue = (display["journal"] or display["journaltitle"] or display["booktitle"]
             or display["school"] or display["institution"] or display["howpublished"]
             or display["publisher"])  # fmt: skip
    year = fields.get("year", "") or fields.get("date", "")[:4]
    unverified = [
        name.strip().lower()
        for name in re.split(r"[,;\s]+", fields.get(UNVERIFIED_FIELD, ""))
        if name.strip()
    ]
    return Paper(
        key=key,
        entry_type=entry_type,
        title=display["title"],
        year=year.strip(),
        authors=_people(fields.get("author", ""), result),
        editors=_people(fields.get("editor", ""), result),
        venue=venue,
        volume=display["volume"],
        number=display["number"] or fields.get("issue", ""),
        pages=display["pages"].replace("--", "–"),
        doi=normalise_doi(fields.get("doi", "")),
        url=fields.get("url", "").strip(),
        publisher=display["publisher"],
        abstract=display["abstract"],
        note=" ".join(part for part in (display["note"], display["annote"]) if part),
        keywords=display["keywords"],
        fields=fields,
        unverified=unverified,
        file=file,
        line=line,
        end_line=end_line,
    )


def normalise_doi(doi: str) -> str:
    """``https://doi.org/10.1/X`` and ``doi:10.1/X`` -> ``10.1/X`` (DOIs compare case-insensitively)."""
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
                result[name] = _decode_latex_string(value)
            else:
                result[name] = " ".join(value.replace("{", "").replace("}", "").split())
    return result


@functools.lru_cache(maxsize=65536)
def _decode_latex_string(value: str) -> str:
    from bibtexparser.library import Library
    from bibtexparser.model import Entry, Field

    entry = Entry("misc", "decode", [Field("value", value)])
    decoded = _latex_decoder().transform_entry(entry, Library()).fields[0].value
    return " ".join(decoded.split()) if isinstance(decoded, str) else value


@functools.lru_cache(maxsize=1)
def _latex_decoder():
    from bibtexparser.middlewares import LatexDecodingMiddleware

    return LatexDecodingMiddleware()


def _people(value: str, result: BibResult) -> list[str]:
    """Split an author or editor list into Author ids, registering new authors."""
    if not value.strip():
        return []
    from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

    ids = []
    for name in split_multiple_persons_names(value):
        if name.strip().lower() == "others":
            continue
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
        author_id = author_id_for(family, given)
        known = result.authors.get(author_id)
        if known is None:
            result.authors[author_id] = Author(author_id, display, family, given)
        elif display != known.name and display not in known.aliases:
            # Keep the fullest spelling for display; remember the others.
            if len(given) > len(known.given):
                known.aliases.append(known.name)
                known.name, known.given = display, given
            else:
                known.aliases.append(display)
        ids.append(author_id)
    return ids


def _strip_braces(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


def author_id_for(family: str, given: str = "") -> str:
    """A stable author id: family name and initials, ASCII, e.g. ``hernandez-p``."""
    initials = "".join(word[0] for word in re.split(r"[\s.\-]+", given) if word)
    slug = slugify(family)
    return f"{slug}-{slugify(initials)}" if initials else slug


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``Hernández-Wolfe`` -> ``hernandez-wolfe``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def split_name(name: str) -> tuple[str, str]:
    """Split one written name ("Pilar Hernández", "Hernández, P.") into (family, given)."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    parts = parse_single_name_into_parts(name)
    family = _strip_braces(" ".join(parts.von + parts.last))
    given = _strip_braces(" ".join(parts.first))
    decoded = decode_latex({"family": family, "given": given})
    return decoded["family"], decoded["given"]
