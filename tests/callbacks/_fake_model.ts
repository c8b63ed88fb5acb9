/**
 * Test double in the style of Keras's callback tests: a "model" whose only weight is
 * a scalar variable set to the epoch index, so "which epoch's weights are these?" is
 * a plain number comparison. Also a driver that feeds a fixed log sequence to a
 * callback's hooks the way `model.fit` does.
 */
import * as tf from "@tensorflow/tfjs";

/** A minimal stand-in for `tf.LayersModel`: stopTraining, getWeights, setWeights, optimizer. */
export class FakeModel {
  stopTraining = false;
  readonly weight: tf.Variable = tf.variable(tf.scalar(-1));
  optimizer: tf.Optimizer;

  constructor(learningRate = 0.1) {
    this.optimizer = tf.train.sgd(learningRate);
  }

  getWeights(): tf.Tensor[] {
    return [this.weight];
  }

  setWeights(weights: tf.Tensor[]): void {
    this.weight.assign(weights[0] as tf.Scalar);
  }

  /** The current weight as a number (the epoch whose weights the model holds). */
  value(): number {
    return this.weight.dataSync()[0];
  }

  setEpoch(epoch: number): void {
    tf.tidy(() => this.weight.assign(tf.scalar(epoch)));
  }

  dispose(): void {
    this.weight.dispose();
    this.optimizer.dispose();
  }
}

/** What the driver did. */
export interface DriveResult {
  /** Epochs whose onEpochEnd ran. */
  epochsRun: number;
}

/**
 * Feed `logs[i]` as epoch i's end logs, setting the fake weight to i first; stop when
 * the model's `stopTraining` becomes true (like fitLoop). `stopAfter` sets
 * `stopTraining` from "another callback" after that epoch.
 */
export async function drive(
  callback: tf.Callback,
  model: FakeModel,
  logs: Array<Record<string, number>>,
  { stopAfter, epochs = logs.length }: { stopAfter?: number; epochs?: number } = {},
): Promise<DriveResult> {
  callback.setModel(model as never);
  callback.setParams({ epochs, initialEpoch: 0, verbose: 0 });
  model.stopTraining = false;
  await callback.onTrainBegin({});
  let epochsRun = 0;
  for (let epoch = 0; epoch < Math.min(epochs, logs.length); epoch++) {
    await callback.onEpochBegin(epoch, {});
    model.setEpoch(epoch);
    await callback.onEpochEnd(epoch, { ...logs[epoch] });
    epochsRun++;
    if (stopAfter === epoch) model.stopTraining = true;
    if (model.stopTraining) break;
  }
  await callback.onTrainEnd({});
  return { epochsRun };
}

/** `[{ [key]: v0 }, { [key]: v1 }, ...]`. */
export function series(key: string, values: number[]): Array<Record<string, number>> {
  return values.map((v) => ({ [key]: v }));
}

/** Run `fn` with `console.warn` captured; returns the warnings. */
export async function captureWarnings(fn: () => unknown): Promise<string[]> {
  const warnings: string[] = [];
  // deno-lint-ignore no-console
  const original = console.warn;
  // deno-lint-ignore no-console
  console.warn = (msg: string) => warnings.push(msg);
  try {
    await fn();
  } finally {
    // deno-lint-ignore no-console
    console.warn = original;
  }
  return warnings;
}
