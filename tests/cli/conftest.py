"""Fixtures for the command-line tests: golden files of exact outputs.

``pytest --regen-golden`` (registered in tests/conftest.py) rewrites the
golden files from the current output instead of comparing: review the diff
before committing. The environment variable ``KG_REGEN_GOLDEN=1`` does the same.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


class Golden:
    """Compare a command's output with ``tests/golden/NAME``, or rewrite it."""

    def __init__(self, regenerate: bool):
        self.regenerate = regenerate

    def check(self, name: str, actual: str) -> None:
        """Assert ``actual`` equals the golden file ``name`` (or write it when regenerating)."""
        path = GOLDEN / name
        if self.regenerate:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        assert path.exists(), f"{path} is missing: run `pytest --regen-golden` to create it"
        assert actual == path.read_text(encoding="utf-8")


@pytest.fixture
def golden(request) -> Golden:
    """The golden-file checker for this run."""
    try:
        flag = request.config.getoption("--regen-golden")
    except ValueError:
        flag = False
    return Golden(flag or os.environ.get("KG_REGEN_GOLDEN", "") == "1")
