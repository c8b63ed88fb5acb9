import assert from "node:assert/strict";
import { permutation, shuffle } from "../../lib/data/shuffle.ts";

Deno.test("permutation() is a seeded permutation of 0…n-1", () => {
  const p = permutation(100, 3);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual(permutation(100, 3), p);
  assert.notDeepEqual(permutation(100, 4), p);
  assert.deepEqual(permutation(0, 1), []);
  assert.throws(() => permutation(-1, 0), /non-negative integer, got -1/);
});

Deno.test("shuffle() returns a reordered copy and leaves the input alone", () => {
  const items = ["a", "b", "c", "d", "e", "f"];
  const out = shuffle(items, 9);
  assert.deepEqual(items, ["a", "b", "c", "d", "e", "f"]);
  assert.deepEqual([...out].sort(), items);
  assert.deepEqual(shuffle(items, 9), out);
});
