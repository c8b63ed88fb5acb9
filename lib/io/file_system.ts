/**
 * Saving and loading tfjs models on the local file system from Deno — what
 * `tf.io`'s `file://` scheme does in tfjs-node, whose native package does not install
 * under Deno.
 *
 * Layout of a saved model (a folder):
 *
 * - `model.json` — topology, training config and weights manifest, the same format
 *   `tf.loadLayersModel` reads over HTTP;
 * - `weights.<hash>.bin` — all weights in one file, named by a hash of its bytes.
 *
 * Saving is atomic: the new weights file is written and flushed under a new name,
 * then `model.json` is replaced by rename, then stale weights files are removed. A
 * crash or `kill -9` at any point leaves either the previous checkpoint or the new
 * one, both loadable.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { dirname, syncDir, TMP_MARK, writeFileAtomic } from "./_atomic.ts";

/** File name of the model description inside a checkpoint folder. */
export const MODEL_JSON = "model.json";
/** `format` written for checkpoints that hold weights but no topology. */
export const WEIGHTS_ONLY_FORMAT = "weights-only";

const WEIGHTS_FILE = /^weights\.[0-9a-f]+\.bin$/;

/**
 * Normalise what users pass as a location: a folder, a path to `model.json`, a
 * `file://` URL string or a `URL`.
 *
 * @param location Where the model lives.
 * @returns The folder path.
 * @throws For an empty path, a NUL byte, or a non-`file:` URL.
 * @example
 * ```ts
 * import { checkpointDir } from "@lib";
 * checkpointDir("file:///tmp/run/model.json"); // "/tmp/run"
 * ```
 */
export function checkpointDir(location: string | URL): string {
  let path: string;
  if (location instanceof URL) {
    if (location.protocol !== "file:") {
      throw new Error(
        `fileSystem: cannot use ${location.href}: only file:// URLs and paths are local. ` +
          "Use tf.io.http for http(s) URLs.",
      );
    }
    path = decodeURIComponent(location.pathname);
  } else if (typeof location === "string") {
    path = location.startsWith("file://") ? location.slice("file://".length) : location;
  } else {
    throw new Error(`fileSystem: expected a folder path or file:// URL, got ${String(location)}.`);
  }
  if (path.trim() === "") {
    throw new Error('fileSystem: the checkpoint path is empty. Pass a folder such as "ckpt/best".');
  }
  if (path.includes("\0")) {
    throw new Error(`fileSystem: invalid checkpoint path ${JSON.stringify(path)} (contains NUL).`);
  }
  path = path.replace(/\/+$/, "") || "/";
  return path.endsWith(`/${MODEL_JSON}`) || path === MODEL_JSON ? dirname(path) : path;
}

/** Bytes taken by one weight entry in the weights file, or `undefined` if unknown. */
function entryBytes(spec: tf.io.WeightsManifestEntry): number | undefined {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const q = spec.quantization?.dtype;
  if (q !== undefined) return count * (q === "uint8" ? 1 : 2);
  const size: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
  return size[spec.dtype] === undefined ? undefined : count * size[spec.dtype];
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * A `tf.io` handler that saves to and loads from a folder on the local file system.
 *
 * @param location Folder (created if missing), path to its `model.json`, or a
 *   `file://` URL.
 * @returns An `IOHandler` for `model.save(handler)` and `tf.loadLayersModel(handler)`.
 * @throws On save: when the folder cannot be created or written (names the path and
 *   the OS error). On load: when `model.json` is missing, not JSON, or when a
 *   weights file is missing or truncated (names the file and the byte counts).
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { fileSystem } from "@lib";
 * await tf.setBackend("cpu");
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * const dir = await Deno.makeTempDir();
 * await model.save(fileSystem(dir));
 * const again = await tf.loadLayersModel(fileSystem(dir));
 * console.log(again.inputs[0].shape); // [null, 2]
 * ```
 */
export function fileSystem(location: string | URL): tf.io.IOHandler {
  const dir = checkpointDir(location);
  return {
    save: (artifacts: tf.io.ModelArtifacts) => saveArtifacts(dir, artifacts),
    load: () => loadArtifacts(dir),
  };
}

async function saveArtifacts(
  dir: string,
  artifacts: tf.io.ModelArtifacts,
): Promise<tf.io.SaveResult> {
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (error) {
    throw new Error(
      `fileSystem: cannot create checkpoint folder "${dir}" (${describe(error)}). ` +
        "Choose a path in a writable folder.",
    );
  }
  const weightData = artifacts.weightData === undefined
    ? new Uint8Array(0)
    : new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData));
  const weightsName = `weights.${await sha256Hex(weightData)}.bin`;
  const modelJSON: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology ?? null,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? [] }],
  };
  for (
    const key of [
      "trainingConfig",
      "signature",
      "userDefinedMetadata",
      "modelInitializer",
      "initializerSignature",
    ] as const
  ) {
    if (artifacts[key] !== undefined) modelJSON[key] = artifacts[key];
  }
  try {
    // 1. The weights, under a name no live model.json refers to (unless identical).
    await writeFileAtomic(`${dir}/${weightsName}`, weightData);
    // 2. The switch: model.json now points at the new weights.
    await writeFileAtomic(`${dir}/${MODEL_JSON}`, JSON.stringify(modelJSON));
  } catch (error) {
    throw new Error(
      `fileSystem: cannot write checkpoint to "${dir}" (${describe(error)}). ` +
        "The previous checkpoint there, if any, is unchanged. Check free space and permissions.",
    );
  }
  // 3. Clean up: weights files the new model.json does not use, and temp files of
  // saves that were killed midway.
  for await (const entry of Deno.readDir(dir)) {
    const stale = (WEIGHTS_FILE.test(entry.name) && entry.name !== weightsName) ||
      entry.name.includes(TMP_MARK);
    if (entry.isFile && stale) await Deno.remove(`${dir}/${entry.name}`).catch(() => {});
  }
  await syncDir(dir);
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

async function loadArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = `${dir}/${MODEL_JSON}`;
  let text: string;
  try {
    text = await Deno.readTextFile(jsonPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `fileSystem: no checkpoint at "${dir}": ${MODEL_JSON} not found. ` +
          "Save one first with saveModel(model, dir) or model.save(fileSystem(dir)).",
      );
    }
    throw new Error(`fileSystem: cannot read "${jsonPath}" (${describe(error)}).`);
  }
  let modelJSON: tf.io.ModelJSON;
  try {
    modelJSON = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `fileSystem: corrupt checkpoint "${jsonPath}": not valid JSON (${describe(error)}; ` +
        `${text.length} characters). It was not written by fileSystem(), which never leaves ` +
        "a partial file; restore it from a backup or delete it and save again.",
    );
  }
  if (modelJSON === null || typeof modelJSON !== "object" || !("weightsManifest" in modelJSON)) {
    throw new Error(
      `fileSystem: corrupt checkpoint "${jsonPath}": no "weightsManifest" entry. ` +
        "Expected a tfjs model.json as written by model.save().",
    );
  }
  return await tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      let groupBytes = 0;
      let expected: number | undefined = 0;
      for (const spec of group.weights) {
        const n = entryBytes(spec);
        expected = n === undefined || expected === undefined ? undefined : expected + n;
        specs.push(spec);
      }
      for (const rel of group.paths) {
        const path = `${dir}/${rel.replace(/^\.\//, "")}`;
        let bytes: Uint8Array;
        try {
          bytes = await Deno.readFile(path);
        } catch (error) {
          throw new Error(
            `fileSystem: corrupt checkpoint "${dir}": weights file "${rel}" named in ` +
              `${MODEL_JSON} cannot be read (${describe(error)}).`,
          );
        }
        groupBytes += bytes.byteLength;
        const copy = new Uint8Array(bytes.byteLength);
        copy.set(bytes);
        buffers.push(copy.buffer);
      }
      if (expected !== undefined && groupBytes !== expected) {
        throw new Error(
          `fileSystem: corrupt checkpoint "${dir}": weights file(s) ${group.paths.join(", ")} ` +
            `hold ${groupBytes} bytes but ${MODEL_JSON} describes ${expected} ` +
            `(${group.weights.length} tensors). The file is truncated or from another save.`,
        );
      }
    }
    return [specs, tf.io.concatenateArrayBuffers(buffers)];
  });
}

let routerRegistered = false;

/**
 * Make `file://` URLs work in `model.save("file://…")` and
 * `tf.loadLayersModel("file://…")` under Deno, as they do in tfjs-node. Idempotent;
 * call it once in a setup cell (nothing is registered at import time).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { registerFileSystemRouter } from "@lib";
 * await tf.setBackend("cpu");
 * registerFileSystemRouter();
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * const dir = await Deno.makeTempDir();
 * await model.save(`file://${dir}`);
 * const again = await tf.loadLayersModel(`file://${dir}/model.json`);
 * ```
 */
export function registerFileSystemRouter(): void {
  if (routerRegistered) return;
  routerRegistered = true;
  // tfjs's router type says IOHandler, but routers return null for URLs they decline.
  const route =
    ((url: string | string[]) =>
      typeof url === "string" && url.startsWith("file://") ? fileSystem(url) : null) as (
        url: string | string[],
      ) => tf.io.IOHandler;
  tf.io.registerSaveRouter(route);
  tf.io.registerLoadRouter(route);
}
