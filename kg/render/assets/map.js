/* kg concept map: the page's behaviour.
 *
 * Every piece of text from the sources reaches the page through textContent
 * (or vis-network's innerText tooltips): never through innerHTML. The data is
 * read from a JSON block, so it is parsed, never executed.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = data.details;
  var kindInfo = {};
  data.kinds.forEach(function (kind) { kindInfo[kind.kind] = kind; });
  var store = (function () {
    try { return window.localStorage; } catch (error) { return null; }
  })();

  function remember(key, value) {
    try { if (store) { store.setItem("kg-map:" + key, value); } } catch (error) { /* private mode */ }
  }

  function recall(key) {
    try { return store ? store.getItem("kg-map:" + key) : null; } catch (error) { return null; }
  }
  var groupFont = {};
  Object.keys(data.options.groups).forEach(function (kind) {
    groupFont[kind] = data.options.groups[kind].font.color;
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;
  network.once("afterDrawing", function () {
    window.kgReadyAt = performance.now();
    window.kgReady = true;
    document.body.setAttribute("data-ready", "true");
  });

  /* Where each node lives on the map (its frozen position), and its own text size. */
  var home = {};
  var labelOf = {};
  var baseFont = {};
  var groupStroke = {};
  Object.keys(data.options.groups).forEach(function (kind) {
    groupStroke[kind] = data.options.groups[kind].font.strokeWidth || 0;
  });
  data.nodes.forEach(function (node) {
    home[node.id] = { x: node.x, y: node.y };
    labelOf[node.id] = node.label;
    baseFont[node.id] = (node.font && node.font.size) || data.options.groups[node.group].font.size;
  });

  var adjacency = {};
  data.nodes.forEach(function (node) { adjacency[node.id] = []; });
  data.edges.forEach(function (edge) {
    adjacency[edge.from].push(edge.to);
    adjacency[edge.to].push(edge.from);
  });

  /* ---------------------------------------------------------------- helpers */

  function el(tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    return element;
  }

  /* A button naming a node; it moves to that node on the map, or, from the
     list view's "linked to" column, to that node's row. */
  function nodeLink(ref, withinList) {
    var label = ref.kind === "objective" ? "Objective " + ref.label : ref.label;
    if (ref.inside) { return el("span", null, label); }
    var button = el("button", "node-link", label);
    button.type = "button";
    button.setAttribute("data-node", ref.id);
    button.addEventListener("click", function () {
      var row = withinList ? document.getElementById("row-" + ref.id) : null;
      if (row) {
        row.scrollIntoView({ block: "center" });
        row.querySelector("th button").focus();
      } else {
        goTo(ref.id);
      }
    });
    return button;
  }

  function strengthBadge(strength) {
    return el("span", "strength strength-" + strength, strength);
  }

  function seedBadge() {
    var badge = el("span", "seed", "reading list");
    badge.title = "On the workshop's own reading list (a fact about the workshop, not a measure of evidence)";
    return badge;
  }

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function isWebAddress(address) {
    try {
      var parsed = new URL(address);
      return parsed.protocol === "https:" || parsed.protocol === "http:";
    } catch (error) {
      return false;
    }
  }

  /* ---------------------------------------------------------------- kinds */

  var hiddenKinds = {};
  data.kinds.forEach(function (kind) { if (kind.hidden) { hiddenKinds[kind.kind] = true; } });

  function setKindVisible(kind, visible) {
    hiddenKinds[kind] = !visible;
    var box = document.querySelector('.kind-filter[value="' + kind + '"]');
    if (box) { box.checked = visible; }
    var updates = [];
    data.nodes.forEach(function (node) {
      if (node.group === kind) { updates.push({ id: node.id, hidden: !visible }); }
    });
    nodes.update(updates);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".kind-filter"), function (box) {
    box.addEventListener("change", function () { setKindVisible(box.value, box.checked); });
  });


  /* ---------------------------------------------------------------- text sizes
     Labels are sized for the screen, not the canvas: when the view is zoomed
     out, concept, objective and cluster names grow so that they stay legible
     from the back of a room; in an objective's focus every label in it does.
     Paper labels give way instead (they fade below a few pixels, see the
     group's drawThreshold) and come back on zooming in. */

  var LEGIBLE = { map: 12, focus: 14 };
  var PRESENTER_LEGIBLE = { map: 15, focus: 18 };
  var GROWING = { concept: true, objective: true, cluster: true };
  var TIMELINE_PAPER_PX = 11;
  var presenter = false;
  var timelineOn = false;
  var laneHeight = {};
  if (data.timeline && data.timeline.lanes) {
    data.timeline.lanes.forEach(function (lane) { if (lane.node) { laneHeight[lane.node] = lane.bottom - lane.top; } });
  }
  var dimmedNodes = {};
  var hiddenLabels = {};
  var shownFont = {};
  var objectiveFocus = null;

  function legible() { return presenter ? PRESENTER_LEGIBLE : LEGIBLE; }

  function wantedFont(id, scale) {
    var node = network.body.nodes[id];
    if (!node) { return baseFont[id]; }
    var group = node.options.group;
    var least = 0;
    if (objectiveFocus && objectiveFocus[id]) {
      least = legible().focus;
    } else if (GROWING[group]) {
      least = legible().map;
    } else if (timelineOn && group === "paper" && data.timeline.labelled) {
      least = TIMELINE_PAPER_PX;
    }
    var size = Math.max(baseFont[id], least * 1.01 / scale);  // a hair over, against rounding
    if (timelineOn && laneHeight[id]) {
      // A lane's name stays inside its lane.
      size = Math.min(size, Math.max(baseFont[id] * 0.7, (laneHeight[id] - 14) / 1.3));
    }
    return Math.min(size, baseFont[id] * 4);
  }

  /* Names wrap at a width that grows with their text (so they keep their shape); a lane's name
     on the timeline is one line. */
  function wrapFor(id, size) {
    var wrap = data.options.groups[network.body.nodes[id].options.group].widthConstraint;
    if (!wrap || !wrap.maximum) { return null; }
    if (timelineOn && (laneHeight[id] || network.body.nodes[id].options.group === "paper")) { return { maximum: 2000 }; }
    return { maximum: wrap.maximum * size / baseFont[id] };
  }

  function fontFor(id, size) {
    var group = network.body.nodes[id].options.group;
    var font = { size: size };
    if (hiddenLabels[id]) {
      font.color = "rgba(0,0,0,0)";
      font.strokeWidth = 0;
    } else {
      font.color = dimmedNodes[id] ? "#C4C4C4" : groupFont[group];
      font.strokeWidth = groupStroke[group];
    }
    return font;
  }

  /* Size labels for the screen at ``scale``; ``force`` resends every grown label (after a
     change of view mode). Drawn at once, so that their measured extents are current. */
  function applyLabelSizes(scale, force) {
    scale = scale || network.getScale();
    var updates = [];
    data.nodes.forEach(function (node) {
      if (!GROWING[node.group] && !(objectiveFocus && objectiveFocus[node.id]) && !shownFont[node.id] &&
          !(timelineOn && node.group === "paper" && data.timeline.labelled)) { return; }
      var size = wantedFont(node.id, scale);
      var shown = shownFont[node.id] || baseFont[node.id];
      // Never smaller than wanted; a little larger is left alone, to spare redrawing labels.
      if (force || size > shown || (shown - size) / shown > 0.04) {
        shownFont[node.id] = size;
        var update = { id: node.id, font: fontFor(node.id, size) };
        var wrap = wrapFor(node.id, size);
        if (wrap) { update.widthConstraint = wrap; }
        updates.push(update);
      }
    });
    if (updates.length) {
      nodes.update(updates);
      network.redraw();
    }
  }

  network.on("zoom", function () { applyLabelSizes(); });

  /* ---------------------------------------------------------------- emphasis */

  var dimmedEdges = {};

  function emphasise(keep, hideOthers) {
    var nodeUpdates = [];
    data.nodes.forEach(function (node) {
      var dim = keep !== null && keep !== undefined && !keep[node.id];
      var hide = dim && !!hideOthers;
      if (dim !== !!dimmedNodes[node.id] || hide !== !!hiddenLabels[node.id]) {
        dimmedNodes[node.id] = dim;
        hiddenLabels[node.id] = hide;
        nodeUpdates.push({
          id: node.id,
          opacity: hide ? 0.07 : dim ? 0.18 : 1,
          font: fontFor(node.id, shownFont[node.id] || baseFont[node.id]),
        });
      }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (edge) {
      var dim = keep !== null && keep !== undefined && !(keep[edge.from] && keep[edge.to]);
      // On the timeline, lines cross the lanes: lighter, so that the years read first.
      var level = dim ? (hideOthers ? 0.03 : 0.08) : timelineOn && !keep ? 0.35 : 1;
      if (level !== (dimmedEdges[edge.id] || 1)) {
        dimmedEdges[edge.id] = level;
        edgeUpdates.push({ id: edge.id, color: { color: edge.color.color, opacity: level } });
      }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
  }

  function neighbourhood(id) {
    var keep = {};
    keep[id] = true;
    adjacency[id].forEach(function (other) { keep[other] = true; });
    return keep;
  }

  /* Hovering lights up a node's neighbours, on the whole map (an objective's focus is
     already the emphasis, and presenter mode keeps the room's view still). */
  network.on("hoverNode", function (event) {
    if (data.settings.hoverDimming && !presenter && !objectiveFocus) { emphasise(neighbourhood(event.node)); }
  });
  network.on("blurNode", function () {
    if (data.settings.hoverDimming && !presenter && !objectiveFocus) { emphasise(null); }
  });

  /* ---------------------------------------------------------------- moving nodes and the view */

  var nodeAnimation = null;
  var viewMoving = false;
  var ANIMATION_MS = 650;

  function easeInOut(t) { return t < 0.5 ? 2 * t * t : -1 + (4 - 2 * t) * t; }

  /* Move nodes to new places, gliding on small maps and at once on large ones. */
  function moveNodes(targets, animate) {
    if (nodeAnimation) { cancelAnimationFrame(nodeAnimation); nodeAnimation = null; }
    var ids = Object.keys(targets).filter(function (id) { return network.body.nodes[id]; });
    if (!ids.length) { return; }
    var from = {};
    ids.forEach(function (id) { var n = network.body.nodes[id]; from[id] = { x: n.x, y: n.y }; });
    if (!animate || ids.length > 1500) {
      ids.forEach(function (id) { network.body.nodes[id].x = targets[id].x; network.body.nodes[id].y = targets[id].y; });
      network.redraw();
      return;
    }
    var start = performance.now();
    function step(now) {
      var t = Math.min(1, (now - start) / ANIMATION_MS);
      var e = easeInOut(t);
      ids.forEach(function (id) {
        var node = network.body.nodes[id];
        node.x = from[id].x + (targets[id].x - from[id].x) * e;
        node.y = from[id].y + (targets[id].y - from[id].y) * e;
      });
      network.redraw();
      nodeAnimation = t < 1 ? requestAnimationFrame(step) : null;
      if (!nodeAnimation) { network.emit("kgNodesSettled"); }
    }
    nodeAnimation = requestAnimationFrame(step);
  }

  network.on("animationFinished", function () {
    viewMoving = false;
    applyLabelSizes();
  });

  function isSettled() { return !nodeAnimation && !viewMoving; }

  /* The part of the map no overlay covers: beside the legend, or below it when that leaves
     more room for what is being shown (the side panel already takes its width off the map). */
  var legend = document.getElementById("legend");
  var drawingContext = container.querySelector("canvas").getContext("2d");

  function freeRects() {
    var width = container.clientWidth;
    var height = container.clientHeight;
    var margin = 14;
    var whole = { left: margin, top: margin, right: width - margin, bottom: height - margin };
    if (!legend || legend.offsetParent === null) { return [whole]; }
    var box = legend.getBoundingClientRect();
    var frame = container.getBoundingClientRect();
    if (box.right <= frame.left || box.left >= frame.right) { return [whole]; }
    return [
      { left: box.right - frame.left + margin, top: margin, right: width - margin, bottom: height - margin },
      { left: margin, top: box.bottom - frame.top + margin, right: width - margin, bottom: height - margin },
    ];
  }

  /* Extent of a node's drawing (marker and label) around its centre, in canvas units. */
  var LABEL_BELOW = { dot: true, diamond: true, triangle: true, square: true, star: true };

  function extent(id) {
    var node = network.body.nodes[id];
    // vis-network measures a node, and places a label drawn below its marker, only when it
    // draws it, and it draws only what is in view: measure here, wherever the node is.
    if (LABEL_BELOW[node.options.shape]) {
      var radius = node.options.size || 10;
      var text = node.labelModule.getTextSize(drawingContext, node.selected, node.hover);
      var half = Math.max(radius, text.width / 2);
      return { left: -half, right: half, top: -radius, bottom: radius + 4 + text.height };
    }
    node.updateBoundingBox(drawingContext);
    var box = network.getBoundingBox(id);
    if (!box) { return { left: -10, right: 10, top: -10, bottom: 10 }; }
    return { left: box.left - node.x, right: box.right - node.x, top: box.top - node.y, bottom: box.bottom - node.y };
  }

  function boxOf(ids, places) {
    var box = null;
    ids.forEach(function (id) {
      var node = network.body.nodes[id];
      if (!node) { return; }
      var at = places && places[id] ? places[id] : { x: node.x, y: node.y };
      var e = extent(id);
      var left = at.x + e.left, right = at.x + e.right, top = at.y + e.top, bottom = at.y + e.bottom;
      if (!box) { box = { left: left, right: right, top: top, bottom: bottom }; return; }
      box.left = Math.min(box.left, left); box.right = Math.max(box.right, right);
      box.top = Math.min(box.top, top); box.bottom = Math.max(box.bottom, bottom);
    });
    return box;
  }

  /* The view that shows a canvas box whole inside the free part of the map. */
  function viewFor(box, maxScale) {
    var best = null;
    freeRects().forEach(function (rect) {
      var scale = Math.min(
        (rect.right - rect.left) / Math.max(1, box.right - box.left),
        (rect.bottom - rect.top) / Math.max(1, box.bottom - box.top),
        maxScale || 1.6
      );
      if (isFinite(scale) && scale > 0 && (!best || scale > best.scale)) { best = { scale: scale, rect: rect }; }
    });
    return best;
  }

  function frameBox(box, maxScale, animate) {
    if (!box) { return null; }
    var view = viewFor(box, maxScale);
    if (!view) { return null; }  // the map has no room yet (hidden, or printing)
    var width = container.clientWidth;
    var height = container.clientHeight;
    var options = {
      position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
      scale: view.scale,
      offset: { x: (view.rect.left + view.rect.right) / 2 - width / 2, y: (view.rect.top + view.rect.bottom) / 2 - height / 2 },
      animation: animate ? { duration: ANIMATION_MS, easingFunction: "easeInOutQuad" } : false,
    };
    viewMoving = !!animate;
    network.moveTo(options);
    if (!animate) { applyLabelSizes(); }
    return view.scale;
  }

  function shownIds() {
    return data.nodes.filter(function (node) { return !hiddenKinds[node.group]; }).map(function (node) { return node.id; });
  }

  function places() { return timelineOn ? timelinePlaces : null; }

  /* Show the whole map (what is not filtered out) inside the free part of the view. */
  function fitAll(animate) {
    var ids = shownIds();
    applyLabelSizes(Math.max(0.05, network.getScale()));
    var box = boxOf(ids, places());
    if (timelineOn && box) {
      var view = viewFor(box, 1.2);
      box.top = Math.min(box.top, data.timeline.axis.top - 34 / (view ? view.scale : 1));
    }
    frameBox(box, 1.2, animate);
  }

  /* ---------------------------------------------------------------- legend */

  var legendToggle = document.getElementById("legend-toggle");

  function setLegendOpen(open, keepView) {
    legend.classList.toggle("folded", !open);
    legendToggle.setAttribute("aria-expanded", open ? "true" : "false");
    legendToggle.textContent = open ? "Hide legend" : "Legend";
    remember("legend", open ? "open" : "folded");
    if (!keepView) { refocus(false); }
  }

  legendToggle.addEventListener("click", function () {
    setLegendOpen(legend.classList.contains("folded"));
  });
  /* ---------------------------------------------------------------- panel */

  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");

  function section(title, items, render) {
    if (!items || !items.length) { return null; }
    var wrapper = el("section");
    wrapper.appendChild(el("h3", null, title));
    var list = el("ul");
    items.forEach(function (item) { list.appendChild(render(item)); });
    wrapper.appendChild(list);
    return wrapper;
  }

  function evidenceItem(ref) {
    var item = el("li");
    item.appendChild(nodeLink(ref));
    if (ref.strength) { item.appendChild(strengthBadge(ref.strength)); }
    if (ref.seed) { item.appendChild(seedBadge()); }
    if (ref.via) { item.appendChild(el("div", "reason", "through " + ref.via)); }
    if (ref.reason) { item.appendChild(el("div", "reason", ref.reason)); }
    return item;
  }

  function plainItem(ref) {
    var item = el("li");
    item.appendChild(nodeLink(ref));
    if (ref.type) { item.appendChild(el("span", "muted", " (" + ref.type.replace(/-/g, " ") + ")")); }
    if (ref.role && ref.role !== "author") { item.appendChild(el("span", "muted", " (" + ref.role + ")")); }
    if (ref.reason) { item.appendChild(el("div", "reason", ref.reason)); }
    return item;
  }

  function paragraph(label, text, className) {
    if (!text) { return null; }
    var block = el("p", className || null);
    if (label) { block.appendChild(el("strong", null, label + " ")); }
    block.appendChild(document.createTextNode(text));
    return block;
  }

  function showPanel(id) {
    var info = details[id];
    if (!info) { return; }
    hideTooltip();
    var parts = [];
    var tag = el("span", "kind-tag", kindInfo[info.kind].singular);
    tag.style.background = kindInfo[info.kind].border;
    parts.push(tag);
    parts.push(el("h2", null, info.kind === "objective" ? "Objective " + info.label : info.label));

    if (info.kind === "paper") {
      if (info.citation) {
        parts.push(el("p", "citation", info.citation));
      } else {
        parts.push(paragraph(null, [info.title, info.venue, info.year].filter(Boolean).join(". ")));
      }
      if (info.doi) {
        var doiLine = el("p");
        doiLine.appendChild(el("strong", null, "DOI "));
        var doiAddress = "https://doi.org/" + info.doi;
        if (isWebAddress(doiAddress)) {
          var doiLink = el("a", null, doiAddress);
          doiLink.href = doiAddress;
          doiLink.target = "_blank";
          doiLink.rel = "noopener noreferrer";
          doiLine.appendChild(doiLink);
        } else {
          doiLine.appendChild(document.createTextNode(info.doi));
        }
        parts.push(doiLine);
      }
      if (info.url && isWebAddress(info.url)) {
        var urlLine = el("p");
        urlLine.appendChild(el("strong", null, "Link "));
        var urlLink = el("a", null, info.url);
        urlLink.href = info.url;
        urlLink.target = "_blank";
        urlLink.rel = "noopener noreferrer";
        urlLine.appendChild(urlLink);
        parts.push(urlLine);
      }
      parts.push(paragraph("Citation key", info.key, "muted"));
      parts.push(paragraph("Abstract", info.abstract));
      parts.push(paragraph("Note", info.note));
      parts.push(section("People", info.people, plainItem));
      parts.push(section("Concepts", info.concepts, evidenceItem));
      parts.push(section("Objectives", info.objectives, evidenceItem));
      parts.push(section("Quotes", info.quotes, plainItem));
    } else if (info.kind === "concept") {
      parts.push(paragraph(null, info.definition));
      if (info.aliases.length) { parts.push(paragraph("Also called", info.aliases.join(", "), "muted")); }
      parts.push(section("Related concepts", info.related, plainItem));
      parts.push(section("Papers, strongest evidence first", info.papers, evidenceItem));
      parts.push(section("Objectives", info.objectives, evidenceItem));
      parts.push(section("Quotes", info.quotes, plainItem));
    } else if (info.kind === "objective") {
      parts.push(paragraph(null, info.text));
      parts.push(paragraph("Domain", info.domain, "muted"));
      parts.push(section("Concepts", info.concepts, evidenceItem));
      parts.push(section("Papers, best evidence first", info.papers, evidenceItem));
      parts.push(section("Quotes", info.quotes, plainItem));
    } else if (info.kind === "quote") {
      parts.push(el("blockquote", null, info.text));
      if (info.speaker) { parts.push(el("p", null, "— " + info.speaker)); }
      parts.push(section("Source", info.source, plainItem));
      parts.push(paragraph("Page", info.page, "muted"));
      parts.push(paragraph("Note", info.note));
      parts.push(section("Illustrates", info.illustrates, plainItem));
    } else if (info.kind === "cluster") {
      parts.push(paragraph(null, info.text));
      if (info.authors.length) { parts.push(paragraph("Main authors", info.authors.join(", "), "muted")); }
      if (info.keywords.length) { parts.push(paragraph("Main keywords", info.keywords.join(", "), "muted")); }
      parts.push(section("Papers", info.papers, plainItem));
    } else if (info.kind === "author") {
      if (info.aliases.length) { parts.push(paragraph("Also written", info.aliases.join(", "), "muted")); }
      parts.push(section("Papers", info.papers, plainItem));
    }
    panelBody.replaceChildren.apply(panelBody, parts.filter(Boolean));
    if (panel.hidden) { setPanelRoom(true); }
    panel.hidden = false;
    panel.setAttribute("data-node", id);
    panel.scrollTop = 0;
  }

  /* The map gives up the panel's width, so that fitting and focusing keep nodes in sight. */
  function setPanelRoom(open) {
    var view = network.getViewPosition();
    var scale = network.getScale();
    document.body.classList.toggle("panel-open", open);
    network.setSize("100%", "100%");
    network.moveTo({ position: view, scale: scale, animation: false });
  }

  function hidePanel() {
    if (!panel.hidden) { setPanelRoom(false); }
    panel.hidden = true;
    panel.removeAttribute("data-node");
  }

  document.getElementById("panel-close").addEventListener("click", function () {
    hidePanel();
    network.unselectAll();
  });

  function hideTooltip() {
    var tooltip = container.querySelector("div.vis-tooltip");
    if (tooltip) { tooltip.style.visibility = "hidden"; }
  }

  /* Show one node: selected, its panel open, in the middle of the free part of the view. */
  function goTo(id) {
    var node = nodes.get(id);
    if (!node) { return; }
    if (node.group === "objective") {
      if (!listView.hidden) { toggleList(false); }
      pickObjective(id);
      return;
    }
    if (hiddenKinds[node.group]) { setKindVisible(node.group, true); }
    if (!listView.hidden) { toggleList(false); }
    // A node outside the objective being shown would be dimmed: show the whole map again.
    if (objectiveFocus && !objectiveFocus[id]) { pickObjective(null, true); }
    network.selectNodes([id]);
    showPanel(id);
    var at = network.body.nodes[id];
    var e = extent(id);
    var scale = Math.max(network.getScale(), legible().focus / baseFont[id], 0.9);
    var half = 260 / scale;
    frameBox({ left: at.x - half, right: at.x + half, top: at.y + e.top - 40, bottom: at.y + e.bottom + 40 }, scale, true);
  }

  network.on("click", function (event) {
    hideTooltip();
    if (event.nodes.length) {
      showPanel(event.nodes[0]);
    } else if (!event.edges.length) {
      hidePanel();
    }
  });

  /* ---------------------------------------------------------------- objectives, focus and tour */

  var picker = document.getElementById("objective");
  var tourButton = document.getElementById("tour");
  var tourPrevious = document.getElementById("tour-previous");
  var tourNext = document.getElementById("tour-next");
  var tourStop = document.getElementById("tour-stop");
  var touring = false;
  var focusLaidOut = null;   // node id -> place, while an objective's part is laid out afresh
  data.objectives.forEach(function (id) {
    var option = el("option", null, details[id].label + " — " + details[id].text);
    option.value = id;
    picker.appendChild(option);
  });

  function visibleNode(id) {
    var node = network.body.nodes[id];
    return !!node && !hiddenKinds[node.options.group];
  }

  function focusSet(id) {
    var info = details[id];
    var keep = {};
    keep[id] = true;
    info.concepts.forEach(function (ref) { keep[ref.id] = true; });
    info.papers.forEach(function (ref) { keep[ref.id] = true; });
    info.quotes.forEach(function (ref) { keep[ref.id] = true; });
    return keep;
  }

  /* An objective's part of the map laid out afresh, to read at a glance: the objective on the
     left, its concepts in a column, and each concept's papers in rows beside it, strongest
     evidence first; papers the objective cites directly come first, quotes last. */
  function focusPlaces(id, keep) {
    var info = details[id];
    var size = {};
    Object.keys(keep).filter(visibleNode).forEach(function (node) {
      var e = extent(node);
      size[node] = { e: e, w: e.right - e.left, h: e.bottom - e.top };
    });
    var concepts = info.concepts.map(function (ref) { return ref.id; }).filter(function (node) { return size[node]; });
    var conceptByLabel = {};
    concepts.forEach(function (node) { conceptByLabel[details[node].label] = node; });
    var groups = [{ head: null, items: [] }].concat(concepts.map(function (node) { return { head: node, items: [] }; }));
    var groupOf = {};
    groups.forEach(function (group) { groupOf[group.head] = group; });
    info.papers.forEach(function (ref) {
      if (!size[ref.id]) { return; }
      var head = ref.via && conceptByLabel[ref.via] ? conceptByLabel[ref.via] : null;
      groupOf[head].items.push(ref.id);
    });
    var quotes = info.quotes.map(function (ref) { return ref.id; }).filter(function (node) { return size[node]; });
    if (quotes.length) { groups.push({ head: null, items: quotes }); }
    groups = groups.filter(function (group) { return group.head || group.items.length; });

    var gapX = 36, gapY = 16, groupGap = 26;
    var cellW = 60, cellH = 20, headW = 0;
    Object.keys(size).forEach(function (node) {
      if (node === id) { return; }
      if (concepts.indexOf(node) >= 0) { headW = Math.max(headW, size[node].w); return; }
      cellW = Math.max(cellW, Math.min(size[node].w, 260));
      cellH = Math.max(cellH, size[node].h);
    });
    var objective = size[id] || { w: 200, h: 60, e: { left: -100, right: 100, top: -30, bottom: 30 } };
    var rects = freeRects();
    var best = null;
    for (var columns = 1; columns <= 6; columns += 1) {
      var height = 0;
      groups.forEach(function (group, position) {
        var rows = Math.ceil(group.items.length / columns);
        var headH = group.head ? size[group.head].h : 0;
        height += Math.max(headH, rows * cellH + Math.max(0, rows - 1) * gapY) + (position ? groupGap : 0);
      });
      height = Math.max(height, objective.h);
      var width = objective.w + gapX + (headW ? headW + gapX : 0) + columns * cellW + (columns - 1) * gapX;
      rects.forEach(function (rect) {
        var scale = Math.min((rect.right - rect.left) / width, (rect.bottom - rect.top) / height);
        if (!best || scale > best.scale + 1e-6) { best = { scale: scale, columns: columns, width: width, height: height }; }
      });
    }
    var origin = home[id];
    var left = origin.x - best.width / 2;
    var top = origin.y - best.height / 2;
    var result = {};
    function put(node, x, y) {  // (x, y): the top left corner of the node's drawing
      var e = size[node].e;
      result[node] = { x: x - e.left, y: y - e.top };
    }
    put(id, left, top + best.height / 2 - objective.h / 2);
    var headX = left + objective.w + gapX;
    var itemsX = headX + (headW ? headW + gapX : 0);
    var y = top;
    groups.forEach(function (group) {
      var rows = Math.ceil(group.items.length / best.columns);
      var itemsH = rows * cellH + Math.max(0, rows - 1) * gapY;
      var headH = group.head ? size[group.head].h : 0;
      var blockH = Math.max(headH, itemsH);
      if (group.head) { put(group.head, headX + (headW - size[group.head].w) / 2, y + (blockH - headH) / 2); }
      group.items.forEach(function (node, position) {
        var row = Math.floor(position / best.columns);
        var column = position % best.columns;
        put(node, itemsX + column * (cellW + gapX) + (cellW - Math.min(size[node].w, cellW)) / 2, y + (blockH - itemsH) / 2 + row * (cellH + gapY));
      });
      y += blockH + groupGap;
    });
    return result;
  }

  /* Back to where everything lives (on the map, or on the timeline). */
  function restorePlaces(animate) {
    if (!focusLaidOut) { return; }
    var targets = {};
    Object.keys(focusLaidOut).forEach(function (node) { targets[node] = placeOf(node); });
    focusLaidOut = null;
    moveNodes(targets, animate);
  }

  function placeOf(id) {
    return timelineOn && timelinePlaces[id] ? timelinePlaces[id] : home[id];
  }

  /* Frame the objective's part of the map so that every label in it reads at presentation
     size; when it does not fit where it is, lay it out afresh around the objective. */
  function showFocus(id, animate) {
    var keep = objectiveFocus;
    var ids = Object.keys(keep).filter(visibleNode);
    var least = legible().focus;
    var smallest = Math.min.apply(null, ids.map(function (node) { return baseFont[node]; }));
    var needed = Math.min(1.0, least / smallest);
    var here = {};
    ids.forEach(function (node) { here[node] = placeOf(node); });
    var view = viewFor(boxOf(ids, here), 1.4) || { scale: 1 };
    if (timelineOn || view.scale >= needed * 0.95) {
      restorePlaces(animate);
      emphasise(keep, false);
      fitLabels(ids, function () { return here; });
      frameBox(boxOf(ids, here), 1.4, animate);
      return;
    }
    emphasise(keep, true);
    // Labels are sized for the scale the layout will be shown at, which depends on their
    // size: a few rounds settle both.
    var targets = null;
    fitLabels(ids, function () { targets = focusPlaces(id, keep); return targets; });
    var moving = {};
    if (focusLaidOut) {
      Object.keys(focusLaidOut).forEach(function (node) { if (!targets[node]) { moving[node] = placeOf(node); } });
    }
    Object.keys(targets).forEach(function (node) { moving[node] = targets[node]; });
    focusLaidOut = targets;
    moveNodes(moving, animate);
    frameBox(boxOf(ids, targets), 1.4, animate);
  }

  /* Size the labels of ``ids`` for the view that will frame them at the places ``placesFor()``
     gives (called again each round, as places may depend on label sizes). */
  function fitLabels(ids, placesFor) {
    var view = null;
    for (var round = 0; round < 3; round += 1) {
      view = viewFor(boxOf(ids, placesFor()), 1.4);
      if (!view) { return null; }
      applyLabelSizes(view.scale, true);
    }
    placesFor();
    return view;
  }

  function updateTourButton() {
    var position = data.objectives.indexOf(picker.value);
    tourPrevious.hidden = tourNext.hidden = tourStop.hidden = !touring;
    tourButton.textContent = touring && position >= 0 ? (position + 1) + " of " + data.objectives.length : "Tour ▶";
    tourButton.setAttribute("aria-pressed", touring ? "true" : "false");
    tourButton.title = touring ? "Next objective (→); Escape stops the tour" : "Step through the objectives in order";
  }

  /* Focus an objective (or, with null, show the whole map again: no objective, no panel). */
  /* An objective in focus shows its whole wording (the map shows it shortened). */
  var spelledOut = null;

  function spellOut(id) {
    if (spelledOut === id) { return; }
    var updates = [];
    if (spelledOut) { updates.push({ id: spelledOut, label: labelOf[spelledOut] }); }
    if (id) { updates.push({ id: id, label: details[id].label + "  " + details[id].text }); }
    spelledOut = id;
    if (updates.length) { nodes.update(updates); }
  }

  function pickObjective(id, keepView) {
    picker.value = id || "";
    spellOut(id && !timelineOn ? id : null);
    if (!id) {
      var had = objectiveFocus !== null;
      objectiveFocus = null;
      touring = false;
      restorePlaces(true);
      emphasise(null);
      updateTourButton();
      syncList();
      if (had) {
        hidePanel();
        network.unselectAll();
        applyLabelSizes();
        if (!keepView) { fitAll(true); }
      }
      return;
    }
    objectiveFocus = focusSet(id);
    network.selectNodes([id]);
    showPanel(id);
    showFocus(id, true);
    updateTourButton();
    syncList();
  }

  function step(direction) {
    if (!data.objectives.length) { return; }
    var current = data.objectives.indexOf(picker.value);
    var next = current < 0 ? 0 : (current + direction + data.objectives.length) % data.objectives.length;
    touring = true;
    pickObjective(data.objectives[next]);
  }

  function stopTour() {
    if (!touring) { return; }
    pickObjective(null);
  }

  /* After the view's room changes (legend, panel, window), show again what was shown. */
  function refocus(animate) {
    if (objectiveFocus && picker.value) { showFocus(picker.value, animate); } else { fitAll(animate); }
  }

  picker.addEventListener("change", function () { touring = false; pickObjective(picker.value); });
  tourButton.addEventListener("click", function () { step(1); });
  tourNext.addEventListener("click", function () { step(1); });
  tourPrevious.addEventListener("click", function () { step(-1); });
  tourStop.addEventListener("click", stopTour);

  document.getElementById("fit").addEventListener("click", function () {
    pickObjective(null, true);
    hidePanel();
    network.unselectAll();
    fitAll(true);
  });

  /* ---------------------------------------------------------------- timeline */

  var timelineButton = document.getElementById("timeline-toggle");
  var timelinePlaces = {};
  if (data.timeline && data.timeline.positions) {
    Object.keys(data.timeline.positions).forEach(function (id) {
      var at = data.timeline.positions[id];
      timelinePlaces[id] = { x: at[0], y: at[1] };
    });
  } else if (timelineButton) {
    timelineButton.hidden = true;
  }

  /* Lane names end just left of the first year; objectives stack down the right-hand column,
     each level with its concepts' lanes as far as room allows. */
  function arrangeTimeline() {
    var axis = data.timeline.axis;
    data.timeline.lanes.forEach(function (lane) {
      if (!lane.node || !network.body.nodes[lane.node]) { return; }
      var e = extent(lane.node);
      timelinePlaces[lane.node] = { x: axis.left - 30 - e.right, y: (lane.top + lane.bottom) / 2 };
    });
    var column = data.objectives.filter(function (id) { return data.timeline.positions[id]; }).map(function (id) {
      return { id: id, x: data.timeline.positions[id][0], y: data.timeline.positions[id][1], e: extent(id) };
    }).sort(function (a, b) { return a.y - b.y; });
    var floor = -Infinity;
    column.forEach(function (item) {
      var y = Math.max(item.y, floor - item.e.top + 14);
      timelinePlaces[item.id] = { x: item.x - item.e.left, y: y };
      floor = y + item.e.bottom;
    });
  }

  function setTimeline(on) {
    if (!data.timeline || !data.timeline.positions) { return; }
    timelineOn = on;
    spellOut(!on && objectiveFocus ? picker.value : null);
    timelineButton.setAttribute("aria-pressed", on ? "true" : "false");
    document.body.classList.toggle("timeline", on);
    restorePlaces(false);
    // On the timeline a paper's label leaves out its year: the axis says it.
    if (data.timeline.labels && data.nodes.length <= 3000) {
      nodes.update(Object.keys(data.timeline.labels).map(function (id) {
        return { id: id, label: on ? data.timeline.labels[id] : labelOf[id] };
      }));
    }
    var estimate = viewFor(boxOf(shownIds(), on ? timelinePlaces : home), 1.2);
    var scale = estimate ? estimate.scale : network.getScale();
    // Labels keep a least size on screen, so their room on the canvas depends on the scale,
    // and the objectives' column (stacked by that room) changes the scale in turn: settle both.
    for (var round = 0; round < 4; round++) {
      applyLabelSizes(scale, true);
      if (!on) { break; }
      arrangeTimeline();
      var settled = viewFor(boxOf(shownIds(), timelinePlaces), 1.2);
      if (!settled || Math.abs(settled.scale - scale) <= scale * 0.02) { break; }
      scale = settled.scale;
    }
    emphasise(objectiveFocus, false);
    var targets = {};
    data.nodes.forEach(function (node) { targets[node.id] = placeOf(node.id); });
    moveNodes(targets, data.nodes.length <= 600);
    if (objectiveFocus && picker.value) {
      emphasise(objectiveFocus, false);
      showFocus(picker.value, true);
    } else {
      var ids = shownIds();
      var box = boxOf(ids, on ? timelinePlaces : home);
      if (on && box) {
        // Leave room above the lanes for the years, written at a fixed size on screen.
        var view = viewFor(box, 1.2);
        box.top = Math.min(box.top, data.timeline.axis.top - 34 / (view ? view.scale : 1));
      }
      frameBox(box, 1.2, true);
    }
  }

  timelineButton.addEventListener("click", function () { setTimeline(!timelineOn); });

  /* The year axis and the lanes are drawn under the nodes, in canvas units. */
  network.on("beforeDrawing", function (context) {
    if (!timelineOn) { return; }
    var line = data.timeline;
    var axis = line.axis;
    var scale = network.getScale();
    var left = axis.left - 400, right = (axis.undated !== null ? axis.undated + 200 : axis.x + (axis.to - axis.from) * axis.step + 200);
    context.save();
    line.lanes.forEach(function (lane, position) {
      context.fillStyle = position % 2 ? "#FFFFFF" : "#F2F6F9";
      context.fillRect(left, lane.top, right - left, lane.bottom - lane.top);
    });
    var spacing = [1, 2, 5, 10, 20, 50].filter(function (years) { return years * axis.step * scale >= 60; })[0] || 50;
    var font = Math.max(12, presenter ? 16 : 13) / scale;
    context.font = "600 " + font + "px system-ui, 'Segoe UI', Roboto, sans-serif";
    context.textAlign = "center";
    context.textBaseline = "bottom";
    for (var year = Math.ceil(axis.from / spacing) * spacing; year <= axis.to; year += spacing) {
      var x = axis.x + (year - axis.from) * axis.step;
      context.strokeStyle = "#CFD6DC";
      context.lineWidth = 1 / scale;
      context.beginPath();
      context.moveTo(x, axis.top - 6 / scale);
      context.lineTo(x, axis.bottom);
      context.stroke();
      context.fillStyle = "#3D4A55";
      context.fillText(String(year), x, axis.top - 8 / scale);
    }
    if (axis.undated !== null) {
      context.fillStyle = "#3D4A55";
      context.fillText("no year", axis.undated, axis.top - 8 / scale);
    }
    // A lane with no node to name it (papers of no concept) is named here.
    context.textAlign = "right";
    context.textBaseline = "middle";
    line.lanes.forEach(function (lane) {
      if (lane.node) { return; }
      context.fillStyle = "#3D4A55";
      context.fillText(lane.label, axis.left - 30, (lane.top + lane.bottom) / 2);
    });
    context.restore();
  });

  /* ---------------------------------------------------------------- presenter mode */

  var presenterButton = document.getElementById("presenter-toggle");

  function setPresenter(on) {
    presenter = on;
    document.body.classList.toggle("presenter", on);
    presenterButton.setAttribute("aria-pressed", on ? "true" : "false");
    hideTooltip();
    network.setOptions({ interaction: { hover: !on, tooltipDelay: on ? 3600000 : 250 } });
    if (on) { setLegendOpen(false, true); emphasise(objectiveFocus, focusLaidOut); }
    refocus(true);
  }

  presenterButton.addEventListener("click", function () { setPresenter(!presenter); });

  /* ---------------------------------------------------------------- search */

  var kindOrder = {};
  data.kinds.forEach(function (kind, position) { kindOrder[kind.kind] = position; });
  var index = data.nodes.map(function (node) {
    var info = details[node.id];
    var words = [info.label, info.key, info.title, info.text, info.speaker];
    (info.aliases || []).forEach(function (alias) { words.push(alias); });
    (info.people || []).forEach(function (person) { words.push(person.label); });
    return { id: node.id, kind: info.kind, label: info.label, name: fold(info.label), all: fold(words.filter(Boolean).join(" \u0001 ")) };
  });

  var searchBox = document.getElementById("search");
  var results = document.getElementById("search-results");
  var matches = [];
  var active = -1;

  function findMatches(query) {
    var wanted = fold(query).trim();
    if (!wanted) { return []; }
    var found = [];
    for (var i = 0; i < index.length; i += 1) {
      var entry = index[i];
      var rank = entry.name.indexOf(wanted) === 0 ? 0 : entry.name.indexOf(wanted) > 0 ? 1 : entry.all.indexOf(wanted) >= 0 ? 2 : -1;
      if (rank >= 0) { found.push({ entry: entry, rank: rank }); }
    }
    found.sort(function (a, b) {
      return a.rank - b.rank || kindOrder[a.entry.kind] - kindOrder[b.entry.kind] ||
        (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0);
    });
    return found.slice(0, 12).map(function (match) { return match.entry; });
  }

  function showResults() {
    results.replaceChildren();
    active = matches.length ? 0 : -1;
    if (!searchBox.value.trim()) {
      results.hidden = true;
      return;
    }
    if (!matches.length) {
      results.appendChild(el("li", "empty", "Nothing matches"));
    }
    matches.forEach(function (entry, position) {
      var item = el("li");
      item.setAttribute("role", "option");
      item.id = "search-option-" + position;
      item.setAttribute("aria-selected", position === active ? "true" : "false");
      item.appendChild(el("span", "kind", kindInfo[entry.kind].singular));
      item.appendChild(el("span", null, entry.label));
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(position);
      });
      results.appendChild(item);
    });
    results.hidden = false;
  }

  function highlightActive() {
    Array.prototype.forEach.call(results.children, function (item, position) {
      item.setAttribute("aria-selected", position === active ? "true" : "false");
      if (position === active) { item.scrollIntoView({ block: "nearest" }); }
    });
  }

  function choose(position) {
    var entry = matches[position];
    if (!entry) { return; }
    results.hidden = true;
    searchBox.value = entry.label;
    goTo(entry.id);
  }

  searchBox.addEventListener("input", function () {
    matches = findMatches(searchBox.value);
    showResults();
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && matches.length) {
      active = (active + 1) % matches.length;
      highlightActive();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && matches.length) {
      active = (active - 1 + matches.length) % matches.length;
      highlightActive();
      event.preventDefault();
    } else if (event.key === "Enter") {
      choose(active < 0 ? 0 : active);
      event.preventDefault();
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  searchBox.addEventListener("blur", function () { results.hidden = true; });

  /* ---------------------------------------------------------------- list view */

  var listView = document.getElementById("list-view");
  var listToggle = document.getElementById("list-toggle");
  var listCaption = document.querySelector("#list-table caption");
  var listBuilt = false;

  function describe(info) {
    if (info.kind === "paper") { return info.citation || [info.title, info.venue, info.year].filter(Boolean).join(". "); }
    if (info.kind === "concept") { return info.definition; }
    if (info.kind === "objective") { return info.text; }
    if (info.kind === "quote") { return info.text + (info.speaker ? " — " + info.speaker : ""); }
    if (info.kind === "cluster") { return info.text; }
    return "";
  }

  function buildList() {
    if (listBuilt) { return; }
    listBuilt = true;
    var body = document.querySelector("#list-table tbody");
    var rows = data.nodes.slice().sort(function (a, b) {
      var ka = kindOrder[a.group], kb = kindOrder[b.group];
      return ka - kb || (fold(a.label) < fold(b.label) ? -1 : fold(a.label) > fold(b.label) ? 1 : 0);
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (node) {
      var info = details[node.id];
      var row = el("tr");
      row.id = "row-" + node.id;
      row.appendChild(el("td", null, kindInfo[info.kind].singular));
      var name = el("th");
      name.scope = "row";
      name.appendChild(nodeLink({ id: node.id, kind: info.kind, label: info.label }));
      row.appendChild(name);
      row.appendChild(el("td", null, describe(info)));
      var links = el("td", "links");
      (adjacency[node.id] || []).forEach(function (other) {
        links.appendChild(nodeLink({ id: other, kind: details[other].kind, label: details[other].label }, true));
      });
      row.appendChild(links);
      fragment.appendChild(row);
    });
    body.appendChild(fragment);
    syncList();
  }

  /* The list shows what the map shows: with an objective picked, only its part. */
  function syncList() {
    if (!listBuilt) { return; }
    var shown = 0;
    Array.prototype.forEach.call(document.querySelectorAll("#list-table tbody tr"), function (row) {
      var id = row.id.slice(4);
      var visible = !objectiveFocus || !!objectiveFocus[id];
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    var id = picker.value;
    listCaption.textContent = objectiveFocus && id
      ? "Objective " + details[id].label + ": " + details[id].text + " (" + shown + " of " + data.nodes.length + " nodes; choose All to list every node)"
      : "Every node of the map and what it links to";
  }

  function toggleList(show) {
    if (show) { buildList(); }
    listView.hidden = !show;
    listToggle.setAttribute("aria-pressed", show ? "true" : "false");
    listToggle.textContent = show ? "Map view" : "List view";
    if (show) {
      var first = listView.querySelector("tr:not([hidden]) button");
      if (first) { first.focus(); }
    }
  }

  listToggle.addEventListener("click", function () { toggleList(listView.hidden); });

  /* ---------------------------------------------------------------- printing
     With an objective picked, the printout is that objective: its part of the map, framed
     to the page, and its reading list with full citations. Otherwise the whole map, then
     the list of every node. */

  var printSheet = document.getElementById("print-sheet");

  function fillPrintSheet(id) {
    var info = details[id];
    var parts = [el("h2", null, "Objective " + info.label), el("p", null, info.text)];
    var list = el("ol", "reading-list");
    info.papers.forEach(function (ref) {
      var paper = details[ref.id];
      if (!paper) { return; }
      var item = el("li");
      item.appendChild(el("span", "citation", paper.citation || [paper.label, paper.title, paper.venue, paper.year].filter(Boolean).join(". ")));
      item.appendChild(strengthBadge(ref.strength));
      if (ref.seed) { item.appendChild(seedBadge()); }
      if (ref.via) { item.appendChild(el("div", "reason", "through " + ref.via)); }
      if (ref.reason) { item.appendChild(el("div", "reason", ref.reason)); }
      list.appendChild(item);
    });
    parts.push(el("h3", null, "Reading list, best evidence first"));
    parts.push(list);
    printSheet.replaceChildren.apply(printSheet, parts);
  }

  function beforePrint() {
    var id = objectiveFocus ? picker.value : "";
    document.body.classList.toggle("print-objective", !!id);
    if (id) { fillPrintSheet(id); } else { buildList(); }
    network.setSize("100%", "100%");
    if (id) {
      var ids = Object.keys(objectiveFocus).filter(visibleNode);
      frameBox(boxOf(ids), 1.4, false);
    } else {
      fitAll(false);
    }
    network.redraw();
    if (network.renderer && network.renderer._redraw) { network.renderer._redraw(); }
  }

  function afterPrint() {
    document.body.classList.remove("print-objective");
    network.setSize("100%", "100%");
    refocus(false);
  }

  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);

  /* ---------------------------------------------------------------- keys */

  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA" || target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "Escape" && document.activeElement !== searchBox) {
      if (touring) { stopTour(); return; }
      if (!panel.hidden) { hidePanel(); network.unselectAll(); }
      return;
    }
    if (typing(event.target)) { return; }
    // Arrow keys (and a presentation clicker's Page Up / Page Down) step through the tour.
    if (touring && (event.key === "ArrowRight" || event.key === "PageDown")) { step(1); event.preventDefault(); event.stopPropagation(); }
    else if (touring && (event.key === "ArrowLeft" || event.key === "PageUp")) { step(-1); event.preventDefault(); event.stopPropagation(); }
    else if (event.key === "p" || event.key === "P") { setPresenter(!presenter); }
    else if ((event.key === "t" || event.key === "T") && !timelineButton.hidden) { setTimeline(!timelineOn); }
  }, true);

  window.addEventListener("resize", function () { network.setSize("100%", "100%"); refocus(false); });

  /* ---------------------------------------------------------------- start */

  setLegendOpen(recall("legend") !== "folded" && container.clientWidth > 700, true);
  updateTourButton();
  fitAll(false);

  window.kg = {
    data: data, nodes: nodes, edges: edges, goTo: goTo, pickObjective: pickObjective, showPanel: showPanel,
    toggleList: toggleList, setKindVisible: setKindVisible, setTimeline: setTimeline, setPresenter: setPresenter,
    setLegendOpen: setLegendOpen, step: step, stopTour: stopTour, fitAll: fitAll, freeRects: freeRects,
    isSettled: isSettled, beforePrint: beforePrint, afterPrint: afterPrint,
    focusIds: function () { return objectiveFocus ? Object.keys(objectiveFocus).filter(visibleNode) : []; },
  };
})();
