"""The map's timeline view: papers by year, concepts in lanes.

The page can switch the map to a second set of positions, computed here:
papers go left to right by year, and each paper sits in the lane of the
concept it supports best (on a bibliography alone, in the lane of its
cluster). Lanes are ordered by the median year of their papers, so the
literature's history reads from top left to bottom right: for the workshop,
from vicarious trauma (1990) to vicarious resilience (2018). Each concept
labels its lane at the left; objectives stand in a column at the right,
level with the lanes of their concepts.
"""

from __future__ import annotations

import heapq
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.model import strength_rank

if TYPE_CHECKING:
    import networkx as nx

#: Horizontal room for one year, in canvas pixels.
YEAR_WIDTH = 64
#: Height of one row of papers inside a lane (at least; more when labels are large).
ROW_HEIGHT = 58
#: Room a paper without a label needs left to right.
PAPER_WIDTH = 60
#: The width the timeline is designed to fit (a 1280 px screen less margins), and the
#: on-screen size of paper labels there (the page grows them to it).
DESIGN_WIDTH = 1250
PAPER_LABEL_PX = 14
#: Timelines of up to this many papers label every paper; larger ones draw dots.
LABELLED_UP_TO = 300
#: Half the room, and the row height, of an unlabelled paper.
DOT_WIDTH = 9
DOT_ROW_HEIGHT = 22
#: Gap between the lane labels (concepts) and the first year, and between the last year and the objectives.
MARGIN = 230
#: Width over height of the screen the timeline is shown on.
SCREEN_ASPECT = 1.9
#: Lanes are never taller than this (canvas pixels), however few there are.
LANE_MOST = 160
#: Lane of papers that belong to no concept (or cluster).
OTHER_LANE = "Other papers"
#: Lane of papers without a year, below the others: they have no place on the axis.
NO_YEAR_LANE = "No year"


def short_label(label: str) -> str:
    """A paper's label without its year (the axis shows it): "Hernández et al. (2007)" -> "Hernández et al."."""
    return re.sub(r"\s*\(\d{4}[a-z]?\)\s*$", "", label).strip() or label


def _year(attrs: dict) -> int | None:
    """The first four-digit year of a paper, or None."""
    match = re.search(r"\d{4}", str(attrs.get("year", "")))
    return int(match.group()) if match else None


@dataclass
class _Frame:
    """What every step of the timeline's layout shares."""

    graph: nx.DiGraph
    nodes: list[str]
    kinds: dict[str, str]
    years: dict[str, int | None]
    first: int
    last: int
    shown: set[str] = field(default_factory=set)


def timeline(graph, nodes: list[str], clusters: Sequence[dict] = ()) -> dict:
    """Positions of every node in the timeline view, with its lanes and its year axis.

    Returns ``positions`` (node id -> [x, y]), ``labels`` (each paper's label
    without its year, which the axis shows), ``labelled`` (whether there is
    room to show every paper's label on the whole timeline), ``lanes`` (each with its
    ``label``, the ``node`` that names it if any, and its ``top`` and
    ``bottom``), and ``axis`` (``from`` and ``to``: the first and last years
    present; ``x`` of the first year and ``step`` per year, ``left`` where the
    lanes start, ``top`` and ``bottom``). Papers without a year share a lane of
    their own, the last, named once ("No year"), in which they stand side by
    side. A map with no dated papers has no timeline (an empty dict).
    """
    kinds = {node: graph.nodes[node].get("kind", "paper") for node in nodes}
    papers = [node for node in nodes if kinds[node] == "paper"]
    years = {paper: _year(graph.nodes[paper]) for paper in papers}
    dated = sorted(year for year in years.values() if year is not None)
    if not dated:
        return {}
    first, last = dated[0], dated[-1]
    if last - first > 80:  # an outlier from antiquity would squeeze the rest: 1st percentile
        first = dated[len(dated) // 100]
    frame = _Frame(graph, nodes, kinds, years, first, last, set(nodes))
    members, names = _lane_members(frame, papers, clusters)
    order = _lane_order(members, names, years)

    # Paper labels are drawn PAPER_LABEL_PX high on screen when the whole timeline fits
    # DESIGN_WIDTH: in canvas units, that is this font size, and this much room per label.
    span = (last - first + 3) * YEAR_WIDTH + 2 * MARGIN
    font = PAPER_LABEL_PX * span / DESIGN_WIDTH
    labels = {paper: short_label(graph.nodes[paper].get("label", paper)) for paper in papers}
    # Past LABELLED_UP_TO papers there is no room to label them all: they are dots, close
    # together, and their labels show on zooming in.
    labelled = len(papers) <= LABELLED_UP_TO
    halves = {
        paper: max(PAPER_WIDTH, len(labels[paper]) * font * 0.58) / 2 + 12
        if labelled
        else DOT_WIDTH
        for paper in papers
    }
    lead = max(halves.values())  # the first years start one half-label in, clear of the names
    row_height = max(ROW_HEIGHT, font * 1.3 + 30) if labelled else DOT_ROW_HEIGHT
    # Lanes share the height a wide screen leaves once the years fill its width, so that
    # their names can be drawn large; never less than their rows of papers need.
    lane_floor = min(LANE_MOST, max(ROW_HEIGHT + 20, span / SCREEN_ASPECT / max(1, len(order))))
    result, lanes, bottom = _place_lanes(
        frame, order, members, names, halves, lead, row_height, lane_floor
    )
    right = lead + (last - first) * YEAR_WIDTH + MARGIN
    _place_objectives(frame, result, lanes, right, bottom)
    _place_the_rest(frame, result, right, bottom)
    for cluster in clusters:
        lane = next((item for item in lanes if item["node"] == cluster["node"]["id"]), None)
        if lane:
            result[cluster["node"]["id"]] = [-MARGIN, round((lane["top"] + lane["bottom"]) / 2)]
    return {
        "positions": result,
        "labels": labels,
        "labelled": labelled,
        "lanes": lanes,
        "axis": {
            "from": first,
            "to": last,
            "x": round(lead),
            "left": 0,
            "step": YEAR_WIDTH,
            "top": 0,
            "bottom": round(bottom),
        },
    }


def _lane_members(
    frame: _Frame, papers: list[str], clusters
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Each lane's papers, and each lane's name: concepts' (or clusters') lanes, then the rest."""
    graph, shown = frame.graph, frame.shown
    lane_of: dict[str, str] = {}
    names: dict[str, str] = {}
    if clusters:
        for cluster in clusters:
            lane = cluster["node"]["id"]
            names[lane] = cluster["details"]["label"]
            for paper in cluster["papers"]:
                lane_of.setdefault(paper, lane)
    else:
        for paper in papers:
            best = None
            for _, concept, attrs in graph.out_edges(paper, data=True):
                if attrs.get("relation") != "discusses" or concept not in shown:
                    continue
                rank = (strength_rank(attrs.get("strength", "inferred")), concept)
                if best is None or rank < best[0]:
                    best = (rank, concept)
            if best:
                lane_of[paper] = best[1]
        for node in frame.nodes:
            if frame.kinds[node] == "concept":
                names[node] = graph.nodes[node].get("label", node)
    members: dict[str, list[str]] = {lane: [] for lane in names}
    members[OTHER_LANE] = []
    members[NO_YEAR_LANE] = []
    for paper in papers:
        if frame.years[paper] is None:
            members[NO_YEAR_LANE].append(paper)
        else:
            members[lane_of.get(paper, OTHER_LANE)].append(paper)
    return members, names


def _lane_order(
    members: dict[str, list[str]], names: dict[str, str], years: dict[str, int | None]
) -> list[str]:
    """Lanes by the median year of their papers; then the other papers, then those without a year."""

    def middle_year(lane: str) -> float:
        known = [year for paper in members[lane] if (year := years[paper]) is not None]
        return float(statistics.median(known)) if known else 99999.0

    order = sorted(
        (lane for lane in members if lane not in (OTHER_LANE, NO_YEAR_LANE)),
        key=lambda lane: (middle_year(lane), names[lane].lower(), lane),
    )
    return order + [lane for lane in (OTHER_LANE, NO_YEAR_LANE) if members[lane]]


def pack_rows(items: list[tuple[str, float, float]]) -> tuple[dict[str, int], int]:
    """Rows for items ``(id, x, half width)`` sorted by ``x``: no two in a row overlap.

    Each item goes to the row that ends furthest left, when it ends before the
    item starts, and opens a new row otherwise: a heap of row ends makes this
    O(n log n), where looking through every row for each item grew with the
    square of the papers of a crowded year.
    """
    ends: list[tuple[float, int]] = []
    rows: dict[str, int] = {}
    count = 0
    for item, x, half in items:
        if ends and ends[0][0] <= x - half:
            _, row = heapq.heappop(ends)
        else:
            row, count = count, count + 1
        rows[item] = row
        heapq.heappush(ends, (x + half, row))
    return rows, count


def _side_by_side(
    papers: list[str], halves: dict[str, float], lead: float, width: float
) -> list[tuple[str, float, int]]:
    """Papers without a year, left to right in rows as wide as the axis: ``(id, x, row)``."""
    placed = []
    row, cursor = 0, lead
    for paper in sorted(papers):
        half = halves[paper]
        if cursor > lead and cursor + 2 * half > lead + width:
            row, cursor = row + 1, lead
        placed.append((paper, cursor + half, row))
        cursor += 2 * half
    return placed


def _place_lanes(
    frame: _Frame,
    order: list[str],
    members: dict[str, list[str]],
    names: dict[str, str],
    halves: dict[str, float],
    lead: float,
    row_height: float,
    lane_floor: float,
) -> tuple[dict[str, list[int]], list[dict], float]:
    """Papers in their lanes' rows, and each lane's extent; returns positions, lanes, bottom."""
    years, first = frame.years, frame.first
    width = (frame.last - first) * YEAR_WIDTH + 2 * max(halves.values())
    result: dict[str, list[int]] = {}
    lanes = []
    top = 0.0
    for lane in order:
        if lane == NO_YEAR_LANE:
            placed = _side_by_side(members[lane], halves, lead - halves[members[lane][0]], width)
            count = 1 + max(row for _, _, row in placed)
        else:
            items = [
                (
                    paper,
                    lead + (max(years[paper] or first, first) - first) * YEAR_WIDTH,
                    halves[paper],
                )
                for paper in sorted(members[lane], key=lambda p: (years[p] or 0, p))
            ]
            rows, count = pack_rows(items)
            placed = [(paper, x, rows[paper]) for paper, x, _ in items]
        height = max(lane_floor, max(1, count) * row_height + 20)
        spare = height - (max(1, count) * row_height + 20)
        for paper, x, row in placed:
            result[paper] = [round(x), round(top + 24 + spare / 2 + row * row_height)]
        if lane in frame.shown and frame.kinds.get(lane) == "concept":
            result[lane] = [-MARGIN, round(top + height / 2)]
        named = lane not in (OTHER_LANE, NO_YEAR_LANE)
        lanes.append(
            {
                "label": names[lane] if named else lane,
                "node": lane if named else "",
                "top": round(top),
                "bottom": round(top + height),
            }
        )
        top += height
    return result, lanes, top


def _place_objectives(
    frame: _Frame, result: dict[str, list[int]], lanes: list[dict], right: float, bottom: float
) -> None:
    """Objectives in a column at the right, each level with its concepts' lanes as room allows."""
    lane_middle = {lane["node"]: (lane["top"] + lane["bottom"]) / 2 for lane in lanes}
    wanted = []
    for objective in (node for node in frame.nodes if frame.kinds[node] == "objective"):
        levels = [
            lane_middle[concept]
            for _, concept in frame.graph.out_edges(objective)
            if concept in lane_middle and concept in frame.shown
        ]
        wanted.append((statistics.mean(levels) if levels else bottom / 2, objective))
    floor = 0.0
    for level, objective in sorted(wanted):
        y = max(level, floor)
        result[objective] = [round(right), round(y)]
        floor = y + 90


def _place_the_rest(
    frame: _Frame, result: dict[str, list[int]], right: float, bottom: float
) -> None:
    """Quotes and authors beside a paper they belong to; anything else past the objectives."""
    graph, kinds = frame.graph, frame.kinds
    for node in frame.nodes:
        if node in result:
            continue
        linked = sorted(set(graph.successors(node)) | set(graph.predecessors(node)))
        # A quote or an author sits by its paper rather than by a lane's name.
        linked.sort(key=lambda other: kinds.get(other) != "paper")
        anchor = next((other for other in linked if other in result), None)
        if anchor is not None:
            x, y = result[anchor]
            offset = 34 if kinds[node] == "quote" else 24
            result[node] = [x + offset, y + offset]
        else:
            result[node] = [round(right + MARGIN), round(bottom + 60)]
