"""What the side panel lists for each node: its fields and its links, strongest first.

Plain text only (the page escapes it). An objective's papers come in the
order of :mod:`kg.query.ranking`, the order every command gives.
"""

from __future__ import annotations

from kg.graph import split_node_id
from kg.model import strength_rank, weakest


def panel_ref(graph, node: str, **extra) -> dict:
    """A reference to another node for the panel: its id, kind and label."""
    attrs = graph.nodes[node]
    ref = {"id": node, "kind": attrs.get("kind", ""), "label": attrs.get("label", node)}
    ref.update({key: value for key, value in extra.items() if value not in (None, "")})
    return ref


def _by_strength(refs: list[dict]) -> list[dict]:
    """Sort panel references strongest first, then by label."""
    return sorted(
        refs,
        key=lambda ref: (
            strength_rank(ref.get("strength", "inferred")),
            ref["label"].lower(),
            ref["id"],
        ),
    )


def panel_details(graph, node: str, citations: dict[str, str], collapsed=frozenset()) -> dict:
    """What the side panel shows for ``node`` (plain text only: the page escapes it)."""
    attrs = graph.nodes[node]
    kind, key = split_node_id(node)
    details = {"kind": kind, "label": attrs.get("label", key)}
    incoming = sorted(graph.in_edges(node, data=True), key=lambda edge: edge[0])
    outgoing = sorted(graph.out_edges(node, data=True), key=lambda edge: edge[1])
    if kind == "paper":
        details["key"] = key
        citation = citations.get(key, "")
        details.update(_paper_panel(graph, node, attrs, incoming, outgoing, citation, collapsed))
    elif kind == "concept":
        details.update(_concept_panel(graph, attrs, incoming, outgoing))
    elif kind == "objective":
        details.update(_objective_panel(graph, node, attrs, incoming, outgoing))
    elif kind == "quote":
        details.update(_quote_panel(graph, attrs, outgoing))
    elif kind == "author":
        details.update(aliases=_split(attrs.get("aliases", "")))
        details["papers"] = sorted(
            (
                panel_ref(graph, other, role=a.get("role"))
                for _, other, a in outgoing
                if a.get("relation") == "wrote"
            ),
            key=lambda ref: (ref["label"].lower(), ref["id"]),
        )
    return details


def _evidence(graph, edge_attrs: dict, other: str) -> dict:
    """A reference to ``other`` with the strength and reason of the link to it."""
    return panel_ref(
        graph,
        other,
        strength=edge_attrs.get("strength", "inferred"),
        reason=edge_attrs.get("reason"),
    )


def _paper_panel(graph, node: str, attrs, incoming, outgoing, citation: str, collapsed) -> dict:
    """A paper's fields, its people in order, its concepts, objectives and quotes."""
    people = sorted(
        incoming, key=lambda edge: (edge[2].get("role", ""), edge[2].get("position", 0))
    )
    return {
        "title": attrs.get("title", ""),
        "year": str(attrs.get("year", "")),
        "venue": attrs.get("venue", ""),
        "citation": citation,
        "doi": attrs.get("doi", ""),
        "url": attrs.get("url", ""),
        "abstract": attrs.get("abstract", ""),
        "note": attrs.get("note", ""),
        "people": [
            panel_ref(graph, other, role=edge_attrs.get("role"), inside=other in collapsed or None)
            for other, _, edge_attrs in people
            if edge_attrs.get("relation") == "wrote"
        ],
        "concepts": _by_strength(
            [
                _evidence(graph, a, other)
                for _, other, a in outgoing
                if a.get("relation") == "discusses"
            ]
        ),
        "objectives": _by_strength(
            [
                _evidence(graph, a, other)
                for _, other, a in outgoing
                if a.get("relation") == "supports"
            ]
            + _objectives_through_concepts(graph, node, outgoing)
        ),
        "quotes": [
            panel_ref(graph, other) for other, _, a in incoming if a.get("relation") == "quotes"
        ],
    }


def _concept_panel(graph, attrs, incoming, outgoing) -> dict:
    """A concept's definition and aliases, related concepts, papers, objectives and quotes."""
    related = [
        panel_ref(graph, other, type=a.get("type"), reason=a.get("reason"))
        for _, other, a in outgoing
        if a.get("relation") == "related"
    ]
    related += [
        panel_ref(graph, other, type=a.get("type"), reason=a.get("reason"))
        for other, _, a in incoming
        if a.get("relation") == "related"
    ]
    return {
        "definition": attrs.get("definition", ""),
        "aliases": _split(attrs.get("aliases", "")),
        "related": sorted(related, key=lambda ref: (ref["label"].lower(), ref["id"])),
        "papers": _by_strength(
            [
                _evidence(graph, a, other)
                for other, _, a in incoming
                if a.get("relation") == "discusses"
            ]
        ),
        "objectives": _by_strength(
            [
                _evidence(graph, a, other)
                for other, _, a in incoming
                if a.get("relation") == "covers"
            ]
        ),
        "quotes": [
            panel_ref(graph, other)
            for other, _, a in incoming
            if a.get("relation") == "illustrates"
        ],
    }


def _objective_panel(graph, node: str, attrs, incoming, outgoing) -> dict:
    """An objective's text, its concepts, its papers in the ranking model's order, its quotes."""
    return {
        "text": attrs.get("text", ""),
        "domain": attrs.get("domain", ""),
        "concepts": _by_strength(
            [
                _evidence(graph, a, other)
                for _, other, a in outgoing
                if a.get("relation") == "covers"
            ]
        ),
        "papers": _objective_papers(graph, node, incoming, outgoing),
        "quotes": [
            panel_ref(graph, other)
            for other, _, a in incoming
            if a.get("relation") == "illustrates"
        ],
    }


def _quote_panel(graph, attrs, outgoing) -> dict:
    """A quote's text and speaker, its source, and what it illustrates."""
    return {
        "text": attrs.get("text", ""),
        "speaker": attrs.get("speaker", ""),
        "page": str(attrs.get("page", "")),
        "note": attrs.get("note", ""),
        "source": [
            panel_ref(graph, other) for _, other, a in outgoing if a.get("relation") == "quotes"
        ],
        "illustrates": [
            panel_ref(graph, other)
            for _, other, a in outgoing
            if a.get("relation") == "illustrates"
        ],
    }


def _split(value) -> list[str]:
    """Undo the graph's ``"; "`` joining of list attributes."""
    from kg.graph import LIST_SEPARATOR

    return [part for part in str(value).split(LIST_SEPARATOR) if part] if value else []


def _objectives_through_concepts(graph, paper: str, outgoing) -> list[dict]:
    """Objectives a paper supports through a concept it discusses (chain = weakest link)."""
    direct = {other for _, other, a in outgoing if a.get("relation") == "supports"}
    best: dict[str, dict] = {}
    for _, concept, discusses in outgoing:
        if discusses.get("relation") != "discusses":
            continue
        for objective, _, covers in graph.in_edges(concept, data=True):
            if covers.get("relation") != "covers" or objective in direct:
                continue
            strength = weakest(
                discusses.get("strength", "inferred"), covers.get("strength", "inferred")
            )
            label = graph.nodes[concept].get("label", concept)
            candidate = panel_ref(graph, objective, strength=strength, via=label)
            known = best.get(objective)
            if known is None or strength_rank(strength) < strength_rank(known["strength"]):
                best[objective] = candidate
    return [best[objective] for objective in sorted(best)]


def _objective_papers(graph, objective: str, incoming, outgoing) -> list[dict]:
    """Papers behind an objective, directly or through its concepts, strongest first, with reasons."""
    best: dict[str, dict] = {}

    def offer(paper, strength, reason, via=None):
        candidate = panel_ref(graph, paper, strength=strength, reason=reason, via=via)
        known = best.get(paper)
        if known is None or strength_rank(strength) < strength_rank(known["strength"]):
            best[paper] = candidate

    for paper, _, supports in incoming:
        if supports.get("relation") == "supports":
            offer(paper, supports.get("strength", "inferred"), supports.get("reason"))
    for _, concept, covers in outgoing:
        if covers.get("relation") != "covers":
            continue
        concept_label = graph.nodes[concept].get("label", concept)
        for paper, _, discusses in sorted(
            graph.in_edges(concept, data=True), key=lambda edge: edge[0]
        ):
            if discusses.get("relation") != "discusses":
                continue
            strength = weakest(
                covers.get("strength", "inferred"), discusses.get("strength", "inferred")
            )
            offer(paper, strength, discusses.get("reason"), via=concept_label)
    # The order every command gives: kg.query's ranking model, not strength alone.
    from kg.query import is_seed, papers_for_objective

    order = {match.node: rank for rank, match in enumerate(papers_for_objective(graph, objective))}
    for ref in best.values():
        if is_seed(graph, ref["id"]):
            ref["seed"] = True  # shown as a badge: on the workshop's list, not more relevant
    return sorted(best.values(), key=lambda ref: order.get(ref["id"], len(order)))
