"""concepts.yaml -> model: concepts, objectives, quotes and author aliases.

The file is edited by hand, so the loader is strict about what YAML makes
easy to get wrong and reports it with the line: a repeated key, an id that
YAML reads as a number or a boolean, a misspelt reference. It is also
defensive: a concepts file is small and plain, so tags, alias bombs, deep
nesting and huge files are refused before anything is built from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.model import (
    DOMAINS,
    STRENGTHS,
    AuthorAlias,
    Concept,
    Link,
    Objective,
    Problem,
    Quote,
    Relation,
)
from kg.sources.encoding import decode_bytes, normalise_lone_cr
from kg.sources.yaml_reader import MAX_BYTES, read_yaml

FORMAT_VERSIONS = (1,)
RELATION_TYPES = (
    "contrasts-with",
    "part-of",
    "protects-against",
    "leads-to",
    "risk-for",
    "related-to",
    "measured-by",
    "example-of",
)
#: Plain words that YAML 1.1 tools read as booleans.
YAML11_BOOLEANS = {"y", "n", "yes", "no", "on", "off", "true", "false"}


@dataclass
class ConceptsResult:
    """What a concepts file holds, with the problems found in it."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    author_aliases: list[AuthorAlias] = field(default_factory=list)
    title: str = ""
    version: int | None = None
    problems: list[Problem] = field(default_factory=list)


def load_concepts(path: str | Path, label: str | None = None) -> ConceptsResult:
    """Read a concepts file. Problems carry ``label`` (default: the path) and 1-based lines.

    A file over :data:`MAX_BYTES` is refused from its size, before it is read.
    """
    from kg.sources.inputs import SourceTooLarge, read_source

    label = label or str(path)
    try:
        data = read_source(path, limit=MAX_BYTES)
    except SourceTooLarge as error:
        return too_large(label, error.size)
    return parse_concepts_bytes(data, label)


def too_large(label: str, size: int) -> ConceptsResult:
    """The result for a concepts file of ``size`` bytes, over :data:`MAX_BYTES`."""
    return ConceptsResult(problems=[Problem(label, 1, "error", "too-large",
                                            f"the file is {size / 1e6:.1f} MB; a concepts file "
                                            f"is at most {MAX_BYTES // 1024 // 1024} MB")])  # fmt: skip


def parse_concepts_bytes(data: bytes, label: str) -> ConceptsResult:
    """Decode and parse the bytes of a concepts file."""
    if len(data) > MAX_BYTES:
        return too_large(label, len(data))
    text, problems = decode_bytes(data, label)
    if text is None:
        return ConceptsResult(problems=problems)
    result = parse_concepts(text, label)
    result.problems[:0] = problems
    return result


def parse_concepts(text: str, file: str = "<text>") -> ConceptsResult:
    """Parse concepts YAML ``text``. Never raises on bad input: problems say what is wrong."""
    result = ConceptsResult()
    # YAML counts a lone CR as a line end too; making it LF keeps every line number
    # the same as an editor's (and inside the file's line count).
    text = normalise_lone_cr(text)
    document = read_yaml(text, file, result.problems)
    if document is None:
        return result
    reader = _Reader(file, result.problems)
    if not isinstance(document, dict):
        reader.error(1, "not-a-mapping", "the file must be a mapping with keys such as "
                                         "version, concepts, objectives and quotes")  # fmt: skip
        return result

    version = document.get("version")
    if version is None:
        reader.error(1, "no-version", "no 'version' key; add `version: 1` at the top")
    elif (
        not isinstance(version, int) or isinstance(version, bool) or version not in FORMAT_VERSIONS
    ):
        reader.error(_value_line(document, "version"), "bad-version",
                     f"version {version!r} is not one kg reads (known: "
                     f"{', '.join(map(str, FORMAT_VERSIONS))})")  # fmt: skip
    else:
        result.version = version
    result.title = reader.text(document, "title", _line(document)) or ""

    known = {"version", "title", "authors", "concepts", "objectives", "quotes"}
    for key in document:
        if key not in known:
            reader.warning(_key_line(document, key), "unknown-key",
                           f"unknown top-level key '{key}'{_suggest(str(key), known)}")  # fmt: skip

    for item, line in reader.items(document, "authors"):
        name = reader.text(item, "name", line, required=True)
        if name:
            aliases = reader.text_list(item, "aliases", line)
            result.author_aliases.append(AuthorAlias(name, aliases, line))

    for item, line in reader.items(document, "concepts"):
        concept_id = reader.identifier(item, "id", line)
        if concept_id is None:
            continue
        if not reader.is_new("concept", concept_id, result.concepts, line):
            continue
        concept = Concept(
            id=concept_id,
            label=reader.text(item, "label", line) or concept_id,
            definition=reader.text(item, "definition", line) or "",
            aliases=reader.text_list(item, "aliases", line),
            line=line,
        )
        for relation, relation_line in reader.items(item, "relations"):
            kind = reader.text(relation, "type", relation_line, required=True)
            target = reader.identifier(relation, "concept", relation_line)
            if kind and kind not in RELATION_TYPES:
                reader.warning(relation_line, "relation-type",
                               f"unknown relation type '{kind}'{_suggest(kind, RELATION_TYPES)} "
                               f"(known: {', '.join(RELATION_TYPES)})")  # fmt: skip
            if kind and target:
                concept.relations.append(Relation(kind, target, reader.text(relation, "reason", relation_line) or "",
                                                  relation_line))  # fmt: skip
        concept.papers = reader.links(item, "papers", "key", line)
        result.concepts[concept_id] = concept

    for item, line in reader.items(document, "objectives"):
        objective_id = reader.identifier(item, "id", line)
        if objective_id is None:
            continue
        if not reader.is_new("objective", objective_id, result.objectives, line):
            continue
        domain = reader.text(item, "domain", line) or ""
        if domain and domain not in DOMAINS:
            reader.error(_value_line(item, "domain", line), "bad-domain",
                         f"objective '{objective_id}': domain '{domain}' is not one of "
                         f"{', '.join(DOMAINS)}{_suggest(domain, DOMAINS)}")  # fmt: skip
        result.objectives[objective_id] = Objective(
            id=objective_id,
            domain=domain,
            text=reader.text(item, "text", line, required=True) or "",
            concepts=reader.links(item, "concepts", "id", line),
            papers=reader.links(item, "papers", "key", line),
            line=line,
        )

    for item, line in reader.items(document, "quotes"):
        quote_id = reader.identifier(item, "id", line)
        if quote_id is None:
            continue
        if not reader.is_new("quote", quote_id, result.quotes, line):
            continue
        result.quotes[quote_id] = Quote(
            id=quote_id,
            text=reader.text(item, "text", line, required=True) or "",
            speaker=reader.text(item, "speaker", line) or "",
            source=reader.text(item, "source", line) or "",
            page=reader.text(item, "page", line) or "",
            note=reader.text(item, "note", line) or "",
            concepts=reader.id_list(item, "concepts", line),
            objectives=reader.id_list(item, "objectives", line),
            line=line,
        )
    return result


def check_references(result: ConceptsResult, paper_keys, file: str) -> list[Problem]:
    """Problems for references to papers, concepts or objectives that do not exist."""
    problems: list[Problem] = []
    papers = paper_keys if isinstance(paper_keys, (dict, set, frozenset)) else set(paper_keys)
    papers_lower: dict[str, str] = {}

    def paper(key: str, line, where: str) -> None:
        if key in papers:
            return
        if not papers_lower:  # only needed once a key is missing
            papers_lower.update((known.lower(), known) for known in papers)
        if key.lower() in papers_lower:
            hint = f"; keys are case-sensitive here: write '{papers_lower[key.lower()]}'"
        else:
            hint = _suggest(key, papers)
        problems.append(Problem(file, line, "error", "unknown-paper",
                                f"{where}: no entry '{key}' in the bibliography{hint}"))  # fmt: skip

    def known(kind: str, ident: str, pool, line, where: str) -> None:
        if ident not in pool:
            problems.append(Problem(file, line, "error", f"unknown-{kind}",
                                    f"{where}: no {kind} '{ident}'{_suggest(ident, pool)}"))  # fmt: skip

    for concept in result.concepts.values():
        for link in concept.papers:
            paper(link.target, link.line, f"concept '{concept.id}'")
        for relation in concept.relations:
            known(
                "concept",
                relation.target,
                result.concepts,
                relation.line,
                f"concept '{concept.id}'",
            )
    for objective in result.objectives.values():
        for link in objective.concepts:
            known("concept", link.target, result.concepts, link.line, f"objective '{objective.id}'")
        for link in objective.papers:
            paper(link.target, link.line, f"objective '{objective.id}'")
    for quote in result.quotes.values():
        if quote.source:
            paper(quote.source, quote.line, f"quote '{quote.id}'")
        for concept_id in quote.concepts:
            known("concept", concept_id, result.concepts, quote.line, f"quote '{quote.id}'")
        for objective_id in quote.objectives:
            known("objective", objective_id, result.objectives, quote.line, f"quote '{quote.id}'")
    return problems


def _suggest(word: str, pool) -> str:
    """``" (did you mean 'x'?)"`` for the closest names in ``pool``, or ``""``."""
    from kg.suggest import close_matches

    close = close_matches(word, pool)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{name}'" for name in close) + "?)"


def _line(node, default: int = 1) -> int:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else default


def _key_line(mapping, key, default: int = 1) -> int:
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return default


def _item_line(sequence, index: int, default: int = 1) -> int:
    try:
        return sequence.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return default


def _value_line(mapping, key, default: int = 1) -> int:
    try:
        return mapping.lc.value(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return default


class _Reader:
    """Typed access to the parsed YAML, reporting each wrong type with its line."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def error(self, line, code: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, "error", code, message))

    def warning(self, line, code: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, "warning", code, message))

    def is_new(self, kind: str, ident: str, seen: dict, line) -> bool:
        """True for an id not in ``seen``; else False, and an error naming its first definition."""
        if ident not in seen:
            return True
        self.error(
            line,
            "duplicate-id",
            f"{kind} '{ident}' is defined twice (first at line {seen[ident].line})",
        )
        return False

    def items(self, mapping, key: str):
        """Yield ``(item, line)`` for each mapping in the list under ``key``."""
        if not isinstance(mapping, dict) or mapping.get(key) is None:
            return
        value = mapping[key]
        if not isinstance(value, list):
            self.error(_value_line(mapping, key, _line(mapping)), "wrong-type",
                       f"'{key}' must be a list (each item starting with '- ')")  # fmt: skip
            return
        for index, item in enumerate(value):
            line = _item_line(value, index, _line(value))
            if not isinstance(item, dict):
                self.error(
                    line, "wrong-type", f"each item of '{key}' must be a mapping (key: value)"
                )
                continue
            yield item, line

    def text(self, mapping, key: str, line, required: bool = False) -> str | None:
        """A text value; numbers are accepted and turned into text."""
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(line, "missing", f"'{key}' is required here")
            return None
        if isinstance(value, bool):
            self.error(_value_line(mapping, key, line), "wrong-type",
                       f"'{key}' was read as a boolean ({str(value).lower()}); put it in quotes")  # fmt: skip
            return None
        if isinstance(value, (int, float)):
            return str(value)
        if not isinstance(value, str):
            self.error(_value_line(mapping, key, line), "wrong-type", f"'{key}' must be text")
            return None
        return " ".join(str(value).split()) if "\n" in value else str(value).strip()

    def identifier(self, mapping, key: str, line) -> str | None:
        """An id: text, never a number or boolean, not a plain YAML 1.1 boolean word."""
        value = mapping.get(key)
        value_line = _value_line(mapping, key, line)
        if value is None:
            self.error(line, "missing", f"'{key}' is required here")
            return None
        if isinstance(value, (bool, int, float)):
            self.error(value_line, "id-type",
                       f"'{key}' was read as a {'boolean' if isinstance(value, bool) else 'number'} "
                       f"({value!r}), not text: put it in quotes, e.g. {key}: \"{value}\"")  # fmt: skip
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(value_line, "id-type", f"'{key}' must be non-empty text")
            return None
        if type(value) is str and value.lower() in YAML11_BOOLEANS:
            self.warning(value_line, "yaml11-boolean",
                         f"'{value}' is read as a boolean by YAML 1.1 tools; write it in quotes")  # fmt: skip
        return str(value).strip()

    def text_list(self, mapping, key: str, line) -> list[str]:
        """A list of texts (a single text is accepted as a list of one)."""
        value = mapping.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            self.error(_value_line(mapping, key, line), "wrong-type", f"'{key}' must be a list")
            return []
        return [str(item) for item in value if item is not None]

    def id_list(self, mapping, key: str, line) -> list[str]:
        """A list of ids (quoted texts; numbers are refused as for single ids)."""
        values: list[str] = []
        raw = mapping.get(key)
        if raw is None:
            return values
        if not isinstance(raw, list):
            raw = [raw]
        for item in raw:
            if isinstance(item, (bool, int, float)):
                self.error(_value_line(mapping, key, line), "id-type",
                           f"'{key}' holds {item!r}, read as a "
                           f"{'boolean' if isinstance(item, bool) else 'number'}: put it in quotes")  # fmt: skip
            elif isinstance(item, str):
                values.append(item.strip())
        return values

    def links(self, mapping, key: str, target_key: str, line) -> list[Link]:
        """Evidence links: ``- {target_key: ..., strength: ..., reason: ...}`` or bare ids."""
        links: list[Link] = []
        raw = mapping.get(key)
        if raw is None:
            return links
        if not isinstance(raw, list):
            self.error(_value_line(mapping, key, line), "wrong-type", f"'{key}' must be a list")
            return links
        for index, item in enumerate(raw):
            item_line = _item_line(raw, index, line)
            if isinstance(item, str):
                links.append(Link(item.strip(), "inferred", "", item_line))
                continue
            if not isinstance(item, dict):
                self.error(item_line, "wrong-type",
                           f"each item of '{key}' must be a mapping with '{target_key}', "
                           f"'strength' and 'reason'")  # fmt: skip
                continue
            target = self.identifier(item, target_key, item_line)
            strength = self.text(item, "strength", item_line) or "inferred"
            if strength not in STRENGTHS:
                self.error(_value_line(item, "strength", item_line), "bad-strength",
                           f"strength '{strength}' is not one of {', '.join(STRENGTHS)}"
                           f"{_suggest(strength, STRENGTHS)}")  # fmt: skip
                strength = "inferred"
            if target:
                links.append(
                    Link(target, strength, self.text(item, "reason", item_line) or "", item_line)
                )
        return links
