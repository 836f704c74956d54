/* Keys, resizing, the first view, and the page's scripting face (window.kg). */

/* ---------------------------------------------------------------- keys */

function typing(target) {
  return target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA" || target.isContentEditable);
}

document.addEventListener("keydown", function (event) {
  if (event.altKey || event.ctrlKey || event.metaKey) { return; }
  if (event.key === "Escape" && document.activeElement !== searchBox) {
    if (touring) { stopTour(); return; }
    if (!panel.hidden) { hidePanel(); network.unselectAll(); }
    return;
  }
  if (typing(event.target)) { return; }
  // Arrow keys (and a presentation clicker's Page Up / Page Down) step through the tour.
  if (touring && (event.key === "ArrowRight" || event.key === "PageDown")) { step(1); event.preventDefault(); event.stopPropagation(); }
  else if (touring && (event.key === "ArrowLeft" || event.key === "PageUp")) { step(-1); event.preventDefault(); event.stopPropagation(); }
  else if (event.key === "p" || event.key === "P") { setPresenter(!presenter); }
  else if ((event.key === "t" || event.key === "T") && !timelineButton.hidden) { setTimeline(!timelineOn); }
}, true);

window.addEventListener("resize", function () { network.setSize("100%", "100%"); refocus(false); });

/* ---------------------------------------------------------------- start */

setLegendOpen(recall("legend") !== "folded" && container.clientWidth > 700, true);
updateTourButton();
fitAll(false);

window.kg = {
  data: data, nodes: nodes, edges: edges, goTo: goTo, pickObjective: pickObjective, showPanel: showPanel,
  toggleList: toggleList, setKindVisible: setKindVisible, setTimeline: setTimeline, setPresenter: setPresenter,
  setLegendOpen: setLegendOpen, step: step, stopTour: stopTour, fitAll: fitAll, freeRects: freeRects,
  isSettled: isSettled, beforePrint: beforePrint, afterPrint: afterPrint,
  drawnLabels: drawnLabels, labelOverlaps: labelOverlaps, placeLabels: placeLabels,
  lastPlacement: function () { return lastPlacement; },
  placementBlockers: function () { return placementBlockers; },
  nudgedNodes: function () { return JSON.parse(JSON.stringify(nudged)); },
  focusIds: function () { return objectiveFocus ? Object.keys(objectiveFocus).filter(visibleNode) : []; },
  stories: function () {
    return stories.map(function (told) {
      return { id: told.id, title: told.title, steps: told.steps.map(function (step) { return step.title; }) };
    });
  },
  story: function (name, number) {
    if (name === null || name === undefined) { endStory(); return null; }
    var told = storyById(name);
    if (!told) { throw new Error("no story named " + JSON.stringify(String(name))); }
    startStory(told, (number || 1) - 1, 0);
    return this.current();
  },
  next: function () { storyNext(); return this.current(); },
  prev: function () { storyPrevious(); return this.current(); },
  current: function () {
    if (!story) { return null; }
    var step = story.steps[storyStep];
    return {
      story: story.id, step: storyStep + 1, steps: story.steps.length, title: step.title, view: step.view,
      revealed: storyRevealed, focus: shownNow(step, storyRevealed).filter(visibleNode), blank: !blankScreen.hidden,
    };
  },
  openConsole: openConsole, blank: setBlank,
};

if (isConsole) { startConsole(); } else { resumeFromFragment(); }
