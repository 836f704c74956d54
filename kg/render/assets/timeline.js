/* The timeline view (papers by year, concepts in lanes) and presenter mode. */

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
  // A lane's name is plain text on the timeline: an ellipse around it would not fit the lane.
  var laneShapes = Object.keys(laneHeight).filter(function (id) { return network.body.nodes[id]; }).map(function (id) {
    unshorten(id);
    return { id: id, shape: on ? "text" : data.options.groups[nodes.get(id).group].shape };
  });
  if (laneShapes.length) { nodes.update(laneShapes); }
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
  var left = axis.left - 400, right = axis.x + (axis.to - axis.from) * axis.step + 200;
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
  // A lane with no node to name it (papers of no concept, papers without a year) is named here.
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
