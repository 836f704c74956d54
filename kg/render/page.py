"""Graph -> the data the concept-map page shows.

The page receives one JSON document: the vis-network nodes, edges and options
(built through pyvis), and for every node the details its side panel lists.
Everything is computed here, in Python, once: positions, citation strings,
papers ranked by evidence strength. The page's script only displays it.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from kg.graph import split_node_id
from kg.model import NODE_KINDS, STRENGTHS, strength_rank, weakest
from kg.render.structure import communities, find_clusters, named_groups, shared_links
from kg.render.timeline import timeline

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

#: Past this many nodes edges are drawn straight (curves cost too much to draw).
STRAIGHT_EDGES_FROM = 400
#: Past this many authors, author nodes start hidden (the checkbox shows them).
AUTHORS_SHOWN_UP_TO = 20
#: Past this many nodes hovering only highlights edges, not the whole neighbourhood.
HOVER_DIMMING_UP_TO = 3000
#: Past this many nodes, text sizes shrink and nodes sit closer together.
LARGE_MAP_FROM = 1000

#: Okabe-Ito colours (safe for the common colour-vision deficiencies), one per kind,
#: and a distinct shape per kind so that colour is never the only cue.
KIND_STYLES = {
    "objective": {
        "shape": "box",
        "color": "#D55E00",
        "border": "#8F3F00",
        "font": "#FFFFFF",
        "text": 20,
    },
    "concept": {
        "shape": "ellipse",
        "color": "#56B4E9",
        "border": "#0072B2",
        "font": "#0B2233",
        "text": 18,
    },
    "paper": {
        "shape": "dot",
        "color": "#009E73",
        "border": "#00684B",
        "font": "#1F2A24",
        "text": 18,
    },
    "quote": {
        "shape": "diamond",
        "color": "#F0E442",
        "border": "#8A7E00",
        "font": "#2B2700",
        "text": 14,
    },
    "author": {
        "shape": "triangle",
        "color": "#CC79A7",
        "border": "#8E4571",
        "font": "#4A2A3C",
        "text": 13,
    },
}

#: Cluster names on a bibliography-only map: plain text, no marker.
CLUSTER_STYLE = {
    "shape": "text",
    "color": "#3A3A3A",
    "border": "#3A3A3A",
    "font": "#2B2B2B",
    "text": 26,
}
#: Links between papers of a bibliography alone: shared authors solid, shared keywords dotted.
SHARED_AUTHOR_COLOUR = "#8C8C8C"
SHARED_KEYWORD_COLOUR = "#B08A00"

KIND_NAMES = {
    "objective": ("Learning objective", "Learning objectives"),
    "concept": ("Concept", "Concepts"),
    "paper": ("Paper", "Papers"),
    "quote": ("Quote", "Quotes"),
    "author": ("Author", "Authors"),
}

#: How an edge is drawn for each evidence strength: supported solid, weak dashed, inferred dotted.
STRENGTH_DASHES = {"supported": False, "weak": [10, 6], "inferred": [2, 5]}
STRENGTH_WIDTH = {"supported": 3.0, "weak": 2.0, "inferred": 1.6}
#: How hard an edge pulls in the layout.
LAYOUT_PULL = {"supported": 1.0, "weak": 0.7, "inferred": 0.5}
#: How much room a node asks for in the layout.
LAYOUT_WEIGHT = {"objective": 2.2, "concept": 1.7, "quote": 1.2, "paper": 1.0, "author": 0.6}

EDGE_COLOURS = {
    "wrote": "#B9B9B9",
    "related": "#0072B2",
    "illustrates": "#9A8C00",
    "quotes": "#9A8C00",
}
EVIDENCE_COLOUR = "#6B6B6B"

RELATION_PHRASES = {
    "wrote": "wrote",
    "discusses": "discusses",
    "covers": "covers",
    "supports": "supports",
    "related": "is related to",
    "illustrates": "illustrates",
    "quotes": "quotes",
}

#: Width at which long labels wrap, per kind (pixels).
WRAP_WIDTH = {"objective": 210, "concept": 190, "quote": 180, "paper": 170, "author": 140}


def page_data(
    graph: nx.DiGraph,
    *,
    title: str,
    citations: dict[str, str] | None = None,
    previous: dict[str, tuple[float, float]] | None = None,
) -> dict:
    """Return the JSON-ready document the page template embeds.

    ``citations`` maps citation keys to formatted (plain text) references;
    papers without one show their fields instead. ``previous`` holds the
    positions of an earlier render (see :mod:`kg.render.layout_file`): nodes
    found there keep their place. The document's ``positions`` entry holds
    every node's position, for the layout file.
    """
    from pyvis.network import Network

    citations = citations or {}
    nodes = sorted(graph.nodes)
    large = len(nodes) >= LARGE_MAP_FROM
    collapsed = _collapsible_authors(graph, nodes) if large else set()
    if collapsed:
        nodes = [node for node in nodes if node not in collapsed]
    counts = dict.fromkeys(NODE_KINDS, 0)
    for node in nodes:
        kind = graph.nodes[node].get("kind", "paper")
        counts[kind] = counts.get(kind, 0) + 1
    hide_authors = counts.get("author", 0) > AUTHORS_SHOWN_UP_TO

    edges = sorted(
        (edge for edge in graph.edges(data=True) if edge[0] not in collapsed),
        key=lambda edge: (edge[0], edge[1]),
    )
    bibliography_only = not (counts.get("concept") or counts.get("objective"))
    shared = (
        shared_links(graph, [node for node in nodes if graph.nodes[node].get("kind") == "paper"])
        if bibliography_only and hide_authors
        else []
    )
    groups = communities(shared)  # weakens the links between communities, for the layout
    positions = _positions(
        graph,
        nodes,
        edges,
        large=large,
        authors_aside=hide_authors,
        shared=shared,
        hubs={f"cluster:{n}": members for n, members in enumerate(named_groups(groups), 1)},
        previous=previous,
    )
    clusters = _clusters(graph, groups, positions)

    network = Network(directed=True, cdn_resources="remote")
    for node in nodes:
        attrs = graph.nodes[node]
        kind = attrs.get("kind", "paper")
        x, y = positions[node]
        vis_node = {
            "id": node,
            "label": _display_label(attrs),
            "group": kind,
            "x": x,
            "y": y,
            "title": _tooltip(attrs),
        }
        if kind == "concept":
            vis_node["font"] = {"size": _concept_text_size(graph, node)}
        if kind == "author" and hide_authors:
            vis_node["hidden"] = True
        network.nodes.append(vis_node)
        network.node_ids.append(node)
        network.node_map[node] = vis_node
    for number, (source, target, attrs) in enumerate(edges):
        network.edges.append(_vis_edge(f"e{number}", source, target, attrs, graph))
    for number, link in enumerate(shared):
        network.edges.append(_shared_edge(f"s{number}", link))
    for cluster in clusters:
        network.nodes.append(cluster["node"])
        network.node_ids.append(cluster["node"]["id"])
        network.node_map[cluster["node"]["id"]] = cluster["node"]
    network.options = _vis_options(len(nodes), large)
    vis_nodes, vis_edges, _heading, _height, _width, options_json = network.get_network_data()
    details = {node: _details(graph, node, citations, collapsed) for node in nodes}
    for cluster in clusters:
        details[cluster["node"]["id"]] = cluster["details"]
    kinds = [
        {
            "kind": kind,
            "singular": KIND_NAMES[kind][0],
            "plural": KIND_NAMES[kind][1],
            "count": counts.get(kind, 0),
            "hidden": kind == "author" and hide_authors,
            "inside": len(collapsed) if kind == "author" else 0,
            **{key: KIND_STYLES[kind][key] for key in ("shape", "color", "border")},
        }
        for kind in NODE_KINDS
    ]
    if clusters:
        kinds.append(
            {
                "kind": "cluster",
                "singular": "Cluster",
                "plural": "Cluster names",
                "count": len(clusters),
                "hidden": False,
                "inside": 0,
                **{key: CLUSTER_STYLE[key] for key in ("shape", "color", "border")},
            }
        )
    return {
        "title": title,
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": json.loads(options_json),
        "kinds": kinds,
        "strengths": list(STRENGTHS),
        "objectives": [node for node in nodes if graph.nodes[node].get("kind") == "objective"],
        "details": details,
        "settings": {
            "hoverDimming": len(nodes) <= HOVER_DIMMING_UP_TO,
            "large": large,
            "sharedLinks": len(shared),
        },
        "timeline": timeline(graph, nodes, clusters),
        "positions": {node: list(positions[node]) for node in nodes},
    }


def _positions(
    graph, nodes, edges, *, large: bool, authors_aside: bool, shared=(), hubs=None, previous=None
) -> dict[str, tuple[int, int]]:
    """Frozen positions for every node.

    When authors start hidden and the map has concepts (or papers linked by
    shared authors and keywords, ``shared``), the layout is computed without
    them (so hiding them leaves no holes) and each author is then put beside
    their papers. A small bibliography-only map has no other structure than
    authorship, so there the authors take part in the layout. Nodes in
    ``previous`` keep their earlier place. ``hubs`` maps a cluster's name node
    to its papers: the name is laid out with them, tied to each, which holds
    the cluster together and leaves room for the name in its middle.
    """
    from kg.render.layout import force_layout, place_satellites

    kinds = {node: graph.nodes[node].get("kind", "paper") for node in nodes}
    has_concepts = any(kind in ("concept", "objective") for kind in kinds.values())
    aside = authors_aside and (has_concepts or bool(shared))
    core = [node for node in nodes if not (aside and kinds[node] == "author")]
    core_set = set(core)
    layout_edges = [
        (source, target, _pull(attrs))
        for source, target, attrs in edges
        if source in core_set and target in core_set
    ]
    layout_edges += [(link["from"], link["to"], link["pull"]) for link in shared]
    hubs = hubs or {}
    for hub, members in hubs.items():
        layout_edges += [(hub, paper, HUB_PULL) for paper in members]
    previous = previous or {}
    boxes = {node: _box(graph.nodes[node], large, _concept_text_size(graph, node)) for node in core}
    for hub, members in hubs.items():
        boxes[hub] = _cluster_box(len(members))
    positions = force_layout(
        core + sorted(hubs),
        layout_edges,
        weights={node: LAYOUT_WEIGHT.get(kinds.get(node, "cluster"), 1.0) for node in core},
        boxes=boxes,
        edge_length=60.0 if large else 70.0,
        previous={node: xy for node, xy in previous.items() if node in core_set},
    )
    texts = {node: _text_size(graph, node, large) for node in core if kinds[node] in GROWING_KINDS}
    texts.update({hub: _cluster_size(len(members)) for hub, members in hubs.items()})
    if not previous:
        positions = _room_for_whole_view_labels(positions, boxes, texts)
    elif hubs:
        # Kept places stay; cluster names (never kept) make room among themselves.
        named = {hub: positions[hub] for hub in hubs}
        positions.update(
            _room_for_whole_view_labels(named, boxes, texts, extent_of=positions, widen=False)
        )
    if aside:
        satellites = {
            node: [
                target
                for _, target, attrs in sorted(graph.out_edges(node, data=True))
                if attrs.get("relation") == "wrote"
            ]
            for node in nodes
            if kinds[node] == "author"
        }
        positions.update(place_satellites(positions, satellites))
        for node in nodes:  # an author of no placed paper still needs a place
            positions.setdefault(node, (0, 0))
        for node in nodes:
            if kinds[node] == "author" and node in previous:
                positions[node] = tuple(round(value) for value in previous[node])
    return positions


def kind_palette() -> dict[str, dict[str, str]]:
    """The map's colours and shapes by node kind: ``fill``, ``border``, ``text`` and ``shape``.

    Other outputs (exports, printed figures) use this to look like the map.
    """
    return {
        kind: {
            "fill": style["color"],
            "border": style["border"],
            "text": style["font"],
            "shape": style["shape"],
        }
        for kind, style in KIND_STYLES.items()
    }


def graph_positions(graph, previous: dict | None = None) -> dict[str, tuple[int, int]]:
    """The map's positions for every node of ``graph`` (from :func:`kg.graph.build_graph`).

    The same as the rendered map shows (authors of a single paper folded on
    large maps are left out); ``previous`` holds earlier positions to keep
    (a layout file's, see :mod:`kg.render.layout_file`).
    """
    return {
        node: tuple(xy)
        for node, xy in page_data(graph, title="", previous=previous)["positions"].items()
    }


def _clusters(graph, groups: list[list[str]], positions: dict) -> list[dict]:
    """Named clusters as vis-network text nodes, with what their panel lists."""
    clusters = []
    for cluster in find_clusters(graph, groups, positions):
        x, y = cluster["position"]
        size = _cluster_size(len(cluster["papers"]))
        node = {
            "id": cluster["id"],
            "label": cluster["label"],
            "group": "cluster",
            "x": x,
            "y": y,
            "font": {"size": size},
            "title": f"{cluster['label']} ({len(cluster['papers'])} papers)".replace("\n", ": "),
        }
        details = {
            "kind": "cluster",
            "label": cluster["label"].replace("\n", ": "),
            "text": f"{len(cluster['papers'])} papers linked by shared authors"
            + (" and keywords" if cluster["keywords"] else ""),
            "authors": [f"{name} ({count})" for name, count in cluster["authors"]],
            "keywords": [f"{word} ({count})" for word, count in cluster["keywords"]],
            "papers": sorted(
                (_ref(graph, paper) for paper in cluster["papers"]),
                key=lambda ref: (ref["label"].lower(), ref["id"]),
            ),
        }
        clusters.append({"node": node, "details": details, "papers": cluster["papers"]})
    return clusters


def _shared_edge(edge_id: str, link: dict) -> dict:
    """A link between two papers that share authors (solid) or only keywords (dotted)."""
    by_author = bool(link["authors"])
    words = []
    if link["authors"]:
        words.append("Shared authors: " + ", ".join(link["authors"]))
    if link["keywords"]:
        words.append("Shared keywords: " + ", ".join(link["keywords"]))
    return {
        "id": edge_id,
        "from": link["from"],
        "to": link["to"],
        "relation": "coauthor" if by_author else "keyword",
        "width": min(4.0, 1.0 + 0.8 * (len(link["authors"]) - 1)) if by_author else 1.2,
        "dashes": False if by_author else [2, 5],
        "color": {
            "color": SHARED_AUTHOR_COLOUR if by_author else SHARED_KEYWORD_COLOUR,
            "opacity": 1.0,
        },
        "title": "\n".join(words),
    }


#: The screen a map is designed for, and the room the toolbar, the legend and margins take from it.
DESIGN_VIEW = (1280 - 250 - 28, 720 - 48 - 28)
#: On the whole map, concept, objective and cluster names are drawn at least this high on screen.
LEGIBLE_ON_WHOLE_MAP = 12
#: Labels grow at most this many times their own size when the map is zoomed out.
MOST_GROWTH = 4.0


def _room_for_whole_view_labels(
    positions, boxes, texts, *, extent_of=None, widen: bool = True
) -> dict[str, tuple[int, int]]:
    """Make room for names drawn larger on the whole map (``texts``: their own text sizes).

    Zoomed out to the whole map at the design size, the page draws concept,
    objective and cluster names larger so that they stay legible
    (:data:`LEGIBLE_ON_WHOLE_MAP` pixels). Here their boxes grow by the same
    factor and ``positions`` are spread until none overlaps; a larger map then
    fits at a smaller scale, so this is repeated a few times. The map's
    extent (hence its scale) is that of ``extent_of`` when given (the whole
    map, when only some of its nodes may move); ``widen`` lets the layout
    stretch sideways towards the screen's shape.
    """
    from kg.render.overlap import separate_boxes

    growing = [node for node in positions if node in texts]
    if not growing or len(positions) < 2:
        return positions
    for _ in range(3):
        whole = extent_of or positions
        left = min(whole[n][0] - boxes.get(n, (20, 20))[0] / 2 for n in whole)
        right = max(whole[n][0] + boxes.get(n, (20, 20))[0] / 2 for n in whole)
        top = min(whole[n][1] - boxes.get(n, (20, 20))[1] / 2 for n in whole)
        bottom = max(whole[n][1] + boxes.get(n, (20, 20))[1] / 2 for n in whole)
        scale = min(
            DESIGN_VIEW[0] / max(1, right - left), DESIGN_VIEW[1] / max(1, bottom - top), 1.2
        )
        grown = dict(boxes)
        changed = False
        for node in growing:
            base = texts[node]
            factor = min(MOST_GROWTH, LEGIBLE_ON_WHOLE_MAP / (base * scale))
            if factor > 1.02:
                width, height = boxes[node]
                grown[node] = (width * factor, height * factor)
                changed = True
        if not changed:
            break
        positions = separate_boxes(positions, grown, rounds=40 if len(positions) > 2000 else 120)
        if widen:
            positions = _widen(positions, grown)
    return positions


def _widen(positions, boxes) -> dict[str, tuple[int, int]]:
    """Stretch a layout sideways towards the shape of the design view (gaps only grow)."""
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    wanted = DESIGN_VIEW[0] / DESIGN_VIEW[1]
    if not width or not height or width >= wanted * height:
        return positions
    stretch = min(wanted * height / width, 1.6)
    middle = (max(xs) + min(xs)) / 2
    return {node: (round(middle + (x - middle) * stretch), y) for node, (x, y) in positions.items()}


#: Kinds whose names grow on a zoomed-out map.
GROWING_KINDS = ("concept", "objective", "cluster")

#: How hard a cluster's name holds each of its papers in the layout.
HUB_PULL = 0.3


def _cluster_size(papers: int) -> int:
    """Text size of a cluster's name: larger clusters get larger names."""
    return CLUSTER_STYLE["text"] + min(22, round(2 * math.sqrt(papers)))


def _cluster_box(papers: int) -> tuple[float, float]:
    """Approximate drawn size of a cluster's name (two lines at most)."""
    size = _cluster_size(papers)
    return min(420.0, 16 * size * 0.55), 2 * size * 1.25


def _pull(attrs: dict) -> float:
    """Layout pull of an edge: stronger evidence holds nodes closer."""
    if attrs.get("relation") == "wrote":
        return 1.2
    if attrs.get("relation") == "related":
        return 0.6
    return LAYOUT_PULL.get(attrs.get("strength", ""), 0.8)


def _display_label(attrs: dict) -> str:
    """The text drawn on the node; an objective shows its id and its words."""
    if attrs.get("kind") == "objective":
        text = attrs.get("text", "")
        return f"{attrs.get('label', '')}  {_shorten(text, 70)}" if text else attrs.get("label", "")
    return attrs.get("label", "")


def _shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary, adding an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _concept_text_size(graph, node: str) -> int:
    """Concepts with more links get larger text, so the central ideas stand out."""
    base = KIND_STYLES["concept"]["text"]
    if graph.nodes[node].get("kind") != "concept":
        return base
    return base + min(8, graph.degree(node) // 2)


def _text_size(graph, node: str, large: bool) -> int:
    """The text size a node's label is drawn at on its own (before the page enlarges it)."""
    kind = graph.nodes[node].get("kind", "paper")
    if kind == "concept":
        return _concept_text_size(graph, node)
    return KIND_STYLES.get(kind, KIND_STYLES["paper"])["text"] - (2 if large else 0)


def _box(attrs: dict, large: bool, text_size: int | None = None) -> tuple[float, float]:
    """Approximate drawn size (width, height) of a node with its label, in pixels."""
    kind = attrs.get("kind", "paper")
    size = text_size or KIND_STYLES.get(kind, KIND_STYLES["paper"])["text"]
    label = _display_label(attrs)
    char = size * 0.55
    wrap = WRAP_WIDTH.get(kind, 150)
    width = min(len(label) * char, wrap)
    # Word wrapping leaves lines part empty: count on lines four-fifths full.
    lines = max(1, math.ceil(len(label) * char / (wrap * 0.8)))
    text_height = lines * size * 1.25
    if kind in ("objective", "concept"):
        return width + 26, text_height + 18
    marker = 22 if kind != "author" else 16
    if large:
        return max(width * 0.5, marker), marker + size
    # The label hangs below the marker; the box is centred on the marker, so count it twice.
    return max(width, marker), marker + 2 * (text_height + 4)


def _tooltip(attrs: dict) -> str:
    """Plain-text hover text (vis-network shows strings with innerText, never as HTML)."""
    kind = attrs.get("kind", "paper")
    if kind == "paper":
        lines = [attrs.get("label", ""), attrs.get("title", "")]
    elif kind == "concept":
        lines = [attrs.get("label", ""), _shorten(attrs.get("definition", ""), 160)]
    elif kind == "objective":
        lines = [
            f"Objective {attrs.get('label', '')} ({attrs.get('domain', '')})",
            attrs.get("text", ""),
        ]
    elif kind == "quote":
        lines = [_shorten(attrs.get("text", ""), 200), attrs.get("speaker", "")]
    else:
        lines = [attrs.get("label", "")]
    return "\n".join(line for line in lines if line)


def _vis_edge(edge_id: str, source: str, target: str, attrs: dict, graph) -> dict:
    """One vis-network edge: colour by relation, dash and width by evidence strength."""
    relation = attrs.get("relation", "")
    strength = attrs.get("strength")
    edge = {"id": edge_id, "from": source, "to": target, "relation": relation}
    if strength in STRENGTH_DASHES:
        edge["strength"] = strength
        edge["dashes"] = STRENGTH_DASHES[strength]
        edge["width"] = STRENGTH_WIDTH[strength]
    else:
        edge["width"] = 1.0 if relation == "wrote" else 1.8
        if relation == "related":
            edge["dashes"] = False
    edge["color"] = {"color": EDGE_COLOURS.get(relation, EVIDENCE_COLOUR), "opacity": 1.0}
    source_label = graph.nodes[source].get("label", source)
    target_label = graph.nodes[target].get("label", target)
    phrase = RELATION_PHRASES.get(relation, relation)
    if relation == "related" and attrs.get("type"):
        phrase = attrs["type"].replace("-", " ")
    words = f"{source_label} {phrase} {target_label}"
    if strength:
        words += f" ({strength})"
    if attrs.get("reason"):
        words += f"\n{attrs['reason']}"
    edge["title"] = words
    return edge


def _vis_options(count: int, large: bool) -> dict:
    """vis-network options: frozen positions, straight edges on large maps, one group per kind."""
    groups = {}
    for kind, style in KIND_STYLES.items():
        size = style["text"] - (2 if large else 0)
        group = {
            "shape": style["shape"],
            "color": {
                "background": style["color"],
                "border": style["border"],
                "highlight": {"background": style["color"], "border": "#000000"},
                "hover": {"background": style["color"], "border": "#000000"},
            },
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": size,
                "color": style["font"],
                "face": "system-ui, 'Segoe UI', Roboto, sans-serif",
            },
            "widthConstraint": {"maximum": WRAP_WIDTH[kind]},
        }
        if kind == "objective":
            group["font"].update({"bold": {"color": "#FFFFFF"}, "multi": False})
            group["margin"] = {"top": 10, "bottom": 10, "left": 12, "right": 12}
            group["shapeProperties"] = {"borderRadius": 6}
        elif kind == "concept":
            group["margin"] = {"top": 8, "bottom": 8, "left": 10, "right": 10}
        elif kind == "paper":
            group["size"] = 10
            group["font"]["strokeWidth"] = 3
            group["font"]["strokeColor"] = "#FFFFFF"
        elif kind == "quote":
            group["size"] = 12
            group["font"]["strokeWidth"] = 3
            group["font"]["strokeColor"] = "#FFFFFF"
        elif kind == "author":
            group["size"] = 8
            group["font"]["strokeWidth"] = 3
            group["font"]["strokeColor"] = "#FFFFFF"
        if kind in ("paper", "author", "quote"):
            # Labels too small to read give way (they fade out) and come back on zooming in.
            group["scaling"] = {"label": {"drawThreshold": 9, "maxVisible": 48}}
        if large and kind in ("paper", "author"):
            # Thousands of outlines cost more to draw than the fills: plain shapes pan faster.
            group["borderWidth"] = 0
        groups[kind] = group
    groups["cluster"] = {
        "shape": "text",
        "font": {
            "size": CLUSTER_STYLE["text"],
            "color": CLUSTER_STYLE["font"],
            "face": "system-ui, 'Segoe UI', Roboto, sans-serif",
            "strokeWidth": 5,
            "strokeColor": "#FFFFFF",
            "multi": False,
        },
        "widthConstraint": {"maximum": 420},
    }
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "groups": groups,
        "nodes": {"shapeProperties": {"interpolation": False}},
        "edges": {
            "smooth": False
            if count >= STRAIGHT_EDGES_FROM
            else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "arrows": {"to": {"enabled": False}},
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": False,
            "zoomSpeed": 0.6,
        },
    }


def _ref(graph, node: str, **extra) -> dict:
    """A reference to another node for the panel: its id, kind and label."""
    attrs = graph.nodes[node]
    ref = {"id": node, "kind": attrs.get("kind", ""), "label": attrs.get("label", node)}
    ref.update({key: value for key, value in extra.items() if value not in (None, "")})
    return ref


def _by_strength(refs: list[dict]) -> list[dict]:
    """Sort panel references strongest first, then by label."""
    return sorted(
        refs,
        key=lambda ref: (
            strength_rank(ref.get("strength", "inferred")),
            ref["label"].lower(),
            ref["id"],
        ),
    )


def _collapsible_authors(graph, nodes) -> set[str]:
    """Authors of a single paper and nothing else: on a large map they live inside their paper.

    They add nothing to the map's structure (they connect no two papers), and
    drawing thousands of them makes panning slow. Their names stay in their
    paper's panel and in the search.
    """
    return {
        node
        for node in nodes
        if graph.nodes[node].get("kind") == "author"
        and graph.out_degree(node) == 1
        and graph.in_degree(node) == 0
    }


def _details(graph, node: str, citations: dict[str, str], collapsed=frozenset()) -> dict:
    """What the side panel shows for ``node`` (plain text only: the page escapes it)."""
    attrs = graph.nodes[node]
    kind, key = split_node_id(node)
    details = {"kind": kind, "label": attrs.get("label", key)}
    incoming = sorted(graph.in_edges(node, data=True), key=lambda edge: edge[0])
    outgoing = sorted(graph.out_edges(node, data=True), key=lambda edge: edge[1])

    def evidence(edge_attrs, other):
        return _ref(
            graph,
            other,
            strength=edge_attrs.get("strength", "inferred"),
            reason=edge_attrs.get("reason"),
        )

    if kind == "paper":
        details.update(
            key=key,
            title=attrs.get("title", ""),
            year=str(attrs.get("year", "")),
            venue=attrs.get("venue", ""),
            citation=citations.get(key, ""),
            doi=attrs.get("doi", ""),
            url=attrs.get("url", ""),
            abstract=attrs.get("abstract", ""),
            note=attrs.get("note", ""),
        )
        details["people"] = [
            _ref(graph, other, role=edge_attrs.get("role"), inside=other in collapsed or None)
            for other, _, edge_attrs in sorted(
                incoming, key=lambda edge: (edge[2].get("role", ""), edge[2].get("position", 0))
            )
            if edge_attrs.get("relation") == "wrote"
        ]
        details["concepts"] = _by_strength(
            [evidence(a, other) for _, other, a in outgoing if a.get("relation") == "discusses"]
        )
        details["objectives"] = _by_strength(
            [evidence(a, other) for _, other, a in outgoing if a.get("relation") == "supports"]
            + _objectives_through_concepts(graph, node, outgoing)
        )
        details["quotes"] = [
            _ref(graph, other) for other, _, a in incoming if a.get("relation") == "quotes"
        ]
    elif kind == "concept":
        details.update(
            definition=attrs.get("definition", ""), aliases=_split(attrs.get("aliases", ""))
        )
        related = [
            _ref(graph, other, type=a.get("type"), reason=a.get("reason"))
            for _, other, a in outgoing
            if a.get("relation") == "related"
        ]
        related += [
            _ref(graph, other, type=a.get("type"), reason=a.get("reason"))
            for other, _, a in incoming
            if a.get("relation") == "related"
        ]
        details["related"] = sorted(related, key=lambda ref: (ref["label"].lower(), ref["id"]))
        details["papers"] = _by_strength(
            [evidence(a, other) for other, _, a in incoming if a.get("relation") == "discusses"]
        )
        details["objectives"] = _by_strength(
            [evidence(a, other) for other, _, a in incoming if a.get("relation") == "covers"]
        )
        details["quotes"] = [
            _ref(graph, other) for other, _, a in incoming if a.get("relation") == "illustrates"
        ]
    elif kind == "objective":
        details.update(text=attrs.get("text", ""), domain=attrs.get("domain", ""))
        details["concepts"] = _by_strength(
            [evidence(a, other) for _, other, a in outgoing if a.get("relation") == "covers"]
        )
        details["papers"] = _objective_papers(graph, node, incoming, outgoing)
        details["quotes"] = [
            _ref(graph, other) for other, _, a in incoming if a.get("relation") == "illustrates"
        ]
    elif kind == "quote":
        details.update(
            text=attrs.get("text", ""),
            speaker=attrs.get("speaker", ""),
            page=str(attrs.get("page", "")),
            note=attrs.get("note", ""),
        )
        details["source"] = [
            _ref(graph, other) for _, other, a in outgoing if a.get("relation") == "quotes"
        ]
        details["illustrates"] = [
            _ref(graph, other) for _, other, a in outgoing if a.get("relation") == "illustrates"
        ]
    elif kind == "author":
        details.update(aliases=_split(attrs.get("aliases", "")))
        details["papers"] = sorted(
            (
                _ref(graph, other, role=a.get("role"))
                for _, other, a in outgoing
                if a.get("relation") == "wrote"
            ),
            key=lambda ref: (ref["label"].lower(), ref["id"]),
        )
    return details


def _split(value) -> list[str]:
    """Undo the graph's ``"; "`` joining of list attributes."""
    from kg.graph import LIST_SEPARATOR

    return [part for part in str(value).split(LIST_SEPARATOR) if part] if value else []


def _objectives_through_concepts(graph, paper: str, outgoing) -> list[dict]:
    """Objectives a paper supports through a concept it discusses (chain = weakest link)."""
    direct = {other for _, other, a in outgoing if a.get("relation") == "supports"}
    best: dict[str, dict] = {}
    for _, concept, discusses in outgoing:
        if discusses.get("relation") != "discusses":
            continue
        for objective, _, covers in graph.in_edges(concept, data=True):
            if covers.get("relation") != "covers" or objective in direct:
                continue
            strength = weakest(
                discusses.get("strength", "inferred"), covers.get("strength", "inferred")
            )
            label = graph.nodes[concept].get("label", concept)
            candidate = _ref(graph, objective, strength=strength, via=label)
            known = best.get(objective)
            if known is None or strength_rank(strength) < strength_rank(known["strength"]):
                best[objective] = candidate
    return [best[objective] for objective in sorted(best)]


def _objective_papers(graph, objective: str, incoming, outgoing) -> list[dict]:
    """Papers behind an objective, directly or through its concepts, strongest first, with reasons."""
    best: dict[str, dict] = {}

    def offer(paper, strength, reason, via=None):
        candidate = _ref(graph, paper, strength=strength, reason=reason, via=via)
        known = best.get(paper)
        if known is None or strength_rank(strength) < strength_rank(known["strength"]):
            best[paper] = candidate

    for paper, _, supports in incoming:
        if supports.get("relation") == "supports":
            offer(paper, supports.get("strength", "inferred"), supports.get("reason"))
    for _, concept, covers in outgoing:
        if covers.get("relation") != "covers":
            continue
        concept_label = graph.nodes[concept].get("label", concept)
        for paper, _, discusses in sorted(
            graph.in_edges(concept, data=True), key=lambda edge: edge[0]
        ):
            if discusses.get("relation") != "discusses":
                continue
            strength = weakest(
                covers.get("strength", "inferred"), discusses.get("strength", "inferred")
            )
            offer(paper, strength, discusses.get("reason"), via=concept_label)
    # The order every command gives: kg.query's ranking model, not strength alone.
    from kg.query import papers_for_objective

    order = {match.node: rank for rank, match in enumerate(papers_for_objective(graph, objective))}
    return sorted(best.values(), key=lambda ref: order.get(ref["id"], len(order)))
