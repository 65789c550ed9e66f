// Unit tests of the board engine's pure parts (node's own test runner; no browser, no DOM library).
// What the hand does end to end is tested in Chromium (tests/browser/).
import assert from "node:assert/strict";
import { test } from "node:test";

// The least of a DOM that drawShape uses: elements with attributes, children and text.
class FakeElement {
  constructor(tag) {
    this.tag = tag;
    this.attributes = {};
    this.children = [];
    this.textContent = "";
  }
  setAttribute(key, value) {
    this.attributes[key] = value;
  }
  append(...nodes) {
    this.children.push(...nodes);
  }
}
globalThis.document = { createElementNS: (ns, tag) => new FakeElement(tag), createElement: (tag) => new FakeElement(tag) };

const { canonical, clamp, drawShape, fingerprint, nudge, place } = await import("../../widgets/static/board.js");

test("a look's shapes are drawn as Python described them", () => {
  const look = {
    shape: "group",
    class: "counter positive",
    at: [3, -4],
    children: [
      { shape: "circle", r: 31 },
      { shape: "text", text: "+", class: "mn-glyph" },
    ],
  };
  const g = drawShape(look);
  assert.equal(g.tag, "g");
  assert.equal(g.attributes.class, "counter positive");
  assert.equal(g.attributes.transform, "translate(3 -4)");
  assert.deepEqual(
    g.children.map((c) => c.tag),
    ["circle", "text"],
  );
  assert.equal(g.children[0].attributes.r, "31");
  assert.equal(g.children[1].textContent, "+");
});

test("a shape carries only the attributes of its vocabulary, and text is never markup", () => {
  const rect = drawShape({ shape: "rect", x: 1, y: 2, width: 3, height: 4, onclick: "alert(1)", style: "x" });
  assert.deepEqual(Object.keys(rect.attributes).sort(), ["height", "width", "x", "y"]);
  const text = drawShape({ shape: "text", text: "<script>alert(1)</script>" });
  assert.equal(text.textContent, "<script>alert(1)</script>");
  assert.equal(text.children.length, 0);
  assert.equal(drawShape({ shape: "script" }).tag, "g"); // an unknown shape draws as nothing
  assert.equal(drawShape(null).tag, "g");
});

test("a piece put down stays on the board, and on a grid's points", () => {
  const board = { width: 960, height: 540, grid: 72 };
  assert.deepEqual(place([62, 62], 100, 100, board), [72, 72]);
  assert.deepEqual(place([62, 62], -500, 9999, board), [72, 504]); // the last point a whole counter fits
  assert.deepEqual(place([100, 40], 10, 10, { width: 960, height: 540, grid: 0 }), [50, 20]);
  const offset = { width: 1050, height: 540, grid: 350, origin: [175, 0] }; // points at columns' middles
  assert.deepEqual(place([58, 58], 400, 300, offset), [525, 350]);
  assert.deepEqual(place([58, 58], -500, 9999, offset), [175, 350]);
  assert.deepEqual(place([58, 58], 9999, 10, offset), [875, 350]);
});

test("an edge within reach snaps against a neighbour's edge, and only then", () => {
  const size = () => [100, 50];
  const stay = [{ x: 200, y: 100 }];
  assert.deepEqual(nudge([{ x: 305, y: 100 }], stay, size), [-5, 0]); // 5 units from touching: it touches
  assert.deepEqual(nudge([{ x: 400, y: 100 }], stay, size), [0, 0]); // too far: left where it is
});

test("equal pieces compare equal however their keys were ordered", () => {
  assert.equal(canonical({ b: 1, a: [{ y: 2, x: 1 }] }), canonical({ a: [{ x: 1, y: 2 }], b: 1 }));
  assert.notEqual(fingerprint(canonical([{ id: "p1" }])), fingerprint(canonical([{ id: "p2" }])));
  assert.equal(fingerprint("start"), fingerprint("start"));
  assert.equal(clamp(5, 0, 3), 3);
});
