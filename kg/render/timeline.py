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

import math
import re
import statistics
from collections.abc import Sequence
from typing import Any

from kg.model import strength_rank

#: Horizontal room for one year, in canvas pixels.
YEAR_WIDTH = 64
#: Height of one row of papers inside a lane (at least; more when labels are large).
ROW_HEIGHT = 58
#: Room a paper without a label needs left to right.
PAPER_WIDTH = 60
#: The width the timeline is designed to fit (a 1280 px screen less margins), and the
#: on-screen size of paper labels there (the page grows them to it).
DESIGN_WIDTH = 1250
PAPER_LABEL_PX = 11
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


def short_label(label: str) -> str:
    """A paper's label without its year (the axis shows it): "Hernández et al. (2007)" -> "Hernández et al."."""
    return re.sub(r"\s*\(\d{4}[a-z]?\)\s*$", "", label).strip() or label


def _year(attrs: dict) -> int | None:
    """The first four-digit year of a paper, or None."""
    match = re.search(r"\d{4}", str(attrs.get("year", "")))
    return int(match.group()) if match else None


def timeline(graph, nodes: list[str], clusters: Sequence[dict] = ()) -> dict:
    """Positions of every node in the timeline view, with its lanes and its year axis.

    Returns ``positions`` (node id -> [x, y]), ``labels`` (each paper's label
    without its year, which the axis shows), ``labelled`` (whether there is
    room to show every paper's label on the whole timeline), ``lanes`` (each with its
    ``label``, the ``node`` that names it if any, and its ``top`` and
    ``bottom``), and ``axis`` (``from`` and ``to`` years, ``x`` of the first
    year and ``step`` per year, ``left`` where the lanes start, ``undated`` x for papers without a year). A
    map with no dated papers has no timeline (an empty dict).
    """
    shown = set(nodes)
    kinds = {node: graph.nodes[node].get("kind", "paper") for node in nodes}
    papers = [node for node in nodes if kinds[node] == "paper"]
    years = {paper: _year(graph.nodes[paper]) for paper in papers}
    dated = sorted(year for year in years.values() if year is not None)
    if not dated:
        return {}
    first, last = dated[0], dated[-1]
    if (
        last - first > 80
    ):  # an outlier from antiquity would squeeze the rest: start at the 1st percentile
        first = dated[len(dated) // 100]
    lane_of: dict[str, str] = {}
    lane_names: dict[str, str] = {}
    if clusters:
        for cluster in clusters:
            lane = cluster["node"]["id"]
            lane_names[lane] = cluster["details"]["label"]
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
        for node in nodes:
            if kinds[node] == "concept":
                lane_names[node] = graph.nodes[node].get("label", node)

    members: dict[str, list[str]] = {lane: [] for lane in lane_names}
    members[OTHER_LANE] = []
    for paper in papers:
        members[lane_of.get(paper, OTHER_LANE)].append(paper)

    def middle_year(lane: str) -> float:
        known = [year for paper in members[lane] if (year := years[paper]) is not None]
        return statistics.median(known) if known else 99999.0

    order = sorted(
        (lane for lane in members if lane != OTHER_LANE),
        key=lambda lane: (middle_year(lane), lane_names[lane].lower(), lane),
    )
    if members[OTHER_LANE]:
        order.append(OTHER_LANE)

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
    # The first years start one label's half-width in, clear of the lanes' names.
    lead = max(halves.values())

    def x_of(year: int | None) -> float:
        if year is None:
            return lead + (last - first + 2) * YEAR_WIDTH
        return lead + (max(year, first) - first) * YEAR_WIDTH

    # Lanes share the height a wide screen leaves once the years fill its width, so that
    # their names can be drawn large; never less than their rows of papers need.
    lane_floor = min(LANE_MOST, max(ROW_HEIGHT + 20, span / SCREEN_ASPECT / max(1, len(order))))
    row_height = max(ROW_HEIGHT, font * 1.3 + 30) if labelled else DOT_ROW_HEIGHT
    result: dict[str, list[int]] = {}
    lanes: list[dict[str, Any]] = []
    top = 0.0
    for lane in order:
        rows: list[float] = []  # right end of the last label in each row
        placed = []
        for paper in sorted(members[lane], key=lambda p: (years[p] or 99999, p)):
            x = x_of(years[paper])
            half = halves[paper]
            row = next((number for number, end in enumerate(rows) if end <= x - half), None)
            if row is None:
                rows.append(-math.inf)
                row = len(rows) - 1
            rows[row] = x + half
            placed.append((paper, x, row))
        height = max(lane_floor, max(1, len(rows)) * row_height + 20)
        for paper, x, row in placed:
            spare = height - (len(rows) * row_height + 20)
            result[paper] = [round(x), round(top + 24 + spare / 2 + row * row_height)]
        if lane in shown and kinds.get(lane) == "concept":
            result[lane] = [-MARGIN, round(top + height / 2)]
        lanes.append(
            {
                "label": lane_names.get(lane, OTHER_LANE),
                "node": lane if lane != OTHER_LANE else "",
                "top": round(top),
                "bottom": round(top + height),
            }
        )
        top += height
    right = x_of(None) + (PAPER_WIDTH if any(y is None for y in years.values()) else 0) + MARGIN
    lane_middle = {lane["node"]: (lane["top"] + lane["bottom"]) / 2 for lane in lanes}
    objectives = [node for node in nodes if kinds[node] == "objective"]
    wanted = []
    for objective in objectives:
        levels = [
            lane_middle[concept]
            for _, concept in graph.out_edges(objective)
            if concept in lane_middle and concept in shown
        ]
        wanted.append((statistics.mean(levels) if levels else top / 2, objective))
    floor = 0.0
    for level, objective in sorted(wanted):
        y = max(level, floor)
        result[objective] = [round(right), round(y)]
        floor = y + 90
    for node in nodes:
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
            result[node] = [round(right + MARGIN), round(top + 60)]
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
            "undated": round(x_of(None)) if any(y is None for y in years.values()) else None,
            "top": 0,
            "bottom": round(top),
        },
    }
