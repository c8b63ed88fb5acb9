/**
 * Training kernels for tfjs's `wasm` backend that tfjs 4.22 lacks or runs slowly.
 *
 * - `Conv2DBackpropFilter` (missing: every Conv1D/Conv2D `fit` fails on `wasm`):
 *   the filter gradient as one matrix product, dW = im2colᵀ · dY, where im2colᵀ is
 *   built from strided slices of the padded input, so the work is one matrix product.
 * - `UnsortedSegmentSum` (missing: the gradient of `gather`, hence of `Embedding`):
 *   a scatter-add that touches each input row once, O(rows × width) — the `cpu`
 *   kernel loops over every segment for every row, O(vocabulary × rows × width).
 * - `MaxPoolGrad` (wrong in tfjs-wasm 4.22: windows whose maximum is negative get no
 *   gradient): the `cpu` kernel's search, as a loop over the wasm heap.
 * - `BatchMatMul` and `_FusedMatMul` (every Dense layer, forward and backward): float32
 *   products of one matrix pair run on the library's fused multiply-add kernel
 *   (`_gemm.ts`), which reads transposed operands in place; `_FusedMatMul` then adds
 *   the bias and applies the activation with tfjs's own kernels. Without that kernel
 *   (`useWasm({ matmul: "xnnpack" })`, or a runtime without relaxed SIMD), transposed
 *   products — which tfjs-wasm 4.22 runs through a slow path that ignores the thread
 *   pool — are transposed explicitly and run on XNNPACK's fast, threaded plain path.
 *
 * Every kernel here is a composition of tfjs's own wasm kernels, a plain loop over the
 * wasm heap, or the FMA product, so results match the `cpu` backend up to float
 * rounding; `tests/backend/wasm_kernels_test.ts` and `tests/backend/_gemm_test.ts`
 * check them op by op.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { MAX_PACKED_BYTES, packedBytes, WorkerLostError } from "./_gemm.ts";
import { wasmBackendState } from "./_registry.ts";
import { addRowsToSegments } from "./_segment_sum.ts";

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

/** Int32 view of the whole wasm heap (bit-exact copies of any 4-byte dtype). */
function heap32(backend: BackendWasm): Int32Array {
  return new Int32Array((backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer);
}

/** Index of a tensor's first element in {@linkcode heap32}. */
function offset32(backend: BackendWasm, x: Info): number {
  return (backend.dataIdMap.get(x.dataId) as { memoryOffset: number }).memoryOffset / 4;
}

/**
 * dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + kh − top, ow·sw + kw − left, ci] · dy[n, oh, ow, co]
 * = (im2col)ᵀ · dY, with im2col[(n, oh, ow), (kh, kw, ci)] the input patch under output
 * (n, oh, ow) (zero outside the input). In NHWC each patch row of kw·ci values is one
 * contiguous run of the input, so im2col is built by block copies inside the wasm heap;
 * the product runs on XNNPACK.
 */
function conv2DBackpropFilter(args: KernelArgs): Info {
  const backend = args.backend as BackendWasm;
  const { x: x0, dy: dy0 } = args.inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
    strides: [number, number] | number;
    pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
    dataFormat: "NHWC" | "NCHW";
    dimRoundingMode?: "floor" | "round" | "ceil";
    filterShape: [number, number, number, number];
  };
  // Work in NHWC.
  const nchw = dataFormat === "NCHW";
  const x = nchw ? run(backend, "Transpose", { x: x0 }, { perm: [0, 2, 3, 1] }) : x0;
  const dy = nchw ? run(backend, "Transpose", { x: dy0 }, { perm: [0, 2, 3, 1] }) : dy0;
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
  const [batch, height, width, inChannels] = x.shape;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { outHeight: oh, outWidth: ow, outChannels } = info;
  const { top, left } = info.padInfo;
  const rows = batch * oh * ow;
  const cols = kh * kw * inChannels;
  const im2col = backend.makeOutput([1, rows, cols], "float32");
  // Views after allocating: allocation may grow (and replace) the heap buffer.
  const heap = heap32(backend);
  const base = offset32(backend, im2col);
  const xBase = offset32(backend, x);
  // Zeros are only needed where a patch hangs over the border (padding, or a rounded-up
  // output size); otherwise every element is written below.
  const covered = top <= 0 && left <= 0 && (oh - 1) * sh + kh <= height &&
    (ow - 1) * sw + kw <= width;
  if (!covered) heap.fill(0, base, base + rows * cols);
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < oh; r++) {
      for (let i = 0; i < kh; i++) {
        const h = r * sh + i - top;
        if (h < 0 || h >= height) continue;
        const xRow = xBase + (n * height + h) * width * inChannels;
        let dst = base + ((n * oh + r) * ow) * cols + i * kw * inChannels;
        for (let c = 0; c < ow; c++, dst += cols) {
          const w0 = c * sw - left;
          const from = Math.max(w0, 0);
          const to = Math.min(w0 + kw, width);
          if (from >= to) continue;
          heap.copyWithin(
            dst + (from - w0) * inChannels,
            xRow + from * inChannels,
            xRow + to * inChannels,
          );
        }
      }
    }
  }
  const dy3 = run(backend, "Reshape", { x: dy }, { shape: [1, rows, outChannels] });
  // (im2col)ᵀ · dY; the transpose goes through fastBatchMatMul's explicit transpose.
  const product = run(backend, "BatchMatMul", { a: im2col, b: dy3 }, {
    transposeA: true,
    transposeB: false,
  });
  const dw = run(backend, "Reshape", { x: product }, { shape: filterShape });
  free(backend, product, dy3, im2col);
  if (nchw) free(backend, x, dy);
  return dw;
}

/**
 * out[s, …] = Σ_{i : ids[i] = s} x[i, …] for 0 ≤ s < numSegments (ids outside are
 * dropped, as in TensorFlow). One pass over the rows of `x` (`addRowsToSegments`), in
 * the wasm heap.
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
  addRowsToSegments(values, xs, ids, numSegments, width);
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

/**
 * dx for a stride-1 convolution, as a forward convolution on XNNPACK: the correlation of
 * dy (padded by kh − 1 − top above, kh − 1 − bottom below, likewise left/right) with the
 * filter rotated 180° and its channel axes swapped,
 *   dx[n, h, w, ci] = Σ_{i, j, co} dyPad[n, h + i, w + j, co] · W[kh−1−i, kw−1−j, ci, co].
 * tfjs-wasm's own kernel is a scalar C++ loop, about 10× slower. Strided convolutions
 * keep tfjs's kernel.
 */
function fastConv2DBackpropInput(original: tf.KernelFunc): tf.KernelFunc {
  const kernel = (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as {
      strides: [number, number] | number;
      pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
      dataFormat: "NHWC" | "NCHW";
      dimRoundingMode?: "floor" | "round" | "ceil";
      inputShape: [number, number, number, number];
    };
    if (dataFormat === "NCHW") return original(args);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { filterHeight: kh, filterWidth: kw, strideHeight, strideWidth, padInfo } = info;
    const pads = [
      kh - 1 - padInfo.top,
      kh - 1 - padInfo.bottom,
      kw - 1 - padInfo.left,
      kw - 1 - padInfo.right,
    ];
    if (strideHeight !== 1 || strideWidth !== 1 || pads.some((p) => p < 0)) return original(args);
    const reversed = run(backend, "Reverse", { x: filter }, { dims: [0, 1] });
    const flipped = run(backend, "Transpose", { x: reversed }, { perm: [0, 1, 3, 2] });
    const dx = run(backend, "Conv2D", { x: dy, filter: flipped }, {
      strides: [1, 1],
      pad: [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]],
      dataFormat: "NHWC",
      dilations: [1, 1],
      ...(dimRoundingMode ? { dimRoundingMode } : {}),
    });
    free(backend, reversed, flipped);
    return dx;
  };
  return mark(kernel);
}

/**
 * `Equal` with broadcasting, as one pass over the output. tfjs-wasm's own broadcasting
 * path is ~10× slower than its same-shape path; the gradient of `GlobalMaxPooling1D`
 * (`x == max(x)`, broadcast over time) took 200 ms per batch of W3 there.
 */
function broadcastEqual(original: tf.KernelFunc): tf.KernelFunc {
  const kernel = (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: Info; b: Info };
    if (tf.util.arraysEqual(a.shape, b.shape) || a.dtype !== b.dtype) return original(args);
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const rank = shape.length;
    const out = backend.makeOutput(shape, "bool");
    const total = tf.util.sizeFromShape(shape);
    if (total === 0) return out;
    const result = backend.typedArrayFromHeap(out);
    const as = backend.typedArrayFromHeap(a);
    const bs = backend.typedArrayFromHeap(b);
    // Per output axis, how far each input index moves (0 where that input broadcasts).
    const step = (x: Info) => {
      const padded = [...Array(rank - x.shape.length).fill(1), ...x.shape];
      const strides = Array(rank).fill(0);
      for (let d = rank - 1, s = 1; d >= 0; d--) {
        strides[d] = padded[d] === 1 ? 0 : s;
        s *= padded[d];
      }
      return strides;
    };
    const aStep = step(a);
    const bStep = step(b);
    // Innermost axis in a tight loop; the odometer below moves once per row.
    const inner = shape[rank - 1];
    const aIn = aStep[rank - 1];
    const bIn = bStep[rank - 1];
    const counter = Array(rank).fill(0);
    let ai = 0;
    let bi = 0;
    for (let o = 0; o < total; o += inner) {
      for (let k = 0, ia = ai, ib = bi; k < inner; k++, ia += aIn, ib += bIn) {
        result[o + k] = as[ia] === bs[ib] ? 1 : 0;
      }
      for (let d = rank - 2; d >= 0; d--) {
        ai += aStep[d];
        bi += bStep[d];
        if (++counter[d] < shape[d]) break;
        ai -= aStep[d] * shape[d];
        bi -= bStep[d] * shape[d];
        counter[d] = 0;
      }
    }
    return out;
  };
  return mark(kernel);
}

/**
 * `GatherV2` along axis 0 (every `Embedding` lookup) as block copies inside the wasm
 * heap, ~5× faster than tfjs-wasm's kernel; other axes keep tfjs's kernel.
 */
function fastGather(original: tf.KernelFunc): tf.KernelFunc {
  const kernel = (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const { x, indices } = args.inputs as { x: Info; indices: Info };
    const { axis, batchDims } = args.attrs as unknown as { axis: number; batchDims: number };
    const axis0 = tf.util.parseAxisParam(axis, x.shape)[0] === 0;
    if (!axis0 || batchDims !== 0 || x.dtype === "string" || indices.dtype !== "int32") {
      return original(args);
    }
    const rows = x.shape[0];
    const width = tf.util.sizeFromShape(x.shape.slice(1));
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const heap = heap32(backend);
    const ids = backend.typedArrayFromHeap(indices);
    const src = offset32(backend, x);
    let dst = offset32(backend, out);
    for (let i = 0; i < ids.length; i++, dst += width) {
      const id = ids[i];
      if (id < 0 || id >= rows) {
        throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
      }
      heap.copyWithin(dst, src + id * width, src + (id + 1) * width);
    }
    return out;
  };
  return mark(kernel);
}

const PARALLEL = Symbol.for("tfjs-deno.parallelWhenLarge");

type FlopEstimate = (inputs: Record<string, Info>, attrs: Attrs) => number;

const size = (x: Info) => tf.util.sizeFromShape(x.shape);

/** Multiply-adds × 2 of the heavy kernels, from their input shapes. */
const FLOPS: Record<string, FlopEstimate> = {
  BatchMatMul: ({ a, b }, { transposeB }) =>
    2 * size(a) * b.shape[b.shape.length - (transposeB ? 2 : 1)],
  _FusedMatMul: ({ a, b }, { transposeB }) =>
    2 * size(a) * b.shape[b.shape.length - (transposeB ? 2 : 1)],
  Conv2D: ({ x, filter }) => 2 * (size(x) / x.shape[3]) * size(filter),
  FusedConv2D: ({ x, filter }) => 2 * (size(x) / x.shape[3]) * size(filter),
  Conv2DBackpropInput: ({ dy, filter }) => 2 * (size(dy) / dy.shape[3]) * size(filter),
};

/**
 * Run a heavy kernel on the thread pool only when it is big enough to pay for waking
 * the workers (see `minParallelFlops` of `useWasm`); everything else runs on the main
 * thread alone. Without a policy (single-threaded module) it changes nothing.
 */
function parallelWhenLarge(original: tf.KernelFunc, flops: FlopEstimate): tf.KernelFunc {
  const kernel = (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const policy = wasmBackendState(backend).parallel;
    if (!policy) return original(args);
    const work = flops(args.inputs as Record<string, Info>, args.attrs ?? {});
    if (work < policy.minFlops) return original(args);
    policy.pool.use(policy.pool.threads);
    try {
      return original(args);
    } finally {
      policy.pool.use(1);
    }
  };
  return Object.assign(kernel, { [PARALLEL]: true, [OURS]: true }) as unknown as tf.KernelFunc;
}

/**
 * a · b (optionally transposed) on the library's FMA kernel (`_gemm.ts`), reading the
 * operands in place through their strides. `undefined` when it does not apply: no
 * engine (runtime without relaxed SIMD), not float32, empty, or a batched product
 * (more than one matrix on either side), which stays on XNNPACK.
 */
function fmaProduct(
  backend: BackendWasm,
  a: Info,
  b: Info,
  transposeA: boolean,
  transposeB: boolean,
): Info | undefined {
  const engine = wasmBackendState(backend).matmul;
  if (!engine || a.dtype !== "float32" || b.dtype !== "float32") return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (size(a) === 0 || size(b) === 0) return undefined;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  if (tf.util.sizeFromShape(batchA) !== 1 || tf.util.sizeFromShape(batchB) !== 1) {
    return undefined;
  }
  // Stored shapes: a is [m, k] or, transposed, [k, m]; b is [k, n] or [n, k].
  const [m, k] = transposeA
    ? [a.shape[ra - 1], a.shape[ra - 2]]
    : [a.shape[ra - 2], a.shape[ra - 1]];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  // A packed copy of B over 1 GiB (a huge, or huge and narrow, B) stays on XNNPACK.
  if (packedBytes(n, k) > MAX_PACKED_BYTES) return undefined;
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(batchA, batchB);
  const out = backend.makeOutput([...batch, m, n], "float32");
  const address = (x: Info) => offset32(backend, x) * 4;
  try {
    engine.product(
      // A[i, kk]: row i, column kk of the logical (untransposed) A.
      transposeA
        ? { address: address(a), rowStride: 4, colStride: 4 * m }
        : { address: address(a), rowStride: 4 * k, colStride: 4 },
      // B[kk, j].
      transposeB
        ? { address: address(b), rowStride: 4, colStride: 4 * k }
        : { address: address(b), rowStride: 4 * n, colStride: 4 },
      address(out),
      m,
      n,
      k,
    );
  } catch (error) {
    // A lost worker may still write into `out`: then it must stay allocated.
    if (!(error instanceof WorkerLostError)) free(backend, out);
    throw error;
  }
  return out;
}

/**
 * `BatchMatMul` on the FMA kernel where it applies; otherwise the transposed operand is
 * transposed explicitly and the product runs on tfjs's plain (fast, threaded) path.
 */
function fastBatchMatMul(original: tf.KernelFunc): tf.KernelFunc {
  const kernel = (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const fma = fmaProduct(backend, a, b, transposeA, transposeB);
    if (fma) return fma;
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
  return mark(kernel);
}

/** The activations of `_FusedMatMul`, as the wasm kernels that apply them. */
const ACTIVATIONS: Record<string, (backend: BackendWasm, x: Info, args: KernelArgs) => Info> = {
  relu: (backend, x) => run(backend, "Relu", { x }),
  relu6: (backend, x) => run(backend, "Relu6", { x }),
  elu: (backend, x) => run(backend, "Elu", { x }),
  sigmoid: (backend, x) => run(backend, "Sigmoid", { x }),
  leakyrelu: (backend, x, args) =>
    run(backend, "LeakyRelu", { x }, {
      alpha: (args.attrs as { leakyreluAlpha?: number }).leakyreluAlpha ?? 0.2,
    }),
  prelu: (backend, x, args) => {
    const alpha = (args.inputs as { preluActivationWeights: Info }).preluActivationWeights;
    const n = x.shape[x.shape.length - 1];
    // tfjs-wasm's Prelu handles one weight per column (or one for all) only.
    if (size(alpha) === 1 || (size(alpha) === n && alpha.shape[alpha.shape.length - 1] === n)) {
      return run(backend, "Prelu", { x, alpha });
    }
    // Any other broadcast: prelu(x) = relu(x) − alpha · relu(−x).
    const negated = run(backend, "Neg", { x });
    const negativePart = run(backend, "Relu", { x: negated });
    const scaled = run(backend, "Multiply", { a: alpha, b: negativePart });
    const positivePart = run(backend, "Relu", { x });
    const out = run(backend, "Sub", { a: positivePart, b: scaled });
    free(backend, negated, negativePart, scaled, positivePart);
    return out;
  },
};

/**
 * `_FusedMatMul` (a Dense layer's forward pass: product, bias, activation) with the
 * product on the FMA kernel where it applies, then tfjs's own `Add` and activation.
 */
function fastFusedMatMul(original: tf.KernelFunc): tf.KernelFunc {
  const kernel = (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const { a, b, bias } = args.inputs as { a: Info; b: Info; bias?: Info };
    const { transposeA, transposeB, activation = "linear" } = args.attrs as {
      transposeA: boolean;
      transposeB: boolean;
      activation?: string;
    };
    const activate = ACTIVATIONS[activation];
    if (activation !== "linear" && !activate) return original(args);
    let out = fmaProduct(backend, a, b, transposeA, transposeB);
    if (!out) return original(args);
    if (bias) {
      const biased = run(backend, "Add", { a: out, b: bias });
      free(backend, out);
      out = biased;
    }
    if (activate) {
      const activated = activate(backend, out, args);
      free(backend, out);
      out = activated;
    }
    return out;
  };
  return mark(kernel);
}

/** Tag a kernel function as this module's (see {@linkcode isOurs}). */
function mark(kernel: (args: never) => Info | Info[]): tf.KernelFunc {
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
  "Conv2DBackpropInput",
  "Equal",
  "GatherV2",
  "BatchMatMul",
  "_FusedMatMul",
];

/**
 * Register the training kernels described in this module's docs for the `wasm`
 * backend. Idempotent; {@linkcode useWasm} calls it, so lessons never need to. Takes
 * effect at the next `tf.setBackend("wasm")`.
 *
 * @returns The kernel names now served by this module.
 * @example
 * ```ts
 * import { registerWasmTrainingKernels } from "@lib";
 * console.log(registerWasmTrainingKernels()); // ["Conv2DBackpropFilter", …]
 * ```
 */
export function registerWasmTrainingKernels(): string[] {
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
  /** Replace a tfjs kernel with a wrapper that can fall back to it. */
  const wrap = (name: string, wrapper: (original: tf.KernelFunc) => tf.KernelFunc) => {
    const current = tf.getKernel(name, "wasm");
    if (!current) return;
    if (!isOurs(name)) {
      tf.unregisterKernel(name, "wasm");
      tf.registerKernel({ ...current, kernelFunc: wrapper(current.kernelFunc) });
    }
    done.push(name);
  };
  wrap("Conv2DBackpropInput", fastConv2DBackpropInput);
  wrap("Equal", broadcastEqual);
  wrap("GatherV2", fastGather);
  wrap("BatchMatMul", fastBatchMatMul);
  wrap("_FusedMatMul", fastFusedMatMul);

  // Outermost layer: the thread-pool policy around every heavy kernel (ours or tfjs's).
  for (const [name, flops] of Object.entries(FLOPS)) {
    const current = tf.getKernel(name, "wasm");
    if (!current || PARALLEL in current.kernelFunc) continue;
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ ...current, kernelFunc: parallelWhenLarge(current.kernelFunc, flops) });
  }
  return done;
}
