"""Thirty hostile payloads and a project whose every text field carries them.

Each payload tries one way of turning data into code: HTML and SVG event
handlers, script tags and early ``</script>``, attribute break-outs,
``javascript:`` links, template syntax (Jinja, JS template literals), SQL
and Cypher statement breaks, CSV formulas, XML CDATA ends, and Unicode line
separators that end a JavaScript string. If a payload ever runs, it sets
``window.__xss``.
"""

from __future__ import annotations

import json

PAYLOADS: tuple[str, ...] = (
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    "</script>",
    "</script><script>window.__xss=1</script>",
    "\\href{javascript:window.__xss=1}{click me}",
    "javascript:window.__xss=1",
    '"><svg onload=window.__xss=1>',
    "'><svg/onload=window.__xss=1>",
    '" onmouseover="window.__xss=1" x="',
    "' onfocus='window.__xss=1' autofocus='",
    "{{7*7}}",
    "{% for x in range(3) %}loop{% endfor %}",
    "${window.__xss=1}",
    "`${window.__xss=1}`",
    "' OR 1=1 --",
    "'; DROP TABLE papers; --",
    "'}) DETACH DELETE n //",
    '"}) MATCH (n) DETACH DELETE n //',
    "\\'}) DETACH DELETE n //",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "]]><injected/><![CDATA[",
    "line\u2028separator\u2029paragraph",
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<a href="javascript:window.__xss=1">link</a>',
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "<!-- <style>body{display:none}</style>",
    '";window.__xss=1;//\u202e 🙂 𝔘',
)
assert len(PAYLOADS) == 30 and len(set(PAYLOADS)) == 30

#: Objective ids the concepts format uses.
OBJECTIVES = ("1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "3c")


def brace_balanced(text: str) -> bool:
    """BibTeX cannot hold a value whose braces do not balance."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def bibliography() -> str:
    """One entry per payload that BibTeX can hold, with the payload in every displayed field."""
    entries = []
    for number, payload in enumerate(PAYLOADS):
        if not brace_balanced(payload):
            payload = "unbalanced braces left out"
        url = "javascript:window.__xss=1" if number % 2 else payload
        entries.append(
            f"@article{{p{number:02d},\n"
            f"  author = {{Smith, Anna and {{{payload}}}}},\n"
            f"  title = {{{payload}}},\n"
            f"  journal = {{{payload}}},\n"
            f"  year = {{2020}},\n"
            f"  note = {{{payload}}},\n"
            f"  abstract = {{{payload}}},\n"
            f"  keywords = {{{payload}}},\n"
            f"  url = {{{url}}},\n"
            f"  doi = {{10.1000/{number}{payload if number % 3 == 0 else ''}}},\n"
            f"}}\n"
        )
    return "\n".join(entries)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def concepts_file() -> str:
    """A concept, a quote and (for nine of them) an objective per payload, every text a payload."""
    lines = ["version: 1", f"title: {_q('Map ' + PAYLOADS[0] + PAYLOADS[2])}", "authors:",
             f"  - name: {_q('Anna Smith')}", f"    aliases: [{_q(PAYLOADS[1])}]", "concepts:"]  # fmt: skip
    for number, payload in enumerate(PAYLOADS):
        lines += [
            f"  - id: c{number:02d}",
            f"    label: {_q(payload)}",
            f"    definition: {_q('Defined as ' + payload)}",
            f"    aliases: [{_q(payload + ' alias')}]",
            "    papers:",
            f"      - key: p{number:02d}",
            "        strength: supported",
            f"        reason: {_q(payload)}",
        ]
        if number:
            lines += ["    relations:", "      - type: related-to", f"        concept: c{number - 1:02d}",
                      f"        reason: {_q(payload)}"]  # fmt: skip
    lines.append("objectives:")
    for number, objective in enumerate(OBJECTIVES):
        lines += [
            f"  - id: {_q(objective)}",
            f"    domain: {('knowledge', 'skill', 'attitude')[number % 3]}",
            f"    text: {_q('Objective ' + PAYLOADS[number * 3 % 30])}",
            f"    concepts: [c{number * 3:02d}, c{number * 3 + 1:02d}, c{number * 3 + 2:02d}]",
            "    papers:",
            f"      - key: p{number * 3 + 1:02d}",
            "        strength: weak",
            f"        reason: {_q(PAYLOADS[(number * 3 + 1) % 30])}",
        ]
    lines.append("quotes:")
    for number, payload in enumerate(PAYLOADS):
        lines += [
            f"  - id: q{number:02d}",
            f"    text: {_q(payload)}",
            f"    speaker: {_q(payload)}",
            f"    source: p{number:02d}",
            f"    note: {_q(payload)}",
            f"    concepts: [c{number:02d}]",
            f"    objectives: [{_q(OBJECTIVES[number % 9])}]",
        ]
    return "\n".join(lines) + "\n"


def write_project(folder):
    """Write references.bib and concepts.yaml into ``folder``; return their paths."""
    bib, concepts = folder / "references.bib", folder / "concepts.yaml"
    bib.write_text(bibliography(), encoding="utf-8")
    concepts.write_text(concepts_file(), encoding="utf-8")
    return bib, concepts
