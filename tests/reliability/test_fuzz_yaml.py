"""Fuzzing the concepts loader: any text, shaped like the format or damaged, never crashes it.

The generator writes files shaped like concepts.yaml (concepts with
relations and evidence links, objectives, quotes, author aliases) holding
arbitrary scalars: YAML 1.1 booleans, numbers, flow collections, anchors,
tags, quotes, tabs, non-ASCII text. The corruption step then deletes,
inserts, truncates and repeats lines, so indentation and quoting break.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg.sources.concepts import load_concepts, parse_concepts

from .helpers import assert_problems_located, fuzz_settings
from .strategies import concepts_files, corrupted


def _assert_model_lines(result, text):
    from .helpers import count_lines

    last = count_lines(text)
    for concept in result.concepts.values():
        assert 1 <= concept.line <= last
        assert all(1 <= link.line <= last for link in concept.papers)
        assert all(1 <= relation.line <= last for relation in concept.relations)
        assert isinstance(concept.label, str) and isinstance(concept.definition, str)
    for objective in result.objectives.values():
        assert 1 <= objective.line <= last
    for quote in result.quotes.values():
        assert 1 <= quote.line <= last and isinstance(quote.text, str)


@fuzz_settings()
@given(concepts_files())
def test_a_file_shaped_like_the_format_gives_located_problems(generated):
    text, _ids = generated
    result = parse_concepts(text, "concepts.yaml")
    assert_problems_located(result.problems, "concepts.yaml", text)
    _assert_model_lines(result, text)


@fuzz_settings(1.5)
@given(corrupted(concepts_files()))
def test_a_damaged_file_gives_located_problems_and_never_raises(text):
    result = parse_concepts(text, "concepts.yaml")
    assert_problems_located(result.problems, "concepts.yaml", text)
    _assert_model_lines(result, text)


@fuzz_settings(0.75)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_arbitrary_text_gives_located_problems(text):
    result = parse_concepts(text, "concepts.yaml")
    assert_problems_located(result.problems, "concepts.yaml", text)
    _assert_model_lines(result, text)


@fuzz_settings(0.5)
@given(corrupted(concepts_files()), st.binary(max_size=4), st.integers(0, 1 << 16))
def test_damaged_bytes_on_disk_give_located_problems(tmp_path_factory, text, junk, where):
    data = text.encode("utf-8")
    index = where % (len(data) + 1)
    data = data[:index] + junk + data[index:]
    path = tmp_path_factory.mktemp("yaml") / "concepts.yaml"
    path.write_bytes(data)
    result = load_concepts(path, "concepts.yaml")
    assert_problems_located(
        result.problems, "concepts.yaml", data.decode("utf-8", errors="replace")
    )


printable = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn")),
                    min_size=1, max_size=60)  # fmt: skip


@fuzz_settings(0.75)
@given(st.lists(printable, min_size=1, max_size=5))
def test_quoted_text_is_read_back_exactly(labels):
    import json

    lines = ["version: 1", "concepts:"]
    for number, label in enumerate(labels):
        # A JSON string is a valid YAML double-quoted scalar.
        lines += [f"  - id: c{number}", f"    label: {json.dumps(label, ensure_ascii=False)}",
                  f"    definition: {json.dumps(label, ensure_ascii=False)}"]  # fmt: skip
    text = "\n".join(lines) + "\n"
    result = parse_concepts(text, "concepts.yaml")
    assert [p for p in result.problems if p.severity == "error"] == []
    for number, label in enumerate(labels):
        concept = result.concepts[f"c{number}"]
        assert concept.label == (label.strip() or f"c{number}")
        assert concept.definition == label.strip()


def _python_parser_only(text: str):
    """What parse_concepts gives when libyaml is not used (ruamel.yaml's Python parser)."""
    from kg.sources import yaml_reader

    with_libyaml = yaml_reader._libyaml_loader_class
    yaml_reader._libyaml_loader_class = lambda: None
    try:
        return parse_concepts(text, "concepts.yaml")
    finally:
        yaml_reader._libyaml_loader_class = with_libyaml


def _same_document(fast, slow, path="document") -> None:
    """The two parsed documents hold the same types, values and lines (kg reads no columns)."""
    assert type(fast) is type(slow), path
    if isinstance(slow, dict):
        assert list(fast) == list(slow), path
        assert fast.lc.line == slow.lc.line, path
        for key in slow:
            assert fast.lc.key(key)[0] == slow.lc.key(key)[0], f"{path}.{key}"
            if slow[key] is not None:  # an empty value's mark differs, and kg never reports it
                assert fast.lc.value(key)[0] == slow.lc.value(key)[0], f"{path}.{key}"
            _same_document(fast[key], slow[key], f"{path}.{key}")
    elif isinstance(slow, list):
        assert len(fast) == len(slow), path
        assert fast.lc.line == slow.lc.line, path
        for index, item in enumerate(slow):
            assert fast.lc.item(index)[0] == slow.lc.item(index)[0], f"{path}[{index}]"
            _same_document(fast[index], item, f"{path}[{index}]")
    elif hasattr(slow, "tag") and hasattr(slow, "value"):  # a tagged scalar ("=" is one)
        assert (fast.value, str(fast.tag)) == (slow.value, str(slow.tag)), path
    else:
        assert fast == slow, path


@fuzz_settings()
@given(st.one_of(concepts_files().map(lambda generated: generated[0]), corrupted(concepts_files())))
def test_libyaml_reads_a_file_exactly_as_the_python_parser(text):
    # Files are read with libyaml when it can: whenever it gives a document, the
    # Python parser must give the same one, and the same concepts and problems.
    from ruamel.yaml import YAML

    from kg.sources.yaml_reader import _load_with_libyaml, _needs_screening

    fast = None if _needs_screening(text) else _load_with_libyaml(text)
    if fast is not None:
        yaml = YAML(typ="rt")
        yaml.preserve_quotes = True
        _same_document(fast, yaml.load(text))
    assert parse_concepts(text, "concepts.yaml") == _python_parser_only(text)
