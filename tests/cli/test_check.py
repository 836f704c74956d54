"""``kg check`` and the behaviour every command shares (help, exit codes, sources)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import COMMANDS, main

BROKEN = """\
@article{good, author={A, B}, title={T}, journal={J}, year={2000}}
@article{bad, author={A, B}, title={T} journal={J}, year={2000}}
"""


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def project(workdir):
    """An empty project folder, the current directory."""
    return workdir


def test_shipped_data_checks_clean(runner, root, monkeypatch):
    monkeypatch.chdir(root)
    result = runner.invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-2] == "25 papers, 29 authors, 18 concepts, 8 objectives, 2 quotes, 185 edges"
    assert lines[-1] == "0 errors, 7 warnings"
    assert all(": warning: " in line and "not verified" in line for line in lines[:-2])


def test_strict_fails_on_warnings(runner, root, monkeypatch):
    monkeypatch.chdir(root)
    assert runner.invoke(main, ["check", "--strict"]).exit_code == 1


def test_json_output(runner, root, monkeypatch):
    monkeypatch.chdir(root)
    result = runner.invoke(main, ["check", "--format", "json"], catch_exceptions=False)
    data = json.loads(result.stdout)
    assert data["counts"] == {"authors": 29, "concepts": 18, "edges": 185, "objectives": 8,
                              "papers": 25, "quotes": 2}  # fmt: skip
    assert data["problems"][0] == {
        "file": "references.bib", "line": 38, "severity": "warning", "code": "unverified",
        "message": "entry 'engstrom2008vicarious': journal, volume, number, pages not verified "
                   "(flagged in its 'unverified' field)",
    }  # fmt: skip


def test_malformed_file_gives_path_line_errors_and_exit_1(runner, project):
    (project / "refs.bib").write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(main, ["check", "--bib", "refs.bib"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == (
        "refs.bib:2: error: entry 'bad', field 'title': unexpected text after the value: "
        "'journal={J}' (a comma missing between two fields?)\n"
        "refs.bib:2: warning: @article 'bad' lacks journal or journaltitle\n"
        "2 papers, 1 authors, 0 concepts, 0 objectives, 0 quotes, 2 edges\n"
        "1 error, 1 warning\n"
    )
    assert result.stderr == (
        "kg: warning: no concepts file (concepts.yaml): working from the bibliography alone\n"
    )


def test_environment_variables_name_the_sources(runner, project, root, monkeypatch):
    monkeypatch.setenv("KG_BIB", str(root / "references.bib"))
    monkeypatch.setenv("KG_CONCEPTS", str(root / "concepts.yaml"))
    result = runner.invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "18 concepts" in result.stdout


def test_missing_bibliography_is_a_usage_error(runner, project):
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 2
    assert "bibliography not found: references.bib" in result.stderr
    assert "kg init" in result.stderr


def test_named_concepts_file_that_does_not_exist_is_a_usage_error(runner, project):
    (project / "references.bib").write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(main, ["check", "--concepts", "nope.yaml"])
    assert result.exit_code == 2
    assert "concepts file not found: nope.yaml" in result.stderr


def test_unknown_option_is_a_usage_error(runner):
    assert runner.invoke(main, ["check", "--frobnicate"]).exit_code == 2
    assert runner.invoke(main, ["check", "--format", "xml"]).exit_code == 2


def test_help_lists_every_command(runner):
    result = runner.invoke(main, ["-h"])
    assert result.exit_code == 0
    for command in (
        "check",
        "init",
        "render",
        "add",
        "papers",
        "show",
        "gaps",
        "reading-list",
        "path",
        "export",
    ):
        assert f"  {command} " in result.stdout


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kg.cli import main\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "heavy = [m for m in ('networkx', 'bibtexparser', 'pyvis', 'citeproc', 'ruamel.yaml', 'jinja2')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == ""


def test_python_dash_m_kg_works(root):
    output = subprocess.run(
        [sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "kg, version 0.1.0"


def test_warm_check_reports_the_same_and_notices_a_changed_file(runner, project, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(project / "cache"))
    bib = project / "refs.bib"
    bib.write_text(BROKEN, encoding="utf-8")
    cold = runner.invoke(main, ["check", "--bib", "refs.bib"], catch_exceptions=False)
    reports = list((project / "cache").glob("*.check.corpus"))
    assert len(reports) == 1
    warm = runner.invoke(main, ["check", "--bib", "refs.bib"], catch_exceptions=False)
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)

    reports[0].write_bytes(b"\x00not json")  # a damaged report is rebuilt, never trusted
    again = runner.invoke(main, ["check", "--bib", "refs.bib"], catch_exceptions=False)
    assert (again.exit_code, again.stdout) == (cold.exit_code, cold.stdout)

    bib.write_text(BROKEN.replace("title={T} journal", "title={T}, journal"), encoding="utf-8")
    fixed = runner.invoke(main, ["check", "--bib", "refs.bib"], catch_exceptions=False)
    assert fixed.exit_code == 0
    assert fixed.stdout.splitlines()[-1] == "0 errors, 0 warnings"


def test_help_lists_each_command_on_one_untruncated_line(runner):
    result = runner.invoke(main, ["--help"], terminal_width=80)
    listing = result.stdout.split("Commands:\n", 1)[1].splitlines()
    assert len(listing) == len(COMMANDS)
    assert all(len(line) <= 80 and not line.endswith("...") for line in listing)
