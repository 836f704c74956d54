"""BibTeX export: the entries as written, plus keywords; bibtexparser reads them back."""

from __future__ import annotations

import io

import bibtexparser
import pytest

from export.helpers import BIB_TEXT
from kg.export import bibtex
from kg.export.select import neighbourhood

EXPECTED_HOSTILE = """@string{fp = "Family Process"}

@article{hernandez2007vicarious,
  author   = {Hernández, Pilar and O'Brien, Seán},
  title    = {Vicarious resilience: {A} new concept \\& more},
  journal  = fp,
  year     = {2007},
  keywords = {trauma; Vicarious resilience; Objective 1a},
}

@book{obrien2010book,
  author = {O'Brien, Seán},
  title = "A book with {"}quotes{"} in it",
  publisher = {Ünïcode Press},
  year = 2010,
  keywords = {vicarious-trauma, Objective 1a}
}

@misc{lonely2020,
  title = {Nobody links to me},
  year  = {in press},
}
"""


def _parse(text: str):
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return library


def test_entries_as_written_with_keywords(hostile_graph, hostile_corpus, tmp_path):
    path = tmp_path / "out.bib"
    bibtex.write(hostile_graph, hostile_corpus, path)
    assert path.read_text(encoding="utf-8") == EXPECTED_HOSTILE


def test_bibtexparser_reads_keys_and_keywords_back(hostile_graph, hostile_corpus):
    library = _parse(bibtex.render(hostile_graph, hostile_corpus).decode("utf-8"))
    assert [entry.key for entry in library.entries] == [
        "hernandez2007vicarious",
        "obrien2010book",
        "lonely2020",
    ]
    keywords = {entry.key: entry.fields_dict.get("keywords") for entry in library.entries}
    assert keywords["hernandez2007vicarious"].value == "trauma; Vicarious resilience; Objective 1a"
    assert keywords["obrien2010book"].value == "vicarious-trauma, Objective 1a"
    assert keywords["lonely2020"] is None
    # the @string macro still resolves
    assert library.entries[0].fields_dict["journal"].value == "Family Process"


def test_a_filter_selects_entries_in_file_order(hostile_graph, hostile_corpus):
    part = neighbourhood(hostile_graph, concepts=["concept:vicarious-trauma"])
    library = _parse(bibtex.render(part, hostile_corpus).decode("utf-8"))
    assert [entry.key for entry in library.entries] == ["obrien2010book"]


def test_bytes_that_are_not_utf8_come_out_unchanged(hostile_graph, hostile_corpus, tmp_path):
    bib = tmp_path / "references.bib"
    raw = BIB_TEXT.encode("utf-8").replace("Ünïcode".encode(), b"\xdcn\xefcode")  # Latin-1 bytes
    bib.write_bytes(raw)
    out = io.BytesIO()
    bibtex.write(hostile_graph, hostile_corpus, out)
    assert b"{\xdcn\xefcode Press}" in out.getvalue()


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("@misc{k,\n  title = {T}\n}", "@misc{k,\n  title = {T},\n  keywords = {A, B}\n}"),
        ("@misc{k,\n  title = {T},\n}", "@misc{k,\n  title = {T},\n  keywords = {A, B},\n}"),
        ("@misc{k, title={T}}", "@misc{k, title={T},\n  keywords = {A, B}\n}"),
        ("@misc(k,\n  title = {T}\n)", "@misc(k,\n  title = {T},\n  keywords = {A, B}\n)"),
        ("@misc{k,\n  keywords = {x, a},\n}", "@misc{k,\n  keywords = {x, a, B},\n}"),
        ("@misc{k,\n  keywords = {},\n}", "@misc{k,\n  keywords = {A, B},\n}"),
        ('@misc{k,\n  Keywords = "x {y}",\n}', '@misc{k,\n  Keywords = "x {y}, A, B",\n}'),
        ("@misc{k,\n  keywords = kw,\n}", "@misc{k,\n  keywords = kw # {, A, B},\n}"),
        ("@misc{k,\n  keywords = {x; y},\n}", "@misc{k,\n  keywords = {x; y; A; B},\n}"),
        ("@misc{k,\n  keywords = {A, b},\n}", "@misc{k,\n  keywords = {A, b},\n}"),
        (
            "@misc{k,\n  title = {T {nested} }}",
            "@misc{k,\n  title = {T {nested} },\n  keywords = {A, B}\n}",
        ),
        ("@misc{k,\n  title = {unclosed\n", "@misc{k,\n  title = {unclosed\n"),
    ],
    ids=[
        "no-comma",
        "trailing-comma",
        "one-line",
        "parentheses",
        "merge",
        "empty",
        "quoted",
        "macro",
        "semicolons",
        "all-present",
        "nested",
        "unreadable-unchanged",
    ],
)
def test_add_keywords(entry, expected):
    assert bibtex.add_keywords(entry, ["A", "B"]) == expected


def test_every_shipped_entry_round_trips(shipped_graph, shipped_corpus, shipped_bib):
    text = bibtex.render(shipped_graph, shipped_corpus).decode("utf-8")
    library = _parse(text)
    source = shipped_bib.read_text(encoding="utf-8")

    assert sorted(entry.key for entry in library.entries) == sorted(shipped_corpus.papers)
    for entry in library.entries:
        paper = shipped_corpus.papers[entry.key]
        as_written = bibtex.entry_text(source, paper.line, paper.end_line).strip("\n")
        assert as_written.startswith("@") and as_written.endswith("}")
        terms = bibtex.keyword_terms(entry.key, shipped_corpus)
        assert bibtex.add_keywords(as_written, terms) in text
        if terms:
            written = entry.fields_dict["keywords"].value.lower()
            assert all(term.lower() in written for term in terms)


def test_preamble_and_crossref_entries_are_exported_as_written(tmp_path):
    from kg.graph import build_graph
    from kg.sources import load

    source = (
        '@preamble{"\\newcommand{\\noopsort}[1]{}"}\n\n'
        "@string{aaai = {{AAAI} Press}}\n\n"
        "@inproceedings{part,\n  author = {Doe, Jane},\n  title = {A $A^*$ variant},\n"
        "  crossref = {whole},\n  pages = {1--2}\n}\n\n"
        "@proceedings{whole,\n  title = {Proceedings of the\n    Conference},\n"
        "  publisher = aaai,\n  year = 1999\n}\n"
    )
    bib = tmp_path / "refs.bib"
    bib.write_text(source, encoding="utf-8")
    corpus = load(bib, use_cache=False)
    assert corpus.papers["part"].inherited == {
        "booktitle": "whole",
        "publisher": "whole",
        "year": "whole",
    }
    assert bibtex.render(build_graph(corpus), corpus).decode("utf-8") == source
