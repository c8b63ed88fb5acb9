import assert from "node:assert/strict";
import { rng } from "../../lib/data/rng.ts";

Deno.test("rng() gives the same sequence for the same seed and another for another seed", () => {
  const a = rng(42), b = rng(42), c = rng(43);
  const sa = Array.from({ length: 5 }, () => a.next());
  const sb = Array.from({ length: 5 }, () => b.next());
  const sc = Array.from({ length: 5 }, () => c.next());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  for (const v of sa) assert.ok(v >= 0 && v < 1);
});

Deno.test("rng().normal() has the requested mean and standard deviation", () => {
  const r = rng(7);
  const draws = Array.from({ length: 20_000 }, () => r.normal(3, 2));
  const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
  const std = Math.sqrt(draws.reduce((s, v) => s + (v - mean) ** 2, 0) / draws.length);
  assert.ok(Math.abs(mean - 3) < 0.05, `mean ${mean}`);
  assert.ok(Math.abs(std - 2) < 0.05, `std ${std}`);
});

Deno.test("rng().int(n) covers 0…n-1 and rejects a bad n; rng() rejects NaN seeds", () => {
  const r = rng(1);
  const seen = new Set(Array.from({ length: 200 }, () => r.int(5)));
  assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
  assert.throws(() => r.int(0), /positive integer, got 0/);
  assert.throws(() => rng(NaN), /finite number, got NaN/);
});
