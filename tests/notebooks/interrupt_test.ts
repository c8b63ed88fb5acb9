import assert from "node:assert/strict";
import { ensureJupyter, KERNEL_NAME } from "../../tools/jupyter.ts";
import { numberAfter, ROOT } from "../../tools/notebooks.ts";
import { skipWithoutJupyter } from "../_gate.ts";

Deno.test({
  name: "interrupting a fit cell in Jupyter stops training and keeps the kernel and its variables",
  ignore: skipWithoutJupyter,
  async fn() {
    const python = await ensureJupyter();
    const out = await new Deno.Command(python, {
      args: [
        `${ROOT}/tests/notebooks/fixtures/interrupt_driver.py`,
        KERNEL_NAME,
        `${ROOT}/notebooks`,
      ],
      env: { NO_COLOR: "1" },
    }).output();
    const stdout = new TextDecoder().decode(out.stdout).trim();
    assert.ok(out.success, new TextDecoder().decode(out.stderr).slice(-3000));
    const result = JSON.parse(stdout.split("\n").at(-1)!);
    assert.equal(result.interrupt_mode, "signal");
    assert.equal(result.setup.status, "ok", JSON.stringify(result.setup));
    // fit returned (not killed, not wedged) and reported how far it got
    const fitText = result.fit.outputs.join("\n");
    const epochs = numberAfter(fitText, "stopped after");
    assert.ok(epochs >= 1 && epochs < 100000, fitText);
    assert.ok(result.fit.seconds_to_stop < 10, `stopped in ${result.fit.seconds_to_stop} s`);
    // the kernel is alive and kept `history` and `model`
    assert.equal(result.alive, true);
    assert.equal(result.after.status, "ok", JSON.stringify(result.after));
    const after = result.after.outputs.join("\n");
    assert.equal(numberAfter(after, "epochs"), epochs);
    assert.ok(Number.isFinite(numberAfter(after, "weight")), after);
  },
});
