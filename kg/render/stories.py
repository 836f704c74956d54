"""What the map's page holds for stories and rich citations, as data the script builds with DOM nodes.

Speaker notes are Markdown. They are parsed here, with markdown-it-py (raw
HTML off), into a small tree of allowed elements and text::

    {"t": "p", "c": ["Ask: ", {"t": "em", "c": ["which words?"]}]}

The page builds that tree with ``createElement`` and ``textContent``, so no
note can carry markup into the page. Citations keep their APA italics the same
way: a list of ``[text, italic]`` spans instead of a string.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.model import Corpus

#: Markdown block and inline tokens and the element each becomes on the page.
_TAGS = {
    "paragraph": "p",
    "bullet_list": "ul",
    "ordered_list": "ol",
    "list_item": "li",
    "blockquote": "blockquote",
    "heading": "h4",
    "strong": "strong",
    "em": "em",
    "s": "s",
    "link": "span",  # a note's link shows its text: the console is for reading aloud
}


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("strikethrough")


def notes_tree(text: str) -> list:
    """Speaker notes (Markdown) as a list of element trees: ``{"t": tag, "c": children}`` or text."""
    if not text.strip():
        return []
    root: dict = {"t": "div", "c": []}
    stack = [root]
    for token in _markdown().parse(text):
        _add_token(token, stack)
    return root["c"]


def _add_token(token, stack: list) -> None:
    """Add one Markdown token (and an inline token's children) to the tree being built."""
    kind = token.type
    if kind == "inline":
        for child in token.children or ():
            _add_token(child, stack)
        return
    if kind.endswith(("_open", "_close")):
        name = kind.rsplit("_", 1)[0]
        tag = _TAGS.get(name)
        if tag is None or token.hidden:  # a tight list's paragraphs: their text only
            return
        if kind.endswith("_open"):
            element = {"t": tag, "c": []}
            stack[-1]["c"].append(element)
            stack.append(element)
        elif len(stack) > 1:
            stack.pop()
        return
    if kind == "text":
        _add_text(stack[-1], token.content)
    elif kind == "softbreak":
        _add_text(stack[-1], " ")
    elif kind == "hardbreak":
        stack[-1]["c"].append({"t": "br", "c": []})
    elif kind == "code_inline":
        stack[-1]["c"].append({"t": "code", "c": [token.content]})
    elif kind in ("fence", "code_block"):
        stack[-1]["c"].append({"t": "pre", "c": [token.content.rstrip("\n")]})
    elif kind == "hr":
        stack[-1]["c"].append({"t": "hr", "c": []})
    elif token.content:  # an image's alt text, and anything else with text: as text
        _add_text(stack[-1], token.content)


def _add_text(element: dict, text: str) -> None:
    """Append text, merged with text just before it."""
    if not text:
        return
    children = element["c"]
    if children and isinstance(children[-1], str):
        children[-1] += text
    else:
        children.append(text)


def stories_data(corpus: Corpus, shown: set[str]) -> list[dict]:
    """The corpus's stories for the page: steps with the ids drawn on the map, notes as trees.

    ``shown`` holds the ids of the nodes the map draws: a step's node that is not
    drawn (an author folded into their paper on a large map) is left out.
    """
    stories = []
    for story in corpus.stories.values():
        if not story.steps:
            continue
        stories.append(
            {
                "id": story.id,
                "title": story.title,
                "steps": [
                    {
                        "title": step.title,
                        "focus": [node for node in step.focus if node in shown],
                        "reveal": [node for node in step.reveal if node in shown],
                        "view": step.view,
                        "notes": notes_tree(step.notes),
                    }
                    for step in story.steps
                ],
            }
        )
    return stories


_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")


def citation_spans(citation_html: str) -> list[list]:
    """An HTML citation (:func:`kg.cite.format_citations`, ``output="html"``) as ``[text, italic]`` spans."""
    import html

    spans: list[list] = []
    italic = 0
    position = 0
    for match in _TAG.finditer(citation_html):
        text = html.unescape(citation_html[position : match.start()])
        if text:
            spans.append([text, italic > 0])
        if match.group(2) == "i":
            italic += -1 if match.group(1) else 1
        position = match.end()
    tail = html.unescape(citation_html[position:])
    if tail:
        spans.append([tail, italic > 0])
    merged: list[list] = []
    for text, slanted in spans:
        if merged and merged[-1][1] == slanted:
            merged[-1][0] += text
        else:
            merged.append([text, slanted])
    return merged
