"""Overlapping labels pushed apart: the last step of every layout.

A node's drawn box (its marker and label) must not cover another's. Boxes
are bucketed in a grid so that a round of pushes costs time in proportion to
the number of nodes; nodes can be held in place while the others make room.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def push_apart(xs, ys, sizes, rounds: int, fixed: Sequence[bool] | None = None) -> None:
    """Push apart nodes whose drawn boxes overlap, a little at a time (``xs``, ``ys`` change in place).

    Each round buckets the boxes in a grid whose cells are as large as most
    boxes (the 90th percentile); a box larger than a cell (a long name
    grown for the whole map) goes into every cell it covers. Only boxes
    sharing a cell are compared, and a pair is settled in one cell only (the
    one holding the top left corner of their overlap), so a round costs time
    in proportion to the number of nodes, not its square, whatever the mix
    of sizes. A node marked in ``fixed`` never moves; the other node of an
    overlapping pair takes the whole push.
    """
    count = len(xs)
    if count < 2:
        return
    fixed = fixed or [False] * count
    spans = sorted(max(width, height) for width, height in sizes)
    cell = spans[min(count - 1, int(count * 0.9))] + 12
    for _ in range(rounds):
        moved = False
        grid: dict[tuple[int, int], list[int]] = {}
        for position in range(count):
            width, height = sizes[position]
            left = math.floor((xs[position] - width / 2 - 3) / cell)
            right = math.floor((xs[position] + width / 2 + 3) / cell)
            top = math.floor((ys[position] - height / 2 - 3) / cell)
            bottom = math.floor((ys[position] + height / 2 + 3) / cell)
            for cx in range(left, right + 1):
                for cy in range(top, bottom + 1):
                    grid.setdefault((cx, cy), []).append(position)
        for (cx, cy), members in grid.items():
            for first in range(len(members) - 1):
                a = members[first]
                wa, ha = sizes[a]
                for b in members[first + 1 :]:
                    wb, hb = sizes[b]
                    ox_ = (wa + wb) / 2 + 6 - abs(xs[a] - xs[b])
                    oy_ = (ha + hb) / 2 + 6 - abs(ys[a] - ys[b])
                    if ox_ <= 0 or oy_ <= 0 or (fixed[a] and fixed[b]):
                        continue
                    corner_x = max(xs[a] - wa / 2, xs[b] - wb / 2) - 3
                    corner_y = max(ys[a] - ha / 2, ys[b] - hb / 2) - 3
                    if (math.floor(corner_x / cell), math.floor(corner_y / cell)) != (cx, cy):
                        continue  # this pair is settled in another cell
                    moved = True
                    share_a = 0.0 if fixed[a] else 1.0 if fixed[b] else 0.5
                    share_b = 1.0 - share_a
                    # Move along the axis that needs the smaller push.
                    if ox_ < oy_:
                        sign = 1.0 if xs[a] >= xs[b] else -1.0
                        if xs[a] == xs[b]:
                            sign = 1.0 if a % 2 else -1.0
                        xs[a] += sign * ox_ * share_a
                        xs[b] -= sign * ox_ * share_b
                    else:
                        sign = 1.0 if ys[a] >= ys[b] else -1.0
                        if ys[a] == ys[b]:
                            sign = 1.0 if a % 2 else -1.0
                        ys[a] += sign * oy_ * share_a
                        ys[b] -= sign * oy_ * share_b
        if not moved:
            return


def separate_boxes(
    positions: dict[str, tuple[float, float]],
    boxes: Mapping[str, tuple[float, float]],
    *,
    rounds: int = 60,
    fixed: set[str] | frozenset[str] = frozenset(),
) -> dict[str, tuple[int, int]]:
    """Return ``positions`` with overlapping boxes pushed apart (nodes in ``fixed`` stay put)."""
    order = sorted(positions)
    xs = [float(positions[node][0]) for node in order]
    ys = [float(positions[node][1]) for node in order]
    push_apart(
        xs,
        ys,
        [boxes.get(node, (20.0, 20.0)) for node in order],
        rounds=rounds,
        fixed=[node in fixed for node in order],
    )
    return {node: (round(x), round(y)) for node, x, y in zip(order, xs, ys, strict=True)}
