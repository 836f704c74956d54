"""``kg add``'s inputs, the identity of new keys, encodings, surrogates and CR-only files.

``kg add`` reads what the other commands read through the same guarded door
(a FIFO ends with a message, a device or an endless pipe is refused, a
concepts file too large to read costs only the suggestions), and it writes
nothing ``kg check`` would then reject: a key that folds like an existing
one is refused with both lines named. ``--encoding`` names text encodings
only; a decode that loses the entries is an error and UTF-8 read as another
encoding a warning. Each case runs the real command in its own process.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

from .test_hostile_inputs import assert_clean_failure, kg

ENTRY = (
    "@article{{{key},\n  author = {{Smith, Anna}},\n  title = {{{title}}},\n"
    "  journal = {{Journal of Tests}},\n  year = {{2020}},\n}}\n"
)


def entry(key: str, title: str = "Resilience at work") -> bytes:
    return ENTRY.format(key=key, title=title).encode("utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("references.bib", "concepts.yaml"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def sources(project: Path) -> tuple[bytes, bytes]:
    return (project / "references.bib").read_bytes(), (project / "concepts.yaml").read_bytes()


# ------------------------------------------------------------------------------ inputs


@pytest.mark.parametrize("which", ["--bib", "--concepts"])
def test_kg_add_refuses_a_fifo_as_a_source_at_once(project, which):
    os.mkfifo(project / "pipe")
    before = sources(project)
    result = kg("add", which, "pipe", "--concept", "self-care", cwd=project, stdin=entry("a2020"))
    assert_clean_failure(result)
    assert result.stderr == (
        "kg: error: pipe is a FIFO (named pipe), not a regular file: give the path of a regular "
        "file\n"
    )
    assert sources(project) == before


def test_kg_add_gives_up_on_a_silent_fifo_as_pasted_input(project):
    os.mkfifo(project / "silent.bib")
    result = kg("add", "silent.bib", cwd=project, env={"KG_PIPE_TIMEOUT": "1"})
    assert_clean_failure(result)
    assert result.stderr == (
        "kg: error: silent.bib: nothing came through the pipe for 1 seconds; is anything writing "
        "to it? Give the file itself instead\n"
    )


@pytest.mark.parametrize(
    ("shell", "message"),
    [
        ("kg add /dev/zero", "/dev/zero is a device, not a regular file or a pipe: give a BibTeX "
         "file, or - for standard input"),
        ("kg add - < /dev/zero", "<stdin> is a device, not a regular file or a pipe: give BibTeX "
         "text"),
        ("head -c 300000000 /dev/zero | kg add", "<stdin> is larger than kg reads"),
        ("kg add --bib /dev/zero < new.bib", "/dev/zero is a device, not a regular file: give the "
         "path of a regular file"),
    ],
    ids=["zero-as-file", "zero-on-stdin", "endless-pipe", "zero-as-bibliography"],
)  # fmt: skip
def test_kg_add_refuses_devices_and_endless_input(project, shell, message):
    (project / "new.bib").write_bytes(entry("a2020"))
    before = sources(project)
    command = shell.replace("kg add", f"{Path(os.sys.executable).with_name('kg')} add")
    result = kg(cwd=project, shell=command)
    assert_clean_failure(result, f"kg: error: {message}")
    assert sources(project) == before


def test_a_concepts_file_too_large_costs_only_the_suggestions(project):
    with open(project / "concepts.yaml", "r+b") as stream:
        stream.truncate(3 * 1024**3)  # sparse: 3 GB that must never be read
    result = kg("add", cwd=project, stdin=entry("smith2020resilience"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "kg: warning: concepts.yaml is larger than kg reads (3,221,225,472 bytes; the limit is "
        "2,097,152) (no concept suggestions)\n"
    )
    assert result.stdout.splitlines()[-1] == "references.bib: 26 entries"
    assert "None" not in result.stdout
    linked = kg("add", "--concept", "self-care", cwd=project, stdin=entry("smith2020other", "B"))
    assert_clean_failure(linked, "kg: error: concepts.yaml is larger than kg reads")


def test_kg_add_refuses_a_bibliography_linked_out_of_the_project(project, tmp_path):
    elsewhere = tmp_path / "home" / "library.bib"
    elsewhere.parent.mkdir()
    shutil.move(project / "references.bib", elsewhere)
    (project / "references.bib").symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    result = kg("add", cwd=project, stdin=entry("a2020"))
    assert_clean_failure(result)
    assert result.stderr == (
        f"kg: error: refusing to write references.bib: it is a symlink to {elsewhere}, outside "
        f"the project ({project}); kg never writes through a link that leads out of the project "
        "(a cloned project can carry one). Remove the link, or name the file itself\n"
    )
    assert elsewhere.read_bytes() == before
    named = kg("add", "--bib", str(elsewhere), "--concepts", "concepts.yaml", cwd=project,
               stdin=entry("a2020"))  # fmt: skip
    assert named.returncode == 0, named.stderr  # the file itself, named: the user's choice


def test_a_lock_file_planted_as_a_symlink_is_never_followed(project, tmp_path):
    victim = tmp_path / "precious.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (project / ".references.bib.lock").symlink_to(victim)
    before = sources(project)
    result = kg("add", cwd=project, stdin=entry("a2020"))
    assert_clean_failure(result)
    assert result.stderr == (
        f"kg: error: refusing to use the lock file {project / '.references.bib.lock'}: it is a "
        "symlink, which kg never follows (a cloned project can carry one); delete it and run "
        "again\n"
    )
    assert victim.read_text(encoding="utf-8") == "precious\n" and sources(project) == before


# ------------------------------------------------------------------------ key identity


@pytest.mark.parametrize(
    ("existing", "new"),
    [("müller2020", "muller2020"), ("straße2020", "strasse2020"),
     ("self-care2020", "selfcare2020"), ("müller2020", "mül\u200bler2020")],
    ids=["accent", "sharp-s", "hyphen", "zero-width-space"],
)  # fmt: skip
def test_kg_add_refuses_a_key_that_folds_like_an_existing_one(project, existing, new):
    bib = project / "references.bib"
    bib.write_bytes(bib.read_bytes() + b"\n" + entry(existing, "First"))
    line = bib.read_text(encoding="utf-8").count("\n") - 5
    before = sources(project)
    result = kg("add", cwd=project, stdin=entry(new, "Second"))
    assert_clean_failure(result)
    shown = new.replace("\u200b", "\\u200b")
    assert result.stderr == (
        f"<stdin>:1: error: key '{shown}' and '{existing}' (references.bib:{line}) are the same "
        "once case, accents, spaces, hyphens and underscores are ignored, so `kg show` and "
        "`kg path` cannot tell them apart; give the new entry another key\n"
        "kg: error: the pasted entries have errors; nothing was written; fix the entries and run "
        "again\n"
    )
    assert sources(project) == before


def test_kg_add_refuses_a_key_with_an_invisible_character(project):
    result = kg("add", cwd=project, stdin=entry("smith\u200b2020"))
    assert_clean_failure(result)
    assert result.stderr.splitlines()[0] == (
        "<stdin>:1: error: key 'smith\\u200b2020' holds U+200B (zero width space), which shows "
        "as nothing: the id looks like another one; delete it (kg add never writes a key kg "
        "check would warn about this way)"
    )


def test_two_pasted_keys_that_fold_alike_are_refused_together(project):
    result = kg("add", cwd=project, stdin=entry("smith2020a") + b"\n" + entry("Smith-2020A", "B"))
    assert_clean_failure(result, "<stdin>:8: error: key 'Smith-2020A' and 'smith2020a' (line 1)")


def test_what_kg_add_writes_kg_check_accepts(project):
    assert kg("add", cwd=project, stdin=entry("mueller2020")).returncode == 0
    check = kg("check", cwd=project)
    assert check.returncode == 0 and "id-collision" not in check.stdout


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "name", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "undefined"]
)
def test_an_encoding_that_is_not_a_text_encoding_is_a_usage_error(project, name):
    result = kg("check", "--encoding", name, cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--encoding': '{name}' is not a text encoding (it turns bytes "
        "into other bytes, or text into text); name the encoding the file is written in (utf-8, "
        "latin-1, cp1252, gbk...)"
    )


def test_an_unknown_encoding_is_a_usage_error(project):
    result = kg("render", "--encoding", "klingon", cwd=project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--encoding': 'klingon' is not an encoding Python knows (try "
        "utf-8, latin-1, cp1252, gbk...)"
    )


@pytest.mark.parametrize("command", [["check"], ["render", "-q"]])
def test_an_encoding_that_loses_every_entry_is_an_error(project, command):
    result = kg(*command, "--encoding", "cp037", cwd=project)
    printed = result.stdout if command == ["check"] else result.stderr  # check reports on stdout
    assert printed.splitlines()[0] == (
        "references.bib: error: read as cp037, the file holds 0 entries where its bytes show 25 "
        "('@type{' in ASCII): cp037 is not its encoding; leave out --encoding (UTF-8, else "
        "Windows-1252) or name the right one"
    )
    if command == ["check"]:
        assert result.returncode == 1
        assert re.fullmatch(r"[1-9]\d* errors?, \d+ warnings?", result.stdout.splitlines()[-1])


def test_utf8_read_as_latin1_gets_a_warning_naming_the_word(project):
    result = kg("check", "--encoding", "latin-1", cwd=project)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == (
        "references.bib:3: warning: the file is valid UTF-8, but read as latin-1 it says "
        "'(HernÃ¡ndez' where UTF-8 says '(Hernández'; leave out --encoding if the file is UTF-8"
    )


def test_ascii_read_by_an_encoding_that_changes_it_gets_the_warning_too(project):
    (project / "references.bib").write_bytes(
        b"@misc{a2020,\n  title = {Caf{\\'e} talk},\n  year = {2020},\n}\n"
    )
    result = kg("check", "--encoding", "unicode_escape", cwd=project)
    assert result.stdout.splitlines()[0] == (
        "references.bib:2: warning: the file is valid UTF-8, but read as unicode_escape it says "
        "'{Caf{'e}' where UTF-8 says '{Caf{\\'e}'; leave out --encoding if the file is UTF-8"
    )


def test_a_file_really_in_latin1_gets_no_such_warning(project):
    bib = project / "references.bib"
    bib.write_bytes(bib.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    result = kg("check", "--encoding", "latin-1", cwd=project)
    assert "encoding" not in result.stdout and result.returncode == 0


# --------------------------------------------------------------------------- surrogates


@pytest.mark.parametrize(
    ("line", "path"),
    [('  - name: "Pilar Hern\\ud800ndez"', "name"),
     ('    aliases: [Pilar Hernandez-Wolfe, "Pilar Hern\\udc00ndez"]', "aliases[1]")],
    ids=["name", "alias"],
)  # fmt: skip
def test_a_lone_surrogate_in_an_author_declaration_is_an_error_with_its_line(project, line, path):
    concepts = project / "concepts.yaml"
    lines = concepts.read_text(encoding="utf-8").split("\n")
    declared = lines.index("  - name: Pilar Hernández")
    lines[declared if path == "name" else declared + 1] = line
    concepts.write_text("\n".join(lines), encoding="utf-8")
    result = kg("check", cwd=project)
    assert result.returncode == 1
    errors = [row for row in result.stdout.splitlines() if ": error: " in row]
    code = "D800" if path == "name" else "DC00"
    assert len(errors) == 1
    assert errors[0].startswith(f"concepts.yaml:{declared + 1}: error: author '")
    assert errors[0].endswith(
        f"': '{path}' holds U+{code}, half of a surrogate pair (from an escape such as "
        f'"\\u{code.lower()}"), which no file can store (shown as U+FFFD until fixed); write the '
        "character meant, or the whole pair"
    )
    for command in (["render", "-q"], ["export", "-q", "-o", "graph.gexf"]):
        produced = kg(*command, cwd=project)
        assert produced.returncode == 0 and "Traceback" not in produced.stderr


# ------------------------------------------------------------------------- CR-only files


def test_kg_add_keeps_a_cr_only_bibliography_and_concepts_file_in_their_own_line_ends(project):
    for name in ("references.bib", "concepts.yaml"):
        path = project / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    before_bib, before_concepts = sources(project)
    result = kg("add", "--concept", "self-care", "--reason", "A test.", cwd=project,
                stdin=entry("smith2020resilience"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "added smith2020resilience at references.bib:300: Resilience at work (2020)"
    )
    bib, concepts = sources(project)
    assert bib == before_bib + b"\r" + entry("smith2020resilience").replace(b"\n", b"\r")
    assert b"\n" not in bib and b"\n" not in concepts
    assert b"      - key: smith2020resilience\r        strength: inferred\r" in concepts
    assert (
        concepts.replace(
            b"      - key: smith2020resilience\r        strength: inferred\r        reason: A test.\r",
            b"",
        )
        == before_concepts
    )
    assert kg("check", cwd=project).returncode == 0


# ---------------------------------------------------------------------------- stray text


def test_plain_text_between_entries_gets_the_warning_the_readme_promises(project):
    bib = project / "references.bib"
    bib.write_bytes(bib.read_bytes() + b"\nsome notes about the list\n")
    line = bib.read_text(encoding="utf-8").count("\n")
    result = kg("check", cwd=project)
    assert result.returncode == 0
    assert (
        f"references.bib:{line}: warning: text outside any entry: 'some notes about the list'; "
        "BibTeX ignores text between entries (start a comment line with %)"
    ) in result.stdout.splitlines()
