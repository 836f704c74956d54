"""Benchmark: how fast the concept map renders and draws, on a real bibliography.

Takes the first entries of ``../shared/bench/cdl.bib`` (a lab's working
bibliography of 6,315 entries) with their authors until a map of 200, 2,000
and 10,000 nodes is reached, renders each with ``kg.render`` (a bibliography
alone: papers linked by shared authors and keywords, in named clusters),
opens it in headless Chromium at the design size (1280×720), and measures:

* drawn: nodes on the map (on maps of 1,000 nodes or more, authors of a
  single paper are folded into that paper);
* render: Python time to build the page (layout included);
* first draw: from navigation start to the network's first complete drawing,
  positions frozen (the page sets ``window.kgReadyAt``);
* pan: milliseconds per frame (requestAnimationFrame interval) while the view
  is moved every animation frame, in the starting (whole map) view, with the
  default filters (authors hidden on large maps) and with every kind shown;
* drag: milliseconds vis-network spends drawing each frame while the mouse
  drags the whole map with every kind shown (large maps hide edges during a
  drag, as trainers see it).

Medians over several page loads are printed as a table, with the targets
(2,000 nodes drawn in under 3 s; 10,000 in under 8 s and panning under 60 ms a
frame).

``--tiny N`` renders N tiny entries (a key and a title each, as a pasted
export might hold) in Python only, against the target of 100,000 in under
60 s. ``--crowded N`` times the layout of N papers that all share one author
(one crowded component), with and without the grid's crowded-cell
approximation, and prints the ratio.

``--files A.bib B.bib`` measures whole bibliographies as a user meets them,
against the targets of a map of any literature: ``kg render`` (cache cold)
at most 4 times a cold ``kg check`` of the same file, whole processes, in
the same run; the HTML at most 800 bytes a paper; and the map drawn and
still in Chromium at 1280×720 within 5 s (from navigation start to the
last drawing, once nothing has been drawn for half a second). ``--first N``
takes only the first N entries of each file. Usage::

    python scripts/bench_render.py [--sizes 200,2000,10000] [--loads 3] [--bib PATH]
    python scripts/bench_render.py --sizes '' --tiny 100000 --crowded 4000
    python scripts/bench_render.py --sizes '' --files ../shared/bench/cdl.bib [--first 2700]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BIB = ROOT.parent / "shared" / "bench" / "cdl.bib"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TARGETS = {2000: (3000.0, None), 10000: (8000.0, 60.0)}
TINY_TARGET_SECONDS = 60.0
VIEWPORT = {"width": 1280, "height": 720}

DRAW_TIMER = """
() => {
  window.__draws = [];
  let started = 0;
  network.on('beforeDrawing', () => { started = performance.now(); });
  network.on('afterDrawing', () => { window.__draws.push(performance.now() - started); });
}
"""

TAKE_DRAWS = """
() => {
  const draws = window.__draws.slice().sort((a, b) => a - b);
  window.__draws = [];
  return draws.length ? draws[Math.floor(draws.length / 2)] : null;
}
"""

PAN_SCRIPT = """
async (frames) => {
  const start = network.getViewPosition();
  const scale = network.getScale();
  const step = 400 / scale / frames;
  const times = [];
  let last = null;
  await new Promise(resolve => {
    let frame = 0;
    function tick(now) {
      if (last !== null) times.push(now - last);
      last = now;
      if (frame++ >= frames) { resolve(); return; }
      network.moveTo({position: {x: start.x + frame * step, y: start.y}, scale: scale, animation: false});
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  });
  network.moveTo({position: start, scale: scale, animation: false});
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
"""


def build_corpus(bib_path: Path, wanted_nodes: int):
    """The first entries of the bibliography, with their authors, up to ``wanted_nodes`` nodes."""
    from kg.model import Corpus
    from kg.sources.bibtex import load_bibtex

    result = load_bibtex(bib_path)
    corpus = Corpus(bib_path=str(bib_path))
    for key, paper in result.papers.items():
        new_authors = [
            a
            for a in paper.authors + paper.editors
            if a in result.authors and a not in corpus.authors
        ]
        if len(corpus.papers) + len(corpus.authors) + 1 + len(new_authors) > wanted_nodes:
            break
        corpus.papers[key] = paper
        for author_id in new_authors:
            corpus.authors[author_id] = result.authors[author_id]
    return corpus


def drag(page, steps: int = 40) -> float | None:
    """Drag the map with the mouse, as a trainer would; return the median drawing time (ms)."""
    page.evaluate(TAKE_DRAWS)
    page.mouse.move(700, 450)
    page.mouse.down()
    for step in range(steps):
        page.mouse.move(700 - 6 * step, 450 - 3 * step)
    page.mouse.up()
    page.wait_for_timeout(100)
    return page.evaluate(TAKE_DRAWS)


def measure(browser, path: Path, loads: int) -> dict:
    """Median first-draw time and pan frame times over ``loads`` page loads."""
    draws, pans, pans_all, drags_all = [], [], [], []
    for _ in range(loads):
        page = browser.new_page(viewport=VIEWPORT)
        outside = []
        page.on(
            "request",
            lambda request, outside=outside: (
                request.url.startswith("file://") or outside.append(request.url)
            ),
        )
        page.goto(path.as_uri())
        page.wait_for_function("() => window.kgReady === true", timeout=120_000)
        draws.append(page.evaluate("window.kgReadyAt"))
        drawn = page.evaluate("network.body.data.nodes.length")
        page.evaluate(DRAW_TIMER)
        page.wait_for_timeout(300)
        pans.append(page.evaluate(PAN_SCRIPT, 60))
        page.evaluate("kg.data.kinds.forEach(kind => kg.setKindVisible(kind.kind, true))")
        page.wait_for_timeout(300)
        pans_all.append(page.evaluate(PAN_SCRIPT, 60))
        drags_all.append(drag(page))
        if outside:
            raise SystemExit(f"the page made network requests: {outside[:3]}")
        page.close()
    return {
        "drawn": drawn,
        "draw": statistics.median(draws),
        "pan": statistics.median(pans),
        "pan_all": statistics.median(pans_all),
        "drag_all": statistics.median(drags_all),
    }


def bench_tiny(count: int) -> None:
    """Render ``count`` tiny entries (key and title only) and print the time against the target."""
    from kg.render import render_html
    from kg.sources import load

    with tempfile.TemporaryDirectory() as folder:
        bib = Path(folder) / "tiny.bib"
        bib.write_text(
            "".join(f"@misc{{tiny{n},\n  title = {{Entry {n}}},\n}}\n" for n in range(count)),
            encoding="utf-8",
        )
        corpus = load(bib, None, use_cache=False)
        started = time.perf_counter()
        html = render_html(corpus, title="Tiny entries")
        seconds = time.perf_counter() - started
    verdict = "ok" if seconds < TINY_TARGET_SECONDS else "MISSED"
    print(
        f"tiny entries: {count} rendered in {seconds:.1f} s ({len(html.encode()) / 1e6:.0f} MB); "
        f"target < {TINY_TARGET_SECONDS:.0f} s: {verdict} ({seconds / TINY_TARGET_SECONDS:.2f}x)"
    )


def bench_crowded(count: int) -> None:
    """Lay out ``count`` papers sharing one author, with and without the crowded-cell approximation."""
    from kg.drawing import layout

    nodes = ["author:hub"] + [f"paper:{n:06d}" for n in range(count)]
    edges = [("author:hub", node, 1.2) for node in nodes[1:]]
    edges += [(nodes[n], nodes[n + 1], 0.5) for n in range(1, count, 7)]  # not a plain star
    timings = {}
    default = layout.CROWDED_CELL
    for name, limit in (("with", default), ("without", 10**9)):
        layout.CROWDED_CELL = limit
        try:
            started = time.perf_counter()
            layout.force_layout(nodes, edges, edge_length=60.0)
            timings[name] = time.perf_counter() - started
        finally:
            layout.CROWDED_CELL = default
    print(
        f"crowded component of {count} papers: layout {timings['with']:.1f} s with the crowded-cell "
        f"approximation, {timings['without']:.1f} s without "
        f"({timings['without'] / timings['with']:.1f}x faster)"
    )


#: A map of any literature: render / cold check, bytes a paper, seconds to drawn and still.
FILE_TARGETS = (4.0, 800.0, 5.0)

STILL_SCRIPT = """
async () => {
  let last = window.kgReadyAt;
  network.on('afterDrawing', () => { last = performance.now(); });
  await new Promise((resolve) => {
    const check = () => (performance.now() - last > 500 ? resolve() : setTimeout(check, 100));
    setTimeout(check, 100);
  });
  return last;
}
"""


def timed_kg(arguments: list[str], folder: Path) -> float:
    """Wall seconds of one whole ``kg`` process run in ``folder`` with a fresh, empty cache."""
    cache = Path(tempfile.mkdtemp(dir=folder))
    environment = {**os.environ, "KG_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kg", *arguments],
        cwd=folder,
        env=environment,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def drawn_and_still(browser, path: Path) -> float:
    """Seconds from navigation start until the map is drawn and has stopped redrawing."""
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kgReady === true", timeout=180_000)
    last = page.evaluate(STILL_SCRIPT)
    page.close()
    return last / 1000


def bench_files(paths: list[Path], first: int, browser) -> None:
    """Render each bibliography as a user would and print the figures against the targets."""
    from kg.render import unpack_page_json

    ratio_target, bytes_target, still_target = FILE_TARGETS
    print(
        f"{'file':<28} {'papers':>7} {'check s':>8} {'render s':>9} {'ratio':>6} {'MB':>6} "
        f"{'B/paper':>8} {'still s':>8}  targets: ratio <= {ratio_target:.0f}, "
        f"<= {bytes_target:.0f} B/paper, still <= {still_target:.0f} s"
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for number, source in enumerate(paths):
            bib = folder / f"source-{number}.bib"
            text = source.read_text(encoding="utf-8", errors="surrogateescape")
            bib.write_text(first_entries(text, first), encoding="utf-8", errors="surrogateescape")
            check = timed_kg(["check", "--no-cache", "--bib", str(bib), "-q"], folder)
            html = folder / f"map-{number}.html"
            render = timed_kg(["render", "--bib", str(bib), "-o", str(html), "-q"], folder)
            page = html.read_text(encoding="utf-8")
            block = re.search(r'id="kg-data">(.*?)</script>', page, re.S)
            data = unpack_page_json(block.group(1)) if block else {"kinds": []}
            papers = next((k["count"] for k in data["kinds"] if k["kind"] == "paper"), 0)
            size = len(page.encode("utf-8"))
            still = drawn_and_still(browser, html)
            name = source.name + (f" (first {first})" if first else "")
            print(
                f"{name:<28} {papers:>7} {check:>8.2f} {render:>9.2f} {render / check:>6.2f} "
                f"{size / 1e6:>6.2f} {size / max(papers, 1):>8.0f} {still:>8.2f}  "
                + ", ".join(
                    "ok" if ok else "MISSED"
                    for ok in (
                        render / check <= ratio_target,
                        size / max(papers, 1) <= bytes_target,
                        still <= still_target,
                    )
                )
            )


def first_entries(text: str, count: int) -> str:
    """``text`` up to its ``count``-th entry (all of it when ``count`` is 0)."""
    starts = [match.start() for match in re.finditer(r"^@", text, re.M)]
    return text if not count or len(starts) <= count else text[: starts[count]]


def main() -> None:
    """Run the benchmark and print the table."""
    from playwright.sync_api import sync_playwright

    from kg.graph import build_graph
    from kg.render import render_html

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,2000,10000", help="comma-separated node counts")
    parser.add_argument(
        "--loads", type=int, default=3, help="page loads per size (the median is reported)"
    )
    parser.add_argument(
        "--bib", type=Path, default=DEFAULT_BIB, help="bibliography to take entries from"
    )
    parser.add_argument("--tiny", type=int, default=0, help="also render this many tiny entries")
    parser.add_argument(
        "--crowded", type=int, default=0, help="also time a crowded layout of this many papers"
    )
    parser.add_argument("--files", type=Path, nargs="*", default=[], help="whole bibliographies")
    parser.add_argument("--first", type=int, default=0, help="with --files: only the first N")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",") if size.strip()]
    if arguments.files:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
            )
            bench_files(arguments.files, arguments.first, browser)
            browser.close()
    if arguments.tiny:
        bench_tiny(arguments.tiny)
    if arguments.crowded:
        bench_crowded(arguments.crowded)
    if not sizes:
        return

    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        for size in sizes:
            corpus = build_corpus(arguments.bib, size)
            graph = build_graph(corpus)
            started = time.perf_counter()
            html = render_html(corpus, title=f"Benchmark, {size} nodes")
            render_seconds = time.perf_counter() - started
            path = Path(folder) / f"map-{size}.html"
            path.write_text(html, encoding="utf-8")
            figures = measure(browser, path, arguments.loads)
            rows.append(
                (
                    size,
                    len(corpus.papers),
                    len(corpus.authors),
                    graph.number_of_edges(),
                    render_seconds,
                    len(html.encode()) / 1e6,
                    figures,
                )
            )
        browser.close()

    print(
        f"{'nodes':>6} {'papers':>6} {'authors':>7} {'edges':>6} {'render s':>8} {'MB':>5} {'drawn':>6} "
        f"{'first draw ms':>13} {'pan ms/frame':>12} {'pan, all shown':>14} {'drag, all shown':>15}  target"
    )
    for size, papers, authors, edges, render_seconds, megabytes, figures in rows:
        draw_target, pan_target = TARGETS.get(size, (None, None))
        verdicts = []
        if draw_target:
            verdicts.append(
                f"draw < {draw_target:.0f} ms: {'ok' if figures['draw'] < draw_target else 'MISSED'} "
                f"({figures['draw'] / draw_target:.2f}x)"
            )
        if pan_target:
            for name, column in (("pan", "pan"), ("pan all", "pan_all"), ("drag all", "drag_all")):
                verdicts.append(
                    f"{name} < {pan_target:.0f} ms: {'ok' if figures[column] < pan_target else 'MISSED'} "
                    f"({figures[column] / pan_target:.2f}x)"
                )
        print(
            f"{papers + authors:>6} {papers:>6} {authors:>7} {edges:>6} {render_seconds:>8.2f} {megabytes:>5.1f} {figures['drawn']:>6} "
            f"{figures['draw']:>13.0f} {figures['pan']:>12.1f} {figures['pan_all']:>14.1f} {figures['drag_all']:>15.1f}  {'; '.join(verdicts)}"
        )


if __name__ == "__main__":
    main()
