"""Links between papers: shared authors, shared keywords, shared terms.

What two papers share is what links them, each kind with its own pull (how
hard the layout draws them together). Not every name links: "Anonymous",
a corporate author ("{IEEE}", "{Stan Development Team}") or the editors of
a whole volume say who published, not who did the work, and linking through
them would make one cluster of every unsigned editorial of a journal.

Every author, keyword or term links its papers as a chain, in order of year,
not as a clique: a prolific author with 300 papers adds 299 links, not
44,850, and the chain still holds the papers together, so the number of
links grows with the bibliography, not with its square.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "AUTHOR_PULL",
    "COMMON_KEYWORD_SHARE",
    "KEYWORD_PULL",
    "TERM_PULL",
    "Link",
    "chain_links",
    "chain_pulls",
    "is_collective_author",
    "linking_authors",
    "paper_keywords",
    "pull_of",
    "year_of",
]

#: A keyword on more than this share of the papers says nothing about any one of them.
COMMON_KEYWORD_SHARE = 0.2
#: How hard a shared author, a shared keyword and a shared term pull two papers together.
AUTHOR_PULL = 1.0
KEYWORD_PULL = 0.35
TERM_PULL = 0.3
#: No link pulls harder than this, whatever the two papers share.
STRONGEST_PULL = 2.0

_KEYWORD_SPLIT = re.compile(r"[;,]")
#: Names that stand for nobody in particular (compared folded to lower case).
#: (fmt: skip: a word list reads better packed than one word per line.)
ANONYMOUS_NAMES = frozenset(
    {"anonymous", "anon", "anon.", "unknown", "n.n.", "nn", "various", "others", "et al.",
     "et al", "editor", "editors", "the editors", "staff", "author", "authors"}
)  # fmt: skip
#: Words that make a name without a given name an organisation's.
_ORGANISATION_WORDS = re.compile(
    r"\b(?:society|association|institute|institution|team|committee|council|organi[sz]ation|"
    r"agency|department|group|consortium|collaboration|project|office|board|centers?|centres?|"
    r"university|laboratory|lab|foundation|commission|academy|network|survey|service|"
    r"ministry|federation|union|section|working|panel|program|programme|initiative|"
    r"administration|bureau|inc|ltd|corporation|company)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\d{4}")


#: The pull of one shared thing, by the list of the link it goes to.
PULLS = {"authors": AUTHOR_PULL, "keywords": KEYWORD_PULL, "terms": TERM_PULL}


@dataclass(slots=True)
class Link:
    """Two papers and what they share; ``source`` sorts before ``target``.

    ``pull`` is how hard the layout draws the two papers together: the sum of
    :data:`PULLS` over what they share, capped at :data:`STRONGEST_PULL`
    (see :func:`pull_of`).
    """

    source: str
    target: str
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    pull: float = 0.0

    def as_dict(self) -> dict:
        """The link as the map's page data holds it (``from``, ``to``, what is shared, ``pull``)."""
        return {
            "from": self.source,
            "to": self.target,
            "authors": list(self.authors),
            "keywords": list(self.keywords),
            "terms": list(self.terms),
            "pull": self.pull,
        }


def pull_of(authors: int, keywords: int, terms: int) -> float:
    """The pull of a link between papers sharing so many authors, keywords and terms."""
    return min(STRONGEST_PULL, AUTHOR_PULL * authors + KEYWORD_PULL * keywords + TERM_PULL * terms)


def year_of(attrs: Mapping) -> int:
    """The first four-digit year in a paper's year field, or 9999 when there is none."""
    match = _YEAR.search(str(attrs.get("year", "")))
    return int(match.group()) if match else 9999


def paper_keywords(attrs: Mapping) -> list[str]:
    """The keywords of a paper, folded to lower case, in their order, without repeats."""
    seen: dict[str, None] = {}
    for part in _KEYWORD_SPLIT.split(str(attrs.get("keywords", "") or "")):
        word = " ".join(part.split()).lower()
        if word:
            seen.setdefault(word, None)
    return list(seen)


def is_collective_author(attrs: Mapping) -> bool:
    """True for an author node that names no one person: anonymous, or an organisation.

    An organisation is a name without a given name that is an acronym
    ("IEEE"), or holds several words or a word such as Society, Team,
    Committee ("{AFS Fish Culture Section}"). A person known by one name
    ("Heraclitus") stays a person.
    """
    name = " ".join(str(attrs.get("label") or attrs.get("name") or "").split())
    if name.lower() in ANONYMOUS_NAMES or not name:
        return True
    if attrs.get("given"):
        return False
    family = str(attrs.get("family") or name)
    letters = [char for char in family if char.isalpha()]
    acronym = len(letters) >= 2 and all(char.isupper() for char in letters)
    return acronym or len(family.split()) >= 3 or bool(_ORGANISATION_WORDS.search(family))


def linking_authors(graph, papers: list[str]) -> dict[str, list[str]]:
    """The papers of each author who links papers, by author node id, authors sorted.

    Each author's papers come in the order of ``papers``. Only ``role=author``
    edges count (editors of a volume edit, they do not write its chapters
    together), and never a collective author (:func:`is_collective_author`).
    """
    rank = {paper: number for number, paper in enumerate(papers)}
    written: dict[str, list[str]] = defaultdict(list)
    for author, paper, role in graph.edges(data="role"):
        if paper in rank and role == "author":
            written[author].append(paper)
    nodes = graph.nodes
    return {
        author: sorted(mine, key=rank.__getitem__)
        for author, mine in sorted(written.items())
        if len(mine) > 1 and not is_collective_author(nodes[author])
    }


def chain_links(groups: Iterable[tuple[str, str, list[str]]]) -> list[Link]:
    """Links from ``(what, label, papers)`` groups, each group's papers chained in their order.

    ``what`` is ``authors``, ``keywords`` or ``terms``: the list of the link
    the label goes to; the papers come in the order of the chain (by year).
    Returns the links sorted by their two papers.
    """
    slots = {"authors": 0, "keywords": 1, "terms": 2}
    shared: dict[tuple[str, str], tuple[list[str], list[str], list[str]]] = {}
    for what, label, chain in groups:
        slot = slots[what]
        for first, second in itertools.pairwise(chain):
            key = (first, second) if first < second else (second, first)
            lists = shared.get(key)
            if lists is None:
                lists = shared[key] = ([], [], [])
            lists[slot].append(label)
    return [
        Link(
            first,
            second,
            authors,
            keywords,
            terms,
            pull_of(len(authors), len(keywords), len(terms)),
        )
        for (first, second), (authors, keywords, terms) in sorted(shared.items())
    ]


def chain_pulls(groups: Iterable[tuple[str, str, list[str]]]) -> list[tuple[str, str, float]]:
    """The pulls :func:`chain_links` would give, as ``(paper, paper, pull)``, without the labels.

    For a first grouping, where only the strength of each link matters.
    """
    pulls: dict[tuple[str, str], float] = defaultdict(float)
    for what, _, chain in groups:
        pull = PULLS[what]
        for first, second in itertools.pairwise(chain):
            pulls[(first, second) if first < second else (second, first)] += pull
    return [(first, second, min(STRONGEST_PULL, pull)) for (first, second), pull in pulls.items()]
