"""The large bibliographies of ../shared/bench, as a researcher would use them.

``cdl.bib`` (6,315 entries) and ``beebe7_concat.bib`` (24,633 entries, seven
journal bibliographies joined, with 133 keys used twice) both render to a map
with no flag; ``kg check`` reports every problem of beebe7 with its line.
Every file of ../shared/corpus goes through the same commands in
``test_corpus_all_commands.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED, need

BENCH = SHARED / "bench"
KG = [sys.executable, "-m", "kg"]
#: Minutes of parsing and rendering: left out of the quick loop (``pytest -m "not slow"``).
pytestmark = pytest.mark.slow
LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(:\d+)?: (?P<severity>error|warning): ", re.M)


def kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture
def bench() -> Path:
    need((BENCH / "cdl.bib").is_file() and (BENCH / "beebe7_concat.bib").is_file(),
         f"the large bibliographies ({BENCH})")  # fmt: skip
    return BENCH


def test_cdl_renders_to_a_map_with_no_flag(bench, tmp_path):
    result = kg("render", "--bib", str(bench / "cdl.bib"), "-o", "map.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "map.html").stat().st_size > 100_000
    assert "Traceback" not in result.stderr


def test_beebe7_is_read_with_every_problem_located(bench, tmp_path):
    path = bench / "beebe7_concat.bib"
    result = kg("check", "--no-cache", "--bib", str(path), cwd=tmp_path)
    assert "Traceback" not in result.stderr + result.stdout
    counts = re.search(r"^(\d+) papers, .*\n(\d+) errors?, (\d+) warnings?$", result.stdout, re.M)
    papers, errors, warnings = (int(group) for group in counts.groups())
    assert papers > 24_000
    located = LOCATED.findall(result.stdout)
    assert len(located) == errors + warnings
    lines = len(path.read_bytes().split(b"\n"))
    assert all(file == str(path) and 1 <= int(line) <= lines for file, line, _c, _s in located)
    # The journal bibliographies repeat their @string macros: what BibTeX and biber
    # read on from is a warning, never an error.
    assert "@string ack-nhfb is defined again" in result.stdout
    assert not re.search(r"error: .*@string", result.stdout)
    assert result.returncode == (1 if errors else 0)


def test_beebe7_renders_to_a_map_with_no_flag(bench, tmp_path):
    """Two minutes on this machine: the largest real bibliography, as a researcher would."""
    path = bench / "beebe7_concat.bib"
    result = kg("render", "--bib", str(path), "-o", "map.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert re.match(r"Wrote map\.html \(\d+ nodes, \d+ edges, \d+ clusters\)\n$", result.stdout)
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors and all(LOCATED.match(line) for line in errors)
    unread = re.search(r"^kg: (\d+) errors? in the sources \((\d+) entr(y|ies) could not be read\)",
                       result.stderr, re.M)  # fmt: skip
    assert unread and int(unread.group(1)) == len(errors)
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert f"{unread.group(2)} entries could not be read — run kg check" in page
