/* Moving nodes and the view: animation, framing a set of nodes clear of the overlays, the legend. */

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

/* Nothing moves, and the labels are placed for what is shown (see placement.js). */
function isSettled() { return !nodeAnimation && !viewMoving && labelsPlaced(); }

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
  unshorten(id);  // a layout makes room for the whole label
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

/* Where the nodes live in the current view (not where a focus or an animation has them now). */
function places() { return timelineOn ? timelinePlaces : home; }

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
