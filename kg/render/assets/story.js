/* Stories: an authored walk through the map, step by step, and the presenter console that
   follows it from a second window (the same file, opened with #console). */

/* ---------------------------------------------------------------- state */

var stories = data.stories || [];
var storyPicker = document.getElementById("story");
var storyBar = document.getElementById("story-bar");
var storyCount = document.getElementById("story-count");
var storyHeading = document.getElementById("story-heading");
var blankScreen = document.getElementById("blank");
var consolePane = document.getElementById("console");
var story = null;          // the story being told
var storyStep = 0;         // its step on screen (0-based)
var storyRevealed = 0;     // how many of the step's `reveal` nodes are shown
var storyStarted = 0;      // when the story started (ms since 1970), for the console's clock
var storyBefore = null;    // the view before the story: timeline on or off, legend open or folded
var consoleWindow = null;  // the presenter console this window opened
var isConsole = /(^#|&)console(&|$)/.test(location.hash);

function storyById(name) {
  var wanted = fold(name).replace(/[\s_-]+/g, "");
  for (var i = 0; i < stories.length; i += 1) {
    if (fold(stories[i].id).replace(/[\s_-]+/g, "") === wanted) { return stories[i]; }
  }
  for (var j = 0; j < stories.length; j += 1) {
    if (fold(stories[j].title).replace(/[\s_-]+/g, "") === wanted) { return stories[j]; }
  }
  return null;
}

/* A story's name in the narrow picker: its title without the map's own title in front
   ("Vicarious resilience: the two-hour workshop" on the map "Vicarious resilience"); the
   whole title and its number of steps are the option's hover text. */
function shortStoryName(title) {
  var own = String(document.title || "");
  var rest = title;
  if (own && title.toLowerCase().indexOf(own.toLowerCase()) === 0) {
    rest = title.slice(own.length).replace(/^[\s:\u2014\u2013-]+/, "");
  }
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : title;
}

stories.forEach(function (told) {
  var option = el("option", null, shortStoryName(told.title));
  option.title = told.title + " (" + told.steps.length + " steps)";
  option.value = told.id;
  storyPicker.appendChild(option);
});
storyPicker.parentNode.hidden = !stories.length || isConsole;

/* The nodes a step shows now: its focus, and the nodes revealed so far. */
function shownNow(step, revealed) {
  return step.focus.concat(step.reveal.slice(0, revealed)).filter(function (id) { return network.body.nodes[id]; });
}

function setOf(ids) {
  var keep = {};
  ids.forEach(function (id) { keep[id] = true; });
  return keep;
}

/* ---------------------------------------------------------------- telling a story */

function startStory(told, index, revealed) {
  if (!told) { return; }
  if (touring || objectiveFocus) { pickObjective(null, true); }
  if (!story) {
    storyBefore = { timeline: timelineOn, legend: !legend.classList.contains("folded") };
    setLegendOpen(false, true);
  }
  if (!story || story.id !== told.id) { storyStarted = Date.now(); }
  story = told;
  storyPicker.value = told.id;
  hidePanel();
  network.unselectAll();
  storyBar.hidden = false;
  network.setSize("100%", "100%");
  showStep(index || 0, revealed || 0, true);
}

function showStep(index, revealed, animate) {
  storyStep = Math.max(0, Math.min(story.steps.length - 1, index));
  var step = story.steps[storyStep];
  storyRevealed = Math.max(0, Math.min(step.reveal.length, revealed));
  var wantTimeline = step.view === "timeline" && !!(data.timeline && data.timeline.positions);
  if (wantTimeline !== timelineOn) { setTimeline(wantTimeline); }
  frameStep(animate);
  updateStoryBar();
  writeFragment();
  tellConsole();
}

/* On the timeline a concept stands for its lane: the papers in it come into view with it. */
function withLanes(ids) {
  if (!timelineOn) { return ids; }
  var more = ids.slice();
  ids.forEach(function (id) {
    if (!details[id] || details[id].kind !== "concept") { return; }
    adjacency[id].forEach(function (other) {
      if (details[other] && details[other].kind === "paper" && more.indexOf(other) < 0 && timelinePlaces[other]) { more.push(other); }
    });
  });
  return more;
}

/* Every node to where it belongs now: ``targets`` for a step laid out afresh, and its place on
   the map or the timeline for the rest (also ending any glide a change of view started). */
function moveAllTo(targets, animate) {
  var moving = {};
  data.nodes.forEach(function (node) {
    var body = network.body.nodes[node.id];
    if (!body) { return; }
    var goal = (targets && targets[node.id]) || placeOf(node.id);
    if (Math.abs(body.x - goal.x) > 0.5 || Math.abs(body.y - goal.y) > 0.5) { moving[node.id] = goal; }
  });
  focusLaidOut = targets;
  moveNodes(moving, animate);
}

/* Frame the step's nodes (revealed or not, so the view stays still while they appear) clear of
   every overlay, every label at presentation size; lay them out afresh when their places on
   the map are too far apart for that. */
function frameStep(animate) {
  var step = story.steps[storyStep];
  var all = withLanes(shownNow(step, step.reveal.length));
  all.forEach(function (id) {
    var group = network.body.nodes[id].options.group;
    if (hiddenKinds[group]) { setKindVisible(group, true); }
  });
  var firstObjective = all.filter(function (id) { return details[id] && details[id].kind === "objective"; })[0];
  spellOut(firstObjective && !timelineOn ? firstObjective : null);
  if (!all.length) {
    objectiveFocus = null;
    moveAllTo(null, animate);
    emphasise(null);
    applyLabelSizes(null, true);
    fitAll(animate);
    return;
  }
  objectiveFocus = setOf(all);
  emphasise(setOf(withLanes(shownNow(step, storyRevealed))), true);
  var here = {};
  all.forEach(function (id) { here[id] = placeOf(id); });
  var smallest = Math.min.apply(null, all.map(function (id) { return baseFont[id]; }));
  var needed = Math.min(1.0, legible().focus / smallest);
  var view = viewFor(boxOf(all, here), 1.4) || { scale: 1 };
  var targets = null;
  if (timelineOn || view.scale >= needed * 0.95) {
    fitLabels(all, function () { return here; });
  } else {
    fitLabels(all, function () { targets = storyPlaces(all); return targets; });
  }
  moveAllTo(targets, animate);
  var box = boxOf(all, targets || here);
  if (timelineOn) {
    // Room above the lanes for the years, written at a fixed size on screen.
    var estimate = viewFor(box, 1.4);
    box.top = Math.min(box.top, data.timeline.axis.top - 34 / (estimate ? estimate.scale : 1));
  }
  frameBox(box, 1.4, animate);
}

/* A step's nodes laid out to read at a glance: one column block per kind (objectives, concepts,
   quotes, papers, authors), each block split into as many columns as fits the free part of the
   view best, around where the nodes live on the map. */
var STORY_KIND_ORDER = ["objective", "concept", "quote", "paper", "author", "cluster"];

function storyPlaces(ids) {
  var size = {};
  ids.forEach(function (id) {
    var e = extent(id);
    size[id] = { e: e, w: e.right - e.left, h: e.bottom - e.top };
  });
  var groups = STORY_KIND_ORDER.map(function (kind) {
    var items = ids.filter(function (id) { return network.body.nodes[id].options.group === kind; });
    var cellW = 0, cellH = 0;
    items.forEach(function (id) { cellW = Math.max(cellW, size[id].w); cellH = Math.max(cellH, size[id].h); });
    return { items: items, cellW: cellW, cellH: cellH };
  }).filter(function (group) { return group.items.length; });
  var gapX = 44, gapY = 18;
  var rects = freeRects();
  var longest = Math.max.apply(null, groups.map(function (group) { return group.items.length; }));
  var best = null;
  for (var rows = 1; rows <= longest; rows += 1) {
    var width = 0, height = 0;
    groups.forEach(function (group, position) {
      var columns = Math.ceil(group.items.length / rows);
      var shownRows = Math.min(rows, group.items.length);
      width += columns * group.cellW + (columns - 1) * gapX + (position ? gapX * 1.5 : 0);
      height = Math.max(height, shownRows * group.cellH + (shownRows - 1) * gapY);
    });
    rects.forEach(function (rect) {
      var scale = Math.min((rect.right - rect.left) / width, (rect.bottom - rect.top) / height);
      if (!best || scale > best.scale + 1e-6) { best = { scale: scale, rows: rows, width: width, height: height }; }
    });
  }
  var centre = { x: 0, y: 0 };
  ids.forEach(function (id) { centre.x += home[id].x / ids.length; centre.y += home[id].y / ids.length; });
  var left = centre.x - best.width / 2;
  var top = centre.y - best.height / 2;
  var result = {};
  groups.forEach(function (group) {
    var columns = Math.ceil(group.items.length / best.rows);
    var shownRows = Math.min(best.rows, group.items.length);
    var blockH = shownRows * group.cellH + (shownRows - 1) * gapY;
    group.items.forEach(function (id, position) {
      var column = Math.floor(position / best.rows);
      var row = position % best.rows;
      var x = left + column * (group.cellW + gapX) + (group.cellW - size[id].w) / 2;
      var y = top + (best.height - blockH) / 2 + row * (group.cellH + gapY) + (group.cellH - size[id].h) / 2;
      result[id] = { x: x - size[id].e.left, y: y - size[id].e.top };
    });
    left += columns * group.cellW + (columns - 1) * gapX + gapX * 1.5;
  });
  return result;
}

function storyNext() {
  if (!story) { return; }
  if (!blankScreen.hidden) { setBlank(false); return; }
  var step = story.steps[storyStep];
  if (storyRevealed < step.reveal.length) { showStep(storyStep, storyRevealed + 1, true); }
  else if (storyStep < story.steps.length - 1) { showStep(storyStep + 1, 0, true); }
}

function storyPrevious() {
  if (!story) { return; }
  if (!blankScreen.hidden) { setBlank(false); return; }
  if (storyRevealed > 0) { showStep(storyStep, storyRevealed - 1, true); }
  else if (storyStep > 0) { showStep(storyStep - 1, story.steps[storyStep - 1].reveal.length, true); }
}

/* Leave the story: everything back where it lives, the view as it was before, the whole map. */
function endStory(quiet) {
  if (!story) { return; }
  story = null;
  storyPicker.value = "";
  storyBar.hidden = true;
  setBlank(false);
  spellOut(null);
  objectiveFocus = null;
  network.setSize("100%", "100%");
  writeFragment();
  tellConsole();
  if (quiet) { return; }
  emphasise(null);
  if (storyBefore && storyBefore.timeline !== timelineOn) { setTimeline(storyBefore.timeline); }
  if (storyBefore && storyBefore.legend) { setLegendOpen(true, true); }
  moveAllTo(null, true);
  applyLabelSizes(null, true);
  fitAll(true);
}

function setBlank(on) {
  blankScreen.hidden = !on;
  tellConsole();
}

function updateStoryBar() {
  var step = story.steps[storyStep];
  storyCount.textContent = (storyStep + 1) + " / " + story.steps.length;
  storyHeading.textContent = step.title;
  var left = step.reveal.length - storyRevealed;
  document.getElementById("story-reveal").textContent = left ? "+" + left : "";
  document.getElementById("story-previous").disabled = storyStep === 0 && storyRevealed === 0;
  document.getElementById("story-next").disabled = storyStep === story.steps.length - 1 && !left;
}

/* ---------------------------------------------------------------- the address: #story=ID&step=N */

function fragmentParameters(hash) {
  var found = {};
  String(hash || "").replace(/^#/, "").split("&").forEach(function (part) {
    if (!part) { return; }
    var cut = part.indexOf("=");
    try {
      found[decodeURIComponent(cut < 0 ? part : part.slice(0, cut))] = cut < 0 ? "" : decodeURIComponent(part.slice(cut + 1));
    } catch (error) { /* a malformed escape: ignore that part */ }
  });
  return found;
}

function writeFragment() {
  if (isConsole) { return; }
  var address = location.pathname + location.search;
  if (story) { address += "#story=" + encodeURIComponent(story.id) + "&step=" + (storyStep + 1); }
  try { history.replaceState(null, "", address); } catch (error) { /* some file:// browsers refuse */ }
}

function resumeFromFragment() {
  var wanted = fragmentParameters(location.hash);
  var told = wanted.story !== undefined ? storyById(wanted.story) : null;
  if (!told) { return; }
  var number = parseInt(wanted.step, 10);
  startStory(told, isFinite(number) ? number - 1 : 0, 0);
}

window.addEventListener("hashchange", function () {
  if (isConsole) { return; }
  var wanted = fragmentParameters(location.hash);
  if (wanted.story !== undefined) { resumeFromFragment(); }
});

/* ---------------------------------------------------------------- controls and clicker keys */

storyPicker.addEventListener("change", function () {
  if (storyPicker.value) { startStory(storyById(storyPicker.value), 0, 0); } else { endStory(); }
  storyPicker.blur();
});
document.getElementById("story-previous").addEventListener("click", storyPrevious);
document.getElementById("story-next").addEventListener("click", storyNext);
document.getElementById("story-leave").addEventListener("click", function () { endStory(); });
document.getElementById("story-console").addEventListener("click", function () { openConsole(); });
blankScreen.addEventListener("click", function () { setBlank(false); });

/* While a story is told, a presentation clicker's keys drive it (before the tour's keys). */
function storyKey(key) {
  if (key === "ArrowRight" || key === "PageDown" || key === " ") { storyNext(); }
  else if (key === "ArrowLeft" || key === "PageUp") { storyPrevious(); }
  else if (key === "b" || key === "B" || key === ".") { setBlank(blankScreen.hidden); }
  else if (key === "Home") { showStep(0, 0, true); }
  else if (key === "End") { showStep(story.steps.length - 1, 0, true); }
  else if (key === "Escape") { endStory(); }
  else { return false; }
  return true;
}

document.addEventListener("keydown", function (event) {
  if (isConsole || !story || event.altKey || event.ctrlKey || event.metaKey) { return; }
  if (typing(event.target) && event.key !== "Escape") { return; }
  if (storyKey(event.key)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

/* ---------------------------------------------------------------- the presenter console
   A second window on the same file (#console): the current step's notes, what comes next, and
   the time. The two windows talk with postMessage, which works between windows of a file
   opened from disk: no server, no network. Each accepts messages from its partner only. */

function storyState() {
  return {
    kg: "story-state",
    story: story ? story.id : null,
    step: storyStep,
    revealed: storyRevealed,
    started: storyStarted,
    blank: !blankScreen.hidden,
  };
}

function tellConsole() {
  if (isConsole || !consoleWindow || consoleWindow.closed) { return; }
  consoleWindow.postMessage(storyState(), "*");
}

function openConsole() {
  var address = location.href.split("#")[0] + "#console";
  consoleWindow = window.open(address, "kg-presenter-console", "width=1000,height=640");
  tellConsole();
  return !!consoleWindow;
}

if (!isConsole) {
  window.addEventListener("message", function (event) {
    if (!consoleWindow || event.source !== consoleWindow || !event.data) { return; }
    var message = event.data;
    if (message.kg === "console-ready") { tellConsole(); return; }
    if (message.kg !== "story-command" || !story) { return; }
    if (message.action === "next") { storyNext(); }
    else if (message.action === "previous") { storyPrevious(); }
    else if (message.action === "restart") { showStep(0, 0, true); }
    else if (message.action === "blank") { setBlank(blankScreen.hidden); }
  });
}
