"""concepts.yaml -> model: concepts, objectives, quotes, author aliases and stories.

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
    AuthorAlias,
    Concept,
    Objective,
    Problem,
    Quote,
    Relation,
    Story,
)
from kg.sources.encoding import decode_bytes, normalise_lone_cr
from kg.sources.stories import StoryReference, parse_stories
from kg.sources.yaml_fields import Reader, key_line, line_of, suggest, value_line
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
#: The sections a concepts file may hold.
TOP_LEVEL_KEYS = ("version", "title", "authors", "concepts", "objectives", "quotes", "stories")


@dataclass
class ConceptsResult:
    """What a concepts file holds, with the problems found in it."""

    concepts: dict[str, Concept] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    author_aliases: list[AuthorAlias] = field(default_factory=list)
    stories: dict[str, Story] = field(default_factory=dict)
    #: Every node a story names, as written, to resolve once the bibliography is read too.
    story_references: list[StoryReference] = field(default_factory=list)
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
    return ConceptsResult(
        problems=[
            Problem(
                label,
                1,
                "error",
                "too-large",
                f"the file is {size / 1e6:.1f} MB; a concepts file "
                f"is at most {MAX_BYTES // 1024 // 1024} MB",
            )
        ]
    )


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
    reader = Reader(file, result.problems)
    if not isinstance(document, dict):
        reader.error(
            1,
            "not-a-mapping",
            "the file must be a mapping with keys such as version, concepts, objectives and quotes",
        )
        return result
    _read_header(reader, document, result)
    for item, line in reader.items(document, "authors"):
        name = reader.text(item, "name", line, required=True)
        if name:
            aliases = reader.text_list(item, "aliases", line)
            result.author_aliases.append(AuthorAlias(name, aliases, line))
    _read_concepts(reader, document, result)
    _read_objectives(reader, document, result)
    _read_quotes(reader, document, result)
    result.stories, result.story_references = parse_stories(reader, document)
    return result


def _read_header(reader: Reader, document: dict, result: ConceptsResult) -> None:
    """The format version, the title, and a warning for each key kg does not know."""
    version = document.get("version")
    if version is None:
        reader.error(1, "no-version", "no 'version' key; add `version: 1` at the top")
    elif (
        not isinstance(version, int) or isinstance(version, bool) or version not in FORMAT_VERSIONS
    ):
        reader.error(
            value_line(document, "version"),
            "bad-version",
            f"version {version!r} is not one kg reads (known: "
            f"{', '.join(map(str, FORMAT_VERSIONS))})",
        )
    else:
        result.version = version
    result.title = reader.text(document, "title", line_of(document)) or ""
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            reader.warning(
                key_line(document, key),
                "unknown-key",
                f"unknown top-level key '{key}'{suggest(str(key), TOP_LEVEL_KEYS)}",
            )


def _read_concepts(reader: Reader, document: dict, result: ConceptsResult) -> None:
    """The ``concepts`` section: each concept with its relations and papers."""
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
                reader.warning(
                    relation_line,
                    "relation-type",
                    f"unknown relation type '{kind}'{suggest(kind, RELATION_TYPES)} "
                    f"(known: {', '.join(RELATION_TYPES)})",
                )
            if kind and target:
                concept.relations.append(
                    Relation(
                        kind,
                        target,
                        reader.text(relation, "reason", relation_line) or "",
                        relation_line,
                    )
                )
        concept.papers = reader.links(item, "papers", "key", line)
        result.concepts[concept_id] = concept


def _read_objectives(reader: Reader, document: dict, result: ConceptsResult) -> None:
    """The ``objectives`` section."""
    for item, line in reader.items(document, "objectives"):
        objective_id = reader.identifier(item, "id", line)
        if objective_id is None:
            continue
        if not reader.is_new("objective", objective_id, result.objectives, line):
            continue
        domain = reader.text(item, "domain", line) or ""
        if domain and domain not in DOMAINS:
            reader.error(
                value_line(item, "domain", line),
                "bad-domain",
                f"objective '{objective_id}': domain '{domain}' is not one of "
                f"{', '.join(DOMAINS)}{suggest(domain, DOMAINS)}",
            )
        result.objectives[objective_id] = Objective(
            id=objective_id,
            domain=domain,
            text=reader.text(item, "text", line, required=True) or "",
            concepts=reader.links(item, "concepts", "id", line),
            papers=reader.links(item, "papers", "key", line),
            line=line,
        )


def _read_quotes(reader: Reader, document: dict, result: ConceptsResult) -> None:
    """The ``quotes`` section."""
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
            hint = suggest(key, papers)
        problems.append(
            Problem(
                file,
                line,
                "error",
                "unknown-paper",
                f"{where}: no entry '{key}' in the bibliography{hint}",
            )
        )

    def known(kind: str, ident: str, pool, line, where: str) -> None:
        if ident not in pool:
            problems.append(
                Problem(
                    file,
                    line,
                    "error",
                    f"unknown-{kind}",
                    f"{where}: no {kind} '{ident}'{suggest(ident, pool)}",
                )
            )

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
