/**
 * `deno task bench`: backends × workloads (W1–W4 of issue #3), each the median of
 * several runs after a warm-up, printed as a table and written as JSON.
 *
 * Flags (`deno task bench --help` lists them): `--backends=…`, `--workloads=…`, `--runs=N`,
 * `--threads=N`, `--quick`, `--json=PATH`.
 *
 * See bench/README.md for how to read the output.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  availableCores,
  probeWebGpu,
  releaseWasm,
  selectBackend,
  silenceNodeBanner,
  useWasm,
  useWebGpu,
} from "../lib/backend/mod.ts";
import { type Workload, WORKLOADS } from "./workloads.ts";
import { commandLine } from "../tools/_args.ts";
import { textTable } from "../lib/core/text_table.ts";

/** The command line of `deno task bench`. */
const COMMAND = {
  usage: "deno task bench [flags]",
  summary: "Backends × workloads (W1–W4), each cell the median of several runs after a " +
    "warm-up, printed as a table and written as JSON. bench/README.md says how to read it.",
  flags: {
    backends: {
      type: "string",
      value: "LIST",
      description: "which of cpu,wasm-1,wasm-N,webgpu, or wasm-1-xnnpack,wasm-N-xnnpack for " +
        "tfjs's own matrix products (default: all available, without -xnnpack)",
      choices: ["cpu", "wasm-1", "wasm-N", "webgpu", "wasm-1-xnnpack", "wasm-N-xnnpack"],
    },
    workloads: {
      type: "string",
      value: "LIST",
      description: "which workloads",
      default: "W1,W2,W3,W4",
      choices: ["W1", "W2", "W3", "W4"],
    },
    runs: { type: "integer", description: "timed runs per cell, median reported", default: 3 },
    threads: { type: "integer", description: "threads of wasm-N (default: all cores)" },
    quick: { type: "boolean", description: "smaller workloads, 1 run (smoke test)" },
    json: {
      type: "string",
      value: "PATH",
      description: "where the JSON goes",
      default: "build/bench/latest.json",
    },
  },
} as const;

/** One backend configuration of the benchmark. */
interface BenchBackend {
  label: string;
  start(): Promise<string>;
}

/** One cell of the table. */
export interface BenchCell {
  backend: string;
  workload: Workload["id"];
  unit: Workload["unit"];
  median: number | null;
  runs: number[];
  size: string;
  note?: string;
  error?: string;
}

/** The JSON `deno task bench` writes. */
export interface BenchResult {
  date: string;
  machine: { cores: number; cpu: string; os: string; deno: string; v8: string };
  /** 1-minute load average before each backend's cells (other processes compete for cores). */
  load: Record<string, number>;
  tfjs: string;
  backends: Record<string, string>;
  cells: BenchCell[];
  /** wasm-N ÷ wasm-1 per workload (for W4: wasm-1 µs ÷ wasm-N µs), > 1 means threads help. */
  threadSpeedup: Partial<Record<Workload["id"], number>>;
}

function print(line = ""): void {
  Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function cpuModel(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    return info.match(/model name\s*:\s*(.+)/)?.[1]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

function format(value: number | null, unit: string): string {
  if (value === null) return "—";
  if (unit === "GFLOP/s") return value.toFixed(1);
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
}

async function main(): Promise<void> {
  const { values } = commandLine(COMMAND);
  silenceNodeBanner();
  const quick = values.quick;
  const runs = quick ? 1 : values.runs;
  const threads = values.threads ?? availableCores();
  const jsonPath = values.json;
  const wanted = values.workloads.split(",");
  const workloads = WORKLOADS.filter((w) => wanted.includes(w.id));

  const probe = await probeWebGpu({ allowSoftwareAdapter: true });
  const all: BenchBackend[] = [
    {
      label: "cpu",
      start: async () => (await selectBackend({ prefer: "cpu" })).summary,
    },
    ...[1, threads].flatMap((count) =>
      (["fma", "xnnpack"] as const).map((matmul) => ({
        label: `wasm-${count === 1 ? 1 : "N"}${matmul === "fma" ? "" : "-xnnpack"}`,
        start: async () => {
          const info = await useWasm({ threads: count, matmul });
          return `wasm ${info.flavor}, ${info.threads} thread${info.threads > 1 ? "s" : ""}, ` +
            `products on ${info.matmul}`;
        },
      }))
    ),
  ];
  if (probe.adapter) {
    all.push({
      label: "webgpu",
      start: async () => {
        const info = await useWebGpu({ allowSoftwareAdapter: true });
        return `webgpu on ${info.description}${info.software ? " (software)" : ""}`;
      },
    });
  }
  // The -xnnpack variants (tfjs's own products, for comparison) run only when named.
  const backendNames = (values.backends ??
    all.map((b) => b.label).filter((l) => !l.endsWith("-xnnpack")).join(",")).split(",");
  const backends = all.filter((b) => backendNames.includes(b.label));

  const result: BenchResult = {
    date: new Date().toISOString(),
    machine: {
      cores: availableCores(),
      cpu: cpuModel(),
      os: `${Deno.build.os} ${Deno.build.arch}`,
      deno: Deno.version.deno,
      v8: Deno.version.v8,
    },
    tfjs: tf.version_core,
    backends: {},
    load: {},
    cells: [],
    threadSpeedup: {},
  };
  if (!probe.adapter) result.backends.webgpu = `not run: ${probe.reason}`;
  print(
    `tfjs ${result.tfjs} · Deno ${result.machine.deno} · ${result.machine.cores} cores · ` +
      `${result.machine.cpu}`,
  );

  for (const backend of backends) {
    let description: string;
    try {
      description = await backend.start();
    } catch (error) {
      result.backends[backend.label] = `failed to start: ${(error as Error).message}`;
      print(`${backend.label}: ${result.backends[backend.label]}`);
      continue;
    }
    result.backends[backend.label] = description;
    result.load[backend.label] = Deno.loadavg()[0];
    print(`\n${backend.label}: ${description} (load average ${Deno.loadavg()[0].toFixed(2)})`);
    for (const workload of workloads) {
      const cell: BenchCell = {
        backend: backend.label,
        workload: workload.id,
        unit: workload.unit,
        median: null,
        runs: [],
        size: "",
      };
      let prepared;
      try {
        prepared = await workload.prepare({ quick, backend: backend.label });
        cell.size = prepared.size;
        if (prepared.slow) {
          cell.note = "one cold run (too slow for warm-up + repeats)";
          cell.runs.push(await prepared.run());
        } else {
          const warmStart = performance.now();
          await prepared.run(); // warm-up: compiles kernels, allocates, JIT
          const warmSeconds = (performance.now() - warmStart) / 1000;
          // Slow cells (e.g. software WebGPU) get a single timed run after the warm-up.
          const n = warmSeconds > 15 ? 1 : runs;
          if (n < runs) cell.note = "one run after warm-up (warm-up took > 15 s)";
          for (let i = 0; i < n; i++) cell.runs.push(await prepared.run());
        }
        cell.median = median(cell.runs);
      } catch (error) {
        cell.error = (error as Error).message.split("\n")[0];
      } finally {
        prepared?.dispose();
      }
      result.cells.push(cell);
      print(
        `  ${workload.id} ${workload.title.padEnd(40)} ${
          cell.error ? `error: ${cell.error}` : `${format(cell.median, cell.unit)} ${cell.unit}`
        }  (${cell.size}; runs ${cell.runs.map((r) => format(r, cell.unit)).join(", ")})`,
      );
    }
    if (backend.label.startsWith("wasm")) await releaseWasm();
  }

  for (const workload of workloads) {
    const one = result.cells.find((c) => c.backend === "wasm-1" && c.workload === workload.id);
    const many = result.cells.find((c) => c.backend === "wasm-N" && c.workload === workload.id);
    if (one?.median && many?.median) {
      result.threadSpeedup[workload.id] = workload.higherIsBetter
        ? many.median / one.median
        : one.median / many.median;
    }
  }

  // The table: workloads × backends.
  const labels = backends.map((b) => b.label).filter((l) =>
    result.cells.some((c) => c.backend === l)
  );
  const rows = workloads.map((workload) => {
    const cells = labels.map((l) =>
      result.cells.find((c) => c.backend === l && c.workload === workload.id)
    );
    const ratio = result.threadSpeedup[workload.id];
    return [
      `${workload.id} ${workload.title} [${workload.unit}]`,
      ...cells.map((c) => format(c?.median ?? null, workload.unit)),
      ratio ? `${ratio.toFixed(2)}×` : "—",
    ];
  });
  print(`\n${textTable(["workload", ...labels, "wasm-N/1"], rows, { gap: "   " })}`);
  await Deno.mkdir(jsonPath.split("/").slice(0, -1).join("/") || ".", { recursive: true });
  await Deno.writeTextFile(jsonPath, JSON.stringify(result, null, 2) + "\n");
  print(`\nJSON: ${jsonPath}`);
}

if (import.meta.main) await main();
