/**
 * Keeping tfjs quiet in Deno.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * Stop tfjs's `cpu` backend from printing its "Hi, looks like you are running
 * TensorFlow.js in Node.js…" banner. Deno defines `process`, so tfjs believes it runs in
 * Node.js and suggests `tfjs-node`, which does not apply to Deno. The banner is printed
 * on the first tensor the `cpu` backend stores; this marks that first use as done.
 * Nothing else changes (debug mode, warnings and errors stay as they are). Idempotent;
 * starts the `cpu` backend if it was not started, without switching to it.
 *
 * @example
 * ```ts
 * import { silenceNodeBanner } from "@lib";
 * silenceNodeBanner();
 * ```
 */
export function silenceNodeBanner(): void {
  const cpu = tf.findBackend("cpu") as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu && "firstUse" in cpu) cpu.firstUse = false;
}
