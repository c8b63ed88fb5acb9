import assert from "node:assert/strict";
import { cellBundles, cellText, numberAfter } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";
import { assertCellsRerun, runLesson } from "./_lesson.ts";

Deno.test({
  name:
    "03_early_stopping_checkpointing.ipynb: the naive rule fails, the recipe stops and restores",
  ignore: skipWithoutJupyter,
  async fn() {
    const nb = await runLesson("03_early_stopping_checkpointing");

    // "the training-loss rule never fires while validation loss rises"
    const naive = cellText(nb, "naive");
    assert.match(naive, /never fired, ran all 30 epochs/);
    const naiveBest = numberAfter(naive, "lowest at epoch");
    assert.ok(naiveBest < 30, naive);
    assert.ok(numberAfter(naive, "ended at") > numberAfter(naive, `epoch ${naiveBest} (`), naive);

    // "no patience stops on noise, before the real bottom"
    const patience = cellText(nb, "patience");
    const later = /fell again to ([\d.]+) at epoch (\d+)/.exec(patience);
    assert.ok(later, patience);
    assert.ok(numberAfter(patience, "would stop at epoch") < Number(later[2]), patience);
    assert.ok(Number(later[1]) < numberAfter(patience, "(val_loss"), patience);

    // "training stopped before the epoch limit, patience epochs after the best"
    const recipe = cellText(nb, "recipe");
    const stopped = numberAfter(recipe, "stopped at epoch");
    const bestEpoch = numberAfter(recipe, "best epoch");
    assert.ok(stopped < 1000, recipe);
    assert.equal(stopped - bestEpoch, 5, recipe);
    assert.equal(numberAfter(recipe, "last at epoch"), bestEpoch, recipe);
    // The dashboard's final frame marks the stop.
    assert.match(JSON.stringify(cellBundles(nb, "recipe")), /early stop \(epoch \d+\)/);

    // "the reloaded checkpoint is the best epoch's model, and tests better than the last epoch"
    const reload = cellText(nb, "reload");
    assert.equal(
      numberAfter(reload, "validation loss"),
      numberAfter(reload, "best epoch in history:"),
    );
    assert.equal(numberAfter(reload, "checkpoint (epoch"), bestEpoch);
    assert.ok(
      numberAfter(reload, "test loss") < numberAfter(reload.split("\n")[2], "test loss"),
      reload,
    );

    // "restoreBestWeights leaves the best epoch's weights in the model"
    const restore = cellText(nb, "restore");
    assert.ok(numberAfter(restore, "restored epoch") < numberAfter(restore, "stopped at epoch"));
    assert.equal(
      numberAfter(restore, "validation loss now"),
      numberAfter(restore, "best in history"),
    );

    // "the text-CNN trains on digit rows with the same callbacks"
    assert.match(cellText(nb, "tokens"), /tokens 1000×28/);
    const cnn = cellText(nb, "textcnn-fit");
    assert.ok(numberAfter(cnn, "stopped at epoch") < 1000, cnn);
    assert.ok(numberAfter(cnn, "test accuracy") > 60, cnn);
  },
});

Deno.test({
  name:
    "03_early_stopping_checkpointing.ipynb: every code cell can run twice in a row (checkpoints, callbacks)",
  ignore: skipWithoutJupyter,
  fn: () => assertCellsRerun("03_early_stopping_checkpointing", ["cleanup"]),
});
