"""How the cache stores a corpus: the dataclasses of :mod:`kg.model` as plain data.

Each dataclass instance becomes the list of its field values, every value's
type is checked against the dataclass's annotations on the way in and on the
way out, and the whole is packed as MessagePack: data only, nothing that can
name a class or a function. :mod:`kg.sources.speed.cache` frames, checks and files
the bytes; this module turns a corpus into them and back.
"""

from __future__ import annotations

import dataclasses
import functools
import typing

if typing.TYPE_CHECKING:  # pragma: no cover
    from kg.model import Corpus


class Unusable(ValueError):
    """Bytes that must not be used: damaged, foreign, or of another shape."""


def encode_corpus(corpus: Corpus) -> bytes:
    """A corpus as the body of an entry: the MessagePack of ``{"layout": ..., "corpus": [...]}``.

    Each dataclass instance becomes the list of its field values; the layout
    records every class's field names, so that reading back with other
    dataclasses misses instead of misreading. Lone surrogates (which a YAML
    escape can produce) are kept, as the loader reported them.
    """
    kind: type = type(corpus)  # a class, the key of the codecs' cache
    return pack({"layout": _layout(kind), "corpus": _codec(kind).encode(corpus)})


def decode_corpus(body: bytes):
    """The corpus an entry's body holds; raises :class:`ValueError` or ``TypeError`` if it
    is not exactly the shape the dataclasses of :mod:`kg.model` describe."""
    from kg.model import Corpus

    document = unpack(body)
    if not isinstance(document, dict) or document.get("layout") != _layout(Corpus):
        raise Unusable("written for other dataclasses")
    return _codec(Corpus).decode(document.get("corpus"))


def encode_value(annotation, value):
    """``value`` (of the annotated type: ``list[Problem]``, ``dict[str, int]``...) as plain data."""
    return _codec(annotation).encode(value)


def decode_value(annotation, data):
    """The value of the annotated type that plain ``data`` holds; :class:`Unusable` (a
    ``ValueError``) when any part of it is not exactly of that type."""
    return _codec(annotation).decode(data)


#: The most a line number can be (a file of two billion lines is no source).
_MAX_LINE = 2**31


def check_corpus(corpus) -> None:
    """Raise :class:`Unusable` unless a decoded corpus holds what the loader could have made.

    The types are the codec's business; this checks the values the commands rely
    on: every table keyed by its items' own ids, every author a paper names
    present, every strength one of :data:`kg.model.STRENGTHS`, every problem an
    error or a warning, and line numbers within reason. A record with a valid
    checksum and the right types can still be planted by whoever can write the
    cache folder: such a record is a miss, never a traceback.
    """
    from kg.model import STRENGTHS

    for table, name in (
        (corpus.papers, "key"),
        (corpus.authors, "id"),
        (corpus.concepts, "id"),
        (corpus.objectives, "id"),
        (corpus.quotes, "id"),
    ):
        if any(getattr(item, name) != ident for ident, item in table.items()):
            raise Unusable("a table keyed by another id than its items'")
    authors = corpus.authors
    for paper in corpus.papers.values():
        if not 0 <= paper.line <= paper.end_line < _MAX_LINE and (paper.line, paper.end_line) != (
            0,
            0,
        ):
            raise Unusable("an entry's lines out of order")
        if any(author not in authors for author in (*paper.authors, *paper.editors)):
            raise Unusable("an entry naming an unknown author")
    links = [link for concept in corpus.concepts.values() for link in concept.papers]
    for objective in corpus.objectives.values():
        links += objective.concepts + objective.papers
    if any(link.strength not in STRENGTHS for link in links):
        raise Unusable("a link of unknown strength")
    for problem in corpus.problems:
        if problem.severity not in ("error", "warning"):
            raise Unusable("a problem that is neither an error nor a warning")
        if problem.line is not None and not 0 <= problem.line < _MAX_LINE:
            raise Unusable("a problem's line out of range")


def pack(value) -> bytes:
    """Plain data (text, numbers, lists, mappings) as MessagePack bytes.

    MessagePack, not JSON: for the 24,631 papers of beebe7_concat.bib it
    writes in 0.12 s instead of 0.37 s and reads in 0.12 s instead of 0.26 s
    (docs/benchmarks.md). Like JSON it holds only data: nothing in it can
    name a class or a function.
    """
    import msgpack

    return msgpack.packb(value, use_bin_type=True, unicode_errors="surrogatepass")


def unpack(data: bytes):
    """The plain data of :func:`pack`'s bytes; raises ``ValueError`` for anything else.

    Extension types (MessagePack's only way to stand for something beyond
    plain data) and non-text mapping keys are refused.
    """
    import msgpack

    def refuse_extension(code, _data):
        raise Unusable(f"MessagePack extension type {code}")

    try:
        return msgpack.unpackb(
            data,
            raw=False,
            use_list=True,
            strict_map_key=True,
            unicode_errors="surrogatepass",
            ext_hook=refuse_extension,
        )
    except (msgpack.UnpackException, ValueError, TypeError) as error:
        raise Unusable(f"not MessagePack: {error}") from None


@functools.cache
def _layout(root: type) -> dict[str, list[str]]:
    """Every dataclass reachable from ``root``, with its field names in order."""
    layout: dict[str, list[str]] = {}
    pending = [root]
    while pending:
        kind = pending.pop()
        if kind.__name__ in layout:
            continue
        layout[kind.__name__] = [field.name for field in dataclasses.fields(kind)]
        hints = typing.get_type_hints(kind)
        for field in dataclasses.fields(kind):
            pending.extend(_dataclasses_in(hints[field.name]))
    return dict(sorted(layout.items()))


def _dataclasses_in(annotation) -> list[type]:
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return [annotation]
    return [kind for argument in typing.get_args(annotation) for kind in _dataclasses_in(argument)]


class _Codec:
    """Turns values of one annotated type into plain data and back, checking every type.

    ``types`` are the Python types a value may have once decoded; ``plain``
    codecs leave the value as it is (after checking it), so that containers
    and dataclasses can check plain members in one pass over their types
    instead of calling a function per value.
    """

    def __init__(self, encode, decode, types: frozenset, plain: bool = False):
        self.encode = encode
        self.decode = decode
        self.types = types
        self.plain = plain


def _fail(expected: str, value) -> typing.NoReturn:
    raise Unusable(f"expected {expected}, found {type(value).__name__}")


@functools.cache
def _codec(annotation) -> _Codec:
    """The codec of a type annotation: str, int, float, bool, None, ``X | None``,
    ``list[X]``, ``dict[str, X]`` or a dataclass. Anything else is refused
    (``TypeError``), so that nothing unforeseen is ever stored."""
    if annotation in (str, int, float, bool, type(None)):
        return _plain_codec(frozenset([annotation]))
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return _dataclass_codec(annotation)
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and len(arguments) == 1:
        return _list_codec(_codec(arguments[0]))
    if origin is dict and len(arguments) == 2 and arguments[0] is str:
        return _dict_codec(_codec(arguments[1]))
    if type(None) in arguments and len(arguments) == 2:  # X | None, Optional[X]
        inner = _codec(next(argument for argument in arguments if argument is not type(None)))
        types = inner.types | {type(None)}
        if inner.plain:
            return _plain_codec(types)
        return _Codec(
            lambda value: None if value is None else inner.encode(value),
            lambda value: None if value is None else inner.decode(value),
            types,
        )
    raise TypeError(f"the cache cannot store values of type {annotation!r}")


def _plain_codec(types: frozenset) -> _Codec:
    """Scalars (and None): stored as they are, after their exact type is checked
    (``True`` is an int to Python, never to a dataclass field of type int)."""

    def check(value):
        if type(value) not in types:
            _fail(" or ".join(sorted(kind.__name__ for kind in types)), value)
        return value

    return _Codec(check, check, types, plain=True)


def _list_codec(item: _Codec) -> _Codec:
    if item.plain:

        def check(values):
            if type(values) is not list and type(values) is not tuple:
                _fail("a list", values)
            if not set(map(type, values)) <= item.types:
                _fail("a list of " + "/".join(sorted(kind.__name__ for kind in item.types)), values)
            return values if type(values) is list else list(values)

        return _Codec(check, check, frozenset([list]))

    def encode(values):
        return [item.encode(value) for value in values]

    def decode(values):
        if type(values) is not list:
            _fail("a list", values)
        return [item.decode(value) for value in values]

    return _Codec(encode, decode, frozenset([list]))


def _dict_codec(item: _Codec) -> _Codec:
    def check_keys(mapping):
        if type(mapping) is not dict:
            _fail("a mapping", mapping)
        if not set(map(type, mapping)) <= {str}:
            _fail("text keys", mapping)

    if item.plain:

        def check(mapping):
            check_keys(mapping)
            if not set(map(type, mapping.values())) <= item.types:
                _fail("plain values", mapping)
            return mapping

        return _Codec(check, check, frozenset([dict]))

    def encode(mapping):
        check_keys(mapping)
        return {key: item.encode(value) for key, value in mapping.items()}

    def decode(mapping):
        check_keys(mapping)
        return {key: item.decode(value) for key, value in mapping.items()}

    return _Codec(encode, decode, frozenset([dict]))


def _dataclass_codec(kind: type) -> _Codec:
    """An instance as the list of its field values, in the order of :func:`dataclasses.fields`.

    Plain fields are checked all at once by their types; the others go
    through their own codecs. Instances are built positionally when every
    field is an ordinary ``__init__`` parameter (as positional as the field
    order itself), by keyword otherwise.
    """
    hints = typing.get_type_hints(kind)
    fields = dataclasses.fields(kind)
    names = tuple(field.name for field in fields)
    count = len(names)
    positional = all(field.init and not getattr(field, "kw_only", False) for field in fields)
    resolved: list = []  # filled on first use: a dataclass may (indirectly) hold itself

    def plan():
        if not resolved:
            codecs = [_codec(hints[name]) for name in names]
            complex_fields = tuple(
                (index, codec) for index, codec in enumerate(codecs) if not codec.plain
            )
            resolved.append((tuple(codec.types for codec in codecs), complex_fields))
        return resolved[0]

    def check_types(values, allowed):
        if not all(map(frozenset.__contains__, allowed, map(type, values))):
            for value, types in zip(values, allowed, strict=True):
                if type(value) not in types:
                    _fail(
                        f"{kind.__name__} field of type "
                        + "/".join(sorted(t.__name__ for t in types)),
                        value,
                    )

    def encode(instance):
        if type(instance) is not kind:
            _fail(kind.__name__, instance)
        attributes = instance.__dict__
        values = [attributes[name] for name in names]
        allowed, complex_fields = plan()
        for index, codec in complex_fields:
            values[index] = codec.encode(values[index])
            if type(values[index]) is tuple:
                values[index] = list(values[index])
        check_types(values, allowed)
        return values

    def decode(values):
        if type(values) is not list or len(values) != count:
            _fail(f"{kind.__name__} ({count} values)", values)
        allowed, complex_fields = plan()
        if complex_fields:
            values = list(values)
            for index, codec in complex_fields:
                values[index] = codec.decode(values[index])
        check_types(values, allowed)
        if positional:
            return kind(*values)
        return kind(**dict(zip(names, values, strict=True)))

    return _Codec(encode, decode, frozenset([kind]))
