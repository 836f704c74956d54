// Open one kg export the way a JavaScript program would, and print what it sees as JSON.
//   node read.cjs gexf|graphml|cytoscape FILE
// Modules come from NODE_PATH (scripts/install-export-readers installs them).
"use strict";

const fs = require("fs");

const [format, file] = process.argv.slice(2);
const text = fs.readFileSync(file, "utf8");

function graphologySummary(graph) {
  return {
    type: graph.type,
    order: graph.order,
    size: graph.size,
    attributes: graph.getAttributes(),
    nodes: Object.fromEntries(graph.mapNodes((node, attributes) => [node, attributes])),
    edges: graph.mapEdges((edge, attributes, source, target) => ({ source, target, attributes })),
  };
}

function cytoscapeSummary(document) {
  const cytoscape = require("cytoscape");
  // styleEnabled: compute the stylesheet the file carries, as a screen would draw it
  const cy = cytoscape({ headless: true, styleEnabled: true });
  cy.json(document);
  const summary = {
    order: cy.nodes().length,
    size: cy.edges().length,
    data: cy.data(),
    nodes: Object.fromEntries(
      cy.nodes().map((node) => [
        node.id(),
        {
          data: node.data(),
          position: node.position(),
          colour: node.style("background-color"),
          label: node.style("label"),
          width: node.numericStyle("width"),
        },
      ]),
    ),
    edges: cy.edges().map((edge) => ({
      id: edge.id(),
      source: edge.source().id(),
      target: edge.target().id(),
      data: edge.data(),
      colour: edge.style("line-color"),
    })),
  };
  cy.destroy();
  return summary;
}

let summary;
if (format === "gexf") {
  const Graph = require("graphology");
  summary = graphologySummary(require("graphology-gexf").parse(Graph, text));
} else if (format === "graphml") {
  const Graph = require("graphology");
  summary = graphologySummary(require("graphology-graphml").parse(Graph, text));
} else if (format === "cytoscape") {
  summary = cytoscapeSummary(JSON.parse(text));
} else {
  console.error(`read.cjs: unknown format ${format}`);
  process.exit(2);
}
// Cytoscape.js keeps timers running: leave once the output is flushed.
process.stdout.write(JSON.stringify(summary), () => process.exit(0));
