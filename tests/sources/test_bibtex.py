"""The BibTeX loader: what it reads, and every problem it must report with its line."""

from __future__ import annotations

import pytest

from kg.sources import load
from kg.sources.bibtex import load_bibtex, parse_bibtex
from kg.sources.entries import resolve_value
from kg.sources.names import author_id_for
from kg.text import bare_doi


def codes(result) -> list[tuple[int, str, str]]:
    return [(p.line, p.severity, p.code) for p in result.problems]


def test_reads_a_clean_entry_with_latex_names_and_macros():
    text = (
        "@string{fp = {Family Process}}\n"
        "@Article{hernandez2007,\n"
        "  Author = {Hern{\\'a}ndez, Pilar and {Barnes and Noble, Inc.} and van Dernoot Lipsky, Laura},\n"
        "  Title = {Vicarious {R}esilience: A new concept},\n"
        "  journal = fp,\n"
        "  year = 2007,\n"
        "  month = jun,\n"
        "  pages = {229--241},\n"
        "  doi = {https://doi.org/10.1111/j.1545-5300.2007.00206.x},\n"
        "}\n"
    )
    result = parse_bibtex(text, "refs.bib")
    assert result.problems == []
    paper = result.papers["hernandez2007"]
    assert paper.title == "Vicarious Resilience: A new concept"
    assert paper.venue == "Family Process"
    assert paper.year == "2007"
    assert paper.pages == "229–241"
    assert paper.doi == "10.1111/j.1545-5300.2007.00206.x"
    assert paper.fields["month"] == "June"
    assert (paper.line, paper.end_line) == (2, 10)
    assert paper.authors == ["hernandez-p", "barnes-and-noble-inc", "van-dernoot-lipsky-l"]
    assert result.authors["hernandez-p"].name == "Pilar Hernández"
    assert result.authors["barnes-and-noble-inc"].name == "Barnes and Noble, Inc."
    assert result.authors["van-dernoot-lipsky-l"].family == "van Dernoot Lipsky"


def test_one_person_under_two_spellings_of_the_given_name_is_one_author():
    text = (
        "@book{a, author={Herman, J. L.}, title={T}, publisher={P}, year={1998}}\n"
        "@book{b, author={Herman, Judith Lewis}, title={U}, publisher={P}, year={1992}}\n"
    )
    result = parse_bibtex(text)
    assert list(result.authors) == ["herman-jl"]
    assert result.authors["herman-jl"].name == "Judith Lewis Herman"
    assert result.authors["herman-jl"].aliases == ["J. L. Herman"]


MALFORMED = [
    pytest.param("@misc{a, title={x}, year={1}}\n@misc{a, title={y}}\n",
                 [(2, "error", "duplicate-key")], id="duplicate-key"),
    pytest.param("@misc{Smith, title={x}}\n@misc{smith, title={y}}\n",
                 [(2, "error", "duplicate-key-case")], id="duplicate-key-differing-in-case"),
    pytest.param("@misc{a,\n title={x},\n Title={y}\n}\n",
                 [(3, "error", "duplicate-field")], id="duplicate-field-differing-in-case"),
    pytest.param("@misc{a,\n title={x},\n title={y}\n}\n",
                 [(3, "error", "duplicate-field")], id="duplicate-field"),
    pytest.param("@misc{title = {keyless}, year = 2000}\n",
                 [(1, "error", "syntax"), (1, "error", "stray-text")], id="entry-without-key"),
    pytest.param("@misc{}\n", [(1, "error", "missing-key")], id="empty-entry"),
    pytest.param("@misc{a,\n title = {x} year = {2000},\n}\n",
                 [(2, "error", "missing-comma")], id="missing-comma-between-fields"),
    pytest.param("@misc{a,\n title = {x}},\n year = {2000},\n}\n",
                 [(2, "error", "stray-text")], id="extra-brace-truncates-entry"),
    pytest.param("@misc{a, title = {x}}\n@article\n{b, title={t}}\n",
                 [(2, "error", "stray-text")], id="newline-between-type-and-brace"),
    pytest.param("@misc{a,\n journal = undefinedmacro,\n}\n",
                 [(2, "error", "undefined-macro")], id="undefined-string-macro"),
    pytest.param("@string{a = {x}}\n@misc{k,\n note = a # ,\n}\n",
                 [(3, "error", "unresolved-concat")], id="dangling-concatenation"),
    pytest.param("@misc{k,\n note = a # {y},\n}\n",
                 [(2, "error", "undefined-macro")], id="concatenation-with-undefined-macro"),
    pytest.param("@misc{a, title={x}\n@misc{b, title={y}}\n",
                 [(1, "error", "syntax")], id="unclosed-entry"),  # at its origin, not at line 2
    pytest.param("@misc{a,\n  % a comment\n  title = {x}\n}\n",
                 [(2, "error", "field-name")], id="percent-comment-inside-entry"),
    pytest.param("@misc{a,\\\n  author = {}\n}\n",
                 [(1, "error", "field-name")], id="stray-backslash-before-a-field-name"),
    pytest.param("text with an @ sign\n@misc{a, title={x}}\n",
                 [(1, "error", "stray-at")], id="stray-at-sign"),
    pytest.param("@article{a, title={x}}\n", [(1, "warning", "missing-field")], id="missing-required-fields"),
    pytest.param("@misc{a, title={x}, unverified={pages, doi}}\n",
                 [(1, "warning", "unverified")], id="unverified-flag"),
    pytest.param("@inproceedings{a, author={A, B}, title={x}, crossref={nowhere}, year={1}}\n",
                 [(1, "warning", "crossref-missing"), (1, "warning", "missing-field")],
                 id="missing-crossref-target"),
]  # fmt: skip


@pytest.mark.parametrize("text, expected", MALFORMED)
def test_malformed_input_is_reported_with_its_line(text, expected):
    assert codes(parse_bibtex(text, "refs.bib")) == expected


def test_crossref_supplies_required_fields():
    text = (
        "@inproceedings{part, author={A, B}, title={x}, crossref={whole}}\n"
        "@proceedings{whole, title={Proceedings}, year={2000}}\n"
    )
    assert parse_bibtex(text).problems == []


def test_missing_comma_message_says_what_to_fix():
    result = parse_bibtex("@misc{a,\n title = {x} year = {2000},\n}\n", "refs.bib")
    assert result.problems[0].format() == (
        "refs.bib:2: error: entry 'a', field 'title': unexpected text after the value: "
        "'year = {2000}' (a comma missing between two fields?)"
    )


def test_undefined_macro_message():
    result = parse_bibtex("@misc{a,\n journal = jtp,\n}\n", "refs.bib")
    assert result.problems[0].format() == (
        "refs.bib:2: error: entry 'a', field 'journal': 'jtp' is not a defined @string macro; "
        "put the value in braces or define it with @string{jtp = {...}}"
    )


def test_percent_comments_outside_entries_are_fine():
    text = "% a comment with = and } in it\n@misc{a, title={x}}\n"
    assert parse_bibtex(text).problems == []


def test_not_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "latin1.bib"
    path.write_bytes("@misc{a,\n  title = {Caf\u00e9}\n}\n".encode("latin-1"))
    result = load_bibtex(path, "latin1.bib")
    assert result.papers["a"].title == "Caf\u00e9"  # read as Windows-1252, as BibTeX reads bytes
    [problem] = result.problems
    assert (problem.line, problem.column, problem.code) == (2, 15, "encoding")
    assert problem.format().startswith(
        "latin1.bib:2:15: warning: byte 0xE9 at column 15 is not UTF-8: the file is read as Windows-1252"
    )
    # --encoding names it: no warning then.
    assert load(path, encoding="latin-1", use_cache=False).problems == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_is_refused_clearly(tmp_path, encoding):
    path = tmp_path / "wide.bib"
    path.write_bytes("@misc{a, title={x}}\n".encode(encoding))
    [problem] = load_bibtex(path).problems
    assert problem.code == "encoding"
    assert "UTF-16" in problem.message


def test_utf8_bom_and_crlf_load(tmp_path):
    path = tmp_path / "bom.bib"
    path.write_bytes(b"\xef\xbb\xbf@misc{a,\r\n  title = {x},\r\n}\r\n@misc{b, title={y}}\r\n")
    result = load_bibtex(path)
    assert result.problems == []
    assert list(result.papers) == ["a", "b"]
    assert result.papers["b"].line == 4


def test_resolve_value_forms():
    strings = {"fp": "Family Process"}
    assert resolve_value("{A {B} c}", strings) == ("A {B} c", [])
    assert resolve_value('"A {"} b"', strings) == ('A {"} b', [])
    assert resolve_value("fp # { 46}", strings) == ("Family Process 46", [])
    assert resolve_value("2007", strings) == ("2007", [])
    assert resolve_value("FP", strings) == ("Family Process", [])


def test_doi_and_author_id_helpers():
    assert bare_doi("doi: 10.1/ABC") == "10.1/ABC"
    assert bare_doi("http://dx.doi.org/10.1/x") == "10.1/x"
    assert author_id_for("Hernández-Wolfe", "Pilar") == "hernandez-wolfe-p"
    assert author_id_for("van Dernoot Lipsky", "Laura") == "van-dernoot-lipsky-l"


def test_shipped_bibliography_is_clean_but_flags_unverified_fields(shipped_bib):
    result = load_bibtex(shipped_bib, "references.bib")
    assert [p for p in result.problems if p.severity == "error"] == []
    assert {p.code for p in result.problems} == {"unverified"}
    seeds = ["hernandez2007vicarious", "engstrom2008vicarious", "hernandez2010exploring",
             "pack2013vicarious", "pack2014vicarious"]  # fmt: skip
    assert all(key in result.papers for key in seeds)
    assert result.papers["pack2014vicarious"].venue == "Affilia: Journal of Women and Social Work"
    assert result.papers["hernandez2007vicarious"].doi == "10.1111/j.1545-5300.2007.00206.x"
    assert "doi" not in result.papers["engstrom2008vicarious"].fields
    assert set(result.papers["pack2013vicarious"].unverified) >= {"volume", "pages"}
