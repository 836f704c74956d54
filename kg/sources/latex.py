"""LaTeX in field values -> Unicode text, with bibtexparser's decoding middleware.

Decoding every value whole costs most of a parse, so values without LaTeX
pass through, and long values are decoded a small piece at a time, each
distinct piece once (see :func:`decode_latex`).
"""

from __future__ import annotations

import functools
import re

_LATEX_MARKS = re.compile(r"[\\{}~$]")


def decode_latex(values: dict[str, str]) -> dict[str, str]:
    """LaTeX-decode the values that contain LaTeX, with bibtexparser's decoding middleware.

    Decoding every field of every entry costs most of a parse, so values
    without LaTeX pass through, values whose only LaTeX is grouping braces lose
    the braces, and each distinct string is decoded once.
    """
    result = dict(values)
    for name, value in values.items():
        if value and _LATEX_MARKS.search(value):
            if "\\" in value or "$" in value or "~" in value:
                result[name] = _decode_in_pieces(value)
            else:
                result[name] = " ".join(value.replace("{", "").replace("}", "").split())
    return result


#: Tokens of LaTeX text, enough to see where it can be cut into independent pieces.
_LATEX_TOKEN = re.compile(r"\\[A-Za-z@]+|\\.|[{}$\[]|\s+|[^\\{}$\[\s]+", re.S)
#: What makes a piece of text more than plain characters for LaTeX.
_LATEX_ACTIVE = re.compile(r"[\\{}$%&#_^~`]|--|''")
#: What the piecewise decoding leaves to the decoder whole: comments, display
#: and bracket math, environments.
_DECODE_WHOLE = re.compile(r"%|\$\$|\\[(\[]|\\begin")


def _decode_in_pieces(value: str) -> str:
    """Decode ``value`` like :func:`_decode_latex_string`, a piece at a time.

    Long values (abstracts) hold a little LaTeX in much plain text, and the
    decoder's cost grows with the text. Cut at spaces that are outside braces
    and math and not between a macro and its arguments, the pieces decode
    independently: plain ones stay as they are, the others are decoded (and
    cached) one by one, and the whitespace is collapsed as in the whole.
    """
    if _DECODE_WHOLE.search(value):
        return _decode_latex_string(value)
    if len(value) < 80:
        return _decode_piece(value)
    pieces: list[str] = []
    depth = 0
    in_math = False
    piece_start = 0
    cut: tuple[int, int] | None = None  # a space where the text may be cut
    after_macro = False
    for match in _LATEX_TOKEN.finditer(value):
        token = match.group()
        if token[0].isspace():
            if depth == 0 and not in_math and not after_macro:
                cut = (match.start(), match.end())
            continue
        if cut is not None:
            if token[0] not in "{[":  # else an argument may follow its macro after a space
                pieces.append(value[piece_start : cut[0]])
                piece_start = cut[1]
            cut = None
        after_macro = token[0] == "\\"
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return _decode_latex_string(value)
        elif token == "$":
            in_math = not in_math
    if depth or in_math:
        return _decode_latex_string(value)
    pieces.append(value[piece_start:])
    decoded = [_decode_piece(piece) if _LATEX_ACTIVE.search(piece) else piece for piece in pieces]
    return " ".join(" ".join(decoded).split())


#: Small units of LaTeX that decode on their own, whatever surrounds them: accented
#: letters (``{\\'a}``, ``\\'{a}``, ``\\"o``, ``{\\c{c}}``, ``{\\'\\i}``), symbols in braces
#: (``{\\ss}``), a macro around plain text (``\\emph{word}``, unless a second argument
#: follows), grouping braces around plain text, inline math.
_PLAIN = r"[^{}\\$%&#_^~`'-]*"
_LATEX_ATOM = re.compile(
    r"""\{\\[`'^"~=.](?:[A-Za-z]|\{[A-Za-z]\}|\\[ij])\}"""
    r"""|\\[`'^"~=.](?:[A-Za-z]|\{[A-Za-z]\})"""
    r"""|\{\\[A-Za-z]+(?:\{[A-Za-z]\})?\}"""
    rf"""|\\(?P<macro>[A-Za-z]+)\{{(?P<argument>{_PLAIN})\}}(?![{{\[])"""
    rf"""|\{{(?P<grouped>{_PLAIN})\}}"""
    r"""|\$[^$\\{}%]*\$"""
)


def _decode_piece(piece: str) -> str:
    """Decode a piece of text without spaces to cut at: atom by atom when it is made of
    plain text and :data:`_LATEX_ATOM` units (each decoded once, ever), else whole."""
    parts = []
    position = 0
    for match in _LATEX_ATOM.finditer(piece):
        between = piece[position : match.start()]
        if between and _LATEX_ACTIVE.search(between):
            return _decode_latex_string(piece)
        parts.append(between)
        grouped, macro = match.group("grouped"), match.group("macro")
        if grouped is not None:
            parts.append(grouped)
        elif macro is not None and _shows_argument_as_is(macro):
            parts.append(match.group("argument"))
        else:
            parts.append(_decode_raw(match.group()))
        position = match.end()
    rest = piece[position:]
    if rest and _LATEX_ACTIVE.search(rest):
        return _decode_latex_string(piece)
    parts.append(rest)
    return " ".join("".join(parts).split())


@functools.lru_cache(maxsize=4096)
def _shows_argument_as_is(macro: str) -> bool:
    """True when the decoder turns ``\\macro{text}`` into ``text`` (unknown macros, ``\\emph``...)."""
    return all(
        _decode_raw(f"\\{macro}{{{sample}}}") == sample for sample in ("ab cd", "x,\n 1.", "é")
    )


def _decode_latex_string(value: str) -> str:
    """bibtexparser's LatexDecodingMiddleware on one value, whitespace collapsed."""
    return " ".join(_decode_raw(value).split())


@functools.lru_cache(maxsize=65536)
def _decode_raw(value: str) -> str:
    """bibtexparser's LatexDecodingMiddleware on one value, as it returns it."""
    decoder, context = _latex_decoder()
    try:
        # The same decoder the middleware builds, given the parsing context it would
        # otherwise rebuild for every value.
        decoded = decoder.latex_to_text(value, latex_context=context)
    except Exception:  # the middleware keeps a value it cannot decode
        return value
    return decoded if isinstance(decoded, str) else value


@functools.lru_cache(maxsize=1)
def _latex_decoder():
    from bibtexparser.middlewares import LatexDecodingMiddleware
    from pylatexenc.latexwalker import get_default_latex_context_db

    return LatexDecodingMiddleware()._decoder, get_default_latex_context_db()
