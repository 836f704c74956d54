"""Author and editor lists -> people: ids, display names, and the parts a citation needs.

Lists are split at " and " and names into parts with bibtexparser's own name
functions (BibTeX's rules), with two shortcuts that give the same answers
for the common cases (see :func:`split_names` and :func:`_plain_name_parts`).
Every distinct list and name is split once.
"""

from __future__ import annotations

import functools
import re

from kg.model import Author
from kg.sources.latex import decode_latex
from kg.sources.records import Person
from kg.text import closing_delimiter, fold

_NAME_PARTS = re.compile(r"[\s.\-]+")


def people(value: str) -> tuple[Person, ...]:
    """Split an author or editor list into :class:`Person` records ("others" left out)."""
    if not value or not value.strip():
        return ()
    return _split_people(value)


@functools.lru_cache(maxsize=65536)
def _split_people(value: str) -> tuple[Person, ...]:
    found = (_person(name) for name in split_names(value))
    return tuple(person for person in found if person is not None)


def cited_names(people_of_field: tuple[Person, ...]) -> list[dict]:
    """The CSL names of a list's people, or ``[]`` when one of them cannot be read.

    A citation then falls back to the corpus's author records.
    """
    names = [person.cited for person in people_of_field if person.cited is not None]
    return names if len(names) == len(people_of_field) else []


#: " and " between two names: the word in any case, with spaces, tabs or line
#: breaks around it (BibTeX's whitespace; a "~" is not).
_AND = re.compile(r"[ \r\n\t]+[aA][nN][dD][ \r\n\t]+")


def split_names(value: str) -> list[str]:
    """The names of an author list, split at " and " exactly as bibtexparser splits them.

    Without braces or backslashes (nearly every list) a regular expression
    finds the same places as bibtexparser's character-by-character scan, which
    skips what is braced or escaped; other lists go to that scan.
    """
    names = value.strip(" \r\n\t")
    if not names:
        return []
    if "{" in names or "}" in names or "\\" in names:
        from bibtexparser.middlewares.names import split_multiple_persons_names

        return split_multiple_persons_names(names)
    return _AND.split(names)


#: Names whose parts need no BibTeX rules: "Family, Given Names" and "Given Names
#: Family", in ASCII words that all start with a capital (so no "von" part), no
#: braces, no LaTeX, no "Jr" part.
_WORD = r"[A-Z][A-Za-z.']*(?:-[A-Z][A-Za-z.']*)*"
_FAMILY_FIRST = re.compile(rf"\s*({_WORD})\s*,((?:\s*{_WORD})*)\s*")
_GIVEN_FIRST = re.compile(rf"\s*((?:{_WORD}\s+)+)({_WORD})\s*")


def _plain_name_parts(name: str) -> tuple[str, str] | None:
    """(family, given) of a name :data:`_FAMILY_FIRST` or :data:`_GIVEN_FIRST` matches, else None."""
    match = _FAMILY_FIRST.fullmatch(name)
    if match:
        return match.group(1), " ".join(match.group(2).split())
    match = _GIVEN_FIRST.fullmatch(name)
    if match:
        return match.group(2), " ".join(match.group(1).split())
    return None


@functools.lru_cache(maxsize=65536)
def _person(name: str) -> Person | None:
    """One written name -> its :class:`Person`; None for "others"."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    if name.strip().lower() == "others":
        return None
    plain = _plain_name_parts(name)
    if plain is not None:  # what the BibTeX rules below give, only faster
        family, given = plain
        cited: dict | None = {"family": family, "given": given} if given else {"family": family}
        return Person(
            author_id_for(family, given),
            f"{given} {family}" if given else family,
            family,
            given,
            cited,
        )
    try:
        parts = parse_single_name_into_parts(name)
    except Exception:  # InvalidNameError and friends: keep the name whole
        parts = None
    if parts is None:
        raw = {"given": "", "family": name}
    else:
        raw = {
            "given": " ".join(parts.first),
            "family": " ".join(parts.von + parts.last),
            "jr": " ".join(parts.jr),
        }
    decoded = decode_latex(raw)
    family = _strip_braces(decoded["family"])
    given = _strip_braces(decoded["given"])
    jr = _strip_braces(decoded.get("jr", ""))
    display = " ".join(part for part in (given, family) if part)
    if jr:
        display += f", {jr}"
    cited = _cited_name(name, parts, family, given, jr)
    return Person(author_id_for(family, given), display, family, given, cited)


def _cited_name(name: str, parts, family: str, given: str, jr: str) -> dict | None:
    """The name as a citation gives it: a braced name is an institution, never split."""
    stripped = name.strip()
    if stripped.startswith("{") and closing_delimiter(stripped, 0) == len(stripped) - 1:
        return {"literal": _strip_braces(decode_latex({"name": stripped[1:-1]})["name"])}
    if parts is None:  # BibTeX's strict rules refused it: try the lenient ones
        from bibtexparser.middlewares.names import parse_single_name_into_parts

        try:
            parts = parse_single_name_into_parts(name, strict=False)
        except Exception:
            return None
        decoded = decode_latex(
            {
                "given": " ".join(parts.first),
                "jr": " ".join(parts.jr),
                "family": " ".join(parts.von + parts.last),
            }
        )
        family, given, jr = (_strip_braces(decoded[part]) for part in ("family", "given", "jr"))
    if not family:
        return None
    cited = {"family": family}
    if given:
        cited["given"] = given
    if jr:
        cited["suffix"] = jr
    return cited


def _strip_braces(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


def author_id_for(family: str, given: str = "") -> str:
    """A stable author id: family name and initials, ASCII, e.g. ``hernandez-p``."""
    initials = "".join(word[0] for word in _NAME_PARTS.split(given) if word)
    slug = slugify(family)
    return f"{slug}-{slugify(initials)}" if initials else slug


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: ``Hernández-Wolfe`` -> ``hernandez-wolfe``."""
    return fold(text, "-", ascii_only=True)


def split_name(name: str) -> tuple[str, str]:
    """Split one written name ("Pilar Hernández", "Hernández, P.") into (family, given)."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    parts = parse_single_name_into_parts(name)
    family = _strip_braces(" ".join(parts.von + parts.last))
    given = _strip_braces(" ".join(parts.first))
    decoded = decode_latex({"family": family, "given": given})
    return decoded["family"], decoded["given"]


def register_people(persons, authors: dict[str, Author]) -> list[str]:
    """Register the people of one entry as authors (in file order); return their ids."""
    ids = []
    for person in persons:
        author_id, display, family, given = (
            person.author_id,
            person.display,
            person.family,
            person.given,
        )
        known = authors.get(author_id)
        if known is None:
            authors[author_id] = Author(author_id, display, family, given)
        elif display != known.name and display not in known.aliases:
            # Keep the fullest spelling for display; remember the others.
            if len(given) > len(known.given):
                known.aliases.append(known.name)
                known.name, known.given = display, given
            else:
                known.aliases.append(display)
        ids.append(author_id)
    return ids
