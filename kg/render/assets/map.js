/* kg concept map: the page's behaviour.
 *
 * Every piece of text from the sources reaches the page through textContent
 * (or vis-network's innerText tooltips): never through innerHTML. The data is
 * read from a JSON block, so it is parsed, never executed.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var details = data.details;
  var kindInfo = {};
  data.kinds.forEach(function (kind) { kindInfo[kind.kind] = kind; });
  var groupFont = {};
  Object.keys(data.options.groups).forEach(function (kind) {
    groupFont[kind] = data.options.groups[kind].font.color;
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.network = network;
  network.once("afterDrawing", function () {
    window.kgReadyAt = performance.now();
    window.kgReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  network.fit({ animation: false });

  var adjacency = {};
  data.nodes.forEach(function (node) { adjacency[node.id] = []; });
  data.edges.forEach(function (edge) {
    adjacency[edge.from].push(edge.to);
    adjacency[edge.to].push(edge.from);
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
    var updates = [];
    data.nodes.forEach(function (node) {
      if (node.group === kind) { updates.push({ id: node.id, hidden: !visible }); }
    });
    nodes.update(updates);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".kind-filter"), function (box) {
    box.addEventListener("change", function () { setKindVisible(box.value, box.checked); });
  });

  /* ---------------------------------------------------------------- emphasis */

  var dimmedNodes = {};
  var dimmedEdges = {};
  var objectiveFocus = null;

  function emphasise(keep) {
    var nodeUpdates = [];
    data.nodes.forEach(function (node) {
      var dim = keep !== null && !keep[node.id];
      if (dim !== !!dimmedNodes[node.id]) {
        dimmedNodes[node.id] = dim;
        nodeUpdates.push(dim
          ? { id: node.id, opacity: 0.18, font: { color: "#C4C4C4" } }
          : { id: node.id, opacity: 1, font: { color: groupFont[node.group] } });
      }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (edge) {
      var dim = keep !== null && !(keep[edge.from] && keep[edge.to]);
      if (dim !== !!dimmedEdges[edge.id]) {
        dimmedEdges[edge.id] = dim;
        edgeUpdates.push({ id: edge.id, color: { color: edge.color.color, opacity: dim ? 0.08 : 1 } });
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

  network.on("hoverNode", function (event) {
    if (data.settings.hoverDimming) { emphasise(neighbourhood(event.node)); }
  });
  network.on("blurNode", function () {
    if (data.settings.hoverDimming) { emphasise(objectiveFocus); }
  });

  /* ---------------------------------------------------------------- panel */

  var panel = document.getElementById("panel");
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
    var parts = [];
    var tag = el("span", "kind-tag", kindInfo[info.kind].singular);
    tag.style.background = kindInfo[info.kind].border;
    parts.push(tag);
    parts.push(el("h2", null, info.kind === "objective" ? "Objective " + info.label : info.label));

    if (info.kind === "paper") {
      if (info.citation) {
        parts.push(el("p", "citation", info.citation));
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
      parts.push(section("Papers, strongest evidence first", info.papers, evidenceItem));
      parts.push(section("Quotes", info.quotes, plainItem));
    } else if (info.kind === "quote") {
      parts.push(el("blockquote", null, info.text));
      if (info.speaker) { parts.push(el("p", null, "— " + info.speaker)); }
      parts.push(section("Source", info.source, plainItem));
      parts.push(paragraph("Page", info.page, "muted"));
      parts.push(paragraph("Note", info.note));
      parts.push(section("Illustrates", info.illustrates, plainItem));
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

  function goTo(id) {
    var node = nodes.get(id);
    if (!node) { return; }
    if (hiddenKinds[node.group]) { setKindVisible(node.group, true); }
    if (!listView.hidden) { toggleList(false); }
    // A node outside the objective being shown would be dimmed: show the whole map again.
    if (objectiveFocus && !objectiveFocus[id]) { pickObjective(null); }
    network.selectNodes([id]);
    showPanel(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 500, easingFunction: "easeInOutQuad" } });
  }

  network.on("click", function (event) {
    if (event.nodes.length) {
      showPanel(event.nodes[0]);
    } else if (!event.edges.length) {
      hidePanel();
    }
  });

  /* ---------------------------------------------------------------- objectives and tour */

  var picker = document.getElementById("objective");
  var tourButton = document.getElementById("tour");
  data.objectives.forEach(function (id) {
    var option = el("option", null, details[id].label + " — " + details[id].text);
    option.value = id;
    picker.appendChild(option);
  });

  function pickObjective(id) {
    picker.value = id || "";
    if (!id) {
      objectiveFocus = null;
      emphasise(null);
      tourButton.textContent = "Tour ▶";
      return;
    }
    var info = details[id];
    var keep = {};
    keep[id] = true;
    info.concepts.forEach(function (ref) { keep[ref.id] = true; });
    info.papers.forEach(function (ref) { keep[ref.id] = true; });
    info.quotes.forEach(function (ref) { keep[ref.id] = true; });
    objectiveFocus = keep;
    emphasise(keep);
    var visible = Object.keys(keep).filter(function (node) { return !hiddenKinds[nodes.get(node).group]; });
    network.selectNodes([id]);
    showPanel(id);
    network.fit({ nodes: visible, animation: { duration: 600, easingFunction: "easeInOutQuad" } });
    var next = data.objectives[(data.objectives.indexOf(id) + 1) % data.objectives.length];
    tourButton.textContent = "Next: " + details[next].label + " ▶";
  }

  picker.addEventListener("change", function () { pickObjective(picker.value); });
  tourButton.addEventListener("click", function () {
    if (!data.objectives.length) { return; }
    var current = data.objectives.indexOf(picker.value);
    pickObjective(data.objectives[(current + 1) % data.objectives.length]);
  });

  document.getElementById("fit").addEventListener("click", function () {
    pickObjective("");
    hidePanel();
    network.unselectAll();
    network.fit({ animation: { duration: 500 } });
  });

  /* ---------------------------------------------------------------- search */

  var kindOrder = {};
  data.kinds.forEach(function (kind, position) { kindOrder[kind.kind] = position; });
  var index = data.nodes.map(function (node) {
    var info = details[node.id];
    var words = [info.label, info.key, info.title, info.text, info.speaker];
    (info.aliases || []).forEach(function (alias) { words.push(alias); });
    (info.people || []).forEach(function (person) { words.push(person.label); });
    return { id: node.id, kind: info.kind, label: info.label, name: fold(info.label), all: fold(words.filter(Boolean).join(" \u0001 ")) };
  });

  var searchBox = document.getElementById("search");
  var results = document.getElementById("search-results");
  var matches = [];
  var active = -1;

  function findMatches(query) {
    var wanted = fold(query).trim();
    if (!wanted) { return []; }
    var found = [];
    for (var i = 0; i < index.length; i += 1) {
      var entry = index[i];
      var rank = entry.name.indexOf(wanted) === 0 ? 0 : entry.name.indexOf(wanted) > 0 ? 1 : entry.all.indexOf(wanted) >= 0 ? 2 : -1;
      if (rank >= 0) { found.push({ entry: entry, rank: rank }); }
    }
    found.sort(function (a, b) {
      return a.rank - b.rank || kindOrder[a.entry.kind] - kindOrder[b.entry.kind] ||
        (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0);
    });
    return found.slice(0, 12).map(function (match) { return match.entry; });
  }

  function showResults() {
    results.replaceChildren();
    active = matches.length ? 0 : -1;
    if (!searchBox.value.trim()) {
      results.hidden = true;
      return;
    }
    if (!matches.length) {
      results.appendChild(el("li", "empty", "Nothing matches"));
    }
    matches.forEach(function (entry, position) {
      var item = el("li");
      item.setAttribute("role", "option");
      item.id = "search-option-" + position;
      item.setAttribute("aria-selected", position === active ? "true" : "false");
      item.appendChild(el("span", "kind", kindInfo[entry.kind].singular));
      item.appendChild(el("span", null, entry.label));
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(position);
      });
      results.appendChild(item);
    });
    results.hidden = false;
  }

  function highlightActive() {
    Array.prototype.forEach.call(results.children, function (item, position) {
      item.setAttribute("aria-selected", position === active ? "true" : "false");
      if (position === active) { item.scrollIntoView({ block: "nearest" }); }
    });
  }

  function choose(position) {
    var entry = matches[position];
    if (!entry) { return; }
    results.hidden = true;
    searchBox.value = entry.label;
    goTo(entry.id);
  }

  searchBox.addEventListener("input", function () {
    matches = findMatches(searchBox.value);
    showResults();
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && matches.length) {
      active = (active + 1) % matches.length;
      highlightActive();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && matches.length) {
      active = (active - 1 + matches.length) % matches.length;
      highlightActive();
      event.preventDefault();
    } else if (event.key === "Enter") {
      choose(active < 0 ? 0 : active);
      event.preventDefault();
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
  searchBox.addEventListener("blur", function () { results.hidden = true; });

  /* ---------------------------------------------------------------- list view */

  var listView = document.getElementById("list-view");
  var listToggle = document.getElementById("list-toggle");
  var listBuilt = false;

  function describe(info) {
    if (info.kind === "paper") { return info.citation || [info.title, info.venue, info.year].filter(Boolean).join(". "); }
    if (info.kind === "concept") { return info.definition; }
    if (info.kind === "objective") { return info.text; }
    if (info.kind === "quote") { return info.text + (info.speaker ? " — " + info.speaker : ""); }
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
      adjacency[node.id].forEach(function (other) {
        links.appendChild(nodeLink({ id: other, kind: details[other].kind, label: details[other].label }, true));
      });
      row.appendChild(links);
      fragment.appendChild(row);
    });
    body.appendChild(fragment);
  }

  function toggleList(show) {
    if (show) { buildList(); }
    listView.hidden = !show;
    listToggle.setAttribute("aria-pressed", show ? "true" : "false");
    listToggle.textContent = show ? "Map view" : "List view";
    if (show) {
      var first = listView.querySelector("button");
      if (first) { first.focus(); }
    }
  }

  listToggle.addEventListener("click", function () { toggleList(listView.hidden); });
  /* Printing: the list goes under the map, and the map is refitted to the paper. */
  function refit() {
    network.setSize("100%", "100%");
    network.fit({ animation: false });
  }
  window.addEventListener("beforeprint", function () { buildList(); refit(); });
  window.addEventListener("afterprint", refit);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.activeElement !== searchBox) {
      if (!panel.hidden) { hidePanel(); network.unselectAll(); }
    }
  });

  window.kg = { data: data, nodes: nodes, edges: edges, goTo: goTo, pickObjective: pickObjective, showPanel: showPanel, toggleList: toggleList, setKindVisible: setKindVisible };
})();
