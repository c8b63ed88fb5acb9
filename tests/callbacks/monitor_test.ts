import assert from "node:assert/strict";
import { Monitor } from "../../lib/callbacks/monitor.ts";
import { captureWarnings } from "./_fake_model.ts";

Deno.test("Monitor.isImprovement() applies |minDelta| in the right direction per mode", () => {
  const min = new Monitor({ monitor: "loss", minDelta: -0.1 });
  assert.equal(min.minDelta, 0.1);
  assert.equal(min.isImprovement(0.85, 1), true);
  assert.equal(min.isImprovement(0.95, 1), false);
  assert.equal(min.isImprovement(1.2, 1), false);
  const max = new Monitor({ monitor: "acc", minDelta: 0.1 });
  assert.equal(max.isImprovement(0.75, 0.6), true);
  assert.equal(max.isImprovement(0.65, 0.6), false);
  assert.equal(max.isImprovement(0.5, 0.6), false);
});

Deno.test("Monitor.isImprovement() is true against nothing seen and false for NaN", () => {
  const m = new Monitor({ monitor: "loss" });
  assert.equal(m.isImprovement(123), true);
  m.best = 1;
  assert.equal(m.isImprovement(NaN), false);
});

Deno.test("Monitor.beatsBaseline() uses the baseline when one is set", () => {
  const m = new Monitor({ monitor: "val_loss", baseline: 0.5 });
  assert.equal(m.beatsBaseline(0.6), false);
  assert.equal(m.beatsBaseline(0.4), true);
  assert.equal(new Monitor({ monitor: "val_loss" }).beatsBaseline(99), true);
});

Deno.test("Monitor.read() warns once, listing available keys, when the key is missing", async () => {
  const m = new Monitor({ monitor: "val_loss" }, "val_loss", "earlyStopping");
  const warnings = await captureWarnings(() => {
    assert.equal(m.read({ loss: 1, acc: 0.5 }), undefined);
    assert.equal(m.read({ loss: 1, acc: 0.5 }), undefined);
  });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"val_loss" is not in the logs; available keys: loss, acc/);
  assert.match(warnings[0], /validationData/);
});

Deno.test("Monitor.read() throws with strict: true", () => {
  const m = new Monitor({ monitor: "acc", strict: true });
  assert.throws(() => m.read({ loss: 1 }), /"acc" is not in the logs; available keys: loss/);
  assert.equal(m.read({ acc: 0.25 }), 0.25);
});

Deno.test("Monitor rejects a non-finite minDelta or baseline", () => {
  assert.throws(() => new Monitor({ minDelta: NaN }), /minDelta/);
  assert.throws(() => new Monitor({ baseline: Infinity }), /baseline/);
});
