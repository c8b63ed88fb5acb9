/**
 * `deno task hub` refusing input it cannot use, before it starts anything: these need
 * neither JupyterHub nor root.
 */
import assert from "node:assert/strict";
import { freePort } from "../../hub/hub_process.ts";
import { runHubTask } from "./_hub_cli.ts";

async function withState(fn: (state: string) => Promise<void>) {
  const state = await Deno.makeTempDir({ prefix: "hub-state-" });
  try {
    await fn(state);
  } finally {
    await Deno.remove(state, { recursive: true });
  }
}

Deno.test("deno task hub on a port in use says which port and how to pick another", () =>
  withState(async (state) => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const { port } = listener.addr as Deno.NetAddr;
    try {
      const { code, text } = await runHubTask([`--state=${state}`, `--port=${port}`]);
      assert.equal(code, 1);
      assert.match(text, new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
      assert.match(text, new RegExp(`deno task hub --port=${port + 1}`));
    } finally {
      listener.close();
    }
  }));

Deno.test("deno task hub without JupyterHub names what is missing and how to install it", () =>
  withState(async (state) => {
    const { code, text } = await runHubTask([`--state=${state}`, `--port=${freePort()}`], {
      PATH: "/nonexistent",
    });
    assert.equal(code, 1);
    assert.match(text, /JupyterHub is not installed: jupyterhub, configurable-http-proxy/);
    assert.match(text, /tools\/install\.sh --hub/);
    assert.match(text, /apt-get install -y jupyterhub node-configurable-http-proxy/);
  }));

Deno.test("deno task hub with an address this machine lacks says so", () =>
  withState(async (state) => {
    // 192.0.2.1 is TEST-NET-1: never assigned, so binding fails and nothing is sent.
    const { code, text } = await runHubTask([
      `--state=${state}`,
      "--ip=192.0.2.1",
      `--port=${freePort()}`,
    ]);
    assert.equal(code, 1);
    assert.match(text, /Cannot listen on 192\.0\.2\.1: this machine has no such address/);
  }));

Deno.test("deno task hub with a bad option prints the problem and the usage", async () => {
  const { code, text } = await runHubTask(["--admin=Ada Lovelace"]);
  assert.equal(code, 1);
  assert.match(text, /"Ada Lovelace" is not a valid learner name/);
  const help = await runHubTask(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.text, /deno task hub \[start\|update\|prepare\|stop\|status\]/);
});

Deno.test("deno task hub status and stop find and stop every process marked with the hub's state", () =>
  withState(async (state) => {
    // A stand-in for a server that outlived its hub: it carries the hub's marker.
    const straggler = new Deno.Command("sleep", {
      args: ["120"],
      env: { TFJS_HUB_STATE: state },
    }).spawn();
    try {
      const status = await runHubTask(["status", `--state=${state}`, "--json"]);
      const listed = JSON.parse(status.text) as { pid: number; threads: number }[];
      assert.deepEqual(listed.map((p) => p.pid), [straggler.pid]);
      const stop = await runHubTask(["stop", `--state=${state}`]);
      assert.equal(stop.code, 0, stop.text);
      assert.match(stop.text, /stopped \(1 forced\)/);
      assert.equal((await straggler.status).signal, "SIGTERM");
      const after = await runHubTask(["status", `--state=${state}`]);
      assert.match(after.text, /nothing of the hub .* is running/);
    } finally {
      try {
        straggler.kill("SIGKILL");
      } catch {
        // stopped by the test
      }
    }
  }));
