import assert from "node:assert/strict";
import { helpText, parseCommandLine, UsageError } from "../../tools/_args.ts";

const SPEC = {
  usage: "deno task demo [flags] [FILE...]",
  summary: "A demo command.",
  positionals: "files to read (default: all)",
  flags: {
    runs: { type: "integer", description: "timed runs", default: 3 },
    out: { type: "string", value: "DIR", description: "where files go" },
    strict: { type: "boolean", description: "fail on warnings" },
  },
} as const;

Deno.test("parseCommandLine() fills in defaults and keeps positionals in order", () => {
  const parsed = parseCommandLine(SPEC, ["a.ipynb", "b.ipynb"]);
  assert.deepEqual(parsed.values, { runs: 3, out: undefined, strict: false });
  assert.deepEqual(parsed.positionals, ["a.ipynb", "b.ipynb"]);
  assert.equal(parsed.help, false);
});

Deno.test("parseCommandLine() reads --flag=value, --flag value and booleans", () => {
  const parsed = parseCommandLine(SPEC, ["--runs=5", "--out", "build/x", "--strict", "a.ipynb"]);
  assert.deepEqual(parsed.values, { runs: 5, out: "build/x", strict: true });
  assert.deepEqual(parsed.positionals, ["a.ipynb"]);
});

Deno.test("parseCommandLine() names an unknown flag and lists the known ones", () => {
  assert.throws(
    () => parseCommandLine(SPEC, ["--stirct"]),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message === "Unknown flag --stirct. Known flags: --runs, --out, --strict, --help.",
  );
  assert.throws(() => parseCommandLine(SPEC, ["-x"]), /Unknown flag -x\. Known flags: --runs/);
});

Deno.test("parseCommandLine() rejects a missing value, a value on a boolean, a bad number", () => {
  assert.throws(() => parseCommandLine(SPEC, ["--out"]), UsageError);
  assert.throws(() => parseCommandLine(SPEC, ["--out"]), /'--out <value>' argument missing/);
  assert.throws(() => parseCommandLine(SPEC, ["--strict=yes"]), /does not take an argument/);
  for (const bad of ["0", "-2", "2.5", "abc", ""]) {
    assert.throws(
      () => parseCommandLine(SPEC, [`--runs=${bad}`]),
      new RegExp(`Invalid --runs=${bad}: it must be a whole number ≥ 1\\.`),
    );
  }
});

Deno.test("parseCommandLine() checks every item of a list flag against its choices", () => {
  const spec = {
    usage: "demo [flags]",
    summary: "A demo.",
    flags: { backends: { type: "string", description: "which", choices: ["cpu", "wasm-1"] } },
  } as const;
  assert.equal(parseCommandLine(spec, ["--backends=wasm-1,cpu"]).values.backends, "wasm-1,cpu");
  assert.equal(parseCommandLine(spec, []).values.backends, undefined, "absent: no check");
  assert.throws(
    () => parseCommandLine(spec, ["--backends=cpu,wasm,gpu"]),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message ===
        'Unknown "wasm", "gpu" in --backends=cpu,wasm,gpu. Choose from: cpu, wasm-1.',
  );
});

Deno.test("parseCommandLine() rejects positionals where the command takes none", () => {
  const { positionals: _, ...noPositionals } = SPEC;
  assert.throws(() => parseCommandLine(noPositionals, ["stray"]), /Unexpected argument 'stray'/);
});

Deno.test("parseCommandLine() with --help or -h checks nothing else", () => {
  assert.equal(parseCommandLine(SPEC, ["--help", "--bogus"]).help, true);
  assert.equal(parseCommandLine(SPEC, ["--runs=x", "-h"]).help, true);
});

Deno.test("helpText() lists usage, summary, arguments and every flag with its default", () => {
  assert.equal(
    helpText(SPEC),
    [
      "Usage: deno task demo [flags] [FILE...]",
      "",
      "A demo command.",
      "",
      "Arguments: files to read (default: all)",
      "",
      "Flags:",
      "  --runs=N    timed runs (default: 3)",
      "  --out=DIR   where files go",
      "  --strict    fail on warnings",
      "  -h, --help  show this help and exit",
    ].join("\n"),
  );
});

Deno.test("commandLine() prints the error and exits 2 on a bad flag, 0 with help on --help", async () => {
  const script = `
    import { commandLine } from ${JSON.stringify(new URL("../../tools/_args.ts", import.meta.url))};
    commandLine({ usage: "demo [flags]", summary: "A demo.", flags: {} });
    console.log("ran");
  `;
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", script, ...args],
      env: { NO_COLOR: "1" },
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  };
  const bad = await run("--nope");
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, "");
  assert.equal(
    bad.stderr,
    "Unknown flag --nope. Known flags: --help.\nUsage: demo [flags] (--help for more).\n",
  );
  const help = await run("--help");
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: demo \[flags\]\n\nA demo\.\n\nFlags:\n {2}-h, --help/);
  const good = await run();
  assert.equal(good.code, 0);
  assert.equal(good.stdout, "ran\n");
});
