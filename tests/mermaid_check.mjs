// Parse quadrantChart sources with the real Mermaid package, offline.
//
//   node tests/mermaid_check.mjs charts.json
//
// charts.json holds a JSON list of Mermaid sources. For each source the script
// prints (as one JSON list on stdout) what Mermaid's own parser read from it:
// {ok: true, title, axes, quadrants, points: [[label, x, y], ...]} or
// {ok: false, error}. The values are recorded as the parser hands them to the
// chart's database, before Mermaid sanitizes them for display.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { JSDOM } = await import(join(root, "node_modules/jsdom/lib/api.js"));

// Mermaid sanitizes text with DOMPurify, which needs a DOM before Mermaid loads.
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import(join(root, "node_modules/mermaid/dist/mermaid.core.mjs"));
mermaid.initialize({ startOnLoad: false });

// The quadrant chart's database is one shared object: record what the parser stores in it.
const { db } = await mermaid.mermaidAPI.getDiagramFromText("quadrantChart\n  a: [0.5, 0.5]");
let seen;
const record = (name, store) => {
  const original = db[name];
  db[name] = (...args) => {
    store(...args);
    return original(...args);
  };
};
const text = (value) => (typeof value === "object" && value !== null ? value.text : value);
record("setDiagramTitle", (title) => (seen.title = title));
for (const [name, key] of [
  ["setXAxisLeftText", "x-left"],
  ["setXAxisRightText", "x-right"],
  ["setYAxisBottomText", "y-bottom"],
  ["setYAxisTopText", "y-top"],
]) {
  record(name, (value) => (seen.axes[key] = text(value)));
}
for (const n of [1, 2, 3, 4]) {
  record(`setQuadrant${n}Text`, (value) => (seen.quadrants[n - 1] = text(value)));
}
record("addPoint", (label, _className, x, y) => seen.points.push([text(label), x, y]));

const sources = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = [];
for (const source of sources) {
  seen = { title: null, axes: {}, quadrants: [null, null, null, null], points: [] };
  try {
    await mermaid.mermaidAPI.getDiagramFromText(source);
    results.push({ ok: true, ...seen });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
