"""The shared source options reach a command as one explicit value, never as context state."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli.options import SourceOptions, load_sources, note, source_options, warn


@click.command()
@source_options
def producing(options: SourceOptions) -> None:
    """A command that produces something: it takes kg's --strict."""
    click.echo(repr(options))


@click.command()
@source_options(strict=False)
@click.option("--strict", is_flag=True)
def own_strict(options: SourceOptions, strict: bool) -> None:
    """A command that gives --strict its own meaning, as kg check does."""
    click.echo(f"{options.strict} {strict}")


def test_the_command_receives_every_source_option_in_one_value():
    result = CliRunner().invoke(
        producing,
        ["--bib", "a.bib", "--concepts", "c.yaml", "--encoding", "latin-1", "-q", "--strict"],
    )
    assert result.exit_code == 0, result.output
    expected = SourceOptions(Path("a.bib"), Path("c.yaml"), "latin-1", True, True, True)
    assert result.output == f"{expected!r}\n"


def test_the_defaults_say_the_concepts_file_was_not_named():
    result = CliRunner().invoke(producing, [], env={"KG_BIB": None, "KG_CONCEPTS": None})
    assert result.exit_code == 0, result.output
    expected = SourceOptions(Path("references.bib"), Path("concepts.yaml"))
    assert result.output == f"{expected!r}\n"


def test_a_concepts_file_named_in_the_environment_counts_as_named():
    result = CliRunner().invoke(producing, [], env={"KG_CONCEPTS": "c.yaml"})
    assert result.output.endswith("concepts_named=True)\n")


def test_a_command_with_its_own_strict_keeps_it():
    result = CliRunner().invoke(own_strict, ["--strict"])
    assert result.output == "False True\n"


def test_quiet_is_an_argument_of_warn_and_note(capsys):
    warn("shown", quiet=False)
    note("said", quiet=False)
    warn("hidden", quiet=True)
    note("hidden", quiet=True)
    assert capsys.readouterr().err == "kg: warning: shown\nsaid\n"


@pytest.mark.parametrize("quiet", [False, True])
def test_loading_outside_a_command_takes_its_options_as_given(workdir, capsys, quiet):
    entry = "@article{a, author={A, B}, title={T}, journal={J}, year={2000}}\n"
    Path("references.bib").write_text(entry, encoding="utf-8")
    options = SourceOptions(Path("references.bib"), Path("concepts.yaml"), quiet=quiet)
    with click.Context(producing) as ctx:
        corpus = load_sources(ctx, options, use_cache=False)
    assert list(corpus.papers) == ["a"]
    warning = "kg: warning: no concepts file (concepts.yaml): working from the bibliography alone\n"
    assert capsys.readouterr().err == ("" if quiet else warning)
