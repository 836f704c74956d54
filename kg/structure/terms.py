"""Terms: the noun phrases of titles, abstracts and keywords, and how specific each is.

A paper's topic is in its words. Two papers on "otolith microchemistry" belong
together even when no author wrote both. This module finds such terms and
scores how much each says about one part of the literature rather than all
of it, in the spirit of VOSviewer's term maps (van Eck & Waltman): a term
whose papers fall in a few clusters is specific; one spread over the clusters
as evenly as the papers themselves ("model", "new approach") says nothing.

**Finding noun phrases.** A part-of-speech tagger (VOSviewer uses one) needs
a trained model that the library's package does not hold: spaCy's models are
installed apart from spaCy, Stanza downloads its own on first use, NLTK's
tagger needs a data package fetched with ``nltk.download``; and kg never
touches the network at run time. A bibliography's titles are short, dense noun phrases joined by
function words ("Growth *of* juvenile cod *in* the Baltic Sea"), so a rule
does nearly as well, in one pass and no model: text is cut at punctuation and
at the words of :data:`STOP_WORDS` (function words, common verbs, reporting
words of abstracts), and every run of 1 to :data:`LONGEST_TERM` consecutive
remaining words is a candidate, provided it neither starts nor ends with a
word that cannot head or open a noun phrase on its own (:data:`EDGE_WORDS`:
"new", "high", "using" ...). The last word is made singular, so "fish stocks"
and "fish stock" are one term. What the rule lets through that a tagger would
not (an adjective alone, a participle) is what the relevance score removes.

**Relevance.** Given a grouping of the papers (clusters of shared authors and
terms, see :mod:`kg.structure.clusters`), a term's relevance is the
Kullback-Leibler divergence of the distribution of its papers over the groups
from the distribution of all papers over them, with the term's counts
smoothed towards the overall distribution so that a term on two papers cannot
look more specific than one on twenty. The cost is one pass over the papers'
terms: linear in the size of the bibliography.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

__all__ = [
    "EDGE_WORDS",
    "LONGEST_TERM",
    "STOP_WORDS",
    "noun_phrases",
    "relevance",
    "singular",
]


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: The longest term, in words.
LONGEST_TERM = 3

#: Words that end a noun phrase: function words, verbs and the reporting words
#: of abstracts. Written for English, the language of nearly every bibliography, with
#: the commonest function words of titles in German, French, Italian, Spanish and Dutch.
STOP_WORDS = _word_set(
    """
    a about above across after against along also although among amongst an and another any
    are around as at be because been before being below between beyond both but by can could
    did do does doing done down during each either else et etc even ever every few for from
    further had has have having he her here hers him his how however i if in into is it its
    itself just la le les les may me might more most much must my near neither no nor not of
    off on once one only onto or other others otherwise our out over own per rather same shall
    she should since so some such than that the their them themselves then there therefore
    these they this those though three through thus to too two under until up upon us very via
    was we were what when where whether which while who whom whose why will with within
    without would yet you your der die das und von zur zum des du de el los las en y del et al
    ein eine einer eines einem einen dem als auf aus bei für fur mit nach über uber oder ist sind
    une un et pour sur dans par avec aux au ou est sont di della delle dei il gli nel nella una
    uno con para por sobre het een voor van naar
    use used uses using based toward towards versus vs
    show shows showed shown find finds found suggest suggests suggested indicate indicates
    indicated present presents presented provide provides provided report reports reported
    describe describes described examine examines examined investigate investigates
    investigated propose proposes proposed consider considers considered compare compares
    compared obtain obtained observe observed evaluate evaluated assess assessed determine
    determined estimate estimated include includes including included increase increased
    increases decrease decreased reduce reduced affect affects affected make makes made
    allow allows allowed require requires required help helps give gives given take takes taken
    become becomes became remain remains remained occur occurs occurred appear appears
    result results resulted lead leads led develop developed apply applied
    paper article study studies research review note comment reply response erratum
    corrigendum abstract introduction conclusion conclusions discussion chapter part vol
    pages page editorial board contents index issue volume supplement preface foreword
    first second third new novel
    full pdf inside front back cover title prelim matter book books announcement calendar
    obituary retraction addendum correction acknowledgement acknowledgements reviewer
    reviewers referee referees instructions guide author authors isbn issn doi http https www pp
    """
)

#: Words that may sit inside a noun phrase but neither open nor close a term on their own.
EDGE_WORDS = _word_set(
    """
    high higher highest low lower lowest large larger largest small smaller smallest
    different differing various several many multiple single recent current present
    potential possible important significant general specific main major minor
    long short early late old young good better best poor simple complex common rare
    total overall relative average mean annual daily seasonal global local regional
    effect effects impact impacts role roles case cases approach approaches method methods
    model models analysis analyses data evidence application applications use
    """
)

# letters, then letters, digits, apostrophes or inner hyphens: "co2", "3-d" is cut at the digit
_WORD = re.compile(r"[^\W\d_](?:[\w']|-(?=\w))*")
# where a phrase ends whatever the words: punctuation of every kind, and LaTeX leftovers
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘’«»/\\|=+*&%$#@<>~^]|\s[-–—]\s|--")
# nouns that end in s in the singular (and a few plurals already singular)
_SINGULAR_AS_IS = _word_set(
    """
    species series means news analysis basis thesis hypothesis synthesis diagnosis
    genesis crisis axis physics mathematics economics statistics dynamics genetics
    genomics ethics biomass gas lens bias census status virus corpus campus focus
    stimulus nucleus fungus locus consensus calculus apparatus abundance process
    access success stress loss mass glass class grass moss gross chaos
    """
)


@functools.lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    """A plural English noun made singular by rule: "stocks" -> "stock", "fisheries" -> "fishery".

    Words that end in s in the singular ("species", "analysis", "stress") stay as they are.
    """
    if len(word) < 4 or word in _SINGULAR_AS_IS or not word.endswith("s"):
        return word
    if word.endswith(("ss", "us", "is", "ics", "'s")):
        return word[:-2] if word.endswith("'s") else word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def noun_phrases(text: str) -> set[str]:
    """The candidate terms of ``text``: runs of one to three content words, lower case.

    Each term is its words joined by one space, the last made singular; the
    words are those of the module's rule (see above). A word of one letter
    never makes a term on its own.
    """
    found: set[str] = set()
    for segment in _BREAK.split(text.lower()):
        run: list[str] = []
        for word in _WORD.findall(segment):
            if word in STOP_WORDS or singular(word) in STOP_WORDS:
                _add_run(run, found)
                run = []
            else:
                run.append(word)
        _add_run(run, found)
    return found


def _add_run(run: list[str], found: set[str]) -> None:
    """Every n-gram of ``run`` (n up to :data:`LONGEST_TERM`) that may stand as a term."""
    size = len(run)
    for start, first in enumerate(run):
        if first in EDGE_WORDS:
            continue
        if len(first) > 2:
            found.add(singular(first))
        prefix = first
        for stop in range(start + 1, min(size, start + LONGEST_TERM)):
            last = run[stop]
            if last not in EDGE_WORDS:
                found.add(prefix + " " + singular(last))
            prefix = prefix + " " + last


def relevance(
    papers_of_term: Mapping[str, Iterable[str]],
    group_of: Mapping[str, int],
    *,
    prior_weight: float = 2.0,
) -> dict[str, float]:
    """How specific each term is to some groups of papers rather than to all of them.

    ``papers_of_term`` maps a term to the papers it is found in;
    ``group_of`` maps papers to their group (papers in no group do not
    count). The score is the Kullback-Leibler divergence, in nats, of the
    term's distribution over the groups from all papers' distribution, the
    term's counts first blended with ``prior_weight`` papers' worth of the
    overall distribution (a term on few papers needs more evidence). A term
    none of whose papers is in a group scores 0.
    """
    sizes = Counter(group_of.values())
    total = sum(sizes.values())
    scores: dict[str, float] = {}
    if not total:
        return dict.fromkeys(papers_of_term, 0.0)
    for term, papers in papers_of_term.items():
        counts = Counter(group_of[paper] for paper in papers if paper in group_of)
        seen = sum(counts.values())
        if not seen:
            scores[term] = 0.0
            continue
        mass = seen + prior_weight
        score = 0.0
        # groups the term never touches contribute only through the normalisation
        for group, count in counts.items():
            background = sizes[group] / total
            share = (count + prior_weight * background) / mass
            score += share * math.log(share / background)
        untouched = 1.0 - sum(sizes[group] for group in counts) / total
        if untouched > 0:
            share = prior_weight * untouched / mass
            score += share * math.log(share / untouched)
        scores[term] = score
    return scores
