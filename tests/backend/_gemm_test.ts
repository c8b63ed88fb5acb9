/**
 * The FMA matrix product of `lib/backend/_gemm.ts`: the committed binary is the one the
 * generator builds, products match a float64 reference for every transpose and edge
 * shape on 1 and 2 threads (both ways of splitting the work), and `useWasm` routes
 * `matMul` and Dense layers through it.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { buildGemmModule } from "../../tools/build_gemm.ts";
import {
  MAX_PACKED_BYTES,
  type Operand,
  packedBytes,
  waitForAnswer,
  type WasmHeap,
  WasmMatMul,
} from "../../lib/backend/_gemm.ts";
import { releaseWasm, selectBackend, useWasm } from "../../lib/backend/mod.ts";

Deno.test("_gemm_wasm.ts is what `deno task build:gemm` builds from tools/gemm_wat.ts", async () => {
  const committed = await Deno.readTextFile(
    new URL("../../lib/backend/_gemm_wasm.ts", import.meta.url),
  );
  assert.equal(committed, await buildGemmModule(), "run `deno task build:gemm`");
});

/** A shared memory with a bump allocator that records what is still allocated. */
function testHeap(): WasmHeap & { live: Set<number> } {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  let top = 1024;
  const live = new Set<number>();
  return {
    memory,
    live,
    malloc(bytes: number) {
      const pointer = top;
      top += Math.ceil(bytes / 64) * 64 + 64;
      const needed = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
      if (needed > 0) memory.grow(needed);
      live.add(pointer);
      return pointer;
    },
    free(pointer: number) {
      live.delete(pointer);
    },
  };
}

/** Seeded values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

interface Case {
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** Run one product on `engine`; returns C and the float64 reference. */
function runCase(engine: WasmMatMul, heap: WasmHeap, { m, k, n, transposeA, transposeB }: Case) {
  const av = values(m * k, m * 31 + k);
  const bv = values(k * n, n * 17 + k);
  const a = heap.malloc(av.byteLength);
  const b = heap.malloc(bv.byteLength);
  const c = heap.malloc(m * n * 4);
  new Float32Array(heap.memory.buffer, a, av.length).set(av);
  new Float32Array(heap.memory.buffer, b, bv.length).set(bv);
  // Stored layouts: A is m×k, or k×m when transposed; B is k×n, or n×k.
  const opA: Operand = transposeA
    ? { address: a, rowStride: 4, colStride: 4 * m }
    : { address: a, rowStride: 4 * k, colStride: 4 };
  const opB: Operand = transposeB
    ? { address: b, rowStride: 4, colStride: 4 * k }
    : { address: b, rowStride: 4 * n, colStride: 4 };
  engine.product(opA, opB, c, m, n, k);
  const result = new Float32Array(heap.memory.buffer.slice(c, c + m * n * 4));
  const at = (x: Float32Array, i: number, j: number, rows: number, cols: number, t: boolean) =>
    t ? x[j * rows + i] : x[i * cols + j];
  const expected = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let kk = 0; kk < k; kk++) {
        sum += at(av, i, kk, m, k, transposeA) * at(bv, kk, j, k, n, transposeB);
      }
      expected[i * n + j] = sum;
    }
  }
  for (const pointer of [a, b, c]) heap.free(pointer);
  return { result, expected };
}

// Edges: rows not a multiple of 6, columns not a multiple of 8, odd k, k across several
// 256-blocks, a single row or column, and shapes that split by rows (n ≤ 24) and by panels.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [6, 8, 8],
  [13, 1, 17],
  [64, 784, 128],
  [100, 300, 9],
  [12, 257, 16],
  [130, 600, 3],
  [5, 40, 200],
];
const CASES: Case[] = SHAPES.flatMap(([m, k, n]) =>
  [false, true].flatMap((transposeA) =>
    [false, true].map((transposeB) => ({ m, k, n, transposeA, transposeB }))
  )
);

for (const threads of [1, 2]) {
  Deno.test(`WasmMatMul.product() matches a float64 reference: 36 shapes × transposes, ${threads} thread(s)`, async () => {
    const heap = testHeap();
    // minParallelFlops 0: every product is split, however small.
    const engine = await WasmMatMul.start(heap, threads, 10_000, 0);
    try {
      assert.equal(engine.threads, threads);
      for (const testCase of CASES) {
        const { result, expected } = runCase(engine, heap, testCase);
        let worst = 0;
        for (let i = 0; i < expected.length; i++) {
          worst = Math.max(worst, Math.abs(result[i] - expected[i]) / (1 + Math.abs(expected[i])));
        }
        assert.ok(worst < 2e-5, `${JSON.stringify(testCase)}: relative error ${worst}`);
      }
    } finally {
      engine.terminate();
    }
    assert.equal(heap.live.size, 0, "every scratch and packing buffer is freed");
  });
}

Deno.test("WasmMatMul.product() gives bit-identical results on 1 and 2 threads", async () => {
  const heap = testHeap();
  const one = await WasmMatMul.start(heap, 1, 10_000, 0);
  const two = await WasmMatMul.start(heap, 2, 10_000, 0);
  try {
    for (const testCase of CASES.filter((c) => c.m * c.n > 100)) {
      assert.deepEqual(runCase(two, heap, testCase).result, runCase(one, heap, testCase).result);
    }
  } finally {
    one.terminate();
    two.terminate();
  }
});

Deno.test("WasmMatMul.product(): memory grown on the main thread for packing is usable by the worker", async () => {
  const heap = testHeap();
  const engine = await WasmMatMul.start(heap, 2, 10_000, 0);
  try {
    // Fill the initial 16 MiB, so that the packed B of the next product (split by column
    // panels: the worker packs and reads its own half) lands in freshly grown pages.
    const pages = heap.memory.buffer.byteLength / 65536;
    heap.malloc(pages * 65536 - 200_000);
    const { result, expected } = runCase(engine, heap, {
      m: 40,
      k: 300,
      n: 256,
      transposeA: false,
      transposeB: false,
    });
    assert.ok(heap.memory.buffer.byteLength / 65536 > pages, "the heap grew during the product");
    for (let i = 0; i < expected.length; i++) {
      assert.ok(Math.abs(result[i] - expected[i]) < 1e-3, `element ${i}`);
    }
  } finally {
    engine.terminate();
  }
});

Deno.test("waitForAnswer() returns at once on an answer, and gives up on a silent worker after its patience", () => {
  const control = new Int32Array(new SharedArrayBuffer(16));
  Atomics.store(control, 1, 7);
  assert.equal(waitForAnswer(control, 1, 7, 1_000), true);
  const start = performance.now();
  assert.equal(waitForAnswer(control, 1, 8, 150), false);
  const waited = performance.now() - start;
  assert.ok(waited >= 150 && waited < 2_000, `waited ${waited} ms`);
});

Deno.test("WasmMatMul.product() after terminate() is a clear error, not a hang", async () => {
  const heap = testHeap();
  const engine = await WasmMatMul.start(heap, 2, 10_000, 0);
  engine.terminate();
  const operand = { address: heap.malloc(64), rowStride: 16, colStride: 4 };
  assert.throws(() => engine.product(operand, operand, heap.malloc(64), 4, 4, 4), /terminated/);
});

Deno.test({
  name:
    "WasmMatMul.terminate() ends its worker threads (a worker left in Atomics.wait would keep the heap alive)",
  ignore: Deno.build.os !== "linux",
  async fn() {
    // Deno asks for --allow-all to read /proc/self itself; a child process may read it.
    const threads = () => {
      const { stdout } = new Deno.Command("cat", { args: [`/proc/${Deno.pid}/status`] })
        .outputSync();
      return Number(/Threads:\s+(\d+)/.exec(new TextDecoder().decode(stdout))![1]);
    };
    const heap = testHeap();
    const engine = await WasmMatMul.start(heap, 3, 10_000, 0);
    const running = threads();
    engine.terminate();
    let now = running;
    for (let i = 0; i < 40 && now > running - 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      now = threads();
    }
    assert.ok(now <= running - 2, `threads: ${running} with 2 workers, ${now} after terminate()`);
    assert.equal(heap.live.size, 0);
  },
});

Deno.test("packedBytes() pads B to 8 columns and even k; beyond MAX_PACKED_BYTES products stay on XNNPACK", () => {
  assert.equal(packedBytes(8, 4), 8 * 4 * 4);
  assert.equal(packedBytes(9, 5), 16 * 6 * 4);
  // A 2²⁷ × 1 B (512 MiB) needs 4 GiB packed: more than a 32-bit malloc can give.
  assert.ok(packedBytes(1, 2 ** 27) > MAX_PACKED_BYTES);
});

Deno.test("WasmMatMul.start() rejects a worker that does not boot in time, freeing what it took", async () => {
  const heap = testHeap();
  await assert.rejects(
    WasmMatMul.start(heap, 2, 0, 0),
    /matrix-product worker did not start within 0 ms/,
  );
  assert.equal(heap.live.size, 0);
});

Deno.test("useWasm() runs matMul and Dense layers (bias + activation) on the FMA kernel, matching cpu", async () => {
  const inputs = { x: values(50 * 70, 1), w: values(70 * 30, 2), bias: values(30, 3) };
  const compute = () =>
    tf.tidy(() => {
      const x = tf.tensor2d(inputs.x, [50, 70]);
      const w = tf.tensor2d(inputs.w, [70, 30]);
      const bias = tf.tensor1d(inputs.bias);
      return [
        tf.matMul(x, w),
        tf.matMul(w, x, true, true),
        ...(["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"] as const).map(
          (activation) => tf.fused.matMul({ a: x, b: w, bias, activation, leakyreluAlpha: 0.1 }),
        ),
        tf.fused.matMul({
          a: x,
          b: w,
          bias,
          activation: "prelu",
          preluActivationWeights: tf.fill([30], 0.3),
        }),
        // One PReLU weight per row: tfjs-wasm's own Prelu kernel broadcasts per column only.
        tf.fused.matMul({
          a: x,
          b: w,
          activation: "prelu",
          preluActivationWeights: tf.linspace(0, 1, 50).reshape([50, 1]),
        }),
        // Several k blocks of 256, odd k, and a single output column.
        tf.matMul(tf.tile(x, [1, 8]).slice([0, 0], [50, 513]), tf.ones([513, 1])),
        tf.matMul(tf.tile(x, [1, 8]).slice([0, 0], [50, 512]), tf.tile(w, [8, 1]).slice(0, 512)),
      ];
    });
  const read = (ts: tf.Tensor[]) =>
    Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
  try {
    for (const threads of [1, 2]) {
      const info = await useWasm({ threads, minParallelFlops: 0 });
      assert.equal(info.matmul, "fma");
      const onWasm = compute();
      const got = await read(onWasm);
      tf.dispose(onWasm);
      await selectBackend({ prefer: "cpu" });
      const onCpu = compute();
      const want = await read(onCpu);
      tf.dispose(onCpu);
      for (let i = 0; i < want.length; i++) {
        assert.equal(got[i].length, want[i].length);
        for (let j = 0; j < want[i].length; j++) {
          assert.ok(Math.abs(got[i][j] - want[i][j]) < 1e-4, `output ${i}[${j}]`);
        }
      }
    }
  } finally {
    await releaseWasm();
  }
});
