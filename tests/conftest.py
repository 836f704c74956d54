"""Fixtures shared by the whole suite."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/* from the current output instead of comparing.",
    )
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=None,
        metavar="N",
        help="Examples per fuzz test in tests/reliability (default: env KG_FUZZ_EXAMPLES, else a few hundred).",
    )


def need(condition: bool, what: str) -> None:
    """Skip locally when something external is missing; fail in CI, where it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must have it")
    pytest.skip(f"{what} is missing")


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """Keep the loader's cache out of the user's cache folder while testing."""
    if "KG_CACHE_DIR" not in os.environ:
        monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kg-cache"))


CHROMIUM = Path("/usr/bin/chromium")
#: Flags for Debian's Chromium here: no sandbox (tests run as root), and no requests of its own
#: (the network is closed; without these it keeps trying).
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)


@contextlib.contextmanager
def chromium(args=LAUNCH_ARGS):
    """Headless Debian Chromium driven by Playwright (fails in CI when either is missing)."""
    need(CHROMIUM.exists(), "Chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    need(sync_playwright is not None, "Playwright for Python")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=list(args)
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the tests of a module (see :func:`chromium`)."""
    with chromium() as launched:
        yield launched


def run_kg(*args: str, stdin: str | bytes | None = None):
    """Invoke ``kg ARGS`` in this process; exceptions propagate, so a failure shows its traceback."""
    from click.testing import CliRunner

    from kg.cli import main

    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False, prog_name="kg")


def snapshot(folder: Path, names=None) -> dict[str, bytes]:
    """The bytes of ``names`` in ``folder`` (default: every file), to prove a refusal touched nothing."""
    if names is None:
        names = sorted(path.name for path in folder.iterdir() if path.is_file())
    return {name: (folder / name).read_bytes() for name in names}


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """An empty folder as the current directory, with ``KG_BIB`` and ``KG_CONCEPTS`` unset."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_BIB", raising=False)
    monkeypatch.delenv("KG_CONCEPTS", raising=False)
    return tmp_path


@pytest.fixture
def root() -> Path:
    """The project's top folder (where references.bib and concepts.yaml live)."""
    return ROOT


@pytest.fixture
def corpus_dir() -> Path:
    """``../shared/corpus``: real BibTeX files from other projects, read in place."""
    need(CORPUS.is_dir(), f"the external corpus ({CORPUS})")
    return CORPUS


@pytest.fixture
def shipped_bib() -> Path:
    """The workshop's shipped bibliography."""
    return ROOT / "references.bib"


@pytest.fixture
def shipped_concepts() -> Path:
    """The workshop's shipped concepts file."""
    return ROOT / "concepts.yaml"


@pytest.fixture
def shipped_project(workdir) -> Path:
    """A copy of the workshop's shipped references.bib and concepts.yaml; the current directory."""
    import shutil

    for name in ("references.bib", "concepts.yaml"):
        shutil.copy(ROOT / name, workdir / name)
    return workdir
