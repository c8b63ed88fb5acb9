/**
 * A faster `UnsortedSegmentSum` for tfjs's `cpu` backend — the gradient of `gather`,
 * hence of every `Embedding` layer.
 *
 * tfjs 4.22's `cpu` kernel builds one mask per segment and sums it, so its cost grows
 * with vocabulary × batch × width: training the Keras text-CNN (vocabulary 5,000) on
 * `cpu` spends nearly all its time there (0.08 samples/s). This one touches each input
 * row once.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { addRowsToSegments } from "./_segment_sum.ts";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The parts of tfjs's `MathBackendCPU` this kernel uses. */
interface CpuBackend {
  data: { get(dataId: object): { values: tf.backend_util.BackendValues } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo;
}

const OURS = Symbol.for("tfjs-deno.cpuTrainingKernel");

function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as CpuBackend;
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as unknown as { numSegments: number };
  const inner = x.shape.slice(segmentIds.shape.length);
  const width = tf.util.sizeFromShape(inner);
  const xs = backend.data.get(x.dataId).values as tf.TypedArray;
  const ids = backend.data.get(segmentIds.dataId).values as tf.TypedArray;
  const out = x.dtype === "int32"
    ? new Int32Array(numSegments * width)
    : new Float32Array(numSegments * width);
  addRowsToSegments(out, xs, ids, numSegments, width);
  return backend.makeTensorInfo([numSegments, ...inner], x.dtype, out);
}

/**
 * Register the fast `UnsortedSegmentSum` for the `cpu` backend. Idempotent;
 * {@linkcode selectBackend} calls it.
 *
 * @returns The kernel names now served by this module.
 * @example
 * ```ts
 * import { registerCpuTrainingKernels } from "@lib";
 * registerCpuTrainingKernels(); // ["UnsortedSegmentSum"]
 * ```
 */
export function registerCpuTrainingKernels(): string[] {
  const current = tf.getKernel("UnsortedSegmentSum", "cpu");
  if (!current || !(OURS in current.kernelFunc)) {
    if (current) tf.unregisterKernel("UnsortedSegmentSum", "cpu");
    tf.registerKernel({
      kernelName: "UnsortedSegmentSum",
      backendName: "cpu",
      kernelFunc: Object.assign(unsortedSegmentSum, { [OURS]: true }) as unknown as tf.KernelFunc,
    });
  }
  return ["UnsortedSegmentSum"];
}
