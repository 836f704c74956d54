"""The concepts-file loader: its model, and every mistake a hand editor can make."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.sources.concepts import check_references, load_concepts, parse_concepts

GOOD = """\
version: 1
title: Test literature
authors:
  - name: Pilar Hernández
    aliases: [Pilar Hernandez-Wolfe]
concepts:
  - id: resilience
    label: Resilience
    definition: >-
      Doing well
      despite adversity.
    aliases: [bouncing back]
    relations:
      - type: contrasts-with
        concept: trauma
        reason: Opposites.
    papers:
      - key: smith2020
        strength: supported
        reason: Says so.
  - id: trauma
    label: Trauma
objectives:
  - id: "1a"
    domain: knowledge
    text: describe resilience
    concepts:
      - id: resilience
        strength: weak
    papers:
      - key: smith2020
        strength: inferred
        reason: Close enough.
quotes:
  - id: q1
    text: "A quote."
    speaker: Someone
    source: smith2020
    concepts: [resilience]
    objectives: ["1a"]
"""


def problems_of(text: str, papers=("smith2020",)):
    result = parse_concepts(text, "concepts.yaml")
    return [
        (p.line, p.severity, p.code)
        for p in result.problems + check_references(result, papers, "concepts.yaml")
    ]


def test_reads_the_whole_format():
    result = parse_concepts(GOOD, "concepts.yaml")
    assert result.problems == []
    assert result.version == 1 and result.title == "Test literature"
    resilience = result.concepts["resilience"]
    assert resilience.definition == "Doing well despite adversity."
    assert resilience.aliases == ["bouncing back"]
    assert [(r.type, r.target, r.line) for r in resilience.relations] == [
        ("contrasts-with", "trauma", 14)
    ]
    assert [(link.target, link.strength, link.line) for link in resilience.papers] == [
        ("smith2020", "supported", 18)
    ]
    objective = result.objectives["1a"]
    assert (objective.domain, objective.text, objective.line) == (
        "knowledge",
        "describe resilience",
        24,
    )
    assert [(link.target, link.strength) for link in objective.concepts] == [("resilience", "weak")]
    assert [(link.target, link.strength) for link in objective.papers] == [
        ("smith2020", "inferred")
    ]
    quote = result.quotes["q1"]
    assert (quote.source, quote.concepts, quote.objectives) == ("smith2020", ["resilience"], ["1a"])
    assert [(a.name, a.aliases) for a in result.author_aliases] == [
        ("Pilar Hernández", ["Pilar Hernandez-Wolfe"])
    ]
    assert check_references(result, ["smith2020"], "concepts.yaml") == []


BAD = [
    pytest.param("version: 1\nconcepts:\n  - id: a\n    label: A\n    label: B\n",
                 [(5, "error", "duplicate-key")], id="duplicate-key"),
    pytest.param("version: 1\nobjectives:\n  - id: 010\n    domain: skill\n    text: t\n",
                 [(3, "error", "id-type")], id="number-as-id"),
    pytest.param("version: 1\nobjectives:\n  - id: no\n    domain: skill\n    text: t\n",
                 [(3, "warning", "yaml11-boolean")], id="yaml11-boolean-as-id"),
    pytest.param("version: 1\nobjectives:\n  - id: 'no'\n    domain: skill\n    text: t\n",
                 [], id="quoted-boolean-word-is-fine"),
    pytest.param("version: 1\nconcepts:\n  - id: a\n    papers:\n      - key: smith2021\n",
                 [(5, "error", "unknown-paper")], id="unknown-paper"),
    pytest.param("version: 1\nconcepts:\n  - id: a\n    relations:\n      - type: part-of\n        concept: b\n",
                 [(5, "error", "unknown-concept")], id="unknown-concept"),
    pytest.param("version: 1\nconcepts:\n  - id: a\n    relations:\n      - type: kind-of\n        concept: a\n",
                 [(5, "warning", "relation-type")], id="unknown-relation-type"),
    pytest.param("version: 1\nconcepts:\n  - id: a\n    papers:\n      - key: smith2020\n        strength: strong\n",
                 [(6, "error", "bad-strength")], id="bad-strength"),
    pytest.param("version: 1\nobjectives:\n  - id: x\n    domain: feelings\n    text: t\n",
                 [(4, "error", "bad-domain")], id="bad-domain"),
    pytest.param("version: 1\nconcepts: resilience\n", [(2, "error", "wrong-type")], id="concepts-not-a-list"),
    pytest.param("version: 1\nconcepts:\n  - just a string\n", [(3, "error", "wrong-type")], id="item-not-a-mapping"),
    pytest.param("concepts: []\n", [(1, "error", "no-version")], id="no-version"),
    pytest.param("version: 7\n", [(1, "error", "bad-version")], id="unknown-version"),
    pytest.param("- a\n- b\n", [(1, "error", "not-a-mapping")], id="not-a-mapping"),
    pytest.param("version: 1\nconcepts:\n\t- id: a\n", [(3, "error", "yaml")], id="tab-indentation"),
    pytest.param("version: 1\nx: !!python/object/apply:os.system ['true']\n", [(2, "error", "yaml-tag")],
                 id="python-object-tag"),
    pytest.param("version: 1\nconcepts:\n  - id: a\n  - id: a\n", [(4, "error", "duplicate-id")], id="duplicate-id"),
    pytest.param("version: 1\ntitle: -_\n", [(1, "error", "yaml")], id="scalar-ruamel-cannot-construct"),
    pytest.param("version: 1\nquotes:\n  - id: q\n    text: t\n    objectives: [9z]\n",
                 [(3, "error", "unknown-objective")], id="quote-unknown-objective"),
]  # fmt: skip


@pytest.mark.parametrize("text, expected", BAD)
def test_mistakes_are_reported_with_their_line(text, expected):
    assert problems_of(text) == expected


def test_did_you_mean_for_a_misspelt_paper():
    result = parse_concepts(
        "version: 1\nconcepts:\n  - id: a\n    papers:\n      - key: smith2021\n", "c.yaml"
    )
    [problem] = check_references(result, ["smith2020", "jones1999"], "c.yaml")
    assert problem.format() == (
        "c.yaml:5: error: concept 'a': no entry 'smith2021' in the bibliography (did you mean 'smith2020'?)"
    )


def test_number_id_message_says_to_quote_it():
    result = parse_concepts(
        "version: 1\nobjectives:\n  - id: 1\n    domain: skill\n    text: t\n", "c.yaml"
    )
    assert result.problems[0].format() == (
        "c.yaml:3: error: 'id' was read as a number (1), not text: put it in quotes, e.g. id: \"1\""
    )


def test_duplicate_key_message():
    result = parse_concepts(
        "version: 1\nconcepts:\n  - id: a\n    label: A\n    label: B\n", "c.yaml"
    )
    assert result.problems[0].format() == (
        'c.yaml:5:5: error: duplicate key "label" in the mapping starting at line 3: each key may appear once in a mapping'
    )


def test_alias_bomb_is_refused_quickly():
    lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 12):
        previous = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([previous] * 10)}]")
    result = parse_concepts("\n".join(lines) + "\n", "bomb.yaml")
    assert [p.code for p in result.problems] == ["too-many-aliases"]


def test_deep_nesting_is_refused():
    text = "version: 1\nx: " + "[" * 200 + "]" * 200 + "\n"
    assert [p.code for p in parse_concepts(text, "deep.yaml").problems] == ["too-deep"]


def test_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"version: 1\n" + b"# padding\n" * 1_100_000)
    [problem] = load_concepts(path).problems
    assert problem.code == "too-large"


def test_latin1_file_names_line_and_column(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("version: 1\ntitle: Caf\u00e9\n".encode("latin-1"))
    [problem] = load_concepts(path, "latin.yaml").problems
    assert (problem.line, problem.column, problem.code) == (2, 11, "encoding")


def test_shipped_concepts_file_is_clean(shipped_concepts):
    result = load_concepts(shipped_concepts, "concepts.yaml")
    assert result.problems == []
    assert len(result.concepts) >= 16
    assert sorted(result.objectives) == ["1a", "1b", "1c", "2a", "2b", "3a", "3b", "3c"]
    assert result.objectives["3b"].text == (
        "demonstrate an increased awareness of and attention to self-care as a necessity, not a luxury"
    )
    assert {o.domain for o in result.objectives.values()} == {"knowledge", "skill", "attitude"}
    assert len(result.quotes) == 2


def test_the_shipped_concepts_file_is_read_with_libyaml():
    # libyaml (ruamel.yaml's C extension, a dependency) reads plain files many
    # times faster than the Python parser; it must not fall back silently.
    from kg.sources.yaml_reader import _load_with_libyaml

    text = (Path(__file__).parents[2] / "concepts.yaml").read_text(encoding="utf-8")
    document = _load_with_libyaml(text)
    assert document is not None
    assert [concept["id"] for concept in document["concepts"]][:2] == [
        "vicarious-resilience",
        "vicarious-trauma",
    ]


def test_a_file_libyaml_cannot_read_is_reported_by_the_python_parser():
    # The messages quote ruamel.yaml's Python parser, whatever libyaml would say.
    result = parse_concepts("version: 1\nconcepts:\n  - id: a\n   label: b\n", "c.yaml")
    [problem] = result.problems
    assert (problem.line, problem.code) == (4, "yaml")
    assert problem.message.startswith("not valid YAML: ")


@pytest.mark.parametrize("section", ["concepts", "objectives", "quotes"])
def test_an_id_defined_twice_names_the_first_definition(section):
    extra = {"concepts": "", "objectives": "    text: t\n", "quotes": "    text: t\n"}[section]
    text = f"version: 1\n{section}:\n  - id: a\n{extra}  - id: b\n{extra}  - id: a\n{extra}"
    result = parse_concepts(text, "c.yaml")
    [problem] = [p for p in result.problems if p.code == "duplicate-id"]
    kind = section[:-1]
    assert problem.format() == (
        f"c.yaml:{text.count(chr(10), 0, text.rindex('- id: a')) + 1}: error: "
        f"{kind} 'a' is defined twice (first at line 3)"
    )
