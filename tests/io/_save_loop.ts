/**
 * Subprocess for the kill-during-save test: saves the same model over and over into
 * one folder, with every weight equal to the save's index k, and prints "saved k"
 * after each save completes. The parent kills it with SIGKILL at an arbitrary moment.
 *
 * Usage: deno run --allow-read --allow-write --allow-env tests/io/_save_loop.ts DIR UNITS
 */
import * as tf from "@tensorflow/tfjs";
import { saveModel } from "../../lib/io/model_files.ts";
import { say } from "../_kill.ts";

await tf.setBackend("cpu");
const [dir, unitsArg = "1000"] = Deno.args;
const units = Number(unitsArg);
const model = tf.sequential({
  layers: [tf.layers.dense({ units, inputShape: [units], useBias: false })],
});
for (let k = 1; k < 10_000; k++) {
  model.setWeights([tf.fill([units, units], k)]);
  await saveModel(model, dir);
  await say(`saved ${k}`);
}
