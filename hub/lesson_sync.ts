/**
 * Giving a learner the teacher's lessons without ever overwriting the learner's work.
 *
 * The rule ("copy if unchanged"): the sync remembers, in a manifest next to the
 * lessons, a fingerprint of every file it wrote. A file is (re)written only when it is
 * missing or still exactly what the sync last wrote. A lesson the learner has changed is
 * kept, and the teacher's new version is put beside it as `NAME.updated.ipynb` (itself
 * replaced on later updates only while the learner leaves it alone). A learner who wants
 * a fresh copy deletes theirs: the next sync restores it.
 *
 * Notebooks are fingerprinted on their content, not their bytes: Jupyter re-serialises a
 * notebook when it saves it (key order, line splitting), and a save without a change is
 * not an edit.
 *
 * Runs as the learner (at every server start, and when the teacher runs
 * `deno task hub update`), so it can only ever touch files the learner owns.
 *
 * @module
 */
import { learnerDenoJson, LESSONS_FOLDER } from "./learner_config.ts";

/** Where the sync keeps its fingerprints, inside the learner's lesson folder. */
export const MANIFEST = ".tfjs-sync.json";

/** What one sync did, file by file (paths relative to the lesson folder). */
export interface SyncReport {
  /** New to this learner: copied. */
  copied: string[];
  /** Deleted by the learner since the last sync: copied again. */
  restored: string[];
  /** Unchanged by the learner and changed by the teacher: replaced. */
  updated: string[];
  /** Changed by the learner: left alone. */
  kept: string[];
  /** Written beside a kept file: the teacher's new version (`NAME.updated.ipynb`). */
  offered: string[];
  /** Already the teacher's version. */
  current: string[];
}

interface Manifest {
  version: 1;
  /** Fingerprint of what the sync last wrote, per relative path. */
  files: Record<string, string>;
  /** Fingerprint of the version last offered beside a kept file, per kept file. */
  offered: Record<string, string>;
}

/** One file the course gives every learner. */
export interface CourseFile {
  /** Path inside the lesson folder, e.g. `00_setup.ipynb`. */
  path: string;
  /** Its content. */
  text: string;
}

/**
 * The files a course hands out: every file in `<course>/notebooks/`, plus the learner's
 * `deno.json` (see {@linkcode learnerDenoJson}).
 *
 * @param courseDir Absolute path of the course folder.
 */
export async function courseFiles(courseDir: string): Promise<CourseFile[]> {
  const files: CourseFile[] = [];
  for await (const entry of Deno.readDir(`${courseDir}/notebooks`)) {
    if (!entry.isFile || entry.name.startsWith(".")) continue;
    files.push({
      path: entry.name,
      text: await Deno.readTextFile(`${courseDir}/notebooks/${entry.name}`),
    });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const denoJson = await Deno.readTextFile(`${courseDir}/deno.json`);
  files.push({ path: "deno.json", text: learnerDenoJson(courseDir, denoJson) });
  return files;
}

/** Join nbformat's multi-line strings and sort keys, so that a re-saved notebook compares equal. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0
  );
  return Object.fromEntries(entries.map(([k, v]) => {
    const multiline = (k === "source" || k === "text") && Array.isArray(v) &&
      v.every((s) => typeof s === "string");
    return [k, multiline ? (v as string[]).join("") : canonical(v)];
  }));
}

/**
 * A file's fingerprint: SHA-256 of its content (of the canonical JSON for `.ipynb` files
 * that parse).
 *
 * @example
 * ```ts
 * import { fingerprint } from "./lesson_sync.ts";
 * const a = await fingerprint("x.ipynb", '{"cells":[{"source":["a\\n","b"]}]}');
 * const b = await fingerprint("x.ipynb", '{ "cells": [ { "source": "a\\nb" } ] }');
 * if (a !== b) throw new Error("a re-saved notebook is not an edit");
 * ```
 */
export async function fingerprint(path: string, text: string): Promise<string> {
  let data = text;
  if (path.endsWith(".ipynb")) {
    try {
      data = JSON.stringify(canonical(JSON.parse(text)));
    } catch {
      // not valid JSON (a learner's half-edit): its bytes are its fingerprint
    }
  }
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(data));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `00_setup.ipynb` → `00_setup.updated.ipynb`; `deno.json` → `deno.updated.json`. */
export function offeredName(path: string): string {
  const dot = path.lastIndexOf(".");
  return dot > 0 ? `${path.slice(0, dot)}.updated${path.slice(dot)}` : `${path}.updated`;
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Write through a temporary file and a rename, so a crash never leaves half a lesson. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.writeTextFile(tmp, text, { mode: 0o644 });
  await Deno.rename(tmp, path);
}

async function readManifest(dir: string): Promise<Manifest> {
  const text = await readOrNull(`${dir}/${MANIFEST}`);
  if (text === null) return { version: 1, files: {}, offered: {} };
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>;
    return { version: 1, files: parsed.files ?? {}, offered: parsed.offered ?? {} };
  } catch {
    // A damaged manifest: treating every existing file as the learner's loses nothing.
    return { version: 1, files: {}, offered: {} };
  }
}

/**
 * Bring one learner's lesson folder up to date with the course, by the rule in this
 * module's description.
 *
 * @param files What the course hands out ({@linkcode courseFiles}).
 * @param dir The learner's lesson folder (created, mode 0700, when missing).
 * @returns What was done to each file.
 */
export async function syncLessons(files: CourseFile[], dir: string): Promise<SyncReport> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const manifest = await readManifest(dir);
  const report: SyncReport = {
    copied: [],
    restored: [],
    updated: [],
    kept: [],
    offered: [],
    current: [],
  };

  /** Write `text` at `path` if it is missing or still what the sync wrote; say what happened. */
  async function place(path: string, text: string, hash: string) {
    const existing = await readOrNull(`${dir}/${path}`);
    if (existing !== null) {
      const now = await fingerprint(path, existing);
      if (now === hash) {
        manifest.files[path] = hash;
        return "current";
      }
      if (now !== manifest.files[path]) return "edited";
    }
    await writeAtomic(`${dir}/${path}`, text);
    const before = manifest.files[path];
    manifest.files[path] = hash;
    return existing !== null ? "updated" : before !== undefined ? "restored" : "copied";
  }

  for (const file of files) {
    const hash = await fingerprint(file.path, file.text);
    const done = await place(file.path, file.text, hash);
    if (done !== "edited") {
      report[done].push(file.path);
      continue;
    }
    report.kept.push(file.path);
    // Offer the teacher's version only when it is news: not what the learner started
    // from, and not one they already had offered and deleted.
    const beside = offeredName(file.path);
    const isNew = hash !== manifest.files[file.path];
    const dismissed = manifest.offered[file.path] === hash &&
      await readOrNull(`${dir}/${beside}`) === null;
    if (!isNew || dismissed) continue;
    const offered = await place(beside, file.text, hash);
    manifest.offered[file.path] = hash;
    if (offered !== "current" && offered !== "edited") report.offered.push(beside);
  }
  await writeAtomic(`${dir}/${MANIFEST}`, JSON.stringify(manifest, null, 1) + "\n");
  return report;
}

/** One line per non-empty part of a report, for logs: `updated: 01_sgd_regression.ipynb`. */
export function describeSync(report: SyncReport): string {
  const lines = Object.entries(report).filter(([, paths]) => paths.length > 0).map((
    [what, paths],
  ) => `${what}: ${paths.join(", ")}`);
  return lines.length > 0 ? lines.join("\n") : "nothing to do";
}

if (import.meta.main) {
  // `deno run … lesson_sync.ts COURSE_DIR [LESSON_DIR]`: what each learner's server runs
  // before it starts (hub/singleuser.sh), as the learner.
  const [course, target = `${Deno.env.get("HOME")}/${LESSONS_FOLDER}`] = Deno.args;
  if (!course) {
    // deno-lint-ignore no-console -- a command-line entry point
    console.error("usage: lesson_sync.ts COURSE_DIR [LESSON_DIR]");
    Deno.exit(2);
  }
  const report = await syncLessons(await courseFiles(course), target);
  // deno-lint-ignore no-console -- a command-line entry point
  console.log(`tfjs-training lessons in ${target}:\n${describeSync(report)}`);
}
