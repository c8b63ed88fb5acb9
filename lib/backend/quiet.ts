/**
 * Keeping tfjs quiet in Deno.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Marks a `cpu` backend factory already wrapped by {@linkcode silenceNodeBanner}. */
const QUIET = Symbol.for("tfjs-deno.quietCpuFactory");

type CpuBackend = tf.KernelBackend & { firstUse?: boolean };

function quiet(backend: CpuBackend): CpuBackend {
  if ("firstUse" in backend) backend.firstUse = false;
  return backend;
}

/**
 * Stop tfjs's `cpu` backend from printing its "Hi, looks like you are running
 * TensorFlow.js in Node.js…" banner. Deno defines `process`, so tfjs believes it runs in
 * Node.js and suggests `tfjs-node`, which does not apply to Deno. The banner is printed
 * on the first tensor a `cpu` backend stores; this marks that first use as done — on
 * the running `cpu` backend if there is one, and on every one tfjs creates later (its
 * factory is wrapped; nothing is started or switched). Nothing else changes: debug
 * mode, warnings and errors stay as they are. Idempotent. Importing `@lib` calls it, so
 * a tensor made before `selectBackend()` prints no banner either.
 *
 * @example
 * ```ts
 * import { silenceNodeBanner } from "@lib";
 * silenceNodeBanner();
 * ```
 */
export function silenceNodeBanner(): void {
  const engine = tf.engine();
  const running = engine.registry.cpu as CpuBackend | undefined;
  if (running) quiet(running);
  const entry = engine.registryFactory.cpu;
  if (!entry || QUIET in entry.factory) return;
  const factory = entry.factory;
  entry.factory = Object.assign(() => {
    const made = factory() as CpuBackend | Promise<CpuBackend>;
    return made instanceof Promise ? made.then(quiet) : quiet(made);
  }, { [QUIET]: true });
}
