/* The presenter console: this page opened with #console, beside the map's window. It shows the
   current step's speaker notes, what comes next and the time, and follows the map's window. */

var consoleState = { story: null, step: 0, revealed: 0, started: 0, blank: false };
var consoleParts = null;
var NOTE_TAGS = { p: 1, ul: 1, ol: 1, li: 1, blockquote: 1, h4: 1, strong: 1, em: 1, s: 1, span: 1, code: 1, pre: 1, br: 1, hr: 1 };

/* Speaker notes arrive as a tree of allowed elements and text (see kg/render/stories.py):
   built with createElement and text nodes, so a note can never be markup. */
function buildNotes(parent, children) {
  (children || []).forEach(function (child) {
    if (typeof child === "string") {
      parent.appendChild(document.createTextNode(child));
    } else if (child && NOTE_TAGS[child.t] === 1) {
      var element = document.createElement(child.t);
      buildNotes(element, child.c);
      parent.appendChild(element);
    }
  });
}

function clockText(milliseconds) {
  var seconds = Math.max(0, Math.floor(milliseconds / 1000));
  var hours = Math.floor(seconds / 3600);
  var minutes = Math.floor(seconds / 60) % 60;
  var rest = seconds % 60;
  var pad = function (number) { return (number < 10 ? "0" : "") + number; };
  return (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(rest);
}

function consoleButton(text, title, action) {
  var button = el("button", null, text);
  button.type = "button";
  button.title = title;
  button.addEventListener("click", function () { consoleCommand(action); });
  return button;
}

function buildConsole() {
  document.body.classList.add("console-mode");
  document.title = "Presenter console: " + data.title;
  var parts = {
    story: el("span", "console-story"),
    position: el("span", "console-position"),
    elapsed: el("span", "console-elapsed"),
    clock: el("span", "console-clock"),
    title: el("h2", "console-title"),
    reveal: el("p", "console-reveal"),
    notes: el("div", "console-notes"),
    next: el("p", "console-next"),
    then: el("p", "console-then"),
    link: el("p", "console-link"),
  };
  var top = el("header", "console-top");
  [parts.story, parts.position, parts.elapsed, parts.clock].forEach(function (part) { top.appendChild(part); });
  var current = el("section", "console-current");
  [parts.title, parts.reveal, parts.notes].forEach(function (part) { current.appendChild(part); });
  var side = el("aside", "console-side");
  side.appendChild(el("h3", null, "Next"));
  side.appendChild(parts.next);
  side.appendChild(parts.then);
  var controls = el("div", "console-controls");
  controls.appendChild(consoleButton("◀ Back", "Back (←)", "previous"));
  controls.appendChild(consoleButton("Next ▶", "Next (→)", "next"));
  controls.appendChild(consoleButton("Blank", "Blank the room's screen (B)", "blank"));
  side.appendChild(controls);
  side.appendChild(parts.link);
  consolePane.replaceChildren(top, current, side);
  consolePane.hidden = false;
  return parts;
}

function renderConsole() {
  var told = consoleState.story ? storyById(consoleState.story) : null;
  var parts = consoleParts;
  if (!told) {
    parts.story.textContent = data.title;
    parts.position.textContent = "";
    parts.title.textContent = "No story is being told";
    parts.reveal.textContent = "";
    parts.notes.replaceChildren(el("p", null, stories.length
      ? "Pick a story in the map's window: its steps, notes and timing show here."
      : "This map has no stories: add a 'stories' section to concepts.yaml."));
    parts.next.textContent = "";
    parts.then.textContent = "";
    renderClock();
    return;
  }
  var index = Math.max(0, Math.min(told.steps.length - 1, consoleState.step));
  var step = told.steps[index];
  parts.story.textContent = told.title;
  parts.position.textContent = "Step " + (index + 1) + " of " + told.steps.length + (consoleState.blank ? " · screen blank" : "");
  parts.title.textContent = step.title;
  var left = step.reveal.length - consoleState.revealed;
  parts.reveal.textContent = step.reveal.length
    ? consoleState.revealed + " of " + step.reveal.length + " revealed" : "";
  var notes = document.createDocumentFragment();
  buildNotes(notes, step.notes);
  if (!step.notes.length) { notes.appendChild(el("p", "muted", "No notes for this step.")); }
  parts.notes.replaceChildren(notes);
  parts.then.textContent = "";
  if (left > 0) {
    var coming = step.reveal[consoleState.revealed];
    parts.next.textContent = "Reveal " + (details[coming] ? details[coming].label : coming);
    if (index < told.steps.length - 1) { parts.then.textContent = "Then step " + (index + 2) + ": " + told.steps[index + 1].title; }
  } else if (index < told.steps.length - 1) {
    parts.next.textContent = told.steps[index + 1].title;
  } else {
    parts.next.textContent = "The end of the story";
  }
  renderClock();
}

function renderClock() {
  var now = new Date();
  consoleParts.clock.textContent = now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  consoleParts.elapsed.textContent = consoleState.story && consoleState.started
    ? clockText(now.getTime() - consoleState.started) + " elapsed" : "";
  var opener = window.opener && !window.opener.closed;
  consoleParts.link.textContent = opener ? "Following the map's window." : "The map's window is closed: this console steps on its own.";
}

/* A command from the console goes to the map's window, which answers with its new state; with
   no map's window, the console steps through the story on its own. */
function consoleCommand(action) {
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage({ kg: "story-command", action: action }, "*");
    return;
  }
  var told = consoleState.story ? storyById(consoleState.story) : null;
  if (!told) { return; }
  var step = told.steps[consoleState.step];
  if (action === "next") {
    if (consoleState.revealed < step.reveal.length) { consoleState.revealed += 1; }
    else if (consoleState.step < told.steps.length - 1) { consoleState.step += 1; consoleState.revealed = 0; }
  } else if (action === "previous") {
    if (consoleState.revealed > 0) { consoleState.revealed -= 1; }
    else if (consoleState.step > 0) { consoleState.step -= 1; consoleState.revealed = told.steps[consoleState.step].reveal.length; }
  } else if (action === "restart") {
    consoleState.step = 0;
    consoleState.revealed = 0;
  }
  renderConsole();
}

function startConsole() {
  consoleParts = buildConsole();
  var wanted = fragmentParameters(location.hash);
  if (wanted.story && storyById(wanted.story)) {
    consoleState.story = storyById(wanted.story).id;
    consoleState.step = Math.max(0, (parseInt(wanted.step, 10) || 1) - 1);
    consoleState.started = Date.now();
  }
  window.addEventListener("message", function (event) {
    if (!window.opener || event.source !== window.opener || !event.data || event.data.kg !== "story-state") { return; }
    var state = event.data;
    consoleState = {
      story: typeof state.story === "string" ? state.story : null,
      step: Number(state.step) || 0,
      revealed: Number(state.revealed) || 0,
      started: Number(state.started) || 0,
      blank: !!state.blank,
    };
    renderConsole();
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var action = { ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "previous", PageUp: "previous",
      Home: "restart", b: "blank", B: "blank", ".": "blank" }[event.key];
    if (!action) { return; }
    consoleCommand(action);
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);
  renderConsole();
  setInterval(renderClock, 1000);
  if (window.opener && !window.opener.closed) { window.opener.postMessage({ kg: "console-ready" }, "*"); }
}
