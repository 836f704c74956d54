"""Loading both sources together: cross-file checks and one node per author."""

from __future__ import annotations

from kg.sources import load

BIB = """\
@article{a2007, author={Hern{\\'a}ndez, Pilar and Engstrom, David}, title={One}, journal={J}, year={2007}}
@article{b2015, author={Hernandez-Wolfe, Pilar}, title={Two}, journal={J}, year={2015}}
"""
CONCEPTS = """\
version: 1
authors:
  - name: Pilar Hernández
    aliases: [Pilar Hernandez-Wolfe]
  - name: Nobody Here
concepts:
  - id: c
    papers:
      - key: a2008
"""


def test_author_aliases_make_one_author_node(tmp_path):
    (tmp_path / "r.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "c.yaml").write_text(CONCEPTS, encoding="utf-8")
    corpus = load(tmp_path / "r.bib", tmp_path / "c.yaml")
    assert sorted(corpus.authors) == ["engstrom-d", "hernandez-p"]
    pilar = corpus.authors["hernandez-p"]
    assert pilar.name == "Pilar Hernández"
    assert pilar.aliases == ["Pilar Hernandez-Wolfe"]
    assert corpus.papers["b2015"].authors == ["hernandez-p"]
    messages = [p.format().replace(str(tmp_path) + "/", "") for p in corpus.problems]
    assert messages == [
        "c.yaml:9: error: concept 'c': no entry 'a2008' in the bibliography (did you mean 'a2007'?)",
        "c.yaml:5: warning: author 'Nobody Here' appears in no entry",
    ]


def test_bibliography_alone_is_a_project(tmp_path):
    (tmp_path / "r.bib").write_text(BIB, encoding="utf-8")
    corpus = load(tmp_path / "r.bib")
    assert not corpus.has_concepts
    assert corpus.problems == []
    assert len(corpus.papers) == 2 and len(corpus.authors) == 3


def test_shipped_data_hernandez_is_one_author(shipped_bib, shipped_concepts):
    corpus = load(shipped_bib, shipped_concepts)
    assert corpus.errors == []
    hernandez = [a for a in corpus.authors.values() if a.family.startswith("Hern")]
    assert [a.name for a in hernandez] == ["Pilar Hernández"]
    keys = [k for k, p in corpus.papers.items() if hernandez[0].id in p.authors]
    assert "hernandez2007vicarious" in keys and "killian2017development" in keys
