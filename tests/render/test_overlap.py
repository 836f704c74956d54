"""Overlapping boxes pushed apart: skipping pairs that stayed still changes no position."""

import math
import random

from kg.drawing.overlap import push_apart


def push_apart_every_pair(xs, ys, sizes, rounds, fixed=None) -> None:
    """The plain algorithm: every pair sharing a cell compared in every round."""
    count = len(xs)
    fixed = fixed or [False] * count
    spans = sorted(max(width, height) for width, height in sizes)
    cell = spans[min(count - 1, int(count * 0.9))] + 12
    for _ in range(rounds):
        moved = False
        grid: dict[tuple[int, int], list[int]] = {}
        for node in range(count):
            width, height = sizes[node]
            for cx in range(
                math.floor((xs[node] - width / 2 - 3) / cell),
                math.floor((xs[node] + width / 2 + 3) / cell) + 1,
            ):
                for cy in range(
                    math.floor((ys[node] - height / 2 - 3) / cell),
                    math.floor((ys[node] + height / 2 + 3) / cell) + 1,
                ):
                    grid.setdefault((cx, cy), []).append(node)
        for (cx, cy), members in grid.items():
            for first, a in enumerate(members):
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
                        continue
                    moved = True
                    share_a = 0.0 if fixed[a] else 1.0 if fixed[b] else 0.5
                    share_b = 1.0 - share_a
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


def test_push_apart_places_nodes_exactly_as_comparing_every_pair_every_round():
    generator = random.Random(7)
    for trial in range(30):
        count = generator.randint(2, 120)
        room = generator.choice([50, 200, 800])
        xs = [generator.uniform(0, room) for _ in range(count)]
        ys = [generator.uniform(0, room) for _ in range(count)]
        xs[-1], ys[-1] = xs[0], ys[0]  # two nodes on the same spot
        sizes = [
            (generator.choice([20.0, 40.0, 300.0]), generator.choice([14.0, 20.0, 60.0]))
            for _ in range(count)
        ]
        fixed = [generator.random() < 0.2 for _ in range(count)] if trial % 2 else None
        rounds = generator.choice([1, 5, 20, 60])
        expected_xs, expected_ys = list(xs), list(ys)
        push_apart_every_pair(expected_xs, expected_ys, sizes, rounds, fixed)
        push_apart(xs, ys, sizes, rounds, fixed)
        assert (xs, ys) == (expected_xs, expected_ys), trial
