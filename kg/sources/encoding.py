"""Reading source files as text: UTF-8 only, and a precise error otherwise."""

from __future__ import annotations

from kg.model import Problem


def decode_bytes(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes as UTF-8 (a UTF-8 BOM is allowed and dropped).

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
        line = data[:nul].count(b"\n") + 1
        return None, [Problem(label, line, "error", "encoding",
                              "the file holds NUL bytes: it is UTF-16 without a byte-order mark, "
                              "or not a text file; save it as UTF-8")]  # fmt: skip
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = data[error.start]
        message = (
            f"byte 0x{byte:02X} at column {column} is not UTF-8: the file seems to use another "
            f"encoding (Latin-1, Windows-1252, GBK...); convert it to UTF-8, for instance with "
            f"`iconv -f LATIN1 -t UTF-8`"
        )
        return None, [Problem(label, line, "error", "encoding", message, column=column)]
