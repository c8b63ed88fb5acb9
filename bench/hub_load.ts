// deno-lint-ignore-file no-console -- a benchmark: the printed table is its interface
/**
 * A class arriving at once: N simulated learners log in to a fresh `deno task hub` on
 * loopback at the same moment, start their servers, and each runs lesson 00 through
 * their own server's kernel (hub/learner_client.ts). Reports the median and the worst
 * learner for each phase, failures, lost and late outputs, and whether stopping the hub
 * left any process behind.
 *
 *   deno run -A bench/hub_load.ts [--learners=8] [--rounds=1] [--json=build/bench/hub_load.json]
 *
 * Needs JupyterHub and root (each learner gets a system account); see README, "Teaching
 * a class on JupyterHub". With `--rounds=R` the same class logs in R times against one
 * hub (servers stopped between rounds), so rounds after the first show a warm machine.
 *
 * @module
 */
import { ROOT } from "../tools/notebooks.ts";
import { hubProcesses, jupyterhubMissing } from "../hub/hub_process.ts";
import { type LearnerRun, simulateLearner, stopServer } from "../hub/learner_client.ts";
import { hubStatus, removeAccounts, startTestHub } from "../hub/test_hub.ts";
import { formatNumber, textTable } from "../lib/core/mod.ts";

const args = new Map(
  Deno.args.filter((a) => a.startsWith("--")).map((a) => {
    const [k, v = "true"] = a.slice(2).split("=");
    return [k, v] as const;
  }),
);
const LEARNERS = Number(args.get("learners") ?? 8);
const ROUNDS = Number(args.get("rounds") ?? 1);
const JSON_OUT = args.get("json") ?? `${ROOT}/build/bench/hub_load.json`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const missing = await jupyterhubMissing();
if (missing) {
  console.error(missing);
  Deno.exit(1);
}
if (Deno.uid() !== 0) {
  console.error("bench/hub_load.ts runs each learner under their own account: run it as root.");
  Deno.exit(1);
}

const lesson = JSON.parse(await Deno.readTextFile(`${ROOT}/notebooks/00_setup.ipynb`));
const load = Deno.loadavg();
const startedHub = performance.now();
const hub = await startTestHub();
const hubStartS = (performance.now() - startedHub) / 1000;
console.log(`hub ready in ${hubStartS.toFixed(1)} s (includes warming the shared Deno cache)`);

interface Round {
  round: number;
  wallS: number;
  runs: LearnerRun[];
  failures: string[];
}
const rounds: Round[] = [];
let leftBehind = -1;
let processesBeforeStop = 0;
let threadsBeforeStop = 0;
let peakKernelMiB = 0;
let peakTotalMiB = 0;
let stopSampling = () => {};
try {
  // Memory, sampled while the class works: the largest kernel, and the whole hub.
  const sampler = setInterval(async () => {
    const ps = await hubProcesses(hub.state);
    const kernels = ps.filter((p) => / jupyter --kernel/.test(p.command));
    peakKernelMiB = Math.max(peakKernelMiB, ...kernels.map((p) => p.rssMiB));
    peakTotalMiB = Math.max(peakTotalMiB, ps.reduce((n, p) => n + p.rssMiB, 0));
  }, 500);
  stopSampling = () => clearInterval(sampler);
  for (let round = 1; round <= ROUNDS; round++) {
    const names = Array.from({ length: LEARNERS }, (_, i) => `learner${i + 1}`);
    const t0 = performance.now();
    const settled = await Promise.allSettled(
      names.map((name) => simulateLearner(hub.url, name, hub.password, lesson)),
    );
    const wallS = (performance.now() - t0) / 1000;
    const runs: LearnerRun[] = [];
    const failures: string[] = [];
    settled.forEach((r, i) => {
      if (r.status === "rejected") failures.push(`${names[i]}: ${r.reason}`);
      else {
        runs.push(r.value.run);
        for (const e of r.value.run.errors) failures.push(`${names[i]}: ${e}`);
      }
    });
    rounds.push({ round, wallS, runs, failures });
    const status = await hubStatus(hub.state);
    processesBeforeStop = status.length;
    threadsBeforeStop = status.reduce((n, p) => n + p.threads, 0);
    if (round < ROUNDS) {
      await Promise.all(
        settled.flatMap((r) => r.status === "fulfilled" ? [r.value.learner] : [])
          .map(stopServer),
      );
    }
  }
} finally {
  stopSampling();
  await hub.stop();
  leftBehind = (await hubStatus(hub.state)).length;
  await removeAccounts(hub.prefix);
  await Deno.remove(hub.state, { recursive: true }).catch(() => {});
  await Deno.remove(hub.lessons, { recursive: true }).catch(() => {});
}

const phases: [string, (r: LearnerRun) => number | null][] = [
  ["login → server ready", (r) => r.readyMs],
  ["kernel start", (r) => r.kernelStartMs],
  ["first output", (r) => r.firstOutputMs],
  ["lesson 00 complete", (r) => r.completeMs],
];
const summary = rounds.map(({ round, wallS, runs, failures }) => {
  const phase = Object.fromEntries(phases.map(([name, get]) => {
    const xs = runs.map(get).filter((x): x is number => x !== null).map((ms) => ms / 1000);
    return [name, { medianS: median(xs), worstS: Math.max(...xs) }];
  }));
  return {
    round,
    learners: LEARNERS,
    wallS,
    phase,
    failures,
    lost: runs.reduce((n, r) => n + r.lost, 0),
    late: runs.reduce((n, r) => n + r.late, 0),
  };
});

for (const s of summary) {
  console.log(
    `\nround ${s.round}: ${s.learners} learners at once, all done in ${s.wallS.toFixed(1)} s`,
  );
  console.log(textTable(
    ["phase", "median [s]", "worst [s]"],
    phases.map(([name]) => [
      name,
      formatNumber(s.phase[name].medianS, { fixed: 2 }),
      formatNumber(s.phase[name].worstS, { fixed: 2 }),
    ]),
    { align: ["left", "right", "right"] },
  ));
  console.log(
    `failures: ${s.failures.length}, lost outputs: ${s.lost}, late outputs (kept): ${s.late}`,
  );
  for (const f of s.failures) console.log(`  ${f}`);
}
console.log(
  `\nmemory: largest kernel ${peakKernelMiB.toFixed(0)} MiB, whole hub at its peak ` +
    `${peakTotalMiB.toFixed(0)} MiB (RSS, sampled every 0.5 s)`,
);
console.log(
  `before stop: ${processesBeforeStop} hub processes (${threadsBeforeStop} threads); ` +
    `after stop: ${leftBehind} left`,
);

const report = {
  benchmark: "hub_load",
  date: new Date().toISOString(),
  machine: {
    cores: navigator.hardwareConcurrency,
    loadavgBefore: load,
    deno: Deno.version.deno,
  },
  hubStartS,
  rounds: summary,
  processesBeforeStop,
  threadsBeforeStop,
  processesAfterStop: leftBehind,
  peakKernelMiB,
  peakTotalMiB,
  runs: rounds.map((r) => r.runs.map(({ cells: _cells, ...rest }) => rest)),
};
await Deno.mkdir(JSON_OUT.replace(/\/[^/]+$/, ""), { recursive: true });
await Deno.writeTextFile(JSON_OUT, JSON.stringify(report, null, 2) + "\n");
console.log(`written: ${JSON_OUT}`);
if (summary.some((s) => s.failures.length > 0 || s.lost > 0) || leftBehind !== 0) Deno.exit(1);
