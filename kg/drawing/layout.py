"""A deterministic force-directed layout in plain Python.

The map's positions are computed once, here, and frozen in the page: a browser
never runs a physics simulation, so a large map draws at once and then stays
still, and the same graph always gives the same positions (and the same file).

The method is Fruchterman and Reingold's, run per connected component. Small
components compare every pair of nodes; large ones only compare nodes in
neighbouring grid cells, so a step costs time in proportion to the number of
nodes rather than its square. Components are then packed in rows, largest
first, and finally overlapping labels are pushed apart (:mod:`kg.drawing.overlap`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence

from kg.drawing.overlap import push_apart

#: Components up to this size compare every pair of nodes (exact repulsion).
EXACT_REPULSION_LIMIT = 400
#: Width over height of the screen a map is shown on; tall layouts are widened towards it.
SCREEN_ASPECT = 1.55
#: A grid cell with more nodes than this repels as one mass (keeps crowded layouts linear).
CROWDED_CELL = 24


def force_layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str, float]],
    *,
    weights: Mapping[str, float] | None = None,
    boxes: Mapping[str, tuple[float, float]] | None = None,
    edge_length: float = 150.0,
    seed: int = 7,
    previous: Mapping[str, tuple[float, float]] | None = None,
    simulate_up_to: int | None = None,
) -> dict[str, tuple[int, int]]:
    """Return integer pixel positions for ``nodes``.

    With ``simulate_up_to``, connected components larger than that are laid
    out on a sunflower spiral (:func:`kg.drawing.sunflower.sunflower`, linear
    time) instead of simulated.

    ``previous`` holds positions from an earlier render (a layout file). When
    it names any of ``nodes``, those nodes stay exactly where they were and
    only the new ones are placed, each next to the nodes it links to (see
    :func:`extend_layout`), so a map that grows keeps its geography.

    ``edges`` are ``(source, target, strength)`` triples; a stronger edge pulls
    harder. ``weights`` makes a node push its neighbours further away (the map
    gives objectives and concepts more room). ``boxes`` holds each node's
    approximate drawn size in pixels (width, height), used to pack components
    and to separate overlapping labels. The result depends only on the
    arguments: the same graph always gets the same positions.
    """
    order = list(nodes)
    edges = list(edges)
    if previous and any(node in previous for node in order):
        return extend_layout(
            order, edges, previous, boxes=boxes, edge_length=edge_length, seed=seed, weights=weights
        )
    index = {node: position for position, node in enumerate(order)}
    weights = weights or {}
    boxes = boxes or {}
    adjacency: list[list[tuple[int, float]]] = [[] for _ in order]
    for source, target, strength in edges:
        if source == target or source not in index or target not in index:
            continue
        a, b = index[source], index[target]
        adjacency[a].append((b, strength))
        adjacency[b].append((a, strength))

    components = _components(adjacency)
    placed: list[tuple[list[int], list[float], list[float]]] = []
    for number, members in enumerate(components):
        if simulate_up_to is not None and len(members) > simulate_up_to:
            placed.append(_spiral(members, order, edges, boxes))
            continue
        rng = random.Random(seed * 1_000_003 + number)
        xs, ys = _layout_component(
            members, adjacency, [weights.get(order[i], 1.0) for i in members], rng
        )
        for position in range(len(members)):
            xs[position] *= edge_length
            ys[position] *= edge_length
        box_sizes = [boxes.get(order[i], (20.0, 20.0)) for i in members]
        push_apart(xs, ys, box_sizes, rounds=200 if len(members) <= 400 else 15)
        placed.append((members, xs, ys))

    positions: dict[str, tuple[int, int]] = {}
    for members, xs, ys in _pack(
        placed, [boxes.get(node, (20.0, 20.0)) for node in order], gap=edge_length * 0.6
    ):
        for position, node_index in enumerate(members):
            positions[order[node_index]] = (round(xs[position]), round(ys[position]))
    return positions


def _spiral(members, order, edges, boxes) -> tuple[list[int], list[float], list[float]]:
    """One large component on a sunflower spiral, in :func:`force_layout`'s internal shape."""
    from kg.drawing.sunflower import sunflower

    names = [order[member] for member in members]
    inside = set(names)
    placed = sunflower(
        names, [edge for edge in edges if edge[0] in inside and edge[1] in inside], None, boxes
    )
    return (
        members,
        [float(placed[name][0]) for name in names],
        [float(placed[name][1]) for name in names],
    )


def _components(adjacency: list[list[tuple[int, float]]]) -> list[list[int]]:
    """Connected components, largest first, ties broken by first node index."""
    seen = [False] * len(adjacency)
    components = []
    for start in range(len(adjacency)):
        if seen[start]:
            continue
        seen[start] = True
        stack, members = [start], []
        while stack:
            node = stack.pop()
            members.append(node)
            for neighbour, _ in adjacency[node]:
                if not seen[neighbour]:
                    seen[neighbour] = True
                    stack.append(neighbour)
        members.sort()
        components.append(members)
    components.sort(key=lambda members: (-len(members), members[0]))
    return components


def _layout_component(members, adjacency, weights, rng) -> tuple[list[float], list[float]]:
    """Fruchterman-Reingold on one component, in units of one edge length."""
    count = len(members)
    if count == 1:
        return [0.0], [0.0]
    local = {node: position for position, node in enumerate(members)}
    links = []
    for node in members:
        for neighbour, strength in adjacency[node]:
            if node < neighbour:
                links.append((local[node], local[neighbour], strength))

    if count == 2:
        return [-0.5, 0.5], [0.0, 0.0]

    # A star (one paper and its authors, one author and their papers) needs no simulation.
    hub_degree = max(len(adjacency[node]) for node in members)
    if hub_degree == count - 1 and len(links) == count - 1:
        hub = next(
            position for position, node in enumerate(members) if len(adjacency[node]) == count - 1
        )
        xs, ys = [0.0] * count, [0.0] * count
        others = [position for position in range(count) if position != hub]
        radius = max(0.8, 0.18 * len(others))
        for step, position in enumerate(others):
            angle = 2 * math.pi * step / len(others) + 0.3
            xs[position], ys[position] = radius * math.cos(angle), radius * math.sin(angle)
        return xs, ys

    spread = math.sqrt(count)
    xs = [rng.uniform(-spread, spread) for _ in range(count)]
    ys = [rng.uniform(-spread, spread) for _ in range(count)]
    exact = count <= EXACT_REPULSION_LIMIT
    iterations = (
        100
        if count <= 30
        else 300
        if count <= 100
        else 200
        if exact
        else 60
        if count <= 3000
        else 45
    )
    temperature = spread * 0.5
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        dx = [0.0] * count
        dy = [0.0] * count
        if exact:
            _repel_all(xs, ys, weights, dx, dy)
        else:
            _repel_nearby(xs, ys, weights, dx, dy)
        for a, b, strength in links:
            ex, ey = xs[a] - xs[b], ys[a] - ys[b]
            distance = math.hypot(ex, ey) or 1e-6
            force = distance * strength  # d^2 / k with k = 1, per unit vector
            fx, fy = ex * force, ey * force
            dx[a] -= fx
            dy[a] -= fy
            dx[b] += fx
            dy[b] += fy
        # A gentle pull to the middle keeps loosely tied branches from drifting far.
        for position in range(count):
            dx[position] -= 0.02 * xs[position]
            dy[position] -= 0.02 * ys[position]
            length = math.hypot(dx[position], dy[position])
            if length > 0:
                move = min(length, temperature)
                xs[position] += dx[position] / length * move
                ys[position] += dy[position] / length * move
        temperature = max(temperature - cooling, 0.01)
    return xs, ys


def _repel_all(xs, ys, weights, dx, dy) -> None:
    """Repulsion between every pair: k^2 / d, scaled by the nodes' weights."""
    count = len(xs)
    for a in range(count):
        xa, ya, wa = xs[a], ys[a], weights[a]
        for b in range(a + 1, count):
            ex, ey = xa - xs[b], ya - ys[b]
            square = ex * ex + ey * ey
            if square < 1e-9:
                ex, ey, square = 0.01 * (a - b), 0.01, 1e-4 + 1e-4 * (a - b) ** 2
            force = wa * weights[b] / square  # (k^2 / d) per unit vector
            dx[a] += ex * force
            dy[a] += ey * force
            dx[b] -= ex * force
            dy[b] -= ey * force


def _repel_nearby(xs, ys, weights, dx, dy, reach: float = 2.0) -> None:
    """Repulsion between nodes in neighbouring grid cells only (linear time per step).

    A crowded cell (many papers pulled onto one prolific author) would make the
    pairwise comparison quadratic again, so past :data:`CROWDED_CELL` members a
    cell pushes as one mass from its centroid, as in Barnes and Hut's method.
    """
    grid: dict[tuple[int, int], list[int]] = {}
    for position in range(len(xs)):
        grid.setdefault(
            (math.floor(xs[position] / reach), math.floor(ys[position] / reach)), []
        ).append(position)
    masses: dict[tuple[int, int], tuple[float, float, float]] = {}
    for key, cell in grid.items():
        if len(cell) > CROWDED_CELL:
            total = sum(weights[b] for b in cell)
            masses[key] = (
                sum(xs[b] * weights[b] for b in cell) / total,
                sum(ys[b] * weights[b] for b in cell) / total,
                total,
            )
    limit = reach * reach
    for (cx, cy), cell in grid.items():
        crowded = (cx, cy) in masses
        for ox, oy in ((0, 0), (1, 0), (1, 1), (0, 1), (-1, 1)):
            other = grid.get((cx + ox, cy + oy))
            if other is None:
                continue
            same = ox == 0 and oy == 0
            if same and crowded:
                _repel_from_mass(cell, masses[(cx, cy)], xs, ys, weights, dx, dy, inside=True)
                continue
            if not same and (crowded or (cx + ox, cy + oy) in masses):
                if (cx + ox, cy + oy) in masses:
                    _repel_from_mass(cell, masses[(cx + ox, cy + oy)], xs, ys, weights, dx, dy)
                else:
                    _repel_from_mass(other, _mass(other, xs, ys, weights), xs, ys, weights, dx, dy)
                if crowded:
                    _repel_from_mass(other, masses[(cx, cy)], xs, ys, weights, dx, dy)
                else:
                    _repel_from_mass(cell, _mass(cell, xs, ys, weights), xs, ys, weights, dx, dy)
                continue
            for a in cell:
                xa, ya, wa = xs[a], ys[a], weights[a]
                for b in other:
                    if same and b <= a:
                        continue
                    ex, ey = xa - xs[b], ya - ys[b]
                    square = ex * ex + ey * ey
                    if square > limit:
                        continue
                    if square < 1e-9:
                        ex, ey, square = 0.01 * (a - b), 0.01, 1e-4 + 1e-4 * (a - b) ** 2
                    force = wa * weights[b] / square
                    dx[a] += ex * force
                    dy[a] += ey * force
                    dx[b] -= ex * force
                    dy[b] -= ey * force


def _mass(cell, xs, ys, weights) -> tuple[float, float, float]:
    """Centroid and total weight of a cell's nodes."""
    total = sum(weights[b] for b in cell)
    return (
        sum(xs[b] * weights[b] for b in cell) / total,
        sum(ys[b] * weights[b] for b in cell) / total,
        total,
    )


def _repel_from_mass(cell, mass, xs, ys, weights, dx, dy, *, inside: bool = False) -> None:
    """Push every node of ``cell`` away from a mass (a centroid and its total weight).

    Inside its own cell a node's own weight is left out, and the distance is
    softened so that a node sitting on the centroid gets a finite push.
    """
    mx, my, total = mass
    for a in cell:
        ex, ey = xs[a] - mx, ys[a] - my
        square = ex * ex + ey * ey
        if inside:
            square += 0.05
            if ex == 0 and ey == 0:
                ex, ey = 0.01 * math.cos(a), 0.01 * math.sin(a)
        elif square < 1e-9:
            continue
        force = weights[a] * (total - (weights[a] if inside else 0.0)) / square
        dx[a] += ex * force
        dy[a] += ey * force


def extend_layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str, float]],
    previous: Mapping[str, tuple[float, float]],
    *,
    boxes: Mapping[str, tuple[float, float]] | None = None,
    weights: Mapping[str, float] | None = None,
    edge_length: float = 150.0,
    seed: int = 7,
) -> dict[str, tuple[int, int]]:
    """Keep the nodes of ``previous`` where they were and place the new ones among them.

    A new node linked to placed nodes goes to the first free spot (no label
    overlapping another) on widening rings around the middle of its placed
    neighbours, tried in a fixed order of angles starting away from the map's
    middle; new nodes linked only to each other are placed in turn, most
    connected first. New nodes linked to nothing placed are laid out on their
    own (:func:`force_layout`) and set beside the map, right of it. Nodes of
    ``previous`` that are gone are dropped. The result depends only on the
    arguments.
    """
    boxes = boxes or {}
    order = list(nodes)
    wanted = set(order)
    positions: dict[str, tuple[float, float]] = {
        node: (float(previous[node][0]), float(previous[node][1]))
        for node in order
        if node in previous
    }
    neighbours: dict[str, list[str]] = {node: [] for node in order}
    for source, target, _strength in edges:
        if source != target and source in wanted and target in wanted:
            neighbours[source].append(target)
            neighbours[target].append(source)
    fresh = [node for node in order if node not in positions]
    if not fresh:
        return {node: (round(x), round(y)) for node, (x, y) in positions.items()}

    def size(node: str) -> tuple[float, float]:
        return boxes.get(node, (20.0, 20.0))

    crowd = _Crowd(positions, size, max(max(max(size(node)) for node in order) + 8, edge_length))
    pending, crowded = _place_linked(fresh, neighbours, crowd, edge_length)
    if crowded:
        placed = list(positions)
        xs = [positions[node][0] for node in placed]
        ys = [positions[node][1] for node in placed]
        push_apart(xs, ys, [size(node) for node in placed], rounds=60)
        positions.update({node: (x, y) for node, x, y in zip(placed, xs, ys, strict=True)})
    if pending:
        alone = [node for node in order if node in pending]
        own = force_layout(
            alone,
            [(s, t, w) for s, t, w in edges if s in pending and t in pending],
            weights=weights,
            boxes=boxes,
            edge_length=edge_length,
            seed=seed,
        )
        right = max(x + size(node)[0] / 2 for node, (x, _) in positions.items())
        left = min(x - size(node)[0] / 2 for node, (x, _) in own.items())
        top = min(y for _, y in positions.values())
        own_top = min(y - size(node)[1] / 2 for node, (_, y) in own.items())
        for node, (x, y) in own.items():
            positions[node] = (x - left + right + edge_length, y - own_top + top)
    return {node: (round(positions[node][0]), round(positions[node][1])) for node in order}


class _Crowd:
    """The labels placed so far, on a grid of cells: how much of them a new label would cover."""

    def __init__(self, positions: dict[str, tuple[float, float]], size, cell: float) -> None:
        self.positions = positions
        self.size = size
        self.cell = cell
        self.grid: dict[tuple[int, int], list[str]] = {}
        for node in positions:
            self.occupy(node)

    def occupy(self, node: str) -> None:
        """Enter ``node`` (already in :attr:`positions`) into its cell."""
        x, y = self.positions[node]
        self.grid.setdefault((math.floor(x / self.cell), math.floor(y / self.cell)), []).append(
            node
        )

    def crowding(self, node: str, x: float, y: float) -> float:
        """Area of the other labels a box of ``node`` at (x, y) would cover."""
        width, height = self.size(node)
        cx, cy = math.floor(x / self.cell), math.floor(y / self.cell)
        covered = 0.0
        for ox in (-1, 0, 1):
            for oy in (-1, 0, 1):
                for other in self.grid.get((cx + ox, cy + oy), ()):
                    ow, oh = self.size(other)
                    px, py = self.positions[other]
                    across = (width + ow) / 2 + 6 - abs(px - x)
                    down = (height + oh) / 2 + 6 - abs(py - y)
                    if across > 0 and down > 0:
                        covered += across * down
        return covered


def _place_linked(
    fresh: list[str], neighbours: dict[str, list[str]], crowd: _Crowd, edge_length: float
) -> tuple[set[str], bool]:
    """Place the new nodes linked to placed ones, most linked first, round after round.

    Returns the nodes left (linked to nothing placed) and whether any spot
    had to overlap other labels.
    """
    positions = crowd.positions
    middle_x = sum(x for x, _ in positions.values()) / len(positions)
    middle_y = sum(y for _, y in positions.values()) / len(positions)
    pending = set(fresh)
    crowded = False
    while True:
        ready = sorted(
            (node for node in pending if any(other in positions for other in neighbours[node])),
            key=lambda node: (-sum(o in positions for o in neighbours[node]), node),
        )
        if not ready:
            break
        for node in ready:
            anchors = [positions[other] for other in neighbours[node] if other in positions]
            ax = sum(x for x, _ in anchors) / len(anchors)
            ay = sum(y for _, y in anchors) / len(anchors)
            away = (
                math.atan2(ay - middle_y, ax - middle_x)
                if (ax, ay) != (middle_x, middle_y)
                else 0.0
            )
            x, y, covered = _free_spot(node, (ax, ay), away, crowd, edge_length)
            crowded = crowded or covered > 0
            positions[node] = (x, y)
            crowd.occupy(node)
            pending.discard(node)
    return pending, crowded


def _free_spot(
    node: str, anchor: tuple[float, float], away: float, crowd: _Crowd, edge_length: float
) -> tuple[float, float, float]:
    """The first free spot on widening rings around ``anchor``, starting at the angle ``away``.

    When the neighbourhood is full, the least crowded spot close by (the
    labels around it make room afterwards). Returns the spot and the area of
    other labels it covers.
    """
    ax, ay = anchor
    best = (math.inf, ax, ay, math.inf)  # beaten by the first spot tried
    for ring in range(1, 9):
        radius = edge_length * (0.6 + 0.3 * ring)
        steps = 8 + 4 * ring
        for step in range(steps):
            # Alternate either side of "away": +0, +1, -1, +2, -2...
            turn = (step + 1) // 2 * (1 if step % 2 else -1)
            angle = away + 2 * math.pi * turn / steps
            x, y = ax + radius * math.cos(angle), ay + radius * math.sin(angle)
            covered = crowd.crowding(node, x, y)
            if covered + ring * 400.0 < best[0]:
                best = (covered + ring * 400.0, x, y, covered)
        if best[0] <= ring * 400.0:
            break
    return best[1], best[2], best[3]


def _pack(placed, sizes, gap: float):
    """Place components in rows, largest first, centred on the origin."""
    shapes = []
    total_area = 0.0
    for members, xs, ys in placed:
        left = min(x - sizes[m][0] / 2 for m, x in zip(members, xs, strict=False))
        right = max(x + sizes[m][0] / 2 for m, x in zip(members, xs, strict=False))
        top = min(y - sizes[m][1] / 2 for m, y in zip(members, ys, strict=False))
        bottom = max(y + sizes[m][1] / 2 for m, y in zip(members, ys, strict=False))
        width, height = right - left + gap, bottom - top + gap
        shapes.append((left, top, width, height))
        total_area += width * height
    if not shapes:
        return []
    row_width = max(max(width for _, _, width, _ in shapes), math.sqrt(total_area * 1.6))
    cursor_x = cursor_y = row_height = 0.0
    result = []
    for (members, xs, ys), (left, top, width, height) in zip(placed, shapes, strict=False):
        if cursor_x > 0 and cursor_x + width > row_width:
            cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height, 0.0
        shift_x, shift_y = cursor_x - left, cursor_y - top
        result.append((members, [x + shift_x for x in xs], [y + shift_y for y in ys]))
        cursor_x += width
        row_height = max(row_height, height)
    all_x = [x for _, xs, _ in result for x in xs]
    all_y = [y for _, _, ys in result for y in ys]
    middle_x = (min(all_x) + max(all_x)) / 2
    middle_y = (min(all_y) + max(all_y)) / 2
    # Screens are wider than tall: stretch a tall map sideways (never squash it).
    width, height = max(all_x) - min(all_x), max(all_y) - min(all_y)
    stretch_x = (
        min(SCREEN_ASPECT * height / width, 1.8)
        if width and width < SCREEN_ASPECT * height
        else 1.0
    )
    stretch_y = (
        min(width / (SCREEN_ASPECT * height), 1.8)
        if height and width > SCREEN_ASPECT * height * 1.3
        else 1.0
    )
    return [
        (
            members,
            [(x - middle_x) * stretch_x for x in xs],
            [(y - middle_y) * stretch_y for y in ys],
        )
        for members, xs, ys in result
    ]


def place_satellites(
    positions: Mapping[str, tuple[float, float]],
    satellites: Mapping[str, Sequence[str]],
    *,
    radius: float = 55.0,
) -> dict[str, tuple[int, int]]:
    """Place each satellite node next to the nodes it hangs from.

    ``satellites`` maps a node (an author) to its anchors (their papers). A
    satellite with one anchor goes on a small ring around it, spread out from
    the other satellites of that anchor and turned away from the map's middle;
    one with several anchors goes between them, nudged off the line joining
    them. Satellites without a placed anchor are left out.
    """
    placed: dict[str, tuple[int, int]] = {}
    if not positions:
        return placed
    middle_x = sum(x for x, _ in positions.values()) / len(positions)
    middle_y = sum(y for _, y in positions.values()) / len(positions)
    by_anchor: dict[str, list[str]] = {}
    for satellite in sorted(satellites):
        anchors = [anchor for anchor in satellites[satellite] if anchor in positions]
        if len(anchors) == 1:
            by_anchor.setdefault(anchors[0], []).append(satellite)
        elif anchors:
            xs = [positions[anchor][0] for anchor in anchors]
            ys = [positions[anchor][1] for anchor in anchors]
            x, y = sum(xs) / len(xs), sum(ys) / len(ys)
            away = math.atan2(y - middle_y, x - middle_x) + 0.5
            placed[satellite] = (
                round(x + radius * 0.6 * math.cos(away)),
                round(y + radius * 0.6 * math.sin(away)),
            )
    for anchor, group in by_anchor.items():
        x, y = positions[anchor]
        away = math.atan2(y - middle_y, x - middle_x) if (x, y) != (middle_x, middle_y) else 0.0
        spread = min(math.pi * 1.2, 0.7 * (len(group) - 1))
        for step, satellite in enumerate(group):
            angle = away + (spread * (step / (len(group) - 1) - 0.5) if len(group) > 1 else 0.0)
            placed[satellite] = (
                round(x + radius * math.cos(angle)),
                round(y + radius * math.sin(angle)),
            )
    return placed
