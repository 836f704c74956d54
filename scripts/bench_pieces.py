"""What each piece of kg that exists for speed buys: a whole ``kg check`` with and without it.

For each piece, runs ``kg check --no-cache`` (with a generated concepts file,
as ``scripts/bench.py`` does) on the file the piece targets, alternately with
the piece in place and with it turned off, and reports the medians of the
wall-clock time and what the piece saves, as a share of the check without it.
A piece earns its place when it saves at least 10%.

Pieces and how each is turned off (in the process, before ``kg`` runs):

* ``workers``: worker processes (``KG_WORKERS=1``);
* ``fast-path``: the hand-written reader of plain entries (every piece of the
  file then goes to bibtexparser);
* ``collector``: the cycle collector kept off during the parse and big results
  frozen out of its sight (both become no-ops);
* ``libyaml``: the C parser for the concepts file (ruamel.yaml's Python parser then);
* ``cache``: the cache of loaded corpora (``kg check`` again on unchanged files,
  against ``--no-cache``);
* ``no-teardown``: leaving with ``os._exit`` instead of freeing everything
  at exit (``sys.exit`` then).

Usage::

    python scripts/bench_pieces.py [--repeat N] [--piece NAME ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import BENCH, PYTHON, write_concepts

RUN_KG = "import sys; from kg.cli import run; sys.argv[0] = 'kg'; run()"

#: piece -> (target file, code run before kg to turn the piece off, environment to turn it off)
PIECES = {
    "workers": ("beebe7_concat.bib", "", {"KG_WORKERS": "1"}),
    "fast-path": (
        "beebe7_concat.bib",
        "import kg.sources.fastpath as f; f.read_plain_entry = lambda *a: None",
        {},
    ),
    "collector": (
        "beebe7_concat.bib",
        "import contextlib, kg.sources.collector as c; c.collector_off = contextlib.nullcontext; "
        "c.hide_from_collector = lambda count: None",
        {},
    ),
    "libyaml": (
        "beebe7_concat.bib",
        "import kg.sources.yaml_reader as y; y._libyaml_loader_class = lambda: None",
        {},
    ),
    "no-teardown": ("beebe7_concat.bib", "import os, sys; os._exit = sys.exit", {}),
    "cache": ("beebe7_concat.bib", None, {}),
}


def timed(command: list[str], env: dict) -> float:
    """Wall-clock seconds of one whole process."""
    started = time.perf_counter()
    subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - started


def measure(piece: str, repeat: int, folder: Path) -> tuple[float, float]:
    """Median seconds of ``kg check`` with the piece and without it."""
    name, off_code, off_env = PIECES[piece]
    bib = BENCH / name
    concepts = folder / f"{bib.stem}.yaml"
    if not concepts.exists():
        write_concepts(bib, concepts)
    args = ["check", "--bib", str(bib), "--concepts", str(concepts)]
    env = dict(os.environ, KG_CACHE_DIR=str(folder / "cache"))
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
    return statistics.median(times_with), statistics.median(times_without)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument(
        "--piece", action="append", choices=sorted(PIECES), help="only these pieces"
    )
    options = parser.parse_args()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(__file__).resolve().parent.parent / "kg")],
                   check=False)  # fmt: skip
    print("| piece | file | with | without | saves |")
    print("|---|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for piece in options.piece or list(PIECES):
            with_piece, without = measure(piece, options.repeat, Path(folder))
            saved = 1 - with_piece / without
            print(f"| {piece} | {PIECES[piece][0]} | {with_piece:.2f} s | {without:.2f} s | {saved:.0%} |",
                  flush=True)  # fmt: skip
    load = os.getloadavg()
    print(
        f"\nload average (1/5/15 min) when the run ended: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )


if __name__ == "__main__":
    main()
