"""Cross-references resolved as BibTeX and biblatex resolve them (kg.sources.crossref)."""

from __future__ import annotations

from kg.sources.bibtex import parse_bibtex


def read(text: str):
    return parse_bibtex(text, "refs.bib", workers=1)


def problems(result) -> list[str]:
    return [problem.format() for problem in result.problems]


def test_a_missing_field_is_taken_from_the_target_and_the_title_becomes_the_booktitle():
    result = read(
        "@inproceedings{part, author = {Doe, Jane}, title = {Part}, crossref = {whole},\n"
        "  pages = {1--2}, year = 2002}\n"
        "@proceedings{whole, title = {Proceedings of {ICAPS}}, editor = {Roe, Rich},\n"
        "  publisher = {AAAI Press}, year = 2001, doi = {10.1/whole}, abstract = {About it}}\n"
    )
    part = result.papers["part"]
    assert (part.title, part.venue, part.year, part.publisher) == (
        "Part", "Proceedings of ICAPS", "2002", "AAAI Press")  # fmt: skip
    assert part.inherited == {"booktitle": "whole", "editor": "whole", "publisher": "whole"}
    assert part.fields["booktitle"] == "Proceedings of {ICAPS}"  # as written, for citations
    # The container's identifiers and abstract are its own; its editors are cited, not linked.
    assert part.doi == "" and part.abstract == "" and "doi" not in part.fields
    assert part.editors == [] and part.editor_names == [{"family": "Roe", "given": "Rich"}]
    assert problems(result) == []


def test_a_parent_booktitle_wins_over_its_mapped_title():
    result = read(
        "@inproceedings{p, author = {A, B}, title = {T}, crossref = {w}}\n"
        "@proceedings{w, title = {Long title}, booktitle = {Book title}, year = 1991}\n"
    )
    assert result.papers["p"].venue == "Book title"


def test_biblatex_type_mappings():
    result = read(
        "@book{vol, title = {Volume Two}, crossref = {mv}}\n"
        "@mvbook{mv, title = {Collected Works}, subtitle = {All}, author = {Doe, Jane},\n"
        "  publisher = {P}, year = 1970}\n"
        "@inbook{ch, title = {Chapter}, crossref = {bk}, pages = {3--4}}\n"
        "@book{bk, title = {The Book}, author = {Roe, Rich}, publisher = {Q}, year = 1980}\n"
        "@article{art, author = {A, B}, title = {Art}, crossref = {per}}\n"
        "@periodical{per, title = {Journal X}, year = 1990, volume = 7}\n"
    )
    papers = result.papers
    assert papers["vol"].fields["maintitle"] == "Collected Works"
    assert papers["vol"].fields["mainsubtitle"] == "All"
    assert papers["vol"].title == "Volume Two" and papers["vol"].authors == ["doe-j"]
    assert papers["ch"].fields["booktitle"] == "The Book"
    assert papers["ch"].fields["bookauthor"] == "Roe, Rich"
    assert papers["ch"].venue == "The Book" and papers["ch"].year == "1980"
    assert papers["art"].fields["journaltitle"] == "Journal X"
    assert (papers["art"].venue, papers["art"].volume) == ("Journal X", "7")


def test_chains_are_followed_and_the_origin_of_each_field_kept():
    result = read(
        "@inproceedings{p, author = {A, B}, title = {T}, crossref = {vol}}\n"
        "@proceedings{vol, title = {Volume}, crossref = {series}}\n"
        "@mvproceedings{series, title = {Series}, year = 2004, publisher = {S}}\n"
    )
    paper = result.papers["p"]
    assert paper.year == "2004" and paper.venue == "Volume"
    assert paper.inherited == {"booktitle": "vol", "maintitle": "series", "year": "series",
                               "publisher": "series"}  # fmt: skip
    assert problems(result) == []


def test_missing_targets_and_loops_are_warnings_naming_file_and_line():
    result = read(
        "@inproceedings{lost, author = {A, B}, title = {T}, crossref = {nowhere}, year = 1}\n"
        "@inproceedings{one, author = {A, B}, title = {T}, crossref = {two}}\n"
        "@proceedings{two, title = {P}, year = 1999, crossref = {one}}\n"
    )
    assert problems(result) == [
        "refs.bib:1: warning: entry 'lost' cross-references 'nowhere', which is not in the file: "
        "it inherits nothing from it",
        "refs.bib:1: warning: @inproceedings 'lost' lacks booktitle",
        "refs.bib:2: warning: entry 'one': crossref chain loops back (one -> two -> one); "
        "the loop is cut there",
    ]
    assert result.papers["one"].year == "1999"  # what could be inherited still is


def test_xdata_is_taken_as_written_before_crossref_and_xdata_entries_leave():
    result = read(
        "@article{a, author = {A, B}, title = {T}, xdata = {j, y}}\n"
        "@xdata{j, journaltitle = {Journal J}, volume = {3}}\n"
        "@xdata{y, year = 2000, volume = {9}}\n"
        "@article{b, author = {A, B}, title = {T}, xdata = {gone}, journal = {J}, year = 1}\n"
    )
    assert list(result.papers) == ["a", "b"]
    paper = result.papers["a"]
    assert (paper.venue, paper.volume, paper.year) == ("Journal J", "3", "2000")
    assert problems(result) == [
        "refs.bib:4: warning: entry 'b' takes xdata from 'gone', which is not in the file: "
        "it inherits nothing from it"
    ]


def test_an_entry_keeps_its_own_fields():
    result = read(
        "@inproceedings{p, author = {A, B}, title = {T}, booktitle = {Own}, year = 2000,\n"
        "  crossref = {w}}\n@proceedings{w, title = {Theirs}, year = 1999, note = {N}}\n"
    )
    paper = result.papers["p"]
    assert (paper.venue, paper.year, paper.note) == ("Own", "2000", "N")
    assert paper.inherited == {"note": "w"}


def test_a_very_long_chain_is_cut_with_a_warning():
    text = "".join(
        f"@misc{{e{n}, title = {{T{n}}}, crossref = {{e{n + 1}}}}}\n" for n in range(300)
    )
    result = read(text + "@misc{e300, title = {End}, year = 2000}\n")
    codes = [problem.code for problem in result.problems]
    assert codes and set(codes) == {"crossref-chain"}  # once each place the chain is cut
    assert result.papers["e280"].year == "2000"
