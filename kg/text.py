"""Small text helpers the whole package shares: folding, brace matching, DOIs.

Each exists once here so that the loader, the queries, the citations and the
exports agree on what "the same text", "the closing brace" and "the same DOI"
mean.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
_BRACES = re.compile(r"[{}]")
#: Braces not escaped by a backslash: bibtexparser's splitter skips ``\{`` and ``\}``.
_UNESCAPED_BRACES = re.compile(r"(?<!\\)[{}]")
_BRACES_AND_CLOSING_PARENTHESIS = re.compile(r"[{})]")
_DOI_RESOLVER = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def fold(text: str, separator: str = " ", *, ascii_only: bool = False) -> str:
    """Fold ``text`` for comparison: no case, no accents, punctuation as ``separator``.

    Letters and digits are kept (lower case, accents removed); every run of
    other characters becomes one ``separator``, and none is left at either
    end. ``ascii_only`` also drops letters that have no ASCII form, for ids
    and keys that must be plain ASCII.

    >>> fold("Hernández-Wolfe, P.", "-", ascii_only=True)
    'hernandez-wolfe-p'
    >>> fold("Self care", "")
    'selfcare'
    """
    if ascii_only:
        # ASCII text is the same in every Unicode normal form.
        if not text.isascii():
            text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return _NOT_ASCII_WORD.sub(separator, text.lower()).strip(separator or " ")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(separator, bare.casefold()).strip(separator or " ")


def closing_delimiter(
    text: str, start: int, stop: int | None = None, *, escapes: bool = False
) -> int | None:
    """Index of the delimiter that closes the ``{`` or ``(`` at ``start``, or None.

    Braces nest as BibTeX counts them: every ``{`` and ``}``, whatever
    surrounds it; with ``escapes``, ``\\{`` and ``\\}`` do not count (as in
    bibtexparser's splitter). An entry opened with ``(`` ends at the first
    ``)`` outside braces. Only ``text[start:stop]`` is searched.
    """
    end = len(text) if stop is None else stop
    depth = 0
    if text[start] == "(":
        for match in _BRACES_AND_CLOSING_PARENTHESIS.finditer(text, start + 1, end):
            char = match.group()
            if char == ")":
                if depth == 0:
                    return match.start()
            else:
                depth += 1 if char == "{" else -1
        return None
    pattern = _UNESCAPED_BRACES if escapes else _BRACES
    for match in pattern.finditer(text, start, end):
        if match.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.start()
    return None


def bare_doi(doi: str) -> str:
    """A DOI without its resolver: ``https://doi.org/10.1/X`` and ``doi:10.1/X`` -> ``10.1/X``.

    DOIs compare case-insensitively; the case is kept as written.
    """
    if not doi:
        return ""
    return _DOI_RESOLVER.sub("", doi.strip()).strip()


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary with an ellipsis.

    A first word longer than the limit is the only one cut inside (there is
    no boundary before it); white space runs count as one space.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"
