"""Hypothesis strategies that write BibTeX and concepts YAML, then damage it.

The builders write files a careful author could have written (so the loader
must read every entry), and the corruptions make the mistakes people and
tools make: a deleted brace, comma or quote, an inserted stray byte, a file
cut short, a line pasted twice.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st

FIELD_NAMES = ("author", "title", "journal", "year", "volume", "number", "pages", "doi", "url",
               "note", "publisher", "booktitle", "editor", "abstract", "keywords", "month",
               "crossref", "unverified", "annote", "school", "institution")  # fmt: skip
ENTRY_TYPES = ("article", "book", "inproceedings", "incollection", "misc", "phdthesis",
               "techreport", "unpublished", "online", "ARTICLE", "Book")  # fmt: skip

#: Characters that matter to BibTeX or YAML, mixed with ordinary and non-ASCII text.
SPECIAL = "{}\"@,=#%\\()[]:-*&!|>'~$\t"
UNICODE = "éüñøßçğřžőłąΩжЖ漢字한국어🙂\u2028\u00a0\u200b"
TEXT_ALPHABET = string.ascii_letters + string.digits + "  .;:-'/" + UNICODE

plain_words = st.text(alphabet=string.ascii_letters + string.digits + " .-:;'/" + UNICODE, min_size=1,
                      max_size=30).map(lambda s: s.strip() or "x")  # fmt: skip
identifiers = st.from_regex(r"[a-z][a-z0-9_\-:]{0,15}", fullmatch=True)


@st.composite
def balanced_text(draw, depth: int = 0) -> str:
    """Text with balanced braces (the only kind BibTeX accepts inside a value)."""
    parts = draw(st.lists(st.one_of(
        plain_words,
        st.sampled_from(["\\'e", '\\"{o}', "\\c{c}", "{\\ss}", "$x^2$", "--", "~", "\\&", '"', "@",
                         "%", "#", ",", "=", "(", ")", "\\textbf{b}", "\\href{javascript:x}{y}", "\\emph{e}", "\\url{http://x.org/a_b}",
                         "<b>", "\\\\ x", "{\\o}", "\\LaTeX", "\\%"]),
        *( [balanced_text(depth + 1).map(lambda inner: "{" + inner + "}")] if depth < 3 else [] ),
    ), max_size=6))  # fmt: skip
    return " ".join(parts)


@st.composite
def field_values(draw, macros: list[str]) -> tuple[str, str]:
    """A field value as written, and the raw value kg should keep (outer braces removed)."""
    form = draw(st.sampled_from(["braces", "quotes", "number", "macro", "concat"] if macros
                                else ["braces", "quotes", "number"]))  # fmt: skip
    if form == "braces":
        text = draw(balanced_text())
        return "{" + text + "}", None
    if form == "quotes":
        text = draw(balanced_text()).replace('"', "")
        return '"' + text + '"', None
    if form == "number":
        number = str(draw(st.integers(0, 99999)))
        return number, number
    if form == "macro":
        return draw(st.sampled_from(macros)), None
    left = draw(st.sampled_from(macros))
    right = draw(balanced_text())
    return f"{left} # {{{right}}}", None


@st.composite
def bibtex_files(draw) -> tuple[str, list[str]]:
    """A well-formed bibliography and the keys of its entries, in order."""
    chunks: list[str] = []
    macros: list[str] = []
    keys: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["entry", "entry", "entry", "string", "comment", "percent",
                                     "preamble", "blank"]))  # fmt: skip
        if kind == "string":
            name = draw(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True))
            if name in macros or name in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                          "sep", "oct", "nov", "dec"):  # fmt: skip
                continue
            value = "{" + draw(balanced_text()) + "}"
            chunks.append(f"@string{{{name} = {value}}}")
            macros.append(name)
        elif kind == "comment":
            chunks.append("@comment{" + draw(balanced_text()) + "}")
        elif kind == "percent":
            chunks.append("% " + draw(plain_words))
        elif kind == "preamble":
            chunks.append('@preamble{"' + draw(plain_words).replace('"', "") + '"}')
        elif kind == "blank":
            chunks.append("")
        else:
            key = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9_:\-.]{0,20}", fullmatch=True))
            if key.lower() in {k.lower() for k in keys}:
                continue
            keys.append(key)
            names = draw(st.lists(st.sampled_from(FIELD_NAMES), unique=True, max_size=8))
            fields = []
            for name in names:
                value, _ = draw(field_values(macros))
                separator = draw(st.sampled_from([" = ", "=", "  =\t", " =\n    "]))
                fields.append(f"{name}{separator}{value}")
            opener, closer = (
                draw(st.sampled_from([("{", "}"), ("(", ")")])) if "(" not in key else ("{", "}")
            )
            trailing = draw(st.sampled_from(["", ",", ",\n"]))
            join = draw(st.sampled_from([",\n  ", ", ", ",\n"]))
            body = join.join([key, *fields]) + trailing
            chunks.append(f"@{draw(st.sampled_from(ENTRY_TYPES))}{opener}{body}\n{closer}")
    text = "\n".join(chunks) + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text, keys


def _apply(text: str, operations) -> str:
    for operation, where, payload in operations:
        if not text:
            text = payload
            continue
        index = where % len(text)
        if operation == "delete":
            text = text[:index] + text[index + len(payload) + 1 :]
        elif operation == "delete-char":
            target = payload[:1] or "{"
            found = text.find(target, index)
            if found == -1:
                found = text.find(target)
            if found != -1:
                text = text[:found] + text[found + 1 :]
        elif operation == "insert":
            text = text[:index] + payload + text[index:]
        elif operation == "truncate":
            text = text[:index]
        elif operation == "duplicate-line":
            lines = text.split("\n")
            line = where % len(lines)
            lines.insert(line, lines[line])
            text = "\n".join(lines)
        elif operation == "swap-lines":
            lines = text.split("\n")
            a, b = where % len(lines), len(payload) % len(lines)
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text


corruption_payloads = st.one_of(
    st.sampled_from(
        [
            "{",
            "}",
            ",",
            '"',
            "@",
            "=",
            "#",
            "%",
            "\\",
            "(",
            ")",
            "\n",
            "\r",
            "\t",
            "\x00",
            "\ufeff",
            "\ufffd",
            "@article{",
            "}}}",
            "{{{",
            "@string{x=",
            "\u2028",
            ": ",
            "- ",
            "&a",
            "*a",
            "!!python/object:os.system",
            "---",
            "...",
            "? ",
            "|",
            ">",
        ]
    ),
    st.text(min_size=1, max_size=8),
)

corruptions = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "delete",
                "delete-char",
                "delete-char",
                "insert",
                "insert",
                "truncate",
                "duplicate-line",
                "swap-lines",
            ]
        ),
        st.integers(0, 1 << 20),
        corruption_payloads,
    ),
    min_size=1,
    max_size=6,
)


@st.composite
def corrupted(draw, files) -> str:
    """A file from ``files`` (a strategy giving ``(text, ...)``) with random damage."""
    text = draw(files)[0]
    return _apply(text, draw(corruptions))


# ---------------------------------------------------------------- concepts YAML

yaml_scalars = st.one_of(
    plain_words,
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "off",
            "true",
            "1",
            "1.5",
            "0x1F",
            "null",
            "~",
            "1a",
            "2020-01-01",
            "'quoted'",
            '"dq"',
            "a: b",
            "- x",
            "#hash",
            "&anchor",
            "*alias",
            "!tag",
            "|",
            ">",
            "{a: 1}",
            "[1, 2]",
            "%",
            "@",
            "`",
            "\t",
        ]
    ),
    st.text(alphabet=TEXT_ALPHABET + SPECIAL, max_size=40),
)


def _quote(value: str, style: str) -> str:
    if style == "plain":
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return (
        '"'
        + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        + '"'
    )


@st.composite
def yaml_value(draw) -> str:
    return _quote(
        draw(yaml_scalars), draw(st.sampled_from(["plain", "single", "double", "double"]))
    )


@st.composite
def concepts_files(draw) -> tuple[str, list[str]]:
    """A concepts file shaped like the real format, with arbitrary scalars in it."""
    lines = [draw(st.sampled_from(["version: 1", "version: 1", "version: 2", "version: '1'", ""]))]
    if draw(st.booleans()):
        lines.append(f"title: {draw(yaml_value())}")
    concept_ids = []
    sections = draw(st.lists(st.sampled_from(["concepts", "objectives", "quotes", "authors", "extra"]),
                             unique=True, max_size=5))  # fmt: skip
    for section in sections:
        lines.append(f"{section}:")
        for _ in range(draw(st.integers(0, 4))):
            ident = draw(st.one_of(identifiers, st.sampled_from(["1a", "2b", "yes", "3"])))
            if section == "concepts":
                concept_ids.append(ident)
                lines.append(f"  - id: {ident}")
                lines.append(f"    label: {draw(yaml_value())}")
                if draw(st.booleans()):
                    lines.append(f"    definition: {draw(yaml_value())}")
                if draw(st.booleans()):
                    lines.append(
                        f"    aliases: [{', '.join(draw(st.lists(yaml_value(), max_size=3)))}]"
                    )
                if draw(st.booleans()):
                    lines.append("    papers:")
                    for _ in range(draw(st.integers(0, 3))):
                        lines.append(f"      - key: {draw(identifiers)}")
                        lines.append(
                            f"        strength: {draw(st.sampled_from(['supported', 'weak', 'inferred', 'strong']))}"
                        )
                        lines.append(f"        reason: {draw(yaml_value())}")
                if draw(st.booleans()) and concept_ids:
                    lines.append("    relations:")
                    lines.append(
                        f"      - type: {draw(st.sampled_from(['contrasts-with', 'part-of', 'bogus']))}"
                    )
                    lines.append(f"        concept: {draw(st.sampled_from(concept_ids))}")
            elif section == "objectives":
                lines.append(f"  - id: {ident}")
                lines.append(
                    f"    domain: {draw(st.sampled_from(['knowledge', 'skill', 'attitude', 'other']))}"
                )
                lines.append(f"    text: {draw(yaml_value())}")
                if concept_ids:
                    lines.append(f"    concepts: [{draw(st.sampled_from(concept_ids))}]")
            elif section == "quotes":
                lines.append(f"  - id: {ident}")
                lines.append(f"    text: {draw(yaml_value())}")
                lines.append(f"    speaker: {draw(yaml_value())}")
                lines.append(f"    note: {draw(yaml_value())}")
            elif section == "authors":
                lines.append(f"  - name: {draw(yaml_value())}")
                lines.append(
                    f"    aliases: [{', '.join(draw(st.lists(yaml_value(), max_size=2)))}]"
                )
            else:
                lines.append(f"  key: {draw(yaml_value())}")
        if draw(st.booleans()):
            lines.append("# " + draw(plain_words))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from(["", newline])), concept_ids
