/**
 * Training kernels for tfjs's `wasm` backend that tfjs 4.22 lacks or runs slowly.
 *
 * - `Conv2DBackpropFilter` (missing: every Conv1D/Conv2D `fit` fails on `wasm`):
 *   the filter gradient as one matrix product, dW = im2colᵀ · dY, where im2colᵀ is
 *   built from strided slices of the padded input, so the work runs in XNNPACK.
 * - `UnsortedSegmentSum` (missing: the gradient of `gather`, hence of `Embedding`):
 *   a scatter-add that touches each input row once, O(rows × width) — the `cpu`
 *   kernel loops over every segment for every row, O(vocabulary × rows × width).
 * - `MaxPoolGrad` (wrong in tfjs-wasm 4.22: windows whose maximum is negative get no
 *   gradient): the `cpu` kernel's search, as a loop over the wasm heap.
 * - `BatchMatMul` with `transposeA` / `transposeB` (what backprop of every Dense layer
 *   calls): tfjs-wasm 4.22 runs those through a slow path that ignores the thread
 *   pool; here the transposed operand is transposed explicitly and the product runs
 *   on the fast, threaded plain path.
 *
 * Every kernel here is a composition of tfjs's own wasm kernels (or a plain loop over
 * the wasm heap), so results match the `cpu` backend up to float rounding; the tests in
 * `tests/backend/wasm_kernels_test.ts` check the gradients op by op.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

type Info = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;
/** The argument every kernel function receives. */
type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Marks our kernel functions so that registering twice is a no-op. */
const OURS = Symbol.for("tfjs-deno.wasmTrainingKernel");

/** Run one registered `wasm` kernel directly (no tape, no engine bookkeeping). */
function run(
  backend: BackendWasm,
  name: string,
  inputs: Record<string, Info> | Info[],
  attrs: Attrs = {},
): Info {
  const kernel = tf.getKernel(name, "wasm");
  if (!kernel) throw new Error(`wasm kernel ${name} is not registered`);
  const out = kernel.kernelFunc({
    inputs: inputs as tf.NamedTensorInfoMap,
    backend,
    attrs,
  });
  return Array.isArray(out) ? out[0] : out;
}

function free(backend: BackendWasm, ...infos: Info[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Swap the last two axes. */
function transposeLast2(backend: BackendWasm, x: Info): Info {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return run(backend, "Transpose", { x }, { perm });
}

/**
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} xPad[n, oh·sh + kh, ow·sw + kw, ci] · dy[n, oh, ow, co].
 * Row (kh, kw, ci) of im2colᵀ is the strided slice of xPad for tap (kh, kw), channel ci.
 */
function conv2DBackpropFilter(
  args: KernelArgs,
): Info {
  const backend = args.backend as BackendWasm;
  const { x: x0, dy: dy0 } = args.inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
    strides: [number, number] | number;
    pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
    dataFormat: "NHWC" | "NCHW";
    dimRoundingMode?: "floor" | "round" | "ceil";
    filterShape: [number, number, number, number];
  };
  const temps: Info[] = [];
  // Work in NHWC.
  const nchw = dataFormat === "NCHW";
  const x = nchw ? run(backend, "Transpose", { x: x0 }, { perm: [0, 2, 3, 1] }) : x0;
  const dy = nchw ? run(backend, "Transpose", { x: dy0 }, { perm: [0, 2, 3, 1] }) : dy0;
  if (nchw) temps.push(x, dy);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    "channelsLast",
  );
  const [batch, , , inChannels] = x.shape;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow, outChannels, padInfo } = info;
  const { top, bottom, left, right } = padInfo;
  const padded = top || bottom || left || right
    ? run(backend, "PadV2", { x }, {
      paddings: [[0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [
        Math.max(left, 0),
        Math.max(right, 0),
      ], [0, 0]],
      constantValue: 0,
    })
    : x;
  if (padded !== x) temps.push(padded);
  // Channels first, so that each tap's slice reshapes to [ci, n·oh·ow] rows directly.
  const xT = run(backend, "Transpose", { x: padded }, { perm: [3, 0, 1, 2] });
  temps.push(xT);
  const m = batch * oh * ow;
  const rows: Info[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const tap = run(backend, "StridedSlice", { x: xT }, {
        begin: [0, 0, i, j],
        end: [inChannels, batch, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1],
        strides: [1, 1, sh, sw],
        beginMask: 0,
        endMask: 0,
        ellipsisMask: 0,
        newAxisMask: 0,
        shrinkAxisMask: 0,
      });
      const row = run(backend, "Reshape", { x: tap }, { shape: [inChannels, m] });
      free(backend, tap);
      rows.push(row);
    }
  }
  const im2colT = rows.length === 1 ? rows[0] : run(backend, "Concat", rows, { axis: 0 });
  if (rows.length > 1) temps.push(...rows);
  temps.push(im2colT);
  const dy2 = run(backend, "Reshape", { x: dy }, { shape: [1, m, outChannels] });
  const a3 = run(backend, "Reshape", { x: im2colT }, { shape: [1, kh * kw * inChannels, m] });
  temps.push(dy2, a3);
  const product = run(backend, "BatchMatMul", { a: a3, b: dy2 }, {
    transposeA: false,
    transposeB: false,
  });
  const dw = run(backend, "Reshape", { x: product }, { shape: filterShape });
  free(backend, product, ...temps);
  return dw;
}

/**
 * out[s, …] = Σ_{i : ids[i] = s} x[i, …] for 0 ≤ s < numSegments (ids outside are
 * dropped, as in TensorFlow). One pass over the rows of `x`.
 */
function unsortedSegmentSum(
  args: KernelArgs,
): Info {
  const backend = args.backend as BackendWasm;
  const { x, segmentIds } = args.inputs as { x: Info; segmentIds: Info };
  const { numSegments } = args.attrs as unknown as { numSegments: number };
  const width = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = backend.makeOutput(outShape, x.dtype);
  // Read inputs after allocating: allocation may grow (and move) the heap.
  const values = backend.typedArrayFromHeap(out);
  values.fill(0);
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * width;
    const to = segment * width;
    for (let k = 0; k < width; k++) values[to + k] += xs[from + k];
  }
  return out;
}

/**
 * dx[b, h, w, c] = Σ dy[b, oh, ow, c] over the windows whose (first) maximum is at
 * (h, w). tfjs-wasm 4.22's own `MaxPoolGrad` drops the gradient of every window whose
 * maximum is negative (it starts its search from the smallest *positive* float), so
 * `MaxPooling` layers trained wrong on `wasm` whenever their input could be negative.
 * Same search as the `cpu` kernel: padding excluded, ties to the first in row-major order.
 */
function maxPoolGrad(args: KernelArgs): Info {
  const backend = args.backend as BackendWasm;
  const { dy, input } = args.inputs as { dy: Info; input: Info };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as {
    filterSize: [number, number] | number;
    strides: [number, number] | number;
    pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
    dimRoundingMode?: "floor" | "round" | "ceil";
  };
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [batch, height, width, channels] = input.shape;
  const { outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = backend.makeOutput(input.shape, "float32");
  const dxs = backend.typedArrayFromHeap(dx);
  dxs.fill(0);
  const xs = backend.typedArrayFromHeap(input);
  const dys = backend.typedArrayFromHeap(dy);
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * strideHeight - top;
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        for (let c = 0; c < channels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let fh = 0; fh < effectiveFilterHeight; fh += dilationHeight) {
            const h = h0 + fh;
            if (h < 0 || h >= height) continue;
            for (let fw = 0; fw < effectiveFilterWidth; fw += dilationWidth) {
              const w = w0 + fw;
              if (w < 0 || w >= width) continue;
              const index = ((b * height + h) * width + w) * channels + c;
              if (xs[index] > best) {
                best = xs[index];
                at = index;
              }
            }
          }
          if (at >= 0) dxs[at] += dys[((b * outHeight + oh) * outWidth + ow) * channels + c];
        }
      }
    }
  }
  return dx;
}

/** A `BatchMatMul` that hands transposed products to the plain (fast) path. */
function fastBatchMatMul(original: tf.KernelFunc): tf.KernelFunc {
  const kernel = (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const a2 = transposeA ? transposeLast2(backend, a) : a;
    const b2 = transposeB ? transposeLast2(backend, b) : b;
    const out = original({
      ...args,
      inputs: { a: a2, b: b2 },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    if (a2 !== a) free(backend, a2);
    if (b2 !== b) free(backend, b2);
    return out;
  };
  return Object.assign(kernel, { [OURS]: true }) as unknown as tf.KernelFunc;
}

function mark(kernel: (args: never) => Info): tf.KernelFunc {
  return Object.assign(kernel, { [OURS]: true }) as unknown as tf.KernelFunc;
}

function isOurs(name: string): boolean {
  const kernel = tf.getKernel(name, "wasm");
  return kernel !== undefined && OURS in kernel.kernelFunc;
}

/** Names of the kernels {@linkcode registerWasmTrainingKernels} adds or replaces. */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  "Conv2DBackpropFilter",
  "UnsortedSegmentSum",
  "MaxPoolGrad",
  "BatchMatMul",
];

/**
 * Register the training kernels described in this module's docs for the `wasm`
 * backend. Idempotent; {@linkcode useWasm} calls it, so lessons never need to. Takes
 * effect at the next `tf.setBackend("wasm")`.
 *
 * @param options `fastTransposedMatMul: false` keeps tfjs's own `BatchMatMul`.
 * @returns The kernel names now served by this module.
 * @example
 * ```ts
 * import { registerWasmTrainingKernels } from "@lib";
 * registerWasmTrainingKernels(); // ["Conv2DBackpropFilter", "UnsortedSegmentSum", "MaxPoolGrad", "BatchMatMul"]
 * ```
 */
export function registerWasmTrainingKernels(
  options: {
    /** Replace `BatchMatMul` with the explicit-transpose version. @default {true} */
    fastTransposedMatMul?: boolean;
  } = {},
): string[] {
  const { fastTransposedMatMul = true } = options;
  const done: string[] = [];
  const add = (name: string, kernelFunc: tf.KernelFunc) => {
    if (isOurs(name)) {
      done.push(name);
      return;
    }
    if (tf.getKernel(name, "wasm")) tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc });
    done.push(name);
  };
  add("Conv2DBackpropFilter", mark(conv2DBackpropFilter));
  add("UnsortedSegmentSum", mark(unsortedSegmentSum));
  add("MaxPoolGrad", mark(maxPoolGrad));
  const matMul = tf.getKernel("BatchMatMul", "wasm");
  if (matMul && fastTransposedMatMul && !isOurs("BatchMatMul")) {
    tf.unregisterKernel("BatchMatMul", "wasm");
    tf.registerKernel({
      ...matMul,
      kernelFunc: Object.assign(fastBatchMatMul(matMul.kernelFunc), {
        original: matMul.kernelFunc,
      }) as tf.KernelFunc,
    });
  }
  if (matMul && !fastTransposedMatMul && isOurs("BatchMatMul")) {
    const original = (matMul.kernelFunc as { original?: tf.KernelFunc }).original;
    if (original) {
      tf.unregisterKernel("BatchMatMul", "wasm");
      tf.registerKernel({ ...matMul, kernelFunc: original });
    }
  }
  if (isOurs("BatchMatMul")) done.push("BatchMatMul");
  return done;
}
