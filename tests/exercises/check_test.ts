import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  allClose,
  checkAnswer,
  closeTo,
  equals,
  evaluate,
  exercise,
  verdictBundle,
} from "@lib/exercises/mod.ts";

const dw = exercise({
  id: "dw",
  question: "dL/dw for L = (wx − y)², w = 2, x = 3, y = 5?",
  check: closeTo(6, { hint: "Chain rule: 2(wx − y)·x." }),
});

Deno.test("closeTo() accepts the answer within rtol/atol and nothing outside", () => {
  assert.equal(closeTo(6)(6), true);
  assert.equal(closeTo(6)(6 * (1 + 5e-4)), true); // inside the default rtol 1e-3
  assert.notEqual(closeTo(6)(6 * (1 + 2e-3)), true);
  assert.equal(closeTo(0)(5e-7), true); // atol for zero
  assert.notEqual(closeTo(0, { atol: 1e-9 })(5e-7), true);
  assert.equal(closeTo(100, { rtol: 0.1 })(109), true);
});

Deno.test("closeTo() hints at a wrong sign, a missing factor, or the direction, plus the exercise's hint", () => {
  assert.match(String(dw.check(-6)), /wrong sign\. Chain rule/);
  assert.match(String(dw.check(3)), /2× too small: a constant factor is missing/);
  assert.match(String(dw.check(12)), /2× too large/);
  assert.match(String(dw.check(7.5)), /^7\.5 is too large\. Chain rule/);
  assert.match(String(dw.check(1)), /too small/);
  assert.doesNotMatch(String(dw.check(1)), /\b6\b/, "the hint does not give the answer away");
});

Deno.test("closeTo() names bad input: NaN, Infinity, strings, tensors, Promises, arrays, undefined", () => {
  const hint = (answer: unknown) => String(dw.check(answer));
  assert.match(hint(NaN), /^Got NaN/);
  assert.match(hint(-Infinity), /^Got -Infinity: something overflowed/);
  assert.match(hint("6"), /the string "6".*Number\(s\)/);
  const t = tf.scalar(6);
  assert.match(hint(t), /a float32 tensor of shape \[\].*\(await t\.data\(\)\)\[0\]/);
  const pending = t.data();
  assert.match(hint(pending), /a Promise.*await/);
  assert.match(hint([6]), /an array of shape \[1\]; expected one number/);
  assert.match(hint(new Float32Array([6])), /a Float32Array of length 1/);
  assert.match(hint(undefined), /undefined.*assign the answer/);
  assert.match(hint({ value: 6 }), /an object; expected one number/);
  t.dispose();
  return pending.then(() => {});
});

Deno.test("closeTo() refuses a non-finite expected value", () => {
  assert.throws(() => closeTo(NaN), /closeTo\(\): expected must be a finite number, got NaN/);
});

Deno.test("allClose() checks the shape, then every entry", () => {
  const m = allClose([[1, 2, 3], [4, 5, 6]]);
  assert.equal(m([[1, 2, 3], [4, 5, 6]]), true);
  assert.equal(m([[1, 2, 3], [4, 5, 6.001]]), true);
  assert.match(
    String(m([[1, 2, 3], [4, 5, 7]])),
    /1 of 6 entries are off; the first, \[1\]\[2\] = 7/,
  );
  assert.match(
    String(m([[1, 4], [2, 5], [3, 6]])),
    /shape \[3, 2\]; expected shape \[2, 3\].*transpose/,
  );
  assert.match(String(m([1, 2, 3])), /Got shape \[3\]; expected shape \[2, 3\]\.$/);
  assert.match(String(m([[1, 2], [3]])), /rows differ/);
  assert.match(String(m([[1, NaN, 3], [4, 5, 6]])), /Entry \[0\]\[1\] is NaN/);
  assert.match(String(m([[1, "2", 3], [4, 5, 6]])), /entry \[0\]\[1\] is the string "2"/);
  assert.match(String(m(5)), /the number 5; expected an array of shape \[2, 3\]/);
  const t = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  assert.match(String(m(t)), /tensor of shape \[2, 3\].*await t\.array\(\)/);
  t.dispose();
  assert.equal(allClose([1, 2])(new Float32Array([1, 2])), true);
  assert.throws(() => allClose(3), /use closeTo/);
});

Deno.test("equals() wants the same value and type", () => {
  const layer = equals(3, { hint: "Count from 1." });
  assert.equal(layer(3), true);
  assert.equal(layer(2), "2 is not it. Count from 1.");
  assert.equal(layer("3"), 'Got the string "3"; expected a number.');
  assert.equal(equals("relu")("relu"), true);
  assert.match(String(equals("relu")("sigmoid")), /"sigmoid" is not it/);
});

Deno.test("exercise() rejects a missing id or check, naming what to pass", () => {
  assert.throws(() => exercise({ id: "", question: "q", check: closeTo(1) }), /non-empty string/);
  assert.throws(
    () => exercise({ id: "x", question: "q", check: 1 as unknown as () => true }),
    /exercise\("x"\): `check` must be a function/,
  );
});

Deno.test("evaluate() turns true, a hint, false and a throwing check into verdicts", () => {
  assert.deepEqual(evaluate(dw, 6), { ok: true, message: "right" });
  assert.equal(evaluate(dw, 5).ok, false);
  assert.match(evaluate(dw, 5).message, /Chain rule/);
  const never = exercise({ id: "n", question: "q", check: () => false });
  assert.deepEqual(evaluate(never, 1), { ok: false, message: "not yet" });
  const broken = exercise({
    id: "b",
    question: "q",
    check: () => {
      throw new Error("boom");
    },
  });
  assert.deepEqual(evaluate(broken, 1), { ok: false, message: "Checking the answer failed: boom" });
});

Deno.test("checkAnswer() shows ✓ or ✗ with the hint and returns whether it was right", async () => {
  const printed: string[] = [];
  // deno-lint-ignore no-console -- capture what display() prints outside a kernel
  const original = console.log;
  // deno-lint-ignore no-console
  console.log = (...args: unknown[]) => printed.push(args.join(" "));
  const t = tf.scalar(6);
  try {
    assert.equal(await checkAnswer(dw, 6), true);
    assert.equal(await checkAnswer(dw, t), false);
  } finally {
    // deno-lint-ignore no-console
    console.log = original;
    t.dispose();
  }
  assert.equal(printed[0], "✓ dw: right");
  assert.match(printed[1], /^✗ dw: Got a float32 tensor of shape \[\]/);
});

Deno.test("verdictBundle() marks the verdict in text and escaped HTML", () => {
  const ex = exercise({ id: "<id>", question: 'say "x"', check: equals("a&b") });
  const wrong = verdictBundle(ex, evaluate(ex, "b"));
  assert.equal(wrong["text/plain"], '✗ <id>: "b" is not it.');
  assert.match(String(wrong["text/html"]), /✗ &lt;id&gt;.*title="say &quot;x&quot;"/);
  assert.match(String(verdictBundle(ex, evaluate(ex, "a&b"))["text/html"]), /#1a7f37.*✓/);
});

Deno.test("an unanswered exercise (answer still `undefined`) is shown neutrally, not as wrong", async () => {
  const verdict = evaluate(dw, undefined);
  assert.equal(verdict.ok, false);
  assert.equal(verdict.unanswered, true);
  assert.match(verdict.message, /^not answered yet: replace `undefined` with your answer/);
  assert.equal(evaluate(dw, 5).unanswered, undefined, "a wrong answer is not 'unanswered'");
  const bundle = verdictBundle(dw, verdict);
  assert.match(bundle["text/plain"] as string, /^○ dw: not answered yet/);
  assert.doesNotMatch(String(bundle["text/html"]), /✗|#cf222e/, "no red cross");
  assert.match(String(bundle["text/html"]), /#6e7781.*○ dw/);
  // checkAnswer() shows it and returns false (not right yet)
  const printed: string[] = [];
  // deno-lint-ignore no-console -- capture what display() prints outside a kernel
  const original = console.log;
  // deno-lint-ignore no-console
  console.log = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    assert.equal(await checkAnswer(dw, undefined), false);
  } finally {
    // deno-lint-ignore no-console
    console.log = original;
  }
  assert.match(printed[0], /^○ dw: not answered yet/);
});
