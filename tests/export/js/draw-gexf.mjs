// Draw a GEXF file with sigma.js, the way Gephi Lite and sigma.js pages load one:
// graphology-gexf reads it, sigma draws the nodes where the file puts them, in its colours
// and sizes. Bundled by esbuild into one script the test page inlines (no network).
import Graph from "graphology";
import { parse } from "graphology-gexf/browser";
import Sigma from "sigma";

function drawGexf(text, container) {
  const graph = parse(Graph, text);
  // GEXF calls an edge's width its thickness; sigma reads `size`
  graph.forEachEdge((edge, attributes) => {
    if (attributes.thickness !== undefined) graph.setEdgeAttribute(edge, "size", attributes.thickness);
  });
  const renderer = new Sigma(graph, container, {
    renderLabels: true,
    labelRenderedSizeThreshold: 0,
    labelDensity: 1,
    labelSize: 12,
    labelFont: "DejaVu Sans, sans-serif",
    defaultEdgeType: "line",
  });
  return { graph, renderer };
}

window.drawGexf = drawGexf;
