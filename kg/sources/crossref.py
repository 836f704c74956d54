"""Cross-references resolved once, after the merge: what an entry inherits from another.

BibTeX's rule: a field an entry lacks is taken from the entry its
``crossref`` names. biber and biblatex add ``xdata`` (fields taken as they
are, from one or more ``@xdata`` entries, before ``crossref``), chains (the
parent's own parent), and a mapping of the titles by entry types, from the
biblatex manual (appendix B, "default inheritance setup"): the title of a
``@proceedings`` becomes the ``booktitle`` of its ``@inproceedings``, the title
of an ``@mvbook`` the ``maintitle`` of its ``@book``, the title of a
``@periodical`` the ``journaltitle`` of its ``@article``, and so on.

Every part of kg sees the resolved entry: its displayed values are computed
again from the merged fields, ``Paper.fields`` holds the inherited values
beside its own, and ``Paper.inherited`` says where each came from. The
BibTeX export still copies the entry as written.

Two departures, both because kg links works and people: the identifiers and
the abstract of a container (``doi``, ``url``, ``eprint``...) are not taken
as the part's own, and the editors of a container are cited with the part
but not linked to it in the graph as if they had written it.
A target that is missing, or a chain that loops, is a warning: BibTeX still
prints the entry, with what it could inherit.
"""

from __future__ import annotations

from kg.model import Author, Paper, Problem

#: Fields biblatex never inherits (appendix B of its manual).
#: (fmt: skip on the tables below: packed, they read as the lists they are.)
NEVER_INHERITED = frozenset(
    {"ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
     "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
     "shorthand", "shorthandintro", "sortkey"}
)  # fmt: skip

#: What describes the container itself, not its part: kg keeps them to the container.
CONTAINER_ONLY = frozenset(
    {"doi", "url", "urldate", "eprint", "eprinttype", "eprintclass", "archiveprefix",
     "primaryclass", "biburl", "bibsource", "timestamp", "abstract", "file", "unverified"}
)  # fmt: skip

_TITLES = ("title", "subtitle", "titleaddon")
_NOT_PASSED_ON = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")


def _titles_to(prefix: str) -> dict[str, tuple[str, ...]]:
    mapping: dict[str, tuple[str, ...]] = {title: (prefix + title,) for title in _TITLES}
    mapping.update(dict.fromkeys(_NOT_PASSED_ON, ()))
    return mapping


_MAIN = _titles_to("main")
_BOOK = _titles_to("book")
_JOURNAL = _titles_to("journal")
_BOOK_AUTHOR = {**_BOOK, "author": ("author", "bookauthor")}
_MAIN_AUTHOR = {**_MAIN, "author": ("author", "bookauthor")}


def _pairs(parents, children, mapping) -> dict[tuple[str, str], dict[str, tuple[str, ...]]]:
    return {(parent, child): mapping for parent in parents for child in children}


#: (parent type, child type) -> {parent's field: the child's fields it becomes}; a field
#: not listed keeps its name. biblatex's defaults, and ``@book`` -> ``@incollection``,
#: which BibTeX data often crosses where biblatex would say ``@collection``.
MAPPINGS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    **_pairs(["mvbook"], ["book"], _MAIN),
    **_pairs(["mvbook"], ["inbook", "bookinbook", "suppbook"], _MAIN_AUTHOR),
    **_pairs(["mvcollection", "mvreference"],
             ["collection", "reference", "incollection", "inreference", "suppcollection"], _MAIN),
    **_pairs(["mvproceedings"], ["proceedings", "inproceedings"], _MAIN),
    **_pairs(["book"], ["inbook", "bookinbook", "suppbook"], _BOOK_AUTHOR),
    **_pairs(["book", "collection", "reference"], ["incollection", "inreference", "suppcollection"], _BOOK),
    **_pairs(["proceedings"], ["inproceedings"], _BOOK),
    **_pairs(["periodical"], ["article", "suppperiodical"], _JOURNAL),
}  # fmt: skip

#: BibTeX's names for biblatex's types, as the mappings see them.
_TYPE_ALIASES = {"conference": "inproceedings"}


def inherited_fields(parent_type: str, child_type: str, parent: dict[str, str]) -> dict[str, str]:
    """The fields an entry of ``child_type`` takes from a ``parent_type`` entry's ``parent`` fields.

    Fields keeping their name come first (BibTeX's rule, so a parent's own
    ``booktitle`` wins), then the ones the type mapping renames.
    """
    mapping = MAPPINGS.get(
        (_TYPE_ALIASES.get(parent_type, parent_type), _TYPE_ALIASES.get(child_type, child_type)), {}
    )
    taken: dict[str, str] = {}
    renamed: list[tuple[str, str]] = []
    for name, value in parent.items():
        if name in NEVER_INHERITED or name in CONTAINER_ONLY:
            continue
        targets = mapping.get(name)
        if targets is None:
            taken.setdefault(name, value)
        else:
            renamed.extend((target, value) for target in targets)
    for target, value in renamed:
        taken.setdefault(target, value)
    return taken


class _Resolver:
    """Resolves every entry's fields once, following chains, noticing loops and missing targets."""

    def __init__(self, papers: dict[str, Paper], file: str, problems: list[Problem]) -> None:
        self.papers = papers
        self.by_lower = {key.lower(): key for key in papers}
        self.file = file
        self.problems = problems
        #: key -> {field: (value, key of the entry that writes it)}
        self.done: dict[str, dict[str, tuple[str, str]]] = {}

    def resolve(self, key: str, path: tuple[str, ...] = ()) -> dict[str, tuple[str, str]]:
        """The fields of entry ``key`` with everything it inherits, each with its origin."""
        if key in self.done:
            return self.done[key]
        paper = self.papers[key]
        fields = {name: (value, key) for name, value in paper.fields.items()}
        path = (*path, key)
        for target in _xdata_keys(paper):
            parent = self._target(paper, target, path, "xdata")
            if parent is not None:
                for name, origin in self.resolve(parent, path).items():
                    if name not in NEVER_INHERITED and name not in CONTAINER_ONLY:
                        fields.setdefault(name, origin)
        target = paper.fields.get("crossref", "").strip()
        if target:
            parent = self._target(paper, target, path, "crossref")
            if parent is not None:
                resolved_parent = self.resolve(parent, path)
                plain = {name: value for name, (value, _) in resolved_parent.items()}
                origins = {name: origin for name, (_, origin) in resolved_parent.items()}
                renamed_from = _renamed_from(self.papers[parent].entry_type, paper.entry_type)
                for name, value in inherited_fields(
                    self.papers[parent].entry_type, paper.entry_type, plain
                ).items():
                    source = renamed_from.get(name, name)
                    fields.setdefault(name, (value, origins.get(source, parent)))
        self.done[key] = fields
        return fields

    def _target(self, paper: Paper, written: str, path: tuple[str, ...], field: str) -> str | None:
        """The key ``written`` names, or None (with a warning) when it is missing or loops back."""
        found = self.by_lower.get(written.lower())
        if found is None:
            self.problems.append(
                Problem(
                    self.file,
                    paper.line,
                    "warning",
                    f"{field}-missing",
                    f"entry '{paper.key}' {_VERB[field]} '{written}', which is "
                    f"not in the file: it inherits nothing from it",
                )
            )
            return None
        if len(path) > MAX_CHAIN:
            self.problems.append(
                Problem(
                    self.file,
                    self.papers[path[0]].line,
                    "warning",
                    f"{field}-chain",
                    f"entry '{path[0]}': {field} chain longer than {MAX_CHAIN} "
                    f"entries; it is cut there",
                )
            )
            return None
        if found in path:
            # Said once, at the entry whose chain was being followed.
            start = self.papers[path[0]]
            chain = " -> ".join((*path, found))
            self.problems.append(
                Problem(
                    self.file,
                    start.line,
                    "warning",
                    f"{field}-cycle",
                    f"entry '{start.key}': {field} chain loops back ({chain}); "
                    f"the loop is cut there",
                )
            )
            return None
        return found


_VERB = {"crossref": "cross-references", "xdata": "takes xdata from"}
#: Longer chains than this are cut (with a warning): no real bibliography nests so deep, and
#: the resolution recurses along a chain.
MAX_CHAIN = 50


def _renamed_from(parent_type: str, child_type: str) -> dict[str, str]:
    """child field -> the parent field it comes from, for the fields the mapping renames."""
    mapping = MAPPINGS.get(
        (_TYPE_ALIASES.get(parent_type, parent_type), _TYPE_ALIASES.get(child_type, child_type)), {}
    )
    return {target: source for source, targets in mapping.items() for target in targets}


def _xdata_keys(paper: Paper) -> list[str]:
    return [key.strip() for key in paper.fields.get("xdata", "").split(",") if key.strip()]


def resolve_crossrefs(
    papers: dict[str, Paper], authors: dict[str, Author], file: str, problems: list[Problem]
) -> None:
    """Give every entry with ``crossref`` or ``xdata`` what it inherits, in place.

    Problems (missing targets, loops, required fields still missing) are
    added to ``problems``; ``@xdata`` entries, which hold data for others and
    are never cited, leave ``papers`` once used.
    """
    from kg.sources.entries import check_required

    resolver = _Resolver(papers, file, problems)
    for key, paper in list(papers.items()):
        if not ("crossref" in paper.fields or "xdata" in paper.fields):
            continue
        resolved = resolver.resolve(key)
        inherited = {name: origin for name, (_, origin) in resolved.items() if origin != key}
        if inherited:
            _take(paper, {name: value for name, (value, _) in resolved.items()}, inherited, authors)
        missing = check_required(paper.entry_type, key, paper.line, paper.fields)
        if missing:
            problems.append(
                Problem(file, missing.line, missing.severity, missing.code, missing.message)
            )
    for key in [key for key, paper in papers.items() if paper.entry_type == "xdata"]:
        del papers[key]


def _take(
    paper: Paper, fields: dict[str, str], inherited: dict[str, str], authors: dict[str, Author]
) -> None:
    """Set ``paper``'s fields and displayed values to the resolved ones."""
    from kg.sources.entries import paper_values
    from kg.sources.names import cited_names, people, register_people

    values = paper_values(paper.key, paper.entry_type, fields, paper.line, paper.end_line)
    paper.fields = fields
    paper.inherited = inherited
    paper.title, paper.year, paper.venue = values.title, values.year, values.venue
    paper.volume, paper.number, paper.pages = values.volume, values.number, values.pages
    paper.publisher, paper.note, paper.keywords = values.publisher, values.note, values.keywords
    if "author" in inherited:
        written = people(fields["author"])
        paper.authors = register_people(written, authors)
        paper.author_names = cited_names(written)
    if "editor" in inherited:
        paper.editor_names = cited_names(people(fields["editor"]))
