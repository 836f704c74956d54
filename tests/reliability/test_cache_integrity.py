"""The cache never changes an answer: every byte flip in every entry is caught and rebuilt.

The shipped workshop data is loaded once into a cache of its own; then, for
each of many single-bit flips at random places of each entry (``KG_FUZZ_EXAMPLES``
/ 20 of them, at least 8), every answer kg gives from the cache (``kg check`` as
text and JSON, exports, ``kg show``, ``kg papers``, ``kg gaps``) is compared
with the answer computed without any cache. The damaged entry is written
again before each command, so every command meets it. Every byte of each
header is flipped too, each against one of the commands in turn.
"""

from __future__ import annotations

import random
import re
import shutil

import pytest
from click.testing import CliRunner

from kg.cli import main

from . import helpers

COMMANDS = {
    "check": ["check"],
    "check-json": ["check", "--format", "json"],
    "export-json": ["export", "--format", "json", "-o", "-"],
    "export-bibtex": ["export", "--format", "bibtex", "-o", "-"],
    "show": ["show", "self-care"],
    "papers": ["papers", "--concept", "vicarious-resilience"],
    "gaps": ["gaps"],
}
#: The commands run on each entry's damage: the check report is read by `kg check` only
#: (which, with its report intact, never reads the corpus: it still must answer the same).
READERS = {"corpus": list(COMMANDS), "check": ["check", "check-json"]}


@pytest.fixture(scope="module")
def project(tmp_path_factory, root):
    folder = tmp_path_factory.mktemp("project")
    shutil.copy(root / "references.bib", folder / "references.bib")
    shutil.copy(root / "concepts.yaml", folder / "concepts.yaml")
    return folder


@pytest.fixture(scope="module")
def root():
    from tests.conftest import ROOT

    return ROOT


def answer(project, command):
    arguments = [*COMMANDS[command], "--bib", str(project / "references.bib"),
                 "--concepts", str(project / "concepts.yaml")]  # fmt: skip
    result = CliRunner().invoke(main, arguments)
    # The one-line warning summary is said once per change of the sources, and
    # remembered in the cache folder: whether it shows depends on that folder.
    stderr = re.sub(r"kg: warning: \d+ warnings? in the sources.*\n", "", result.stderr)
    return result.exit_code, result.stdout, stderr, repr(result.exception)


@pytest.mark.slow
def test_no_byte_flip_in_any_entry_changes_any_answer(project, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "unusable-file"))
    (tmp_path / "unusable-file").write_text("the cache is off", encoding="utf-8")
    expected = {command: answer(project, command) for command in COMMANDS}
    assert expected["check"][0] == 0 and "papers" in expected["check"][1]

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    for command in COMMANDS:  # fills the cache, and answers from it the same
        assert answer(project, command) == expected[command]
    found = {"corpus": [], "check": []}
    for path in sorted((tmp_path / "cache").glob("*.corpus")):
        found["check" if path.name.endswith(".check.corpus") else "corpus"].append(path)
    assert len(found["corpus"]) == 1 and len(found["check"]) == 1

    chooser = random.Random(2026)
    flips = max(8, helpers._examples // 20)
    checked = 0
    for kind, [entry] in found.items():
        good = entry.read_bytes()
        header_length = good.index(b"\n") + 1
        readers = READERS[kind]
        # every byte of the header, each against one command in turn; random places, all of them
        trials = [
            (position, [readers[position % len(readers)]]) for position in range(header_length)
        ]
        trials += [(position, readers) for position in chooser.sample(range(len(good)), flips)]
        for position, commands in trials:
            bit = 1 << chooser.randrange(8)
            damaged = bytearray(good)
            damaged[position] ^= bit
            for command in commands:
                entry.write_bytes(bytes(damaged))
                assert answer(project, command) == expected[command], (kind, position, bit)
                if kind == "check" or command not in READERS["check"]:
                    assert entry.read_bytes() == good, "a damaged entry is written again"
                checked += 1
    assert checked > 100
