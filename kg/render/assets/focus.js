/* Objectives: the picker, the focus that lays an objective's part out afresh, and the tour. */

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
  if (introStop(id)) { introStop(id).show(animate); return; }
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

/* Stops the tour makes before the objectives, each {id, show(animate)}; the picker lists them
   first. since.js adds "What's new" to a map rendered with --since. */
var tourIntro = [];

function introStop(id) {
  return tourIntro.filter(function (stop) { return stop.id === id; })[0] || null;
}

function tourStops() {
  return tourIntro.map(function (stop) { return stop.id; }).concat(data.objectives);
}

function updateTourButton() {
  var stops = tourStops();
  var position = stops.indexOf(picker.value);
  tourPrevious.hidden = tourNext.hidden = tourStop.hidden = !touring;
  // With an objective picked, the tour continues from it, and says so.
  tourButton.textContent = touring && position >= 0 ? (position + 1) + " of " + stops.length
    : data.objectives.indexOf(picker.value) >= 0 ? "Tour from " + details[picker.value].label + " ▶" : "Tour ▶";
  tourButton.setAttribute("aria-pressed", touring ? "true" : "false");
  tourButton.title = touring ? "Next objective (→); Escape stops the tour"
    : position >= 0 ? "Step through the objectives in order, from the one picked" : "Step through the objectives in order, from the first";
}

/* Focus an objective (or, with null, show the whole map again: no objective, no panel). */
/* An objective in focus shows its whole wording (the map shows it shortened). */
var spelledOut = null;

function spellOut(id) {
  if (id && !details[id]) { id = null; }  // a stop that is not a node ("What's new")
  if (spelledOut === id) { return; }
  var updates = [];
  if (spelledOut) { updates.push({ id: spelledOut, label: labelOf[spelledOut] }); }
  if (id) { updates.push({ id: id, label: details[id].label + "  " + details[id].text }); }
  spelledOut = id;
  if (updates.length) { nodes.update(updates); }
}

function pickObjective(id, keepView) {
  if (id && story) { endStory(true); }
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
  if (introStop(id)) {
    introStop(id).show(true);
    updateTourButton();
    syncList();
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
  var stops = tourStops();
  if (!stops.length) { return; }
  var current = stops.indexOf(picker.value);
  // A tour starts at the stop picked, or at the first; then it moves on.
  var next = current < 0 ? 0 : touring ? (current + direction + stops.length) % stops.length : current;
  touring = true;
  pickObjective(stops[next]);
}

function stopTour() {
  if (!touring) { return; }
  pickObjective(null);
}

/* After the view's room changes (legend, panel, window), show again what was shown. */
function refocus(animate) {
  if (story) { frameStep(animate); return; }
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
