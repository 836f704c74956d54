"""The one text normaliser of displayed values: LaTeX to Unicode, whitespace collapsed.

Every value kg shows or exports (titles, venues, publishers, names, pages...)
goes through :func:`normalise`, by way of :func:`decode_latex`: LaTeX becomes
Unicode through pylatexenc's ``latex2text`` (the decoder bibtexparser's
LaTeX-decoding middleware wraps, given a few more macros: ``\\slash``,
``\\epsilon`` as ε, ``\\url`` without angle brackets), dashes and TeX quotes
become typographic ones, simple math reads as text (``$A^*$`` -> A*,
``SAS$^{+}$`` -> SAS⁺), and line breaks and runs of spaces become one space.
Raw values stay in ``Paper.fields`` and in the BibTeX export.

:func:`case_protected` keeps what a citation's casing needs: the groups a
title protects with braces (``{ACL}``), marked for CSL.

Decoding every value whole costs most of a parse, so values without LaTeX
pass through, and long values are decoded a small piece at a time, each
distinct piece once (see :func:`decode_latex`).
"""

from __future__ import annotations

import functools
import re

_LATEX_MARKS = re.compile(r"[\\{}~$]")
#: TeX ligatures of plain text that the decoder turns into typographic characters.
_TEX_LIGATURES = re.compile(r"--|``|''")
#: The white space BibTeX folds: runs of it read as one space.
_FOLDED_SPACE = re.compile(r"[ \t\r\n]+")


def normalise(value: str) -> str:
    """One displayed value: LaTeX decoded to Unicode, white space collapsed (see the module)."""
    if not value:
        return value
    if _LATEX_MARKS.search(value):
        if "\\" in value or "$" in value or "~" in value:
            return _decode_in_pieces(value)
        value = value.replace("{", "").replace("}", "")
    if _TEX_LIGATURES.search(value):
        return _decode_in_pieces(value)
    return " ".join(value.split())


def decode_latex(values: dict[str, str]) -> dict[str, str]:
    """Every value of ``values`` through :func:`normalise`, keys kept."""
    return {name: normalise(value) for name, value in values.items()}


#: Private-use characters standing for the braces of a case-protected group while
#: the text is decoded: no bibliography holds them.
_PROTECT_OPEN, _PROTECT_CLOSE = "\ue002", "\ue003"
NOCASE_OPEN, NOCASE_CLOSE = '<span class="nocase">', "</span>"


def case_protected(value: str) -> str:
    """``value`` normalised, its case-protected groups marked as CSL wants them.

    A group in braces at the top level of a field (``{ACL}``, ``{{Whole}}``)
    keeps its case whatever a style does: it becomes ``<span
    class="nocase">…</span>``. A group that opens with a command (``{\\'e}``)
    is a special character, not a protection, as BibTeX reads it.
    """
    if "{" not in value:
        return normalise(value)
    text = normalise(_mark_groups(value))
    return text.replace(_PROTECT_OPEN, NOCASE_OPEN).replace(_PROTECT_CLOSE, NOCASE_CLOSE)


#: The end of a command name, whose argument a group after it is, not a protection.
_AFTER_COMMAND = re.compile(r"\\[A-Za-z]+\s*$")


def _mark_groups(value: str) -> str:
    """``value`` with the braces of its case-protecting groups replaced by private-use marks."""
    out = []
    depth = 0
    protecting = False
    in_math = False
    for index, char in enumerate(value):
        if char == "$" and not value.endswith("\\", 0, index):
            in_math = not in_math
        elif char == "{":
            depth += 1
            if (
                depth == 1
                and not in_math
                and not value.startswith("\\", index + 1)
                and not _AFTER_COMMAND.search(value, 0, index)
            ):
                protecting = True
                out.append(_PROTECT_OPEN)
                continue
        elif char == "}" and depth:
            depth -= 1
            if depth == 0 and protecting:
                protecting = False
                out.append(_PROTECT_CLOSE)
                continue
        out.append(char)
    return "".join(out)


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
    """The decoder on one value, whitespace collapsed."""
    return " ".join(_decode_raw(value).split())


@functools.lru_cache(maxsize=65536)
def _decode_raw(value: str) -> str:
    """pylatexenc's ``latex2text`` on one value (its scripts in math made Unicode first)."""
    decoder, context = _latex_decoder()
    if "$" in value:
        value = _INLINE_MATH.sub(lambda match: _scripts_as_unicode(match.group()), value)
    try:
        decoded = decoder.latex_to_text(value, latex_context=context)
    except Exception:  # a value the decoder cannot read is kept, as the middleware keeps it
        return value
    return decoded if isinstance(decoded, str) else value


#: Inline math, ``$...$``, not ``\\$``.
_INLINE_MATH = re.compile(r"(?<!\\)\$[^$]+(?<!\\)\$")
#: A superscript or subscript in math: ``^*``, ``^{+}``, ``_2``, ``^{\\prime}``.
_SCRIPT = re.compile(r"([\^_])(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[^\s{}\\])")
#: A command around the text of a script, read as that text: ``^{\\text{max}}``, ``_{\\max}``.
_SCRIPT_TEXT = re.compile(r"^\\(?:text\w*|math\w*|operatorname)\{([^{}]*)\}$|^\\([A-Za-z]+)$")
#: Unicode scripts by character (fmt: skip: each letter sits above its script).
_SUPERSCRIPTS = dict(zip("0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW",
                         "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ", strict=True))  # fmt: skip
_SUBSCRIPTS = dict(
    zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)
#: Scripts written as commands, and what they read as.
_SCRIPT_SYMBOLS = {"\\prime": "′", "\\ast": "*", "\\star": "*", "\\circ": "°", "\\dagger": "†"}


def _scripts_as_unicode(math: str) -> str:
    """Superscripts and subscripts of one inline formula as readable text.

    A script whose characters all have Unicode superscript or subscript forms
    takes them (``SAS$^{+}$`` -> SAS⁺, ``$x_2$`` -> x₂); ``^*`` and ``^\\prime``
    read as * and ′ (``$A^*$`` -> A*); any other script is written inline.
    """

    def script(match: re.Match) -> str:
        mark, body = match.group(1), match.group(2)
        if body.startswith("{"):
            body = body[1:-1].strip()
        if body in _SCRIPT_SYMBOLS:
            return _SCRIPT_SYMBOLS[body]
        inner = _SCRIPT_TEXT.match(body)
        if inner:
            body = inner.group(1) if inner.group(1) is not None else inner.group(2)
        table = _SUPERSCRIPTS if mark == "^" else _SUBSCRIPTS
        if body and all(char in table for char in body):
            return "".join(table[char] for char in body)
        return body if body else ""

    return _SCRIPT.sub(script, math)


@functools.lru_cache(maxsize=1)
def _latex_decoder():
    """The decoder bibtexparser's LaTeX-decoding middleware builds, with kg's few additions,
    and the parsing context (built once, instead of once a value)."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
    from pylatexenc.latexwalker import get_default_latex_context_db as parsing_context

    text_context = get_default_latex_context_db()
    text_context.add_context_category(
        "kg",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%s"),  # as the middleware: no '<...>'
            MacroTextSpec("slash", simplify_repl="/"),
            MacroTextSpec("epsilon", simplify_repl="ε"),
            # Letters in math read as letters, not as the mathematical alphabets.
            *(
                MacroTextSpec(name, simplify_repl="%s")
                for name in (
                    "mathit",
                    "mathrm",
                    "mathbf",
                    "mathsf",
                    "mathtt",
                    "mathnormal",
                    "textit",
                    "textrm",
                )
            ),
        ],
    )
    decoder = LatexNodes2Text(latex_context=text_context, math_mode="text")
    return decoder, parsing_context()
