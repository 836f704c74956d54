"""Plain data: what the sources say, before it becomes a graph.

Every object remembers the file and 1-based line it came from, so that any
later check can point a user at the exact place to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Evidence strengths, strongest first. A chain is as strong as its weakest link.
STRENGTHS: tuple[str, ...] = ("supported", "weak", "inferred")

#: The kinds of node in the graph, in the order the map's legend lists them.
NODE_KINDS: tuple[str, ...] = ("objective", "concept", "paper", "quote", "author")

#: Problem codes that always mean an entry of the bibliography was lost (not in the corpus).
LOST_ENTRY_CODES: frozenset[str] = frozenset(
    {"missing-key", "entry-type", "duplicate-key", "duplicate-key-case"}
)

#: Learning-objective domains.
DOMAINS: tuple[str, ...] = ("knowledge", "skill", "attitude")

#: The views a story step can show, the first the default.
STORY_VIEWS: tuple[str, ...] = ("map", "timeline")


def strength_rank(strength: str) -> int:
    """Return 0 for the strongest evidence, larger numbers for weaker."""
    return STRENGTHS.index(strength)


def weakest(*strengths: str) -> str:
    """Return the weakest of the given strengths (a chain's strength)."""
    return max(strengths, key=strength_rank)


@dataclass
class Problem:
    """One thing wrong with an input file, located by file and 1-based line."""

    file: str
    line: int | None
    severity: str  # "error" or "warning"
    code: str  # short stable slug, e.g. "duplicate-key"
    message: str
    column: int | None = None

    @property
    def loses_an_entry(self) -> bool:
        """True for an error that leaves an entry of the bibliography out of the corpus."""
        if self.severity != "error":
            return False
        return self.code in LOST_ENTRY_CODES or (
            self.code in ("syntax", "stray-text")
            and ("could not be read" in self.message or "was not read" in self.message)
        )

    def format(self) -> str:
        """Render as ``PATH:LINE: severity: message`` (the compiler convention)."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"

    def as_dict(self) -> dict:
        """Return the JSON shape used by ``kg check --format json``."""
        return {
            "file": self.file,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


@dataclass
class Author:
    """A person, once, whatever spellings of their name the entries use."""

    id: str  # slug, e.g. "hernandez-p"; node id is "author:" + id
    name: str  # display form, "Pilar Hernández"
    family: str
    given: str = ""
    aliases: list[str] = field(default_factory=list)  # other spellings seen or declared


@dataclass
class Paper:
    """One bibliography entry (article, book, chapter...)."""

    key: str
    entry_type: str  # lower case: "article", "book", ...
    title: str = ""  # LaTeX decoded, for display
    year: str = ""
    authors: list[str] = field(default_factory=list)  # Author ids, in order
    editors: list[str] = field(default_factory=list)  # Author ids, in order
    venue: str = ""  # journal, booktitle or publisher, decoded
    volume: str = ""
    number: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    publisher: str = ""
    abstract: str = ""
    note: str = ""
    keywords: str = ""
    #: Every field as written (macros resolved, outer braces removed, not LaTeX
    #: decoded), keys in lower case: what citation formatting and export need.
    fields: dict[str, str] = field(default_factory=dict)
    #: Field names the entry flags as not verified (``unverified = {doi, pages}``).
    unverified: list[str] = field(default_factory=list)
    file: str = ""
    line: int = 0  # 1-based line of the ``@type{`` that opens the entry
    end_line: int = 0  # 1-based last line of the entry
    #: The authors and editors as the entry writes them, for citing: one CSL name
    #: each (``family``, ``given``, ``suffix``; ``literal`` for a braced name such
    #: as ``{World Health Organization}``), LaTeX decoded. Empty when the field
    #: is empty or holds a name BibTeX's rules cannot read.
    author_names: list[dict[str, str]] = field(default_factory=list)
    editor_names: list[dict[str, str]] = field(default_factory=list)
    #: Fields taken from the entries it cross-references (``crossref``, ``xdata``):
    #: field name -> key of the entry it came from. Already merged into ``fields``
    #: and the displayed values; empty for an entry that inherits nothing.
    inherited: dict[str, str] = field(default_factory=dict)


@dataclass
class Link:
    """An evidence link from a concept or objective to a paper or concept."""

    target: str  # paper key or concept id, as written in the concepts file
    strength: str = "inferred"
    reason: str = ""
    line: int | None = None


@dataclass
class Relation:
    """A typed relation between two concepts (contrasts-with, part-of...)."""

    type: str
    target: str  # concept id
    reason: str = ""
    line: int | None = None


@dataclass
class Concept:
    """An idea the literature discusses."""

    id: str
    label: str
    definition: str = ""
    aliases: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    papers: list[Link] = field(default_factory=list)
    line: int | None = None


@dataclass
class Objective:
    """A learning objective of the workshop (1a ... 3c)."""

    id: str
    domain: str  # knowledge, skill or attitude
    text: str
    concepts: list[Link] = field(default_factory=list)  # covered concepts
    papers: list[Link] = field(default_factory=list)  # directly supporting papers
    line: int | None = None


@dataclass
class Quote:
    """A quotation used in the workshop, attributed to a bibliography entry."""

    id: str
    text: str
    speaker: str = ""
    source: str = ""  # paper key
    page: str = ""
    note: str = ""
    concepts: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class StoryStep:
    """One step of a story: what the room looks at, and what the presenter says."""

    title: str
    focus: list[str] = field(default_factory=list)  # node ids shown together
    reveal: list[str] = field(default_factory=list)  # node ids added one at a time, in order
    view: str = "map"  # one of STORY_VIEWS
    notes: str = ""  # speaker notes, short Markdown
    line: int | None = None


@dataclass
class Story:
    """An authored walk through the map: a named sequence of steps."""

    id: str
    title: str
    steps: list[StoryStep] = field(default_factory=list)
    line: int | None = None


@dataclass
class AuthorAlias:
    """A declaration in the concepts file that several name forms are one person."""

    name: str
    aliases: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class Corpus:
    """Everything loaded from one bibliography and (optionally) one concepts file."""

    papers: dict[str, Paper] = field(default_factory=dict)
    authors: dict[str, Author] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bib_path: str = ""
    concepts_path: str | None = None  # None: a bibliography-only project
    title: str = ""  # the literature's name, from the concepts file
    version: int | None = None  # concepts file format version

    @property
    def has_concepts(self) -> bool:
        """True when a concepts file was loaded."""
        return self.concepts_path is not None

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def unread_entries(self) -> int:
        """How many entries of the bibliography could not be read (each has an error)."""
        return sum(1 for problem in self.problems if problem.loses_an_entry)

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity ``warning``."""
        return [p for p in self.problems if p.severity == "warning"]
