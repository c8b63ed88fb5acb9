/**
 * A grid of small images (digits) with their labels, and predictions in red where they
 * are wrong. The grid travels as one grey PNG inside a Plotly image trace, so 100
 * 28×28 digits cost a few kilobytes instead of 78,400 numbers.
 *
 * @module
 */
import type { Annotation, Figure } from "./figure.ts";
import { pngDataUri } from "./png.ts";
import { checkArray } from "./_check.ts";

/** Options of {@linkcode imageGridFigure}. */
export interface ImageGridOptions {
  /** Image width in pixels. @default {28} */
  width?: number;
  /** Image height in pixels. @default {28} */
  height?: number;
  /** Images per row. @default {min(10, count)} */
  columns?: number;
  /** True label of each image, written under it. @default {undefined} */
  labels?: ArrayLike<number | string>;
  /** Predicted label of each image; shown in red where it differs. @default {undefined} */
  predictions?: ArrayLike<number | string>;
  /** Most images drawn; the rest are left out (and counted in `layout.meta`). @default {100} */
  maxImages?: number;
  /** Draw high values dark on white (ink), instead of light on black. @default {true} */
  ink?: boolean;
  /** Pixels per image pixel on screen. @default {2} */
  scale?: number;
  /** Figure title. @default {undefined} */
  title?: string;
}

/**
 * Lay images out in a grid.
 *
 * Pixel values may be 0–1 or 0–255 (detected from the largest value).
 *
 * @param images One flat array per image (`width * height` values), or all images in
 *   one flat array (e.g. `tensor.dataSync()` of shape `[n, 28, 28]` or `[n, 784]`).
 * @param options Size, columns, labels, predictions, cap.
 * @returns A Plotly figure with one image trace.
 * @throws When the values do not split into `width × height` images, or there is not one
 *   label (prediction) per image.
 * @example
 * ```ts
 * import { imageGridFigure } from "@lib/display/mod.ts";
 * const digits = [new Float32Array(784).fill(0.5), new Float32Array(784)];
 * const fig = imageGridFigure(digits, { labels: [3, 7], predictions: [3, 1] });
 * console.log(fig.data[0].type); // "image"
 * ```
 */
export function imageGridFigure(
  images: ArrayLike<number> | ArrayLike<number>[],
  options: ImageGridOptions = {},
): Figure {
  const {
    width = 28,
    height = 28,
    labels,
    predictions,
    maxImages = 100,
    ink = true,
    scale = 2,
    title,
  } = options;
  const size = width * height;
  checkArray(
    images,
    "imageGridFigure(images): images",
    "one array per image, or all pixels in one array",
  );
  const list: ArrayLike<number>[] = Array.isArray(images) && typeof images[0] === "object"
    ? (images as ArrayLike<number>[])
    : splitFlat(images as ArrayLike<number>, size, width, height);
  list.forEach((img, i) => {
    checkArray(img, `imageGridFigure(images): images[${i}]`, `${size} pixel values`);
    if (img.length !== size) {
      throw new Error(
        `imageGridFigure(): image ${i} has ${img.length} values, expected ${width}×${height} = ` +
          `${size}. Pass { width, height } of your images.`,
      );
    }
  });
  for (const [what, values] of [["labels", labels], ["predictions", predictions]] as const) {
    if (values === undefined) continue;
    checkArray(values, `imageGridFigure(images, options): options.${what}`, "one per image");
    if (values.length !== list.length) {
      throw new RangeError(
        `imageGridFigure(): ${list.length} images but ${values.length} ${what}. Pass one ` +
          `${what === "labels" ? "label" : "prediction"} per image (the same slice of the data).`,
      );
    }
  }
  const count = Math.min(list.length, maxImages);
  const columns = Math.max(1, Math.min(options.columns ?? Math.min(10, count), count || 1));
  const rows = Math.max(1, Math.ceil(count / columns));
  const hasText = labels !== undefined || predictions !== undefined;
  const gap = 2;
  const labelBand = hasText ? 12 : 0;
  const cellW = width + gap;
  const cellH = height + gap + labelBand;
  const W = columns * cellW + gap;
  const H = rows * cellH + gap;
  let peak = 0;
  for (let i = 0; i < count; i++) {
    const img = list[i];
    for (let p = 0; p < size; p++) if (img[p] > peak) peak = img[p];
  }
  const max = peak > 1 ? 255 : 1;
  const pixels = new Uint8Array(W * H).fill(ink ? 255 : 0);
  const annotations: Annotation[] = [];
  for (let i = 0; i < count; i++) {
    const img = list[i];
    const ox = gap + (i % columns) * cellW;
    const oy = gap + Math.floor(i / columns) * cellH;
    for (let r = 0; r < height; r++) {
      for (let c = 0; c < width; c++) {
        const v = img[r * width + c];
        const t = Number.isFinite(v) ? Math.min(1, Math.max(0, v / max)) : 0;
        pixels[(oy + r) * W + ox + c] = Math.round(255 * (ink ? 1 - t : t));
      }
    }
    if (hasText) {
      const label = labels?.[i];
      const guess = predictions?.[i];
      const wrong = label !== undefined && guess !== undefined && String(label) !== String(guess);
      const text = label === undefined
        ? `${guess}`
        : guess === undefined
        ? `${label}`
        : wrong
        ? `${label}→${guess}`
        : `${label}`;
      annotations.push({
        text,
        x: ox + width / 2 - 0.5,
        y: oy + height + labelBand / 2,
        xref: "x",
        yref: "y",
        showarrow: false,
        font: { size: 11, color: wrong ? "#d62728" : "#222222" },
      });
    }
  }
  const hidden = { visible: false, showgrid: false, zeroline: false };
  return {
    data: [{ type: "image", source: pngDataUri(pixels, W, H, 1), hovertemplate: "" }],
    layout: {
      ...(title ? { title: { text: title } } : {}),
      width: W * scale + 20,
      height: H * scale + (title ? 50 : 20),
      margin: { l: 10, r: 10, t: title ? 40 : 10, b: 10 },
      xaxis: { ...hidden, range: [-0.5, W - 0.5] },
      yaxis: { ...hidden, range: [H - 0.5, -0.5], scaleanchor: "x" },
      annotations,
      meta: { kind: "images", shown: count, total: list.length, columns, rows },
    },
  };
}

function splitFlat(
  flat: ArrayLike<number>,
  size: number,
  width: number,
  height: number,
): ArrayLike<number>[] {
  if (flat.length % size !== 0) {
    throw new Error(
      `imageGridFigure(): ${flat.length} values do not split into ${width}×${height} images ` +
        `(${flat.length} / ${size} is not whole). Pass { width, height } of your images.`,
    );
  }
  const out: ArrayLike<number>[] = [];
  const arr = ArrayBuffer.isView(flat) ? (flat as Float32Array) : Float32Array.from(flat);
  for (let o = 0; o < arr.length; o += size) out.push(arr.subarray(o, o + size));
  return out;
}
