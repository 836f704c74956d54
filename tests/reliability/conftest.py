"""Options for the reliability sweep: ``--fuzz-examples N`` runs each fuzz test longer."""

from __future__ import annotations

import os

import pytest

from . import helpers


def pytest_configure(config):
    requested = config.getoption("--fuzz-examples", default=None)
    if requested:
        helpers.set_examples(requested)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """A cache folder of this run's own: no result parsed by an older kg, and the user's left alone."""
    folder = tmp_path_factory.mktemp("kg-cache")
    previous = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("KG_CACHE_DIR", None)
    else:
        os.environ["KG_CACHE_DIR"] = previous
