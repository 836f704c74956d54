"""concepts.yaml -> model: concepts, objectives, quotes and author aliases.

The file is edited by hand, so the loader is strict about what YAML makes
easy to get wrong and reports it with the line: a repeated key, an id that
YAML reads as a number or a boolean, a misspelt reference. It is also
defensive: a concepts file is small and plain, so tags, alias bombs, deep
nesting and huge files are refused before anything is built from them.
"""

from __future__ import annotations

import functools
import re
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
MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 12
MAX_ALIASES = 100
#: How many values the file may hold once every alias is expanded. A few
#: aliases nested in each other multiply (the "billion laughs" attack), so the
#: count of aliases alone does not bound the work of reading the result.
MAX_EXPANDED_VALUES = 100_000
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
    """Read a concepts file. Problems carry ``label`` (default: the path) and 1-based lines."""
    label = label or str(path)
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        return ConceptsResult(problems=[Problem(label, 1, "error", "too-large",
                                                f"the file is {size / 1e6:.1f} MB; a concepts file "
                                                f"is at most {MAX_BYTES // 1024 // 1024} MB")])  # fmt: skip
    text, problems = decode_bytes(path.read_bytes(), label)
    if text is None:
        return ConceptsResult(problems=problems)
    result = parse_concepts(text, label)
    result.problems[:0] = problems
    return result


def parse_concepts(text: str, file: str = "<text>") -> ConceptsResult:
    """Parse concepts YAML ``text``. Never raises on bad input: problems say what is wrong."""
    result = ConceptsResult()
    if len(text) > MAX_BYTES:
        result.problems.append(Problem(file, 1, "error", "too-large",
                                       f"the text is {len(text) / 1e6:.1f} million characters; a "
                                       f"concepts file is at most {MAX_BYTES // 1024 // 1024} MB"))  # fmt: skip
        return result
    # YAML counts a lone CR as a line end too; making it LF keeps every line number
    # the same as an editor's (and inside the file's line count).
    text = normalise_lone_cr(text)
    document = _load_yaml(text, file, result.problems)
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


def _load_yaml(text: str, file: str, problems: list[Problem]):
    """Screen the YAML event stream, then compose it with line information kept.

    A plain file that libyaml reads is done at once (see :func:`_load_with_libyaml`).
    """
    screen = _needs_screening(text)
    if not screen:
        document = _load_with_libyaml(text)
        if document is not None:
            return document

    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        NodeEvent,
        ScalarEvent,
    )

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    depth = aliases = 0
    # Values each anchor stands for once expanded, and for each open collection
    # [anchor, values so far]: an alias adds its anchor's whole count.
    anchor_values: dict[str, int] = {}
    open_collections: list[list] = []
    expanded = 0
    try:
        for event in yaml.parse(text) if screen else ():
            line = event.start_mark.line + 1
            if isinstance(event, (NodeEvent, AliasEvent)):
                size = anchor_values.get(event.anchor, 1) if isinstance(event, AliasEvent) else 1
                expanded += size
                for collection in open_collections:
                    collection[1] += size
                if expanded > MAX_EXPANDED_VALUES:
                    problems.append(Problem(file, line, "error", "too-many-aliases",
                                            f"the aliases (*name) expand to more than "
                                            f"{MAX_EXPANDED_VALUES:,} values; a concepts file does not "
                                            f"need them: write the values out"))  # fmt: skip
                    return None
            if isinstance(event, AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    problems.append(Problem(file, line, "error", "too-many-aliases",
                                            f"more than {MAX_ALIASES} YAML aliases (*name); a concepts "
                                            f"file does not need them: write the values out"))  # fmt: skip
                    return None
            elif isinstance(event, NodeEvent) and event.tag not in (
                None,
                "!",
                "tag:yaml.org,2002:str",
            ):
                problems.append(Problem(file, line, "error", "yaml-tag",
                                        f"YAML tag '{event.tag}' is not allowed: a concepts file holds "
                                        f"plain text, lists and mappings only"))  # fmt: skip
                return None
            if isinstance(event, ScalarEvent) and event.anchor:
                anchor_values[event.anchor] = 1  # an anchor may be defined again
            if isinstance(event, CollectionStartEvent):
                open_collections.append([event.anchor, 1])
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(file, line, "error", "too-deep",
                                            f"nesting deeper than {MAX_DEPTH} levels; the concepts "
                                            f"format needs at most five"))  # fmt: skip
                    return None
            elif isinstance(event, CollectionEndEvent):
                anchor, size = open_collections.pop()
                if anchor:
                    anchor_values[anchor] = size
                depth -= 1
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else None
        problems.append(Problem(file, line, "error", _yaml_code(error), _yaml_message(error),
                                column=column))  # fmt: skip
    except YAMLError as error:
        problems.append(Problem(file, 1, "error", "yaml", f"not valid YAML: {error}"))
    except RecursionError:
        problems.append(Problem(file, 1, "error", "too-deep", "the YAML nests too deeply to read"))
    except (ValueError, IndexError, TypeError, AttributeError) as error:
        # ruamel.yaml's constructors fail on some odd scalars (such as "-_" or "._",
        # read as malformed numbers) instead of raising a YAML error.
        problems.append(Problem(file, 1, "error", "yaml",
                                f"not valid YAML: a value could not be read ({error}); "
                                f"put unusual values in quotes"))  # fmt: skip
    return None


def _load_with_libyaml(text: str):
    """The document as the round-trip loader reads it, parsed by libyaml; None if that cannot be used.

    ruamel.yaml's own parser is written in Python and takes most of the time
    of reading a concepts file (about a second for a file linking a thousand
    papers). Its C extension (``ruamel.yaml.clibz``) parses about twenty times
    faster and gives the same nodes with the same marks, which the round-trip
    constructor then turns into the same mappings and lists, with their lines.
    It is used only where its result is known to match (a fuzz test compares
    the two): no ``%`` directive (libyaml ignores ``%YAML 1.1``), no tab (the
    Python parser refuses some that libyaml allows), no Unicode line
    separator (counted as a line end by one and not the other), and nothing
    wrong in the file: on any error the caller reads the file again with the
    Python parser, whose messages the problems quote.
    """
    loader_class = _libyaml_loader_class()
    if loader_class is None or _NOT_FOR_LIBYAML.search(text):
        return None
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    except Exception:
        return None
    finally:
        loader.dispose()


_NOT_FOR_LIBYAML = re.compile("^%|[\t\u0085\u2028\u2029]", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _libyaml_loader_class():
    """A loader class pairing libyaml's parser with the round-trip constructor (None without it)."""
    try:
        from ruamel.yaml.constructor import RoundTripConstructor
        from ruamel.yaml.cyaml import CParser
        from ruamel.yaml.resolver import VersionedResolver
    except ImportError:
        return None

    class LibyamlRoundTripLoader(CParser, RoundTripConstructor, VersionedResolver):
        # Documents with a %YAML directive never come here: always YAML 1.2, as the
        # round-trip loader reads a file without one.
        processing_version = (1, 2)
        comment_handling = None

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            self._parser = self._composer = self
            RoundTripConstructor.__init__(self, preserve_quotes=True, loader=self)
            VersionedResolver.__init__(self, loadumper=self)

    return LibyamlRoundTripLoader


def _needs_screening(text: str) -> bool:
    """Whether the event screen must run: only anchors, aliases, tags or deep nesting need it.

    The screen parses the whole file once more; a plain file (the usual case)
    skips it. Nesting is estimated from brackets and indentation, erring high.
    """
    if "&" in text or "*" in text or "!" in text:
        return True
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    indents = [len(line) - len(line.lstrip(" ")) for line in text.split("\n") if line.strip()]
    return deepest + max(indents, default=0) // 2 > MAX_DEPTH


def _yaml_code(error) -> str:
    return "duplicate-key" if type(error).__name__ == "DuplicateKeyError" else "yaml"


def _yaml_message(error) -> str:
    """ruamel's message without its source excerpt and documentation link."""
    if type(error).__name__ == "DuplicateKeyError":
        first = error.context_mark.line + 1 if error.context_mark else None
        problem = (error.problem or "").replace("found duplicate key", "duplicate key")
        problem = problem.split(" with value")[0]
        where = f" in the mapping starting at line {first}" if first else ""
        return f"{problem}{where}: each key may appear once in a mapping"
    parts = [part for part in (error.context, error.problem) if part]
    message = "; ".join(parts) or "not valid YAML"
    # ruamel names a tab as '\t' (backslash, t) in its message.
    if "\t" in message or "\\t" in message or "tab" in message:
        message += " (use spaces, not tabs, to indent)"
    return f"not valid YAML: {message}"


def _line(node, default: int = 1) -> int:
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else default


def _key_line(mapping, key, default: int = 1) -> int:
    try:
        return mapping.lc.key(key)[0] + 1
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
            try:
                line = value.lc.item(index)[0] + 1
            except (AttributeError, KeyError, TypeError):
                line = _line(value)
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
        values = []
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
        links = []
        raw = mapping.get(key)
        if raw is None:
            return links
        if not isinstance(raw, list):
            self.error(_value_line(mapping, key, line), "wrong-type", f"'{key}' must be a list")
            return links
        for index, item in enumerate(raw):
            try:
                item_line = raw.lc.item(index)[0] + 1
            except (AttributeError, KeyError, TypeError):
                item_line = line
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
