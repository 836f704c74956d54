"""Hostile concepts files: each is refused with a clear error, returns, and stays small in memory.

A concepts file is small, plain YAML. Files that try to run code (Python
object tags), to exhaust memory or time (alias bombs, huge files, deep
nesting) or that hide mistakes (duplicate keys, tab indentation) are refused
before anything is built from them. Each case checks the error code, the
line, and that the message says what to do; ``returns_within`` only stops
a hang from taking the suite down, and tracemalloc checks the peak memory.
"""

from __future__ import annotations

import re
import tracemalloc

import pytest

from kg.sources.concepts import load_concepts, parse_concepts

from .helpers import returns_within

#: Safety net for a hang, far above the time any case needs.
HANG_SECONDS = 60
#: Peak memory allowed while reading one hostile file (bytes), beyond the text itself.
MEMORY_BOUND = 64 * 1024 * 1024


def _bomb(levels: int, width: int) -> str:
    lines = ["version: 1", "l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    lines += ["concepts:", "  - id: a", f"    aliases: *l{levels - 1}"]
    return "\n".join(lines) + "\n"


def _merge_bomb(levels: int) -> str:
    lines = ["version: 1", "m0: &m0 {a: 1, b: 2}"]
    for level in range(1, levels):
        lines.append(f"m{level}: &m{level} {{x{level}: [*m{level - 1}, *m{level - 1}]}}")
    lines += ["concepts:", "  - id: a", f"    label: *m{levels - 1}"]
    return "\n".join(lines) + "\n"


def _block_nesting(levels: int) -> str:
    return (
        "version: 1\n"
        + "".join(" " * level + f"k{level}:\n" for level in range(levels))
        + " " * levels
        + "x\n"
    )


# (id, text, expected code, expected line, words the message must hold)
CASES = [
    (
        "python-object-apply",
        "version: 1\nx: !!python/object/apply:os.system ['touch /tmp/kg-pwned']\n",
        "yaml-tag",
        2,
        ["not allowed"],
    ),
    (
        "python-name",
        "version: 1\nconcepts:\n  - id: a\n    label: !!python/name:os.system\n",
        "yaml-tag",
        4,
        ["not allowed"],
    ),
    (
        "python-object-new",
        "version: 1\nx: !!python/object/new:subprocess.Popen [[ls]]\n",
        "yaml-tag",
        2,
        ["tag"],
    ),
    (
        "tag-on-mapping",
        "--- !!python/object:collections.OrderedDict\nversion: 1\n",
        "yaml-tag",
        1,
        ["tag"],
    ),
    (
        "tag-directive",
        "%TAG !p! tag:yaml.org,2002:python/\n---\nversion: 1\nx: !p!object/apply:os.system [id]\n",
        "yaml-tag",
        4,
        ["tag"],
    ),
    ("local-tag", "version: 1\nx: !include /etc/passwd\n", "yaml-tag", 2, ["tag"]),
    ("binary-tag", "version: 1\nx: !!binary aGVsbG8=\n", "yaml-tag", 2, ["tag"]),
    ("set-tag", "version: 1\nx: !!set {a, b}\n", "yaml-tag", 2, ["tag"]),
    ("billion-laughs", _bomb(9, 10), "too-many-aliases", None, ["aliases", "write the values out"]),
    ("doubling-bomb", _bomb(48, 2), "too-many-aliases", None, ["aliases"]),
    ("merge-key-bomb", _merge_bomb(40), "too-many-aliases", None, ["aliases"]),
    (
        "many-aliases",
        "version: 1\na: &a x\nb: [" + ", ".join(["*a"] * 500) + "]\n",
        "too-many-aliases",
        3,
        ["more than"],
    ),
    (
        "deep-flow-sequence",
        "version: 1\nx: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "too-deep",
        2,
        ["nesting"],
    ),
    (
        "deep-flow-mapping",
        "version: 1\nx: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
        "too-deep",
        2,
        ["nesting"],
    ),
    ("deep-block-mapping", _block_nesting(1_000), "too-deep", None, ["nesting"]),
    ("deep-unclosed", "version: 1\nx: " + "[" * 10_000 + "\n", "too-deep", 2, ["nesting"]),
    (
        "duplicate-key",
        "version: 1\nconcepts:\n  - id: a\n    label: A\n    label: B\n",
        "duplicate-key",
        5,
        ["once"],
    ),
    ("duplicate-top-key", "version: 1\nconcepts: []\nconcepts: []\n", "duplicate-key", 3, ["once"]),
    ("tab-indent", "version: 1\nconcepts:\n\t- id: a\n", "yaml", 3, ["tabs"]),
    ("tab-in-mapping", "version: 1\nconcepts:\n  - id: a\n\tlabel: A\n", "yaml", 4, ["tabs"]),
    ("two-documents", "version: 1\n---\nversion: 1\n", "yaml", None, ["YAML"]),
    ("huge-text", "version: 1\n" + "# padding\n" * 1_100_000, "too-large", 1, ["at most"]),
]


@pytest.mark.parametrize(
    "text, code, line, words", [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_hostile_text_is_refused_clearly(text, code, line, words):
    tracemalloc.start()
    try:
        with returns_within(HANG_SECONDS):
            result = parse_concepts(text, "concepts.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    errors = [problem for problem in result.problems if problem.severity == "error"]
    assert [problem.code for problem in errors] == [code], [p.format() for p in result.problems]
    error = errors[0]
    assert error.file == "concepts.yaml"
    assert 1 <= error.line <= text.count("\n") + 1
    if line is not None:
        assert error.line == line, error.format()
    for word in words:
        assert word in error.message, error.message
    assert result.concepts == {} and result.objectives == {} and result.quotes == {}
    assert peak < MEMORY_BOUND + 4 * len(text), f"peak {peak / 1e6:.0f} MB"


def test_a_python_tag_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    text = f"version: 1\nx: !!python/object/apply:os.system ['touch {marker}']\n"
    result = parse_concepts(text, "concepts.yaml")
    assert [problem.code for problem in result.problems] == ["yaml-tag"]
    assert not marker.exists()


def test_a_ten_megabyte_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "concepts.yaml"
    with path.open("wb") as stream:
        stream.write(b"version: 1\nconcepts:\n")
        stream.write(b"  - id: c\n    label: padding padding padding padding\n" * 200_000)
    assert path.stat().st_size > 10_000_000
    tracemalloc.start()
    try:
        with returns_within(HANG_SECONDS):
            result = load_concepts(path, "concepts.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(p.code, p.line) for p in result.problems] == [("too-large", 1)]
    assert "MB" in result.problems[0].message
    assert peak < 1024 * 1024  # refused from its size: the bytes were never read


def test_a_recursive_alias_returns(tmp_path):
    text = "version: 1\nconcepts:\n  - id: a\n    aliases: &loop [*loop]\n    relations: &r [*r]\n"
    with returns_within(HANG_SECONDS):
        result = parse_concepts(text, "concepts.yaml")
    assert "a" in result.concepts
    assert all(1 <= p.line <= 5 for p in result.problems)


def test_a_few_plain_aliases_are_still_allowed():
    text = ("version: 1\nconcepts:\n  - id: a\n    label: &shared Shared label\n"
            "  - id: b\n    label: *shared\n")  # fmt: skip
    result = parse_concepts(text, "concepts.yaml")
    assert result.problems == []
    assert result.concepts["b"].label == "Shared label"


@pytest.mark.parametrize("text, code, line, words", [case[1:] for case in CASES if case[0] != "huge-text"],
                         ids=[case[0] for case in CASES if case[0] != "huge-text"])  # fmt: skip
def test_kg_check_reports_each_hostile_file_with_its_line(
    tmp_path, monkeypatch, text, code, line, words
):
    from click.testing import CliRunner

    from kg.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "references.bib").write_text("@misc{a, title = {A}}\n", encoding="utf-8")
    (tmp_path / "concepts.yaml").write_text(text, encoding="utf-8")
    with returns_within(HANG_SECONDS):
        result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    located = re.search(r"^concepts\.yaml:(\d+)(?::\d+)?: error: ", result.output, re.M)
    assert located, result.output
    if line is not None:
        assert int(located.group(1)) == line
