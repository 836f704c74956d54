/* What is new or changed since an earlier state (kg render --since OLD): an outline and a badge
   on each such node, a legend entry, a "What's new" first stop in the tour, and a note in a
   changed node's panel. Without data.since the page is as it always was. */

/* ---------------------------------------------------------------- since */

var since = data.since || null;
var SINCE_COLOUR = "#E69F00";   // Okabe-Ito orange: no kind of node is drawn in it
var SINCE_INK = "#1d1d1d";
var SINCE_WORDS = { "new": "NEW", "changed": "CHANGED" };
var sinceDrawn = [];            // the nodes marked at the last drawing, for tests and tools

function marked() {
  return since ? Object.keys(since.nodes).filter(function (id) { return !!nodes.get(id); }) : [];
}

function markedFocus() {
  var keep = {};
  marked().forEach(function (id) { keep[id] = true; });
  return keep;
}

/* The outline around the node's drawing (solid when new, dashed when changed) and the badge at
   its top right corner, sized for the screen whatever the zoom. */
function drawMark(context, id, scale) {
  var box = network.getBoundingBox(id);
  if (!box) { return; }
  var status = since.nodes[id].status;
  var pad = 5 / scale;
  context.save();
  context.globalAlpha = dimmedNodes[id] ? 0.25 : 1;
  context.lineWidth = 3 / scale;
  context.strokeStyle = SINCE_COLOUR;
  context.setLineDash(status === "new" ? [] : [7 / scale, 4 / scale]);
  context.beginPath();
  context.rect(box.left - pad, box.top - pad, box.right - box.left + 2 * pad, box.bottom - box.top + 2 * pad);
  context.stroke();
  context.setLineDash([]);
  var badge = sinceBadge(context, id, scale);
  context.fillStyle = SINCE_COLOUR;
  context.fillRect(badge.left, badge.top, badge.right - badge.left, badge.bottom - badge.top);
  context.fillStyle = SINCE_INK;
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(badge.text, (badge.left + badge.right) / 2, (badge.top + badge.bottom) / 2 + 0.5 / scale);
  context.restore();
}

/* A marked node's badge (canvas units): its word and box at the top right corner of the node's
   drawing. The label placement keeps other labels off it (see placement.js). */
function sinceBadge(context, id, scale) {
  var box = network.getBoundingBox(id);
  var pad = 5 / scale;
  var text = SINCE_WORDS[since.nodes[id].status];
  var size = 11 / scale;
  context.font = "700 " + size + "px system-ui, sans-serif";
  var width = context.measureText(text).width + 8 / scale;
  var height = size + 6 / scale;
  var x = box.right + pad - width / 2, y = box.top - pad;
  return { text: text, left: x - width / 2, right: x + width / 2, top: y - height / 2, bottom: y + height / 2 };
}

/* The badges drawn now, in screen pixels of the map, each with the node it marks. */
function sinceBadges() {
  if (!since) { return []; }
  var scale = network.getScale();
  var boxes = [];
  marked().forEach(function (id) {
    var node = network.body.nodes[id];
    if (!node || node.options.hidden || hiddenKinds[node.options.group]) { return; }
    var badge = sinceBadge(drawingContext, id, scale);
    var corner = network.canvasToDOM({ x: badge.left, y: badge.top });
    boxes.push({ owner: id, left: corner.x, top: corner.y,
      right: corner.x + (badge.right - badge.left) * scale, bottom: corner.y + (badge.bottom - badge.top) * scale });
  });
  return boxes;
}

if (since) {
  network.on("afterDrawing", function (context) {
    var scale = network.getScale();
    sinceDrawn = [];
    marked().forEach(function (id) {
      var node = network.body.nodes[id];
      if (!node || node.options.hidden || hiddenKinds[node.options.group]) { return; }
      drawMark(context, id, scale);
      sinceDrawn.push(id);
    });
  });
}

/* ---------------------------------------------------------------- legend */

function sinceSample(status) {
  var svgNs = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("class", "icon since-icon");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  var outline = document.createElementNS(svgNs, "rect");
  [["x", 3], ["y", 7], ["width", 16], ["height", 14], ["fill", "none"], ["stroke", SINCE_COLOUR],
   ["stroke-width", 2.5]].forEach(function (pair) { outline.setAttribute(pair[0], pair[1]); });
  if (status === "changed") { outline.setAttribute("stroke-dasharray", "4 2.5"); }
  var badge = document.createElementNS(svgNs, "rect");
  [["x", 13], ["y", 2], ["width", 10], ["height", 7], ["fill", SINCE_COLOUR]].forEach(function (pair) {
    badge.setAttribute(pair[0], pair[1]);
  });
  svg.appendChild(outline);
  svg.appendChild(badge);
  return svg;
}

function addSinceLegend() {
  var counts = { "new": 0, "changed": 0 };
  marked().forEach(function (id) { counts[since.nodes[id].status] += 1; });
  var body = document.getElementById("legend-body");
  var heading = el("h2", null, "Since " + since.label);
  var list = el("ul", "since");
  list.id = "since-legend";
  [["new", "new"], ["changed", "changed (its panel says what)"]].forEach(function (pair) {
    var item = el("li");
    item.appendChild(sinceSample(pair[0]));
    item.appendChild(el("span", "since-badge", SINCE_WORDS[pair[0]]));
    item.appendChild(document.createTextNode(" " + pair[1] + " "));
    item.appendChild(el("span", "count", counts[pair[0]]));
    list.appendChild(item);
  });
  body.appendChild(heading);
  body.appendChild(list);
}

/* ---------------------------------------------------------------- the panel */

function sinceNote(id) {
  var mark = since && since.nodes[id];
  if (!mark) { return null; }
  var wrapper = el("section", "since-note");
  wrapper.appendChild(el("h3", null, (mark.status === "new" ? "New" : "Changed") + " since " + since.label));
  if (mark.status === "changed") {
    var list = el("ul");
    mark.what.forEach(function (line) { list.appendChild(el("li", null, line)); });
    wrapper.appendChild(list);
  }
  return wrapper;
}

function markRef(id) {
  var info = details[id];
  return { id: id, kind: info.kind, label: info.label };
}

function showWhatsNewPanel() {
  hideTooltip();
  var ids = marked();
  var tag = el("span", "kind-tag", "What's new");
  tag.style.background = SINCE_COLOUR;
  tag.style.color = SINCE_INK;
  var parts = [tag, el("h2", null, "What's new since " + since.label), el("p", null, since.summary)];
  parts.push(section("New", ids.filter(function (id) { return since.nodes[id].status === "new"; }).map(markRef), plainItem));
  parts.push(section("Changed", ids.filter(function (id) { return since.nodes[id].status === "changed"; }).map(markRef), function (ref) {
    var item = plainItem(ref);
    since.nodes[ref.id].what.forEach(function (line) { item.appendChild(el("div", "reason", line)); });
    return item;
  }));
  panelBody.replaceChildren.apply(panelBody, parts.filter(Boolean));
  if (panel.hidden) { setPanelRoom(true); }
  panel.hidden = false;
  panel.setAttribute("data-node", "whats-new");
  panel.scrollTop = 0;
}

/* ---------------------------------------------------------------- the "What's new" stop */

function showWhatsNew(animate) {
  spellOut(null);
  objectiveFocus = markedFocus();
  network.unselectAll();
  showWhatsNewPanel();
  restorePlaces(animate);
  emphasise(objectiveFocus, false);
  var ids = Object.keys(objectiveFocus).filter(visibleNode);
  var here = {};
  ids.forEach(function (id) { here[id] = placeOf(id); });
  fitLabels(ids, function () { return here; });
  frameBox(boxOf(ids, here), 1.4, animate);
}

if (since && marked().length) {
  addSinceLegend();
  panelNotes.push(sinceNote);
  tourIntro.unshift({ id: "whats-new", show: showWhatsNew });
  var whatsNewOption = el("option", null, "What's new since " + since.label);
  whatsNewOption.value = "whats-new";
  picker.insertBefore(whatsNewOption, picker.options[1] || null);
  picker.closest(".objective-picker").hidden = false;
}

window.kg.since = {
  marked: marked,
  drawn: function () { return sinceDrawn.slice(); },
  badges: sinceBadges,
  showWhatsNew: function () { pickObjective("whats-new"); },
};
