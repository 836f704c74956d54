"""kg.drawing.layout: frozen, deterministic positions."""

from __future__ import annotations

import random

from kg.drawing.layout import force_layout, place_satellites


def ring_graph(count: int):
    nodes = [f"n{i:03d}" for i in range(count)]
    edges = [(nodes[i], nodes[(i + 1) % count], 1.0) for i in range(count)]
    return nodes, edges


def test_every_node_gets_integer_coordinates():
    nodes, edges = ring_graph(30)
    positions = force_layout(nodes, edges)
    assert set(positions) == set(nodes)
    assert all(isinstance(x, int) and isinstance(y, int) for x, y in positions.values())


def test_same_input_same_positions():
    nodes, edges = ring_graph(60)
    assert force_layout(nodes, edges, seed=3) == force_layout(nodes, edges, seed=3)
    assert force_layout(nodes, edges, seed=3) != force_layout(nodes, edges, seed=4)


def test_boxes_do_not_overlap_on_a_small_map():
    rng = random.Random(5)
    nodes = [f"n{i:02d}" for i in range(40)]
    edges = [(nodes[0], node, 1.0) for node in nodes[1:]] + [
        (rng.choice(nodes), rng.choice(nodes), 0.5) for _ in range(30)
    ]
    boxes = dict.fromkeys(nodes, (120.0, 40.0))
    positions = force_layout(nodes, edges, boxes=boxes)
    for first in range(len(nodes)):
        for second in range(first + 1, len(nodes)):
            (x1, y1), (x2, y2) = positions[nodes[first]], positions[nodes[second]]
            assert abs(x1 - x2) >= 119 or abs(y1 - y2) >= 39, (nodes[first], nodes[second])


def test_components_are_packed_apart():
    nodes = ["a", "b", "c", "x", "y"]
    edges = [("a", "b", 1.0), ("b", "c", 1.0), ("x", "y", 1.0)]
    positions = force_layout(nodes, edges, boxes=dict.fromkeys(nodes, (40.0, 40.0)))
    first = [positions[n] for n in "abc"]
    second = [positions[n] for n in "xy"]
    gap_x = min(x for x, _ in second) - max(x for x, _ in first)
    gap_y = min(y for _, y in second) - max(y for _, y in first)
    assert max(gap_x, gap_y) >= 40


def test_large_graphs_use_the_grid_and_stay_deterministic():
    rng = random.Random(1)
    nodes = [f"n{i:04d}" for i in range(900)]
    edges = [(nodes[i], nodes[rng.randrange(i)], 1.0) for i in range(1, 900)]
    assert force_layout(nodes, edges) == force_layout(nodes, edges)


def test_satellites_sit_next_to_their_anchors():
    positions = {"paper:a": (0, 0), "paper:b": (400, 0), "concept:c": (200, 300)}
    placed = place_satellites(
        positions,
        {
            "author:x": ["paper:a"],
            "author:y": ["paper:a"],
            "author:z": ["paper:a", "paper:b"],
            "author:w": ["paper:missing"],
        },
    )
    assert set(placed) == {"author:x", "author:y", "author:z"}
    for author in ("author:x", "author:y"):
        x, y = placed[author]
        assert 50 <= (x * x + y * y) ** 0.5 <= 60
    assert placed["author:x"] != placed["author:y"]
    assert 150 <= placed["author:z"][0] <= 250
