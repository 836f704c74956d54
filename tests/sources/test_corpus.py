"""Real BibTeX written by other projects (../shared/corpus), read in place.

pybtex's own test suite says which of its inline cases are errors; that is
the oracle here. kg follows BibTeX where it can and is stricter where
bibtexparser would silently lose or change data: each difference is listed
below with the reason.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.sources.bibtex import load_bibtex
from tests.conftest import CORPUS

ALL_FILES = sorted(CORPUS.glob("*/*.bib")) if CORPUS.is_dir() else []

#: Lines of kg's errors in each pybtex inline case.
KG_ERROR_LINES = {
    "AtTest.bib": [2],
    "MacrosTest.bib": [6],
    "InlineCommentTest.bib": [10, 12],
    "DuplicateFieldTest.bib": [7, 8],
    "DuplicatePersonFieldTest.bib": [2],
    "FieldNamesTest.bib": [5, 10, 11, 14],
    "EntryTypesTest.bib": [7, 8, 12, 13],
    "KeyParsingTest.bib": [3, 6],
    "WindowsNewlineTest.bib": [1],
    "CrossFileMacrosTest_1.bib": [4, 5],
    "UnusedEntryTest.bib": [4],
    "EntryInStringTest.bib": [2],
    "KeylessEntriesTest.bib": [3, 6, 7, 10],
}

#: Why kg's lines differ from pybtex's, case by case.
DIFFERENCES = {
    "FieldNamesTest.bib": "line 10 is prose holding '=' between entries: kg flags such text because "
    "it is how a field cut off by an extra brace looks",
    "EntryTypesTest.bib": "bibtexparser reads neither '@t@{' (line 7) nor '@t+{' (line 8), which "
    "pybtex accepts, so kg reports them as not read; lines 14-15 fall inside the stray text "
    "reported at line 13",
    "KeyParsingTest.bib": "bibtexparser cuts the key of '@article(test(parens2),)' at the '(' "
    "(line 6), so kg refuses a key it would misread; pybtex names line 5, where its scan of line 3 "
    "ends, kg names line 3 where the entry is",
    "WindowsNewlineTest.bib": "the whole entry is lost; kg names the line where it starts, pybtex "
    "the line where it gave up",
    "CrossFileMacrosTest_1.bib": "the macro is defined in another file: kg checks one bibliography "
    "at a time, so it is undefined here",
    "UnusedEntryTest.bib": "pybtex only reports entries a document cites; kg reports every entry",
    "EntryInStringTest.bib": "bibtexparser ends a quoted value at a line that starts an entry, "
    "where BibTeX reads on; kg reports the entry it could not read instead of losing it",
    "KeylessEntriesTest.bib": "pybtex invents keys for keyless entries; kg asks for a key, since "
    "an entry without one cannot be cited",
}


def expected_pybtex_lines() -> dict[str, list[int]]:
    data = json.loads((CORPUS / "pybtex_inline" / "EXPECTED_pybtex_errors.json").read_text())
    return {
        name: sorted(
            {
                int(n)
                for error in case["expected_pybtex_errors"]
                for n in re.findall(r"line (\d+)", error)
            }
        )
        for name, case in data.items()
        if case["expected_pybtex_errors"]
    }


@pytest.mark.corpus
@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_kg_check_never_crashes(corpus_dir, path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no concepts.yaml here: a bibliography-only project
    result = CliRunner().invoke(main, ["check", "--bib", str(path)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    summary = result.stdout.splitlines()[-1]
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?", summary)
    if result.exit_code == 1:
        assert re.search(rf"^{re.escape(str(path))}:\d+(:\d+)?: error: ", result.stdout, re.M)


@pytest.mark.corpus
def test_every_pybtex_error_case_fails_with_a_line(corpus_dir):
    oracle = expected_pybtex_lines()
    assert len(oracle) == 9
    for name in oracle:
        problems = load_bibtex(corpus_dir / "pybtex_inline" / name, name).problems
        errors = [p for p in problems if p.severity == "error"]
        assert errors, f"{name}: pybtex expects an error, kg found none"
        assert all(p.file == name and p.line for p in errors)


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(KG_ERROR_LINES))
def test_inline_cases_match_pybtex_or_the_difference_is_explained(corpus_dir, name):
    problems = load_bibtex(corpus_dir / "pybtex_inline" / name, name).problems
    lines = sorted({p.line for p in problems if p.severity == "error"})
    assert lines == KG_ERROR_LINES[name]
    pybtex_lines = expected_pybtex_lines().get(name, [])
    if lines != pybtex_lines and pybtex_lines != []:
        assert name in DIFFERENCES
    if not pybtex_lines and name not in ("DuplicateFieldTest.bib", "DuplicatePersonFieldTest.bib"):
        assert name in DIFFERENCES


@pytest.mark.corpus
def test_inline_cases_without_errors_in_either(corpus_dir):
    clean = sorted(
        p.name for p in (corpus_dir / "pybtex_inline").glob("*.bib") if p.name not in KG_ERROR_LINES
    )
    for name in clean:
        problems = load_bibtex(corpus_dir / "pybtex_inline" / name, name).problems
        assert [p for p in problems if p.severity == "error"] == [], name


@pytest.mark.corpus
@pytest.mark.parametrize(
    "relative, line, code",
    [
        ("bibtexparser/gbk_test.bib", 1, "encoding"),
        ("bibtexparser/biber-examples.bib", 1543, "duplicate-key"),
        ("bibtexparser/crossref_cascading_cycle.bib", 6, "crossref-cycle"),
        ("bibtexparser/crossref_missing_entries.bib", 2, "crossref-missing"),
    ],
)
def test_known_faults_in_real_files(corpus_dir, relative, line, code):
    problems = load_bibtex(corpus_dir / relative).problems
    assert (line, code) in [(p.line, p.code) for p in problems]


@pytest.mark.corpus
def test_real_files_load_what_a_careful_parser_finds(corpus_dir):
    # Entry counts from BibTeX's own reading of these files.
    assert len(load_bibtex(corpus_dir / "pybtex" / "xampl.bib").papers) == 36
    assert len(load_bibtex(corpus_dir / "pybtex" / "cyrillic.bib").papers) == 5
    bom = load_bibtex(corpus_dir / "bibtexparser" / "article_start_with_bom.bib")
    assert bom.problems == [] and len(bom.papers) == 1
    strings = load_bibtex(corpus_dir / "bibtexparser" / "features2.bib")
    assert [p for p in strings.problems if p.severity == "error"] == []
