// Format CSL-JSON items with citeproc-js, the reference CSL processor, for tests/test_cite.py.
// Reads {"style": path, "locale": path, "items": [...], "format": "text" | "html"} on stdin and
// writes {"id": "entry", ...} on stdout, one bibliography entry per item.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const items = Object.fromEntries(request.items.map((item) => [item.id, item]));
const locale = fs.readFileSync(request.locale, "utf8");
const engine = new CSL.Engine(
  {
    retrieveLocale: () => locale,
    retrieveItem: (id) => items[id],
  },
  fs.readFileSync(request.style, "utf8"),
  "en-US",
  true,
);
engine.setOutputFormat(request.format || "text");
const entries = {};
for (const item of request.items) {
  engine.updateItems([item.id]);
  const [meta, bibliography] = engine.makeBibliography();
  entries[item.id] = bibliography.join("").trim();
}
process.stdout.write(JSON.stringify(entries));
