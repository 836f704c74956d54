/* Label sizes that stay legible at every zoom, and emphasis of a node's neighbourhood. */

/* ---------------------------------------------------------------- text sizes
   Labels are sized for the screen, not the canvas: when the view is zoomed
   out, concept, objective and cluster names grow so that they stay legible
   from the back of a room; in an objective's focus every label in it does.
   Paper labels give way instead (they fade below a few pixels, see the
   group's drawThreshold) and come back on zooming in. */

var LEGIBLE = { map: 12, focus: 14 };
var PRESENTER_LEGIBLE = { map: 15, focus: 18 };
var GROWING = { concept: true, objective: true, cluster: true };
/* Paper labels on the whole timeline; 14 px and more read from the back of a room. */
var TIMELINE_PAPER_PX = { map: 12, presenter: 14 };
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
    least = presenter ? TIMELINE_PAPER_PX.presenter : TIMELINE_PAPER_PX.map;
  }
  var size = Math.max(baseFont[id], least * 1.01 / scale);  // a hair over, against rounding
  if (timelineOn && laneHeight[id]) {
    // A lane's name stays inside its lane.
    size = Math.min(size, Math.max(baseFont[id] * 0.7, (laneHeight[id] - 8) / 1.25));
  }
  return Math.min(size, baseFont[id] * 4);
}

/* Names wrap at a width that grows with their text (so they keep their shape); a lane's name
   on the timeline is one line. */
function wrapFor(id, size) {
  var group = drawnGroup(id);
  var wrap = data.options.groups[group].widthConstraint;
  if (!wrap || !wrap.maximum) { return null; }
  if (timelineOn && (laneHeight[id] || group === "paper")) { return { maximum: 2000 }; }
  return { maximum: wrap.maximum * size / baseFont[id] };
}

/* A node's group as drawn now (a cluster's changes as it opens and closes); a node the
   network does not hold yet (clusters.js) has its group in the page's data. */
function drawnGroup(id) {
  var node = network.body.nodes[id];
  return node ? node.options.group : groupOf[id];
}

/* How far a name is lifted from where vis-network puts a dot's label (below the dot): a
   closed cluster's name sits in the middle of its disc (as kg.render.vis sets it). */
function nameLift(id, size) {
  var node = network.body.nodes[id];
  return node && node.options.group === "clusterDisc" ? -(node.options.size || 0) - size : 0;
}

function fontFor(id, size) {
  var group = drawnGroup(id);
  var font = { size: size, vadjust: nameLift(id, size) + (labelShift[id] || 0) };
  if (hiddenLabels[id] || placementHidden[id]) {
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
