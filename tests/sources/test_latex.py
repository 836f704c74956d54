"""The one text normaliser of displayed values (kg.sources.latex)."""

from __future__ import annotations

import pytest

from kg.sources.latex import case_protected, normalise


@pytest.mark.parametrize(
    "written, shown",
    [
        ("Pages 850--858 --- and more", "Pages 850–858 — and more"),
        ("``Quoted'' words", "“Quoted” words"),
        ("{AAAI} Press\\slash {MIT} Press", "AAAI Press/MIT Press"),
        ("Search \\& planning", "Search & planning"),
        ("J.~Smith", "J. Smith"),
        ("H{\\\"o}lder and Gr\\'{e}goire", "Hölder and Grégoire"),
        ("$A^*$ search", "A* search"),
        ("$\\epsilon$-greedy", "ε-greedy"),
        ("SAS$^{+}$ planning", "SAS⁺ planning"),
        ("$O(n^2)$ and $x_2$", "O(n²) and x₂"),
        ("$h^{\\text{max}}$", "hᵐᵃˣ"),
        (
            "Proceedings of the Ninth\n      National   Conference",
            "Proceedings of the Ninth National Conference",
        ),
        ("Costs \\$5", "Costs $5"),
        ("\\url{https://example.org/a}", "https://example.org/a"),
        ("plain text", "plain text"),
    ],
)
def test_latex_reads_as_unicode_and_white_space_collapses(written, shown):
    assert normalise(written) == shown


def test_case_protected_groups_are_marked_for_csl_and_special_characters_are_not():
    assert case_protected("The {ACL} and {\\'e}t{\\'e} at \\emph{{ICML}}") == (
        'The <span class="nocase">ACL</span> and été at ICML'
    )
    assert case_protected("{{Whole Title}}") == '<span class="nocase">Whole Title</span>'
    assert case_protected("SAS$^{+}$") == "SAS⁺"
