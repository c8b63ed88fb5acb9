import assert from "node:assert/strict";
import { cleanSeries, decimate, figureMeta, roundValue, withAlpha } from "@lib/display/figure.ts";

Deno.test("roundValue() keeps 5 significant digits and maps non-finite values to null", () => {
  assert.equal(roundValue(0.123456789), 0.12346);
  assert.equal(roundValue(123456.7), 123460);
  assert.equal(roundValue(NaN), null);
  assert.equal(roundValue(-Infinity), null);
  assert.equal(roundValue(0), 0);
});

Deno.test("cleanSeries() turns NaN/Infinity into gaps and counts them", () => {
  assert.deepEqual(cleanSeries([1, NaN, Infinity, 2]), {
    values: [1, null, null, 2],
    nonFinite: 2,
  });
});

Deno.test("decimate() caps points and keeps each bucket's extremes in order", () => {
  const x = Array.from({ length: 100_000 }, (_, i) => i);
  const y = x.map((i) => (i === 54_321 ? 100 : Math.sin(i / 1000)));
  const out = decimate(x, y, 1000);
  assert.ok(out.x.length <= 1000, `kept ${out.x.length}`);
  assert.ok(out.y.includes(100), "the spike survives");
  for (let i = 1; i < out.x.length; i++) assert.ok(out.x[i] > out.x[i - 1], "x stays ordered");
});

Deno.test("decimate() returns short series unchanged and rejects mismatched lengths", () => {
  assert.deepEqual(decimate([1, 2], [3, 4], 10), { x: [1, 2], y: [3, 4] });
  assert.throws(() => decimate([1, 2], [3], 10), /x has 2 values but y has 1/);
});

Deno.test("withAlpha() converts #rrggbb and rejects other colours", () => {
  assert.equal(withAlpha("#1f77b4", 0.5), "rgba(31,119,180,0.5)");
  assert.throws(() => withAlpha("red", 0.5), /"red" is not a #rrggbb colour/);
});

Deno.test("figureMeta() reads layout.meta or gives {}", () => {
  assert.deepEqual(figureMeta({ data: [], layout: {} }), {});
  assert.deepEqual(figureMeta({ data: [], layout: { meta: { a: 1 } } }), { a: 1 });
});
