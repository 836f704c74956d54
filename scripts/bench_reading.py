"""Benchmark: how well kg reads a bibliography, measured on what it exports.

For each .bib given, loads it as every command does, writes the JSON export
(``kg export --format json``) and the CSL-JSON export, and measures:

* years resolvable through ``crossref``: entries without a year of their own
  whose crossref chain holds one (found by an independent reading with
  bibtexparser, macros resolved, keys compared without case), and the share
  of them with that year in the JSON export and in CSL-JSON ``issued``;
* ``@inproceedings`` venues: entries with a ``booktitle`` of their own or in
  their crossref chain (``booktitle`` or ``title`` of a parent), and the share
  with a venue in the JSON export and a ``container-title`` in CSL-JSON;
* LaTeX residue: the share of exported titles, venues and publishers still
  holding a command, a brace, ``$...$``, ``~``, ``--`` or TeX quotes;
* white space: exported values of papers holding a line break or a run of
  spaces.

Usage::

    python scripts/bench_reading.py FILE.bib [FILE.bib ...]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: What LaTeX left in a displayed value looks like (a lone "$" is a price, not math).
RESIDUE = re.compile(r"\\[A-Za-z]+|\\.|[{}~]|\$[^$\s](?:[^$]*[^$\s])?\$|--|``|''")
WHITE_SPACE = re.compile(r"\n|\r|\t| {2,}")


def independent_reading(path: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """{lower-case key: (entry type, fields with lower-case names)} read by bibtexparser."""
    import bibtexparser

    text = path.read_bytes().decode("utf-8", errors="replace")
    library = bibtexparser.parse_string(text)
    entries = {}
    for entry in library.entries:
        fields = {field.key.lower(): str(field.value) for field in entry.fields}
        entries.setdefault(entry.key.lower(), (entry.entry_type.lower(), fields))
    return entries


def through_chain(entries, key: str, names: tuple[str, ...], own: bool = True) -> str:
    """The first of ``names`` the entry (if ``own``) or its crossref chain holds."""
    seen = set()
    current = key
    first = True
    while current in entries and current not in seen:
        seen.add(current)
        _, fields = entries[current]
        if own or not first:
            for name in names:
                if fields.get(name, "").strip():
                    return fields[name]
        first = False
        current = fields.get("crossref", "").strip().lower()
    return ""


def measure(path: Path) -> dict:
    """The figures of one bibliography (see the module's docstring)."""
    from kg.export import write
    from kg.graph import build_graph
    from kg.sources import load

    start = time.perf_counter()
    corpus = load(path)
    graph = build_graph(corpus)
    loaded = time.perf_counter() - start
    exported = {}
    for name in ("json", "csl-json"):
        target = io.BytesIO()
        write(name, graph, corpus, target)
        exported[name] = json.loads(target.getvalue().decode("utf-8"))
    papers = {
        node["key"]: node for node in exported["json"]["nodes"] if node.get("kind") == "paper"
    }
    csl = {item["id"]: item for item in exported["csl-json"]}
    entries = independent_reading(path)
    by_lower = {key.lower(): key for key in papers}

    year_keys = [key for key, (_, fields) in entries.items()
                 if "crossref" in fields and not (fields.get("year", "").strip() or fields.get("date", "").strip())
                 and through_chain(entries, key, ("year", "date"), own=False) and key in by_lower]  # fmt: skip
    years_json = sum(1 for key in year_keys if str(papers[by_lower[key]].get("year") or "").strip())
    years_csl = sum(1 for key in year_keys if "issued" in csl.get(by_lower[key], {}))

    venue_keys = [key for key, (kind, _) in entries.items() if (kind in ("inproceedings", "conference")
                  and key in by_lower and through_chain(entries, key, ("booktitle",)))
                  or (kind in ("inproceedings", "conference") and key in by_lower
                      and through_chain(entries, key, ("title",), own=False))]  # fmt: skip
    venues_json = sum(1 for key in venue_keys if (papers[by_lower[key]].get("venue") or "").strip())
    venues_csl = sum(1 for key in venue_keys if "container-title" in csl.get(by_lower[key], {}))

    displayed = [str(node.get(name)) for node in papers.values()
                 for name in ("title", "venue", "publisher") if node.get(name)]  # fmt: skip
    residue = [value for value in displayed if RESIDUE.search(value)]
    values = [
        value for node in papers.values() for value in node.values() if isinstance(value, str)
    ]
    spaced = [value for value in values if WHITE_SPACE.search(value)]
    return {
        "papers": len(papers), "load_seconds": loaded,
        "years": (len(year_keys), years_json, years_csl),
        "venues": (len(venue_keys), venues_json, venues_csl),
        "residue": (len(displayed), len(residue), residue[:5]),
        "white_space": (len(values), len(spaced), spaced[:3]),
    }  # fmt: skip


def share(done: int, of: int) -> str:
    """``done/of (percent)``; 100% of nothing when there is nothing to do."""
    return f"{done}/{of} ({100 * done / of:.1f}%)" if of else "0/0 (none to resolve)"


def main() -> None:
    """Print the figures of every file given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    arguments = parser.parse_args()
    for path in arguments.files:
        result = measure(path)
        years, venues = result["years"], result["venues"]
        shown, residue, examples = result["residue"]
        values, spaced, spaced_examples = result["white_space"]
        print(f"{path.name}: {result['papers']} papers, loaded in {result['load_seconds']:.1f} s")
        print(
            f"  years through crossref: JSON {share(years[1], years[0])}, CSL issued {share(years[2], years[0])}"
        )
        print(f"  @inproceedings venues:  JSON {share(venues[1], venues[0])}, "
              f"CSL container-title {share(venues[2], venues[0])}")  # fmt: skip
        print(f"  LaTeX residue in titles, venues, publishers: {share(residue, shown)}")
        for example in examples:
            print(f"    e.g. {example[:100]!r}")
        print(f"  line breaks or space runs in exported values: {share(spaced, values)}")
        for example in spaced_examples:
            print(f"    e.g. {example[:100]!r}")


if __name__ == "__main__":
    main()
