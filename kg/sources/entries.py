"""One BibTeX entry -> a record: its values resolved, its fields checked, its people split.

Both readers of a chunk (bibtexparser's splitter and the fast path) hand each
entry to :func:`entry_record`: resolving ``@string`` macros and ``#``
concatenation (noticing what does not resolve), checking field names, repeated
fields, the fields the entry type requires and the ``unverified`` flags, and
decoding LaTeX only in the values that are displayed.
"""

from __future__ import annotations

import re

from kg.sources.latex import decode_latex, normalise
from kg.sources.names import people
from kg.sources.records import EntryRecord, Found, PaperValues, ReadEntry
from kg.text import bare_doi, closing_delimiter

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

#: BibTeX's predefined month macros (fmt: skip: four months a line read as a calendar).
MONTHS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April",
    "may": "May", "jun": "June", "jul": "July", "aug": "August",
    "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip

#: The field an entry uses to flag values nobody could verify: ``unverified = {volume, pages}``.
UNVERIFIED_FIELD = "unverified"

_ENTRY_TYPE = re.compile(r"^[A-Za-z_][\w@+\-.:]*$")
_FIELD_NAME = re.compile(r"^[A-Za-z_+\-.@][^\s#%{}=,\"]*$")
_BARE_WORD = re.compile(r"[^\s#,{}\"=()]+")
_NOT_IN_KEY = re.compile(r"[\s=,{}\"]")


def library_entry_record(
    entry, line: int, strings: dict[str, str], ignored_by_library: bool
) -> EntryRecord:
    """Check one entry bibtexparser read (starting at ``line``) and turn it into a record."""
    raw = entry.raw
    offset = line - entry.start_line  # from bibtexparser's 0-based lines in the chunk to ours
    fields = [
        (item.key, item.value, None if item.start_line is None else item.start_line + offset)
        for item in entry.fields
    ]
    key = (entry.key or "").strip()
    keyless = not key or _NOT_IN_KEY.search(key)
    return entry_record(
        entry.key or "",
        entry.entry_type,
        raw_type(raw) if keyless else "",
        bool(re.search(r"[()]", key))
        and raw.lstrip()[1:].split("(", 1)[0].strip() == entry.entry_type,
        raw.count("\n"),
        fields,
        line,
        strings,
        ignored_by_library,
    )


def entry_record(
    raw_key: str,
    entry_type: str,
    written_type: str,
    in_parentheses: bool,
    newlines: int,
    items: list[tuple[str, str, int | None]],
    line: int,
    strings: dict[str, str],
    ignored_by_library: bool,
) -> EntryRecord:
    """Check one entry and turn it into an :class:`EntryRecord`.

    ``entry_type`` is bibtexparser's (lower case), ``written_type`` the type as
    written (needed only when the key is missing), ``in_parentheses`` whether
    the entry is written ``@type( ... )``, ``newlines`` how many line breaks it
    spans, and ``items`` its fields as (name, value as written, line).
    """
    key = raw_key.strip()
    if not key or _NOT_IN_KEY.search(key):
        written_type = written_type or entry_type
        return EntryRecord(
            line,
            raw_key,
            written_type,
            ignored_by_library,
            [Found(line, "error", "missing-key", missing_key_message(written_type))],
            None,
        )
    if not _ENTRY_TYPE.match(entry_type):
        return EntryRecord(
            line,
            raw_key,
            entry_type,
            ignored_by_library,
            [
                Found(
                    line,
                    "error",
                    "entry-type",
                    f"'@{entry_type}' is not a valid entry type: a type starts "
                    f"with a letter and holds no spaces or '#'; the entry is ignored",
                )
            ],
            None,
        )
    before = []
    if in_parentheses:
        before.append(
            Found(
                line,
                "error",
                "syntax",
                f"key '{key}' holds a parenthesis, which ends an entry written "
                f"with @{entry_type}( ... ): use braces or change the key",
            )
        )

    fields, field_lines, problems = _read_fields(key, items, line, strings)

    end_line = line + newlines
    entry_type = entry_type.lower()
    values = paper_values(key, entry_type, fields, line, end_line)
    if "crossref" not in fields and "xdata" not in fields:  # checked once inherited
        missing = check_required(entry_type, key, line, fields)
        if missing:
            problems.append(missing)
    unverified = values.unverified
    if unverified:
        problems.append(
            Found(
                field_lines.get(UNVERIFIED_FIELD, line),
                "warning",
                "unverified",
                f"entry '{key}': {', '.join(unverified)} not verified "
                f"(flagged in its '{UNVERIFIED_FIELD}' field)",
            )
        )
    return EntryRecord(
        line,
        raw_key,
        entry_type,
        ignored_by_library,
        before,
        ReadEntry(
            values, people(fields.get("author", "")), people(fields.get("editor", "")), problems
        ),
    )


def _read_fields(
    key: str, items: list[tuple[str, str, int | None]], line: int, strings: dict[str, str]
) -> tuple[dict[str, str], dict[str, int], list]:
    """An entry's fields resolved (macros, ``#``), with the line of each and the problems found."""
    problems: list[tuple] = []
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    for item_key, item_value, item_line in items:
        name = item_key.strip().lower()
        item_line = line if item_line is None else item_line
        if not _FIELD_NAME.match(name):
            problems.append(_field_name_problem(key, item_key, name, line, item_line))
            continue
        if name in fields:
            problems.append(
                Found(
                    item_line,
                    "error",
                    "duplicate-field",
                    f"entry '{key}' sets '{name}' twice (also at line "
                    f"{field_lines[name]}); keep one",
                )
            )
            continue
        value, issues = resolve_value(item_value, strings)
        for code, message in issues:
            problems.append(
                Found(item_line, "error", code, f"entry '{key}', field '{name}': {message}")
            )
        fields[name] = value
        field_lines[name] = item_line
    return fields, field_lines, problems


def _field_name_problem(key: str, item_key: str, name: str, line: int, item_line: int) -> Found:
    """What is wrong with a field name BibTeX would not read: a commented-out field is a warning."""
    if name.startswith("%") and "\n" not in item_key.strip():
        # "% author = {...}," : a field commented out. biber skips a '%' line
        # inside an entry; BibTeX has no such comments and reports an error,
        # then reads on. Either way the field is not used: nothing is lost.
        return Found(
            item_line,
            "warning",
            "commented-field",
            f"entry '{key}': '{' '.join(name.split())}' is commented out with '%': "
            f"biber skips it; BibTeX has no '%' comments inside an entry and "
            f"reports an error there",
        )
    if "%" in name:
        reason = "BibTeX has no '%' comments inside an entry; delete the comment"
    elif name[:1].isdigit():
        reason = "a field name cannot start with a digit"
    else:
        reason = "a field name holds no spaces, '#' or '%' (a comma missing before it?)"
    shown = " ".join(name.split())
    return Found(
        max(line, item_line - item_key.strip().count("\n")),
        "error",
        "field-name",
        f"entry '{key}': '{shown}' is not a valid field name: {reason}",
    )


def check_required(
    entry_type: str,
    key: str,
    line: int,
    fields: dict[str, str],
    inherited: dict[str, str] | None = None,
) -> Found | None:
    """The warning about fields the entry's type requires but it lacks, if any."""
    available = dict(inherited or {})
    available.update(fields)
    missing = [
        " or ".join(choice)
        for choice in REQUIRED_FIELDS.get(entry_type, [])
        if not any(available.get(name, "").strip() for name in choice)
    ]
    if missing:
        return Found(
            line,
            "warning",
            "missing-field",
            f"@{entry_type} '{key}' lacks {', '.join(missing)}",
        )
    return None


_DISPLAYED = (
    "title",
    "journal",
    "journaltitle",
    "booktitle",
    "publisher",
    "note",
    "annote",
    "abstract",
    "keywords",
    "pages",
    "volume",
    "number",
    "school",
    "institution",
    "howpublished",
)


def paper_values(key, entry_type, fields, line, end_line) -> PaperValues:
    """The values of one Paper, without its people and file.

    LaTeX is decoded only in the fields that are displayed.
    """
    display = decode_latex({name: fields.get(name, "") for name in _DISPLAYED})
    venue = (
        display["journal"]
        or display["journaltitle"]
        or display["booktitle"]
        or display["school"]
        or display["institution"]
        or display["howpublished"]
        or display["publisher"]
    )
    year = fields.get("year", "") or fields.get("date", "")[:4]
    flagged = fields.get(UNVERIFIED_FIELD, "")
    unverified = (
        [name.strip().lower() for name in re.split(r"[,;\s]+", flagged) if name.strip()]
        if flagged
        else []
    )
    return PaperValues(
        key=key,
        entry_type=entry_type,
        title=display["title"],
        year=year.strip(),
        venue=venue,
        volume=display["volume"],
        number=display["number"] or normalise(fields.get("issue", "")),
        pages=display["pages"].replace("--", "–"),
        doi=bare_doi(fields.get("doi", "")),
        url=fields.get("url", "").strip(),
        publisher=display["publisher"],
        abstract=display["abstract"],
        note=" ".join(part for part in (display["note"], display["annote"]) if part),
        keywords=display["keywords"],
        fields=fields,
        unverified=unverified,
        line=line,
        end_line=end_line,
    )


def resolve_value(raw: str, strings: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """Resolve one field value as BibTeX would: braces, quotes, numbers, macros and ``#``.

    Returns the value and a list of ``(code, message)`` issues: undefined
    macros, and text after a value that is neither ``#`` nor the end (which is
    how a missing comma between two fields shows up).
    """
    text = raw.strip()
    plain = _one_plain_value(text)
    if plain is not None:
        return plain, []
    issues: list[tuple[str, str]] = []
    parts: list[str] = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            if not parts or text.endswith("#"):
                issues.append(
                    ("unresolved-concat", "a value is missing around '#'")
                    if parts
                    else ("empty-value", "the value is empty")
                )
            break
        char = text[position]
        if char == "{":
            end = closing_delimiter(text, position)
            if end is None:
                issues.append(("syntax", "a '{' is never closed"))
                parts.append(text[position + 1 :])
                break
            parts.append(text[position + 1 : end])
            position = end + 1
        elif char == '"':
            end = closing_quote(text, position)
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
                issues.append(
                    (
                        "undefined-macro",
                        f"'{word}' is not a defined @string macro; put the value in "
                        f"braces or define it with @string{{{word} = {{...}}}}",
                    )
                )
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
        issues.append(
            (
                "missing-comma",
                f"unexpected text after the value: '{rest}' (a comma missing between two fields?)",
            )
        )
        break
    return "".join(parts), issues


def _one_plain_value(text: str) -> str | None:
    """The value of ``text`` when it is one braced or quoted string, or a number; else None.

    Most values are: answering them here spares the full reading of macros and ``#``.
    """
    first, last = text[:1], text[-1:]
    if (
        first == "{"
        and last == "}"
        and (
            (text.count("{") == 1 and text.count("}") == 1)
            or closing_delimiter(text, 0) == len(text) - 1
        )
    ):
        return text[1:-1]
    if (
        first == '"'
        and last == '"'
        and len(text) > 1
        and (
            (text.count('"') == 2 and "{" not in text and "}" not in text)
            or closing_quote(text, 0) == len(text) - 1
        )
    ):
        return text[1:-1]
    if text.isdigit() and _BARE_WORD.fullmatch(text):
        return text
    return None


_BRACES_AND_QUOTES = re.compile(r'[{}"]')


def closing_quote(text: str, start: int) -> int | None:
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


def raw_type(raw: str) -> str:
    """The ``type`` of a block written ``@type{...``, as the missing-key message names it."""
    return raw.lstrip()[1:].split("{", 1)[0].split("(", 1)[0].strip() or "misc"


def missing_key_message(entry_type: str) -> str:
    """What to say about an entry of type ``entry_type`` without a key."""
    return (
        f"@{entry_type} entry has no citation key: write one after the opening "
        f"brace, as in @{entry_type}{{smith2020title, ...}}"
    )
