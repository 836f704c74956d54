"""Two states of a project compared, grouped the way a trainer reads them.

:func:`compare` takes two :class:`kg.diff.states.State` and returns
:class:`Changes`: papers added, removed, renamed (same DOI or same title under
a new key) and changed field by field; concepts, objectives and quotes added,
removed or reworded; relations between concepts and evidence links added,
removed or changed; each objective's answer as ``kg papers`` ranks it
(:mod:`kg.diff.answers`); and the problems ``kg check`` would newly report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.model import Corpus, Problem
from kg.text import bare_doi, fold

if TYPE_CHECKING:  # pragma: no cover
    from kg.diff.answers import AnswerChange
    from kg.diff.states import Names, State

#: The order items are listed in, within each group.
STATUSES: tuple[str, ...] = ("added", "removed", "renamed", "changed")


@dataclass
class FieldChange:
    """One field's value before and after ("" when it was not there)."""

    name: str
    old: str
    new: str

    def as_dict(self) -> dict:
        """JSON shape."""
        return {"field": self.name, "old": self.old, "new": self.new}


@dataclass
class Item:
    """One thing added, removed, renamed or changed: a paper, a concept, a link..."""

    id: str  # a node id ("paper:KEY"), or "SOURCE -> TARGET" for links and relations
    label: str  # in words: "Bordin (1979)", "Self-care → Killian et al. (2017)"
    status: str  # one of STATUSES
    fields: list[FieldChange] = field(default_factory=list)
    detail: str = ""  # what an added or removed item is: a paper's title, a link's strength
    old_id: str = ""  # a renamed paper's former node id
    matched_by: str = ""  # how a rename was recognised: "DOI" or "title"
    #: The nodes of the map this change is about (the new state's ids).
    nodes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """JSON shape (empty parts left out)."""
        shape: dict = {"id": self.id, "label": self.label, "status": self.status}
        if self.fields:
            shape["fields"] = [change.as_dict() for change in self.fields]
        if self.detail:
            shape["detail"] = self.detail
        if self.old_id:
            shape["old_id"] = self.old_id
            shape["matched_by"] = self.matched_by
        return shape


@dataclass
class Changes:
    """Everything that differs between two states, group by group."""

    old: str  # how the states are named: "HEAD~1 (1a2b3c4)", "the working tree"
    new: str
    papers: list[Item] = field(default_factory=list)
    authors: list[Item] = field(default_factory=list)
    concepts: list[Item] = field(default_factory=list)
    objectives: list[Item] = field(default_factory=list)
    relations: list[Item] = field(default_factory=list)
    quotes: list[Item] = field(default_factory=list)
    links: list[Item] = field(default_factory=list)
    answers: list[AnswerChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # new in the new state
    fixed_problems: int = 0  # problems of the old state gone from the new one
    #: Citation keys renamed, old -> new.
    renamed: dict[str, str] = field(default_factory=dict)

    #: The groups of items, in the order reports list them.
    GROUPS = ("papers", "authors", "concepts", "objectives", "relations", "quotes", "links")

    def groups(self) -> list[tuple[str, list[Item]]]:
        """``(name, items)`` for every group of items, in report order."""
        return [(name, getattr(self, name)) for name in self.GROUPS]

    def __bool__(self) -> bool:
        return any(items for _, items in self.groups()) or bool(self.answers or self.problems)

    def as_dict(self) -> dict:
        """The whole comparison as plain data (``kg diff --format json``)."""
        shape: dict = {"old": self.old, "new": self.new, "different": bool(self)}
        for name, items in self.groups():
            shape[name] = {
                status: [item.as_dict() for item in items if item.status == status]
                for status in STATUSES
                if status != "renamed" or name == "papers"
            }
        shape["answers"] = [answer.as_dict() for answer in self.answers]
        shape["problems"] = {
            "new": [dict(problem.as_dict(), column=problem.column) for problem in self.problems],
            "fixed": self.fixed_problems,
        }
        return shape


def compare(old: State, new: State) -> Changes:
    """What changed from ``old`` to ``new`` (see the module's docstring)."""
    from kg.diff.answers import compare_answers
    from kg.diff.states import Names

    changes = Changes(old=old.label, new=new.label)
    names = Names(old.graph, new.graph)
    changes.papers, changes.renamed = _papers(old.corpus, new.corpus, names)
    changes.authors = _authors(old.corpus, new.corpus)
    changes.concepts = _records(
        old.corpus.concepts, new.corpus.concepts, "concept", names, _concept_fields
    )
    changes.objectives = _records(
        old.corpus.objectives, new.corpus.objectives, "objective", names, _objective_fields
    )
    changes.quotes = _records(
        old.corpus.quotes, new.corpus.quotes, "quote", names, _quote_fields(changes.renamed)
    )
    changes.relations = _relations(old.corpus, new.corpus, names)
    changes.links = _links(old.corpus, new.corpus, changes.renamed, names)
    changes.answers = compare_answers(old.graph, new.graph, changes.renamed, names)
    changes.problems, changes.fixed_problems = _problems(old.corpus, new.corpus)
    return changes


# ---------------------------------------------------------------- papers and authors


def _papers(old: Corpus, new: Corpus, names: Names) -> tuple[list[Item], dict[str, str]]:
    """Papers added, removed, renamed and changed; and the renames, old key -> new key."""
    gone = [key for key in old.papers if key not in new.papers]
    arrived = [key for key in new.papers if key not in old.papers]
    renamed: dict[str, str] = {}
    matched_by: dict[str, str] = {}
    for how, identity in (("DOI", _doi_of), ("title", _title_of)):
        # Indexed, so that a bibliography whose every key changed is matched in linear time.
        candidates: dict[str, list[str]] = {}
        for new_key in arrived:
            if new_key not in renamed.values() and identity(new.papers[new_key]):
                candidates.setdefault(identity(new.papers[new_key]), []).append(new_key)
        taken = set(renamed.values())
        for old_key in gone:
            if old_key in renamed:
                continue
            for new_key in candidates.get(identity(old.papers[old_key]), []):
                if new_key not in taken:
                    renamed[old_key], matched_by[old_key] = new_key, how
                    taken.add(new_key)
                    break
    items = [
        Item(
            f"paper:{key}",
            names.label(f"paper:{key}"),
            "added",
            detail=new.papers[key].title,
            nodes=(f"paper:{key}",),
        )
        for key in arrived
        if key not in renamed.values()
    ]
    items += [
        Item(f"paper:{key}", names.label(f"paper:{key}"), "removed", detail=old.papers[key].title)
        for key in gone
        if key not in renamed
    ]
    for old_key, new_key in renamed.items():
        items.append(
            Item(
                f"paper:{new_key}",
                names.label(f"paper:{new_key}"),
                "renamed",
                fields=_field_changes(old.papers[old_key].fields, new.papers[new_key].fields),
                old_id=f"paper:{old_key}",
                matched_by=matched_by[old_key],
                nodes=(f"paper:{new_key}",),
            )
        )
    for key, paper in new.papers.items():
        if key in old.papers:
            fields = _field_changes(old.papers[key].fields, paper.fields)
            if fields:
                node = f"paper:{key}"
                items.append(Item(node, names.label(node), "changed", fields, nodes=(node,)))
    return _in_status_order(items), renamed


def _doi_of(paper) -> str:
    return bare_doi(paper.doi).casefold()


def _title_of(paper) -> str:
    return fold(paper.title)


def _field_changes(old: dict[str, str], new: dict[str, str]) -> list[FieldChange]:
    """Each field whose value differs, in the new entry's order, then the fields it dropped."""
    names = list(new) + [name for name in old if name not in new]
    return [
        FieldChange(name, old.get(name, ""), new.get(name, ""))
        for name in names
        if old.get(name, "") != new.get(name, "")
    ]


def _authors(old: Corpus, new: Corpus) -> list[Item]:
    """People who appear in, or disappear from, the bibliography."""
    items = [
        Item(f"author:{author_id}", author.name, "added", nodes=(f"author:{author_id}",))
        for author_id, author in sorted(new.authors.items())
        if author_id not in old.authors
    ]
    items += [
        Item(f"author:{author_id}", author.name, "removed")
        for author_id, author in sorted(old.authors.items())
        if author_id not in new.authors
    ]
    return items


# ---------------------------------------------------------------- concepts, objectives, quotes


def _records(old: dict, new: dict, kind: str, names: Names, fields_of) -> list[Item]:
    """Records of one kind (concepts, objectives, quotes) added, removed or reworded."""
    items = []
    for record_id in new:
        node = f"{kind}:{record_id}"
        if record_id not in old:
            items.append(Item(node, names.name(node), "added", nodes=(node,)))
            continue
        before, after = fields_of(old[record_id]), fields_of(new[record_id])
        fields = [
            FieldChange(name, before[name], after[name])
            for name in after
            if before[name] != after[name]
        ]
        if fields:
            items.append(Item(node, names.name(node), "changed", fields, nodes=(node,)))
    items += [
        Item(f"{kind}:{record_id}", names.name(f"{kind}:{record_id}"), "removed")
        for record_id in old
        if record_id not in new
    ]
    return _in_status_order(items)


def _concept_fields(concept) -> dict[str, str]:
    return {
        "label": concept.label,
        "definition": concept.definition,
        "aliases": ", ".join(concept.aliases),
    }


def _objective_fields(objective) -> dict[str, str]:
    return {"domain": objective.domain, "text": objective.text}


def _quote_fields(renamed: dict[str, str]):
    """The fields of a quote, its source read through the renames (a rename is not a change)."""

    def fields(quote) -> dict[str, str]:
        return {
            "text": quote.text,
            "speaker": quote.speaker,
            "source": renamed.get(quote.source, quote.source),
            "page": quote.page,
            "note": quote.note,
            "concepts": ", ".join(quote.concepts),
            "objectives": ", ".join(quote.objectives),
        }

    return fields


# ---------------------------------------------------------------- relations and links


def _relations(old: Corpus, new: Corpus, names: Names) -> list[Item]:
    """Relations between concepts added, removed, or given another reason."""

    def relations(corpus: Corpus) -> dict[tuple[str, str, str], str]:
        found: dict[tuple[str, str, str], str] = {}
        for concept_id, concept in corpus.concepts.items():
            for relation in concept.relations:
                key = (f"concept:{concept_id}", relation.type, f"concept:{relation.target}")
                found.setdefault(key, relation.reason)
        return found

    from kg.query import RELATION_TYPE_PHRASES

    def item(key, status, **extra) -> Item:
        source, kind, target = key
        phrase = RELATION_TYPE_PHRASES.get(kind, kind.replace("-", " "))
        label = f"{names.name(source)} {phrase} {names.name(target)}"
        return Item(f"{source} {kind} {target}", label, status, nodes=(source, target), **extra)

    return _paired(relations(old), relations(new), item, lambda o, n: _changed("reason", o, n))


def _links(old: Corpus, new: Corpus, renamed: dict[str, str], names: Names) -> list[Item]:
    """Evidence links (concept → paper, objective → concept, objective → paper) compared."""

    def links(corpus: Corpus, keys: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
        found: dict[tuple[str, str], tuple[str, str]] = {}
        for concept_id, concept in corpus.concepts.items():
            for link in concept.papers:
                paper = f"paper:{keys.get(link.target, link.target)}"
                found.setdefault((f"concept:{concept_id}", paper), (link.strength, link.reason))
        for objective_id, objective in corpus.objectives.items():
            source = f"objective:{objective_id}"
            for link in objective.concepts:
                found.setdefault((source, f"concept:{link.target}"), (link.strength, link.reason))
            for link in objective.papers:
                paper = f"paper:{keys.get(link.target, link.target)}"
                found.setdefault((source, paper), (link.strength, link.reason))
        return found

    def item(key, status, **extra) -> Item:
        source, target = key
        label = f"{names.name(source)} → {names.name(target)}"
        return Item(f"{source} -> {target}", label, status, nodes=(source, target), **extra)

    def fields(before: tuple[str, str], after: tuple[str, str]) -> list[FieldChange]:
        return _changed("strength", before[0], after[0]) + _changed("reason", before[1], after[1])

    return _paired(links(old, renamed), links(new, {}), item, fields, describe=_link_detail)


def _link_detail(value: tuple[str, str]) -> str:
    strength, reason = value
    return f"{strength}: {reason}" if reason else strength


def _changed(name: str, old: str, new: str) -> list[FieldChange]:
    return [FieldChange(name, old, new)] if old != new else []


def _paired(old: dict, new: dict, make, fields_of, describe=str) -> list[Item]:
    """Items for keys only in ``new`` (added), only in ``old`` (removed), or whose value differs."""
    items = []
    for key, value in new.items():
        if key not in old:
            items.append(make(key, "added", detail=describe(value)))
        else:
            fields = fields_of(old[key], value)
            if fields:
                items.append(make(key, "changed", fields=fields))
    items += [
        make(key, "removed", detail=describe(value)) for key, value in old.items() if key not in new
    ]
    return _in_status_order(items)


def _in_status_order(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda item: STATUSES.index(item.status))  # stable: file order kept


# ---------------------------------------------------------------- problems

_LINE_NUMBER = re.compile(r":\d+\b")


def _problems(old: Corpus, new: Corpus) -> tuple[list[Problem], int]:
    """Problems the new state has that the old one had not, and how many of the old are gone.

    A problem is the same when its file (bibliography or concepts file), its
    severity, its code and its message are, wherever it now stands: lines move.
    """

    def signature(corpus: Corpus, problem: Problem) -> tuple[str, str, str, str]:
        role = "bibliography" if problem.file == corpus.bib_path else "concepts"
        return (role, problem.severity, problem.code, _LINE_NUMBER.sub(":", problem.message))

    before = Counter(signature(old, problem) for problem in old.problems)
    after = Counter(signature(new, problem) for problem in new.problems)
    fresh = []
    seen: Counter = Counter()
    for problem in new.problems:
        key = signature(new, problem)
        seen[key] += 1
        if seen[key] > before[key]:
            fresh.append(problem)
    fixed = sum((before - after).values())
    ordered = sorted(fresh, key=lambda p: (p.file != new.bib_path, p.file, p.line or 0))
    return ordered, fixed
