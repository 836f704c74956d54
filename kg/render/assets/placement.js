/* Label placement: no drawn label on another, in every view.

   vis-network draws every label it can, where its node is, whatever else is there. Once the
   view settles (a zoom or drag ends, a focus, the timeline or presenter mode changes, nodes
   stop moving), the labels that would be drawn are placed here, in screen pixels, most
   important first: the selected and focused nodes, then objectives, cluster names, concepts,
   quotes, papers (the most linked first) and authors. A label that would meet one already
   placed moves (a marker's label goes above it instead of below); a name (concept, objective,
   cluster) then moves its node a few pixels, nearest place first, where its whole text fits;
   failing that it is shortened at a word boundary with an ellipsis, or hidden; its full text
   stays in the hover text and in the side panel. A node moved so goes back to its own place
   before the next placement, so the same view always gives the same picture. Boxes go into a grid of cells, so that each label is checked against its
   neighbours only, and a map of 10,000 nodes is placed in a few milliseconds. */

var PLACEMENT_CELL = 64;
/* Screen pixels kept between two labels: side by side, enough that words never run together. */
var LABEL_GAP = { x: 6, y: 2 };
/* Labels inside their node (the node is the label's background) and labels under a marker. */
var LABEL_INSIDE = { box: true, ellipse: true, text: true, circle: true, database: true };
var KIND_RANK = { objective: 0, cluster: 1, clusterDisc: 1, concept: 2, quote: 3, paper: 4, author: 5 };
var SHORTENINGS = [0.6, 0.35];
/* A name that meets another may first move its node a little (screen pixels, nearest first),
   so that a map with room around its crowded middle shows every name whole. Names only:
   papers and authors are many and give way instead. */
var NUDGE_KINDS = { concept: true, objective: true, cluster: true };
var NUDGE_STEPS = [8, 16, 24, 32, 40, 48, 64, 80, 96];
var NUDGE_DIRECTIONS = [[0, -1], [0, 1], [-1, 0], [1, 0], [-0.7, -0.7], [0.7, -0.7], [-0.7, 0.7], [0.7, 0.7]];

var shortened = {};        // id -> { full: text, shown: text } for labels this file shortened
var placementHidden = {};  // id -> true: the label is not drawn (no room for it)
var labelShift = {};       // id -> vertical shift (canvas units) of a marker's label moved above it
var placingNow = false;
var dataVersion = 0;
var placedSignature = null;
var placementTimer = null;
var nudged = {};            // id -> { x, y: its own place, at: the nudged place } of a moved node
var placementBlockers = {};  // id -> the label it first met, for labels not drawn whole in place
var lastPlacement = { ms: 0, considered: 0, drawn: 0, moved: 0, nudged: 0, shortened: 0, hidden: 0 };

nodes.on("*", function () { if (!placingNow) { dataVersion += 1; } });
/* A selected node's label comes first: selecting places the labels again. A label keeps its
   weight when hovered or selected, so that it never grows into its neighbours. */
network.on("select", function () { dataVersion += 1; network.redraw(); });
network.setOptions({ nodes: { labelHighlightBold: false } });

/* vis-network lays a node's group options over the node's own at each update of it, so a
   shape, size or wrapping width set on the node alone would be lost at its next update (of
   its font, say): every update carries the node's own again. The placement sets its
   outcome on the drawn nodes alone (an update of the page's data costs vis-network a pass
   over the whole map), so a drawn node's shape and size count over the data's. */
var updateNodeData = nodes.update.bind(nodes);

function withOwnFields(item) {
  var held = nodes.get(item.id);
  var drawn = network.body.nodes[item.id];
  if (held && held.widthConstraint !== undefined && item.widthConstraint === undefined) { item.widthConstraint = held.widthConstraint; }
  ["shape", "size"].forEach(function (key) {
    if (item[key] !== undefined) { return; }
    if (drawn && shortened[item.id] && shortened[item.id].collapsed) { item[key] = drawn.options[key]; }
    else if (held && held[key] !== undefined) { item[key] = held[key]; }
  });
  return item;
}

nodes.update = function (items) {
  (Array.isArray(items) ? items : [items]).forEach(withOwnFields);
  return updateNodeData(items);
};

function setDrawnNode(id, fields) {
  fields.id = id;
  network.body.nodes[id].setOptions(withOwnFields(fields));
}

/* What the placement depends on: the view, the page's size and modes, the nodes' data and places. */
function viewSignature() {
  var at = network.getViewPosition();
  var sum = 0;
  var all = network.body.nodes;
  for (var id in all) { sum += all[id].x * 1.3 + all[id].y * 0.7; }
  return [network.getScale().toFixed(5), at.x.toFixed(1), at.y.toFixed(1), container.clientWidth,
    container.clientHeight, dataVersion, sum.toFixed(1), overlaySignature()].join(",");
}

function labelsPlaced() {
  if (placedSignature === viewSignature()) { return true; }
  schedulePlacement();
  return false;
}

function schedulePlacement() {
  if (placementTimer) { return; }
  placementTimer = setTimeout(function () {
    placementTimer = null;
    if (nodeAnimation || viewMoving) { schedulePlacement(); return; }
    placeLabels();
  }, 90);
}

network.on("afterDrawing", function () {
  if (!placingNow && placedSignature !== viewSignature()) { schedulePlacement(); }
});

function restoreFields(id, state) {
  var group = data.options.groups[network.body.nodes[id].options.group] || {};
  var fields = { id: id, label: state.full };
  var item = nodes.get(id);
  if (item && item.widthConstraint) { fields.widthConstraint = item.widthConstraint; }
  if (state.collapsed) {
    fields.shape = state.shape || group.shape;
    fields.size = state.size || group.size || 25;
  }
  return fields;
}

/* A label shortened here gets its whole text back (before its node is measured for a layout). */
function unshorten(id) {
  var state = shortened[id];
  if (!state) { return; }
  delete shortened[id];
  var node = network.body.nodes[id];
  if (node && node.options.label === state.shown) {
    setDrawnNode(id, restoreFields(id, state));
    dataVersion += 1;  // placed afresh once the view settles
  }
}

/* The text cut at the last word boundary within ``fraction`` of its length, with an
   ellipsis (its own spacing kept); null when even its first word is longer. */
function shortenText(text, fraction) {
  text = String(text);
  var limit = Math.max(1, Math.floor(text.length * fraction));
  var cut = -1;
  var space = /\s+/g;
  var match;
  while ((match = space.exec(text)) !== null && match.index <= limit) {
    if (match.index > 0) { cut = match.index; }
  }
  if (cut < 0) { return null; }
  var kept = text.slice(0, cut).replace(/[\s,;:.(\u2014\u2013-]+$/, "");
  return kept ? kept + "\u2026" : null;
}

/* Shorter forms of a label, longest first; an objective's last is its id alone. */
function shorterTexts(id, text) {
  var forms = [];
  SHORTENINGS.forEach(function (fraction) {
    var short = shortenText(text, fraction);
    if (short && forms.indexOf(short) < 0 && short.length < text.length) { forms.push(short); }
  });
  var info = details[id];
  if (info && info.kind === "objective" && forms.indexOf(info.label) < 0) { forms.push(info.label); }
  return forms;
}

/* ---------------------------------------------------------------- measuring */

function drawThreshold(node) {
  var scaling = node.options.scaling && node.options.scaling.label;
  return scaling && scaling.drawThreshold !== undefined ? scaling.drawThreshold : 5;
}

/* The screen box of a node's label as vis-network draws it now, or null when it draws none. */
function labelBox(id, scale, offset) {
  var node = network.body.nodes[id];
  if (!node || !node.options.label || hiddenLabels[id] || placementHidden[id]) { return null; }
  var size = node.labelModule.fontOptions.size;
  if (size * scale < drawThreshold(node) - 1) { return null; }
  var inside = LABEL_INSIDE[node.options.shape];
  var box;
  if (inside) {
    node.shape.updateBoundingBox(node.x, node.y, drawingContext, node.selected, node.hover);
    var bound = node.shape.boundingBox;
    box = { left: bound.left, right: bound.right, top: bound.top, bottom: bound.bottom };
  } else {
    var text = node.labelModule.getTextSize(drawingContext, node.selected, node.hover);
    if (!text.width) { return null; }
    var radius = node.options.size || 10;
    var top = node.y + radius + size / 2 + 4 + nameLift(id, size) + (labelShift[id] || 0);
    box = { left: node.x - text.width / 2, right: node.x + text.width / 2, top: top, bottom: top + text.height };
  }
  return toScreen(box, scale, offset);
}

function toScreen(box, scale, offset) {
  var corner = network.canvasToDOM({ x: box.left, y: box.top });
  return {
    left: corner.x + (offset ? offset.x : 0),
    top: corner.y + (offset ? offset.y : 0),
    right: corner.x + (box.right - box.left) * scale + (offset ? offset.x : 0),
    bottom: corner.y + (box.bottom - box.top) * scale + (offset ? offset.y : 0),
  };
}

function markerBox(id) {
  var node = network.body.nodes[id];
  var radius = (node.options.size || 10) * network.getScale();
  var at = network.canvasToDOM({ x: node.x, y: node.y });
  return { left: at.x - radius, right: at.x + radius, top: at.y - radius, bottom: at.y + radius };
}

/* ---------------------------------------------------------------- the grid of placed boxes */

function Grid() { this.cells = {}; }

Grid.prototype.keys = function (box, visit) {
  var x0 = Math.floor(box.left / PLACEMENT_CELL), x1 = Math.floor(box.right / PLACEMENT_CELL);
  var y0 = Math.floor(box.top / PLACEMENT_CELL), y1 = Math.floor(box.bottom / PLACEMENT_CELL);
  for (var x = x0; x <= x1; x += 1) {
    for (var y = y0; y <= y1; y += 1) {
      if (visit(x + "," + y) === false) { return false; }
    }
  }
  return true;
};

Grid.prototype.add = function (box) {
  var cells = this.cells;
  this.keys(box, function (key) { (cells[key] = cells[key] || []).push(box); });
};

/* The first placed box that ``box`` would meet (with the gap kept between labels), or null. */
Grid.prototype.firstHit = function (box, owner) {
  var cells = this.cells;
  var found = null;
  this.keys(box, function (key) {
    var list = cells[key];
    if (!list) { return true; }
    for (var i = 0; i < list.length; i += 1) {
      var other = list[i];
      if (owner !== undefined && other.owner === owner) { continue; }
      if (box.left < other.right + LABEL_GAP.x && other.left < box.right + LABEL_GAP.x &&
          box.top < other.bottom + LABEL_GAP.y && other.top < box.bottom + LABEL_GAP.y) { found = other; return false; }
    }
    return true;
  });
  return found;
};

Grid.prototype.hits = function (box, owner) { return this.firstHit(box, owner) !== null; };

function boxesMeet(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/* ---------------------------------------------------------------- placing */

/* What the page draws on the canvas itself, which labels keep clear of: the timeline's years
   and the "What's new" badges (since.js; a badge's own node's label may touch it). */
function fixedTexts() {
  var fixed = sinceBadges().concat(overlayBoxes());
  if (!timelineOn || !data.timeline || !data.timeline.axis) { return fixed; }
  var line = network.canvasToDOM({ x: 0, y: data.timeline.axis.top });
  var height = Math.max(12, presenter ? 16 : 13) * 1.3;
  return fixed.concat([{ left: -1e6, right: 1e6, top: line.y - 8 - height, bottom: line.y - 6 }]);
}

/* The boxes over the map (the legend, the note on the sources), in the map's pixels: a label
   there would be cut by them, so it moves, is shortened, or waits. (The side panel is beside
   the map, not over it.) */
function overlayBoxes() {
  var frame = container.getBoundingClientRect();
  var boxes = [];
  [[legend, "the legend"], [document.getElementById("sources-note"), "the note on the sources"]].forEach(function (overlay) {
    var element = overlay[0];
    if (!element || element.hidden || element.offsetParent === null) { return; }
    var box = element.getBoundingClientRect();
    if (!box.width || !box.height) { return; }
    boxes.push({ id: overlay[1], left: box.left - frame.left, top: box.top - frame.top, right: box.right - frame.left, bottom: box.bottom - frame.top });
  });
  return boxes;
}

/* What the overlays cover now, as a key (a change of it places the labels again). */
function overlaySignature() {
  return overlayBoxes().map(function (box) { return [box.left, box.top, box.right, box.bottom].map(Math.round).join(" "); }).join("|");
}

/* Most important first: selected and focused, then by kind, papers by their links. */
function placementOrder(ids) {
  var selected = {};
  network.getSelectedNodes().forEach(function (id) { selected[id] = true; });
  function rank(id) {
    var node = network.body.nodes[id];
    var first = selected[id] ? 0 : objectiveFocus && objectiveFocus[id] ? 1 : dimmedNodes[id] ? 3 : 2;
    // Among cluster names, the larger cluster's first.
    return [first, KIND_RANK[node.options.group] === undefined ? 6 : KIND_RANK[node.options.group],
      -(data.clusters[id] ? data.clusters[id].length : 0),
      -(adjacency[id] ? adjacency[id].length : 0), -(baseFont[id] || 0)];
  }
  var ranks = {};
  ids.forEach(function (id) { ranks[id] = rank(id); });
  return ids.sort(function (a, b) {
    var x = ranks[a], y = ranks[b];
    for (var i = 0; i < x.length; i += 1) { if (x[i] !== y[i]) { return x[i] - y[i]; } }
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/* The nodes whose labels could be drawn in the view now. */
function candidateLabels(scale) {
  var width = container.clientWidth, height = container.clientHeight;
  var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
  var bottomRight = network.DOMtoCanvas({ x: width, y: height });
  var slack = 400 / scale;
  var ids = [];
  var all = network.body.nodes;
  var shown = network.body.nodeIndices;
  for (var i = 0; i < shown.length; i += 1) {
    var node = all[shown[i]];
    if (!node || node.options.hidden || node.isCluster) { continue; }
    if (node.x < topLeft.x - slack || node.x > bottomRight.x + slack || node.y < topLeft.y - slack || node.y > bottomRight.y + slack) { continue; }
    ids.push(node.id);
  }
  return ids;
}

/* Try a label's text (and, under a marker, its two places) against what is placed; returns
   the box it takes, or null. ``strict`` also keeps it off other nodes' markers. */
function tryPlaces(id, scale, placed, markers, strict) {
  var node = network.body.nodes[id];
  // A name inside its node, or in the middle of a closed cluster's disc, has one place.
  var inside = LABEL_INSIDE[node.options.shape] || node.options.group === "clusterDisc";
  var shifts = inside ? [0] : [0, null];
  for (var i = 0; i < shifts.length; i += 1) {
    var shift = shifts[i];
    if (shift === null) {
      // Above the marker: the label's bottom a little over the marker's top.
      var text = node.labelModule.getTextSize(drawingContext, node.selected, node.hover);
      var radius = node.options.size || 10;
      var size = node.labelModule.fontOptions.size;
      shift = -(2 * radius + size / 2 + 8 + text.height);
    }
    labelShift[id] = shift;
    var box = labelBox(id, scale);
    if (!box) { return { none: true }; }
    var offScreen = shift !== 0 && (box.top < 0 || box.bottom > container.clientHeight);
    var blocker = offScreen ? null : placed.firstHit(box, id);
    if (!offScreen && !blocker && (!strict || offOtherMarkers(id, box, markers))) {
      return { box: box, shift: shift };
    }
    if (blocker && !placementBlockers[id]) { placementBlockers[id] = blocker.id || (blocker.owner ? "the badge of " + blocker.owner : "the timeline's years"); }
  }
  labelShift[id] = 0;
  return null;
}

/* Whether a label's box stays off every marker but its own node's. */
function offOtherMarkers(id, box, markers) {
  var clear = true;
  markers.keys(box, function (key) {
    (markers.cells[key] || []).forEach(function (other) {
      if (other.id !== id && boxesMeet(box, other)) { clear = false; }
    });
    return clear;
  });
  return clear;
}

/* Labels are tried on the drawn node alone (fast); the page's data gets the outcome at the end. */
function tryFields(id, fields) {
  setDrawnNode(id, fields);
}

/* Nodes moved by an earlier placement go back to their own place (unless dragged since), so
   that each placement starts from the layout's places and gives the same outcome. */
function unnudgeAll() {
  Object.keys(nudged).forEach(function (id) {
    var node = network.body.nodes[id];
    var was = nudged[id];
    if (node && node.x === was.at.x && node.y === was.at.y) { node.x = was.x; node.y = was.y; }
  });
  nudged = {};
}

/* Move a name's node a little, nearest place first, until its whole label fits; the place
   it takes, or null (the node back where it was). */
function nudgeIntoRoom(id, scale, placed, markers) {
  var node = network.body.nodes[id];
  // A marked node stays put: its "What's new" badge is an obstacle already placed.
  if (!NUDGE_KINDS[node.options.group] || (since && since.nodes[id])) { return null; }
  var home = { x: node.x, y: node.y };
  var width = container.clientWidth, height = container.clientHeight;
  for (var pass = 0; pass < 2; pass += 1) {
    for (var s = 0; s < NUDGE_STEPS.length; s += 1) {
      for (var d = 0; d < NUDGE_DIRECTIONS.length; d += 1) {
        node.x = home.x + NUDGE_DIRECTIONS[d][0] * NUDGE_STEPS[s] / scale;
        node.y = home.y + NUDGE_DIRECTIONS[d][1] * NUDGE_STEPS[s] / scale;
        labelShift[id] = 0;
        var box = labelBox(id, scale);
        if (!box || box.left < 0 || box.top < 0 || box.right > width || box.bottom > height) { continue; }
        if (!placed.hits(box, id) && (pass === 1 || offOtherMarkers(id, box, markers))) {
          nudged[id] = { x: home.x, y: home.y, at: { x: node.x, y: node.y } };
          return { box: box, shift: 0, nudged: true };
        }
      }
    }
  }
  node.x = home.x;
  node.y = home.y;
  return null;
}

/* A label that found no room whole in place: moved a little, shortened, or hidden (a shape
   with its label inside becomes a small marker). Returns what it takes, or null. */
function placeCrowded(id, scale, placed, markers, counts) {
  var node = network.body.nodes[id];
  var full = node.options.label;
  var result = nudgeIntoRoom(id, scale, placed, markers);
  if (!result) {
    var forms = full ? shorterTexts(id, String(full)) : [];
    for (var i = 0; i < forms.length && !result; i += 1) {
      tryFields(id, { label: forms[i] });
      shortened[id] = { full: full, shown: forms[i] };
      result = tryPlaces(id, scale, placed, markers, false) || nudgeIntoRoom(id, scale, placed, markers);
    }
    if (result) { counts.shortened += 1; }
  }
  if (result) { return result; }
  if (shortened[id]) { tryFields(id, { label: full }); delete shortened[id]; }
  if (LABEL_INSIDE[node.options.shape] && node.options.shape !== "text") {
    // A small unnamed marker, its name on hover and in the panel.
    var was = { shape: node.options.shape, size: node.options.size };
    tryFields(id, { shape: "dot", size: 7 });
    shortened[id] = { full: full, shown: full, collapsed: true, shape: was.shape, size: was.size };
    var marker = markerBox(id);
    marker.id = id;
    markers.add(marker);
  }
  placementHidden[id] = true;
  counts.hidden += 1;
  return null;
}

/* Every label in ``order``, each where it is, or else moved, shortened or hidden. (Names
   that meet another are moved at once: letting them wait until every name that fits in place
   has its room leaves less room for the moved ones on the workshop's map, not more.) */
function placeInOrder(order, scale, placed, markers, counts) {
  order.forEach(function (id) {
    var result = tryPlaces(id, scale, placed, markers, true) || tryPlaces(id, scale, placed, markers, false) ||
      placeCrowded(id, scale, placed, markers, counts);
    if (!result || result.none) { return; }
    if (result.shift) { counts.moved += 1; }
    if (result.nudged) { counts.nudged += 1; }
    counts.drawn += 1;
    result.box.id = id;
    placed.add(result.box);
  });
}

/* Place every label that would be drawn in the view now (see the top of this file). */
function placeLabels() {
  var started = performance.now();
  placingNow = true;
  var scale = network.getScale();
  // Start from whole texts in their usual place.
  Object.keys(shortened).forEach(function (id) {
    var node = network.body.nodes[id];
    if (node && node.options.label === shortened[id].shown) { tryFields(id, restoreFields(id, shortened[id])); }
    delete shortened[id];
  });
  unnudgeAll();
  var ids = candidateLabels(scale);
  var wasHidden = placementHidden;
  var wasShift = labelShift;
  placementHidden = {};
  labelShift = {};
  placementBlockers = {};
  var placed = new Grid();
  fixedTexts().forEach(function (box) { placed.add(box); });
  var markers = new Grid();
  var counts = { considered: ids.length, drawn: 0, moved: 0, nudged: 0, shortened: 0, hidden: 0 };
  ids.forEach(function (id) {
    if (!LABEL_INSIDE[network.body.nodes[id].options.shape]) {
      var marker = markerBox(id);
      marker.id = id;
      markers.add(marker);
    }
  });
  placeInOrder(placementOrder(ids), scale, placed, markers, counts);
  Object.keys(wasHidden).concat(Object.keys(placementHidden), Object.keys(wasShift), Object.keys(labelShift)).forEach(function (id) {
    if (!network.body.nodes[id]) { return; }
    if (!!wasHidden[id] === !!placementHidden[id] && (wasShift[id] || 0) === (labelShift[id] || 0)) { return; }
    setDrawnNode(id, { font: fontFor(id, shownFont[id] || baseFont[id]) });
  });
  network.redraw();
  placingNow = false;
  placedSignature = viewSignature();
  counts.ms = Math.round((performance.now() - started) * 10) / 10;
  lastPlacement = counts;
}

/* ---------------------------------------------------------------- what tests and scripts read */

/* Every label drawn now: its node, text and box in page pixels (left, top, right, bottom). */
function drawnLabels() {
  var scale = network.getScale();
  var frame = container.querySelector("canvas").getBoundingClientRect();
  var width = container.clientWidth, height = container.clientHeight;
  var found = [];
  candidateLabels(scale).forEach(function (id) {
    var box = labelBox(id, scale);
    if (!box || box.right < 0 || box.left > width || box.bottom < 0 || box.top > height) { return; }
    found.push({
      // A closed cluster's disc (clusters.js) is named as any cluster is.
      id: id, kind: network.body.nodes[id].options.group.replace("clusterDisc", "cluster"), text: network.body.nodes[id].options.label,
      left: box.left + frame.left, top: box.top + frame.top, right: box.right + frame.left, bottom: box.bottom + frame.top,
      px: network.body.nodes[id].labelModule.fontOptions.size * scale,
    });
  });
  return found;
}

/* Pairs of drawn labels that meet (by more than half a pixel each way). */
function labelOverlaps() {
  var grid = new Grid();
  var pairs = [];
  var seen = {};
  drawnLabels().forEach(function (label) {
    var box = { left: label.left + 0.5, right: label.right - 0.5, top: label.top + 0.5, bottom: label.bottom - 0.5, id: label.id };
    grid.keys(box, function (key) {
      (grid.cells[key] || []).forEach(function (other) {
        var pair = other.id + " | " + box.id;
        if (!seen[pair] && boxesMeet(box, other)) { seen[pair] = true; pairs.push([other.id, box.id]); }
      });
    });
    grid.add(box);
  });
  return pairs;
}
