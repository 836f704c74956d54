"""The GEXF export drawn by sigma.js in headless Chromium: the map's layout, colours and orientation.

The page (``js/sigma-page.html``) inlines one script, bundled by esbuild from
``js/draw-gexf.mjs`` (graphology, graphology-gexf, sigma.js), and the GEXF
file itself, so it draws with no network. The screenshot of the workshop's
export is ``docs/gexf-in-sigma.png``; ``KG_DOCS_SCREENSHOTS=1`` rewrites it.
"""

from __future__ import annotations

import base64
import os
import struct
import subprocess
import zlib
from itertools import pairwise
from pathlib import Path

import pytest

from kg.drawing import draw, rgb
from kg.export import gexf
from tests.conftest import ROOT, chromium

pytestmark = pytest.mark.browser

JS = Path(__file__).with_name("js")
SCREENSHOT = ROOT / "docs" / "gexf-in-sigma.png"
VIEWPORT = {"width": 1400, "height": 900}
#: sigma.js draws with WebGL: software GL instead of --disable-gpu.
WEBGL_ARGS = ("--no-sandbox", "--disable-background-networking", "--no-first-run",
              "--use-gl=swiftshader", "--enable-unsafe-swiftshader")  # fmt: skip


@pytest.fixture(scope="module")
def bundle(node_modules, tmp_path_factory) -> str:
    """graphology, graphology-gexf and sigma.js in one script, for the page to inline."""
    out = tmp_path_factory.mktemp("sigma") / "draw-gexf.js"
    subprocess.run(
        [str(node_modules / ".bin" / "esbuild"), str(JS / "draw-gexf.mjs"), "--bundle",
         "--format=iife", "--minify", "--log-level=warning", f"--outfile={out}"],
        env={**os.environ, "NODE_PATH": str(node_modules)},
        check=True,
        timeout=120,
    )  # fmt: skip
    script = out.read_text(encoding="utf-8")
    assert "</script" not in script.lower()
    return script


@pytest.fixture(scope="module")
def browser():
    with chromium(WEBGL_ARGS) as launched:
        yield launched


def sigma_page(bundle: str, document: bytes) -> str:
    """The test page with the bundle and the GEXF document inlined."""
    template = (JS / "sigma-page.html").read_text(encoding="utf-8")
    return template.replace("@GEXF_BASE64@", base64.b64encode(document).decode("ascii")).replace(
        "@BUNDLE@", bundle
    )


def pixel(png: bytes) -> tuple[int, int, int]:
    """The colour of a one-pixel PNG, as Chromium writes it (8-bit RGB or RGBA)."""
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        at += 12 + length
    row = zlib.decompress(b"".join(chunks))
    return row[1], row[2], row[3]  # after the scanline's filter byte (none for one pixel)


def test_sigma_draws_the_gexf_like_the_map(shipped_graph, bundle, browser, tmp_path):
    page = browser.new_page(viewport=VIEWPORT)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: route.abort())  # nothing may come from the network
    page.set_content(sigma_page(bundle, gexf.render(shipped_graph)))
    page.wait_for_function("() => window.sigmaReady === true", timeout=30_000)
    assert errors == []

    drawn = page.evaluate(
        """() => {
            const { graph, renderer } = window.sigmaDrawing;
            return {
                order: graph.order,
                size: graph.size,
                nodes: Object.fromEntries(graph.mapNodes((node, a) => {
                    const at = renderer.graphToViewport({ x: a.x, y: a.y });
                    return [node, { x: at.x, y: at.y, color: a.color, label: a.label }];
                })),
            };
        }"""
    )
    assert (drawn["order"], drawn["size"]) == (
        shipped_graph.number_of_nodes(),
        shipped_graph.number_of_edges(),
    )
    look = draw(shipped_graph)
    # on screen, every node keeps its place relative to the others on the map: same
    # left-right and same top-bottom order (the map's y points down, like the screen's)
    for axis in ("x", "y"):
        ordered = sorted(look.nodes, key=lambda node: getattr(look.nodes[node], axis))
        for first, second in pairwise(ordered):
            if getattr(look.nodes[first], axis) < getattr(look.nodes[second], axis):
                assert drawn["nodes"][first][axis] < drawn["nodes"][second][axis], (first, second)

    # the screen shows each node in its kind's colour (at the node's centre)
    matching = 0
    for node, where in drawn["nodes"].items():
        if not (0 <= where["x"] < VIEWPORT["width"] and 0 <= where["y"] < VIEWPORT["height"]):
            continue
        shot = page.screenshot(clip={"x": int(where["x"]), "y": int(where["y"]), "width": 1,
                                     "height": 1})  # fmt: skip
        expected = rgb(look.nodes[node].color)
        if all(abs(got - want) <= 8 for got, want in zip(pixel(shot), expected, strict=True)):
            matching += 1
    # a node drawn under a bigger one is hidden; nearly all must show
    assert matching >= 0.9 * len(drawn["nodes"])

    shot = page.screenshot(path=str(tmp_path / "gexf-in-sigma.png"))
    if os.environ.get("KG_DOCS_SCREENSHOTS"):
        SCREENSHOT.write_bytes(shot)
    page.close()
