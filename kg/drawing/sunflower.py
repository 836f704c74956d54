"""A cluster laid out on a sunflower spiral: linear time, no overlaps, linked papers near each other.

Used for the clusters of a large map (:mod:`kg.drawing.clustered`) and the
large components of its papers in no cluster, where a force-directed
simulation would cost time that grows with the square of their size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from kg.drawing.overlap import push_apart

#: The golden angle: successive points of a sunflower spiral never line up.
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
#: Room a node takes on the spiral, in multiples of its box's area (the rest is gaps).
ROOM = 2.0
#: Rounds of pushing apart the few boxes the spiral leaves overlapping.
ROUNDS = 20


def sunflower(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str, float]],
    middle: str | None,
    boxes: Mapping[str, tuple[float, float]],
) -> dict[str, tuple[int, int]]:
    """A cluster on a sunflower spiral around its name (``middle``, if any), linked papers near each other.

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
    width, height = widths[len(widths) // 2], heights[len(heights) // 2]
    # Labels are wider than tall: stretch the spiral as much, so neighbours clear each other.
    wide, low = math.sqrt(width / height), math.sqrt(height / width)
    name_width, name_height = boxes.get(middle, (0.0, 0.0)) if middle else (0.0, 0.0)
    # Each node adds its own room to the disc: the radius grows with the area taken so far.
    taken = name_width * name_height * ROOM
    xs, ys = ([0.0], [0.0]) if middle else ([], [])
    for step, node in enumerate(order):
        node_width, node_height = boxes.get(node, (20.0, 20.0))
        taken += node_width * node_height * ROOM
        radius = math.sqrt(taken / math.pi)
        xs.append(radius * math.cos(step * GOLDEN_ANGLE) * wide)
        ys.append(radius * math.sin(step * GOLDEN_ANGLE) * low)
    placed = [middle, *order] if middle else order
    push_apart(xs, ys, [boxes.get(node, (20.0, 20.0)) for node in placed], rounds=ROUNDS)
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
