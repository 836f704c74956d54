"""The format registry: names, suffixes, and one writer module per format."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import kg.export
from kg.export import FORMATS, format_for_path


def test_every_format_has_a_module_with_the_common_signature():
    for name, fmt in FORMATS.items():
        module = fmt.load()
        assert name == module.NAME
        assert callable(module.write)
        assert module.__doc__ and module.write.__doc__


def test_suffixes_are_unique():
    suffixes = [suffix for fmt in FORMATS.values() for suffix in fmt.suffixes]
    assert len(suffixes) == len(set(suffixes))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("graph.graphml", "graphml"),
        ("GRAPH.GEXF", "gexf"),
        ("graph.json", "json"),
        ("graph.cyjs", "cytoscape"),
        ("refs.csl.json", "csl-json"),
        ("refs.csljson", "csl-json"),
        ("graph.zip", "csv"),
        ("out/", "csv"),
        ("graph.cypher", "cypher"),
        ("graph.cql", "cypher"),
        ("refs.bib", "bibtex"),
        ("graph.txt", None),
        ("graph", None),
    ],
)
def test_format_for_path(path, expected):
    assert format_for_path(path) == expected


def test_an_existing_folder_means_csv(tmp_path):
    assert format_for_path(tmp_path) == "csv"


def test_write_dispatches_by_name(hostile_graph, hostile_corpus):
    stream = io.BytesIO()
    kg.export.write("cypher", hostile_graph, hostile_corpus, stream)
    assert stream.getvalue().startswith(b"// Knowledge graph exported by kg")


def test_unknown_name_is_a_key_error():
    with pytest.raises(KeyError):
        kg.export.get("dot")


def test_the_registry_imports_nothing_heavy():
    """``kg export --help`` lists the formats without loading networkx or the writers."""
    code = "import sys, kg.export; print(sorted(m for m in ('networkx', 'kg.export.gexf', 'bibtexparser') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
