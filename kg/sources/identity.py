"""Checks on what a loaded corpus names and says, run once after loading.

Three things the parsers cannot see, each reported with file and line:

- **Text no file can hold.** A lone surrogate (``label: "\\ud800"``, from a
  YAML escape) cannot be encoded as UTF-8: every output would fail on it,
  and an XML export would not be well-formed. Any string of the corpus
  holding one is an ``unencodable`` error, and the surrogate is replaced by
  U+FFFD (the replacement character) in what was loaded, so that commands
  which go on with what could be read never write it.
- **Ids that are one id to a reader.** Citation keys, and concept, objective
  and quote ids, are compared after Unicode normalisation and the folding
  ``kg show`` and ``kg path`` use to find what the user typed (case, accents,
  spaces, hyphens and underscores ignored, as :func:`kg.query.normalise`).
  Two that fold alike (``café2024a`` composed and decomposed; ``self-care``
  and ``selfcare``) are an ``id-collision`` error naming both lines: a
  command asked for one would answer with the other.
- **Ids that hide something.** Invisible characters (zero-width spaces,
  joiners, soft hyphens...) and bidirectional controls (U+202E...) in a key or
  an id, and letters of look-alike scripts mixed in one (a Cyrillic ``а`` in a
  Latin key), get a ``hidden-character`` or ``mixed-script`` warning: the id
  looks like another one, or like nothing.

:func:`check_identities` appends the problems to the corpus.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping

from kg.invisible import BIDI_CONTROLS, INVISIBLE_CHARACTERS
from kg.model import Concept, Corpus, Objective, Paper, Problem, Quote
from kg.text import fold as fold_text

_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BIDI_CONTROL = re.compile(f"[{BIDI_CONTROLS}]")
#: Scripts whose letters pass for one another (``а`` and ``a``, ``ο`` and ``o``).
_LOOK_ALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")


def check_identities(corpus: Corpus) -> None:
    """Append the problems of unencodable text, colliding ids and hidden characters.

    Lone surrogates are replaced by U+FFFD once reported (see :func:`replace_surrogates`).
    """
    unencodable = unencodable_text(corpus)
    if unencodable:
        replace_surrogates(corpus)
    corpus.problems.extend(unencodable)
    corpus.problems.extend(colliding_ids(corpus))
    corpus.problems.extend(hidden_characters(corpus))


def fold(text: str) -> str:
    """An id as ``kg show`` matches it: no case, accents, spaces or punctuation.

    The folding of :func:`kg.query.normalise`, from the one shared helper.
    """
    return fold_text(text, "")


def shown(text: str) -> str:
    """``text`` for a message: invisible, control and surrogate characters as ``\\uXXXX``."""
    return "".join(
        f"\\u{ord(character):04x}"
        if _INVISIBLE.match(character)
        or _SURROGATE.match(character)
        or unicodedata.category(character) in ("Cc", "Cf")
        else character
        for character in text
    )


def _escaped(text: str) -> str:
    """``text`` with every character beyond printable ASCII as ``\\uXXXX``."""
    return "".join(
        character if character.isascii() and character.isprintable() else f"\\u{ord(character):04x}"
        for character in text
    )


# ------------------------------------------------------------------ unencodable text


def _places(corpus: Corpus):
    """Every loaded object with the file and line to report against, and a name for it."""
    for key, paper in corpus.papers.items():
        yield paper, paper.file or corpus.bib_path, paper.line or None, f"entry '{key}'"
    if any(map(_any_surrogate, corpus.authors.values())):
        # An author has no line of its own: the first entry naming them stands for it.
        first_paper: dict[str, Paper] = {}
        for paper in corpus.papers.values():
            for author_id in (*paper.authors, *paper.editors):
                first_paper.setdefault(author_id, paper)
        for author_id, author in corpus.authors.items():
            naming = first_paper.get(author_id)
            file = (naming.file or corpus.bib_path) if naming else corpus.bib_path
            yield author, file, naming.line if naming else None, f"author '{author_id}'"
    concepts_file = corpus.concepts_path or ""
    for kind, table in _declared(corpus):
        for ident, item in table.items():
            yield item, concepts_file, item.line, f"{kind} '{ident}'"


def _strings(value, path: str = ""):
    """Every string inside a dataclass, list or mapping, with where it sits (``papers[2].reason``)."""
    if type(value) is str:
        yield path, value
    elif dataclasses.is_dataclass(value):
        for name, item in vars(value).items():
            yield from _strings(item, f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, f"{path} key")
            yield from _strings(item, f"{path}.{key}")


def _any_surrogate(value) -> bool:
    """True if any string in ``value`` holds a surrogate: a quick pass, joining strings
    so that the check runs over whole texts (in C) rather than string by string."""
    kind = type(value)
    if kind is str:
        return not value.isascii() and _SURROGATE.search(value) is not None
    if kind is dict:
        return _any_surrogate(list(value)) or _any_surrogate(list(value.values()))
    if kind is list or kind is tuple:
        try:
            return _any_surrogate("".join(value))
        except TypeError:  # not only strings
            return any(map(_any_surrogate, value))
    if dataclasses.is_dataclass(value):
        values = list(vars(value).values())
        if _any_surrogate("".join(item for item in values if type(item) is str)):
            return True
        return any(_any_surrogate(item) for item in values if type(item) not in _SCALARS)
    return False


_SCALARS = frozenset([str, int, float, bool, type(None)])


def _line_of(value, path: str, default):
    """The line of the innermost object on ``path`` that knows its own line (a link, a relation)."""
    line = default
    current = value
    for step in re.findall(r"\.?([A-Za-z_]\w*)|\[(\d+)\]", path):
        name, index = step
        try:
            current = getattr(current, name) if name else current[int(index)]
        except (AttributeError, IndexError, KeyError, TypeError):
            break
        found = getattr(current, "line", None)
        if dataclasses.is_dataclass(current) and isinstance(found, int):
            line = found
    return line


def unencodable_text(corpus: Corpus) -> list[Problem]:
    """An error for every string holding a lone surrogate, which no UTF-8 file can store."""
    problems = []
    for item, file, line, name in _places(corpus):
        if not _any_surrogate(item):
            continue
        for path, text in _strings(item):
            if text.isascii():
                continue
            found = _SURROGATE.search(text)
            if found is None:
                continue
            code = ord(found.group())
            problems.append(
                Problem(
                    file,
                    _line_of(item, path, line),
                    "error",
                    "unencodable",
                    f"{name}: '{path}' holds U+{code:04X}, half of a surrogate "
                    f'pair (from an escape such as "\\u{code:04x}"), which no file '
                    f"can store (shown as U+FFFD until fixed); write the "
                    f"character meant, or the whole pair",
                )
            )
            break  # one error per entry or item is enough to find it
    if corpus.title and _SURROGATE.search(corpus.title):
        problems.append(
            Problem(
                corpus.concepts_path or corpus.bib_path,
                None,
                "error",
                "unencodable",
                "the title holds half of a surrogate pair, which "
                "no file can store; write the character meant",
            )
        )
    return problems


def unencodable_declarations(declarations, file: str) -> list:
    """Errors for author declarations (``authors:`` in the concepts file) holding a lone
    surrogate in their ``name`` or an alias, at the declaration's line; the surrogates
    are replaced by U+FFFD in the declarations, as in everything else loaded."""
    problems = []
    for declaration in declarations:
        for path, text in _strings(declaration):
            found = None if text.isascii() else _SURROGATE.search(text)
            if found is None:
                continue
            code = ord(found.group())
            problems.append(
                Problem(
                    file,
                    declaration.line,
                    "error",
                    "unencodable",
                    f"author '{shown(declaration.name)}': '{path}' holds "
                    f"U+{code:04X}, half of a surrogate pair (from an escape such "
                    f'as "\\u{code:04x}"), which no file can store (shown as '
                    f"U+FFFD until fixed); write the character meant, or the whole "
                    f"pair",
                )
            )
            replace_surrogates(declaration)
            break
    return problems


def replace_surrogates(value):
    """Replace every lone surrogate inside ``value`` by U+FFFD, in place where it can be.

    Walks dataclasses, lists and mappings as :func:`_strings` does; returns the
    repaired value (a new string, or the same container, changed).
    """
    kind = type(value)
    if kind is str:
        return _SURROGATE.sub("\ufffd", value) if not value.isascii() else value
    if dataclasses.is_dataclass(value):
        for name, item in vars(value).items():
            if type(item) not in _SCALARS or type(item) is str:
                repaired = replace_surrogates(item)
                if repaired is not item:
                    object.__setattr__(value, name, repaired)
        return value
    if kind is list:
        value[:] = [replace_surrogates(item) for item in value]
        return value
    if kind is tuple:
        repaired = tuple(replace_surrogates(item) for item in value)
        return value if repaired == value else repaired
    if kind is dict:
        items = [(replace_surrogates(key), replace_surrogates(item)) for key, item in value.items()]
        value.clear()
        value.update(items)
        return value
    return value


# ------------------------------------------------------------------------ collisions


def colliding_ids(corpus: Corpus) -> list[Problem]:
    """An error for every key or id that folds to the same as an earlier one of its kind."""
    problems = []
    bib_file = corpus.bib_path
    papers = sorted(corpus.papers.values(), key=lambda paper: paper.line)
    problems += _collisions(
        "key", [(paper.key, paper.file or bib_file, paper.line) for paper in papers]
    )
    concepts_file = corpus.concepts_path or ""
    for kind, table in _declared(corpus):
        items: list[Concept | Objective | Quote] = sorted(
            table.values(), key=lambda item: item.line or 0
        )
        problems += _collisions(
            f"{kind} id", [(item.id, concepts_file, item.line) for item in items]
        )
    return problems


def _collisions(what: str, named: list[tuple[str, str, int | None]]) -> list[Problem]:
    first: dict[str, tuple[str, str, int | None]] = {}
    problems = []
    for ident, file, line in named:
        problem = collision(what, ident, file, line, first)
        if problem is not None:
            problems.append(problem)
    return problems


def collision(
    what: str,
    ident: str,
    file: str,
    line: int | None,
    earlier: dict[str, tuple[str, str, int | None]],
    fix: str = "rename one (and the references to it)",
) -> Problem | None:
    """An ``id-collision`` error if ``ident`` folds like an id in ``earlier``, else None.

    ``earlier`` maps each folded id seen so far to ``(id, file, line)``; ``ident``
    is added to it when it is the first of its fold. ``kg add`` uses this to
    refuse a key that ``kg check`` would then reject (``fix`` says what to do).
    """
    folded = fold(ident)
    other, other_file, other_line = earlier.setdefault(folded, (ident, file, line))
    if other == ident:
        return None
    where = f"line {other_line}" if other_file == file else f"{other_file}:{other_line}"
    if unicodedata.normalize("NFC", ident) == unicodedata.normalize("NFC", other):
        # They print alike: spell out the code points that differ.
        how = "the same text with its accents composed differently"
        ident_shown, other_shown = _escaped(ident), _escaped(other)
    else:
        how = "the same once case, accents, spaces, hyphens and underscores are ignored"
        ident_shown, other_shown = shown(ident), shown(other)
    return Problem(
        file,
        line,
        "error",
        "id-collision",
        f"{what} '{ident_shown}' and '{other_shown}' ({where}) are {how}, so "
        f"`kg show` and `kg path` cannot tell them apart; {fix}",
    )


# ----------------------------------------------------------------- hidden characters


def hidden_characters(corpus: Corpus) -> list[Problem]:
    """A warning for every key or id with an invisible or bidi-control character, or mixed scripts."""
    named: list[tuple[str, str, str, int | None]] = [
        ("key", paper.key, paper.file or corpus.bib_path, paper.line)
        for paper in corpus.papers.values()
    ]
    for kind, table in (
        ("concept id", corpus.concepts),
        ("objective id", corpus.objectives),
        ("quote id", corpus.quotes),
    ):
        named += [(kind, item.id, corpus.concepts_path or "", item.line) for item in table.values()]
    problems = []
    for what, ident, file, line in named:
        problem = hidden_character(what, ident, file, line)
        if problem is not None:
            problems.append(problem)
    return problems


def hidden_character(what: str, ident: str, file: str, line: int | None) -> Problem | None:
    """A ``hidden-character`` or ``mixed-script`` warning for one key or id, or None."""
    if ident.isascii():
        return None  # the common case: ASCII has neither
    invisible = _INVISIBLE.search(ident)
    if invisible:
        character = invisible.group()
        name = unicodedata.name(character, "a format character").lower()
        effect = (
            "reorders the text after it" if _BIDI_CONTROL.match(character) else "shows as nothing"
        )
        return Problem(
            file,
            line,
            "warning",
            "hidden-character",
            f"{what} '{shown(ident)}' holds U+{ord(character):04X} ({name}), "
            f"which {effect}: the id looks like another one; delete it",
        )
    scripts = _scripts(ident)
    if len(scripts) > 1:
        return Problem(
            file,
            line,
            "warning",
            "mixed-script",
            f"{what} '{ident}' mixes {' and '.join(sorted(s.title() for s in scripts))} "
            f"letters, which look alike; write it in one script",
        )
    return None


def _scripts(text: str) -> set[str]:
    """The look-alike scripts whose letters ``text`` uses."""
    found = set()
    for character in text:
        if character.isalpha():
            script = unicodedata.name(character, "").split(" ", 1)[0]
            if script in _LOOK_ALIKE_SCRIPTS:
                found.add(script)
    return found


def _declared(corpus: Corpus) -> tuple[tuple[str, Mapping[str, Concept | Objective | Quote]], ...]:
    """What the concepts file declares, by kind: concepts, objectives and quotes."""
    return (
        ("concept", corpus.concepts),
        ("objective", corpus.objectives),
        ("quote", corpus.quotes),
    )
