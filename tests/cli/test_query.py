"""CLI tests for ``kg papers``, ``kg show``, ``kg gaps``, ``kg reading-list`` and ``kg path``.

Exact outputs for the shipped workshop data live in tests/golden/; regenerate
them with ``pytest tests/cli --regen-golden`` after a deliberate change, and
review the diff.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from kg.cli import main

WARNING_PREFIX = "kg: warning: "


@pytest.fixture
def in_project(root, monkeypatch, shipped_bib, shipped_concepts):
    """Run from the project folder, so the default --bib/--concepts are the shipped files."""
    assert shipped_bib.exists() and shipped_concepts.exists()
    monkeypatch.chdir(root)
    monkeypatch.delenv("KG_BIB", raising=False)
    monkeypatch.delenv("KG_CONCEPTS", raising=False)
    return root


def run(*args: str):
    """Invoke ``kg`` with ``args``; exceptions propagate so failures show a traceback."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def assert_only_warnings(stderr: str) -> None:
    """Stderr may hold the loader's warning summary, nothing else (no citeproc noise)."""
    assert all(line.startswith(WARNING_PREFIX) for line in stderr.splitlines()), stderr


@pytest.mark.parametrize(
    ("args", "golden_name"),
    [
        (["papers", "--objective", "3b"], "papers-objective-3b.txt"),
        (["papers", "--concept", "self-care", "--format", "json"], "papers-concept-self-care.json"),
        (["papers", "--objective", "1c", "--format", "markdown"], "papers-objective-1c.md"),
        (
            ["papers", "--objective", "1a", "--min-strength", "supported", "--format", "bibtex"],
            "papers-objective-1a-supported.bib",
        ),
        (["show", "1a"], "show-1a.txt"),
        (
            ["show", "hernandez2007vicarious", "--format", "json"],
            "show-hernandez2007vicarious.json",
        ),
        (["gaps"], "gaps.txt"),
        (["gaps", "--format", "json"], "gaps.json"),
        (["path", "vicarious-resilience", "burnout"], "path-vicarious-resilience-burnout.txt"),
        (["reading-list", "--objective", "1a", "--format", "markdown"], "reading-list-1a.md"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_exact_output_for_the_shipped_data(in_project, golden, args, golden_name):
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert_only_warnings(result.stderr)
    golden.check(golden_name, result.stdout)


def test_table_output_fits_80_columns(in_project):
    for args in (["papers", "--objective", "3b"], ["show", "3b"], ["gaps"], ["path", "1a", "3c"]):
        result = run(*args)
        assert result.exit_code == 0
        assert max(len(line) for line in result.stdout.splitlines()) <= 80, args


def test_papers_json_shape_and_apa_strings(in_project):
    result = run("papers", "--objective", "1a", "--format", "json")
    data = json.loads(result.stdout)
    assert data["query"] == {
        "objective": "1a",
        "text": "describe the concept of vicarious resilience",
        "min_strength": "inferred",
        "style": "apa",
    }
    first = data["papers"][0]
    assert data["supported"] is True
    assert set(first) == {
        "rank",
        "key",
        "title",
        "year",
        "authors",
        "doi",
        "citation",
        "strength",
        "score",
        "concepts_covered",
        "direct",
        "workshop_reading_list",
        "via",
        "reasons",
    }
    assert [paper["rank"] for paper in data["papers"]] == list(range(1, len(data["papers"]) + 1))
    citations = {paper["key"]: paper["citation"] for paper in data["papers"]}
    # The facts sheet's APA strings (../shared/reference-facts.md), as citeproc's APA style gives them.
    assert citations["hernandez2007vicarious"] == (
        "Hernández, P., Gangsei, D., & Engstrom, D. (2007). Vicarious resilience: A new concept in work "
        "with those who survive trauma. Family Process, 46(2), 229–241. "
        "https://doi.org/10.1111/j.1545-5300.2007.00206.x"
    )
    assert citations["engstrom2008vicarious"] == (
        "Engstrom, D., Hernández, P., & Gangsei, D. (2008). Vicarious resilience: A qualitative "
        "investigation into its description. Traumatology, 14(3), 13–21."
    )
    assert citations["hernandez2010exploring"] == (
        "Hernández, P., Engstrom, D., & Gangsei, D. (2010). Exploring the impact of trauma on therapists: "
        "Vicarious resilience and related concepts in training. Journal of Systemic Therapies, 29(1), 67–83."
    )
    assert citations["pack2014vicarious"] == (
        "Pack, M. (2014). Vicarious resilience: A multilayered model of stress and trauma. Affilia: Journal "
        "of Women and Social Work, 29(1), 18–29. https://doi.org/10.1177/0886109913510088"
    )
    assert citations["pack2013vicarious"] == (
        "Pack, M. (2013). Vicarious traumatisation and resilience: An ecological systems approach to sexual "
        "abuse counsellors’ trauma and stress. Sexual Abuse in Australia and New Zealand, 5(2), 69–76."
    )


def test_van_dernoot_lipsky_keeps_her_particle(in_project):
    result = run("papers", "--concept", "self-care", "--format", "json")
    citations = {paper["key"]: paper["citation"] for paper in json.loads(result.stdout)["papers"]}
    assert citations["vandernootlipsky2009trauma"] == (
        "van Dernoot Lipsky, L., & Burk, C. (2009). Trauma stewardship: An everyday guide to caring for "
        "self while caring for others. Berrett-Koehler."
    )


def test_min_strength_filters(in_project):
    result = run("papers", "--objective", "3b", "--min-strength", "supported", "--format", "json")
    strengths = {paper["strength"] for paper in json.loads(result.stdout)["papers"]}
    assert strengths == {"supported"}


def test_bibtex_output_is_the_entry_as_written(in_project, shipped_bib):
    result = run("papers", "--concept", "vicarious-resilience-scale", "--format", "bibtex")
    assert result.exit_code == 0
    text = shipped_bib.read_text(encoding="utf-8")
    assert result.stdout.startswith("@article{killian2017development,")
    assert result.stdout.rstrip("\n") in text


def test_other_style(in_project):
    result = run(
        "papers", "--concept", "burnout", "--style", "harvard-cite-them-right", "--format", "json"
    )
    citation = json.loads(result.stdout)["papers"][0]["citation"]
    assert citation.startswith(
        "Maslach, C. and Jackson, S.E. (1981) “The measurement of experienced burnout”"
    )


def test_ids_match_ignoring_case_accents_and_separators(in_project):
    for spelling in ("Self Care", "SELF_CARE", "caring for self"):
        result = run("papers", "--concept", spelling, "--format", "json")
        assert json.loads(result.stdout)["query"]["concept"] == "self-care"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["papers", "--objective", "4z"], "kg: error: no objective matches '4z'"),
        (
            ["papers", "--concept", "selfcare-x"],
            "kg: error: no concept matches 'selfcare-x'; did you mean: self-care?",
        ),
        (["show", "resilliance"], "kg: error: no node matches 'resilliance'; did you mean: "),
        (["path", "burnout", "nowhere-concept"], "kg: error: no node matches 'nowhere-concept'"),
        (["reading-list", "--objective", "9z"], "kg: error: no objective matches '9z'"),
    ],
    ids=["papers-objective", "papers-concept", "show", "path", "reading-list"],
)
def test_unknown_ids_exit_1_with_did_you_mean(in_project, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if not line.startswith(WARNING_PREFIX)]
    assert len(errors) == 1
    assert errors[0].startswith(message)


def test_bad_style_exits_1_listing_close_names(in_project):
    result = run("papers", "--objective", "3b", "--style", "apa-7th")
    assert result.exit_code == 1
    assert result.stdout == ""
    error = result.stderr.splitlines()[-1]
    assert error.startswith("kg: error: unknown citation style 'apa-7th'; close names: ")
    assert "apa" in error.split("close names: ")[1].split(". Use")[0].split(", ")


@pytest.mark.parametrize(
    "args",
    [
        ["papers"],
        ["papers", "--objective", "1a", "--concept", "self-care"],
        ["papers", "--objective", "1a", "--min-strength", "strong"],
        ["papers", "--objective", "1a", "--format", "csv"],
        ["show"],
        ["path", "burnout"],
        ["gaps", "--format", "yaml"],
        ["reading-list", "--format", "pdf"],
    ],
    ids=[
        "papers-no-target",
        "papers-two-targets",
        "bad-strength",
        "bad-format",
        "show-no-id",
        "path-one-node",
        "gaps-bad-format",
        "reading-list-bad-format",
    ],
)
def test_usage_errors_exit_2(in_project, args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage:" in result.stderr


def test_missing_bibliography_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("gaps")
    assert result.exit_code == 2
    assert "bibliography not found: references.bib" in result.stderr


class _Collector(HTMLParser):
    """Collect tags and text of an HTML page (to check it by parsing, not by substring)."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_style = tag == "style"
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def test_reading_list_html_to_file(in_project, tmp_path):
    target = tmp_path / "handout.html"
    result = run(
        "reading-list",
        "--objective",
        "3b",
        "--objective",
        "1a",
        "--format",
        "html",
        "-o",
        str(target),
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {target} (2 objectives)" in result.stderr
    page = _Collector()
    page.feed(target.read_text(encoding="utf-8"))
    text = " ".join(page.text)
    assert "Objective 3b" in text and "Objective 1a" in text
    assert text.index("Objective 3b") < text.index("Objective 1a")  # order as asked
    assert "https://doi.org/10.1177/0886109913510088" in page.links
    assert "@media print" in "".join(page.styles)
    assert not {"script", "link", "img"} & set(page.tags)  # one self-contained file
    assert "Our capacity to help others is greatest" in text


def test_reading_list_escapes_data(tmp_path, monkeypatch):
    (tmp_path / "references.bib").write_text(
        "@book{evil2020,\n  author = {Doe, Jane},\n  title = {<script>alert(1)</script> & more},\n"
        "  year = {2020},\n  publisher = {P},\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "concepts.yaml").write_text(
        'version: 1\nconcepts:\n  - id: c\n    label: "<b>C</b>"\n    definition: "x < y"\n'
        "    papers:\n      - key: evil2020\n        strength: supported\n        reason: r\n"
        'objectives:\n  - id: "1a"\n    domain: knowledge\n    text: "<i>learn</i>"\n'
        "    concepts:\n      - id: c\n        strength: supported\n        reason: r\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = run("reading-list", "--format", "html")
    assert result.exit_code == 0, result.stderr
    page = _Collector()
    page.feed(result.stdout)
    assert "script" not in page.tags and "b" not in page.tags
    assert "<script>alert(1)</script> & more" in "".join(page.text)
    assert "<b>C</b>" in page.text and "<i>learn</i>" in page.text


def test_reading_list_needs_objectives(tmp_path, monkeypatch):
    (tmp_path / "references.bib").write_text(
        "@book{a2020,\n  title = {A},\n  year = {2020},\n}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = run("reading-list")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        "kg: error: the project has no learning objectives"
    )


def test_gaps_exits_0_and_json_groups(in_project):
    result = run("gaps", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"objectives", "concepts", "papers", "entries"}
    for items in data.values():
        for item in items:
            assert set(item) == {"node", "label", "gap", "fix"}
    assert {"node": "paper:pack2013vicarious", "gap": "no DOI"}.items() <= next(
        item
        for item in data["entries"]
        if item["node"] == "paper:pack2013vicarious" and item["gap"] == "no DOI"
    ).items()


def test_help_lists_every_query_command():
    result = run("--help")
    for name in ("papers", "show", "gaps", "reading-list", "path"):
        assert name in result.stdout


# ---------------------------------------------------------------- one way to name things


def test_case_and_separators_do_not_matter_to_any_command(in_project):
    assert (
        run("papers", "--objective", "3B", "-q").stdout == run("papers", "--objective", "3b").stdout
    )
    assert (
        run("papers", "--concept", "self_care", "--format", "json").stdout
        == run("papers", "--concept", "self-care", "--format", "json").stdout
    )
    assert run("show", "3B").stdout == run("show", "3b").stdout
    assert (
        run("reading-list", "--objective", "3B").stdout
        == run("reading-list", "--objective", "3b").stdout
    )


def test_several_objectives_are_answered_each_in_the_order_given(in_project):
    both = run("papers", "--objective", "3b", "--objective", "2b", "-q")
    assert both.exit_code == 0
    assert both.stdout == (
        run("papers", "--objective", "3b").stdout.rstrip("\n")
        + "\n\n"
        + run("papers", "--objective", "2b").stdout
    )
    answers = json.loads(
        run("papers", "--objective", "3b", "--objective", "2b", "--format", "json").stdout
    )
    assert [answer["query"]["objective"] for answer in answers] == ["3b", "2b"]


def test_an_unknown_objective_gets_suggestions_not_a_pointer_to_kg_show(in_project):
    result = run("papers", "--objective", "3d", "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "kg: error: no objective matches '3d'; did you mean: 3a, 3b, 3c?\n",
    )
    far = run("papers", "--objective", "zz", "-q")
    assert far.stderr == (
        "kg: error: no objective matches 'zz'; the choices are: 1a, 1b, 1c, 2a, 2b, 3a, 3b, 3c\n"
    )


def test_every_command_takes_quiet(in_project):
    from kg.cli import COMMANDS

    for name in COMMANDS:
        assert "-q, --quiet" in run(name, "--help").stdout, name


@pytest.fixture
def own_project(tmp_path, monkeypatch, shipped_bib, shipped_concepts):
    """A copy of the shipped project with its own cache folder, as a user's project would be."""
    (tmp_path / "references.bib").write_bytes(shipped_bib.read_bytes())
    (tmp_path / "concepts.yaml").write_bytes(shipped_concepts.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KG_BIB", raising=False)
    monkeypatch.delenv("KG_CONCEPTS", raising=False)
    return tmp_path


SUMMARY = "kg: warning: 7 warnings in the sources; `kg check` lists them\n"


def test_the_warning_summary_is_said_once_per_change_of_the_sources(own_project):
    assert run("papers", "--objective", "1a", "-q").stderr == ""  # -q: never said
    assert run("papers", "--objective", "1a").stderr == SUMMARY
    assert run("gaps").stderr == ""
    assert run("show", "1a").stderr == ""
    bib = own_project / "references.bib"
    bib.write_bytes(bib.read_bytes() + b"\n% a comment\n")
    assert run("gaps").stderr == SUMMARY
    assert run("gaps").stderr == ""


def test_kg_add_links_with_the_ids_kg_papers_accepts(own_project):
    (own_project / "new.bib").write_text(
        "@book{doe2020caring,\n  author = {Doe, Jane},\n  title = {Caring for carers},\n"
        "  publisher = {Press},\n  year = {2020},\n}\n",
        encoding="utf-8",
    )
    result = run("add", "new.bib", "--concept", "self_care", "--objective", "3B",
                 "--reason", "A book on caring for carers.", "-q")  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "added doe2020caring at references.bib:300: Caring for carers (2020)\n"
        "linked concept:self-care -> doe2020caring (inferred)\n"
        "linked objective:3b -> doe2020caring (inferred)\n"
        "references.bib: 26 entries; concepts.yaml: 80 paper links\n"
    )
    keys = [
        p["key"]
        for p in json.loads(run("papers", "--objective", "3b", "--format", "json").stdout)["papers"]
    ]
    assert "doe2020caring" in keys


def test_no_supported_reading_is_said_with_the_closest_ones(own_project):
    concepts = own_project / "concepts.yaml"
    text = concepts.read_text(encoding="utf-8")
    two_b = text.index('  - id: "2b"')
    three_a = text.index('  - id: "3a"')
    block = text[two_b:three_a].replace("strength: supported", "strength: weak")
    concepts.write_text(text[:two_b] + block + text[three_a:], encoding="utf-8")
    result = run("papers", "--objective", "2b", "-q")
    lines = result.stdout.splitlines()
    assert lines[1] == "No reading supports 2b directly yet; these are the closest (6 papers)."
    assert lines[2] == "Citations: apa."
    markdown = run("papers", "--objective", "2b", "--format", "markdown").stdout.splitlines()
    assert markdown[2] == "No reading supports 2b directly yet; these are the closest (6 papers)."
    assert (
        json.loads(run("papers", "--objective", "2b", "--format", "json").stdout)["supported"]
        is False
    )
    handout = run("reading-list", "--objective", "2b").stdout
    assert (
        "_No reading supports 2b directly yet; the further readings below are the closest._"
        in handout
    )


# ---------------------------------------------------------------- italics and long words


def test_italics_on_a_terminal_and_none_when_piped(in_project, monkeypatch):
    piped = run("papers", "--objective", "1c").stdout
    assert "\x1b" not in piped
    monkeypatch.setattr("kg.cli.wrapping.italics_on_terminal", lambda: True)
    # color=True: Click itself strips terminal codes from output it believes is piped.
    shown = CliRunner().invoke(main, ["papers", "--objective", "1c"], color=True).stdout
    assert "\x1b[3mFamily Process\x1b[23m, \x1b[3m46\x1b[23m(2)" in shown
    assert shown.replace("\x1b[3m", "").replace("\x1b[23m", "") == piped


def test_italics_across_a_line_break_close_and_reopen(monkeypatch):
    from kg.cli.wrapping import wrap_marked

    citation = "Doe, J. (2001). \x1b[3m" + "A very long book title " * 5 + "\x1b[23m. Press."
    wrapped = wrap_marked(citation, 16, "  1  supported  ")
    for line in wrapped.splitlines():
        assert line.count("\x1b[3m") == line.count("\x1b[23m")
        assert len(line.replace("\x1b[3m", "").replace("\x1b[23m", "")) <= 80
    assert wrapped.replace("\x1b[3m", "").replace("\x1b[23m", "") == wrap_marked(
        citation.replace("\x1b[3m", "").replace("\x1b[23m", ""), 16, "  1  supported  "
    )


@pytest.mark.parametrize("seed", range(40))
def test_wrap_gives_what_textwrap_gives(seed):
    import random
    import textwrap

    from kg.cli.wrapping import wrap

    rng = random.Random(seed)
    words = ["".join(rng.choice("ab-:") for _ in range(rng.choice([1, 3, 7, 20, 90, 200])))
             for _ in range(rng.randint(0, 30))]  # fmt: skip
    text = " ".join(words)
    first, rest = " " * rng.randint(0, 20), " " * rng.randint(0, 20)
    width = rng.choice([30, 40, 80])
    assert wrap(text, width, first, rest) == textwrap.fill(
        text, width=width, initial_indent=first, subsequent_indent=rest,
        break_long_words=True, break_on_hyphens=False,
    )  # fmt: skip


def test_show_wraps_a_title_of_millions_of_characters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    title = "x" * 4_000_000
    (tmp_path / "references.bib").write_text(
        f"@book{{big,\n  author = {{Doe, Jane}},\n  title = {{{title}}},\n"
        f"  publisher = {{Press}},\n  year = {{2020}},\n}}\n",
        encoding="utf-8",
    )
    result = run("show", "big", "-q")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    start = lines.index("  title: " + "x" * 71)
    body = [lines[start][len("  title: ") :]]
    for line in lines[start + 1 :]:
        if not line.startswith("    x"):
            break
        body.append(line[4:])
    assert "".join(body) == title


def test_show_says_which_fields_a_paper_inherited(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "references.bib").write_text(
        "@inproceedings{part,\n  author = {Doe, Jane},\n  title = {A part},\n  crossref = {whole},\n}\n"
        "@proceedings{whole,\n  title = {The {ICAPS}\n     Proceedings},\n  publisher = {AAAI Press},\n"
        "  year = {2004},\n}\n",
        encoding="utf-8",
    )
    result = run("show", "part", "-q")
    assert result.exit_code == 0, result.stderr
    assert "  inherited: publisher, year, booktitle from whole\n" in result.stdout
    assert "  venue: The ICAPS Proceedings\n" in result.stdout
    shown = json.loads(run("show", "part", "--format", "json", "-q").stdout)
    assert shown["inherited"] == {"publisher": "whole", "year": "whole", "booktitle": "whole"}
    assert shown["attributes"]["year"] == "2004"


def test_papers_without_an_option_says_what_to_give(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("papers")
    assert result.exit_code == 2
    assert (
        "say which papers to list: give --objective ID (a learning objective, such as 1a) "
        "or --concept ID (a concept's id, label or alias)" in " ".join(result.stderr.split())
    )
