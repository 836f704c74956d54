"""Tests for ``kg add``: refusals leave both files byte-identical; additions append as pasted."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.sources.bibtex import parse_bibtex
from tests.conftest import run_kg
from tests.conftest import snapshot as files_snapshot

BIB = """\
% Test bibliography.
@string{fp = {Family Process}}

@article{hernandez2007vicarious,
  author  = {Hernández, Pilar and Gangsei, David},
  title   = {Vicarious resilience: A new concept in work with those who survive trauma},
  journal = fp,
  year    = {2007},
  doi     = {10.1111/j.1545-5300.2007.00206.x},
}

@book{lipsky2009trauma,
  author    = {van Dernoot Lipsky, Laura},
  title     = {Trauma Stewardship},
  publisher = {Berrett-Koehler},
  year      = {2009},
}
"""

CONCEPTS = """\
# Test concepts.
version: 1
concepts:
  - id: vicarious-resilience
    label: Vicarious resilience
    aliases: [VR]
    papers:
      - key: hernandez2007vicarious
        strength: supported
        reason: Names it.
  - id: self-care
    label: Self-care
objectives:
  - id: "1a"
    domain: knowledge
    text: describe it
"""

NEW = """\
@article{smith2021therapists,
  author  = {Smith, Jane and Doe, John},
  title   = {Self-care and vicarious resilience in trauma therapists},
  journal = {Journal of Trauma Work},
  year    = {2021},
}
"""

REFUSED = "kg: error: the pasted entries have errors; nothing was written; fix the entries and run again\n"
ALREADY_THERE = (
    "kg: error: nothing was written: the pasted entries are already in the bibliography\n"
)


@pytest.fixture
def project(workdir) -> Path:
    """A folder holding a small references.bib and concepts.yaml; the current directory."""
    (workdir / "references.bib").write_text(BIB, encoding="utf-8")
    (workdir / "concepts.yaml").write_text(CONCEPTS, encoding="utf-8")
    return workdir


def run(*args: str, stdin: str | bytes | None = None):
    """Invoke ``kg add ARGS``."""
    return run_kg("add", *args, stdin=stdin)


def snapshot(folder: Path) -> dict[str, bytes]:
    """The project's two files, to prove a refusal touched nothing."""
    return files_snapshot(folder, ("references.bib", "concepts.yaml"))


def visible_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.endswith(".lock"))


# -- refusals: exit code, exact message, both files byte-identical ----------------------------

BAD_INPUT = [
    pytest.param(
        [],
        "@article{x1,\n  author = {A, B},\n  title = {T\n",
        1,
        "<stdin>:1: error: @article block starting at line 1 could not be read: "
        "Unexpectedly reached end of file.\n" + REFUSED,
        id="unclosed-brace",
    ),
    pytest.param(
        [],
        "Download citation\n@misc{x1, title={T}}\n",
        1,
        "<stdin>:1: error: text outside any entry: 'Download citation'; paste only BibTeX entries "
        "(comment lines start with %)\n" + REFUSED,
        id="stray-text",
    ),
    pytest.param(
        [],
        "@misc{x1, title={T}}\n}, year = 2001}\n",
        1,
        "<stdin>:2: error: text outside any entry looks like part of one: '}, year = 2001}' "
        "(an extra '}' above may have ended the entry early)\n" + REFUSED,
        id="extra-brace",
    ),
    pytest.param(
        [],
        "@article{x1,\n  author = {A, B},\n  title = {T},\n  journal = jtw,\n  year = 2020,\n}\n",
        1,
        "<stdin>:4: error: entry 'x1', field 'journal': 'jtw' is not a defined @string macro; put the "
        "value in braces or define it with @string{jtw = {...}}\n" + REFUSED,
        id="undefined-string",
    ),
    pytest.param(
        [],
        "@article{x1,\n  author = {A, B},\n  title = {T},\n  journal = fp,\n  year = 2020,\n}\n",
        1,
        "<stdin>:4: error: entry 'x1', field 'journal': 'fp' is not a defined @string macro; put the "
        "value in braces or define it with @string{fp = {...}}\n" + REFUSED,
        id="string-defined-only-in-the-bibliography",
    ),
    pytest.param(
        [],
        "\n\n@article{x1,\n  author = {A, B},\n  title = {T},\n  year = 2020,\n}\n",
        1,
        "<stdin>:3: error: @article 'x1' lacks journal or journaltitle: add the missing field(s) and "
        "run again\n" + REFUSED,
        id="missing-required-field",
    ),
    pytest.param(
        [],
        "@misc{Hernandez2007Vicarious, title={T}}\n",
        1,
        "<stdin>:1: error: key 'Hernandez2007Vicarious' is already used at references.bib:4 (as "
        "'hernandez2007vicarious'; keys are compared ignoring case); give the new entry another key\n"
        + REFUSED,
        id="duplicate-key-ignoring-case",
    ),
    pytest.param(
        [],
        "@misc{x2, title={T}, doi={https://doi.org/10.1111/J.1545-5300.2007.00206.X}}\n",
        1,
        "<stdin>:1: error: DOI 10.1111/J.1545-5300.2007.00206.X is already in 'hernandez2007vicarious' "
        "at references.bib:4: the work is already there; nothing to add\n" + ALREADY_THERE,
        id="duplicate-doi-url-upper-case",
    ),
    pytest.param(
        [],
        "@misc{x2, title={T}, doi={doi:10.1111/j.1545-5300.2007.00206.x}}\n",
        1,
        "<stdin>:1: error: DOI 10.1111/j.1545-5300.2007.00206.x is already in 'hernandez2007vicarious' "
        "at references.bib:4: the work is already there; nothing to add\n" + ALREADY_THERE,
        id="duplicate-doi-prefix",
    ),
    pytest.param(
        [],
        "@misc{x2, doi={http://dx.doi.org/10.1111/j.1545-5300.2007.00206.x}}\n",
        1,
        "<stdin>:1: error: DOI 10.1111/j.1545-5300.2007.00206.x is already in 'hernandez2007vicarious' "
        "at references.bib:4: the work is already there; nothing to add\n" + ALREADY_THERE,
        id="duplicate-doi-dx",
    ),
    pytest.param(
        ["--allow-duplicate"],
        "@misc{x2, title={T}, doi={10.1111/j.1545-5300.2007.00206.x}}\n",
        1,
        "<stdin>:1: error: DOI 10.1111/j.1545-5300.2007.00206.x is already in 'hernandez2007vicarious' "
        "at references.bib:4: the work is already there; nothing to add\n" + ALREADY_THERE,
        id="allow-duplicate-does-not-override-doi",
    ),
    pytest.param(
        [],
        "@misc{x2,\n title={Vicarious Resilience - a new concept in work with those who survive "
        "trauma},\n author={Hernandez, P.}, year=2007}\n",
        1,
        "<stdin>:1: error: looks like 'hernandez2007vicarious' at references.bib:4 (same title, year "
        "and first author); if it is a different work, run again with --allow-duplicate\n"
        + REFUSED,
        id="duplicate-fuzzy-title",
    ),
    pytest.param(
        [],
        "@misc{x3, title={A}, doi={10.1/a}}\n\n@misc{x4, title={B}, doi={10.1/A}}\n",
        1,
        "<stdin>:3: error: DOI 10.1/A is already in 'x3' at <stdin>:1: the work is already there; "
        "nothing to add\n" + ALREADY_THERE,
        id="duplicate-within-the-paste",
    ),
    pytest.param(
        [],
        "@misc{x3, title={A}}\n@misc{X3, title={B}}\n",
        1,
        "<stdin>:2: error: keys differ only in case, which BibTeX treats as the same: key 'X3' "
        "(first 'x3' at line 1); rename or delete one\n" + REFUSED,
        id="duplicate-key-within-the-paste",
    ),
    pytest.param(
        [],
        NEW + "@misc{x4, title=}\n",
        1,
        "<stdin>:7: error: entry 'x4', field 'title': the value is empty\n" + REFUSED,
        id="one-good-one-bad-writes-nothing",
    ),
    pytest.param(
        [], "", 1, "<stdin>: error: nothing to add: the input is empty\n" + REFUSED, id="empty"
    ),
    pytest.param(
        [],
        "% only a comment\n",
        1,
        "<stdin>: error: no BibTeX entry found; paste entries such as @article{key, author = {...}, "
        "...}\n" + REFUSED,
        id="no-entry",
    ),
    pytest.param(
        [],
        b"@misc{x3,\n title={caf\xe9}}\n",
        1,
        "<stdin>:2:12: error: byte 0xE9 at column 12 is not UTF-8: the text "
        "seems to use another encoding (Latin-1, Windows-1252, GBK...); convert it to UTF-8, for instance with `iconv -f LATIN1 -t UTF-8`\nkg: error: nothing was written\n",
        id="paste-not-utf8",
    ),
    pytest.param(
        ["--concept", "self-car"],
        NEW,
        1,
        "kg: error: no concept matches 'self-car'; did you mean: self-care?\n",
        id="unknown-concept",
    ),
    pytest.param(
        ["--objective", "1d"],
        NEW,
        1,
        "kg: error: no objective matches '1d'; did you mean: 1a?\n",
        id="unknown-objective",
    ),
    pytest.param(
        ["--concepts", "nope.yaml", "--concept", "self-care"],
        NEW,
        2,
        "Usage: kg add [OPTIONS] [SOURCES]...\nTry 'kg add --help' for help.\n\nError: --concept and "
        "--objective need a concepts file, and nope.yaml does not exist; pass --concepts PATH or run "
        "`kg init`\n",
        id="links-without-concepts-file",
    ),
    pytest.param(
        ["nofile.bib"],
        None,
        2,
        "Usage: kg add [OPTIONS] [SOURCES]...\nTry 'kg add --help' for help.\n\nError: no such file: "
        "nofile.bib (give a BibTeX file, or - for standard input)\n",
        id="missing-source-file",
    ),
    pytest.param(
        ["--bib", "none.bib"],
        NEW,
        2,
        "Usage: kg add [OPTIONS] [SOURCES]...\nTry 'kg add --help' for help.\n\nError: bibliography not "
        "found: none.bib. Pass --bib PATH, set KG_BIB, or run `kg init` to start a new project.\n",
        id="missing-bibliography",
    ),
    pytest.param(
        ["--strength", "strong"],
        NEW,
        2,
        "Usage: kg add [OPTIONS] [SOURCES]...\nTry 'kg add --help' for help.\n\nError: Invalid value for "
        "'--strength': 'strong' is not one of 'supported', 'weak', 'inferred'.\n",
        id="bad-strength",
    ),
    pytest.param(
        ["-", "-"],
        NEW,
        2,
        "Usage: kg add [OPTIONS] [SOURCES]...\nTry 'kg add --help' for help.\n\nError: standard input (-) "
        "can be given only once\n",
        id="stdin-twice",
    ),
]


@pytest.mark.parametrize("args, stdin, code, stderr", BAD_INPUT)
def test_refusals_leave_both_files_untouched(project, args, stdin, code, stderr):
    before = snapshot(project)
    result = run(*args, stdin=stdin)
    assert (result.exit_code, result.stderr) == (code, stderr)
    assert result.stdout == ""
    assert snapshot(project) == before
    assert visible_files(project) == ["concepts.yaml", "references.bib"]


def test_existing_bibliography_not_utf8_is_refused(project):
    (project / "references.bib").write_bytes(BIB.encode("latin-1"))
    before = snapshot(project)
    result = run(stdin=NEW)
    assert result.exit_code == 1
    assert result.stderr == (
        "references.bib:5:18: error: byte 0xE1 at column 18 is not UTF-8: the file "
        "seems to use another encoding (Latin-1, Windows-1252, GBK...); convert it to UTF-8, for instance with `iconv -f LATIN1 -t UTF-8`\nkg: error: nothing was written\n"
    )
    assert snapshot(project) == before


def test_existing_bibliography_errors_do_not_block_but_are_mentioned(project):
    old = BIB + "@misc{open, title={Unfinished}\n"
    (project / "references.bib").write_text(old, encoding="utf-8")
    result = run(stdin=NEW)
    assert result.exit_code == 0
    assert result.stderr == (
        "references.bib: warning: references.bib already has 1 error(s), left as they were; "
        "`kg check` lists them\n"
    )
    text = (project / "references.bib").read_text(encoding="utf-8")
    assert text == old + "\n" + NEW
    assert list(parse_bibtex(text).papers)[-1] == "smith2021therapists"


def test_read_only_bibliography_is_refused(project):
    bib = project / "references.bib"
    bib.chmod(0o444)
    before = snapshot(project)
    result = run(stdin=NEW)
    assert result.exit_code == 1
    assert result.stderr == (
        "kg: error: cannot write references.bib: the file is read-only; make it writable "
        "(chmod u+w references.bib) and run again\n"
    )
    assert snapshot(project) == before


def test_full_disk_leaves_both_files_and_no_temp_file(project, monkeypatch):
    before = snapshot(project)

    def no_space(_descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    result = run("--concept", "self-care", stdin=NEW)
    assert result.exit_code == 1
    assert result.stderr == "kg: error: cannot write references.bib: No space left on device\n"
    assert snapshot(project) == before
    assert visible_files(project) == ["concepts.yaml", "references.bib"]


def test_missing_folder_is_a_usage_error(project):
    result = run("--bib", "gone/references.bib", stdin=NEW)
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: bibliography not found: gone/references.bib. Pass --bib PATH, set KG_BIB, or run "
        "`kg init` to start a new project.\n"
    )


def test_concepts_write_failure_puts_the_bibliography_back(project, monkeypatch):
    from kg.editing import writer
    from kg.errors import WriteError

    before = snapshot(project)
    real_write = writer.atomic_write

    def concepts_disk_full(path, data):
        if Path(path).name == "concepts.yaml":
            raise WriteError(f"cannot write {path}: No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(writer, "atomic_write", concepts_disk_full)
    result = run("--concept", "self-care", stdin=NEW)
    assert (result.exit_code, result.stderr) == (
        1,
        "kg: error: cannot write concepts.yaml: No space left on device\n",
    )
    assert snapshot(project) == before


# -- additions -------------------------------------------------------------------------------


def test_adds_as_pasted_with_suggestions_and_counts(project):
    result = run(stdin=NEW)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "added smith2021therapists at references.bib:19: Self-care and vicarious resilience in trauma "
        "therapists (2021)\n"
        '  suggested concepts: vicarious-resilience ("Vicarious resilience"), self-care ("Self-care")\n'
        "  link them with --concept ID (and --strength, --reason)\n"
        "references.bib: 3 entries; concepts.yaml: 1 paper links\n"
    )
    assert (project / "references.bib").read_text(encoding="utf-8") == BIB + "\n" + NEW
    assert (project / "concepts.yaml").read_text(encoding="utf-8") == CONCEPTS


def test_generates_a_missing_key_and_writes_it_into_the_entry(project):
    pasted = NEW.replace("smith2021therapists", "")
    first = run(stdin=pasted)
    second = run("--allow-duplicate", stdin=pasted)
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert "  key generated: smith2021selfcare (the entry had none)\n" in first.stdout
    assert "  key generated: smith2021selfcarea (the entry had none)\n" in second.stdout
    text = (project / "references.bib").read_text(encoding="utf-8")
    assert text == BIB + "\n" + NEW.replace("therapists,", "selfcare,", 1) + "\n" + NEW.replace(
        "therapists,", "selfcarea,", 1
    )


def test_generates_a_key_when_the_comma_is_missing_too(project):
    pasted = "@misc{\n  author = {Ng, Ann},\n  title = {On the Resilience of Helpers},\n  year = 2019\n}\n"
    result = run(stdin=pasted)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "added ng2019resilience at references.bib:19: On the Resilience of Helpers (2019)",
        "  key generated: ng2019resilience (the entry had none)",
    ]
    assert (project / "references.bib").read_text(encoding="utf-8") == BIB + "\n" + pasted.replace(
        "@misc{\n", "@misc{ng2019resilience,\n"
    )


def test_writes_links_and_says_so(project):
    result = run("--concept", "self-care", "--objective", "1a", "--strength", "weak",
                 "--reason", "Studies self-care in therapists.", stdin=NEW)  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-3:] == [
        "linked concept:self-care -> smith2021therapists (weak)",
        "linked objective:1a -> smith2021therapists (weak)",
        "references.bib: 3 entries; concepts.yaml: 3 paper links",
    ]
    assert (project / "concepts.yaml").read_text() == CONCEPTS.replace(
        "    label: Self-care\n",
        "    label: Self-care\n    papers:\n      - key: smith2021therapists\n        strength: weak\n"
        "        reason: Studies self-care in therapists.\n",
    ) + (
        "    papers:\n      - key: smith2021therapists\n        strength: weak\n"
        "        reason: Studies self-care in therapists.\n"
    )
    assert result.stderr == ""


def test_links_without_reason_warn(project):
    result = run("--concept", "self-care", stdin=NEW)
    assert result.exit_code == 0
    assert result.stderr == (
        "kg: warning: the new links have no reason; add one in your own words (--reason, or edit "
        "the concepts file)\n"
    )


def test_dry_run_shows_everything_and_writes_nothing(project):
    before = snapshot(project)
    result = run("--dry-run", "--concept", "self-care", stdin=NEW)
    assert result.exit_code == 0
    assert result.stdout == (
        "would add smith2021therapists at references.bib:19: Self-care and vicarious resilience in "
        "trauma therapists (2021)\n"
        '  suggested concepts: vicarious-resilience ("Vicarious resilience"), self-care ("Self-care")\n'
        "would link concept:self-care -> smith2021therapists (inferred)\n"
        "references.bib: 3 entries; concepts.yaml: 2 paper links\n"
        "(dry run: nothing written)\n"
    )
    assert snapshot(project) == before
    assert sorted(path.name for path in project.iterdir()) == ["concepts.yaml", "references.bib"]


def test_json_output(project):
    result = run("--format", "json", "--concept", "self-care", "--reason", "Why.", stdin=NEW)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "added": [{
            "generated_key": False,
            "key": "smith2021therapists",
            "line": 19,
            "source": "<stdin>:1",
            "suggested_concepts": [
                {"concept": "vicarious-resilience", "matched": "Vicarious resilience"},
                {"concept": "self-care", "matched": "Self-care"},
            ],
            "title": "Self-care and vicarious resilience in trauma therapists",
            "year": "2021",
        }],
        "bib": "references.bib",
        "concepts": "concepts.yaml",
        "counts": {"entries": 3, "links": 2},
        "dry_run": False,
        "links": [{"from": "concept:self-care", "paper": "smith2021therapists", "reason": "Why.",
                   "strength": "inferred"}],
    }  # fmt: skip
    assert (
        result.stdout
        == json.dumps(json.loads(result.stdout), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def test_several_sources_and_crlf_bom_file(project):
    bib = project / "references.bib"
    old = b"\xef\xbb\xbf" + BIB.replace("\n", "\r\n").encode("utf-8").rstrip(
        b"\r\n"
    )  # no final newline
    bib.write_bytes(old)
    (project / "a.bib").write_text("@misc{a1, title={A}}\n", encoding="utf-8")
    result = run("a.bib", "-", stdin="@misc{b1,\n title={B}}\n")
    assert result.exit_code == 0
    assert (
        bib.read_bytes()
        == old + b"\r\n\r\n@misc{a1, title={A}}\r\n\r\n@misc{b1,\r\n title={B}}\r\n"
    )
    assert result.stdout.splitlines()[:2] == [
        "added a1 at references.bib:19: A",
        "added b1 at references.bib:21: B",
    ]


def test_follows_a_symlink_and_keeps_permissions(project):
    real = project / "data" / "refs.bib"
    real.parent.mkdir()
    shutil.move(project / "references.bib", real)
    real.chmod(0o640)
    (project / "references.bib").symlink_to(real)
    assert run(stdin=NEW).exit_code == 0
    assert (project / "references.bib").is_symlink()
    assert real.read_text(encoding="utf-8") == BIB + "\n" + NEW
    assert real.stat().st_mode & 0o777 == 0o640


def test_shipped_data_end_to_end(tmp_path, shipped_bib, shipped_concepts, monkeypatch):
    from tests.conftest import need

    need(
        shipped_bib.is_file() and shipped_concepts.is_file(),
        "the shipped references.bib and concepts.yaml",
    )
    shutil.copy(shipped_bib, tmp_path / "references.bib")
    shutil.copy(shipped_concepts, tmp_path / "concepts.yaml")
    monkeypatch.chdir(tmp_path)
    old_bib = (tmp_path / "references.bib").read_bytes()
    old_entries = len(parse_bibtex(old_bib.decode("utf-8")).papers)
    result = run("--concept", "vicarious-resilience", "--reason", "A test link.", stdin=NEW)
    assert result.exit_code == 0, result.stderr
    new_bib = (tmp_path / "references.bib").read_bytes()
    assert new_bib.startswith(old_bib)
    assert len(parse_bibtex(new_bib.decode("utf-8")).papers) == old_entries + 1
    assert f"references.bib: {old_entries + 1} entries" in result.stdout
    from kg.sources import load

    corpus = load(tmp_path / "references.bib", tmp_path / "concepts.yaml", use_cache=False)
    assert corpus.errors == []
    assert "smith2021therapists" in [
        link.target for link in corpus.concepts["vicarious-resilience"].papers
    ]


# -- processes: at the same moment, and killed half-way ------------------------------------------


def _kg(*args: str, cwd: Path, code: str = "", stdin: bytes | None = None) -> subprocess.Popen:
    """Start ``python -m kg`` in ``cwd``; ``code`` runs first (to plant a crash)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    program = f"{code}\nimport sys\nfrom kg.cli import main\nsys.argv[0] = 'kg'\nmain()"
    return subprocess.Popen([sys.executable, "-c", program, *args], cwd=cwd, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def test_eight_adds_at_once_all_land(project):
    for index in range(8):
        (project / f"new{index}.bib").write_text(
            f"@misc{{parallel{index},\n  author = {{Ng, Ann}},\n  title = {{Parallel {index}}},\n"
            f"  year = 2020,\n  note = {{Same author, year and nearly the same title: "
            f"--allow-duplicate needed}},\n}}\n",
            encoding="utf-8",
        )
    processes = [
        _kg("add", "--allow-duplicate", f"new{index}.bib", cwd=project) for index in range(8)
    ]
    outcomes = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0] * 8, outcomes
    text = (project / "references.bib").read_text(encoding="utf-8")
    assert text.startswith(BIB)
    keys = list(parse_bibtex(text).papers)
    assert keys[:2] == ["hernandez2007vicarious", "lipsky2009trauma"]
    assert sorted(keys[2:]) == [f"parallel{index}" for index in range(8)]
    assert not [name for name in os.listdir(project) if name.endswith(".tmp")]


def test_killed_between_temp_file_and_rename_leaves_the_original(project):
    before = snapshot(project)
    crash = "import os, signal\nos.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)"
    process = _kg("add", "--concept", "self-care", cwd=project, code=crash)
    process.communicate(NEW.encode(), timeout=60)
    assert process.returncode == -9
    assert snapshot(project) == before
    leftovers = [name for name in os.listdir(project) if name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".references.bib.")  # the killed write's
    # The next add (holding the lock, so no writer is alive) clears what the killed one left.
    result = run(stdin=NEW)
    assert result.exit_code == 0
    assert not [name for name in os.listdir(project) if name.endswith(".tmp")]
    assert (project / "references.bib").read_text(encoding="utf-8") == BIB + "\n" + NEW


def test_dry_run_on_a_read_only_file_warns_that_a_real_run_would_stop(project):
    (project / "references.bib").chmod(0o444)
    before = snapshot(project)
    result = run("--dry-run", stdin=NEW)
    assert result.exit_code == 0
    assert result.stdout.endswith("(dry run: nothing written)\n")
    assert result.stderr == (
        "kg: warning: cannot write references.bib: the file is read-only; make it writable "
        "(chmod u+w references.bib) and run again (a real run would stop here)\n"
    )
    assert snapshot(project) == before


def test_the_lock_file_left_beside_the_bibliography_is_git_ignored(project):
    import fnmatch

    from tests.conftest import ROOT

    assert run(stdin=NEW).exit_code == 0
    locks = [path.name for path in project.iterdir() if path.name.endswith(".lock")]
    patterns = [
        line.strip() for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    ]
    assert locks and all(
        any(fnmatch.fnmatch(lock, pattern) for pattern in patterns) for lock in locks
    )


def test_an_identical_entry_is_already_there(project):
    assert run(stdin=NEW).exit_code == 0
    before = snapshot(project)
    result = run(stdin=NEW)
    assert result.exit_code == 1
    first, summary = result.stderr.splitlines()
    assert first.startswith(
        "<stdin>:1: error: already in the bibliography as smith2021therapists (references.bib:"
    )
    assert first.endswith("): nothing to add")
    assert summary + "\n" == ALREADY_THERE
    assert snapshot(project) == before
