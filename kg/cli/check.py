"""``kg check``: load the sources and report every problem with file and line."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from kg.cli.options import ENCODING, dump_json, format_option, resolve_sources, source_options
from kg.model import Problem  # light (dataclasses only); CheckReport's annotations name it


@click.command()
@source_options(strict=False)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@click.option(
    "--no-cache", is_flag=True, help="Parse the files again even if a cached result exists."
)
@format_option("text", "json")
@click.pass_context
def check(ctx, bib_path, concepts_path, strict, no_cache, output_format):
    """Check both sources; every problem with file and line.

    Prints the counts of papers, authors, concepts, objectives, quotes and
    edges, then every problem as PATH:LINE: error|warning: message. Exits 1 when
    there is an error (or, with --strict, a warning), 0 otherwise.
    """
    from kg.sources.inputs import read_sources
    from kg.sources.speed import cache

    bib_path, concepts = resolve_sources(ctx, bib_path, concepts_path)
    # Read once: a pipe cannot be read again.
    sources = read_sources(bib_path, concepts, encoding=ctx.meta.get(ENCODING))
    # The report of unchanged files is kept in the cache: a warm check reads only that.
    key = None if no_cache or sources.concepts_too_large is not None else sources.cache_key()
    limit = cache.entry_limit(sources.size) if key else None
    report = cache.read_summary(key, "check", CheckReport, limit) if key else None
    if report is None:
        report = _check_report(sources, use_cache=not no_cache)
        if key:
            cache.write_summary(key, "check", report, CheckReport)
    counts = report.counts
    problems = report.problems
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    if output_format == "json":
        click.echo(dump_json({"counts": counts, "problems": [p.as_dict() for p in problems]}))
    else:
        for problem in problems:
            click.echo(problem.format())
        click.echo(", ".join(f"{value} {name}" for name, value in counts.items()))
        click.echo(
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )
    if errors or (strict and warnings):
        sys.exit(1)


@dataclass
class CheckReport:
    """What ``kg check`` prints: the counts, and the problems in order.

    Kept in the cache beside the corpus as this typed value, so that a planted
    report of other types is a miss (the check runs again), never a traceback.
    """

    counts: dict[str, int]
    problems: list[Problem]


def _check_report(sources, *, use_cache: bool) -> CheckReport:
    """Counts and problems (sorted: bibliography first, then by line)."""
    from kg.graph import edge_count
    from kg.sources import load_read

    corpus = load_read(sources, use_cache=use_cache)
    counts = {
        "papers": len(corpus.papers),
        "authors": len(corpus.authors),
        "concepts": len(corpus.concepts),
        "objectives": len(corpus.objectives),
        "quotes": len(corpus.quotes),
        "edges": edge_count(corpus),
    }
    problems = sorted(
        corpus.problems, key=lambda p: (p.file != sources.bib_label, p.file, p.line or 0)
    )
    return CheckReport(counts, problems)
