"""Benchmark: how fast ``kg`` checks real bibliographies, as ratios to a bare parse.

For each bibliography in ``../shared/bench`` (and the shipped workshop data),
runs whole processes, alternately so that a busy machine slows them alike:

* bare: ``bibtexparser.parse_file`` on the file, nothing else (the yardstick);
* cold: ``kg check --no-cache`` with a generated concepts file linking a
  share of the papers (parse, names, checks, graph: everything);
* warm: ``kg check`` again on the unchanged files (read from the cache);

and reports medians of the wall-clock time, the ratios to the bare parse of
the same run, and peak memory: the largest sum of the proportional set size
(PSS) of the process and its worker processes, sampled every 10 ms. It also
times ``kg --help``, and (``scripts/bench_cache.py``) how fast the cache writes and reads
the largest file's corpus, MessagePack against JSON, and (``scripts/bench_add.py``) how
``kg add`` of 4,000 entries compares with 1,000. kg's modules are compiled to bytecode first, as they
are in an installed package (and as bibtexparser's are). ``--render`` adds ``scripts/bench_render.py`` (map
rendering in headless Chromium) when it exists.

Usage::

    python scripts/bench.py [--quick] [--repeat N] [--render] [--markdown FILE]

``--quick``: 3 repeats and only cdl.bib. The machine's load changes the
figures a lot; compare ratios from one run, not times from different runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"
PYTHON = sys.executable
BARE = "import sys, bibtexparser; bibtexparser.parse_file(sys.argv[1])"
#: The share of papers the generated concepts file links to.
LINKED_SHARE = 0.05
KEY = re.compile(r"^@\s*(\w+)\s*[{(]\s*([^,\s{}()\"=]+)\s*,", re.M)


def kg_command() -> list[str]:
    """The ``kg`` console script next to this Python, or ``python -m kg``."""
    script = Path(PYTHON).with_name("kg")
    return [str(script)] if script.exists() else [PYTHON, "-m", "kg"]


def write_concepts(bib: Path, target: Path) -> int:
    """Write a concepts file whose concepts link about :data:`LINKED_SHARE` of the papers."""
    text = bib.read_text(encoding="utf-8", errors="replace")
    keys, seen = [], set()
    for entry_type, key in KEY.findall(text):
        if entry_type.lower() not in {"string", "comment", "preamble"} and key.lower() not in seen:
            seen.add(key.lower())
            keys.append(key)
    linked = keys[:: max(1, round(1 / LINKED_SHARE))]
    concepts = max(1, min(40, len(linked) // 10 or 1))
    lines = ["version: 1", "title: Benchmark", "concepts:"]
    for number in range(concepts):
        lines += [f"  - id: concept-{number}", f"    label: Concept {number}",
                  "    definition: A generated concept for the benchmark.", "    papers:"]  # fmt: skip
        for key in linked[number::concepts]:
            quoted = key.replace("'", "''")
            lines += [
                f"      - key: '{quoted}'",
                "        strength: weak",
                "        reason: Generated link.",
            ]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(linked)


def _tree_pss_kib(pid: int) -> int:
    """Proportional set size (KiB) of a process and all its descendants, now."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as stream:
                for line in stream:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{current}/task/{current}/children") as stream:
                pending.extend(int(child) for child in stream.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(command: list[str], env: dict) -> dict:
    """Run one whole process; its wall time, CPU time, peak memory, exit code and output."""
    sampling = os.path.exists("/proc/self/smaps_rollup")
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_pss_kib(process.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True) if sampling else None
    if sampler:
        sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    if sampler:
        sampler.join()
    return {"wall": wall, "code": process.returncode, "stdout": stdout.decode(errors="replace"),
            "stderr": stderr.decode(errors="replace"), "peak_mib": peak[0] / 1024 if sampling else None}  # fmt: skip


def bench_file(label: str, bib: Path, concepts: Path | None, repeat: int, env: dict) -> dict:
    """Bare parse, cold and warm ``kg check`` of one bibliography, ``repeat`` times each, interleaved."""
    check = [*kg_command(), "check", "--bib", str(bib)]
    if concepts is not None:
        check += ["--concepts", str(concepts)]
    runs: dict[str, list[dict]] = {"bare": [], "cold": [], "warm": []}
    run([*check], env)  # fills the cache for the warm runs (and warms the disk cache)
    for _ in range(repeat):
        runs["bare"].append(run([PYTHON, "-c", BARE, str(bib)], env))
        runs["cold"].append(run([*check, "--no-cache"], env))
        runs["warm"].append(run(check, env))
    for name, results in runs.items():
        for result in results:
            if result["code"] not in (0, 1):
                raise SystemExit(
                    f"{name} run on {bib} failed ({result['code']}):\n{result['stderr'][-2000:]}"
                )
    summary = re.search(r"^(\d+) papers, (\d+) authors.*$", runs["cold"][0]["stdout"], re.M)
    return {
        "label": label,
        "papers": int(summary.group(1)) if summary else None,
        "counts": summary.group(0) if summary else "",
        **{name: statistics.median(r["wall"] for r in results) for name, results in runs.items()},
        **{
            f"{name}_mib": _median_or_none([r["peak_mib"] for r in results])
            for name, results in runs.items()
        },
        "same_output": len({r["stdout"] for r in runs["cold"] + runs["warm"]}) == 1,
    }


def _median_or_none(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def verdicts(row: dict) -> list[str]:
    """The issue's targets that apply to this row, met or missed, with the ratio."""
    found = []

    def target(name: str, value: float | None, limit: float, unit: str = "x") -> None:
        if value is None:
            return
        shown = f"{value:.2f}{unit}" if unit == "x" else f"{value:.2f} s"
        found.append(f"{name} {shown} {'<=' if value <= limit else '>'} {limit:g}{unit if unit == 'x' else ' s'}: "
                     f"{'met' if value <= limit else 'MISSED'}")  # fmt: skip

    papers = row["papers"] or 0
    if row["label"] == "shipped":
        target("cold check", row["cold"], 0.5, "s")
        target("warm check", row["warm"], 0.5, "s")
    elif papers >= 20_000:
        target("cold", row["cold"] / row["bare"], 0.7)
        target("warm", row["warm"] / row["bare"], 0.05)
        if row["cold_mib"] and row["bare_mib"]:
            target("memory", row["cold_mib"] / row["bare_mib"], 1.3)
    elif papers >= 1_000:
        target("cold", row["cold"] / row["bare"], 1.2)
        target("warm", row["warm"] / row["bare"], 0.3)
    return found


def machine() -> list[str]:
    """Lines describing the machine and the versions measured."""
    from importlib.metadata import PackageNotFoundError, version

    model = ""
    try:
        with open("/proc/cpuinfo") as stream:
            model = next(
                (line.split(":", 1)[1].strip() for line in stream if line.startswith("model name")),
                "",
            )
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count()
    versions = []
    for package in ("kg", "bibtexparser", "pylatexenc", "networkx", "click"):
        with contextlib.suppress(PackageNotFoundError):
            versions.append(f"{package} {version(package)}")
    load = (
        " / ".join(f"{value:.1f}" for value in os.getloadavg())
        if hasattr(os, "getloadavg")
        else "?"
    )
    return [
        f"- machine: {cores} cores ({model or platform.processor() or 'unknown CPU'}), {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {', '.join(versions)}",
        f"- load average (1/5/15 min) when the run ended: {load}",
    ]


def table(rows: list[dict], repeat: int) -> list[str]:
    """The results as a Markdown table."""
    lines = [
        f"Medians of {repeat} whole-process runs each (wall clock).",
        "",
        "| file | papers | bare parse | cold check | cold / bare | warm check | warm / bare "
        "| peak MiB bare | peak MiB cold | memory cold / bare | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        memory = (
            f"{row['cold_mib'] / row['bare_mib']:.2f}x"
            if row["cold_mib"] and row["bare_mib"]
            else "?"
        )
        lines.append(
            f"| {row['label']} | {row['papers'] or '?'} | {row['bare']:.2f} s | {row['cold']:.2f} s "
            f"| {row['cold'] / row['bare']:.2f}x | {row['warm']:.2f} s | {row['warm'] / row['bare']:.3f}x "
            f"| {row['bare_mib'] or 0:.0f} | {row['cold_mib'] or 0:.0f} | {memory} "
            f"| {'; '.join(verdicts(row)) or '-'} |"
        )
        if not row["same_output"]:
            lines.append(
                f"|  | WARNING: cold and warm `kg check` printed different output for {row['label']} | | | | | | | | | |"
            )
    return lines


def main() -> None:
    """Run the benchmark, print the tables, and write them to ``--markdown`` if given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats, cdl.bib only")
    parser.add_argument("--repeat", type=int, help="runs per measure (default 5, 3 with --quick)")
    parser.add_argument(
        "--render", action="store_true", help="also run scripts/bench_render.py if present"
    )
    parser.add_argument("--markdown", type=Path, help="write the results (Markdown) to this file")
    arguments = parser.parse_args()
    repeat = arguments.repeat or (3 if arguments.quick else 5)

    files = [("cdl.bib", BENCH / "cdl.bib")]
    if not arguments.quick:
        files.append(("beebe7_concat.bib", BENCH / "beebe7_concat.bib"))
    files = [(label, path) for label, path in files if path.exists()]
    if not files:
        print(
            f"note: no bibliographies in {BENCH}; measuring the shipped data only", file=sys.stderr
        )

    # Measure kg as an installed package runs: with its modules compiled to bytecode,
    # as pip compiles them and as bibtexparser's are. An editable install under
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every run.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "kg")], check=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        env = dict(os.environ, KG_CACHE_DIR=str(Path(folder) / "cache"))
        env.pop("CI", None)
        if not arguments.quick and (ROOT / "references.bib").exists():
            concepts = ROOT / "concepts.yaml"
            rows.append(bench_file("shipped", ROOT / "references.bib", concepts if concepts.exists() else None,
                                   repeat, env))  # fmt: skip
            print(rows[-1]["counts"], file=sys.stderr)
        for label, path in files:
            concepts = Path(folder) / f"{path.stem}.concepts.yaml"
            linked = write_concepts(path, concepts)
            print(f"{label}: concepts file links {linked} papers", file=sys.stderr)
            rows.append(bench_file(label, path, concepts, repeat, env))
            print(rows[-1]["counts"], file=sys.stderr)
        helps = [run([*kg_command(), "--help"], env)["wall"] for _ in range(max(repeat, 5))]

    help_time = statistics.median(helps)
    lines = [*table(rows, repeat), "",
             f"`kg --help`: {help_time:.3f} s (median of {len(helps)}; target <= 0.15 s: "
             f"{'met' if help_time <= 0.15 else 'MISSED'})", "", *machine()]  # fmt: skip

    if files:  # the cache's serialiser: MessagePack against JSON, on the largest file
        done = subprocess.run([PYTHON, str(ROOT / "scripts" / "bench_cache.py"), str(files[-1][1]),
                               "--repeat", str(repeat)], capture_output=True, text=True)  # fmt: skip
        lines += ["", done.stdout.rstrip() or done.stderr[-2000:]]
    done = subprocess.run([PYTHON, str(ROOT / "scripts" / "bench_add.py"), "--repeat", str(repeat)],
                          capture_output=True, text=True)  # fmt: skip
    lines += ["", done.stdout.rstrip() or done.stderr[-2000:]]

    render_script = ROOT / "scripts" / "bench_render.py"
    if arguments.render:
        if render_script.exists():
            sizes = "200,2000" if arguments.quick else "200,2000,10000"
            done = subprocess.run([PYTHON, str(render_script), "--sizes", sizes, "--loads", "1" if arguments.quick else "3"],
                                  capture_output=True, text=True)  # fmt: skip
            lines += [
                "",
                "Rendering (scripts/bench_render.py):",
                "",
                "```",
                done.stdout.rstrip() or done.stderr[-2000:],
                "```",
            ]
        else:
            lines += ["", "Rendering: scripts/bench_render.py is not there; not measured."]

    print("\n".join(lines))
    if arguments.markdown:
        arguments.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
