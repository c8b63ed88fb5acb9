/**
 * Subprocess for the kill-during-checkpoint test: trains a 360k-parameter model with
 * modelCheckpoint saving after every batch, printing "saved N" once a save is done.
 *
 * Usage: deno run --allow-read --allow-write --allow-env _checkpoint_child.ts DIR
 */
import * as tf from "@tensorflow/tfjs";
import { modelCheckpoint } from "../../lib/callbacks/model_checkpoint.ts";
import { say } from "../_kill.ts";

await tf.setBackend("cpu");
const [dir] = Deno.args;
const model = tf.sequential({
  layers: [tf.layers.dense({ units: 600, inputShape: [600] }), tf.layers.dense({ units: 1 })],
});
model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
const xs = tf.randomNormal([64, 600], 0, 1, "float32", 1);
const ys = tf.randomNormal([64, 1], 0, 1, "float32", 2);
let saves = 0;
await model.fit(xs, ys, {
  epochs: 1000,
  batchSize: 8,
  verbose: 0,
  callbacks: [
    modelCheckpoint({ filepath: `${dir}/last`, saveFreq: 1 }),
    new (class extends tf.Callback {
      override async onBatchEnd() {
        await say(`saved ${++saves}`);
      }
    })(),
  ],
});
