import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { csvLogger } from "../../lib/callbacks/csv_logger.ts";
import { reduceLROnPlateau } from "../../lib/callbacks/reduce_lr_on_plateau.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

await tf.setBackend("cpu");

Deno.test("csvLogger() writes a header with val_ columns and one row per epoch", async () => {
  const file = await Deno.makeTempFile({ suffix: ".csv" });
  const data = fixture();
  const model = linearModel();
  const history = await model.fit(data.xs, data.ys, {
    epochs: 3,
    batchSize: 4,
    validationData: [data.valXs, data.valYs],
    verbose: 0,
    callbacks: [reduceLROnPlateau({ patience: 5 }), csvLogger(file)],
  });
  const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
  assert.equal(lines[0], "epoch,loss,val_loss,learning_rate");
  assert.equal(lines.length, 4);
  const row = lines[2].split(",").map(Number);
  assert.deepEqual(row, [1, history.history.loss[1], history.history.val_loss[1], 0.1]);
  model.dispose();
  data.dispose();
  await Deno.remove(file);
});

Deno.test("csvLogger({ append: true }) continues the file under its existing header", async () => {
  const file = await Deno.makeTempFile({ suffix: ".csv" });
  const data = fixture();
  const model = linearModel();
  const args = {
    batchSize: 4,
    validationData: [data.valXs, data.valYs] as [tf.Tensor, tf.Tensor],
    verbose: 0 as const,
  };
  await model.fit(data.xs, data.ys, { ...args, epochs: 2, callbacks: [csvLogger(file)] });
  await model.fit(data.xs, data.ys, {
    ...args,
    epochs: 4,
    initialEpoch: 2,
    callbacks: [csvLogger(file, { append: true })],
  });
  const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
  assert.equal(lines[0], "epoch,loss,val_loss");
  assert.deepEqual(lines.slice(1).map((l) => l.split(",")[0]), ["0", "1", "2", "3"]);
  // Without append the file starts over.
  await model.fit(data.xs, data.ys, { ...args, epochs: 1, callbacks: [csvLogger(file)] });
  assert.equal((await Deno.readTextFile(file)).trimEnd().split("\n").length, 2);
  model.dispose();
  data.dispose();
  await Deno.remove(file);
});

Deno.test("csvLogger() with no validation: columns epoch,loss; separator option", async () => {
  const file = await Deno.makeTempFile({ suffix: ".csv" });
  const data = fixture();
  const model = linearModel();
  await model.fit(data.xs, data.ys, {
    epochs: 1,
    verbose: 0,
    callbacks: [csvLogger(file, { separator: ";" })],
  });
  assert.match(await Deno.readTextFile(file), /^epoch;loss\n0;\d\.\d+\n$/);
  model.dispose();
  data.dispose();
  await Deno.remove(file);
});

Deno.test("csvLogger() an unwritable path fails before training, naming the file", async () => {
  const dir = await Deno.makeTempDir();
  const data = fixture();
  const model = linearModel();
  await assert.rejects(
    () =>
      model.fit(data.xs, data.ys, {
        epochs: 1,
        verbose: 0,
        callbacks: [csvLogger(`${dir}/missing/folder/log.csv`)],
      }),
    /csvLogger: cannot write ".*missing\/folder\/log\.csv"/,
  );
  assert.throws(() => csvLogger(""), /invalid file path/);
  model.dispose();
  data.dispose();
  await Deno.remove(dir, { recursive: true });
});
