/* The list view (the map as a table) and printing an objective. */

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
  var count = " (" + shown + " of " + data.nodes.length + " nodes; choose All to list every node)";
  var stop = objectiveFocus && !details[id] ? picker.options[picker.selectedIndex] : null;  // "What's new"
  listCaption.textContent = objectiveFocus && details[id]
    ? "Objective " + details[id].label + ": " + details[id].text + count
    : stop ? stop.textContent + count : "Every node of the map and what it links to";
}

function toggleList(show) {
  if (show) { buildList(); }
  listView.hidden = !show;
  listToggle.setAttribute("aria-pressed", show ? "true" : "false");
  // Short words keep the bar on one row at 1280 px; the hover text says the whole.
  listToggle.textContent = show ? "Map" : "List";
  listToggle.title = show ? "Back to the map" : "List view: every node as a table, for reading or a screen reader";
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

/* A paper's APA citation, its italics kept: built from the data's [text, italic] spans. */
function citationElement(tag, paper, fallback) {
  var element = el(tag, "citation");
  if (paper.citationSpans) {
    paper.citationSpans.forEach(function (span) {
      element.appendChild(span[1] ? el("i", null, span[0]) : document.createTextNode(span[0]));
    });
  } else {
    element.textContent = paper.citation || fallback.filter(Boolean).join(". ");
  }
  return element;
}

function fillPrintSheet(id) {
  var info = details[id];
  var parts = [el("h2", null, "Objective " + info.label), el("p", null, info.text)];
  var list = el("ol", "reading-list");
  info.papers.forEach(function (ref) {
    var paper = details[ref.id];
    if (!paper) { return; }
    var item = el("li");
    item.appendChild(citationElement("span", paper, [paper.label, paper.title, paper.venue, paper.year]));
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
  var id = objectiveFocus && details[picker.value] ? picker.value : "";
  document.body.classList.toggle("print-objective", !!id);
  if (id) { fillPrintSheet(id); } else { buildList(); }
  network.setSize("100%", "100%");
  if (id) {
    var ids = Object.keys(objectiveFocus).filter(visibleNode);
    frameBox(boxOf(ids), 1.4, false);
  } else {
    fitAll(false);
  }
  placeLabels();  // the printout is drawn now, before any timer could run
  if (network.renderer && network.renderer._redraw) { network.renderer._redraw(); }
}

function afterPrint() {
  document.body.classList.remove("print-objective");
  network.setSize("100%", "100%");
  refocus(false);
}

window.addEventListener("beforeprint", beforePrint);
window.addEventListener("afterprint", afterPrint);
