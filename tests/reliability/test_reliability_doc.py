"""docs/reliability.md names real tests: every ``file.py::test_name`` it cites exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "reliability.md"
#: A cited test: ``tests/sources/test_cache.py::test_x``, ``test_faults.py::test_x``, or
#: ``::test_x`` (the file cited last in the same cell), possibly ending in ``*`` (a prefix).
CITATION = re.compile(r"`((?:[\w/]+\.py)?)::(test_\w+)(\*?)`")


def cited_tests() -> list[tuple[str, str, bool]]:
    found = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        current = ""
        for file, name, star in CITATION.findall(line):
            current = file or current
            found.append((current, name, bool(star)))
    return found


def test_every_test_the_reliability_page_cites_exists():
    citations = cited_tests()
    assert len(citations) > 40
    missing = []
    for file, name, prefix in citations:
        path = ROOT / file if "/" in file else ROOT / "tests" / "reliability" / file
        assert path.is_file(), f"docs/reliability.md cites {file}, which does not exist"
        names = re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M)
        if not any(
            candidate.startswith(name) if prefix else candidate == name for candidate in names
        ):
            missing.append(f"{file}::{name}{'*' if prefix else ''}")
    assert not missing, f"docs/reliability.md cites tests that do not exist: {missing}"
