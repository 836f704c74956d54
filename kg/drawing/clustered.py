"""Layout of a large map by clusters: each cluster on its own, then the clusters among themselves.

A force-directed layout of thousands of papers at once costs time that grows
faster than the map, and most of it is spent pushing apart labels nobody
reads at the whole-map view. A map with named clusters is laid out in two
levels instead: each cluster's papers (and its name) get their own layout
(:func:`kg.drawing.layout.force_layout`), the papers in no cluster get one
together, and these blocks are then laid out as single nodes, pulled
together by the links between them and kept from overlapping. Each level
handles few nodes, so the whole grows close to linearly with the map, and a
cluster opened on the page shows its papers where the layout put them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from kg.drawing.layout import force_layout
from kg.drawing.overlap import separate_boxes
from kg.drawing.sunflower import sunflower

#: Blocks closer than this fraction of the mean block's span are pushed apart.
BLOCK_GAP = 0.08
#: Clusters up to this size get a force-directed layout; larger ones a spiral (linear time).
FORCES_UP_TO = 30


def clustered_layout(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str, float]],
    clusters: Mapping[str, Sequence[str]],
    *,
    weights: Mapping[str, float],
    boxes: Mapping[str, tuple[float, float]],
    footprints: Mapping[str, tuple[float, float]] | None = None,
    edge_length: float,
) -> dict[str, tuple[int, int]]:
    """Integer positions for ``nodes``, laid out cluster by cluster.

    ``footprints`` (default ``boxes``) is the room a node takes inside a
    large cluster: its marker and whole label, so that none overlaps another.

    ``clusters`` maps a cluster's name node (one of ``nodes``) to its
    members; every other node belongs to the block of nodes in no cluster.
    ``edges``, ``weights``, ``boxes`` and ``edge_length`` are as for
    :func:`kg.drawing.layout.force_layout`. The result depends only on the
    arguments.
    """
    block_of: dict[str, str] = {}
    for hub in sorted(clusters):
        block_of[hub] = hub
        for member in clusters[hub]:
            block_of.setdefault(member, hub)
    rest = "rest"
    members: dict[str, list[str]] = {}
    for node in nodes:
        members.setdefault(block_of.get(node, rest), []).append(node)
    inside: dict[str, list[tuple[str, str, float]]] = {block: [] for block in members}
    between: dict[tuple[str, str], float] = {}
    for source, target, strength in edges:
        first, second = block_of.get(source, rest), block_of.get(target, rest)
        if first == second:
            inside[first].append((source, target, strength))
        else:
            pair = (min(first, second), max(first, second))
            between[pair] = between.get(pair, 0.0) + strength
    room = {**boxes, **(footprints or {})}
    local = {
        block: force_layout(
            members[block],
            inside[block],
            weights=weights,
            boxes=room,
            edge_length=edge_length,
            simulate_up_to=FORCES_UP_TO,
        )
        if block == rest or len(members[block]) <= FORCES_UP_TO
        else sunflower(members[block], inside[block], block, room)
        for block in sorted(members)
    }
    offsets = _place_blocks(local, between, room)
    return {
        node: (x + offsets[block][0], y + offsets[block][1])
        for block, placed in local.items()
        for node, (x, y) in placed.items()
    }


def _place_blocks(
    local: Mapping[str, Mapping[str, tuple[int, int]]],
    between: Mapping[tuple[str, str], float],
    boxes: Mapping[str, tuple[float, float]],
) -> dict[str, tuple[int, int]]:
    """Where each block's middle goes: blocks as nodes the size of their extent, linked by weight."""
    spans: dict[str, tuple[float, float]] = {}
    middles: dict[str, tuple[float, float]] = {}
    for block, placed in local.items():
        left = min(x - boxes.get(node, (20, 20))[0] / 2 for node, (x, _) in placed.items())
        right = max(x + boxes.get(node, (20, 20))[0] / 2 for node, (x, _) in placed.items())
        top = min(y - boxes.get(node, (20, 20))[1] / 2 for node, (_, y) in placed.items())
        bottom = max(y + boxes.get(node, (20, 20))[1] / 2 for node, (_, y) in placed.items())
        # A closed cluster is drawn as a disc around its middle: give the block that disc's room.
        middle_x, middle_y = placed.get(block, ((left + right) / 2, (top + bottom) / 2))
        reach = max(math.hypot(x - middle_x, y - middle_y) for x, y in placed.values())
        side = 2 * max(
            reach + 40, middle_x - left, right - middle_x, middle_y - top, bottom - middle_y
        )
        spans[block] = (side, side)
        middles[block] = (middle_x, middle_y)
    mean_span = sum(max(span) for span in spans.values()) / len(spans)
    gap = BLOCK_GAP * mean_span
    strongest = max(between.values(), default=1.0)
    room = {block: (width + gap, height + gap) for block, (width, height) in spans.items()}
    links = [(a, b, 0.2 + 0.8 * weight / strongest) for (a, b), weight in sorted(between.items())]
    placed_blocks = force_layout(
        sorted(local), links + _gathering(sorted(local), between), boxes=room, edge_length=mean_span
    )
    # Discs must never cover each other: settle what the layout's own rounds left.
    placed_blocks = separate_boxes(
        {block: (float(x), float(y)) for block, (x, y) in placed_blocks.items()}, room, rounds=400
    )
    return {
        block: (
            round(placed_blocks[block][0] - middles[block][0]),
            round(placed_blocks[block][1] - middles[block][1]),
        )
        for block in local
    }


#: How strongly a block linked to no other is drawn to the rest (a link's pull is 0.2 to 1).
GATHERING_PULL = 0.2


def _gathering(
    blocks: Sequence[str], between: Mapping[tuple[str, str], float]
) -> list[tuple[str, str, float]]:
    """Weak links from each block linked to no other to every linked block (or to each other).

    Left alone, the layout packs unlinked parts in rows beside the rest: on a
    map of clusters, a grid of small discs far from everything else. Drawn
    lightly towards the whole of the rest, they settle around its edge.
    """
    linked_set = {block for pair in between for block in pair}
    linked = sorted(linked_set)
    loose = [block for block in blocks if block not in linked_set]
    if not linked:  # nothing linked: the blocks gather among themselves
        pull = GATHERING_PULL / max(1, len(loose) - 1)
        return [(a, b, pull) for number, a in enumerate(loose) for b in loose[number + 1 :]]
    pull = GATHERING_PULL / len(linked)
    return [(block, other, pull) for block in loose for other in linked]
