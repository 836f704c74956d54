"""Where each node of the page goes: the layout's inputs taken from the graph, and its finish.

Edges pull by evidence strength, nodes ask for room by kind, and every node's
drawn size is estimated so that labels do not overlap. Authors may be set
beside their papers after the layout, and names drawn larger on the whole map
get room around them.
"""

from __future__ import annotations

import math

from kg.drawing.styles import (
    KIND_STYLES,
    WRAP_WIDTH,
    cluster_text_size,
    concept_text_size,
    display_label,
)

#: How hard an edge pulls in the layout.
LAYOUT_PULL = {"supported": 1.0, "weak": 0.7, "inferred": 0.5}
#: How much room a node asks for in the layout.
LAYOUT_WEIGHT = {"objective": 2.2, "concept": 1.7, "quote": 1.2, "paper": 1.0, "author": 0.6}


def place_nodes(
    graph, nodes, edges, *, large: bool, authors_aside: bool, shared=(), hubs=None, previous=None
) -> dict[str, tuple[int, int]]:
    """Frozen positions for every node.

    When authors start hidden and the map has concepts (or papers linked by
    shared authors and keywords, ``shared``), the layout is computed without
    them (so hiding them leaves no holes) and each author is then put beside
    their papers. A small bibliography-only map has no other structure than
    authorship, so there the authors take part in the layout. Nodes in
    ``previous`` keep their earlier place. ``hubs`` maps a cluster's name node
    to its papers: the name is laid out with them, tied to each, which holds
    the cluster together and leaves room for the name in its middle.
    """
    from kg.drawing.layout import force_layout, place_satellites

    kinds = {node: graph.nodes[node].get("kind", "paper") for node in nodes}
    has_concepts = any(kind in ("concept", "objective") for kind in kinds.values())
    aside = authors_aside and (has_concepts or bool(shared))
    core = [node for node in nodes if not (aside and kinds[node] == "author")]
    core_set = set(core)
    layout_edges = [
        (source, target, _pull(attrs))
        for source, target, attrs in edges
        if source in core_set and target in core_set
    ]
    layout_edges += [(link["from"], link["to"], link["pull"]) for link in shared]
    hubs = hubs or {}
    for hub, members in hubs.items():
        layout_edges += [(hub, paper, HUB_PULL) for paper in members]
    previous = previous or {}
    boxes = {node: _box(graph.nodes[node], large, concept_text_size(graph, node)) for node in core}
    for hub, members in hubs.items():
        boxes[hub] = _cluster_box(len(members))
    weights = {node: LAYOUT_WEIGHT.get(kinds.get(node, "cluster"), 1.0) for node in core}
    kept = {node: xy for node, xy in previous.items() if node in core_set}
    by_cluster = large and bool(hubs) and not kept
    if by_cluster:
        from kg.drawing.clustered import clustered_layout

        # Inside a cluster each paper takes the room of its whole label, so that an opened
        # cluster's labels are drawn without overlapping at any zoom that draws them.
        footprints = {
            node: _box(graph.nodes[node], False, _text_size(graph, node, large))
            for node in core
            if kinds[node] == "paper"
        }
        positions = clustered_layout(
            core + sorted(hubs),
            layout_edges,
            hubs,
            weights=weights,
            boxes=boxes | {hub: boxes[hub] for hub in hubs},
            footprints=footprints,
            edge_length=60.0,
        )
    else:
        positions = force_layout(
            core + sorted(hubs),
            layout_edges,
            weights=weights,
            boxes=boxes,
            edge_length=60.0 if large else 70.0,
            previous=kept,
        )
    texts = {node: _text_size(graph, node, large) for node in core if kinds[node] in GROWING_KINDS}
    texts.update({hub: cluster_text_size(len(members)) for hub, members in hubs.items()})
    if by_cluster:
        pass  # the whole map shows each cluster closed: its name, not its papers' labels
    elif not previous:
        positions = _room_for_whole_view_labels(positions, boxes, texts)
    elif hubs:
        # Kept places stay; cluster names (never kept) make room among themselves.
        named = {hub: positions[hub] for hub in hubs}
        positions.update(
            _room_for_whole_view_labels(named, boxes, texts, extent_of=positions, widen=False)
        )
    if aside:
        satellites = {
            node: [
                target
                for _, target, attrs in sorted(graph.out_edges(node, data=True))
                if attrs.get("relation") == "wrote"
            ]
            for node in nodes
            if kinds[node] == "author"
        }
        positions.update(place_satellites(positions, satellites))
        for node in nodes:  # an author of no placed paper still needs a place
            positions.setdefault(node, (0, 0))
        for node in nodes:
            if kinds[node] == "author" and node in previous:
                positions[node] = tuple(round(value) for value in previous[node])
    return positions


#: The screen a map is designed for, and the room the toolbar, the legend and margins take from it.
DESIGN_VIEW = (1280 - 250 - 28, 720 - 48 - 28)
#: On the whole map, concept, objective and cluster names are drawn at least this high on screen.
LEGIBLE_ON_WHOLE_MAP = 12
#: Labels grow at most this many times their own size when the map is zoomed out.
MOST_GROWTH = 4.0


def _room_for_whole_view_labels(
    positions, boxes, texts, *, extent_of=None, widen: bool = True
) -> dict[str, tuple[int, int]]:
    """Make room for names drawn larger on the whole map (``texts``: their own text sizes).

    Zoomed out to the whole map at the design size, the page draws concept,
    objective and cluster names larger so that they stay legible
    (:data:`LEGIBLE_ON_WHOLE_MAP` pixels). Here their boxes grow by the same
    factor and ``positions`` are spread until none overlaps; a larger map then
    fits at a smaller scale, so this is repeated a few times. The map's
    extent (hence its scale) is that of ``extent_of`` when given (the whole
    map, when only some of its nodes may move); ``widen`` lets the layout
    stretch sideways towards the screen's shape.
    """
    from kg.drawing.overlap import separate_boxes

    growing = [node for node in positions if node in texts]
    if not growing or len(positions) < 2:
        return positions
    for _ in range(3):
        whole = extent_of or positions
        left = min(whole[n][0] - boxes.get(n, (20, 20))[0] / 2 for n in whole)
        right = max(whole[n][0] + boxes.get(n, (20, 20))[0] / 2 for n in whole)
        top = min(whole[n][1] - boxes.get(n, (20, 20))[1] / 2 for n in whole)
        bottom = max(whole[n][1] + boxes.get(n, (20, 20))[1] / 2 for n in whole)
        scale = min(
            DESIGN_VIEW[0] / max(1, right - left), DESIGN_VIEW[1] / max(1, bottom - top), 1.2
        )
        grown = dict(boxes)
        changed = False
        for node in growing:
            base = texts[node]
            factor = min(MOST_GROWTH, LEGIBLE_ON_WHOLE_MAP / (base * scale))
            if factor > 1.02:
                width, height = boxes[node]
                grown[node] = (width * factor, height * factor)
                changed = True
        if not changed:
            break
        positions = separate_boxes(positions, grown, rounds=40 if len(positions) > 2000 else 120)
        if widen:
            positions = _widen(positions, grown)
    return positions


def _widen(positions, boxes) -> dict[str, tuple[int, int]]:
    """Stretch a layout sideways towards the shape of the design view (gaps only grow)."""
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    wanted = DESIGN_VIEW[0] / DESIGN_VIEW[1]
    if not width or not height or width >= wanted * height:
        return positions
    stretch = min(wanted * height / width, 1.6)
    middle = (max(xs) + min(xs)) / 2
    return {node: (round(middle + (x - middle) * stretch), y) for node, (x, y) in positions.items()}


#: Kinds whose names grow on a zoomed-out map.
GROWING_KINDS = ("concept", "objective", "cluster")

#: How hard a cluster's name holds each of its papers in the layout.
HUB_PULL = 0.3


def _cluster_box(papers: int) -> tuple[float, float]:
    """Approximate drawn size of a cluster's name (two lines at most)."""
    size = cluster_text_size(papers)
    return min(420.0, 16 * size * 0.55), 2 * size * 1.25


def _pull(attrs: dict) -> float:
    """Layout pull of an edge: stronger evidence holds nodes closer."""
    if attrs.get("relation") == "wrote":
        return 1.2
    if attrs.get("relation") == "related":
        return 0.6
    return LAYOUT_PULL.get(attrs.get("strength", ""), 0.8)


def _text_size(graph, node: str, large: bool) -> int:
    """The text size a node's label is drawn at on its own (before the page enlarges it)."""
    kind = graph.nodes[node].get("kind", "paper")
    if kind == "concept":
        return concept_text_size(graph, node)
    return KIND_STYLES.get(kind, KIND_STYLES["paper"])["text"] - (2 if large else 0)


def _box(attrs: dict, large: bool, text_size: int | None = None) -> tuple[float, float]:
    """Approximate drawn size (width, height) of a node with its label, in pixels."""
    kind = attrs.get("kind", "paper")
    size = text_size or KIND_STYLES.get(kind, KIND_STYLES["paper"])["text"]
    label = display_label(attrs)
    char = size * 0.55
    wrap = WRAP_WIDTH.get(kind, 150)
    width = min(len(label) * char, wrap)
    # Word wrapping leaves lines part empty: count on lines four-fifths full.
    lines = max(1, math.ceil(len(label) * char / (wrap * 0.8)))
    text_height = lines * size * 1.25
    if kind in ("objective", "concept"):
        return width + 26, text_height + 18
    marker = 22 if kind != "author" else 16
    if large:
        return max(width * 0.5, marker), marker + size
    # The label hangs below the marker; the box is centred on the marker, so count it twice.
    return max(width, marker), marker + 2 * (text_height + 4)
