/**
 * Private: crash-safe file writes. A file is written to a temporary sibling, flushed
 * to disk (`fsync`), then renamed over the target — `rename(2)` within one directory
 * is atomic, so a reader sees the old file or the new one, never a torn one.
 *
 * @module
 */

/** Temporary files this module leaves behind only when the process dies mid-write. */
export const TMP_MARK = ".tmp-";

/**
 * Write `data` to `path` atomically (temp file + fsync + rename + fsync of the folder).
 *
 * @param path Target file.
 * @param data Bytes or text.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const tmp = `${path}${TMP_MARK}${crypto.randomUUID().slice(0, 8)}`;
  const file = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } finally {
    file.close();
  }
  try {
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  await syncDir(dirname(path));
}

/** Flush a directory entry table to disk, so a rename survives power loss. Best effort. */
export async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await Deno.open(dir, { read: true });
    try {
      await handle.sync();
    } finally {
      handle.close();
    }
  } catch {
    // Some platforms cannot open or fsync a directory; the rename is still atomic.
  }
}

/** The folder part of a path ("." when there is none). */
export function dirname(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : path.slice(0, i);
}
