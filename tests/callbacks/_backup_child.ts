/**
 * Subprocess for the resume-after-kill test: trains the fixture model with Adam and
 * backupAndRestore, printing "epoch N" after each epoch's backup, and the final
 * weights as JSON when done. Run it again after a kill and it resumes.
 *
 * Usage: deno run --allow-read --allow-write --allow-env _backup_child.ts DIR EPOCHS [DELAY_MS]
 */
import * as tf from "@tensorflow/tfjs";
import { backupAndRestore } from "../../lib/callbacks/backup_and_restore.ts";
import { fixture, linearModel, weightsOf } from "./_fit_fixture.ts";
import { say } from "../_kill.ts";

await tf.setBackend("cpu");
const [dir, epochs, delay = "0"] = Deno.args;
const data = fixture();
const model = linearModel(0.05, "adam");
const backup = backupAndRestore({ dir });
await backup.fit(model, data.xs, data.ys, {
  epochs: Number(epochs),
  batchSize: 4,
  shuffle: false,
  verbose: 0,
  validationData: [data.valXs, data.valYs],
  callbacks: {
    onEpochEnd: async (epoch) => {
      await say(`epoch ${epoch}`);
      await new Promise((r) => setTimeout(r, Number(delay)));
    },
  },
});
await say(`weights ${JSON.stringify(weightsOf(model))}`);
