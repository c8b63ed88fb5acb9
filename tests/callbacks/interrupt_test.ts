/**
 * lib/callbacks/interrupt.ts against a fake launcher: the line protocol, and who takes an
 * interrupt (a running fit, a hand-written loop, or nobody: the launcher is told to wait).
 * The real launcher and kernel: tests/notebooks/interrupt_test.ts.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  connectLauncher,
  interruptRequested,
  interruptSource,
  loopStoppedMessage,
} from "../../lib/callbacks/interrupt.ts";
import { stopOnInterrupt } from "../../lib/callbacks/stop_on.ts";
import { fixture, linearModel } from "./_fit_fixture.ts";

/** A launcher stand-in: accepts the library's connection, sends lines, reads replies. */
class FakeLauncher {
  readonly listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  readonly token = "t0ken";
  #conn: Deno.Conn | undefined;
  #lines: string[] = [];
  #buffer = "";
  /** `alive` and `rest` messages received (kept out of {@linkcode next}). */
  heartbeats = 0;
  rests = 0;

  get address(): string {
    return `127.0.0.1:${(this.listener.addr as Deno.NetAddr).port}:${this.token}`;
  }

  async accept(): Promise<void> {
    this.#conn = await this.listener.accept();
    this.#read().catch(() => {/* closed */});
  }

  async #read() {
    const decoder = new TextDecoder();
    for await (const chunk of this.#conn!.readable) {
      this.#buffer += decoder.decode(chunk);
      const lines = this.#buffer.split("\n");
      this.#buffer = lines.pop()!;
      for (const line of lines) {
        if (line === "alive") this.heartbeats++;
        else if (line === "rest") this.rests++;
        else this.#lines.push(line);
      }
    }
  }

  async send(line: string): Promise<void> {
    await this.#conn!.write(new TextEncoder().encode(line + "\n"));
  }

  /** The next line the library sent (waits up to 2 s). */
  async next(): Promise<string> {
    const deadline = Date.now() + 2000;
    while (this.#lines.length === 0) {
      if (Date.now() > deadline) throw new Error("the library sent nothing");
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.#lines.shift()!;
  }

  close() {
    this.#conn?.close();
    this.listener.close();
  }
}

const launcher = new FakeLauncher();
const accepted = launcher.accept();
await connectLauncher(launcher.address);
await accepted;
const soon = () => Date.now() + 1000;

Deno.test("connectLauncher() greets with the token and the process id", async () => {
  assert.equal(await launcher.next(), `hello ${launcher.token} ${Deno.pid}`);
  assert.equal(interruptSource(), "launcher");
});

Deno.test("connectLauncher() rejects an address that is not HOST:PORT:TOKEN", async () => {
  await assert.rejects(connectLauncher("localhost"), /must be HOST:PORT:TOKEN, got "localhost"/);
});

Deno.test("an interrupt while nothing of the library's runs is answered `wait`", async () => {
  await launcher.send(`interrupt 1 ${soon()}`);
  assert.equal(await launcher.next(), "ack 1 wait");
});

Deno.test("an interrupt read after its deadline is ignored (the launcher terminates instead)", async () => {
  await launcher.send(`interrupt 2 ${Date.now() - 1}`);
  await launcher.send(`interrupt 3 ${soon()}`);
  assert.equal(await launcher.next(), "ack 3 wait");
});

Deno.test("an interrupt during fit stops it at a batch boundary and trims the partial epoch", async () => {
  await tf.setBackend("cpu");
  const data = fixture();
  const model = linearModel();
  const stop = stopOnInterrupt({ verbose: 0 });
  let batches = 0;
  const history = await model.fit(data.xs, data.ys, {
    epochs: 1000,
    batchSize: 4,
    verbose: 0,
    callbacks: [
      stop,
      new (class extends tf.Callback {
        override async onBatchEnd() {
          if (++batches === 10) await launcher.send(`interrupt 4 ${soon()}`);
        }
      })(),
    ],
  });
  assert.equal(await launcher.next(), "ack 4 fit");
  assert.ok(launcher.heartbeats >= 1, "the fit told the launcher it is alive");
  for (let i = 0; i < 100 && launcher.rests === 0; i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(launcher.rests >= 1, "and when it ended");
  assert.ok(stop.stoppedAt !== undefined, "stopped on the interrupt");
  const [epoch] = stop.stoppedAt!;
  assert.ok(epoch < 999, `stopped early, in epoch ${epoch + 1}`);
  // Every epoch in the History ran to its end.
  assert.ok(history.epoch.length === epoch || history.epoch.length === epoch + 1);
  // Its cell has ended: later fits and loops run normally again.
  await launcher.send("done 4");
  await new Promise((r) => setTimeout(r, 50));
});

Deno.test("interruptRequested() lets a loop stop at its next step and reports `taken`", async () => {
  let steps = 0;
  const run = (async () => {
    for (let step = 0; step < 100_000; step++) {
      if (await interruptRequested({ epoch: 0, batch: step })) return steps;
      steps++;
      await new Promise((r) => setTimeout(r, 1));
    }
    return steps;
  })();
  await new Promise((r) => setTimeout(r, 50));
  await launcher.send(`interrupt 5 ${soon()}`);
  assert.equal(await launcher.next(), "ack 5 loop");
  const stoppedAfter = await run;
  assert.ok(stoppedAfter > 0 && stoppedAfter < 100_000);
  assert.equal(await launcher.next(), "taken 5");
  // Until the launcher says the cell ended, the next loop in it stops at once.
  const asking = interruptRequested();
  assert.equal(await launcher.next(), "cell 5");
  await launcher.send("running 5");
  assert.equal(await asking, true);
  const fresh = interruptRequested();
  assert.equal(await launcher.next(), "cell 5");
  await launcher.send("done 5");
  assert.equal(await fresh, false);
});

Deno.test("loopStoppedMessage() names the step that did not run (1-based)", () => {
  assert.equal(
    loopStoppedMessage({ epoch: 1, batch: 3 }),
    "Training loop stopped by ■ before epoch 2, batch 4: every step before it finished, " +
      "and every variable keeps its value.",
  );
  assert.match(loopStoppedMessage({}), /^Training loop stopped by ■: /);
});

Deno.test("the fake launcher closes", () => {
  launcher.close();
});
