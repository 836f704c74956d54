"""Severity by consequence: an error loses or changes what the user wrote; what BibTeX and
biber read without loss is at most a warning that says what BibTeX does with it.

Each case gives its severity, its line, the words of its message, and checks that the entries
around it are kept. pybtex's and biber's behaviour is noted where it differs from kg.
"""

from __future__ import annotations

import pytest

from kg.sources.bibtex import parse_bibtex
from tests.conftest import run_kg

BEFORE = "@article{before, author={Smith, Ann}, title={Before}, journal={J}, year=2001}\n"
AFTER = "@article{after, author={Doe, Bob}, title={After}, journal={J}, year=2002}\n"

CASES = [
    pytest.param(
        BEFORE + "}\n" + AFTER,
        ("warning", "stray-text", 2, "BibTeX ignores text between entries"),
        id="stray-brace-between-entries",  # pybtex: no error; biber: skips it
    ),
    pytest.param(
        BEFORE + "@Comment this is a remark\n" + AFTER,
        None,
        id="comment-without-braces",  # BibTeX's @comment skips the rest of the line; so does biber
    ),
    pytest.param(
        "@string{j = {Journal A}}\n"
        + BEFORE.replace("{J}", "j")
        + "@string{j = {Journal B}}\n"
        + AFTER,
        ("warning", "duplicate-string", 3, "BibTeX and biber use the later definition"),
        id="string-defined-twice",  # biber (btparse) warns and overrides; pybtex: no error
    ),
    pytest.param(
        BEFORE.replace("title={Before},", "title={Before},\n  % note = {draft},\n") + AFTER,
        ("warning", "commented-field", 2, "biber skips it"),
        id="field-commented-out",  # BibTeX: an error, then reads on; biber: a comment line
    ),
    pytest.param(
        BEFORE + "@article{before, author={X, Y}, title={Again}, journal={J}, year=2003}\n" + AFTER,
        ("error", "duplicate-key", 2, "this entry is ignored"),
        id="duplicate-entry-key",  # the second entry is dropped: an error everywhere
    ),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_each_shape_has_the_severity_of_its_consequence(text, expected):
    result = parse_bibtex(text, "refs.bib")
    found = [p for p in result.problems if p.code != "missing-field"]
    if expected is None:
        assert found == []
    else:
        severity, code, line, words = expected
        assert [(p.severity, p.code, p.line) for p in found] == [(severity, code, line)]
        assert words in found[0].message
    assert {"before", "after"} <= set(result.papers)  # the neighbours are kept


def test_a_redefined_string_is_used_from_where_it_is_redefined():
    text = (
        "@string{j = {Journal A}}\n"
        + BEFORE.replace("{J}", "j")
        + "@string{j = {Journal B}}\n"
        + AFTER.replace("{J}", "j")
    )
    papers = parse_bibtex(text, "refs.bib").papers
    assert (papers["before"].venue, papers["after"].venue) == ("Journal A", "Journal B")


def test_text_holding_fields_outside_an_entry_is_still_an_error():
    # An extra '}' cut the entry short: its last fields are lost, so this is an error.
    text = BEFORE.replace("journal={J}, year=2001}", "journal={J}}, year=2001}") + AFTER
    errors = [p for p in parse_bibtex(text, "refs.bib").problems if p.severity == "error"]
    assert [(p.code, p.line) for p in errors] == [("stray-text", 1)]


def test_producing_commands_work_on_what_could_be_read(workdir):
    (workdir / "references.bib").write_text(
        BEFORE + "@article{, title={No key}}\n" + AFTER, encoding="utf-8"
    )
    result = run_kg("render", "-o", "map.html")
    assert result.exit_code == 0
    assert "references.bib:2: error: " in result.stderr
    assert (
        "kg: 1 error in the sources (1 entry could not be read): working on what could be read"
        in result.stderr
    )
    html = (workdir / "map.html").read_text(encoding="utf-8")
    assert "1 entry could not be read — run kg check" in html
    strict = run_kg("render", "--strict", "-o", "strict.html")
    assert strict.exit_code == 1 and not (workdir / "strict.html").exists()
    assert "nothing was written" in strict.stderr


def test_a_clean_map_has_no_note(workdir):
    (workdir / "references.bib").write_text(BEFORE + AFTER, encoding="utf-8")
    assert run_kg("render", "-o", "map.html").exit_code == 0
    assert 'id="sources-note"' not in (workdir / "map.html").read_text(encoding="utf-8")


# -- errors at their origin --------------------------------------------------------------------

UNCLOSED_BRACE = (
    "@article{a,\n  title = {Unclosed title,\n  author = {X, Y},\n  year = 2000\n}\n" + AFTER
)
UNCLOSED_ENTRY = "@article{a,\n  author = {X, Y},\n  title = {T},\n  year = 2000\n\n" + AFTER
MISSING_COMMA = (
    "@article{a,\n  author = {X, Y},\n  title = {T}\n  journal = {J},\n  year = 2000\n}\n" + AFTER
)


@pytest.mark.parametrize(
    "text, line, words",
    [
        (
            BEFORE + UNCLOSED_BRACE,
            3,
            [
                "entry 'a', field 'title': the '{' opened here is never closed",
                "BibTeX reached line 7 still inside it",
            ],
        ),
        (
            BEFORE + UNCLOSED_ENTRY,
            2,
            ["entry 'a' has no closing '}'", "BibTeX reached line 7 still inside it"],
        ),
        (
            BEFORE + MISSING_COMMA,
            4,
            ["entry 'a', field 'title': unexpected text after the value", "a comma missing"],
        ),
    ],
    ids=["unclosed-brace", "entry-without-closing-brace", "missing-comma"],
)  # pybtex names the line where it gave up for the first two; biber the entry's first line
def test_an_error_is_reported_where_the_mistake_is(text, line, words):
    result = parse_bibtex(text, "refs.bib")
    [error] = [p for p in result.problems if p.severity == "error"]
    assert error.line == line
    for word in words:
        assert word in error.message
    assert {"before", "after"} <= set(result.papers)  # the neighbours are kept


def test_kg_add_names_the_line_of_the_pasted_text(workdir):
    (workdir / "references.bib").write_text(BEFORE, encoding="utf-8")
    result = run_kg("add", stdin=UNCLOSED_ENTRY)
    assert result.exit_code == 1
    assert result.stderr.startswith("<stdin>:1: error: entry 'a' has no closing '}'")
    assert "BibTeX reached line 6 still inside it" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["render", "-o", "out.html"], ["papers", "--concept", "x"], ["show", "before"], ["gaps"],
     ["path", "before", "after"], ["reading-list", "-o", "out.md"], ["export", "--format", "json", "-o", "out.json"]],
    ids=lambda args: args[0],
)  # fmt: skip
def test_every_producing_command_refuses_with_strict_and_writes_nothing(workdir, args):
    (workdir / "references.bib").write_text(
        BEFORE + "@article{, title={No key}}\n" + AFTER, encoding="utf-8"
    )
    result = run_kg(*args, "--strict")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "references.bib:2: error: " in result.stderr and "--strict" in result.stderr
    assert not list(workdir.glob("out.*"))
