"""A small, realistic corpus for the concept-map tests, with hostile text in many fields."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.model import Author, Concept, Corpus, Link, Objective, Paper, Quote, Relation

#: Text that would run script if the page ever treated data as markup.
IMG_PAYLOAD = "<img src=x onerror=window.__xss=1>"
SCRIPT_PAYLOAD = "<script>window.__xss=1</script>"
CLOSE_SCRIPT = "</script>"
HREF_PAYLOAD = r"\href{javascript:window.__xss=1}{see href here}"
PAYLOADS = (IMG_PAYLOAD, SCRIPT_PAYLOAD, CLOSE_SCRIPT, HREF_PAYLOAD)


def build_corpus() -> Corpus:
    """Three papers, their authors, three concepts, two objectives and a quote."""
    authors = {
        "hernandez-p": Author("hernandez-p", "Pilar Hernández", "Hernández", "Pilar"),
        "gangsei-d": Author("gangsei-d", "David Gangsei", "Gangsei", "David"),
        "engstrom-d": Author("engstrom-d", "David Engstrom", "Engstrom", "David"),
        "pack-m": Author("pack-m", f"Margaret {IMG_PAYLOAD}", IMG_PAYLOAD, "Margaret"),
    }
    papers = {
        "hernandez2007vicarious": Paper(
            key="hernandez2007vicarious",
            entry_type="article",
            title="Vicarious resilience: A new concept in work with those who survive trauma",
            year="2007",
            authors=["hernandez-p", "gangsei-d", "engstrom-d"],
            venue="Family Process",
            volume="46",
            number="2",
            pages="229--241",
            doi="10.1111/j.1545-5300.2007.00206.x",
            note=f"Seed paper. {SCRIPT_PAYLOAD}",
            fields={"title": "Vicarious resilience", "journal": "Family Process", "year": "2007"},
        ),
        "engstrom2008vicarious": Paper(
            key="engstrom2008vicarious",
            entry_type="article",
            title=f"Vicarious resilience {HREF_PAYLOAD}",
            year="2008",
            authors=["engstrom-d", "hernandez-p", "gangsei-d"],
            venue="Traumatology",
            abstract=f"An abstract that ends the script early {CLOSE_SCRIPT} and goes on\u2028after a line separator.",
            url="javascript:window.__xss=1",
            fields={"title": "Vicarious resilience", "journal": "Traumatology", "year": "2008"},
        ),
        "pack2014vicarious": Paper(
            key="pack2014vicarious",
            entry_type="article",
            title=f"A multilayered model {IMG_PAYLOAD}",
            year="2014",
            authors=["pack-m"],
            venue="Affilia",
            fields={"title": "A multilayered model", "journal": "Affilia", "year": "2014"},
        ),
    }
    concepts = {
        "vicarious-resilience": Concept(
            id="vicarious-resilience",
            label="Vicarious resilience",
            definition="How therapists are changed for the better by their clients' resilience.",
            aliases=["VR"],
            relations=[
                Relation("contrasts-with", "vicarious-trauma", reason="The two sides of the work.")
            ],
            papers=[
                Link("hernandez2007vicarious", "supported", "Names the concept."),
                Link("engstrom2008vicarious", "supported", "Describes it."),
                Link("pack2014vicarious", "weak", f"A model {SCRIPT_PAYLOAD}"),
            ],
        ),
        "vicarious-trauma": Concept(
            id="vicarious-trauma",
            label=f"Vicarious trauma {IMG_PAYLOAD}",
            definition=f"Harm from hearing clients' trauma. {CLOSE_SCRIPT}{SCRIPT_PAYLOAD}",
            aliases=["VT", HREF_PAYLOAD],
            papers=[Link("pack2014vicarious", "inferred", "")],
        ),
        "self-care": Concept(
            id="self-care",
            label="Self-care",
            definition="Looking after oneself as a professional necessity.",
        ),
    }
    objectives = {
        "1a": Objective(
            id="1a",
            domain="knowledge",
            text="describe the concept of vicarious resilience",
            concepts=[Link("vicarious-resilience", "supported", "Names it.")],
            papers=[Link("hernandez2007vicarious", "supported", "Defines it.")],
        ),
        "3b": Objective(
            id="3b",
            domain="attitude",
            text=f"attend to self-care {IMG_PAYLOAD}",
            concepts=[Link("self-care", "weak", "From the workshop description.")],
        ),
    }
    quotes = {
        "helped": Quote(
            id="helped",
            text=f"Our capacity to help others {CLOSE_SCRIPT} is greatest when we are helped.",
            speaker="Laura van Dernoot Lipsky",
            source="pack2014vicarious",
            concepts=["self-care"],
            objectives=["3b"],
        )
    }
    return Corpus(
        papers=papers,
        authors=authors,
        concepts=concepts,
        objectives=objectives,
        quotes=quotes,
        bib_path="references.bib",
        concepts_path="concepts.yaml",
        title=f"Workshop {IMG_PAYLOAD}",
        version=1,
    )


@pytest.fixture
def corpus() -> Corpus:
    """A fresh hostile corpus for each test."""
    return build_corpus()


@pytest.fixture(scope="module")
def shipped_map(tmp_path_factory) -> Path:
    """The workshop's map as the README's command draws it: from the shipped sources, kept in
    their committed layout file (a copy of it, which the render may write)."""
    import kg
    from kg.render import write_map
    from tests.conftest import ROOT, need

    bib, concepts = ROOT / "references.bib", ROOT / "concepts.yaml"
    need(bib.exists() and concepts.exists(), "the shipped references.bib and concepts.yaml")
    folder = tmp_path_factory.mktemp("shipped")
    shutil.copy(ROOT / "concept-map.layout.json", folder / "concept-map.layout.json")
    path = folder / "concept-map.html"
    write_map(kg.load(bib, concepts), path, layout=folder / "concept-map.layout.json")
    return path
