/**
 * A minimal PNG encoder, so that raster parts of a figure (digit images, heatmaps in the
 * static SVG frame) travel as a few kilobytes of PNG instead of one SVG rectangle or one
 * JSON number per pixel. Compression is `node:zlib`'s deflate; only the container
 * (signature, chunks, CRC-32) is written here.
 *
 * @module
 */
import { deflateSync } from "node:zlib";

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encode 8-bit pixels as a PNG file.
 *
 * @param pixels Row-major pixels, `channels` bytes each (1 = grey, 3 = RGB, 4 = RGBA).
 * @param width Pixels per row.
 * @param height Rows.
 * @param channels Bytes per pixel: 1, 3 or 4. @default {4}
 * @returns The PNG file's bytes.
 * @example
 * ```ts
 * import { encodePng } from "@lib/display/png.ts";
 * const png = encodePng(new Uint8Array([0, 255, 255, 0]), 2, 2, 1);
 * console.log(png[1] === 0x50); // true ("PNG" signature)
 * ```
 */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4 = 4,
): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(
      `encodePng(): width ${width} × height ${height} is not a positive integer size. ` +
        "Pass whole numbers of pixels.",
    );
  }
  if (pixels.length !== width * height * channels) {
    throw new Error(
      `encodePng(): got ${pixels.length} bytes for ${width}×${height} pixels × ${channels} ` +
        `channels (expected ${width * height * channels}). Check the image size and channels.`,
    );
  }
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    raw[row * (stride + 1)] = 0; // filter type "None" for each scanline
    raw.set(pixels.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = channels === 1 ? 0 : channels === 3 ? 2 : 6; // grey, RGB, RGBA
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw, { level: 9 }))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Encode pixels as a `data:image/png;base64,…` URI (for an image trace's `source` or an
 * SVG `<image>`).
 *
 * @param pixels Row-major pixels, as for {@linkcode encodePng}.
 * @param width Pixels per row.
 * @param height Rows.
 * @param channels Bytes per pixel: 1, 3 or 4. @default {4}
 * @returns The data URI.
 * @example
 * ```ts
 * import { pngDataUri } from "@lib/display/png.ts";
 * console.log(pngDataUri(new Uint8Array([128]), 1, 1, 1).startsWith("data:image/png;base64,"));
 * ```
 */
export function pngDataUri(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4 = 4,
): string {
  const png = encodePng(pixels, width, height, channels);
  let binary = "";
  for (let i = 0; i < png.length; i += 0x8000) {
    binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
  }
  return `data:image/png;base64,${btoa(binary)}`;
}

/**
 * Read the pixel size of a PNG data URI from its header (no decoding).
 *
 * @param uri A `data:image/png;base64,…` URI.
 * @returns `{ width, height }`, or `undefined` when the URI is not a PNG.
 * @example
 * ```ts
 * import { pngDataUri, pngSize } from "@lib/display/png.ts";
 * console.log(pngSize(pngDataUri(new Uint8Array(6), 3, 2, 1))); // { width: 3, height: 2 }
 * ```
 */
export function pngSize(uri: string): { width: number; height: number } | undefined {
  const prefix = "data:image/png;base64,";
  if (!uri.startsWith(prefix)) return undefined;
  const head = atob(uri.slice(prefix.length, prefix.length + 32));
  if (head.length < 24 || head.slice(12, 16) !== "IHDR") return undefined;
  const u32 = (o: number) =>
    ((head.charCodeAt(o) << 24) | (head.charCodeAt(o + 1) << 16) |
      (head.charCodeAt(o + 2) << 8) | head.charCodeAt(o + 3)) >>> 0;
  return { width: u32(16), height: u32(20) };
}
