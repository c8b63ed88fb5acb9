import assert from "node:assert/strict";
import { cosineDecay, exponentialDecay, oneCycle, stepDecay } from "../../lib/optim/schedules.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("stepDecay() is constant between drops and multiplies by factor at each", () => {
  const lr = stepDecay({ initialLearningRate: 0.2, dropEvery: 3, factor: 0.1 });
  assert.deepEqual([0, 2].map(lr), [0.2, 0.2]);
  close(lr(3), 0.02);
  close(lr(8), 0.002);
  close(lr(9), 0.0002);
  // default factor 0.5
  close(stepDecay({ initialLearningRate: 1, dropEvery: 2 })(4), 0.25);
});

Deno.test("exponentialDecay() matches Keras's ExponentialDecay, smooth and staircase", () => {
  const opts = { initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.96 };
  const smooth = exponentialDecay(opts);
  const stairs = exponentialDecay({ ...opts, staircase: true });
  for (const t of [0, 1, 3, 4, 7, 100]) {
    close(smooth(t), 0.1 * 0.96 ** (t / 4));
    close(stairs(t), 0.1 * 0.96 ** Math.floor(t / 4));
  }
});

Deno.test("cosineDecay() without warm-up matches Keras's CosineDecay and stays at alpha·peak after", () => {
  const lr = cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 0.1 });
  for (const t of [0, 3, 5, 10]) {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * t / 10));
    close(lr(t), 0.1 * ((1 - 0.1) * cosine + 0.1));
  }
  close(lr(5), 0.1 * (0.9 * 0.5 + 0.1));
  close(lr(10), 0.01);
  close(lr(50), 0.01);
});

Deno.test("cosineDecay() warms up linearly to warmupTarget, then decays from it (Keras 3)", () => {
  const lr = cosineDecay({
    initialLearningRate: 0.01,
    warmupTarget: 0.1,
    warmupSteps: 4,
    decaySteps: 8,
  });
  close(lr(0), 0.01);
  close(lr(2), 0.055); // halfway up
  close(lr(4), 0.1); // the peak
  close(lr(8), 0.05); // halfway down the cosine
  close(lr(12), 0);
  close(lr(20), 0);
});

Deno.test("oneCycle() matches PyTorch's OneCycleLR (cos, two phases) at its landmarks", () => {
  const lr = oneCycle({ maxLearningRate: 1, totalSteps: 101, pctStart: 0.3 });
  // PyTorch: phase 1 ends at step 0.3·101 − 1 = 29.3; start 1/25, end 1/25/1e4.
  close(lr(0), 0.04);
  const peak = 0.3 * 101 - 1;
  close(lr(peak), 1);
  close(lr(100), 0.04 / 1e4);
  // a point in each phase, by PyTorch's _annealing_cos(start, end, pct)
  const cos = (s: number, e: number, p: number) => e + (s - e) / 2 * (Math.cos(Math.PI * p) + 1);
  close(lr(10), cos(0.04, 1, 10 / peak));
  close(lr(60), cos(1, 4e-6, (60 - peak) / (100 - peak)));
  // rises, then falls
  assert.ok(lr(10) < lr(20) && lr(20) < lr(29) && lr(40) > lr(80));
});

Deno.test("schedules reject a negative or non-finite step, naming it", () => {
  const all = [
    stepDecay({ initialLearningRate: 0.1, dropEvery: 2 }),
    exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }),
    cosineDecay({ initialLearningRate: 0.1, decaySteps: 2 }),
    oneCycle({ maxLearningRate: 0.1, totalSteps: 10 }),
  ];
  for (const lr of all) {
    assert.throws(() => lr(-1), /step must be a finite number >= 0.*got -1/);
    assert.throws(() => lr(NaN), /got NaN/);
  }
});

Deno.test("schedules reject bad options, naming the option and the value", () => {
  assert.throws(
    () => stepDecay({ initialLearningRate: 0, dropEvery: 2 }),
    /`initialLearningRate`.*got 0/,
  );
  assert.throws(() => stepDecay({ initialLearningRate: 1, dropEvery: -1 }), /`dropEvery`.*got -1/);
  assert.throws(
    () => stepDecay({ initialLearningRate: 1, dropEvery: 2, factor: 2 }),
    /`factor`.*\(0, 1\].*got 2/,
  );
  assert.throws(
    () => exponentialDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 0.5 }),
    /`decaySteps`.*got 0/,
  );
  assert.throws(
    () => cosineDecay({ initialLearningRate: 1, decaySteps: 5, alpha: 2 }),
    /`alpha`.*got 2/,
  );
  assert.throws(
    () => cosineDecay({ initialLearningRate: 0, decaySteps: 5, warmupSteps: 3 }),
    /`warmupSteps` is 3 but `warmupTarget` is missing/,
  );
  assert.throws(
    () => cosineDecay({ initialLearningRate: 0, decaySteps: 5 }),
    /`initialLearningRate`.*> 0.*got 0/,
  );
});

Deno.test("oneCycle() rejects a warm-up of under a step or one that reaches the end, and steps past the cycle", () => {
  assert.throws(
    () => oneCycle({ maxLearningRate: 0.1, totalSteps: 10, pctStart: 1 }),
    /warm-up ends at step .* = 9, which must lie strictly between 0 and the last step \(9\)/,
  );
  assert.throws(
    () => oneCycle({ maxLearningRate: 0.1, totalSteps: 10, pctStart: 0.05 }),
    /warm-up ends/,
  );
  assert.throws(() => oneCycle({ maxLearningRate: 0.1, totalSteps: 2 }), /`totalSteps`.*>= 3/);
  const lr = oneCycle({ maxLearningRate: 0.1, totalSteps: 10 });
  assert.throws(
    () => lr(10),
    /asked for step 10, but the cycle has totalSteps = 10 \(steps 0 … 9\)/,
  );
});
