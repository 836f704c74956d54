"""Benchmark: ``kg add`` of many entries, against the time of adding one.

Runs whole ``kg add --dry-run`` processes on a bibliography of ``--existing``
generated entries (each author writes four, over two years, so that the
duplicate check's blocks of the same year and first author hold a few
entries, as in a real bibliography), pasting 1, 1,000 and 4,000 new ones.
Adding one entry is the start-up (imports, reading and parsing the
bibliography); the target is that adding 4,000 costs less than six times
what adding 1,000 costs beyond it: near-linear, where a check of every new
entry against every old one would cost sixteen times as much. The sizes run
alternately and each figure is the fastest of its runs: the work is the
same every time, and the fastest run is the one the rest of the machine
disturbed least (with 0.3 s to 1 s beyond start-up, a busy neighbour
otherwise decides the ratio).

Usage::

    python scripts/bench_add.py [--existing N] [--repeat N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable


def entries(count: int, start: int = 0) -> str:
    """``count`` generated entries, four by each author over two years, titles unlike one another."""
    text = []
    for number in range(start, start + count):
        words = hashlib.sha256(str(number).encode()).hexdigest()
        text.append(
            f"@article{{e{number}x,\n  author = {{Author{number // 4}, Ann}},\n"
            f"  title = {{Notes {words[:6]} {words[6:14]}}},\n  journal = {{J}},\n"
            f"  year = {{{1990 + number % 2}}},\n  doi = {{10.5555/{number}}},\n}}\n"
        )
    return "\n".join(text)


def kg_command() -> list[str]:
    """The ``kg`` console script next to this Python, or ``python -m kg``."""
    script = Path(PYTHON).with_name("kg")
    return [str(script)] if script.exists() else [PYTHON, "-m", "kg"]


def main() -> None:
    """Time the three sizes, alternately, and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--existing", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    sizes = (1, 1000, 4000)
    times: dict[int, list[float]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory(prefix="kg-bench-add-") as folder:
        bib = Path(folder) / "references.bib"
        bib.write_text(entries(arguments.existing), encoding="utf-8")
        pastes = {size: entries(size, 10**6).encode() for size in sizes}
        env = dict(os.environ, KG_CACHE_DIR=str(Path(folder) / "cache"))
        for _ in range(arguments.repeat):
            for size in sizes:
                started = time.perf_counter()
                done = subprocess.run([*kg_command(), "add", "--dry-run", "--bib", str(bib)],
                                      input=pastes[size], capture_output=True, env=env)  # fmt: skip
                times[size].append(time.perf_counter() - started)
                if done.returncode != 0:
                    raise SystemExit(f"kg add of {size} failed:\n{done.stderr.decode()[-2000:]}")
    fastest = {size: min(values) for size, values in times.items()}
    beyond = {size: fastest[size] - fastest[1] for size in sizes}
    ratio = beyond[4000] / beyond[1000]
    print(f"`kg add --dry-run` into {arguments.existing:,} entries, fastest of {arguments.repeat} "
          f"runs: 1 entry {fastest[1]:.2f} s (start-up), 1,000 {fastest[1000]:.2f} s, 4,000 "
          f"{fastest[4000]:.2f} s; beyond start-up 4,000 / 1,000 = {ratio:.2f}x "
          f"(target < 6x: {'met' if ratio < 6 else 'MISSED'})")  # fmt: skip


if __name__ == "__main__":
    main()
