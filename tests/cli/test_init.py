"""Tests for ``kg init``: starter files, refusal to overwrite, and what it prints."""

from __future__ import annotations

import io
import os
from pathlib import Path

import bibtexparser
import pytest
from ruamel.yaml import YAML

from kg.cli import init as init_module
from kg.errors import WriteError
from tests.conftest import run_kg, snapshot

NEXT_STEPS = (
    "\n"
    "Next: replace the placeholders with your own papers and concepts, then run\n"
    "{cd}"
    "  kg check     # find mistakes, with file and line\n"
    "  kg render    # build the concept map\n"
)
FILES = ("references.bib", "concepts.yaml")


def run(*args: str):
    """Invoke ``kg init ARGS``."""
    return run_kg("init", *args)


def test_writes_both_starter_files_into_a_new_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("project")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "Created folder project\n"
        "Wrote project/references.bib (a bibliography with one placeholder entry)\n"
        "Wrote project/concepts.yaml (one placeholder concept and learning objective)\n"
        "Wrote project/.gitignore (keeps kg add's lock files out of git)\n"
        + NEXT_STEPS.format(cd="  cd project\n")
    )
    for name in FILES:
        assert (tmp_path / "project" / name).read_bytes() == init_module.read_template(name)
    assert sorted(os.listdir(tmp_path / "project")) == sorted([*FILES, ".gitignore"])
    assert (tmp_path / "project" / ".gitignore").read_text(encoding="utf-8") == (
        "# The lock files `kg add` leaves beside the sources (they hold nothing).\n.*.lock\n"
    )


def test_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run()
    assert result.exit_code == 0
    assert result.stdout == (
        "Wrote references.bib (a bibliography with one placeholder entry)\n"
        "Wrote concepts.yaml (one placeholder concept and learning objective)\n"
        "Wrote .gitignore (keeps kg add's lock files out of git)\n" + NEXT_STEPS.format(cd="")
    )
    assert sorted(os.listdir(tmp_path)) == sorted([*FILES, ".gitignore"])


def test_an_existing_gitignore_is_left_as_it_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    result = run()
    assert result.exit_code == 0
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "build/\n"
    assert "Add `.*.lock` to .gitignore to keep kg add's lock files out of git\n" in result.stdout
    (tmp_path / ".gitignore").write_text("build/\n.*.lock\n", encoding="utf-8")
    for name in FILES:
        (tmp_path / name).unlink()
    assert ".gitignore" not in run().stdout


def test_the_starter_files_point_to_nothing_a_pip_install_lacks():
    for name in FILES:
        text = init_module.read_template(name).decode("utf-8")
        assert "docs/" not in text and "README" not in text, name


def test_existing_empty_folder_is_used_without_creating_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ready").mkdir()
    result = run("ready")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        "Wrote ready/references.bib (a bibliography with one placeholder entry)"
    )


@pytest.mark.parametrize(
    ("present", "message"),
    [
        pytest.param(
            ["concepts.yaml"],
            "p/concepts.yaml already exists",
            id="concepts-exists",
        ),
        pytest.param(
            ["references.bib", "concepts.yaml"],
            "p/references.bib and p/concepts.yaml already exist",
            id="both-exist",
        ),
    ],
)
def test_refuses_when_a_file_exists_and_writes_nothing(tmp_path, monkeypatch, present, message):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "p"
    folder.mkdir()
    for name in present:
        (folder / name).write_bytes(b"% my own work, \xc3\xa9 and all\n")
    before = snapshot(folder)

    result = run("p")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"kg: error: {message}; kg init never overwrites a project. "
        "Run `kg init NEW-FOLDER` to start one in another folder.\n"
    )
    assert snapshot(folder) == before


def test_refuses_a_dangling_symlink_instead_of_writing_through_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "references.bib").symlink_to(tmp_path / "elsewhere.bib")
    result = run()
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: references.bib already exists;")
    assert not (tmp_path / "elsewhere.bib").exists()
    assert not (tmp_path / "concepts.yaml").exists()


def test_a_file_given_as_the_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine\n")
    result = run("notes.txt")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        "Error: Invalid value for '[DIRECTORY]': Directory 'notes.txt' is a file.\n"
    )
    assert (tmp_path / "notes.txt").read_text() == "mine\n"


def test_a_folder_that_cannot_be_created_fails_cleanly(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine\n")
    result = run("notes.txt/project")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "kg: error: cannot create folder notes.txt/project: Not a directory. Choose another folder.\n"
    )


def test_a_failed_second_write_leaves_no_half_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    import kg.fileio  # the command imports atomic_write when it runs, so patch the source

    original = kg.fileio.atomic_write

    def fail_on_concepts(path, data, **kwargs):
        if Path(path).name == "concepts.yaml":
            raise WriteError(f"cannot write {path}: No space left on device")
        return original(path, data, **kwargs)

    monkeypatch.setattr(kg.fileio, "atomic_write", fail_on_concepts)
    result = run()
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "kg: error: cannot write concepts.yaml: No space left on device. "
        "Nothing was written; check the folder's permissions or choose another.\n"
    )
    assert os.listdir(tmp_path) == []


def test_starter_bibliography_parses_cleanly():
    library = bibtexparser.parse_string(init_module.read_template("references.bib").decode("utf-8"))
    assert library.failed_blocks == []
    assert [entry.key for entry in library.entries] == ["surname2024title"]
    entry = library.entries[0]
    for field in ("author", "title", "journal", "year"):
        assert entry.fields_dict[field].value


def test_starter_concepts_file_loads_and_refers_to_the_starter_entry():
    yaml = YAML(typ="safe")
    yaml.allow_duplicate_keys = False
    data = yaml.load(io.BytesIO(init_module.read_template("concepts.yaml")))
    assert data["version"] == 1
    assert [concept["id"] for concept in data["concepts"]] == ["example-concept"]
    objective = data["objectives"][0]
    assert objective["id"] == "1a"
    assert objective["concepts"][0]["id"] == "example-concept"
    keys = {link["key"] for link in data["concepts"][0]["papers"]} | {
        link["key"] for link in objective["papers"]
    }
    assert keys == {"surname2024title"}


def test_starter_files_are_generic():
    text = b"".join(init_module.read_template(name) for name in FILES).decode("utf-8").lower()
    for word in ("vicarious", "trauma", "workshop", "hernandez"):
        assert word not in text


def test_a_fresh_project_loads_with_no_problems(tmp_path, monkeypatch):
    from kg.sources import load

    monkeypatch.chdir(tmp_path)
    assert run().exit_code == 0
    corpus = load(tmp_path / "references.bib", tmp_path / "concepts.yaml", use_cache=False)
    assert [problem.format() for problem in corpus.problems] == []
    assert list(corpus.papers) == ["surname2024title"]
    assert list(corpus.concepts) == ["example-concept"]
    assert list(corpus.objectives) == ["1a"]


DBLP_STYLE = (
    b"@string{aaai = {{AAAI} Press}}\n\n"
    b"@inproceedings{helmert2004,\n  author = {Malte Helmert},\n"
    b"  title = {A planning heuristic based on causal graph analysis},\n"
    b"  crossref = {icaps2004},\n  pages = {161--170}\n}\n\n"
    b"@proceedings{icaps2004,\n  title = {Proceedings of {ICAPS} 2004},\n"
    b"  publisher = aaai,\n  year = {2004}\n}\n"
)


def test_init_with_a_bibliography_copies_it_and_starts_an_empty_concepts_file(
    tmp_path, monkeypatch
):
    from kg.sources import load

    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.bib").write_bytes(DBLP_STYLE)
    result = run("p", "--bib", "mine.bib")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:4] == [
        "Created folder p",
        "Wrote p/references.bib (your bibliography, copied byte for byte from mine.bib)",
        "Wrote p/concepts.yaml (no concepts yet: a commented example to start from)",
        "Wrote p/.gitignore (keeps kg add's lock files out of git)",
    ]
    assert (tmp_path / "p" / "references.bib").read_bytes() == DBLP_STYLE
    concepts = (tmp_path / "p" / "concepts.yaml").read_text(encoding="utf-8")
    assert "#       - key: helmert2004\n" in concepts  # the example names a real entry
    corpus = load(
        tmp_path / "p" / "references.bib", tmp_path / "p" / "concepts.yaml", use_cache=False
    )
    assert corpus.problems == []
    assert list(corpus.papers) == ["helmert2004", "icaps2004"]


def test_an_existing_bibliography_is_kept_as_it_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "references.bib").write_bytes(DBLP_STYLE)
    result = run()
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "Kept references.bib (your bibliography, as it is)",
        "Wrote concepts.yaml (no concepts yet: a commented example to start from)",
    ]
    assert (tmp_path / "references.bib").read_bytes() == DBLP_STYLE
    check = run_kg("check")
    assert check.exit_code == 0, check.stderr


def test_init_with_a_bibliography_never_overwrites_another(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.bib").write_bytes(DBLP_STYLE)
    (tmp_path / "references.bib").write_bytes(b"% someone else's\n")
    result = run("--bib", "mine.bib")
    assert result.exit_code == 1
    assert "references.bib already exists; kg init never overwrites a project" in result.stderr
    assert (tmp_path / "references.bib").read_bytes() == b"% someone else's\n"
    assert not (tmp_path / "concepts.yaml").exists()
