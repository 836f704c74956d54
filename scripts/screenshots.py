"""Take the README's screenshots of the concept map at the design size, 1280×720.

    python scripts/screenshots.py            # writes docs/concept-map*.png
    python scripts/screenshots.py concept-map-since.png   # only the pictures named

The workshop's map is rendered from the shipped sources into a scratch folder
(no layout file, so the same sources give the same pictures), opened in
Debian's Chromium, and photographed as a trainer shows it: the whole map,
objective 1b picked with its panel, the tour on its third objective in
presenter mode, the timeline, a step of the workshop's story in presenter mode, and the
presenter console that follows it from a second window. The co-authorship view is a bibliography
alone: the first 900 entries of ../shared/bench/cdl.bib, a lab's real file.
The "What's new" view is the workshop after a term of edits (the history the
tests of ``kg diff`` build), rendered ``--since`` the term before. The large
maps open as their clusters: the first 2,700 entries of cdl.bib (whole, and
with the cluster of one paper opened by a search) and the 24,633 entries of
../shared/bench/beebe7_concat.bib, seven journals' bibliographies.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 720}
LAB_BIBLIOGRAPHY = ROOT.parent / "shared" / "bench" / "cdl.bib"
LAB_ENTRIES = 900
LARGE_LAB_ENTRIES = 2700
JOURNALS_BIBLIOGRAPHY = ROOT.parent / "shared" / "bench" / "beebe7_concat.bib"


def first_entries(path: Path, count: int) -> str:
    """The text of ``path`` up to its ``count``-th entry (cut where the next one starts)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    starts = [match.start() for match in re.finditer(r"^@", text, re.M)]
    return text if len(starts) <= count else text[: starts[count]]


def render(folder: Path) -> tuple[Path, Path]:
    """The workshop's map and the lab bibliography's map, written into ``folder``."""
    import kg
    from kg.render import write_map

    workshop = folder / "workshop.html"
    write_map(kg.load(ROOT / "references.bib", ROOT / "concepts.yaml", use_cache=False), workshop)
    lab_bib = folder / "lab.bib"
    lab_bib.write_text(first_entries(LAB_BIBLIOGRAPHY, LAB_ENTRIES), encoding="utf-8")
    lab = folder / "lab.html"
    write_map(kg.load(lab_bib, use_cache=False), lab)
    return workshop, lab


def render_large(folder: Path) -> tuple[Path, Path]:
    """The maps of the first 2,700 entries of the lab's bibliography and of seven journals'."""
    import kg
    from kg.render import write_map

    lab_bib = folder / "lab-2700.bib"
    lab_bib.write_text(first_entries(LAB_BIBLIOGRAPHY, LARGE_LAB_ENTRIES), encoding="utf-8")
    lab = folder / "lab-2700.html"
    write_map(kg.load(lab_bib, use_cache=False), lab)
    journals = folder / "journals.html"
    write_map(kg.load(JOURNALS_BIBLIOGRAPHY), journals)
    return lab, journals


def search_for(text: str):
    """An action: type ``text`` in the search box and take the first result."""

    def action(page) -> None:
        page.fill("#search", text)
        page.keyboard.press("Enter")

    return action


def render_since(folder: Path) -> Path:
    """The workshop after a term of edits, its map marking what changed since HEAD~1."""
    from kg.diff import compare, state_at_revision, state_from_files
    from kg.render import write_map
    from tests.workshop_history import workshop_history

    project = folder / "history"
    project.mkdir()
    workshop_history(project, folder / "norcross.bib")
    bib, concepts = project / "references.bib", project / "concepts.yaml"
    new = state_from_files(bib, concepts, "the working tree")
    changes = compare(state_at_revision(bib, concepts, "HEAD~1"), new)
    path = project / "since.html"
    write_map(new.corpus, path, since=changes)
    return path


def settle(page) -> None:
    """Wait until the map has stopped moving."""
    page.wait_for_function("() => window.kgReady === true", timeout=60_000)
    page.wait_for_timeout(100)
    page.wait_for_function("() => kg.isSettled()", timeout=20_000)
    page.wait_for_timeout(400)  # animations of focus and fit end


#: The pictures to take (empty: all of them), from the command line.
ONLY: set[str] = set()


def shoot(browser, path: Path, name: str, actions=()) -> Path | None:
    """Open ``path``, run each action on the page, and save ``docs/NAME`` (None: not asked for)."""
    if ONLY and name not in ONLY:
        return None
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(path.as_uri())
    settle(page)
    for action in actions:
        action(page)
        settle(page)
    target = DOCS / name
    page.screenshot(path=str(target))
    page.close()
    return target


def open_largest_cluster(page) -> None:
    """Open the cluster with the most papers and show its middle, close enough to read."""
    page.evaluate(
        """() => {
          const sizes = kg.data.clusters;
          const largest = Object.keys(sizes).sort((a, b) => sizes[b].length - sizes[a].length)[0];
          kg.openCluster(largest);
          network.fit({ nodes: sizes[largest], animation: false });
          // Close enough that the papers' labels are drawn.
          network.moveTo({ scale: network.getScale() * 2.2, animation: false });
        }"""
    )
    settle(page)


def story_step(page, number: int = 5) -> None:
    """Tell the workshop's story at step ``number``, every node of the step revealed."""
    page.evaluate("n => kg.story('workshop', n)", number)
    page.evaluate(
        "() => { for (const _ of kg.data.stories[0].steps[kg.current().step - 1].reveal) kg.next(); }"
    )


def shoot_console(browser, path: Path, name: str, number: int = 4) -> Path | None:
    """The presenter console, opened from the map's window at step ``number``, saved as ``docs/NAME``."""
    if ONLY and name not in ONLY:
        return None
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(path.as_uri() + f"#story=workshop&step={number}")
    settle(page)
    with context.expect_page() as opened:
        page.locator("#story-console").click()
    console = opened.value
    console.set_viewport_size(VIEWPORT)
    console.wait_for_function("() => document.querySelector('.console-title')?.textContent")
    page.keyboard.press("ArrowRight")  # one node revealed: the console says what comes next
    console.wait_for_function(
        "() => document.querySelector('.console-reveal').textContent.startsWith('1 of')"
    )
    page.wait_for_timeout(1200)  # the clock shows a second or so
    target = DOCS / name
    console.screenshot(path=str(target))
    context.close()
    return target


def shoot_large(browser, folder: Path) -> list[Path | None]:
    """The large maps' pictures (rendered only when one of them is asked for)."""
    names = ("concept-map-2700.png", "concept-map-2700-open.png", "concept-map-24k.png")
    if ONLY and not ONLY & set(names):
        return []
    lab, journals = render_large(folder)
    return [
        shoot(browser, lab, names[0]),
        shoot(browser, lab, names[1], [search_for("Baddeley")]),
        shoot(browser, journals, names[2]),
    ]


def main() -> None:
    """Render both maps and take every screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="Take only these pictures (file names in docs/).")
    ONLY.update(parser.parse_args().names)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        workshop, lab = render(Path(scratch))
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        written = [
            shoot(browser, workshop, "concept-map.png"),
            shoot(
                browser,
                workshop,
                "concept-map-objective.png",
                [lambda page: page.locator("#objective").select_option("objective:1b")],
            ),
            shoot(
                browser,
                workshop,
                "concept-map-presenter.png",
                [
                    lambda page: page.locator("#presenter-toggle").click(),
                    lambda page: page.locator("#tour").click(),
                    lambda page: page.locator("#tour-next").click(),
                    lambda page: page.locator("#tour-next").click(),
                ],
            ),
            shoot(
                browser,
                workshop,
                "concept-map-timeline.png",
                [lambda page: page.locator("#timeline-toggle").click()],
            ),
            shoot(browser, lab, "concept-map-coauthors.png", [open_largest_cluster]),
            *shoot_large(browser, Path(scratch)),
            shoot(
                browser,
                workshop,
                "concept-map-story.png",
                [lambda page: page.locator("#presenter-toggle").click(), story_step],
            ),
            shoot_console(browser, workshop, "presenter-console.png"),
            shoot(
                browser,
                render_since(Path(scratch)),
                "concept-map-since.png",
                [lambda page: page.locator("#tour").click()],
            ),
        ]
        browser.close()
    for path in written:
        if path is not None:
            print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
