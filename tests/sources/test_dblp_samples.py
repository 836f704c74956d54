"""Real dblp records (tests/samples/dblp.bib, CC0): read as written, and with crossref doing the work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.cite import export_item, format_citations
from kg.sources import load

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "dblp.bib"
PAPERS = ["DBLP:conf/pldi/PadhiSM16", "DBLP:conf/closer/WettingerBL15", "DBLP:conf/cec/GuervosMC11"]
#: What a lab bibliography leaves to the proceedings: these lines go from each paper.
LEFT_TO_PARENT = re.compile(
    r"^  (year|booktitle|publisher)\s*=\s*\{(?:[^{}]|\{[^{}]*\})*\},\n", re.M
)


def lab_style(text: str) -> str:
    """The papers of ``text`` without the fields their proceedings hold."""
    parts = re.split(r"(?=^@)", text, flags=re.M)
    return "".join(LEFT_TO_PARENT.sub("", part) if part.startswith("@inproceedings") else part
                   for part in parts)  # fmt: skip


@pytest.fixture(scope="module")
def as_written():
    return load(SAMPLE, use_cache=False)


@pytest.fixture(scope="module")
def through_crossref(tmp_path_factory):
    path = tmp_path_factory.mktemp("lab") / "lab.bib"
    path.write_text(lab_style(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    return load(path, use_cache=False)


def test_dblp_records_read_clean(as_written):
    assert as_written.problems == []
    paper = as_written.papers["DBLP:conf/closer/WettingerBL15"]
    assert paper.title == (
        "ANY2API - Automated APIfication - Generating APIs for Executables to Ease their "
        "Integration and Orchestration for Cloud Application Deployment Automation"
    )
    assert paper.venue == (
        "CLOSER 2015 - Proceedings of the 5th International Conference on Cloud Computing and "
        "Services Science, Lisbon, Portugal, 20-22 May, 2015."
    )
    assert as_written.authors["breitenbucher-u"].name == "Uwe Breitenbücher"
    assert paper.inherited == {"editor": "DBLP:conf/closer/2015", "publisher": "DBLP:conf/closer/2015",
                               "isbn": "DBLP:conf/closer/2015"}  # fmt: skip


def test_the_lab_shape_resolves_to_the_same_values(as_written, through_crossref):
    assert [p.format() for p in through_crossref.problems] == []
    assert lab_style(SAMPLE.read_text(encoding="utf-8")).count("  year ") == 3  # the proceedings'
    for key in PAPERS:
        ours, theirs = through_crossref.papers[key], as_written.papers[key]
        assert (ours.year, ours.publisher) == (theirs.year, theirs.publisher)
        assert ours.venue  # the proceedings' booktitle, or its title
        item = export_item(ours, through_crossref)
        assert item["issued"] == {"date-parts": [[int(theirs.year)]]}
        assert item["container-title"]
    assert (
        through_crossref.papers["DBLP:conf/cec/GuervosMC11"].venue
        == "IEEE Congress on Evolutionary Computation"
    )
    assert through_crossref.papers["DBLP:conf/pldi/PadhiSM16"].venue == as_written.papers[
        "DBLP:conf/pldi/PadhiSM16"].venue  # fmt: skip


def test_a_paper_is_cited_with_its_proceedings(through_crossref):
    key = "DBLP:conf/pldi/PadhiSM16"
    assert format_citations(through_crossref, [key])[key] == (
        "Padhi, S., Sharma, R., & Millstein, T. D. (2016). Data-driven precondition inference "
        "with learned features. In C. Krintz & E. Berger (Eds.), Proceedings of the 37th ACM "
        "SIGPLAN Conference on Programming Language Design and Implementation, PLDI 2016, Santa "
        "Barbara, CA, USA, June 13-17, 2016 (pp. 42–56). ACM. https://doi.org/10.1145/2908080.2908099"
    )
