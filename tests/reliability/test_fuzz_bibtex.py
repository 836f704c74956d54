"""Fuzzing the BibTeX loader: written files are read whole, damaged ones never crash it.

The generator writes entries with random fields and values (nested braces,
quotes, numbers, @string macros and ``#`` concatenation, LaTeX, non-ASCII
text, CRLF line ends) between @comment, @preamble and ``%`` lines. Then the
corruption step deletes braces, commas and quotes, inserts stray text and
bytes, truncates the file and repeats lines.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.sources import load
from kg.sources.bibtex import load_bibtex, parse_bibtex

from .helpers import assert_problems_located, count_lines, fuzz_settings
from .strategies import bibtex_files, corrupted, corruptions


@pytest.mark.slow
@fuzz_settings()
@given(bibtex_files())
def test_a_well_formed_file_is_read_whole(generated):
    text, keys = generated
    result = parse_bibtex(text, "refs.bib")
    assert_problems_located(result.problems, "refs.bib", text)
    errors = [problem for problem in result.problems if problem.severity == "error"]
    assert errors == []
    assert list(result.papers) == keys
    for paper in result.papers.values():
        assert 1 <= paper.line <= paper.end_line <= count_lines(text)
        assert "\ufffd" not in paper.title


@pytest.mark.slow
@fuzz_settings(1.5)
@given(corrupted(bibtex_files()))
def test_a_damaged_file_gives_located_problems_and_never_raises(text):
    result = parse_bibtex(text, "refs.bib")
    assert_problems_located(result.problems, "refs.bib", text)
    for paper in result.papers.values():
        assert 1 <= paper.line <= paper.end_line <= count_lines(text)


@pytest.mark.slow
@fuzz_settings(0.75)
@given(bibtex_files(), corruptions, st.lists(st.tuples(st.integers(0, 1 << 20), st.binary(min_size=1, max_size=3)),
                                             max_size=4))  # fmt: skip
def test_damaged_bytes_on_disk_give_located_problems(
    tmp_path_factory, generated, damage, raw_bytes
):
    from .strategies import _apply

    data = _apply(generated[0], damage).encode("utf-8")
    for where, chunk in raw_bytes:
        index = where % (len(data) + 1)
        data = data[:index] + chunk + data[index:]
    path = tmp_path_factory.mktemp("bib") / "refs.bib"
    path.write_bytes(data)
    result = load_bibtex(path, "refs.bib")
    text = data.decode("utf-8", errors="replace")
    assert_problems_located(result.problems, "refs.bib", text)
    for paper in result.papers.values():
        assert (
            "\ufffd" not in paper.title + paper.venue + "".join(paper.authors) or "\ufffd" in text
        )


@fuzz_settings(0.4)
@given(corrupted(bibtex_files()))
def test_the_whole_pipeline_never_raises_on_a_damaged_bibliography(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("project")
    (folder / "references.bib").write_text(text, encoding="utf-8")
    (folder / "concepts.yaml").write_text(
        "version: 1\nconcepts:\n  - id: a\n    papers: [x]\n", encoding="utf-8"
    )
    corpus = load(folder / "references.bib", folder / "concepts.yaml", use_cache=False)
    bib_problems = [p for p in corpus.problems if p.file.endswith("references.bib")]
    assert_problems_located(bib_problems, str(folder / "references.bib"), text)


LATEX = [
    r"\href{javascript:window.__xss=1}{click}",
    r"\url{http://example.org/a_b%20c}",
    r"\textbf{bold} \emph{it} \textit{x}",
    r"\cite{other} \ref{x} \label{y}",
    r"\verb|x| \verb+y+",
    r"\begin{itemize}\item one\end{itemize}",
    r"$\frac{1}{2}$ and $$x$$ and $",
    r"\newcommand{\x}{y}\x",
    r"\unknownmacro{a}{b}[c]",
    r"\c{c}\v{s}\H{o}\k{a}\r{a}\u{g}\'{\i}",
    r"{\"}\"\'\^\`\~\=\.",
    r"\\ \par \newline",
    r"\ ",
    r"\csname relax\endcsname",
]


@pytest.mark.parametrize("latex", LATEX)
@pytest.mark.parametrize("field", ["title", "author", "journal", "note", "editor", "publisher"])
def test_latex_in_any_displayed_field_never_crashes(latex, field):
    text = f"@article{{k,\n  {field} = {{{latex}}},\n  year = 2020,\n}}\n"
    result = parse_bibtex(text, "refs.bib")
    assert list(result.papers) == ["k"]
    assert_problems_located(result.problems, "refs.bib", text)


def test_a_double_backslash_before_a_closing_brace_is_reported_not_lost_silently():
    text = ("@article{a,\n  title = {Ends with a line break \\\\},\n  year = 2000\n}\n\n"
            "@article{b,\n  title = {B},\n  year = 2001\n}\n")  # fmt: skip
    result = parse_bibtex(text, "refs.bib")
    assert "b" in result.papers
    if "a" not in result.papers:
        assert any(p.severity == "error" and p.code == "syntax" for p in result.problems)


def test_a_double_backslash_before_a_closing_brace_is_read_as_bibtex_does():
    text = "@article{a,\n  title = {Ends with a line break \\\\},\n  year = 2000\n}\n"
    assert list(parse_bibtex(text, "refs.bib").papers) == ["a"]


author_lists = st.lists(
    st.sampled_from(
        [
            "a",
            "n",
            "d",
            "A",
            "N",
            "D",
            "and",
            " and ",
            "AND",
            " ",
            "\t",
            "\n",
            "\r",
            "x",
            "Y",
            "~",
            ",",
            ".",
            "\u00a0",
            "é",
            "{",
            "}",
            "\\",
            "{and}",
            "\\&",
        ]
    ),
    max_size=16,
).map("".join)


@fuzz_settings(2)
@given(author_lists)
def test_author_lists_are_split_exactly_as_bibtexparser_splits_them(value):
    from bibtexparser.middlewares.names import split_multiple_persons_names

    from kg.sources.names import split_names

    assert split_names(value) == split_multiple_persons_names(value)


@fuzz_settings()
@given(st.text(max_size=30))
def test_slugs_of_ascii_text_skip_normalising_but_do_not_change(text):
    import re
    import unicodedata

    from kg.sources.names import slugify

    normalised = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    assert slugify(text) == re.sub(r"[^a-z0-9]+", "-", normalised.lower()).strip("-")
