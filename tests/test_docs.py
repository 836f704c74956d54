"""The documentation is tested too: every command has help text and a README section."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kg.cli import COMMANDS, main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    summary = result.stdout.split("\n\n")[1].strip()
    assert len(summary) > 20, f"kg {name} needs a help text"
    assert f"`kg {name}" in README


def test_readme_gives_the_two_fresh_machine_commands_and_ci_runs_the_second():
    assert ".venv/bin/pip install . && .venv/bin/kg render" in README
    assert re.search(r"^scripts/test$", README, re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^exec scripts/test$", ci, re.M)


def test_readme_images_exist():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).is_file(), image
