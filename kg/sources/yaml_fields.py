"""Typed access to a parsed YAML document, each wrong type reported with its line.

The concepts file and its stories are read through :class:`Reader`: every
value is checked for the type it must have, and a wrong one becomes a
:class:`~kg.model.Problem` with the file and line, never an exception.
"""

from __future__ import annotations

from typing import Any

from kg.model import STRENGTHS, Link, Problem

#: Plain words that YAML 1.1 tools read as booleans.
YAML11_BOOLEANS = {"y", "n", "yes", "no", "on", "off", "true", "false"}


def suggest(word: str, pool) -> str:
    """``" (did you mean 'x'?)"`` for the closest names in ``pool``, or ``""``."""
    from kg.suggest import close_matches

    close = close_matches(word, pool)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{name}'" for name in close) + "?)"


def line_of(node, default: int = 1) -> int:
    """The 1-based line where a parsed YAML node starts (``default`` when unknown)."""
    lc = getattr(node, "lc", None)
    return lc.line + 1 if lc is not None and lc.line is not None else default


def key_line(mapping, key, default: int = 1) -> int:
    """The 1-based line of ``key`` in a parsed mapping."""
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return default


def item_line(sequence: Any, index: int, default: int) -> int:
    """The 1-based line of item ``index`` of a parsed sequence."""
    try:
        return sequence.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return default


def value_line(mapping, key, default: int = 1) -> int:
    """The 1-based line of the value of ``key`` in a parsed mapping."""
    try:
        return mapping.lc.value(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return default


class Reader:
    """Typed access to the parsed YAML, reporting each wrong type with its line."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def error(self, line, code: str, message: str) -> None:
        """Record an error at ``line``."""
        self.problems.append(Problem(self.file, line, "error", code, message))

    def warning(self, line, code: str, message: str) -> None:
        """Record a warning at ``line``."""
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
            self.error(
                value_line(mapping, key, line_of(mapping)),
                "wrong-type",
                f"'{key}' must be a list (each item starting with '- ')",
            )
            return
        for index, item in enumerate(value):
            line = item_line(value, index, line_of(value))
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
            self.error(
                value_line(mapping, key, line),
                "wrong-type",
                f"'{key}' was read as a boolean ({str(value).lower()}); put it in quotes",
            )
            return None
        if isinstance(value, (int, float)):
            return str(value)
        if not isinstance(value, str):
            self.error(value_line(mapping, key, line), "wrong-type", f"'{key}' must be text")
            return None
        return " ".join(str(value).split()) if "\n" in value else str(value).strip()

    def identifier(self, mapping, key: str, line) -> str | None:
        """An id: text, never a number or boolean, not a plain YAML 1.1 boolean word."""
        value = mapping.get(key)
        at = value_line(mapping, key, line)
        if value is None:
            self.error(line, "missing", f"'{key}' is required here")
            return None
        if isinstance(value, (bool, int, float)):
            self.error(
                at,
                "id-type",
                f"'{key}' was read as a {'boolean' if isinstance(value, bool) else 'number'} "
                f'({value!r}), not text: put it in quotes, e.g. {key}: "{value}"',
            )
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(at, "id-type", f"'{key}' must be non-empty text")
            return None
        if type(value) is str and value.lower() in YAML11_BOOLEANS:
            self.warning(
                at,
                "yaml11-boolean",
                f"'{value}' is read as a boolean by YAML 1.1 tools; write it in quotes",
            )
        return str(value).strip()

    def text_list(self, mapping, key: str, line) -> list[str]:
        """A list of texts (a single text is accepted as a list of one)."""
        value = mapping.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list):
            self.error(value_line(mapping, key, line), "wrong-type", f"'{key}' must be a list")
            return []
        return [str(item) for item in value if item is not None]

    def id_list(self, mapping, key: str, line) -> list[str]:
        """A list of ids (quoted texts; numbers are refused as for single ids)."""
        values: list[str] = []
        raw = mapping.get(key)
        if raw is None:
            return values
        if not isinstance(raw, list):
            raw = [raw]
        for item in raw:
            if isinstance(item, (bool, int, float)):
                self.error(
                    value_line(mapping, key, line),
                    "id-type",
                    f"'{key}' holds {item!r}, read as a "
                    f"{'boolean' if isinstance(item, bool) else 'number'}: put it in quotes",
                )
            elif isinstance(item, str):
                values.append(item.strip())
        return values

    def id_items(self, mapping, key: str, line) -> list[tuple[str, int]]:
        """``(id, line)`` for each id listed under ``key`` (one id alone counts as a list of one).

        Each id keeps its own line, so a later check can point at the very item.
        """
        raw = mapping.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            raw = [raw]
            lines = [value_line(mapping, key, line)]
        else:
            lines = [
                item_line(raw, index, value_line(mapping, key, line)) for index in range(len(raw))
            ]
        items = []
        for item, at in zip(raw, lines, strict=True):
            if isinstance(item, (bool, int, float)):
                self.error(
                    at,
                    "id-type",
                    f"'{key}' holds {item!r}, read as a "
                    f"{'boolean' if isinstance(item, bool) else 'number'}: put it in quotes",
                )
            elif isinstance(item, str) and item.strip():
                items.append((item.strip(), at))
            else:
                self.error(at, "wrong-type", f"each item of '{key}' must be an id (text)")
        return items

    def links(self, mapping, key: str, target_key: str, line) -> list[Link]:
        """Evidence links: ``- {target_key: ..., strength: ..., reason: ...}`` or bare ids."""
        links: list[Link] = []
        raw = mapping.get(key)
        if raw is None:
            return links
        if not isinstance(raw, list):
            self.error(value_line(mapping, key, line), "wrong-type", f"'{key}' must be a list")
            return links
        for index, item in enumerate(raw):
            at = item_line(raw, index, line)
            if isinstance(item, str):
                links.append(Link(item.strip(), "inferred", "", at))
                continue
            if not isinstance(item, dict):
                self.error(
                    at,
                    "wrong-type",
                    f"each item of '{key}' must be a mapping with '{target_key}', "
                    f"'strength' and 'reason'",
                )
                continue
            target = self.identifier(item, target_key, at)
            strength = self.text(item, "strength", at) or "inferred"
            if strength not in STRENGTHS:
                self.error(
                    value_line(item, "strength", at),
                    "bad-strength",
                    f"strength '{strength}' is not one of {', '.join(STRENGTHS)}"
                    f"{suggest(strength, STRENGTHS)}",
                )
                strength = "inferred"
            if target:
                links.append(Link(target, strength, self.text(item, "reason", at) or "", at))
        return links
