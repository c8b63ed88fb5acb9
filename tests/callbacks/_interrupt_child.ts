/**
 * Subprocess for the SIGINT test: trains a long time with stopOnInterrupt(), prints
 * "training" after the first batch, and on return prints a JSON summary line.
 */
import * as tf from "@tensorflow/tfjs";
import { stopOnInterrupt } from "../../lib/callbacks/stop_on.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";
import { say } from "../_kill.ts";

await tf.setBackend("cpu");
const data = fixture();
const model = linearModel();
let batches = 0;
let trainEnd = false;
const stop = stopOnInterrupt({ verbose: 0 });
const history = await model.fit(data.xs, data.ys, {
  epochs: 1_000_000,
  batchSize: 4,
  verbose: 0,
  callbacks: [
    stop,
    // A tf.Callback (not a plain hook object, which tfjs would wrap in a
    // CustomCallback that yields to the event loop by itself): the only yielding
    // comes from stopOnInterrupt.
    new (class extends tf.Callback {
      override async onBatchEnd() {
        if (++batches === 1) await say("training");
      }
      override onTrainEnd() {
        trainEnd = true;
        return Promise.resolve();
      }
    })(),
  ],
});
// deno-lint-ignore no-console
console.log(JSON.stringify({
  epochs: history.epoch.length,
  batches,
  trainEnd,
  stoppedAt: stop.stoppedAt,
  finite: model.getWeights().every((w) => Array.from(w.dataSync()).every(Number.isFinite)),
}));
