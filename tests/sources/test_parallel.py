"""Parsing in chunks and on several processes gives exactly the serial result."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kg.sources.bibtex import parse_bibtex
from kg.sources.chunks import CHUNK_START
from kg.sources.encoding import decode_bytes
from kg.sources.speed import parallel
from tests.conftest import need


def snapshot(result) -> tuple:
    """Everything a BibResult holds, in order, as plain data."""
    return (
        [dataclasses.astuple(paper) for paper in result.papers.values()],
        [dataclasses.astuple(author) for author in result.authors.values()],
        [dataclasses.astuple(problem) for problem in result.problems],
        result.strings,
    )


def assert_same_in_chunks(text: str, label: str, chunk_counts=(2, 3, 7, 40)) -> None:
    serial = snapshot(parse_bibtex(text, label, workers=1))
    for chunks in chunk_counts:
        assert snapshot(parse_bibtex(text, label, workers=1, chunks=chunks)) == serial, (
            f"{chunks} chunks"
        )
    assert snapshot(parse_bibtex(text, label, workers=2, chunks=5)) == serial, (
        "two worker processes"
    )


def test_shipped_data_parses_the_same_in_chunks_and_processes(shipped_bib):
    text = shipped_bib.read_text(encoding="utf-8")
    assert_same_in_chunks(text, "references.bib")


def test_real_corpus_files_joined_parse_the_same_in_chunks(corpus_dir):
    parts = []
    for path in sorted(corpus_dir.glob("*/*.bib")):
        text, _problems = decode_bytes(path.read_bytes(), str(path))
        if text is not None:
            parts.append(text)
    # Joined, the files' broken endings fall right before other files' entries: a
    # block left open at a chunk's end must fail exactly as in one whole parse.
    assert_same_in_chunks("\n".join(parts), "corpus.bib", chunk_counts=(3, 11, 40, 200))


def generated_bibliography(entries: int = 400) -> str:
    lines = [
        "% a generated bibliography: macros first, used far below",
        "@string{jfp = {Journal of Family Process}}",
        "@string{pub = {Family Press}}",
    ]
    for number in range(entries):
        if number == entries // 2:
            lines.append("@string{jfp = {Redefined Halfway}}")  # BibTeX uses it from here on
            lines.append("@string{late = {Defined Halfway}}")
        if number == entries // 3:
            lines.append("@misc{broken, title = {never closed")  # open until the next entry starts
        key = "dup" if number in (5, entries - 5) else f"k{number}"
        key = "Case" if number == 7 else "case" if number == entries - 7 else key
        journal = "late" if number > entries // 2 and number % 2 else "jfp"
        lines += [
            f"@article{{{key},",
            f"  author = {{Hern{{\\'a}}ndez, Pilar and Author {number}, Some}},",
            f'  title = "Entry {number}: {{V}}icarious resilience --- {"$x$ and" if number % 5 == 0 else "plain"}",',
            f"  journal = {journal},",
            f"  year = {2000 + number % 20},",
            "  publisher = pub # {, second edition},",
            "}",
            "",
        ]
    return "\n".join(lines)


def test_generated_file_with_late_macros_and_duplicates_across_chunks():
    text = generated_bibliography()
    assert_same_in_chunks(text, "generated.bib", chunk_counts=(2, 4, 9, 33))
    result = parse_bibtex(text, "generated.bib", workers=1, chunks=9)
    assert result.papers["k0"].fields["journal"] == "Journal of Family Process"
    assert result.papers["k398"].fields["journal"] == "Redefined Halfway"  # the later definition
    assert any(problem.code == "duplicate-string" and problem.severity == "warning"
               for problem in result.problems)  # fmt: skip
    assert result.papers["k201"].fields["journal"] == "Defined Halfway"
    assert result.papers["k3"].fields["publisher"] == "Family Press, second edition"
    assert result.papers["k0"].title == "Entry 0: Vicarious resilience — x and"
    codes = [
        (problem.code, problem.line) for problem in result.problems if problem.severity == "error"
    ]
    first_dup = text[: text.index("@article{dup,")].count("\n") + 1
    second_dup = text[: text.rindex("@article{dup,")].count("\n") + 1
    assert ("duplicate-key", second_dup) in codes
    assert any(code == "duplicate-key-case" for code, _ in codes)
    assert ("syntax", text[: text.index("@misc{broken")].count("\n") + 1) in codes  # where it opens
    duplicate = next(
        p for p in result.problems if p.code == "duplicate-key" and p.line == second_dup
    )
    assert f"(first at line {first_dup})" in duplicate.message


def test_chunks_start_only_where_a_line_starts_a_block():
    text = generated_bibliography(200)
    bounds = parallel.chunk_bounds(text, 6)
    assert bounds[0] == 0 and bounds[-1] == len(text)
    assert bounds == sorted(set(bounds))
    for bound in bounds[1:-1]:
        assert CHUNK_START.match(text, bound - 1)


def test_workers_go_only_on_cores_no_other_process_runs_on(monkeypatch):
    monkeypatch.delenv("KG_WORKERS", raising=False)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel, "_others_running", lambda: 0)
    assert parallel.default_workers(10_000_000) == 2
    monkeypatch.setattr(parallel, "_others_running", lambda: 1)
    assert parallel.default_workers(10_000_000) == 1
    monkeypatch.setattr(parallel, "_others_running", lambda: 5)
    assert parallel.default_workers(10_000_000) == 1


def test_a_small_file_is_parsed_here_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("KG_WORKERS", raising=False)
    assert parallel.default_workers(10_000) == 1
    monkeypatch.setenv("KG_WORKERS", "3")
    assert parallel.default_workers(10_000) == 3


@pytest.mark.parametrize("workers", [1, 2])
def test_meanwhile_runs_exactly_once(workers):
    calls = []
    text = generated_bibliography(60)
    parse_bibtex(text, "g.bib", workers=workers, chunks=4, meanwhile=lambda: calls.append(1))
    assert calls == [1]


def test_worker_processes_are_used_for_big_files_where_fork_is_safe(monkeypatch):
    used = []
    real_run = parallel._run
    monkeypatch.setattr(
        parallel, "_run", lambda *arguments: used.append(True) or real_run(*arguments)
    )
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 1000)
    monkeypatch.setattr(parallel, "_others_running", lambda: 0)  # the cores are free
    monkeypatch.delenv("KG_WORKERS", raising=False)
    text = generated_bibliography(100)
    result = parse_bibtex(text, "g.bib")
    assert bool(used) == (parallel.can_fork() and parallel.default_workers(len(text)) > 1)
    assert snapshot(result) == snapshot(parse_bibtex(text, "g.bib", workers=1))


def test_a_read_in_one_process_never_goes_through_the_worker_machinery(monkeypatch):
    def refused(*arguments, **options):
        raise AssertionError("a read in one process went through kg.sources.speed.parallel")

    monkeypatch.setattr(parallel, "scan_chunks", refused)
    text = generated_bibliography(30)
    result = parse_bibtex(text, "g.bib", workers=1)
    assert len(result.papers) == 28  # 30 entries, one a duplicate and one never closed
    monkeypatch.undo()
    assert snapshot(result) == snapshot(parse_bibtex(text, "g.bib", workers=1, chunks=3))


def _in_a_worker(parent: int) -> bool:
    import os

    return os.getpid() != parent


def in_a_fresh_interpreter(request) -> bool:
    """Run the calling test again alone in a new Python, and say whether this is that run.

    kg forks worker processes only while no other thread runs (a fork beside
    running threads can deadlock the child), and a test session keeps threads
    of its own (the browser tests' driver). A test that needs workers runs
    itself in a fresh interpreter, where only its own code runs.
    """
    import os
    import subprocess
    import sys

    if os.environ.get("KG_TEST_ISOLATED") == request.node.nodeid:
        return True
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid],
        env={**os.environ, "KG_TEST_ISOLATED": request.node.nodeid},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return False


@pytest.mark.parametrize("failure", ["raises", "dies"])
def test_a_failing_worker_makes_the_parse_run_again_here(request, monkeypatch, failure):
    import os

    if not in_a_fresh_interpreter(request):
        return
    need(parallel.can_fork(), "fork for worker processes")
    parent = os.getpid()
    real_job = parallel._job

    def job(chunk, text):
        if _in_a_worker(parent) and chunk[0] > 0:  # every chunk but the first
            if failure == "raises":
                raise MemoryError("no memory left")
            os._exit(3)
        return real_job(chunk, text)

    monkeypatch.setattr(parallel, "_job", job)
    text = generated_bibliography(120)
    calls = []
    result = parse_bibtex(text, "g.bib", workers=2, chunks=6, meanwhile=lambda: calls.append(1))
    monkeypatch.setattr(parallel, "_job", real_job)
    assert snapshot(result) == snapshot(parse_bibtex(text, "g.bib", workers=1))
    assert calls == [1]


def test_when_no_process_can_start_the_parse_runs_here(monkeypatch):
    import os

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    text = generated_bibliography(80)
    result = parse_bibtex(text, "g.bib", workers=2, chunks=4)
    monkeypatch.undo()
    assert snapshot(result) == snapshot(parse_bibtex(text, "g.bib", workers=1))


def test_macros_the_scan_missed_make_the_parse_run_again_here(monkeypatch):
    # The chunks would start without the @string macros defined above them.
    monkeypatch.setattr(parallel, "_macros_at", lambda text, bounds: [({}, set()) for _ in bounds])
    text = generated_bibliography(80)
    result = parse_bibtex(text, "g.bib", workers=1, chunks=4)
    monkeypatch.undo()
    assert snapshot(result) == snapshot(parse_bibtex(text, "g.bib", workers=1))
    assert result.papers["k3"].fields["journal"] == "Journal of Family Process"


def test_a_big_result_is_hidden_from_the_cycle_collector(monkeypatch):
    import gc

    monkeypatch.setattr("kg.sources.speed.collector.FREEZE_MIN_PAPERS", 50)
    frozen = gc.get_freeze_count()
    try:
        result = parse_bibtex(generated_bibliography(60), "g.bib", workers=1)
        assert len(result.papers) >= 50
        assert gc.get_freeze_count() > frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def test_interrupting_a_parse_stops_the_workers_quietly(tmp_path):
    # Ctrl-C during a big parse reaches the whole process group: the command ends,
    # and no worker prints a traceback of its own.
    import multiprocessing
    import os
    import signal
    import subprocess
    import sys
    import time

    # The parse runs in a child process of its own, where no other thread runs.
    need("fork" in multiprocessing.get_all_start_methods(), "fork for worker processes")
    bib = tmp_path / "big.bib"
    bib.write_text(generated_bibliography(20000), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", "import sys; from kg.sources.bibtex import load_bibtex; "
                                "load_bibtex(sys.argv[1])", str(bib)],
                               stderr=subprocess.PIPE, env={**os.environ, "KG_WORKERS": "2"},
                               start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 30
    while not Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split():
        assert process.poll() is None and time.monotonic() < deadline, "no worker started"
        time.sleep(0.01)
    time.sleep(0.2)  # the workers are parsing
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    text = stderr.decode()
    assert process.returncode != 0  # interrupted, not finished
    assert "Process ForkProcess" not in text and "Exception in thread" not in text, text
