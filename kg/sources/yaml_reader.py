"""Reading YAML the user wrote, with every guard, for every command.

A concepts file is small and plain, so :func:`read_yaml` refuses what only an
attack or an accident produces before anything is built from it: a file over
:data:`MAX_BYTES`, tags, more than :data:`MAX_ALIASES` aliases or aliases
that expand to more than :data:`MAX_EXPANDED_VALUES` values (the "billion
laughs"), and nesting deeper than :data:`MAX_DEPTH`. Loading (``kg check``,
``kg render``...) and editing (``kg add``) read the file through it alike.

The document is ruamel.yaml's round-trip one (mappings that know their lines).
A plain file is parsed by libyaml, about twenty times faster than ruamel's own
parser; anything else is screened event by event first. libyaml recurses once
per level of nesting and crashes the process far below Python's limits, so a
file that might nest deeply never reaches it (see :func:`_needs_screening`).
"""

from __future__ import annotations

import functools
import re

from kg.model import Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 12
MAX_ALIASES = 100
#: How many values the file may hold once every alias is expanded. A few
#: aliases nested in each other multiply (the "billion laughs" attack), so the
#: count of aliases alone does not bound the work of reading the result.
MAX_EXPANDED_VALUES = 100_000


def read_yaml(text: str, file: str, problems: list[Problem], *, keep_comments: bool = False):
    """The round-trip document of ``text``, or None with the reason added to ``problems``.

    Never raises on bad input: every refusal and YAML error becomes a problem
    with the file's name and a 1-based line. ``keep_comments`` keeps the
    comments in the document, for a file that is written back (libyaml drops
    them, so it is not used then).
    """
    if len(text) > MAX_BYTES:
        problems.append(
            Problem(
                file,
                1,
                "error",
                "too-large",
                f"the text is {len(text) / 1e6:.1f} million characters; a "
                f"concepts file is at most {MAX_BYTES // 1024 // 1024} MB",
            )
        )
        return None
    return _load_yaml(text, file, problems, keep_comments)


def _load_yaml(text: str, file: str, problems: list[Problem], keep_comments: bool):
    """Screen the YAML event stream, then compose it with line information kept.

    A plain file that libyaml reads is done at once (see :func:`_load_with_libyaml`).
    """
    screen = _needs_screening(text)
    if not screen and not keep_comments:
        document = _load_with_libyaml(text)
        if document is not None:
            return document

    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    try:
        refusal = _screen(yaml, text) if screen else None
        if refusal is not None:
            line, code, message = refusal
            problems.append(Problem(file, line, "error", code, message))
            return None
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else None
        problems.append(
            Problem(file, line, "error", _yaml_code(error), _yaml_message(error), column=column)
        )
    except YAMLError as error:
        problems.append(Problem(file, 1, "error", "yaml", f"not valid YAML: {error}"))
    except RecursionError:
        problems.append(Problem(file, 1, "error", "too-deep", "the YAML nests too deeply to read"))
    except (ValueError, IndexError, TypeError, AttributeError) as error:
        # ruamel.yaml's constructors fail on some odd scalars (such as "-_" or "._",
        # read as malformed numbers) instead of raising a YAML error.
        problems.append(
            Problem(
                file,
                1,
                "error",
                "yaml",
                f"not valid YAML: a value could not be read ({error}); "
                f"put unusual values in quotes",
            )
        )
    return None


def _screen(yaml, text: str) -> tuple[int, str, str] | None:
    """The first thing in the event stream a concepts file must not hold: (line, code,
    message), or None. Events are read one by one, so nothing is built before the refusal."""
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        NodeEvent,
        ScalarEvent,
    )

    depth = aliases = 0
    # Values each anchor stands for once expanded, and for each open collection
    # [anchor, values so far]: an alias adds its anchor's whole count.
    anchor_values: dict[str, int] = {}
    open_collections: list[list] = []
    expanded = 0
    for event in yaml.parse(text):
        line = event.start_mark.line + 1
        if isinstance(event, (NodeEvent, AliasEvent)):
            size = anchor_values.get(event.anchor, 1) if isinstance(event, AliasEvent) else 1
            expanded += size
            for collection in open_collections:
                collection[1] += size
            if expanded > MAX_EXPANDED_VALUES:
                return (
                    line,
                    "too-many-aliases",
                    (
                        f"the aliases (*name) expand to more than {MAX_EXPANDED_VALUES:,} values; "
                        f"a concepts file does not need them: write the values out"
                    ),
                )
        if isinstance(event, AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                return (
                    line,
                    "too-many-aliases",
                    (
                        f"more than {MAX_ALIASES} YAML aliases (*name); a concepts file does not "
                        f"need them: write the values out"
                    ),
                )
        elif isinstance(event, (ScalarEvent, CollectionStartEvent)) and event.tag not in (
            None,
            "!",
            "tag:yaml.org,2002:str",
        ):
            return (
                line,
                "yaml-tag",
                (
                    f"YAML tag '{event.tag}' is not allowed: a concepts file holds plain text, "
                    f"lists and mappings only"
                ),
            )
        if isinstance(event, ScalarEvent) and event.anchor:
            anchor_values[event.anchor] = 1  # an anchor may be defined again
        if isinstance(event, CollectionStartEvent):
            open_collections.append([event.anchor, 1])
            depth += 1
            if depth > MAX_DEPTH:
                return (
                    line,
                    "too-deep",
                    (
                        f"nesting deeper than {MAX_DEPTH} levels; the concepts format needs at most five"
                    ),
                )
        elif isinstance(event, CollectionEndEvent):
            anchor, size = open_collections.pop()
            if anchor:
                anchor_values[anchor] = size
            depth -= 1
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


#: The block indicators that open a collection at the start of a line: ``- - - x``
#: nests three sequences on one line, with no indentation to show it.
_LINE_INDICATORS = re.compile(r"^[ \t]*((?:[-?][ \t]+)+)", re.MULTILINE)


def _needs_screening(text: str) -> bool:
    """Whether the event screen must run: only anchors, aliases, tags or deep nesting need it.

    The screen parses the whole file once more; a plain file (the usual case)
    skips it. Nesting is estimated from brackets, indentation and the block
    indicators that open collections on one line, erring high: a file that
    may nest deeper than :data:`MAX_DEPTH` is screened, and so never reaches
    libyaml, which recurses once per level and crashes the process (SIGSEGV)
    somewhere past 20,000 levels.
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
    on_one_line = max(
        (len(match.group(1).split()) for match in _LINE_INDICATORS.finditer(text)), default=0
    )
    return deepest + max(indents, default=0) // 2 + on_one_line > MAX_DEPTH


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
