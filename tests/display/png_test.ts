import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { encodePng, pngDataUri, pngSize } from "@lib/display/png.ts";

Deno.test("encodePng() writes a valid PNG whose pixels inflate back", () => {
  const pixels = new Uint8Array([0, 64, 128, 255, 10, 20]);
  const png = encodePng(pixels, 3, 2, 1);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer);
  assert.equal(view.getUint32(16), 3);
  assert.equal(view.getUint32(20), 2);
  const idatLength = view.getUint32(33);
  assert.equal(new TextDecoder().decode(png.subarray(37, 41)), "IDAT");
  const raw = new Uint8Array(inflateSync(png.subarray(41, 41 + idatLength)));
  assert.deepEqual([...raw], [0, 0, 64, 128, 0, 255, 10, 20]); // filter byte + row
});

Deno.test("encodePng() rejects a pixel count that does not match the size", () => {
  assert.throws(() => encodePng(new Uint8Array(5), 2, 2, 1), /got 5 bytes for 2×2 pixels/);
  assert.throws(() => encodePng(new Uint8Array(0), 0, 2, 1), /not a positive integer size/);
});

Deno.test("pngDataUri() and pngSize() round-trip the image size", () => {
  const uri = pngDataUri(new Uint8Array(7 * 5 * 4), 7, 5, 4);
  assert.ok(uri.startsWith("data:image/png;base64,"));
  assert.deepEqual(pngSize(uri), { width: 7, height: 5 });
  assert.equal(pngSize("data:image/jpeg;base64,AAAA"), undefined);
});
