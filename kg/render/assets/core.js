/* The page's data and shared state, small helpers, and the kinds shown. */

var data = await readPageData();  // clusters.js: large maps come compressed
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

var groupOf = {};
data.nodes.forEach(function (node) { groupOf[node.id] = node.group; });
var nodes = new vis.DataSet(data.nodes);
var edges = new vis.DataSet(data.edges);
var container = document.getElementById("map");
startClusters();  // clusters.js: what the network holds from the start
var network = new vis.Network(container, networkData(), data.options);
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
var edgesAt = {};  // node id -> the ids of its edges
data.nodes.forEach(function (node) { adjacency[node.id] = []; edgesAt[node.id] = []; });
data.edges.forEach(function (edge) {
  adjacency[edge.from].push(edge.to);
  adjacency[edge.to].push(edge.from);
  edgesAt[edge.from].push(edge.id);
  edgesAt[edge.to].push(edge.id);
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
  var arriving = visible && kindWaiting[kind];
  if (arriving) { kindWaiting[kind] = false; }
  var updates = [];
  data.nodes.forEach(function (node) {
    if (node.group === kind) { updates.push({ id: node.id, hidden: !visible || inClosedCluster(node.id) }); }
  });
  nodes.update(updates);
  if (arriving) { linkArrivals(updates); }
}

Array.prototype.forEach.call(document.querySelectorAll(".kind-filter"), function (box) {
  box.addEventListener("change", function () { setKindVisible(box.value, box.checked); });
});
