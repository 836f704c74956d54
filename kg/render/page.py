"""Graph -> the data the concept-map page shows.

The page receives one JSON document: the vis-network nodes, edges and options
(in vis-network's data shape), and for every node the details its side panel lists.
Everything is computed here, in Python, once: positions, citation strings,
papers ranked by evidence strength. The page's script only displays it.

This module puts the document together from the graph's drawing
(:mod:`kg.drawing`: where nodes go and how they look, what a map of a given
size shows), spelled for vis-network by :mod:`kg.render.vis`; what the side
panel lists is :mod:`kg.render.panel`.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from kg.drawing.styles import CLUSTER_STYLE, KIND_STYLES
from kg.model import NODE_KINDS, STRENGTHS
from kg.render.panel import panel_details, panel_ref
from kg.render.timeline import timeline
from kg.render.vis import (
    RELATION_PHRASES,
    closed_cluster_node,
    cluster_node,
    shared_edge,
    vis_edge,
    vis_node,
    vis_options,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from kg.drawing.model import ClusterDrawing, Drawing

#: Past this many nodes edges are drawn straight (curves cost too much to draw).
STRAIGHT_EDGES_FROM = 400
#: Past this many nodes hovering only highlights edges, not the whole neighbourhood.
HOVER_DIMMING_UP_TO = 3000

#: What the legend calls each kind, one and many.
KIND_NAMES = {
    "objective": ("Learning objective", "Learning objectives"),
    "concept": ("Concept", "Concepts"),
    "paper": ("Paper", "Papers"),
    "quote": ("Quote", "Quotes"),
    "author": ("Author", "Authors"),
}


def page_data(
    graph: nx.DiGraph,
    *,
    title: str,
    citations: dict[str, str] | None = None,
    previous: dict[str, tuple[float, float]] | None = None,
) -> dict:
    """Return the JSON-ready document the page template embeds.

    ``citations`` maps citation keys to formatted (plain text) references;
    papers without one show their fields instead. The map shows the graph's
    drawing (:func:`kg.drawing.draw`), keeping the places in ``previous``
    (a layout file's positions). The document's ``positions`` entry holds
    every drawn node's position, for the layout file.
    """
    from kg.drawing import draw
    from kg.drawing.ahead import StructureAhead
    from kg.drawing.build import plan_drawing

    citations = citations or {}
    plan = plan_drawing(graph)
    nodes, folded = plan.nodes, plan.folded
    # The panel details need no layout: built while a bibliography's structure is worked
    # out on another core (on a large map), then the drawing waits for that structure.
    with StructureAhead(graph, plan.structure_papers) as structure:
        details = {node: panel_details(graph, node, citations, folded) for node in nodes}
        drawing = draw(graph, previous, plan=plan, structure=structure)
    # A large map with named clusters (laid out cluster by cluster) opens as its clusters,
    # each closed (a disc and its name); a click or zooming in opens one into its papers.
    # The workshop's map (tens of papers, with concepts, no clusters) never does.
    cluster_view = bool(drawing.clusters) and drawing.large
    whole_map = _whole_map_scale(drawing) if cluster_view else None
    clusters = [
        _cluster(graph, cluster, drawing, whole_map=whole_map) for cluster in drawing.clusters
    ]
    for cluster in clusters:
        details[cluster["node"]["id"]] = cluster["details"]
    network = _network(graph, drawing, nodes, clusters)
    if cluster_view:
        inside = {paper for cluster in drawing.clusters for paper in cluster.papers}
        for vis in network["nodes"]:
            if vis["id"] in inside:
                vis["hidden"] = True
    return {
        "title": title,
        **network,
        "clusters": {cluster["node"]["id"]: cluster["papers"] for cluster in clusters},
        "kinds": _legend(drawing, nodes, len(folded)),
        "strengths": list(STRENGTHS),
        "objectives": [node for node in nodes if drawing.nodes[node].kind == "objective"],
        "details": details,
        "settings": {
            "hoverDimming": len(nodes) <= HOVER_DIMMING_UP_TO,
            "large": drawing.large,
            "sharedLinks": len(drawing.links),
            "clusterView": cluster_view,
        },
        "timeline": timeline(graph, nodes, clusters),
        "positions": {node: list(xy) for node, xy in drawing.positions.items()},
        "laidAfresh": drawing.laid_afresh,
    }


def _network(graph, drawing: Drawing, nodes: list[str], clusters: list[dict]) -> dict:
    """The vis-network nodes, edges and options of the map."""
    vis_nodes = [vis_node(node, drawing.nodes[node], graph.nodes[node]) for node in nodes]
    vis_nodes += [cluster["node"] for cluster in clusters]
    shown = [edge for edge in drawing.edges.values() if not drawing.nodes[edge.source].folded]
    vis_edges = [vis_edge(f"e{number}", edge, graph) for number, edge in enumerate(shown)]
    vis_edges += [shared_edge(f"s{number}", link) for number, link in enumerate(drawing.links)]
    options = vis_options(large=drawing.large, straight_edges=len(nodes) >= STRAIGHT_EDGES_FROM)
    return {"nodes": vis_nodes, "edges": vis_edges, "options": options}


def _legend(drawing: Drawing, nodes: list[str], folded: int) -> list[dict]:
    """The legend: every kind with its names, count, shape and colours, and cluster names."""
    counts = dict.fromkeys(NODE_KINDS, 0)
    for node in nodes:
        counts[drawing.nodes[node].kind] = counts.get(drawing.nodes[node].kind, 0) + 1
    hidden = any(drawing.nodes[node].hidden for node in nodes)
    kinds = [
        {
            "kind": kind,
            "singular": KIND_NAMES[kind][0],
            "plural": KIND_NAMES[kind][1],
            "count": counts.get(kind, 0),
            "hidden": kind == "author" and hidden,
            "inside": folded if kind == "author" else 0,
            **{key: KIND_STYLES[kind][key] for key in ("shape", "color", "border")},
        }
        for kind in NODE_KINDS
    ]
    if drawing.clusters:
        kinds.append(
            {
                "kind": "cluster",
                "singular": "Cluster",
                "plural": "Cluster names",
                "count": len(drawing.clusters),
                "hidden": False,
                "inside": 0,
                **{key: CLUSTER_STYLE[key] for key in ("shape", "color", "border")},
            }
        )
    return kinds


def _cluster_text(cluster: ClusterDrawing) -> str:
    """What holds a cluster together, in a sentence for its panel."""
    count = len(cluster.papers)
    if cluster.basis == "other":
        return (
            f"{count} papers in no cluster of their own: linked to no other paper, "
            "or in groups too small to name"
        )
    if cluster.basis == "front matter":
        return (
            f"{count} entries that are a journal's own pages, not papers (tables of contents, "
            "indexes, covers, notices), set apart from the papers"
        )
    if cluster.basis == "venue":
        return (
            f"{count} papers that share no author or term with others, "
            "gathered by where they appeared"
        )
    text = f"{count} papers linked by shared authors, keywords and terms"
    if cluster.terms:
        text += "; distinctive terms: " + ", ".join(f"{t} ({n})" for t, n in cluster.terms)
    return text


#: The map's room on the design screen (1280×720 less the toolbar and margins).
DESIGN_VIEW = (1280 - 28, 720 - 48 - 28)


def _whole_map_scale(drawing: Drawing) -> float:
    """The scale at which the whole map fits the design screen."""
    xs = [drawn.x for drawn in drawing.nodes.values() if not drawn.folded]
    ys = [drawn.y for drawn in drawing.nodes.values() if not drawn.folded]
    width, height = max(xs) - min(xs) + 200, max(ys) - min(ys) + 200
    return min(DESIGN_VIEW[0] / width, DESIGN_VIEW[1] / height, 1.0)


def _cluster(graph, cluster: ClusterDrawing, drawing: Drawing, *, whole_map: float | None) -> dict:
    """A named cluster: its vis-network node, what its panel lists, and its papers.

    With ``whole_map`` (the scale at which the whole map fits the screen),
    the map opens as its clusters, and this one is drawn as a closed disc
    over the place its papers take when it is opened.
    """
    details = {
        "kind": "cluster",
        "label": cluster.label.replace("\n", ": "),
        "text": _cluster_text(cluster),
        "authors": [f"{name} ({count})" for name, count in cluster.authors],
        "keywords": [f"{word} ({count})" for word, count in cluster.keywords],
        "papers": sorted(
            (panel_ref(graph, paper) for paper in cluster.papers),
            key=lambda ref: (ref["label"].lower(), ref["id"]),
        ),
    }
    node = cluster_node(cluster)
    if whole_map is not None:
        reach = max(
            math.hypot(drawing.nodes[paper].x - cluster.x, drawing.nodes[paper].y - cluster.y)
            for paper in cluster.papers
        )
        node = closed_cluster_node(cluster, reach, legible_from=whole_map)
    return {"node": node, "details": details, "papers": cluster.papers}


def pack_tables(data: dict) -> dict:
    """``data`` with what a lookup restores taken out (see :func:`unpack_tables`).

    An edge's width, colour and dashes become a key into ``edgeLooks``; a
    hover text that only says its two ends' labels around a relation becomes
    ``words`` with ``{from}`` and ``{to}`` in their place. In the panel
    details, a reference to another node loses the kind and label that node's
    own details (or, for a node folded into its paper, ``refNames``) hold,
    and a field left empty ("" or []) in a kind of details that always has
    it is left out (``detailDefaults`` names them). The page's script
    (clusters.js) puts all of it back.
    """
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    looks: dict[str, dict] = {}
    edges = []
    for edge in data["edges"]:
        edge = dict(edge)
        look = {"width": edge.pop("width"), "color": edge.pop("color")["color"]}
        if "dashes" in edge:
            look["dashes"] = edge.pop("dashes")
        key = f"{look['width']}|{look['color']}|{look.get('dashes')}"
        looks[key] = look
        edge["look"] = key
        phrase = RELATION_PHRASES.get(edge.get("relation", ""), "")
        plain = f"{labels.get(edge['from'], '')} {phrase} {labels.get(edge['to'], '')}"
        if phrase and edge.get("title") == plain:
            edge["words"] = f"{{from}} {phrase} {{to}}"
            del edge["title"]
        edges.append(edge)
    details, names, defaults = _pack_details(data["details"])
    return {
        **data,
        "edges": edges,
        "edgeLooks": looks,
        "details": details,
        "refNames": names,
        "detailDefaults": defaults,
    }


def _pack_details(details: dict[str, dict]) -> tuple[dict, dict, dict]:
    """The panel details without what a lookup restores, the names of folded nodes, the defaults."""
    names = {node: (info.get("kind"), info.get("label")) for node, info in details.items()}
    folded: dict[str, tuple] = {}
    defaults = _empty_fields(details)
    packed = {}
    for node, info in details.items():
        entry = dict(info)
        for field, empty in defaults.get(info.get("kind", ""), {}).items():
            if entry[field] == empty:
                del entry[field]
        for field, value in entry.items():
            if type(value) is list and value and type(value[0]) is dict:
                entry[field] = _pack_refs(value, names, folded)
        packed[node] = entry
    return packed, folded, defaults


def _pack_refs(refs: list[dict], names: dict[str, tuple], folded: dict[str, tuple]) -> list[dict]:
    """Panel references without the kind and label their nodes' lookup gives back."""
    packed = []
    for ref in refs:
        if "id" in ref and "kind" in ref and "label" in ref:
            name = (ref["kind"], ref["label"])
            if (names.get(ref["id"]) or folded.setdefault(ref["id"], name)) == name:
                ref = dict(ref)
                del ref["kind"], ref["label"]
        packed.append(ref)
    return packed


def _empty_fields(details: dict[str, dict]) -> dict[str, dict]:
    """For each kind of details, the fields all of them have and some leave empty, with that value."""
    shapes: dict[str, dict[str, type]] = {}
    emptied: dict[str, set[str]] = {}
    for info in details.values():
        kind = info.get("kind", "")
        shape = shapes.get(kind)
        if shape is None:
            shape = shapes[kind] = {
                field: type(value)
                for field, value in info.items()
                if type(value) in (str, list) and field not in ("kind", "label")
            }
            emptied[kind] = set()
        for field, shaped in list(shape.items()):
            value = info.get(field)
            if type(value) is not shaped:
                del shape[field]  # not in every entry, or not always of one type
            elif not value:
                emptied[kind].add(field)
    return {
        kind: {field: shape[field]() for field in sorted(emptied[kind]) if field in shape}
        for kind, shape in shapes.items()
        if emptied[kind] & set(shape)
    }


def unpack_tables(packed: dict) -> dict:
    """The data :func:`pack_tables` was given, as the page's script restores it."""
    labels = {node["id"]: node["label"] for node in packed["nodes"]}
    looks = packed["edgeLooks"]
    edges = []
    for edge in packed["edges"]:
        edge = dict(edge)
        look = looks[edge.pop("look")]
        edge.update(width=look["width"], color={"color": look["color"], "opacity": 1.0})
        if "dashes" in look:
            edge["dashes"] = look["dashes"]
        if "words" in edge:
            edge["title"] = _say_ends(edge.pop("words"), labels[edge["from"]], labels[edge["to"]])
        edges.append(edge)
    tables = ("edgeLooks", "refNames", "detailDefaults")
    unpacked = {key: value for key, value in packed.items() if key not in tables}
    return unpacked | {"edges": edges, "details": _unpack_details(packed)}


def _unpack_details(packed: dict) -> dict[str, dict]:
    """The panel details :func:`_pack_details` was given."""
    details = packed["details"]
    folded = packed.get("refNames", {})
    defaults = packed.get("detailDefaults", {})
    unpacked = {}
    for node, info in details.items():
        entry = {}
        for field, value in info.items():
            if (
                isinstance(value, list)
                and value
                and isinstance(value[0], dict)
                and "id" in value[0]
            ):
                value = [
                    ref
                    if "label" in ref
                    else _named(ref, details.get(ref["id"]) or folded[ref["id"]])
                    for ref in value
                ]
            entry[field] = value
        for field, value in defaults.get(info.get("kind", ""), {}).items():
            entry.setdefault(field, type(value)())
        unpacked[node] = entry
    return unpacked


def _named(ref: dict, name) -> dict:
    """``ref`` with the kind and label of its node (a details entry or a ``[kind, label]`` pair)."""
    kind, label = (name["kind"], name["label"]) if isinstance(name, dict) else name
    return {**ref, "kind": kind, "label": label}


def _say_ends(words: str, source: str, target: str) -> str:
    """``words`` with ``{from}`` and ``{to}`` replaced by the labels of an edge's ends."""
    ends = {"{from}": source, "{to}": target}
    return re.sub(r"\{(from|to)\}", lambda match: ends[match.group(0)], words)
