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
from kg.drawing.overlap import push_apart

#: Blocks closer than this fraction of the mean block's span are pushed apart.
BLOCK_GAP = 0.08
#: Clusters up to this size get a force-directed layout; larger ones a spiral (linear time).
FORCES_UP_TO = 30
#: The golden angle: successive points of a sunflower spiral never line up.
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


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
    local = {
        block: force_layout(
            members[block],
            inside[block],
            weights=weights,
            boxes=boxes,
            edge_length=edge_length,
        )
        if block == rest or len(members[block]) <= FORCES_UP_TO
        else sunflower(members[block], inside[block], block, {**boxes, **(footprints or {})})
        for block in sorted(members)
    }
    offsets = _place_blocks(local, between, boxes)
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
        spans[block] = (right - left, bottom - top)
        middles[block] = ((left + right) / 2, (top + bottom) / 2)
    mean_span = sum(max(span) for span in spans.values()) / len(spans)
    gap = BLOCK_GAP * mean_span
    strongest = max(between.values(), default=1.0)
    placed_blocks = force_layout(
        sorted(local),
        [(a, b, 0.2 + 0.8 * weight / strongest) for (a, b), weight in sorted(between.items())],
        boxes={block: (width + gap, height + gap) for block, (width, height) in spans.items()},
        edge_length=mean_span,
    )
    return {
        block: (
            round(placed_blocks[block][0] - middles[block][0]),
            round(placed_blocks[block][1] - middles[block][1]),
        )
        for block in local
    }


def sunflower(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str, float]],
    middle: str,
    boxes: Mapping[str, tuple[float, float]],
) -> dict[str, tuple[int, int]]:
    """A cluster on a sunflower spiral around its name (``middle``), linked papers near each other.

    The papers are taken in breadth-first order from the most linked one
    (strongest links first), and the k-th goes at radius proportional to the
    square root of k, turned by the golden angle: each ring holds the
    neighbours of the one inside it, the spiral fills a disc evenly, and the
    cost is a sort, not a simulation. The few labels wider than the spacing
    are then pushed apart.
    """
    neighbours: dict[str, list[tuple[float, str]]] = {node: [] for node in nodes}
    for source, target, strength in edges:
        if middle in (source, target) or source not in neighbours or target not in neighbours:
            continue
        neighbours[source].append((-strength, target))
        neighbours[target].append((-strength, source))
    for node in neighbours:
        neighbours[node].sort()
    order = _breadth_first([node for node in nodes if node != middle], neighbours)
    widths = sorted(boxes.get(node, (20.0, 20.0))[0] for node in order)
    heights = sorted(boxes.get(node, (20.0, 20.0))[1] for node in order)
    width, height = widths[len(widths) * 3 // 4], heights[len(heights) * 3 // 4]
    spacing = math.sqrt(width * height * 1.3 / math.pi)
    name_width, name_height = boxes.get(middle, (0.0, 0.0))
    skipped = math.ceil(name_width * name_height / (math.pi * spacing * spacing))
    # Labels are wider than tall: stretch the spiral as much, so neighbours clear each other.
    wide, low = math.sqrt(width / height), math.sqrt(height / width)
    xs, ys = [0.0], [0.0]
    for step in range(len(order)):
        radius = spacing * math.sqrt(step + skipped + 0.5)
        xs.append(radius * math.cos(step * GOLDEN_ANGLE) * wide)
        ys.append(radius * math.sin(step * GOLDEN_ANGLE) * low)
    placed = [middle, *order]
    push_apart(xs, ys, [boxes.get(node, (20.0, 20.0)) for node in placed], rounds=40)
    return {node: (round(x), round(y)) for node, x, y in zip(placed, xs, ys, strict=True)}


def _breadth_first(
    nodes: list[str], neighbours: Mapping[str, list[tuple[float, str]]]
) -> list[str]:
    """``nodes`` in breadth-first order, each part starting from its most linked node."""
    by_links = sorted(nodes, key=lambda node: (-len(neighbours[node]), node))
    seen: set[str] = set()
    order: list[str] = []
    for start in by_links:
        if start in seen:
            continue
        seen.add(start)
        queue = [start]
        for node in queue:  # the list grows while it is read: a queue without pops
            order.append(node)
            for _, other in neighbours[node]:
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
    return order
