"""What each piece of kg that exists for speed buys: a whole ``kg check`` with and without it.

For each piece, runs ``kg check --no-cache`` (with a generated concepts file,
as ``scripts/bench.py`` does) on the file the piece targets, alternately with
the piece in place and with it turned off, and reports the medians of the
wall-clock and CPU time (of the process and its workers) and what the piece
saves, as a share of the check without it. A piece earns its place when it
saves at least 10%. Every piece but the workers is measured in one process
(``KG_WORKERS=1``), where the CPU time is its own and depends little on what
else the machine runs; the workers are judged by the wall-clock time, which
depends on how many cores are free (the load average is printed).

Pieces and how each is turned off (in the process, before ``kg`` runs):

* ``workers``: one worker process per core (``KG_WORKERS=1`` turns them off);
* ``fast-path``: the hand-written reader of plain entries (every piece of the
  file then goes to bibtexparser);
* ``collector``: the cycle collector kept off during the parse and big results
  frozen out of its sight (both become no-ops);
* ``libyaml``: the C parser for the concepts file (ruamel.yaml's Python parser then);
* ``cache``: the cache of loaded corpora (``kg check`` again on unchanged files,
  against ``--no-cache``);
* ``no-teardown``: leaving with ``os._exit`` instead of tearing the
  interpreter down at exit (``sys.exit`` then), on the shipped data.

Usage::

    python scripts/bench_pieces.py [--repeat N] [--piece NAME ...]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import BENCH, PYTHON, ROOT, write_concepts

RUN_KG = "import sys; from kg.cli import run; sys.argv[0] = 'kg'; run()"

#: piece -> (target file, code run before kg to turn the piece off, environment to turn it off)
PIECES = {
    "workers": ("beebe7_concat.bib", "", {"KG_WORKERS": "1"}),
    "fast-path": (
        "beebe7_concat.bib",
        "import kg.sources.speed.fastpath as f; f.read_plain_entry = lambda *a: None",
        {},
    ),
    "collector": (
        "beebe7_concat.bib",
        "import contextlib, kg.sources.speed.collector as c; c.collector_off = contextlib.nullcontext; "
        "c.hide_from_collector = lambda count: None",
        {},
    ),
    "libyaml": (
        "beebe7_concat.bib",
        "import kg.sources.yaml_reader as y; y._libyaml_loader_class = lambda: None",
        {},
    ),
    "no-teardown": ("shipped", "import os, sys; os._exit = sys.exit", {}),
    "libyaml-shipped": (
        "shipped",
        "import kg.sources.yaml_reader as y; y._libyaml_loader_class = lambda: None",
        {},
    ),
    "cache": ("beebe7_concat.bib", None, {}),
}


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one whole process (its workers included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(piece: str, repeat: int, folder: Path):
    """Median (wall, CPU) seconds of ``kg check`` with the piece and without it."""
    name, off_code, off_env = PIECES[piece]
    if name == "shipped":  # the workshop's own project
        bib, concepts = ROOT / "references.bib", ROOT / "concepts.yaml"
    else:
        bib = BENCH / name
        concepts = folder / f"{bib.stem}.yaml"
        if not concepts.exists():
            write_concepts(bib, concepts)
    args = ["check", "--bib", str(bib), "--concepts", str(concepts)]
    env = dict(os.environ, KG_CACHE_DIR=str(folder / "cache"))
    # One worker per core with the workers (whatever the load average says), else none.
    env["KG_WORKERS"] = str(len(os.sched_getaffinity(0))) if piece == "workers" else "1"
    with_piece = [PYTHON, "-c", RUN_KG, *args, "--no-cache"]
    if off_code is None:  # the cache: a warm check against a cold one
        with_piece = [PYTHON, "-c", RUN_KG, *args]
        timed(with_piece, env)  # fills the cache
        without = ([PYTHON, "-c", RUN_KG, *args, "--no-cache"], env)
    else:
        without = ([PYTHON, "-c", f"{off_code}\n{RUN_KG}", *args, "--no-cache"], {**env, **off_env})
    times_with, times_without = [], []
    for _ in range(repeat):
        times_with.append(timed(with_piece, env))
        times_without.append(timed(*without))

    def medians(times):
        return statistics.median(wall for wall, _ in times), statistics.median(
            cpu for _, cpu in times
        )

    return medians(times_with), medians(times_without)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument(
        "--piece", action="append", choices=sorted(PIECES), help="only these pieces"
    )
    options = parser.parse_args()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(__file__).resolve().parent.parent / "kg")],
                   check=False)  # fmt: skip
    print("| piece | file | with: wall, CPU | without: wall, CPU | saves |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for piece in options.piece or list(PIECES):
            with_piece, without = measure(piece, options.repeat, Path(folder))
            judged = 0 if piece in ("workers", "cache") else 1  # wall clock, or CPU time
            saved = 1 - with_piece[judged] / without[judged]
            print(f"| {piece} | {PIECES[piece][0]} | {with_piece[0]:.2f} s, {with_piece[1]:.2f} s "
                  f"| {without[0]:.2f} s, {without[1]:.2f} s | {saved:.0%} ({('wall', 'CPU')[judged]}) |",
                  flush=True)  # fmt: skip
    load = os.getloadavg()
    print(
        f"\nload average (1/5/15 min) when the run ended: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )


if __name__ == "__main__":
    main()
