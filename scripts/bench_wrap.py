"""Benchmark: wrapping a very long word for the terminal, kg's wrap against textwrap.

``kg show`` and ``kg papers`` fill text to 80 columns. :func:`textwrap.fill`
cuts a word longer than a line by copying what is left of it at every line,
so a title of a few million characters without spaces takes quadratic time;
:func:`kg.cli.wrapping.wrap` cuts it by position and gives the same output.
Both are timed on the same text, in one run, and the ratio printed. Usage::

    python scripts/bench_wrap.py [--chars 400000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import textwrap
import time


def best_of(repeat: int, function) -> float:
    """The median wall time of ``repeat`` calls of ``function``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Time both wrappers on one long word and print the figures and their ratio."""
    from kg.cli.wrapping import WIDTH, wrap

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=400_000, help="length of the word")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (median)")
    arguments = parser.parse_args()

    text = "A title: " + "x" * arguments.chars
    ours = wrap(text, WIDTH, "  title: ", "    ")
    theirs = textwrap.fill(text, width=WIDTH, initial_indent="  title: ", subsequent_indent="    ",
                           break_long_words=True, break_on_hyphens=False)  # fmt: skip
    assert ours == theirs, "the two wrappers disagree"
    kg_time = best_of(arguments.repeat, lambda: wrap(text, WIDTH, "  title: ", "    "))
    textwrap_time = best_of(
        arguments.repeat,
        lambda: textwrap.fill(
            text,
            width=WIDTH,
            initial_indent="  title: ",
            subsequent_indent="    ",
            break_long_words=True,
            break_on_hyphens=False,
        ),
    )
    print(f"word of {arguments.chars:,} characters, median of {arguments.repeat} runs")
    print(f"  textwrap.fill: {textwrap_time:.3f} s")
    print(f"  kg wrap:       {kg_time:.3f} s")
    print(f"  ratio:         {textwrap_time / kg_time:.0f}x")


if __name__ == "__main__":
    main()
