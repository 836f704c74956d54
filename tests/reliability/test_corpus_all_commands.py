"""Every real bibliography in ../shared/corpus through kg check, kg render and kg export.

``kg check`` ends with exit 0, or 1 when the file holds an error (said with
file and line). ``kg render`` and ``kg export`` produce their output from
everything that could be read, whatever the errors (exit 0, the problems and a
one-line summary on stderr), and with ``--strict`` refuse a file with an error
(exit 1, nothing written). Never a traceback.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.sources.bibtex import load_bibtex
from tests.conftest import CORPUS

FILES = sorted(CORPUS.glob("*/*.bib")) if CORPUS.is_dir() else []

#: Entries a careful reader counts: every ``@type{`` or ``@type(`` at the start of a
#: line, other than @string, @comment and @preamble (see ``careful_count``).
_ENTRY = re.compile(
    r"^[ \t]*@[ \t]*(?!string\b|comment\b|preamble\b)[A-Za-z][\w+\-.:@]*[ \t]*[{(]", re.I | re.M
)

#: Where kg loads fewer entries than that count, and why (each with an error naming the line).
FEWER_ENTRIES = {
    "bibtexparser/biber-examples.bib": (
        117,
        "'tmn4' appears twice (lines 1535 and 1543): the second is refused as a duplicate key",
    ),
    "pybtex_inline/EntryInStringTest.bib": (
        2,
        "a quoted value holds a line starting '@': "
        "bibtexparser ends the value there, so the entry is "
        "reported as not read",
    ),
    "pybtex_inline/EntryTypesTest.bib": (
        3,
        "'@t@{' and '@t+{' are not read by bibtexparser: reported",
    ),
    "pybtex_inline/KeylessEntriesTest.bib": (
        0,
        "entries without a citation key cannot be cited: each is reported, none loaded",
    ),
}


def careful_count(path) -> int:
    """Entries in the file by a plain reading of where entries start."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return len(_ENTRY.findall(text))


def export_formats() -> list[str]:
    """The format names ``kg export --help`` lists."""
    from kg.cli.export import export

    option = next(param for param in export.params if param.name in ("output_format", "format_name", "fmt")
                  or "--format" in getattr(param, "opts", []))  # fmt: skip
    return list(option.type.choices)


def _target(folder, name: str) -> str:
    return str(folder / f"out-{name}") + ("/" if name == "csv" else "")


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output, result.output


def relative(path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch):
    """Durability is tested in test_faults.py; here waiting for the disk only slows the sweep."""
    import os

    monkeypatch.setattr(os, "fsync", lambda descriptor: None)


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES, ids=relative)
def test_every_command_ends_cleanly_on_a_real_file(corpus_dir, path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no concepts.yaml here: a bibliography-only project
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--bib", str(path)], catch_exceptions=False)
    _no_traceback(check)
    assert check.exit_code in (0, 1)
    has_errors = check.exit_code == 1
    if has_errors:
        assert re.search(rf"^{re.escape(str(path))}:\d+(:\d+)?: error: ", check.output, re.M)

    render = runner.invoke(
        main, ["render", "--bib", str(path), "-o", "map.html"], catch_exceptions=False
    )
    _no_traceback(render)
    assert render.exit_code == 0, render.output
    assert (tmp_path / "map.html").exists()
    if has_errors:
        assert ": working on what could be read" in render.stderr
        assert re.search(rf"^{re.escape(str(path))}:\d+(:\d+)?: error: ", render.stderr, re.M)
        assert 'id="sources-note"' in (tmp_path / "map.html").read_text(encoding="utf-8")
        strict = runner.invoke(
            main, ["render", "--bib", str(path), "-o", "strict.html", "--strict"],
            catch_exceptions=False,
        )  # fmt: skip
        assert strict.exit_code == 1 and not (tmp_path / "strict.html").exists()

    for name in export_formats():
        target = _target(tmp_path, name)
        result = runner.invoke(main, ["export", "--bib", str(path), "--format", name, "-o", target],
                               catch_exceptions=False)  # fmt: skip
        _no_traceback(result)
        assert result.exit_code == 0, (name, result.output)
        assert (tmp_path / f"out-{name}").exists(), name
        if has_errors:
            assert ": working on what could be read" in result.stderr
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES, ids=relative)
def test_entry_counts_match_a_careful_reading(corpus_dir, path):
    papers = load_bibtex(path).papers
    expected, reason = FEWER_ENTRIES.get(relative(path), (careful_count(path), ""))
    assert len(papers) == expected, reason
    if reason:
        assert careful_count(path) > expected
        assert any(p.severity == "error" and p.line for p in load_bibtex(path).problems)
