"""Reading source files as text: UTF-8 only, and a precise error otherwise."""

from __future__ import annotations

import re

from kg.model import Problem

_LONE_CR = re.compile(r"\r(?!\n)")
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")


def normalise_lone_cr(text: str) -> str:
    """Turn a carriage return not followed by a line feed into a line feed.

    Old Mac files end lines with CR alone, and mixed files hold a few. Editors
    show each as a line end, but the BibTeX reader counts only LF, so without
    this every problem in such a file would point at line 1. CRLF is kept.
    """
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def decode_bytes(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes as UTF-8 (a UTF-8 BOM is allowed and dropped).

    A lone CR becomes LF (see :func:`normalise_lone_cr`); CRLF stays as it is.

    Returns ``(None, [problem])`` for anything else, naming the line and column
    of the first byte that is not UTF-8, so nothing is ever shown as mojibake.
    """
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):  # fmt: skip
        if data.startswith(bom):
            return None, [Problem(label, 1, "error", "encoding",
                                  f"the file is {name}; save it as UTF-8 and run again")]  # fmt: skip
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul != -1:
        line = len(_LINE_ENDS.split(data[:nul]))
        return None, [Problem(label, line, "error", "encoding",
                              "the file holds NUL bytes: it is UTF-16 without a byte-order mark, "
                              "or not a text file; save it as UTF-8")]  # fmt: skip
    try:
        text = normalise_lone_cr(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        # Everything before the bad byte is valid UTF-8: count lines as an editor
        # does (LF, CRLF or a lone CR) and the column in characters, not bytes.
        lines = normalise_lone_cr(data[: error.start].decode("utf-8")).split("\n")
        line = len(lines)
        column = len(lines[-1].rstrip("\r")) + 1
        byte = data[error.start]
        message = (
            f"byte 0x{byte:02X} at column {column} is not UTF-8: the file seems to use another "
            f"encoding (Latin-1, Windows-1252, GBK...); convert it to UTF-8, for instance with "
            f"`iconv -f LATIN1 -t UTF-8`"
        )
        return None, [Problem(label, line, "error", "encoding", message, column=column)]
    return text, control_character_problems(text, label)


def decode_bibliography(
    data: bytes, label: str, encoding: str | None = None
) -> tuple[str | None, list[Problem]]:
    """Decode a bibliography: UTF-8, else Windows-1252 with one warning, or ``encoding`` if given.

    Old bibliographies are often in Latin-1 or Windows-1252, which BibTeX reads
    byte for byte and biber reads when told the encoding. So a file that is not
    UTF-8 is read as Windows-1252 (Latin-1 for the five bytes Windows-1252 leaves
    undefined), with one warning naming the first such line and how to convert
    it; ``encoding`` (``--encoding NAME``) reads it in another one instead.
    UTF-16, UTF-32 and NUL bytes stay errors: no 8-bit encoding reads them.
    """
    if encoding:
        return _decode_as(data, label, encoding)
    text, problems = decode_bytes(data, label)
    if text is not None or problems[0].column is None:
        return text, problems
    first = problems[0]
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    text = normalise_lone_cr(text)
    warning = Problem(label, first.line, "warning", "encoding",
                      f"{first.message.split(' is not UTF-8')[0]} is not UTF-8: the file is read as "
                      f"Windows-1252 (Latin-1), as BibTeX reads its bytes; if it is in another encoding "
                      f"(GBK, Shift-JIS...), give it with --encoding NAME, or convert it to UTF-8, for "
                      f"instance with `iconv -f WINDOWS-1252 -t UTF-8`", column=first.column)  # fmt: skip
    return text, [warning, *control_character_problems(text, label)]


def _decode_as(data: bytes, label: str, encoding: str) -> tuple[str | None, list[Problem]]:
    """Decode ``data`` in the encoding the user named; an error at the first byte it cannot read."""
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        return None, [Problem(label, None, "error", "encoding",
                              f"'{encoding}' is not an encoding Python knows (try utf-8, latin-1, "
                              f"cp1252, gbk...)")]  # fmt: skip
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = len(_LINE_ENDS.split(data[: error.start]))
        return None, [Problem(label, line, "error", "encoding",
                              f"byte 0x{data[error.start]:02X} cannot be read as {encoding}: is the file "
                              f"in another encoding?")]  # fmt: skip
    text = normalise_lone_cr(text.removeprefix("\ufeff"))
    return text, control_character_problems(text, label)


#: C0 and C1 control characters other than tab, line ends and form feed. They are
#: invisible in an editor, and printed to a terminal some of them (ESC, CSI) can
#: rewrite what it shows, so a bibliography pasted from the web is checked for them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
#: More lines than this with control characters get one summary warning.
MAX_CONTROL_WARNINGS = 5


def control_character_problems(text: str, label: str) -> list[Problem]:
    """Warnings for invisible control characters, with line and column (one per line)."""
    problems: list[Problem] = []
    lines_with_controls = 0
    line, line_start, last_line = 1, 0, 0
    for match in _CONTROL.finditer(text):
        # Lines are counted from one control character to the next, not all over the file.
        line += text.count("\n", line_start, match.start())
        line_start = text.rfind("\n", 0, match.start()) + 1
        if line == last_line:
            continue  # one warning per line: its first control character
        last_line = line
        lines_with_controls += 1
        if lines_with_controls > MAX_CONTROL_WARNINGS:
            continue
        char = match.group()
        column = match.start() - line_start + 1
        hint = (" (text converted from Windows-1252 twice? U+0080-U+009F stand for its quotes and dashes)"
                if "\x80" <= char <= "\x9f" else "")  # fmt: skip
        problems.append(Problem(label, line, "warning", "control-character",
                                f"invisible control character U+{ord(char):04X} at column {column}"
                                f"{hint}; delete it or replace it with the character meant",
                                column=column))  # fmt: skip
    if lines_with_controls > MAX_CONTROL_WARNINGS:
        problems.append(Problem(label, problems[-1].line, "warning", "control-character",
                                f"{lines_with_controls - MAX_CONTROL_WARNINGS} more lines hold invisible "
                                f"control characters"))  # fmt: skip
    return problems
