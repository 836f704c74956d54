"""``kg add``: append pasted BibTeX to the bibliography, and optionally link it to concepts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.options import (
    STRENGTH_CHOICE,
    concept_option,
    dump_json,
    format_option,
    note,
    objective_option,
    require_bibliography,
    source_options,
    warn,
)

STDIN_LABEL = "<stdin>"


@click.command()
@source_options(strict=False)
@click.argument(
    "sources", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True, path_type=str)
)
@concept_option("Link the new entries to this concept (repeatable).", name="concept_ids")
@objective_option(
    "Link the new entries to this learning objective (repeatable).", name="objective_ids"
)
@click.option(
    "--strength",
    type=STRENGTH_CHOICE,
    default="inferred",
    show_default=True,
    help="Evidence strength of the links written.",
)
@click.option(
    "--reason",
    default="",
    metavar="TEXT",
    help="Why the links hold, in your own words (written as each link's reason).",
)
@click.option(
    "--allow-duplicate",
    is_flag=True,
    help="Add an entry whose title, year and first author match an existing one "
    "(same key or DOI is still refused).",
)
@click.option("--dry-run", is_flag=True, help="Check and show what would be added; write nothing.")
@format_option("text", "json")
@click.pass_context
def add(
    ctx,
    bib_path,
    concepts_path,
    sources,
    concept_ids,
    objective_ids,
    strength,
    reason,
    allow_duplicate,
    dry_run,
    output_format,
):
    """Append pasted BibTeX safely; link it to concepts.

    Entries are appended to the bibliography as pasted, without touching the rest.

    SOURCES are files holding BibTeX, or - for standard input; with none, kg
    reads standard input (paste, then Ctrl-D). Each entry must parse on its own
    and have the fields its type requires; a missing key is generated. An entry
    already in the bibliography (same key, DOI, or title + year + first author)
    is refused. All or nothing: if any entry is refused, nothing is written.

    Concepts whose label or alias appears in a new entry's title, abstract or
    keywords are suggested; --concept and --objective write links into the
    concepts file, keeping its comments and layout.

    \b
    Examples:
      kg add new.bib
      kg add --concept vicarious-resilience --strength weak < scholar.bib
      pbpaste | kg add --dry-run
    """
    from kg.editing import writer
    from kg.editing.pasted import PastedSource, decode_pasted, plan_addition
    from kg.errors import KgError
    from kg.fileio import in_project

    links_wanted = bool(concept_ids or objective_ids)
    concepts_file = _check_paths(ctx, bib_path, concepts_path, links_wanted)
    # A symlinked source is written through only into the project's own folder.
    ctx.with_resource(in_project(bib_path.absolute().parent))
    pasted = [
        PastedSource(label, decode_pasted(data, label))
        for label, data in _read_sources(ctx, sources)
    ]
    outcome: dict = {}
    concepts_text = _read_concepts(concepts_file, links_wanted, outcome)
    if concepts_text is None and not links_wanted:
        concepts_file = None  # unreadable: no suggestions, and the file is left alone

    def plan(current):
        addition = plan_addition(
            current[bib_path], str(bib_path), pasted, allow_duplicate=allow_duplicate
        )
        outcome.update(addition=addition, links=[], link_count=None)
        changes = {bib_path: addition.new_bytes}
        if concepts_file is not None:
            data = current.get(concepts_file)
            if data is None:
                data = concepts_text
            changes.update(
                _plan_links(
                    outcome,
                    concepts_file,
                    data,
                    addition,
                    concept_ids,
                    objective_ids,
                    strength,
                    reason,
                )
            )
        return changes

    if dry_run:
        current = {bib_path: writer.read_bytes(bib_path)}
        plan(current)
        for path in [bib_path] + ([concepts_file] if links_wanted else []):
            try:
                writer.check_writable(path)
            except KgError as error:  # the dry run still shows the rest
                warn(f"{error} (a real run would stop here)")
    else:
        paths = [bib_path] + ([concepts_file] if links_wanted else [])
        writer.update_files(paths, plan)

    addition = outcome["addition"]
    for problem in addition.warnings:
        note(problem.format())
    if outcome.get("concepts_problem"):
        note(outcome["concepts_problem"].replace(": error: ", ": warning: ", 1))
    report = _report(outcome, bib_path, concepts_file, dry_run)
    if output_format == "json":
        click.echo(dump_json(report))
    else:
        click.echo(_text_report(report))
    if links_wanted and not reason:
        warn(
            "the new links have no reason; add one in your own words (--reason, or edit the concepts file)"
        )


def _check_paths(ctx, bib_path: Path, concepts_path: Path, links_wanted: bool) -> Path | None:
    """Usage errors for missing files; return the concepts file to use, if any."""
    require_bibliography(ctx, bib_path, dangling_link_ok=True)
    if concepts_path.exists() and not concepts_path.is_dir():
        return concepts_path
    if links_wanted:
        raise click.UsageError(
            f"--concept and --objective need a concepts file, and {concepts_path} does not exist; "
            f"pass --concepts PATH or run `kg init`",
            ctx,
        )
    source = ctx.get_parameter_source("concepts_path")
    if source not in (click.core.ParameterSource.DEFAULT, None):
        raise click.UsageError(f"concepts file not found: {concepts_path}", ctx)
    return None


#: The most pasted BibTeX ``kg add`` reads from one source (some 500,000 entries): a
#: runaway pipe or ``/dev/zero`` ends with a message instead of filling the memory.
MAX_PASTED_BYTES = 256 * 1024 * 1024


def _read_sources(ctx, sources: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """The bytes of each source (``-`` or none: standard input), with its label.

    Each is read through :func:`kg.fileio.read_guarded`: a regular file, a pipe
    (which ends with a message after a silence) or a terminal, bounded by
    :data:`MAX_PASTED_BYTES`; a device or a folder is refused.
    """
    import os

    from kg.fileio import read_guarded, read_stdin

    if not sources:
        sources = ("-",)
    if sources.count("-") > 1:
        raise click.UsageError("standard input (-) can be given only once", ctx)
    read = []
    for name in sources:
        if name == "-":
            read.append((STDIN_LABEL, read_stdin(STDIN_LABEL, limit=MAX_PASTED_BYTES)))
            continue
        if not os.path.exists(name):
            raise click.UsageError(
                f"no such file: {name} (give a BibTeX file, or - for standard input)", ctx
            )
        data = read_guarded(
            name, limit=MAX_PASTED_BYTES, pipes=True, what="a BibTeX file, or - for standard input"
        )
        read.append((name, data or b""))
    return read


def _read_concepts(concepts_file: Path | None, links_wanted: bool, outcome: dict) -> bytes | None:
    """The concepts file's bytes, read as every command reads it (bounded, a regular file).

    When no link is asked for, a file that cannot be read only costs the
    suggestions: the reason goes into ``outcome`` and None is returned.
    """
    if concepts_file is None:
        return None
    from kg.errors import ReadError
    from kg.fileio import read_guarded
    from kg.sources.yaml_reader import MAX_BYTES

    try:
        return read_guarded(concepts_file, limit=MAX_BYTES, what="the path of a regular file")
    except ReadError as error:
        if links_wanted:
            raise
        outcome["concepts_problem"] = f"kg: warning: {error} (no concept suggestions)"
        return None


def _plan_links(
    outcome, concepts_file, data, addition, concept_ids, objective_ids, strength, reason
):
    """Suggest concepts for each new entry and, when asked, add links; return the file change."""
    from kg.editing import writer
    from kg.editing.yaml_links import (
        NewLink,
        add_links,
        concepts_of,
        count_paper_links,
        load_document,
        suggest_concepts,
    )
    from kg.errors import KgError
    from kg.model import Corpus

    label = str(concepts_file)
    links_wanted = bool(concept_ids or objective_ids)
    try:
        text = writer.decode_source(data, label)
        document = load_document(text, label)
    except KgError as error:
        if links_wanted:
            raise
        # Suggestions are a convenience: a broken concepts file must not block an addition.
        outcome["concepts_problem"] = f"{error} (no concept suggestions)"
        return {}
    corpus = Corpus(concepts=concepts_of(document))
    # Ids are read as every command reads them: case, accents and separators aside.
    concept_ids = [_resolve_owner(document, "concept", text) for text in concept_ids]
    objective_ids = [_resolve_owner(document, "objective", text) for text in objective_ids]
    for entry in addition.entries:
        entry.suggestions = suggest_concepts(corpus, entry.paper)
    links = [
        NewLink(kind, owner, entry.key, strength, reason)
        for kind, owners in (("concept", concept_ids), ("objective", objective_ids))
        for owner in dict.fromkeys(owners)
        for entry in addition.entries
    ]
    outcome["links"] = links
    if not links:
        outcome["link_count"] = count_paper_links(document)
        return {}
    new_text = add_links(text, links, label)
    outcome["link_count"] = count_paper_links(load_document(new_text, label))
    style = writer.detect_style(data)
    new_data = (writer.BOM if style.bom else b"") + new_text.encode("utf-8")
    return {concepts_file: new_data}


def _resolve_owner(document, kind: str, text: str) -> str:
    """The id of the concept or objective ``text`` names, by :func:`kg.query.resolve_among`."""
    from kg.editing.yaml_links import linkable_items
    from kg.query import Names, resolve_among

    candidates = {}
    for owner_id, item in linkable_items(document, kind).items():
        others = [item.get("label")] if hasattr(item, "get") else []
        aliases = item.get("aliases") if hasattr(item, "get") else None
        if isinstance(aliases, list):
            others.extend(aliases)
        candidates[str(owner_id)] = Names(
            shown=str(owner_id),
            ids=(str(owner_id), f"{kind}:{owner_id}"),
            others=tuple(str(name) for name in others if name),
        )
    return resolve_among(text, candidates, kind, list_choices=kind == "objective")


def _report(outcome: dict, bib_path: Path, concepts_file: Path | None, dry_run: bool) -> dict:
    """The result as data: the JSON output, and what the text output is made from."""
    addition = outcome["addition"]
    return {
        "added": [
            {
                "key": entry.key,
                "generated_key": entry.generated_key,
                "title": entry.paper.title,
                "year": entry.paper.year,
                "line": entry.file_line,
                "source": f"{entry.source}:{entry.line}",
                "suggested_concepts": [
                    {"concept": concept_id, "matched": matched}
                    for concept_id, matched in entry.suggestions
                ],
            }
            for entry in addition.entries
        ],
        "links": [
            {
                "from": f"{link.owner_kind}:{link.owner_id}",
                "paper": link.key,
                "strength": link.strength,
                "reason": link.reason,
            }
            for link in outcome["links"]
        ],
        "bib": str(bib_path),
        "concepts": str(concepts_file) if concepts_file is not None else None,
        "counts": {"entries": addition.entry_count, "links": outcome["link_count"]},
        "dry_run": dry_run,
    }


def _text_report(report: dict) -> str:
    """The result for a person: what was added where, suggestions, links, counts."""
    verb = "would add" if report["dry_run"] else "added"
    lines = []
    for entry in report["added"]:
        lines.append(
            f"{verb} {entry['key']} at {report['bib']}:{entry['line']}: {entry['title']}"
            + (f" ({entry['year']})" if entry["year"] else "")
        )
        if entry["generated_key"]:
            lines.append(f"  key generated: {entry['key']} (the entry had none)")
        suggestions = entry["suggested_concepts"]
        if suggestions:
            shown = ", ".join(f'{item["concept"]} ("{item["matched"]}")' for item in suggestions)
            lines.append(f"  suggested concepts: {shown}")
    linked = "would link" if report["dry_run"] else "linked"
    for link in report["links"]:
        lines.append(f"{linked} {link['from']} -> {link['paper']} ({link['strength']})")
    if (
        report["added"]
        and not report["links"]
        and any(e["suggested_concepts"] for e in report["added"])
    ):
        lines.append("  link them with --concept ID (and --strength, --reason)")
    counts = report["counts"]
    summary = f"{report['bib']}: {counts['entries']} entries"
    if report["concepts"] is not None and counts["links"] is not None:
        summary += f"; {report['concepts']}: {counts['links']} paper links"
    lines.append(summary)
    if report["dry_run"]:
        lines.append("(dry run: nothing written)")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(add())
