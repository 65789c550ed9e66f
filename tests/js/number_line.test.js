// Unit tests of the number line's gesture drawing (node's own test runner). The gesture itself,
// end to end, is tested in Chromium (tests/browser/test_number_line_in_browser.py).
import assert from "node:assert/strict";
import { test } from "node:test";

const { arcPath } = await import("../../widgets/static/number_line.js");

const numbers = (d) => d.match(/-?\d+(\.\d+)?/g).map(Number);

test("the arc under the finger starts at the point and ends under the finger, on the line", () => {
  const [sx, sy, , , ex, ey] = numbers(arcPath(100, 200, 400));
  assert.deepEqual([sx, sy, ex, ey], [100, 200, 400, 200]);
});

test("the arc rises above the line, higher for a longer jump, within bounds, either way", () => {
  const rise = (sx, ex) => 200 - numbers(arcPath(sx, 200, ex))[3];
  assert.ok(rise(100, 130) > 0);
  assert.ok(rise(100, 700) > rise(100, 300));
  assert.equal(rise(100, 5000), rise(100, 9000)); // never off the top of the board
  assert.equal(rise(400, 100), rise(100, 400)); // a jump back rises as a jump forward does
});
