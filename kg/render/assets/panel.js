/* The side panel: what a node is, its evidence and links, written with textContent. */

/* ---------------------------------------------------------------- panel */

var panel = document.getElementById("panel");
/* Notes other parts of the page put under a node's name, each a function of the node's id
   returning an element or null (since.js: what changed since an earlier state). */
var panelNotes = [];
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
  panelNotes.forEach(function (note) { parts.push(note(id)); });

  if (info.kind === "paper") {
    if (info.citation) {
      parts.push(citationElement("p", info, []));
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
  openClusterOf(id);  // a paper of a closed cluster (clusters.js)
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

/* Nodes are things to click: the pointer says so. */
network.on("hoverNode", function () { container.style.cursor = "pointer"; });
network.on("blurNode", function () { container.style.cursor = ""; });

network.on("click", function (event) {
  hideTooltip();
  if (event.nodes.length) {
    showPanel(event.nodes[0]);
  } else if (!event.edges.length) {
    hidePanel();
  }
});
