"""A journal's own pages: contents, indexes, covers and notices, told apart from its papers.

Journal bibliographies (Nelson Beebe's, publishers' exports) list every item
of an issue, and an issue holds more than papers: its table of contents, the
subject index of the volume, the inside front cover with the editorial board,
"Books received", "Issue information", unsigned errata. Such entries have no author and the
same few words for titles, so they link to each other through those words
and make clusters named "subject index", "january" or "ii or iii", dozens of
them in a bibliography of seven journals. They are set apart as one cluster
of their own instead (:func:`kg.structure.analyse`).

An entry is front matter when no person wrote it and its title is one of the
forms below. A paper by named authors is a paper whatever its title ("Index
of biotic integrity", "Contents of cod stomachs").
"""

from __future__ import annotations

import re

#: Titles of the pages of an issue that are not papers, matched from the title's start.
FRONT_MATTER_TITLE = re.compile(
    r"""^\W*(?:
        pages?\s+[ivxlc\d]+\s*[-–—]+\s*[ivxlc\d]+\b        # "Pages 1–98 (1 March 2000)"
      | (?:subject|author|authors'?|keyword|species|cumulative|title)\s+index\b
      | index\s*(?:$|(?:of|to)\s+(?:volume|volumes|authors|subjects|titles)\b)
      | (?:table\s+of\s+)?contents\b
      | prelims?\b | title\s+page\b
      | (?:inside|outside)\s+(?:front|back)\s+cover\b | (?:ifc|ibc|ofc|obc)\b
      | (?:front|back)\s+cover\b | cover\s*(?:$|[-–—(:])
      | issue\s+information\b | journal\s+highlights?\b | books?\s+received\b
      | editorial\s+board\b | masthead\b | (?:front|back)\s+matter\b
      | aims?\s*(?:and|&|,)\s*scope\b
      | (?:instructions|guide|guidelines|information)\s+(?:to|for)\s+(?:authors|contributors)\b
      | (?:acknowledge?ments?\s+(?:to|of)\s+)?(?:our\s+)?reviewers\b
      | (?:list\s+of\s+)?referees\b
      | errat(?:um|a)\b | corrigend(?:um|a)\b | corrections?\s*(?:$|[-–—(:]|to\b)
    )""",
    re.VERBOSE | re.IGNORECASE,
)

#: The name of the cluster that holds them.
FRONT_MATTER_LABEL = "Front matter: contents, indexes, covers, notices"


def is_front_matter(title: str, *, authored: bool) -> bool:
    """Whether an entry titled ``title`` is one of an issue's own pages rather than a paper.

    ``authored``: a person (not "Anonymous", not an organisation) wrote it;
    such an entry is always a paper.
    """
    return not authored and FRONT_MATTER_TITLE.match(title or "") is not None
