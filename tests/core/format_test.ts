import assert from "node:assert/strict";
import { formatNumber } from "@lib/core/format.ts";

Deno.test("formatNumber() writes integers as they are and others to 4 significant digits", () => {
  assert.equal(formatNumber(42), "42");
  assert.equal(formatNumber(0.123456), "0.1235");
  assert.equal(formatNumber(1.5e-7), "1.5e-7");
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(-Infinity), "-Infinity");
});

Deno.test("formatNumber() with fixed decimals lines columns up", () => {
  assert.equal(formatNumber(0.5, { fixed: 4 }), "0.5000");
  assert.equal(formatNumber(3, { fixed: 2 }), "3.00");
});

Deno.test("formatNumber() with a step gives ticks as many decimals as the step needs", () => {
  assert.deepEqual([0, 0.2, 0.4].map((v) => formatNumber(v, { step: 0.2 })), [
    "0",
    "0.2",
    "0.4",
  ]);
  assert.deepEqual([1, 1.5, 2].map((v) => formatNumber(v, { step: 0.5 })), ["1.0", "1.5", "2.0"]);
  assert.deepEqual([0, 20, 40].map((v) => formatNumber(v, { step: 20 })), ["0", "20", "40"]);
  assert.equal(formatNumber(0.001, { step: 0.001 }), "0.001", "1e-3 is not read as 0.000999…");
});

Deno.test("formatNumber() with a step writes tiny and huge ticks in exponent form precise to the step", () => {
  assert.deepEqual([2e6, 2.5e6, 3e6].map((v) => formatNumber(v, { step: 5e5 })), [
    "2e+6",
    "2.5e+6",
    "3e+6",
  ]);
  assert.deepEqual([1e-7, 1.5e-7].map((v) => formatNumber(v, { step: 5e-8 })), [
    "1e-7",
    "1.5e-7",
  ]);
});

Deno.test("formatNumber() with a step keeps neighbours apart however small the step", () => {
  const ticks = [0.5, 0.5000002, 0.5000004].map((v) => formatNumber(v, { step: 2e-7 }));
  assert.equal(new Set(ticks).size, 3, ticks.join(" "));
});

Deno.test("formatNumber() with a step of 0.25 or 1/3 gives the digits that step needs", () => {
  assert.deepEqual([0.25, 0.5].map((v) => formatNumber(v, { step: 0.25 })), ["0.25", "0.50"]);
  assert.equal(formatNumber(1 / 3, { step: 1 / 3 }), "0.3333333");
  assert.deepEqual([0.3, 0.6].map((v) => formatNumber(v, { step: 0.3 })), ["0.3", "0.6"]);
});
