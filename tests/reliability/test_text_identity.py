"""Odd text never crashes an output: lone surrogates, ids that collide, invisible characters.

- A lone surrogate (``label: "\\ud800"``, a YAML escape) is an ``unencodable``
  error with file and line in ``kg check``; every command that writes
  something reports it and writes U+FFFD in its place (with ``--strict`` it
  refuses, exit 1), so it never reaches an output and never a traceback.
- Keys and ids equal after NFC and kg's folding (case, accents, separators)
  are an ``id-collision`` error naming both lines.
- Invisible and bidi-control characters, and look-alike scripts mixed in a
  key or id, are warnings; a terminal gets them escaped.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kg.cli import VisibleControlCharacters, main
from kg.sources import load
from kg.sources.identity import fold

from .helpers import fuzz_settings

ROOT = Path(__file__).resolve().parents[2]
ENTRY = "@misc{{{key},\n  title = {{{title}}},\n  author = {{Kim, Ana}},\n  year = {{2024}},\n}}\n"
OUTPUT_COMMANDS = [
    ["render", "-o", "map.html"],
    ["show", "self-care"],
    ["show", "self-care", "--format", "json"],
    ["papers", "--concept", "self-care"],
    ["reading-list"],
    ["reading-list", "--format", "html", "-o", "list.html"],
    ["gaps"],
    ["path", "self-care", "vicarious-resilience"],
    *[
        ["export", "--format", name, "-o", "-"]
        for name in ("graphml", "gexf", "json", "cytoscape", "cypher", "bibtex", "csl-json")
    ],
    ["export", "--format", "csv", "-o", "out.zip"],
]


@pytest.fixture
def project(shipped_project):
    """A copy of the shipped sources, as the current directory."""
    return shipped_project


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in the file; return the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    return text.count("\n", 0, index) + 1


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content.count("\n", 0, content.index(text)) + 1


def check(*arguments):
    return CliRunner().invoke(main, ["check", *arguments])


def append_entries(project: Path, *keys: str) -> dict[str, int]:
    """Append one small entry per key; return each key's line."""
    with open(project / "references.bib", "a", encoding="utf-8") as stream:
        for number, key in enumerate(keys):
            stream.write("\n")
            stream.write(ENTRY.format(key=key, title=f"Title {number}"))
    text = (project / "references.bib").read_text(encoding="utf-8")
    return {key: text.count("\n", 0, text.index("@misc{" + key + ",")) + 1 for key in keys}


# ---------------------------------------------------------------- lone surrogates


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("label: Self-care", 'label: "Self\\ud800care"', "label"),
        ("aliases: [self care, caring for self]", 'aliases: [self care, "\\udc80"]', "aliases[1]"),
    ],
)
def test_a_lone_surrogate_is_an_error_with_file_and_line(project, old, new, where):
    replace_in(project / "concepts.yaml", old, new)
    line = line_of(project / "concepts.yaml", "- id: self-care\n")  # the concept's own line
    result = check()
    assert result.exit_code == 1
    expected = f"concepts.yaml:{line}: error: concept 'self-care': '{where}' holds U+D"
    assert expected in result.stdout
    assert "half of a surrogate pair" in result.stdout
    assert "Traceback" not in result.output


def test_a_lone_surrogate_in_a_relation_reason_points_at_the_relation(project):
    text = (project / "concepts.yaml").read_text(encoding="utf-8")
    start = text.index("reason:", text.index("id: self-care"))
    line = text.count("\n", 0, text.rindex("- type:", 0, start)) + 1  # the relation's own line
    end = text.index("\n", start)
    (project / "concepts.yaml").write_text(
        text[:start] + 'reason: "A \\ud83d reason"' + text[end:], encoding="utf-8"
    )
    result = check("--format", "json")
    assert result.exit_code == 1
    assert f'"line": {line},' in result.stdout and '"code": "unencodable"' in result.stdout


OUTPUT_FILES = ("map.html", "list.html", "out.zip")


def test_a_lone_surrogate_never_reaches_an_output(project):
    replace_in(project / "concepts.yaml", "label: Self-care", 'label: "Self\\ud800care"')
    for arguments in OUTPUT_COMMANDS:
        result = CliRunner().invoke(main, arguments)
        assert result.exit_code == 0, (arguments, result.output)
        assert "holds U+D800" in result.stderr, arguments
        assert "\ud800" not in result.stdout, arguments
        assert result.exception is None or isinstance(result.exception, SystemExit), arguments
    for name in OUTPUT_FILES:
        data = (project / name).read_bytes()
        assert b"\xed\xa0\x80" not in data  # never the surrogate's bytes
    assert "Self\ufffdcare" in (project / "map.html").read_text(encoding="utf-8")


def test_a_lone_surrogate_with_strict_writes_nothing(project):
    replace_in(project / "concepts.yaml", "label: Self-care", 'label: "Self\\ud800care"')
    for arguments in OUTPUT_COMMANDS:
        result = CliRunner().invoke(main, [*arguments, "--strict"])
        assert result.exit_code == 1, (arguments, result.output)
        assert result.stdout == "", arguments
        assert result.stderr.endswith(
            "kg: error: 1 error in the sources; nothing was written (--strict). "
            "Fix them and run again\n"
        ), arguments
    assert not any((project / name).exists() for name in OUTPUT_FILES)


def test_a_lone_surrogate_through_the_real_command_gives_a_message_not_a_traceback(project):
    replace_in(project / "concepts.yaml", "label: Self-care", 'label: "Self\\ud800care"')
    for arguments in (
        ["check"],
        ["render"],
        ["export", "--format", "gexf", "-o", "-"],
        ["show", "self-care"],
    ):
        done = subprocess.run([sys.executable, "-m", "kg", *arguments], capture_output=True,
                              cwd=project, timeout=120, check=False)  # fmt: skip
        assert done.returncode == (1 if arguments == ["check"] else 0), arguments
        assert b"holds U+D800" in done.stdout + done.stderr, arguments
        assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
        assert b"\xed\xa0\x80" not in done.stdout + done.stderr  # never the raw surrogate


def test_a_corpus_with_a_surrogate_goes_through_the_cache_and_keeps_its_error(project):
    replace_in(project / "concepts.yaml", "label: Self-care", 'label: "Self\\ud800care"')
    first = load(project / "references.bib", project / "concepts.yaml")
    again = load(project / "references.bib", project / "concepts.yaml")
    assert again == first
    assert [p.code for p in again.errors] == ["unencodable"]


# ---------------------------------------------------------------- colliding ids


def test_keys_equal_after_normalisation_are_an_error_naming_both_lines(project):
    composed, decomposed = "caf\u00e92024a", "cafe\u03012024a"
    lines = append_entries(project, composed, decomposed)
    result = check()
    assert result.exit_code == 1
    expected = (f"references.bib:{lines[decomposed]}: error: key 'cafe\\u03012024a' and "
                f"'caf\\u00e92024a' (line {lines[composed]}) are the same text")  # fmt: skip
    assert expected in result.stdout


@pytest.mark.parametrize("second", ["Cafe-2024A", "cafe-2024a", "cafe_2024_a", "CAFÉ2024a"])
def test_keys_equal_after_folding_case_accents_and_separators_collide(project, second):
    lines = append_entries(project, "cafe2024a", second)
    result = check()
    assert result.exit_code == 1
    assert (
        f"references.bib:{lines[second]}: error: key '{second}' and 'cafe2024a' (line {lines['cafe2024a']})"
        in result.stdout
    )
    assert "id-collision" not in result.stdout  # codes are for JSON; the text names the lines


def test_concept_ids_that_fold_alike_are_an_error_and_kg_path_refuses(project):
    text = (project / "concepts.yaml").read_text(encoding="utf-8")
    anchor = "  - id: vicarious-resilience\n"
    (project / "concepts.yaml").write_text(
        text.replace(anchor, "  - id: selfcare\n    label: Self care again\n" + anchor, 1),
        encoding="utf-8",
    )
    first = line_of(project / "concepts.yaml", "id: self-care\n")
    second = line_of(project / "concepts.yaml", "id: selfcare\n")
    result = check()
    assert result.exit_code == 1
    earlier, later = sorted([(first, "self-care"), (second, "selfcare")])
    assert (f"concepts.yaml:{later[0]}: error: concept id '{later[1]}' and '{earlier[1]}' "
            f"(line {earlier[0]})") in result.stdout  # fmt: skip
    path = CliRunner().invoke(main, ["path", "selfcare", "self-care"])
    assert "0 steps" not in path.output
    # each id, typed as written, names its own concept (here, two that nothing links)
    assert "nothing links the concept “Self care again” and the concept “Self-care”" in path.stderr
    folded = CliRunner().invoke(main, ["show", "Self Care"])
    assert folded.exit_code == 1
    assert "'Self Care' names more than one: " in folded.stderr


def test_distinct_ids_do_not_collide(project):
    append_entries(project, "cafe2024a", "cafe2024b", "caf2024a", "café2025a")
    assert check().exit_code == 0


# ---------------------------------------------------------------- hidden characters


@pytest.mark.parametrize(
    ("key", "code", "words"),
    [
        ("ab\u200bc2020", "U+200B", "zero width space"),
        ("rlo\u202ecba2020", "U+202E", "right-to-left override"),
        ("soft\u00adhyphen2020", "U+00AD", "soft hyphen"),
        ("joiner\u2060x2020", "U+2060", "word joiner"),
    ],
)
def test_invisible_and_bidi_characters_in_a_key_get_a_warning(project, key, code, words):
    lines = append_entries(project, key)
    result = check()
    assert result.exit_code == 0
    shown = key.replace(key[[c.isascii() for c in key].index(False)], f"\\u{int(code[2:], 16):04x}")
    assert (f"references.bib:{lines[key]}: warning: key '{shown}' holds {code} ({words})"
            in result.stdout)  # fmt: skip
    assert key not in result.stdout  # the character itself is never printed raw


def test_look_alike_letters_of_another_script_get_a_warning(project):
    key = "p\u0430ul2020"  # a Cyrillic a
    lines = append_entries(project, key, "παύλος2020")
    result = check()
    assert (
        f"references.bib:{lines[key]}: warning: key 'p\u0430ul2020' mixes Cyrillic and Latin"
        in result.stdout
    )
    assert "παύλος2020' mixes" not in result.stdout  # one script alone is fine


def test_a_hidden_character_in_a_concept_id_gets_a_warning(project):
    line = replace_in(project / "concepts.yaml", "id: self-care\n", "id: self\u200d-care\n")
    result = check()
    assert (
        f"concepts.yaml:{line}: warning: concept id 'self\\u200d-care' holds U+200D"
        in result.stdout
    )


# ---------------------------------------------------------------- terminals


class FakeStream:
    def __init__(self, terminal: bool):
        self.written = []
        self.terminal = terminal

    def write(self, text):
        self.written.append(text)
        return len(text)

    def isatty(self):
        return self.terminal


def test_a_terminal_gets_invisible_and_bidi_characters_escaped():
    text = "a\u202eb\u200bc\u2066d\x1be\ud800f\u00e9g"
    terminal = FakeStream(terminal=True)
    VisibleControlCharacters(terminal).write(text)
    assert terminal.written == ["a\\u202eb\\u200bc\\u2066d\\x1be\\ud800f\u00e9g"]
    pipe = FakeStream(terminal=False)
    VisibleControlCharacters(pipe).write(text)
    # a file or pipe keeps the text (Persian needs U+200C), but never a control or a surrogate
    assert pipe.written == ["a\u202eb\u200bc\u2066d\\x1be\\ud800f\u00e9g"]


def test_kg_check_on_a_real_terminal_prints_no_raw_bidi_control(project):
    append_entries(project, "rlo\u202ecba2020")
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "kg", "check"], stdout=terminal,
                              stderr=terminal, cwd=project, timeout=120, check=False)  # fmt: skip
        os.close(terminal)
        terminal = None
        output = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            output += chunk
    finally:
        if terminal is not None:
            os.close(terminal)
        os.close(controller)
    assert done.returncode == 0
    assert b"rlo\\u202ecba2020" in output
    assert "\u202e".encode() not in output


# ---------------------------------------------------------------- one folding


@given(st.text(max_size=30))
@fuzz_settings(share=0.4)
def test_ids_fold_as_kg_show_matches_them(text):
    from kg.query import normalise

    assert fold(text) == normalise(unicodedata_nfc(text))


def unicodedata_nfc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text)
