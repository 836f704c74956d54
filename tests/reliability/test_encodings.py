"""Source files in the wrong encoding or with unusual line ends.

kg reads UTF-8 (with or without a byte-order mark) with any line ends. Any
other encoding is refused with the line and column of the first byte that is
not UTF-8 and a hint to convert it, never loaded as mojibake: no U+FFFD and
no 'Ã' sequences in a label, title or name.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.sources import load
from kg.sources.bibtex import load_bibtex
from kg.sources.concepts import load_concepts

BIB = """% a bibliography with non-ASCII names
@article{hernandez2007vicarious,
  author = {Hernández, Pilar and Gangsei, David},
  title = {Vicarious resilience: «quoted» and naïve},
  journal = {Family Process},
  year = {2007},
}

@book{zhang2020,
  author = {Zhang, Wěi},
  title = {Resilience},
  publisher = {Press},
  year = {2020},
}
"""

YAML = """version: 1
title: Résilience vicariante
concepts:
  - id: vicarious-resilience
    label: Résilience vicariante
    definition: Ce que le thérapeute gagne.
    papers:
      - key: hernandez2007vicarious
        strength: supported
        reason: Nomme le concept.
"""

MOJIBAKE = re.compile("\ufffd|Ã.|Â.|â€")


def first_non_ascii(text: str) -> tuple[int, int, str]:
    """1-based line and column (in characters) of the first non-ASCII character, and that character."""
    for number, line in enumerate(text.split("\n"), start=1):
        for column, char in enumerate(line, start=1):
            if ord(char) > 127:
                return number, column, char
    raise AssertionError("all ASCII")


def _labels(corpus) -> list[str]:
    texts = [corpus.title]
    for paper in corpus.papers.values():
        texts += [paper.title, paper.venue, paper.note]
    for author in corpus.authors.values():
        texts += [author.name, *author.aliases]
    for concept in corpus.concepts.values():
        texts += [concept.label, concept.definition, *concept.aliases]
    return texts


def _assert_no_mojibake(corpus):
    for text in _labels(corpus):
        assert not MOJIBAKE.search(text), text
        assert "\ufeff" not in text and "\r" not in text, repr(text)


def _write_project(folder, bib: bytes, yaml: bytes):
    (folder / "references.bib").write_bytes(bib)
    (folder / "concepts.yaml").write_bytes(yaml)
    return folder / "references.bib", folder / "concepts.yaml"


# ---------------------------------------------------------------- readable: loaded correctly

READABLE = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "crlf-bom": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    "lone-cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "mixed": lambda text: "".join(
        line + ("\n", "\r\n", "\r")[number % 3] for number, line in enumerate(text.split("\n")[:-1])
    ).encode("utf-8"),
}


@pytest.mark.parametrize("variant", sorted(READABLE))
def test_utf8_with_any_bom_or_line_ends_loads_exactly(tmp_path, variant):
    encode = READABLE[variant]
    bib_path, yaml_path = _write_project(tmp_path, encode(BIB), encode(YAML))
    corpus = load(bib_path, yaml_path, use_cache=False)
    assert [p.format() for p in corpus.problems] == []
    paper = corpus.papers["hernandez2007vicarious"]
    assert paper.title == "Vicarious resilience: «quoted» and naïve"
    assert (paper.line, paper.end_line) == (2, 7)
    assert corpus.papers["zhang2020"].line == 9
    assert [corpus.authors[a].name for a in paper.authors] == ["Pilar Hernández", "David Gangsei"]
    assert corpus.concepts["vicarious-resilience"].label == "Résilience vicariante"
    assert corpus.concepts["vicarious-resilience"].line == 4
    assert corpus.concepts["vicarious-resilience"].papers[0].line == 8
    assert corpus.title == "Résilience vicariante"
    _assert_no_mojibake(corpus)


@pytest.mark.parametrize("variant", sorted(READABLE))
def test_problems_in_a_file_with_any_line_ends_name_the_editor_line(tmp_path, variant):
    bib = BIB.replace(
        "  journal = {Family Process},\n", "  journal = {Family Process}\n  volume = 3,\n"
    )
    yaml = YAML.replace("strength: supported", "strength: strong")
    bib_path, yaml_path = _write_project(tmp_path, READABLE[variant](bib), READABLE[variant](yaml))
    corpus = load(bib_path, yaml_path, use_cache=False)
    found = sorted((p.file.rsplit("/", 1)[-1], p.line, p.code) for p in corpus.problems)
    assert found == [("concepts.yaml", 9, "bad-strength"), ("references.bib", 5, "missing-comma")]


def test_decomposed_accents_are_one_author(tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Hernández")
    bib = BIB.replace("Gangsei, David}", f"Gangsei, David and {decomposed}, Pilar}}")
    (tmp_path / "references.bib").write_text(bib, encoding="utf-8")
    corpus = load(tmp_path / "references.bib", use_cache=False)
    assert corpus.papers["hernandez2007vicarious"].authors == [
        "hernandez-p",
        "gangsei-d",
        "hernandez-p",
    ]


# ---------------------------------------------------------------- unreadable: a clear error


def _legacy(text: str) -> str:
    """The texts rewritten in characters each legacy encoding below can hold."""
    return text.replace("Wěi", "Wei")


def load_bibtex_text(text: str):
    """The bibliography ``text`` as kg reads it when it is written in UTF-8."""
    from kg.sources.bibtex import parse_bibtex

    return parse_bibtex(text, "references.bib")


def kg_load(path, **options):
    from kg.sources import load

    return load(path, **options)


def _gbk(text: str) -> str:
    return (text.replace("Wěi", "伟").replace("Hernández", "Hernandez").replace("«quoted» and naïve", "韧性")
            .replace("Résilience vicariante", "替代性韧性").replace("Ce que le thérapeute gagne.", "定义"))  # fmt: skip


# name: (rewrite the text, encoding, words the message must hold, whether a column is named)
REFUSED = {
    "latin-1": (_legacy, "latin-1", ["Latin-1", "iconv", "convert it to UTF-8"], True),
    "cp1252": (
        lambda text: _legacy(text).replace("«", "\u201c").replace("»", "\u201d"),
        "cp1252",
        ["not UTF-8", "Windows-1252"],
        True,
    ),
    "gbk": (_gbk, "gbk", ["not UTF-8", "GBK"], True),
    "utf-16-le-bom": (lambda text: text, "utf-16", ["UTF-16", "save it as UTF-8"], False),
    "utf-16-be-bom": (lambda text: "\ufeff" + text, "utf-16-be", ["UTF-16"], False),
    "utf-16-no-bom": (lambda text: text, "utf-16-le", ["UTF-16", "NUL"], False),
    "utf-32-bom": (lambda text: text, "utf-32", ["UTF-32"], False),
}


@pytest.mark.parametrize("variant", sorted(REFUSED))
@pytest.mark.parametrize("which", ["bib", "yaml"])
def test_another_encoding_is_refused_with_line_and_column(tmp_path, variant, which):
    rewrite, encoding, words, has_column = REFUSED[variant]
    text = rewrite(BIB if which == "bib" else YAML)
    path = tmp_path / ("references.bib" if which == "bib" else "concepts.yaml")
    path.write_bytes(text.encode(encoding))
    result = load_bibtex(path, path.name) if which == "bib" else load_concepts(path, path.name)
    # An 8-bit bibliography is read as Windows-1252 (BibTeX reads bytes), with one warning;
    # YAML is UTF-8 by definition, and no 8-bit encoding reads UTF-16 or UTF-32.
    read_anyway = which == "bib" and has_column
    assert [(p.file, p.severity, p.code) for p in result.problems] == [
        (path.name, "warning" if read_anyway else "error", "encoding")
    ]
    problem = result.problems[0]
    if has_column:
        line, column, char = first_non_ascii(text)
        assert (problem.line, problem.column) == (line, column)
        assert (
            f"byte 0x{char.encode(encoding)[0]:02X} at column {column} is not UTF-8"
            in problem.message
        )
    else:
        assert (problem.line, problem.column) == (1, None)
    for word in words:
        assert word in problem.message, problem.message
    if read_anyway:
        assert result.papers and "--encoding NAME" in problem.message
        if encoding != "gbk":  # Latin-1 and Windows-1252 read exactly
            assert result.papers == load_bibtex_text(text).papers
        exact = kg_load(path, encoding=encoding, use_cache=False)
        assert exact.problems == [] and list(exact.papers) == list(load_bibtex_text(text).papers)
    elif which == "bib":
        assert result.papers == {} and result.authors == {}
    else:
        assert result.concepts == {}


def test_kg_check_names_file_line_and_column_of_a_latin1_byte(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "references.bib").write_bytes(_legacy(BIB).encode("latin-1"))
    result = CliRunner().invoke(main, ["check"], catch_exceptions=False)
    assert result.exit_code == 0  # read as Windows-1252, with a warning
    line, column, _ = first_non_ascii(BIB)
    assert (
        f"references.bib:{line}:{column}: warning: byte 0xE1 at column {column} is not UTF-8"
        in result.output
    )
    assert "Traceback" not in result.output


def test_the_corpus_gbk_file_is_read_with_a_warning_at_its_position(corpus_dir):
    path = corpus_dir / "bibtexparser" / "gbk_test.bib"
    data = path.read_bytes()
    result = load_bibtex(path, "gbk_test.bib")
    assert [(p.severity, p.code) for p in result.problems] == [("warning", "encoding")]
    assert len(result.papers) == 1  # as Windows-1252: its key and author as mojibake, said so
    exact = kg_load(path, encoding="gbk", use_cache=False)
    assert exact.problems == [] and list(exact.papers) == [
        data.decode("gbk").split("{")[1].split(",")[0]
    ]
    index = next(i for i, byte in enumerate(data) if byte > 127)
    before = data[:index].decode("ascii")
    assert result.problems[0].line == before.count("\n") + 1
    assert result.problems[0].column == len(before.rsplit("\n", 1)[-1]) + 1


@pytest.mark.parametrize("name", ["article_start_with_bom.bib", "book_bom.bib"])
def test_the_corpus_bom_files_load_without_a_bom_in_any_value(corpus_dir, name):
    result = load_bibtex(corpus_dir / "bibtexparser" / name, name)
    assert result.papers
    first = next(iter(result.papers.values()))
    text = (corpus_dir / "bibtexparser" / name).read_text(encoding="utf-8-sig")
    assert (
        first.line
        == text.split("\n").index(next(line for line in text.split("\n") if line.startswith("@")))
        + 1
    )
    assert "\ufeff" not in first.key
    for paper in result.papers.values():
        assert not any("\ufeff" in value for value in paper.fields.values())
