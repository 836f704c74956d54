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
    for bom, name in (
        (b"\xff\xfe\x00\x00", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"),
        (b"\xfe\xff", "UTF-16"),
    ):
        if data.startswith(bom):
            return None, [
                Problem(
                    label,
                    1,
                    "error",
                    "encoding",
                    f"the file is {name}; save it as UTF-8 and run again",
                )
            ]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul != -1:
        line = len(_LINE_ENDS.split(data[:nul]))
        return None, [
            Problem(
                label,
                line,
                "error",
                "encoding",
                "the file holds NUL bytes: it is UTF-16 without a byte-order mark, "
                "or not a text file; save it as UTF-8",
            )
        ]
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
    warning = Problem(
        label,
        first.line,
        "warning",
        "encoding",
        f"{first.message.split(' is not UTF-8')[0]} is not UTF-8: the file is read as "
        f"Windows-1252 (Latin-1), as BibTeX reads its bytes; if it is in another encoding "
        f"(GBK, Shift-JIS...), give it with --encoding NAME, or convert it to UTF-8, for "
        f"instance with `iconv -f WINDOWS-1252 -t UTF-8`",
        column=first.column,
    )
    return text, [warning, *control_character_problems(text, label)]


def unusable_encoding(encoding: str) -> str:
    """Why ``encoding`` cannot name a file's encoding (unknown, or not a text encoding), or ``""``."""
    import codecs

    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        return f"'{encoding}' is not an encoding Python knows (try utf-8, latin-1, cp1252, gbk...)"
    if not getattr(codec, "_is_text_encoding", True) or codec.name == "undefined":
        return (
            f"'{encoding}' is not a text encoding (it turns bytes into other bytes, or text "
            f"into text); name the encoding the file is written in (utf-8, latin-1, cp1252, "
            f"gbk...)"
        )
    return ""


def _decode_as(data: bytes, label: str, encoding: str) -> tuple[str | None, list[Problem]]:
    """Decode ``data`` in the encoding the user named; an error at the first byte it cannot read.

    Only text encodings are accepted (``rot13``, ``base64``, ``zlib``... turn bytes
    into bytes, or text into text). A decode that loses the entries the bytes
    plainly hold (``cp037`` on a UTF-8 file) is an error; text that is UTF-8 read
    in another encoding (``latin-1``: "HernÃ¡ndez") gets a warning.
    """
    import codecs

    refusal = unusable_encoding(encoding)
    if refusal:
        return None, [Problem(label, None, "error", "encoding", refusal)]
    codec = codecs.lookup(encoding)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = len(_LINE_ENDS.split(data[: error.start]))
        return None, [
            Problem(
                label,
                line,
                "error",
                "encoding",
                f"byte 0x{data[error.start]:02X} cannot be read as {encoding}: is the file "
                f"in another encoding?",
            )
        ]
    except (UnicodeError, LookupError, ValueError, TypeError) as error:
        return None, [
            Problem(
                label,
                None,
                "error",
                "encoding",
                f"'{encoding}' cannot read the file ({error}); name the encoding the "
                f"file is written in (utf-8, latin-1, cp1252, gbk...)",
            )
        ]
    text = normalise_lone_cr(text.removeprefix("\ufeff"))
    lost = lost_entries(data, text, label, encoding)
    if lost is not None:
        return None, [lost]
    problems = control_character_problems(text, label)
    if codec.name not in ("utf-8", "utf-8-sig"):
        mojibake = utf8_read_as_other(data, text, label, encoding)
        if mojibake is not None:
            problems.insert(0, mojibake)
    return text, problems


#: The start of an entry as its bytes spell it in any ASCII-compatible encoding.
_ENTRY_START_BYTES = re.compile(rb"@[A-Za-z]+[ \t]*[{(]")
_ENTRY_START_TEXT = re.compile(r"@[A-Za-z]+[ \t]*[{(]")


def lost_entries(data: bytes, text: str, label: str, encoding: str) -> Problem | None:
    """An error when the decoded text holds fewer than half the entry starts the bytes hold.

    A wrong 8-bit encoding (EBCDIC's ``cp037`` on a UTF-8 file) decodes every
    byte into something, so nothing fails: the entries just vanish, and
    "0 papers, 0 errors" would be reported for a file full of them.
    """
    in_bytes = len(_ENTRY_START_BYTES.findall(data))
    if in_bytes == 0:
        return None
    in_text = len(_ENTRY_START_TEXT.findall(text))
    if in_text * 2 >= in_bytes:
        return None
    return Problem(
        label,
        None,
        "error",
        "encoding",
        f"read as {encoding}, the file holds {in_text} entries where its bytes show "
        f"{in_bytes} ('@type{{' in ASCII): {encoding} is not its encoding; leave out "
        f"--encoding (UTF-8, else Windows-1252) or name the right one",
    )


def utf8_read_as_other(data: bytes, text: str, label: str, encoding: str) -> Problem | None:
    """A warning when bytes that are valid UTF-8 were decoded in another encoding (mojibake).

    Plain ASCII is checked too: every ASCII-compatible encoding reads it alike, so a
    difference means one that is not (``unicode_escape`` turning ``{\\'e}`` into ``{'e}``).
    """
    try:
        meant = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    meant = normalise_lone_cr(meant)
    if meant == text:
        return None
    first = next(
        (
            index
            for index, (read, wanted) in enumerate(zip(text, meant, strict=False))
            if read != wanted
        ),
        min(len(text), len(meant)),
    )
    line = meant.count("\n", 0, first) + 1
    read_line = text.split("\n")[line - 1] if line <= text.count("\n") + 1 else ""
    meant_line = meant.split("\n")[line - 1] if line <= meant.count("\n") + 1 else ""
    read_word, meant_word = _first_difference(read_line, meant_line)
    return Problem(
        label,
        line,
        "warning",
        "encoding",
        f"the file is valid UTF-8, but read as {encoding} it says '{read_word}' where "
        f"UTF-8 says '{meant_word}'; leave out --encoding if the file is UTF-8",
    )


def _first_difference(read: str, meant: str) -> tuple[str, str]:
    """The first word that differs between two spellings of a line (at most 40 characters)."""
    for read_word, meant_word in zip(read.split(), meant.split(), strict=False):
        if read_word != meant_word:
            return read_word[:40], meant_word[:40]
    return read.strip()[:40], meant.strip()[:40]


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
        hint = (
            " (text converted from Windows-1252 twice? U+0080-U+009F stand for its quotes and dashes)"
            if "\x80" <= char <= "\x9f"
            else ""
        )
        problems.append(
            Problem(
                label,
                line,
                "warning",
                "control-character",
                f"invisible control character U+{ord(char):04X} at column {column}"
                f"{hint}; delete it or replace it with the character meant",
                column=column,
            )
        )
    if lines_with_controls > MAX_CONTROL_WARNINGS:
        problems.append(
            Problem(
                label,
                problems[-1].line,
                "warning",
                "control-character",
                f"{lines_with_controls - MAX_CONTROL_WARNINGS} more lines hold invisible "
                f"control characters",
            )
        )
    return problems
