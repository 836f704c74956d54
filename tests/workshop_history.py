"""A git history of the shipped workshop, for the tests of ``kg diff`` and ``--since``.

The first commit is the project as shipped (tagged ``workshop-2026-spring``);
the second is what a term of editing leaves, done as its users do it: a book
added with ``kg add`` and linked to objective 3b, a link re-rated, a concept's
definition reworded and a citation key renamed, in both files.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT, need, run_kg

#: A verified book (Guilford Press's page for the second edition) for objective 3b.
NORCROSS = """@book{norcross2018leaving,
  author    = {Norcross, John C. and VandenBos, Gary R.},
  title     = {Leaving it at the office: A guide to psychotherapist self-care},
  edition   = {2},
  publisher = {Guilford Press},
  year      = {2018},
}
"""
NORCROSS_REASON = "A guide to psychotherapist self-care, as its title says."

KILLIAN_SELF_CARE = """      - key: killian2017development
        strength: weak
        reason: The scale includes a self-care factor; its title does not name it."""

BURNOUT_BEFORE = """      Emotional exhaustion, a detached or cynical stance toward the people served, and a
      falling sense of accomplishment, brought on by long-term strain at work."""
BURNOUT_AFTER = """      Exhaustion, a cynical distance from the people served, and a falling sense of
      accomplishment, brought on by long-term strain at work."""

TAG = "workshop-2026-spring"


def git(folder: Path, *arguments: str) -> str:
    """Run git in ``folder`` with a fixed identity and clock; its standard output."""
    environment = dict(
        os.environ,
        GIT_AUTHOR_NAME="Trainer",
        GIT_AUTHOR_EMAIL="trainer@example.org",
        GIT_COMMITTER_NAME="Trainer",
        GIT_COMMITTER_EMAIL="trainer@example.org",
        GIT_AUTHOR_DATE="2026-06-01T12:00:00Z",
        GIT_COMMITTER_DATE="2026-06-01T12:00:00Z",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    result = subprocess.run(
        ["git", *arguments], cwd=folder, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def shipped_commit(folder: Path) -> None:
    """Copy the shipped sources into ``folder``, make it a repository, commit and tag."""
    need(shutil.which("git") is not None, "git")
    for name in ("references.bib", "concepts.yaml"):
        shutil.copy(ROOT / name, folder / name)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "references.bib", "concepts.yaml")
    git(folder, "commit", "-q", "-m", "The workshop as taught in spring")
    git(folder, "tag", TAG)


def edit_a_term(folder: Path, pasted: Path) -> None:
    """The term's edits, in the working tree of ``folder``."""
    pasted.write_text(NORCROSS, encoding="utf-8")
    result = run_kg(
        "add", str(pasted), "--bib", str(folder / "references.bib"),
        "--concepts", str(folder / "concepts.yaml"), "--objective", "3b",
        "--concept", "self-care", "--strength", "supported", "--reason", NORCROSS_REASON,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    concepts = folder / "concepts.yaml"
    text = concepts.read_text(encoding="utf-8")
    assert KILLIAN_SELF_CARE in text and BURNOUT_BEFORE in text
    text = text.replace(KILLIAN_SELF_CARE, KILLIAN_SELF_CARE.replace("weak", "inferred"))
    text = text.replace(BURNOUT_BEFORE, BURNOUT_AFTER)
    concepts.write_text(text.replace("bordin1979generalizability", "bordin1979working"), "utf-8")
    bib = folder / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("bordin1979generalizability", "bordin1979working"),
        encoding="utf-8",
    )


def workshop_history(folder: Path, pasted: Path) -> str:
    """Both commits in ``folder``; the first commit's short hash."""
    shipped_commit(folder)
    edit_a_term(folder, pasted)
    git(folder, "commit", "-q", "-am", "The workshop for the autumn term")
    return git(folder, "rev-parse", "--short", "HEAD~1").strip()
