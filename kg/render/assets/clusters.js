/* Clusters: a large map opens as its clusters, each closed (a disc and its name); a click,
   zooming in, or a search for one of its papers opens a cluster into its papers, in place.
   Also the page data's unpacking (read first, by core.js). */

/* ---------------------------------------------------------------- page data */

/* The page's data: plain JSON, or on a large map gzip-compressed JSON in base64 (the
   browser inflates it itself, offline, with DecompressionStream). */
async function readPageData() {
  var block = JSON.parse(document.getElementById("kg-data").textContent);
  if (!block.packed) { return block; }
  var binary = atob(block.packed);
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i += 1) { bytes[i] = binary.charCodeAt(i); }
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return unpackTables(JSON.parse(await new Response(stream).text()));
}

/* Large maps leave out what a lookup restores: an edge's look (by its ``look`` key), its
   hover text (said in words from the labels of its two ends), the kind and label of a node
   a panel refers to (from that node's details, or ``refNames`` for a folded author), and
   the empty fields of panel details (``detailDefaults``, by kind). */
function unpackTables(packed) {
  var looks = packed.edgeLooks || {};
  var labels = {};
  packed.nodes.forEach(function (node) { labels[node.id] = node.label; });
  packed.edges.forEach(function (edge) {
    var look = looks[edge.look];
    if (look) {
      edge.width = look.width;
      edge.color = { color: look.color, opacity: 1 };
      if (look.dashes !== undefined) { edge.dashes = look.dashes; }
      delete edge.look;
    }
    if (edge.words) {
      var ends = { "{from}": labels[edge.from], "{to}": labels[edge.to] };
      edge.title = edge.words.replace(/\{(from|to)\}/g, function (end) { return ends[end]; });
      delete edge.words;
    }
  });
  var details = packed.details || {};
  var names = packed.refNames || {};
  var defaults = packed.detailDefaults || {};
  Object.keys(details).forEach(function (id) {
    var info = details[id];
    Object.keys(info).forEach(function (field) {
      if (!Array.isArray(info[field])) { return; }
      info[field].forEach(function (ref) {
        if (!ref || typeof ref !== "object" || ref.id === undefined || ref.label !== undefined) { return; }
        var known = details[ref.id];
        var name = known ? [known.kind, known.label] : names[ref.id];
        ref.kind = name[0];
        ref.label = name[1];
      });
    });
    var empty = defaults[info.kind || ""] || {};
    Object.keys(empty).forEach(function (field) {
      if (!(field in info)) { info[field] = Array.isArray(empty[field]) ? [] : empty[field]; }
    });
  });
  delete packed.refNames;
  delete packed.detailDefaults;
  return packed;
}

/* ---------------------------------------------------------------- clusters */

/* Set by startClusters, which core.js calls before the network is made (this file runs
   last: its declarations carry no values, so that they keep what startClusters set). */
var clusterView;
var clusterClosed;    // cluster id -> true while it is closed
var clusterOfPaper;   // paper id -> its cluster's id
var closedLook;       // cluster id -> its disc (shape, size, colour, font) to close it again
/* What the network holds waits until it is first shown: the papers of a cluster never
   opened, and the nodes of a kind hidden from the start. vis-network does work for every
   node and edge it holds, hidden or not, and a map of 25,000 papers mostly shows discs. */
var clusterLoaded;    // cluster id -> true once it has been opened
var kindWaiting;      // kind -> true until it is first shown
/* Zoomed in until a closed disc spans this many pixels, the cluster opens. */
var OPEN_WHEN_WIDER_THAN = 520;

function startClusters() {
  clusterView = !!data.settings.clusterView;
  clusterClosed = {};
  clusterOfPaper = {};
  closedLook = {};
  clusterLoaded = {};
  kindWaiting = {};
  if (!clusterView) { return; }
  Object.keys(data.clusters).forEach(function (id) {
    clusterClosed[id] = true;
    data.clusters[id].forEach(function (paper) { clusterOfPaper[paper] = id; });
  });
  data.nodes.forEach(function (node) {
    if (node.group === "clusterDisc") {
      closedLook[node.id] = { group: "clusterDisc", size: node.size, font: node.font, openSize: node.openSize };
    }
  });
  data.kinds.forEach(function (kind) { if (kind.hidden) { kindWaiting[kind.kind] = true; } });
}

/* Whether the network holds a node now (everything, on a map that does not open as clusters). */
function inNetwork(id) {
  var cluster = clusterOfPaper[id];
  return !(cluster && !clusterLoaded[cluster]) && !kindWaiting[groupOf[id]];
}

/* The network's nodes and edges: on a map of clusters, views of the page's data holding
   what has been shown; a node's update (to show it) brings it in. */
function networkData() {
  if (!clusterView) { return { nodes: nodes, edges: edges }; }
  return {
    nodes: new vis.DataView(nodes, { filter: function (node) { return inNetwork(node.id); } }),
    edges: new vis.DataView(edges, { filter: function (edge) { return inNetwork(edge.from) && inNetwork(edge.to); } }),
  };
}

/* Bring in the edges of nodes the network has just taken in (an update re-reads the filter). */
function linkArrivals(items) {
  var touched = {};
  items.forEach(function (item) {
    edgesAt[item.id].forEach(function (edge) { touched[edge] = true; });
  });
  var ids = Object.keys(touched);
  if (ids.length) { edges.update(ids.map(function (id) { return { id: id }; })); }
}

/* Whether a node stays hidden because its cluster is closed. */
function inClosedCluster(id) {
  return !!clusterClosed[clusterOfPaper[id]];
}

function setClusterOpen(id, open) {
  if (!closedLook[id] || !clusterClosed[id] === open) { return; }
  clusterClosed[id] = !open;
  var arriving = open && !clusterLoaded[id];
  clusterLoaded[id] = clusterLoaded[id] || open;
  var updates = data.clusters[id].map(function (paper) {
    return { id: paper, hidden: !open || !!hiddenKinds.paper };
  });
  var look = closedLook[id];
  updates.push(open
    ? { id: id, group: "cluster", shape: "text", font: { size: look.openSize, vadjust: 0 } }
    : { id: id, group: look.group, shape: "dot", size: look.size, font: look.font });
  nodes.update(updates);
  if (arriving) { linkArrivals(updates); }
}

/* Open the cluster holding ``id`` (a paper found by search, or named in a panel). */
function openClusterOf(id) {
  var cluster = clusterOfPaper[id];
  if (cluster && clusterClosed[cluster]) { setClusterOpen(cluster, true); }
}

function openClusters() {
  return Object.keys(clusterClosed).filter(function (id) { return !clusterClosed[id]; });
}

if (clusterView) {
  network.on("click", function (event) {
    var id = event.nodes.length ? event.nodes[0] : null;
    if (id && clusterClosed[id]) { setClusterOpen(id, true); }
  });
  network.on("doubleClick", function (event) {
    var id = event.nodes.length ? event.nodes[0] : null;
    if (id && closedLook[id] && !clusterClosed[id]) { setClusterOpen(id, false); }
  });
  // Any change of view (a zoom, a move by the page or by a script) is seen after drawing.
  network.on("afterDrawing", openWhatIsWide);
}

var lastView = "";

/* Open every closed cluster that shows on screen as a disc wider than OPEN_WHEN_WIDER_THAN. */
function openWhatIsWide() {
  var scale = network.getScale();
  var view = network.getViewPosition();
  var key = scale + " " + view.x + " " + view.y;
  if (key === lastView) { return; }
  lastView = key;
  var halfWidth = container.clientWidth / 2 / scale;
  var halfHeight = container.clientHeight / 2 / scale;
  Object.keys(clusterClosed).forEach(function (id) {
    if (!clusterClosed[id]) { return; }
    var at = home[id];
    var radius = closedLook[id].size;
    // Any part of the disc in view, and the disc wide on screen: its papers take its place.
    var inView = Math.abs(at.x - view.x) < halfWidth + radius && Math.abs(at.y - view.y) < halfHeight + radius;
    if (inView && 2 * radius * scale > OPEN_WHEN_WIDER_THAN) { setClusterOpen(id, true); }
  });
}

window.kg.openCluster = function (id) { setClusterOpen(id, true); };
window.kg.closeCluster = function (id) { setClusterOpen(id, false); };
window.kg.openClusters = openClusters;
