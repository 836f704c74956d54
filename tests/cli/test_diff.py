"""``kg diff``: what changed between two states of the project, in words."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.cli.options import dump_json
from tests.conftest import ROOT, run_kg, snapshot
from tests.workshop_history import TAG, git, shipped_commit, workshop_history


@pytest.fixture
def history(workdir, tmp_path_factory) -> str:
    """The shipped workshop and a term of edits, committed; the first commit's short hash."""
    return workshop_history(workdir, tmp_path_factory.mktemp("pasted") / "norcross.bib")


def _golden(name: str, output: str, commit: str, golden) -> None:
    golden.check(name, output.replace(commit, "COMMIT"))


def test_text_lists_exactly_the_terms_edits(history, golden):
    result = run_kg("diff", "HEAD~1")
    assert result.exit_code == 0
    assert result.stderr == ""
    _golden("diff-head1.txt", result.stdout, history, golden)
    # The four edits, and what they did to objective 3b's answer, are named.
    assert "  added    Norcross & VandenBos (2018) [norcross2018leaving]" in result.stdout
    assert (
        "  renamed  Bordin (1979), key bordin1979generalizability → bordin1979working (same title)"
        in result.stdout
    )
    assert (
        "  changed  Self-care → Killian et al. (2017)\n             strength: weak → inferred\n"
        in result.stdout
    )
    assert "  reworded Burnout\n             definition was: Emotional exhaustion," in result.stdout
    assert (
        "  Objective 3b: demonstrate an increased awareness of and attention to self-care as a "
        "necessity, not a luxury\n"
        "    enters the top five: Norcross & VandenBos (2018), now 2nd\n"
        "    leaves the top five: Hernández et al. (2007), was 5th, now 6th\n"
        "    gains supported evidence: Norcross & VandenBos (2018)\n"
    ) in result.stdout


def test_markdown_and_json_say_the_same(history, golden):
    markdown = run_kg("diff", "HEAD~1", "--format", "markdown")
    assert markdown.exit_code == 0
    _golden("diff-head1.md", markdown.stdout, history, golden)
    assert (
        "- **renamed** Bordin (1979), key bordin1979generalizability → bordin1979working"
        in markdown.stdout
    )

    result = run_kg("diff", "HEAD~1", "--format", "json")
    assert result.exit_code == 0
    _golden("diff-head1.json", result.stdout, history, golden)
    document = json.loads(result.stdout)
    assert result.stdout == dump_json(document) + "\n"  # sorted keys, deterministic
    assert document["old"] == f"HEAD~1 ({history})" and document["new"] == "the working tree"
    assert [item["id"] for item in document["papers"]["added"]] == ["paper:norcross2018leaving"]
    assert document["papers"]["renamed"] == [
        {
            "id": "paper:bordin1979working",
            "label": "Bordin (1979)",
            "matched_by": "title",
            "old_id": "paper:bordin1979generalizability",
            "status": "renamed",
        }
    ]
    assert document["papers"]["removed"] == document["papers"]["changed"] == []
    assert [answer["objective"] for answer in document["answers"]] == ["3b"]
    assert document["links"]["changed"] == [
        {
            "fields": [{"field": "strength", "new": "inferred", "old": "weak"}],
            "id": "concept:self-care -> paper:killian2017development",
            "label": "Self-care → Killian et al. (2017)",
            "status": "changed",
        }
    ]


def test_two_revisions_and_a_tag(history):
    by_tag = run_kg("diff", TAG, "HEAD")
    by_revision = run_kg("diff", "HEAD~1")
    assert by_tag.exit_code == 0
    assert by_tag.stdout.splitlines()[0] == f"Changes from {TAG} ({history}) to HEAD ({git_head()})"
    assert by_tag.stdout.splitlines()[1:] == by_revision.stdout.splitlines()[1:]


def git_head() -> str:
    return git(Path.cwd(), "rev-parse", "--short", "HEAD").strip()


def test_no_differences_and_the_exit_code(history):
    result = run_kg("diff")
    assert result.exit_code == 0
    assert (
        result.stdout
        == f"Changes from HEAD ({git_head()}) to the working tree\n\nNo differences.\n"
    )
    assert run_kg("diff", "--exit-code").exit_code == 0
    assert run_kg("diff", "HEAD~1", "--exit-code").exit_code == 1
    assert json.loads(run_kg("diff", "--format", "json").stdout)["different"] is False


def test_an_unknown_revision_is_named(history):
    result = run_kg("diff", "workshop-1999")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("kg: error: no revision 'workshop-1999' in the repository at ")
    assert run_kg("diff", "--", "--output=x").exit_code == 1  # never passed to git as an option


def test_a_shallow_clone_answers_what_it_has_and_says_what_it_lacks(history, tmp_path, monkeypatch):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{tmp_path}", str(clone))
    monkeypatch.chdir(clone)
    assert run_kg("diff").stdout.endswith("No differences.\n")
    result = run_kg("diff", "HEAD~1")
    assert result.exit_code == 1
    assert "no revision 'HEAD~1'" in result.stderr
    assert "this clone is shallow" in result.stderr and "git fetch --deepen" in result.stderr


def test_old_revisions_are_never_written_into_the_project(history, workdir):
    before = snapshot(workdir), git(workdir, "status", "--porcelain")
    assert run_kg("diff", "HEAD~1").exit_code == 0
    assert (snapshot(workdir), git(workdir, "status", "--porcelain")) == before


def test_two_pairs_of_files_without_git(workdir, tmp_path_factory):
    old = tmp_path_factory.mktemp("old")
    for name in ("references.bib", "concepts.yaml"):
        shutil.copy(ROOT / name, old / name)
        shutil.copy(ROOT / name, workdir / name)
    concepts = workdir / "concepts.yaml"
    concepts.write_text(
        concepts.read_text(encoding="utf-8").replace(
            "label: Burnout", "label: Professional burnout"
        ),
        encoding="utf-8",
    )
    result = run_kg(
        "diff",
        "--bib-old",
        str(old / "references.bib"),
        "--concepts-old",
        str(old / "concepts.yaml"),
    )
    assert result.exit_code == 0
    assert result.stdout == (
        f"Changes from {old / 'references.bib'} and {old / 'concepts.yaml'} "
        "to references.bib and concepts.yaml\n\n"
        "Concepts\n"
        "  reworded Professional burnout\n"
        "             label: Burnout → Professional burnout\n\n"
        "Concepts: 1 reworded.\n"
    )


def test_outside_git_it_says_how_to_compare_files(shipped_project):
    result = run_kg("diff")
    assert result.exit_code == 1
    assert result.stderr == (
        f"kg: error: {shipped_project.resolve()} is not in a git repository, so it has no revision "
        "to compare with; without git, kg diff compares two pairs of files (--bib-old, --concepts-old)\n"
    )


def test_usage_errors(history):
    assert run_kg("diff", "--concepts-old", "concepts.yaml").exit_code == 2
    assert run_kg("diff", "HEAD", "--bib-old", "references.bib").exit_code == 2


def test_new_problems_and_a_rename_by_doi(workdir):
    shipped_commit(workdir)
    bib = workdir / "references.bib"
    text = bib.read_text(encoding="utf-8").replace("rutter1985resilience", "rutter1985adversity")
    bib.write_text(
        text.replace("{Resilience in the face of adversity", "{Resilience facing adversity"),
        "utf-8",
    )
    concepts = workdir / "concepts.yaml"
    concepts.write_text(
        concepts.read_text(encoding="utf-8").replace("rutter1985resilience", "rutter1985adversity")
        .replace("key: herman1992trauma", "key: herman1992traumaa", 1),
        encoding="utf-8",
    )  # fmt: skip
    result = run_kg("diff", "--format", "json")
    document = json.loads(result.stdout)
    renamed = document["papers"]["renamed"][0]
    assert (renamed["old_id"], renamed["id"], renamed["matched_by"]) == (
        "paper:rutter1985resilience", "paper:rutter1985adversity", "DOI",
    )  # fmt: skip
    assert renamed["fields"][0]["field"] == "title"
    [problem] = document["problems"]["new"]
    assert problem["file"] == "concepts.yaml" and problem["severity"] == "error"
    assert "herman1992traumaa" in problem["message"]
    text_report = run_kg("diff").stdout
    assert "New problems kg check would report (1)\n  concepts.yaml:" in text_report


def test_reading_list_marks_the_new_readings(history, tmp_path):
    result = run_kg("reading-list", "-q", "--since", TAG, "--objective", "3b")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "# Reading list: Vicarious resilience",
        "",
        f"_New since {TAG}: 1 reading, marked so below._",
    ]
    marked = [line for line in lines if "(new since" in line]
    assert marked == [
        "2. Norcross, J. C., & VandenBos, G. R. (2018). *Leaving it at the office: A guide to "
        "psychotherapist self-care* (2nd ed.). Guilford Press. (new since workshop-2026-spring)"
    ]
    page = tmp_path / "handout.html"
    assert (
        run_kg(
            "reading-list", "-q", "--since", "HEAD~1", "--format", "html", "-o", str(page)
        ).exit_code
        == 0
    )
    html = page.read_text(encoding="utf-8")
    assert html.count('<span class="badge new">new since HEAD~1</span>') == 1
    assert '<p class="new-note">New since HEAD~1: 1 reading, marked so below.</p>' in html
    # Without --since, nothing is marked; a revision that does not exist is named.
    assert "new since" not in run_kg("reading-list", "-q", "--objective", "3b").stdout
    missing = run_kg("reading-list", "-q", "--since", "workshop-1999")
    assert missing.exit_code == 1 and "no revision 'workshop-1999'" in missing.stderr


def test_render_since_a_revision_that_does_not_exist_writes_nothing(history, workdir):
    result = run_kg("render", "-q", "--since", "workshop-1999")
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: no revision 'workshop-1999' in the repository at ")
    assert not (workdir / "concept-map.html").exists()
    written = run_kg("render", "-q", "--since", TAG)
    assert written.exit_code == 0 and written.stdout.startswith("Wrote concept-map.html (85 nodes")
    page = (workdir / "concept-map.html").read_text(encoding="utf-8")
    assert f'"label":"{TAG} ({history})"' in page


def test_a_revision_without_the_concepts_file(workdir):
    shipped_commit(workdir)
    git(workdir, "rm", "-q", "--cached", "concepts.yaml")
    git(workdir, "commit", "-q", "-m", "Concepts not yet written")
    result = run_kg("diff", "--format", "json")
    assert result.exit_code == 0
    assert (
        result.stderr
        == "kg: warning: HEAD:concepts.yaml does not exist: compared as an empty file\n"
    )
    document = json.loads(result.stdout)
    assert len(document["concepts"]["added"]) == 18 and len(document["objectives"]["added"]) == 8
    assert document["papers"] == {"added": [], "changed": [], "removed": [], "renamed": []}
    # Every objective is new, and so is each one's whole answer.
    assert [answer["objective"] for answer in document["answers"]] == [
        "1a", "1b", "1c", "2a", "2b", "3a", "3b", "3c",
    ]  # fmt: skip
    assert all(answer["new_objective"] for answer in document["answers"])
