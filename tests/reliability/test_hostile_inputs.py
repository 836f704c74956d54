"""Odd inputs end with messages, never with a traceback, a signal or a hang.

Each case runs the real ``kg`` command in its own process, so that a crash
inside a C extension (a signal) or a hang would show as such: a 30,000-deep
YAML list on one line, an alias bomb and deep nesting under ``kg add``;
sources given as pipes and process substitution, read once; a FIFO nobody
writes to; a device.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KG = [str(Path(sys.executable).with_name("kg"))] if Path(sys.executable).with_name("kg").exists() \
    else [sys.executable, "-m", "kg"]  # fmt: skip
#: Safety net for a hang, far above the time any case needs.
HANG_SECONDS = 120
ENTRY = "@article{new2020,\n  author = {Smith, Anna},\n  title = {Resilience at work},\n" \
        "  journal = {Journal of Tests},\n  year = {2020}\n}\n"  # fmt: skip

DEEP_ON_ONE_LINE = "- " * 30_000 + "x\n"
ALIAS_BOMB = (
    "version: 1\n"
    + "".join(
        f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}" if level else "lol"] * 9) + "]\n"
        for level in range(9)
    )
    + "concepts:\n  - id: a\n    label: A\n    aliases: *l8\n"
)
DEEP_BLOCKS = (
    "version: 1\n"
    + "".join(" " * level + f"k{level}:\n" for level in range(500))
    + " " * 500
    + "x\n"
)


def kg(
    *args: str,
    cwd: Path,
    stdin: bytes | None = None,
    env: dict | None = None,
    shell: str | None = None,
):
    """Run kg (or a shell line that runs it); return the finished process, output as text."""
    command = ["bash", "-c", shell] if shell else [*KG, *args]
    result = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, timeout=HANG_SECONDS,
                            env={**os.environ, **(env or {})})  # fmt: skip
    result.stdout, result.stderr = result.stdout.decode(), result.stderr.decode()
    return result


def assert_clean_failure(result, *words: str) -> None:
    """Exit 1 (not a signal), a message holding ``words``, and no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, (result.returncode, output[-2000:])
    assert "Traceback" not in output and "RecursionError" not in output, output[-2000:]
    for word in words:
        assert word in output, output[-2000:]


@pytest.fixture
def project(shipped_project) -> Path:
    return shipped_project


def test_a_30000_deep_list_on_one_line_is_reported_by_kg_check(project):
    (project / "concepts.yaml").write_text(DEEP_ON_ONE_LINE, encoding="utf-8")
    result = kg("check", cwd=project)
    assert_clean_failure(result, "concepts.yaml:1:", "nesting deeper than")


@pytest.mark.parametrize("text, words", [(DEEP_ON_ONE_LINE, ["nesting deeper than"]),
                                         (ALIAS_BOMB, ["aliases"]),
                                         (DEEP_BLOCKS, ["nesting deeper than"])],
                         ids=["30000-deep-line", "alias-bomb", "deep-blocks"])  # fmt: skip
def test_kg_add_refuses_a_hostile_concepts_file_with_a_message(project, text, words):
    (project / "concepts.yaml").write_text(text, encoding="utf-8")
    before = (project / "references.bib").read_bytes()
    result = kg("add", "--concept", "a", cwd=project, stdin=ENTRY.encode())
    assert_clean_failure(result, "concepts.yaml:", *words)
    assert (project / "references.bib").read_bytes() == before  # all or nothing


def test_kg_add_without_links_still_adds_and_says_why_there_are_no_suggestions(project):
    (project / "concepts.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    result = kg("add", cwd=project, stdin=ENTRY.encode())
    assert result.returncode == 0, result.stderr
    assert "aliases" in result.stderr and "no concept suggestions" in result.stderr
    assert "new2020" in (project / "references.bib").read_text(encoding="utf-8")


def test_a_bibliography_piped_to_dev_stdin_is_read_once(project):
    direct = kg("check", "--no-cache", cwd=project)
    piped = kg(
        "check", "--bib", "/dev/stdin", cwd=project, stdin=(project / "references.bib").read_bytes()
    )
    assert piped.returncode == direct.returncode == 0, piped.stdout + piped.stderr
    assert piped.stdout.splitlines()[-2:] == direct.stdout.splitlines()[-2:]  # counts, no errors
    again = kg("check", cwd=project)  # the cache holds the right report, under the right key
    assert again.stdout == direct.stdout


def test_process_substitution_gives_every_concept(project):
    direct = kg("check", "--no-cache", cwd=project)
    substituted = kg(cwd=project, shell=f"{' '.join(KG)} check --concepts <(cat concepts.yaml)")
    assert substituted.returncode == 0, substituted.stdout + substituted.stderr
    assert substituted.stdout.splitlines()[-2:] == direct.stdout.splitlines()[-2:]


def test_a_fifo_nobody_writes_to_ends_with_a_message(project):
    fifo = project / "silent.bib"
    os.mkfifo(fifo)
    result = kg("check", "--bib", str(fifo), cwd=project, env={"KG_PIPE_TIMEOUT": "1"})
    assert_clean_failure(result, "silent.bib", "nothing came through the pipe")


def test_a_device_is_refused_with_a_message(project):
    result = kg("check", "--bib", "/dev/zero", cwd=project)
    assert_clean_failure(result, "/dev/zero is a device")
