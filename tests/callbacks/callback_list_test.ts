import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { callbackList } from "../../lib/callbacks/callback_list.ts";
import { earlyStopping } from "../../lib/callbacks/early_stopping.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

Deno.test("callbackList() lets plain hooks and tf.Callbacks share one fit, in either order", async () => {
  const data = fixture();
  for (const order of ["hooks first", "callback first"]) {
    const model = linearModel();
    const seen: number[] = [];
    const hooks = { onEpochEnd: (epoch: number) => void seen.push(epoch) };
    const stopper = earlyStopping({ monitor: "loss", patience: 0, mode: "max" });
    const list = order === "hooks first"
      ? callbackList(hooks, stopper)
      : callbackList(stopper, hooks);
    assert.ok(list.every((c) => typeof c.setModel === "function"));
    await model.fit(data.xs, data.ys, { epochs: 5, verbose: 0, callbacks: list });
    // mode "max" on a falling loss: stops at epoch 1; both saw the epochs.
    assert.deepEqual(seen, [0, 1], order);
    assert.equal(stopper.stoppedEpoch, 1);
    model.dispose();
  }
  data.dispose();
});

Deno.test("callbackList() drops undefined/null/false entries (for `cond && callback`)", () => {
  const debug = false;
  const list = callbackList(undefined, null, debug && { onEpochEnd: () => {} }, earlyStopping());
  assert.equal(list.length, 1);
});

Deno.test("without callbackList, tfjs rejects a mixed list (why the helper exists)", async () => {
  const data = fixture();
  const model = linearModel();
  await assert.rejects(() =>
    model.fit(data.xs, data.ys, {
      epochs: 1,
      verbose: 0,
      callbacks: [earlyStopping(), { onEpochEnd: () => {} }] as unknown as tf.Callback[],
    })
  );
  model.dispose();
  data.dispose();
});
