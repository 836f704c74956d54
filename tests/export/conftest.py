"""A small corpus built by hand, full of strings that break careless writers.

Every exporter test writes this corpus and reads it back with the consumer's
own library; the hostile strings (quotes, backslashes, line breaks, ``<``,
``&``, ``]]>``, non-ASCII) must come back unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from export.helpers import BIB_TEXT, HOSTILE
from kg.graph import build_graph
from kg.model import Author, Concept, Corpus, Link, Objective, Paper, Quote, Relation
from tests.conftest import ROOT, need

#: Where scripts/install-export-readers puts the npm packages the tests read exports with.
NODE_MODULES = ROOT / ".cache" / "npm" / "export-readers" / "node_modules"
NPM_PACKAGES = (
    "graphology",
    "graphology-gexf",
    "graphology-graphml",
    "cytoscape",
    "sigma",
    "esbuild",
)


def _lines_of(text: str, key: str) -> tuple[int, int]:
    """1-based first and last line of the entry ``key`` in ``text``."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if f"{{{key}," in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("}"))
    return start + 1, end + 1


@pytest.fixture
def hostile_corpus(tmp_path) -> Corpus:
    """A corpus with two linked papers, one unlinked, two authors, two concepts,
    one objective and one quote, whose texts are hostile strings."""
    bib = tmp_path / "references.bib"
    bib.write_text(BIB_TEXT, encoding="utf-8")
    papers = {}
    for key, entry_type, title, year, authors in (
        ("hernandez2007vicarious", "article", "Vicarious resilience: A new concept & more", "2007",
         ["hernandez-p", "obrien-s"]),
        ("obrien2010book", "book", 'A book with "quotes" in it', "2010", ["obrien-s"]),
        ("lonely2020", "misc", "Nobody links to me", "in press", []),
    ):  # fmt: skip
        line, end_line = _lines_of(BIB_TEXT, key)
        papers[key] = Paper(
            key=key, entry_type=entry_type, title=title, year=year, authors=authors,
            venue="Family Process" if entry_type == "article" else "",
            publisher="Ünïcode Press" if entry_type == "book" else "",
            abstract=HOSTILE if key == "hernandez2007vicarious" else "",
            fields={"title": title, "year": year}, file=str(bib), line=line, end_line=end_line,
        )  # fmt: skip
    authors = {
        "hernandez-p": Author("hernandez-p", "Pilar Hernández", "Hernández", "Pilar",
                              aliases=["Pilar Hernandez-Wolfe"]),
        "obrien-s": Author("obrien-s", "Seán O'Brien <&>", "O'Brien", "Seán"),
    }  # fmt: skip
    concepts = {
        "vicarious-resilience": Concept(
            "vicarious-resilience", "Vicarious resilience", definition=HOSTILE, aliases=["VR"],
            papers=[Link("hernandez2007vicarious", "supported", HOSTILE)], line=3,
        ),
        "vicarious-trauma": Concept(
            "vicarious-trauma", 'Trauma, "vicarious" <kind>',
            relations=[Relation("contrasts-with", "vicarious-resilience", HOSTILE)],
            papers=[Link("obrien2010book", "weak", "Only a book says so.")], line=9,
        ),
    }  # fmt: skip
    objectives = {
        "1a": Objective("1a", "knowledge", "describe <vicarious> resilience & \"trauma\"",
                        concepts=[Link("vicarious-resilience", "supported", "Names it.")],
                        papers=[Link("obrien2010book", "inferred", HOSTILE)], line=20),
    }  # fmt: skip
    quotes = {
        "q1": Quote("q1", HOSTILE, speaker="Seán", source="hernandez2007vicarious", page="12",
                    concepts=["vicarious-resilience"], objectives=["1a"], line=30),
    }  # fmt: skip
    return Corpus(papers=papers, authors=authors, concepts=concepts, objectives=objectives,
                  quotes=quotes, bib_path=str(bib), concepts_path=str(tmp_path / "concepts.yaml"),
                  title=f"Hostile {HOSTILE}", version=1)  # fmt: skip


@pytest.fixture
def hostile_graph(hostile_corpus):
    """The graph of :func:`hostile_corpus`."""
    return build_graph(hostile_corpus)


@pytest.fixture
def shipped_corpus(shipped_bib, shipped_concepts):
    """The shipped workshop data, loaded (skipped locally, failed in CI, when missing)."""
    from tests.conftest import need

    need(
        shipped_bib.is_file() and shipped_concepts.is_file(),
        "the shipped references.bib and concepts.yaml",
    )
    from kg.sources import load

    corpus = load(shipped_bib, shipped_concepts, use_cache=False)
    assert corpus.errors == []
    return corpus


@pytest.fixture
def shipped_graph(shipped_corpus):
    """The graph of the shipped data."""
    return build_graph(shipped_corpus)


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The installed npm packages (skipped locally, failed in CI, when missing)."""
    need(shutil.which("node") is not None, "Node.js (node)")
    need(
        all((NODE_MODULES / package / "package.json").is_file() for package in NPM_PACKAGES),
        f"the npm packages {', '.join(NPM_PACKAGES)} (run scripts/install-export-readers)",
    )
    return NODE_MODULES
