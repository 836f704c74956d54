"""Tests for kg.editing.pasted: checking pasted BibTeX and planning the append."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.editing import pasted as pasted_module
from kg.editing import writer
from kg.editing.pasted import PastedSource, make_key, normalise_title, plan_addition
from kg.errors import KgError, SourceError
from kg.model import Author, Paper
from kg.sources.bibtex import parse_bibtex


def _paper(title="", year="", family=""):
    authors = {"a": Author("a", family, family)} if family else {}
    return Paper("k", "article", title=title, year=year, authors=["a"] if family else []), authors


@pytest.mark.parametrize(
    "title, year, family, taken, key",
    [
        (
            "Vicarious resilience: a new concept",
            "2007",
            "Hernández",
            set(),
            "hernandez2007vicarious",
        ),
        ("The Trauma of Others", "2009", "van Dernoot Lipsky", set(), "vandernootlipsky2009trauma"),
        ("On the {VR} scale", "2010", "Killian-Hernández", set(), "killianhernandez2010vr"),
        ("The", "2001", "Ng", set(), "ng2001the"),
        ("Same", "2001", "Ng", {"ng2001same"}, "ng2001samea"),
        ("Same", "2001", "Ng", {"ng2001same", "ng2001samea"}, "ng2001sameb"),
        ("", "", "", set(), "entry"),
        ("42 ways", "", "", set(), "entry42"),
    ],
    ids=[
        "accents",
        "stop-word-and-von",
        "braces-hyphen",
        "only-stop-words",
        "taken",
        "taken-twice",
        "nothing",
        "starts-with-digit",
    ],
)
def test_make_key(title, year, family, taken, key):
    paper, authors = _paper(title, year, family)
    assert make_key(paper, authors, taken) == key


def test_normalise_title():
    assert (
        normalise_title("Vicarious {R}esilience -- a New Concept!")
        == "vicarious resilience a new concept"
    )


def test_plan_addition_returns_lines_and_count():
    old = b"@misc{a, title={A}}\n"
    addition = plan_addition(
        old, "refs.bib", [PastedSource("<stdin>", "\n@misc{b,\n title={B}}\n\n")]
    )
    assert addition.new_bytes == old + b"\n@misc{b,\n title={B}}\n"
    assert [(entry.key, entry.line, entry.file_line) for entry in addition.entries] == [("b", 2, 3)]
    assert addition.entry_count == 2


def test_plan_addition_collects_every_problem_with_pasted_lines():
    with pytest.raises(SourceError) as caught:
        plan_addition(b"", "refs.bib", [
            PastedSource("one.bib", "junk\n@misc{a, title={A}}\n"),
            PastedSource("two.bib", "@misc{A, title={B}}\n"),
        ])  # fmt: skip
    assert [problem.format() for problem in caught.value.problems] == [
        "one.bib:1: error: text outside any entry: 'junk'; paste only BibTeX entries (comment lines start with %)",
        "two.bib:1: error: key 'A' is already used at one.bib:2 (as 'a'; keys are compared ignoring case); "
        "give the new entry another key",
    ]


def test_plan_addition_refuses_when_the_result_would_not_read_back(monkeypatch):
    monkeypatch.setattr(
        writer, "append_text", lambda old, text: old + text.replace("title", "tilte").encode()
    )
    with pytest.raises(KgError) as caught:
        plan_addition(
            b"@misc{a, title={A}}\n", "refs.bib", [PastedSource("<stdin>", "@misc{b, title={B}}")]
        )
    assert str(caught.value).startswith(
        "refs.bib:1: error: appended entries would not read back as pasted"
    )


def test_missing_key_message_does_not_show_the_placeholder():
    with pytest.raises(SourceError) as caught:
        plan_addition(b"", "refs.bib", [PastedSource("<stdin>", "@article{,\n title={T}}\n")])
    messages = [problem.format() for problem in caught.value.problems]
    assert messages == [
        "<stdin>:1: error: @article (no key) lacks author, journal or journaltitle, year or date: "
        "add the missing field(s) and run again"
    ]
    assert pasted_module._PLACEHOLDER not in messages[0]


# -- property: through the whole pipeline -------------------------------------------------

_WORDS = (
    st.text(alphabet="abcdefghijklmnop éüñ", min_size=1, max_size=15).map(str.strip).filter(bool)
)
_KEYS = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)


def _entry(key: str, title: str, year: int, newline: str) -> str:
    return (f"@article{{{key},{newline}  author = {{Doe, Jane}},{newline}  title = {{{title}}},{newline}"
            f"  journal = {{J}},{newline}  year = {year}{newline}}}")  # fmt: skip


@st.composite
def existing_files(draw):
    """Bibliographies in any spelling: LF or CRLF, BOM or not, final newline or not, comments."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    keys = draw(st.lists(_KEYS, max_size=4, unique=True))
    chunks = []
    for index, key in enumerate(keys):
        chunks.append(draw(st.sampled_from(["", "% comment", "@comment{x}", "@string{j = {J}}"])))
        chunks.append(_entry(key, draw(_WORDS), 1900 + index, newline))
    text = draw(st.sampled_from([newline, newline * 2])).join(chunk for chunk in chunks if chunk)
    text += draw(st.sampled_from(["", newline, newline * 3, "  "]))
    data = text.encode("utf-8")
    return keys, (writer.BOM + data) if draw(st.booleans()) else data


@settings(max_examples=60, deadline=None)
@given(existing=existing_files(), key=_KEYS.map(lambda k: "new" + k), title=_WORDS,
       newline=st.sampled_from(["\n", "\r\n"]), padding=st.sampled_from(["", "\n", "\n\n  \n"]))  # fmt: skip
def test_result_is_old_bytes_plus_separator_plus_entry(existing, key, title, newline, padding):
    keys, old = existing
    entry = _entry(key, title, 2020, newline)
    addition = plan_addition(old, "refs.bib", [PastedSource("<stdin>", padding + entry + padding)])
    style = writer.detect_style(old)
    expected_entry = (
        entry.replace(newline, "\n").replace("\n", style.newline) + style.newline
    ).encode()
    assert addition.new_bytes.startswith(old)
    assert addition.new_bytes.endswith(expected_entry)
    separator = addition.new_bytes[len(old) : -len(expected_entry)]
    assert separator == writer.separator(old, style.newline).encode()
    assert separator.strip() == b""
    after = parse_bibtex(writer.decode_source(addition.new_bytes, "refs.bib"))
    assert list(after.papers) == [*keys, key]
    assert [entry.file_line for entry in addition.entries] == [after.papers[key].line]
