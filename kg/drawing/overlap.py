"""Overlapping labels pushed apart: the last step of every layout.

A node's drawn box (its marker and label) must not cover another's. Boxes
are bucketed in a grid so that a round of pushes costs time in proportion to
the number of nodes; nodes can be held in place while the others make room.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from itertools import compress


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

    A pair neither of whose nodes has moved since the previous round is not
    compared again: it was compared then, at the same places, and found
    apart (had it overlapped, one of them would have moved). So a round
    visits only the cells holding a node that moved, in the grid's order,
    and the grid is built again only when a node changed cells. Late rounds,
    where a few nodes still shift by a margin, then cost little, and the
    positions are exactly those of comparing every pair every round.
    """
    count = len(xs)
    if count < 2:
        return
    fixed = fixed or [False] * count
    spans = sorted(max(width, height) for width, height in sizes)
    cell = spans[min(count - 1, int(count * 0.9))] + 12
    spread = [_spread(xs[node], ys[node], sizes[node], cell) for node in range(count)]
    grid, cells_of = _grid(spread)
    # Nodes moved in this round, and in the previous one or so far in this one (all at first).
    moving = [True] * count
    for round_ in range(rounds):
        recent, moving = moving, [False] * count
        moved_before = list(compress(range(count), recent))
        if round_:
            regrid = False
            for node in moved_before:
                now = _spread(xs[node], ys[node], sizes[node], cell)
                regrid = regrid or now != spread[node]
                spread[node] = now
            if regrid:
                grid, cells_of = _grid(spread)
        queue = sorted({index for node in moved_before for index in cells_of[node]})
        queued = set(queue)
        while queue:
            current = heapq.heappop(queue)
            (cx, cy), members = grid[current]
            for first in range(len(members) - 1):
                a = members[first]
                wa, ha = sizes[a]
                for b in members[first + 1 :]:
                    if not (recent[a] or recent[b]):
                        continue  # found apart last round, and neither has moved since
                    wb, hb = sizes[b]
                    ox_ = (wa + wb) / 2 + 6 - abs(xs[a] - xs[b])
                    oy_ = (ha + hb) / 2 + 6 - abs(ys[a] - ys[b])
                    if ox_ <= 0 or oy_ <= 0 or (fixed[a] and fixed[b]):
                        continue
                    corner_x = max(xs[a] - wa / 2, xs[b] - wb / 2) - 3
                    corner_y = max(ys[a] - ha / 2, ys[b] - hb / 2) - 3
                    if (math.floor(corner_x / cell), math.floor(corner_y / cell)) != (cx, cy):
                        continue  # this pair is settled in another cell
                    share_a = 0.0 if fixed[a] else 1.0 if fixed[b] else 0.5
                    share_b = 1.0 - share_a
                    for node, share in ((a, share_a), (b, share_b)):
                        if share and not recent[node]:
                            recent[node] = True
                            # Its cells still ahead are now worth a visit.
                            for index in cells_of[node]:
                                if index > current and index not in queued:
                                    queued.add(index)
                                    heapq.heappush(queue, index)
                        moving[node] = moving[node] or bool(share)
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
        if not any(moving):
            return


def _spread(x: float, y: float, size, cell: float) -> tuple[int, int, int, int]:
    """The first and last grid columns and rows a box centred at ``x``, ``y`` covers."""
    width, height = size
    return (
        math.floor((x - width / 2 - 3) / cell),
        math.floor((x + width / 2 + 3) / cell),
        math.floor((y - height / 2 - 3) / cell),
        math.floor((y + height / 2 + 3) / cell),
    )


def _grid(spread: list[tuple[int, int, int, int]]) -> tuple[list, list[list[int]]]:
    """The grid's cells in order, each ``((column, row), nodes in it)``, and each node's cells.

    Cells come in the order their first node reaches them and hold their
    nodes in order, so the pairs of a round are settled in a fixed order.
    """
    found: dict[tuple[int, int], list[int]] = {}
    for node, (left, right, top, bottom) in enumerate(spread):
        for cx in range(left, right + 1):
            for cy in range(top, bottom + 1):
                found.setdefault((cx, cy), []).append(node)
    grid = list(found.items())
    cells_of: list[list[int]] = [[] for _ in spread]
    for index, (_key, members) in enumerate(grid):
        for node in members:
            cells_of[node].append(index)
    return grid, cells_of


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
