/** The crash-test harness of `tests/_kill.ts`, on tiny child scripts. */
import assert from "node:assert/strict";
import { killChild, runChild } from "./_kill.ts";

const SAY = JSON.stringify(new URL("./_kill.ts", import.meta.url).href);

/** Write a child script into a fresh temp folder; returns its URL and the folder. */
async function script(source: string): Promise<{ url: URL; dir: string }> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/child.ts`, source);
  return { url: new URL(`file://${dir}/child.ts`), dir };
}

const FOREVER = "setInterval(() => {}, 1000);";

Deno.test("killChild() SIGKILLs once the marker is printed and returns all the output", async () => {
  const { url, dir } = await script(
    `import { say } from ${SAY};\nawait say("ready " + Deno.args[0]);\n${FOREVER}`,
  );
  const run = await killChild(url, ["7"], { when: { stdout: "ready 7\n" } });
  assert.equal(run.status.signal, "SIGKILL");
  assert.equal(run.stdout, "ready 7\n");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("killChild() can wait for a file instead of a line", async () => {
  const { url, dir } = await script(
    `await Deno.writeTextFile(Deno.args[0], "x");\n${FOREVER}`,
  );
  const run = await killChild(url, [`${dir}/flag`], { when: { file: `${dir}/flag` } });
  assert.equal(run.status.signal, "SIGKILL");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("killChild() sends another signal and lets the child handle it", async () => {
  const { url, dir } = await script(
    `Deno.addSignalListener("SIGINT", () => { console.log("bye"); Deno.exit(0); });\n` +
      `console.log("up");\n${FOREVER}`,
  );
  const run = await killChild(url, [], { when: { stdout: "up\n" }, signal: "SIGINT" });
  assert.equal(run.status.code, 0);
  assert.equal(run.stdout, "up\nbye\n");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("killChild() says so, with the output, when the child ends or hangs before the marker", async () => {
  const early = await script(`console.log("partial"); console.error("oops"); Deno.exit(3);`);
  await assert.rejects(
    () => killChild(early.url, [], { when: { stdout: "saved 3\n" } }),
    /child\.ts ended \(code 3\) without \{"stdout":"saved 3\\n"\}\.\nstdout:\npartial\n\nstderr:\noops/,
  );
  const silent = await script(FOREVER);
  await assert.rejects(
    () => killChild(silent.url, [], { when: { stdout: "never" }, timeoutMs: 300 }),
    /child\.ts ran 300 ms without/,
  );
  await Deno.remove(early.dir, { recursive: true });
  await Deno.remove(silent.dir, { recursive: true });
});

Deno.test("runChild() runs a script to its end", async () => {
  const { url, dir } = await script(`console.log(Deno.args.join("+"));`);
  const run = await runChild(url, ["a", "b"]);
  assert.equal(run.status.code, 0);
  assert.equal(run.stdout, "a+b\n");
  await Deno.remove(dir, { recursive: true });
});
