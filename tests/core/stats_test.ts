import assert from "node:assert/strict";
import { formatMeanSd, meanInterval, meanSd } from "@lib/core/stats.ts";

Deno.test("meanSd() gives the mean, the n − 1 standard deviation and the standard error", () => {
  const { n, mean, sd, se } = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(n, 8);
  assert.equal(mean, 5);
  assert.ok(Math.abs(sd - Math.sqrt(32 / 7)) < 1e-12, `sd ${sd}`); // Σ(v − 5)² = 32
  assert.ok(Math.abs(se - sd / Math.sqrt(8)) < 1e-12, `se ${se}`);
});

Deno.test("meanSd() of one run has no spread (NaN), not a spread of zero", () => {
  const one = meanSd([0.5]);
  assert.equal(one.mean, 0.5);
  assert.ok(Number.isNaN(one.sd) && Number.isNaN(one.se));
});

Deno.test("meanSd() names an empty list and a non-finite value", () => {
  assert.throws(() => meanSd([]), /non-empty array.*got \[\]/);
  assert.throws(() => meanSd([0.4, NaN, 0.5]), /value 1 is NaN.*diverged runs/);
  assert.throws(() => meanSd("0.4" as unknown as number[]), /got string/);
});

Deno.test("formatMeanSd() writes mean ± sd to the same decimals, scaled", () => {
  assert.equal(formatMeanSd([0.81, 0.84, 0.83], { scale: 100, fixed: 1 }), "82.7 ± 1.5");
  assert.equal(formatMeanSd([0.5, 0.7]), "0.600 ± 0.141");
  assert.equal(formatMeanSd([0.25]), "0.250", "one run: the value alone");
});

Deno.test("meanInterval() is mean ± t·se with Student's t for n − 1 degrees of freedom", () => {
  const three = meanInterval([1, 2, 3]); // sd 1, se 1/√3, t(2) = 4.30
  assert.equal(three.t, 4.30);
  assert.ok(Math.abs(three.halfWidth - 4.30 / Math.sqrt(3)) < 1e-12);
  assert.ok(Math.abs(three.lo - (2 - three.halfWidth)) < 1e-12 && three.hi > three.lo);
  assert.equal(meanInterval([1, 2, 3, 4, 5]).t, 2.78);
  assert.equal(meanInterval(Array.from({ length: 40 }, (_, i) => i)).t, 1.96, "beyond 30 df");
});

Deno.test("meanInterval() of one run names why there is no interval", () => {
  assert.throws(() => meanInterval([0.5]), /one run has no spread.*at least two seeds/);
});
