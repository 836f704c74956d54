/* Search: matching what is typed, the results list, choosing a result. */

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

/* What tells a result apart from others of the same name: a paper's year (when its name
   lacks it) and title; for other kinds, only when the name is shared, their key or text. */
function distinction(entry, shared) {
  var info = details[entry.id];
  if (entry.kind === "paper") {
    var year = info.year && entry.label.indexOf(String(info.year)) < 0 ? String(info.year) : "";
    return [year, info.title].filter(Boolean).join(" \u00b7 ");
  }
  if (!shared) { return ""; }
  return info.text || info.key || entry.id.replace(/^[a-z]+:/, "");
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
  var named = {};
  matches.forEach(function (entry) { named[entry.label] = (named[entry.label] || 0) + 1; });
  matches.forEach(function (entry, position) {
    var item = el("li");
    item.setAttribute("role", "option");
    item.id = "search-option-" + position;
    item.setAttribute("aria-selected", position === active ? "true" : "false");
    item.appendChild(el("span", "kind", kindInfo[entry.kind].singular));
    item.appendChild(el("span", "name", entry.label));
    var which = distinction(entry, named[entry.label] > 1);
    if (which) {
      var detail = el("span", "which", which);
      detail.title = which;
      item.appendChild(detail);
    }
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
