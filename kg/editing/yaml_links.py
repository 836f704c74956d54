"""Adding paper links to ``concepts.yaml`` without disturbing the rest of it.

The concepts file is written by hand: its comments, order, quoting and line
wrapping are the trainer's. So a new link is *inserted as text* at the place
ruamel.yaml's round-trip loader says the list ends (every other byte of the
file stays as it was), and the result is loaded again and compared with what
was intended. Only when the target is written in flow style
(``papers: [...]``) is the document re-dumped by ruamel.yaml's round-trip
dumper, which keeps comments and order but may respace that part.

:func:`suggest_concepts` proposes concepts for a new paper by finding concept
labels and aliases in its title, abstract and keywords.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import KgError, NotFoundError
from kg.model import Concept, Corpus, Paper
from kg.text import fold

if TYPE_CHECKING:  # pragma: no cover
    from ruamel.yaml.comments import CommentedMap

#: Sections of the concepts file that can hold paper links, and the kind of their items.
OWNER_SECTIONS = {"concept": "concepts", "objective": "objectives"}


@dataclass(frozen=True)
class NewLink:
    """A link to write: from a concept or objective to a paper."""

    owner_kind: str  # "concept" or "objective"
    owner_id: str
    key: str  # citation key of the paper
    strength: str = "inferred"
    reason: str = ""


def _round_trip_yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line
    return yaml


def _plain_load(text: str):
    """Load YAML as plain Python data (for comparisons)."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def load_document(text: str, file: str = "concepts.yaml"):
    """Load the concepts file as a round-trip document; KgError when it cannot be read.

    The file goes through the same guarded reader as every other command (see
    :mod:`kg.sources.yaml_reader`): tags, alias bombs, deep nesting and huge
    files are refused with a message before anything is built.
    """
    from kg.sources.yaml_reader import read_yaml

    problems: list = []
    document = read_yaml(text, file, problems, keep_comments=True)
    if problems:
        first = problems[0]
        raise KgError(
            f"{file}:{first.line}: error: {first.message}; fix the file (see `kg check`) and run again"
        )
    if document is None:
        document = {}
    if not hasattr(document, "get"):
        raise KgError(
            f"{file}:1: error: the concepts file must be a mapping (version:, concepts:, ...)"
        )
    return document


def linkable_items(document, owner_kind: str) -> dict[str, CommentedMap]:
    """Return ``{id: mapping}`` for the concepts or objectives of a loaded document."""
    section = document.get(OWNER_SECTIONS[owner_kind]) or []
    items: dict[str, CommentedMap] = {}
    if not isinstance(section, list):
        return items
    for item in section:
        if hasattr(item, "get") and item.get("id") is not None:
            items[str(item.get("id"))] = item
    return items


def concepts_of(document) -> dict[str, Concept]:
    """The concepts of a loaded document (id, label, aliases), for suggestions."""
    concepts = {}
    for concept_id, item in linkable_items(document, "concept").items():
        aliases = item.get("aliases") or []
        concepts[concept_id] = Concept(
            id=concept_id,
            label=str(item.get("label") or concept_id),
            aliases=[str(alias) for alias in aliases] if isinstance(aliases, list) else [],
            line=item.lc.line + 1 if hasattr(item, "lc") else None,
        )
    return concepts


def count_paper_links(document) -> int:
    """How many concept->paper and objective->paper links the document holds."""
    total = 0
    for kind in OWNER_SECTIONS:
        for item in linkable_items(document, kind).values():
            papers = item.get("papers")
            if isinstance(papers, list):
                total += len(papers)
    return total


def add_links(text: str, links: list[NewLink], file: str = "concepts.yaml") -> str:
    """Return ``text`` with ``links`` added under their concepts' or objectives' ``papers:``.

    ``text`` is the decoded file (any BOM removed); line ends are kept as they
    are and new lines use the file's own. Raises :class:`NotFoundError` for an
    unknown concept or objective (with close ids as suggestions), and
    :class:`KgError` when the paper is already linked there or the edit could
    not be made safely.
    """
    document = load_document(text, file)
    for link in links:
        _check_link(document, link, file)
    expected = _plain_load(text) or {}
    for link in links:
        _append_plain(expected, link)
    # One edit per concept or objective, however many papers it gains: linking a
    # thousand pasted entries to one concept parses the file once, not a thousand times.
    by_owner: dict[tuple[str, str], list[NewLink]] = {}
    for link in links:
        by_owner.setdefault((link.owner_kind, link.owner_id), []).append(link)
    result = text
    for owner_links in by_owner.values():
        result = _insert_links(result, owner_links, file)
    if (_plain_load(result) or {}) != expected:
        raise KgError(
            f"{file}: error: kg could not add the links without changing other parts of the file; "
            f"nothing was written; add them by hand"
        )
    return result


def _check_link(document, link: NewLink, file: str) -> None:
    """Refuse a link to an unknown owner, or one already there."""
    items = linkable_items(document, link.owner_kind)
    owner = items.get(link.owner_id)
    if owner is None:
        from kg.suggest import close_matches

        close = [item for item in items if item.lower() == link.owner_id.lower()]
        close = close or close_matches(link.owner_id, items)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; see the ids in {file}"
        raise NotFoundError(f"no {link.owner_kind} '{link.owner_id}' in {file}{hint}", close)
    papers = owner.get("papers")
    if isinstance(papers, list):
        for existing in papers:
            if (
                hasattr(existing, "get")
                and str(existing.get("key", "")).lower() == link.key.lower()
            ):
                line = existing.lc.line + 1
                raise KgError(
                    f"{file}:{line}: error: {link.owner_kind} '{link.owner_id}' already links "
                    f"'{existing.get('key')}'; edit that link instead"
                )


def _link_mapping(link: NewLink) -> dict:
    mapping = {"key": link.key, "strength": link.strength}
    if link.reason:
        mapping["reason"] = link.reason
    return mapping


#: Plain scalars that YAML 1.1 tools read as booleans, nulls or numbers.
_AMBIGUOUS = re.compile(
    r"^(?:y|n|yes|no|true|false|on|off|null|~|[-+]?(?:\.?[0-9][0-9_,.:]*(?:e[-+]?[0-9]+)?"
    r"|\.inf|\.nan|0x[0-9a-f_]+|0o?[0-7_]+|0b[01_]+)|)$",
    re.IGNORECASE,
)


def _quoted_if_ambiguous(mapping: dict) -> dict:
    """Single-quote values other YAML tools would not read back as strings ("yes", "2020")."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    return {
        name: SingleQuotedScalarString(value) if _AMBIGUOUS.match(value) else value
        for name, value in mapping.items()
    }


def _append_plain(data: dict, link: NewLink) -> None:
    """Apply a link to plain loaded data: what the file must mean afterwards."""
    for item in data.get(OWNER_SECTIONS[link.owner_kind]) or []:
        if isinstance(item, dict) and str(item.get("id")) == link.owner_id:
            if not isinstance(item.get("papers"), list):
                item["papers"] = []
            item["papers"].append(_link_mapping(link))
            return


#: A line with its own end: LF, CRLF, or a lone CR (old Mac files), as YAML counts lines.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _insert_links(text: str, links: list[NewLink], file: str) -> str:
    """Add links to one owner, in order, as text where possible, else by a round-trip dump."""
    from ruamel.yaml.comments import CommentedSeq

    link = links[0]
    document = load_document(text, file)
    owner = linkable_items(document, link.owner_kind)[link.owner_id]
    lines = _LINE.findall(text)
    first = lines[0] if lines else "\n"
    newline = first[len(first.rstrip("\r\n")) :] or "\n"  # the file's own line end
    papers = owner.get("papers")
    if "papers" in owner and isinstance(papers, list) and not papers:
        # "papers: []": drop the brackets, then add the list below the key.
        line, _col = owner.lc.key("papers")
        head, colon, rest = lines[line].partition(":")
        if rest.lstrip().startswith("[]"):
            rest = rest.replace("[]", "", 1)
            ending = rest[len(rest.rstrip("\r\n")) :]
            lines[line] = head + colon + (rest if rest.strip() else ending)
            text = "".join(lines)
            document = load_document(text, file)
            owner = linkable_items(document, link.owner_kind)[link.owner_id]
            papers = owner.get("papers")
    if _is_flow(owner) or ("papers" in owner and _inline_value(lines, owner, "papers")):
        return _dump_with_links(document, owner, links)
    if isinstance(papers, CommentedSeq) and papers:
        dash_line, dash_col = papers.lc.line, papers.lc.col
        last_line, item_col = papers.lc.item(len(papers) - 1)
        if _is_flow(papers[-1]) or not lines[dash_line][dash_col:].startswith("-"):
            return _dump_with_links(document, owner, links)
        at = _block_end(lines, last_line, dash_col + 1)
        snippet = _snippets(links, dash_col, item_col, newline)
    elif "papers" in owner:  # "papers:" with nothing after it
        key_line, key_col = owner.lc.key("papers")
        at = key_line + 1
        offset = _sequence_offset(document)
        snippet = _snippets(links, key_col + offset, key_col + offset + 2, newline)
    else:
        key_col = owner.lc.col
        at = _block_end(lines, owner.lc.line, key_col)
        offset = _sequence_offset(document)
        snippet = (
            " " * key_col
            + "papers:"
            + newline
            + _snippets(links, key_col + offset, key_col + offset + 2, newline)
        )
    if at >= len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    return "".join(lines[:at]) + snippet + "".join(lines[at:])


def _inline_value(lines: list[str], mapping, key: str) -> bool:
    """True when ``key: value`` has its value on the key's own line (flow or scalar)."""
    line, col = mapping.lc.key(key)
    rest = lines[line][col:].split(":", 1)[1] if ":" in lines[line][col:] else ""
    return bool(rest.split(" #", 1)[0].strip()) and not rest.strip().startswith("#")


def _is_flow(node) -> bool:
    attribute = getattr(node, "fa", None)
    return bool(attribute is not None and attribute.flow_style())


def _block_end(lines: list[str], start: int, min_indent: int) -> int:
    """Index of the line after the block that starts at ``start``.

    The block goes on while lines are blank or indented at least
    ``min_indent``; trailing blank lines are left outside it.
    """
    end = start + 1
    last_content = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip():
            if len(line) - len(line.lstrip(" ")) < min_indent:
                break
            last_content = end + 1
        end += 1
    return last_content


def _sequence_offset(document) -> int:
    """How far this file indents a list's dashes under its key (2 unless it shows otherwise)."""
    from ruamel.yaml.comments import CommentedSeq

    owners = [document] + [
        item for kind in OWNER_SECTIONS for item in linkable_items(document, kind).values()
    ]
    for owner in owners:
        for key in ("papers", "concepts", "objectives", "relations"):
            value = owner.get(key)
            if (
                isinstance(value, CommentedSeq)
                and value
                and not _is_flow(value)
                and not _is_flow(owner)
            ):
                try:
                    return max(0, value.lc.col - owner.lc.key(key)[1])
                except (KeyError, AttributeError, TypeError):
                    continue
    return 2


def _snippet(link: NewLink, dash_col: int, item_col: int, newline: str) -> str:
    """The link as block YAML: a dash at ``dash_col``, its keys at ``item_col``."""
    yaml = _round_trip_yaml()
    stream = io.StringIO()
    yaml.dump(_quoted_if_ambiguous(_link_mapping(link)), stream)
    body = stream.getvalue().splitlines()
    gap = max(1, item_col - dash_col - 1)
    out = [" " * dash_col + "-" + " " * gap + body[0]]
    out += [" " * item_col + line for line in body[1:]]
    return "".join(line + newline for line in out)


def _snippets(links: list[NewLink], dash_col: int, item_col: int, newline: str) -> str:
    """The links as block YAML items, one after the other (see :func:`_snippet`)."""
    return "".join(_snippet(link, dash_col, item_col, newline) for link in links)


def _dump_with_links(document, owner, links: list[NewLink]) -> str:
    """Fallback: add the links to the round-trip document and dump it whole."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    offset = _sequence_offset(document)
    papers = owner.get("papers")
    if not isinstance(papers, list):
        papers = CommentedSeq()
        owner["papers"] = papers
    for link in links:
        entry = CommentedMap()
        entry.update(_quoted_if_ambiguous(_link_mapping(link)))
        papers.append(entry)
    yaml = _round_trip_yaml()
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


# -- suggestions ---------------------------------------------------------------------------


def normalise_words(text: str) -> str:
    """Lower case, no accents, LaTeX braces and punctuation as spaces: text to match words in."""
    return fold(text, " ", ascii_only=True)


def _word_forms(text: str) -> set[str]:
    """A text's normalised words, with hyphenated words both split and joined."""
    joined = re.sub(r"(?<=\w)-(?=\w)", "", text)
    return {normalise_words(text), normalise_words(joined)} - {""}


def suggest_concepts(corpus: Corpus, paper: Paper) -> list[tuple[str, str]]:
    """Concepts whose label or an alias appears in the paper's title, abstract or keywords.

    Returns ``(concept_id, matched_text)`` pairs in the concepts file's order,
    one per concept; ``matched_text`` is the label or alias as the concepts
    file writes it. Matching ignores case, accents and punctuation; a hyphen
    may be written or not ("post-traumatic" finds "posttraumatic"); only
    whole words count ("VR" does not match "VRAM").
    """
    haystacks = [
        f" {form} "
        for part in (paper.title, paper.abstract, paper.keywords)
        if part
        for form in _word_forms(part)
    ]
    suggestions = []
    for concept in corpus.concepts.values():
        for name in [concept.label, *concept.aliases]:
            if any(
                f" {needle} " in haystack for needle in _word_forms(name) for haystack in haystacks
            ):
                suggestions.append((concept.id, name))
                break
    return suggestions
