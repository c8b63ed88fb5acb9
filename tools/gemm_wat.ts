/**
 * The WebAssembly text of `lib/backend`'s matrix product (see `lib/backend/_gemm.ts`),
 * generated because its inner loop is unrolled. `deno task build:gemm` compiles it with
 * wabt into `lib/backend/_gemm_wasm.ts`.
 *
 * Layout (Goto-style blocking, as BLIS and XNNPACK do it):
 * - `C[i, j] = Σ_k A[i, k] · B[k, j]`, with A, B addressed by strides, so transposed
 *   operands are read in place (no transpose kernel);
 * - B is packed once per product into panels of {@linkcode NR} columns, `k`-major, with
 *   zeros past the last column and one zero row when K is odd;
 * - for each block of {@linkcode KC} values of `k`, each tile of {@linkcode MR} rows of A
 *   is packed (`k`-major, zero rows past the last row) and multiplied with every panel of
 *   its share: an MR × NR block of C held in 12 SIMD registers, updated with
 *   `f32x4.relaxed_madd` (one fused multiply-add per 4 products on x86-64 with FMA);
 * - tiles that hang over the edge of C go through a private scratch tile.
 *
 * @module
 */

/** Rows of C per tile (6 × 2 accumulators + 2 B vectors + 1 A splat = 15 of 16 registers). */
export const MR = 6;
/** Columns of C per tile (two 4-lane vectors). */
export const NR = 8;
/** Values of `k` per block: one 6 × 256 A tile (6 kB) stays in L1. */
export const KC = 256;
/** Bytes of scratch one thread needs: the edge tile, then the packed A tile. */
export const SCRATCH_BYTES = MR * NR * 4 + MR * (KC + 1) * 4;

const range = (n: number) => [...Array(n).keys()];

/** `i8x16.shuffle` picking 32-bit lanes of x (0–3) and y (4–7). */
function lanes(x: string, y: string, picks: number[]): string {
  const bytes = picks.flatMap((lane) => range(4).map((b) => lane * 4 + b));
  return `(i8x16.shuffle ${bytes.join(" ")} ${x} ${y})`;
}

/**
 * Transpose the 4 × 4 block held in 32-bit lanes of `rows` (locals) into locals `out`:
 * out[j] = [rows[0][j], rows[1][j], rows[2][j], rows[3][j]]. Uses `$t0`–`$t3`.
 */
function transpose4(rows: string[], out: string[]): string {
  const get = (name: string) => `(local.get ${name})`;
  return [
    `(local.set $t0 ${lanes(get(rows[0]), get(rows[1]), [0, 4, 1, 5])})`,
    `(local.set $t1 ${lanes(get(rows[0]), get(rows[1]), [2, 6, 3, 7])})`,
    `(local.set $t2 ${lanes(get(rows[2]), get(rows[3]), [0, 4, 1, 5])})`,
    `(local.set $t3 ${lanes(get(rows[2]), get(rows[3]), [2, 6, 3, 7])})`,
    `(local.set ${out[0]} ${lanes("(local.get $t0)", "(local.get $t2)", [0, 1, 4, 5])})`,
    `(local.set ${out[1]} ${lanes("(local.get $t0)", "(local.get $t2)", [2, 3, 6, 7])})`,
    `(local.set ${out[2]} ${lanes("(local.get $t1)", "(local.get $t3)", [0, 1, 4, 5])})`,
    `(local.set ${out[3]} ${lanes("(local.get $t1)", "(local.get $t3)", [2, 3, 6, 7])})`,
  ].join("\n          ");
}

/** Locals `$v0`…`$v7` and `$t0`…`$t3` (v128) that the packing fast paths use. */
const PACK_LOCALS = range(8).map((i) => `(local $v${i} v128)`).join(" ") + " " +
  range(4).map((i) => `(local $t${i} v128)`).join(" ");

/** One step of `k`, `u` steps into the unrolled body: 2 B loads, 6 splats, 12 FMAs. */
function step(u: number): string {
  const loads = range(NR / 4).map((v) =>
    `(local.set $b${v} (v128.load offset=${(u * NR + v * 4) * 4} (local.get $bp)))`
  );
  const rows = range(MR).map((r) =>
    [
      `(local.set $x (v128.load32_splat offset=${(u * MR + r) * 4} (local.get $ap)))`,
      ...range(NR / 4).map((v) =>
        `(local.set $c${r}${v} (f32x4.relaxed_madd (local.get $x) (local.get $b${v}) (local.get $c${r}${v})))`
      ),
    ].join("\n      ")
  );
  return [...loads, ...rows].join("\n      ");
}

/** The WebAssembly text; `shared` declares the imported memory shared (threaded tfjs build). */
export function gemmWat(shared: boolean): string {
  const accumulators = range(MR).flatMap((r) => range(NR / 4).map((v) => `$c${r}${v}`));
  const store = range(MR).map((r) =>
    [
      ...range(NR / 4).map((v) =>
        `(if (local.get $load) (then (local.set $c${r}${v} (f32x4.add (local.get $c${r}${v}) (v128.load offset=${
          v * 16
        } (local.get $c))))))
    (v128.store offset=${v * 16} (local.get $c) (local.get $c${r}${v}))`
      ),
      `(local.set $c (i32.add (local.get $c) (local.get $ldc)))`,
    ].join("\n    ")
  );
  return `(module
  (import "env" "memory" (memory 1${shared ? " 65536 shared" : ""}))

  ;; C[0..${MR}, 0..${NR}] (+)= Ap · Bp over kc2 pairs of k. Ap: ${MR} floats per k; Bp: ${NR}
  ;; floats per k; C rows ldc bytes apart; load = add to what C holds.
  (func $tile (param $ap i32) (param $bp i32) (param $c i32) (param $ldc i32) (param $kc2 i32)
      (param $load i32)
    (local $end i32) (local $x v128) ${range(NR / 4).map((v) => `(local $b${v} v128)`).join(" ")}
    ${accumulators.map((name) => `(local ${name} v128)`).join(" ")}
    (local.set $end (i32.add (local.get $bp) (i32.mul (local.get $kc2) (i32.const ${2 * NR * 4}))))
    (loop $k
      ${step(0)}
      ${step(1)}
      (local.set $ap (i32.add (local.get $ap) (i32.const ${2 * MR * 4})))
      (local.set $bp (i32.add (local.get $bp) (i32.const ${2 * NR * 4})))
      (br_if $k (i32.lt_u (local.get $bp) (local.get $end))))
    ${store.join("\n    ")})

  ;; dst[k·${MR} + r] = A[row + r, k0 + k] for r < mr, k < kc; zero for r ≥ mr and for
  ;; k = kc when kc is odd. A[i, k] is at a + i·sai + k·sak.
  (func $packA (param $a i32) (param $sai i32) (param $sak i32) (param $mr i32) (param $kc i32)
      (param $dst i32)
    (local $k i32) (local $r i32) (local $src i32) (local $kc2 i32)
    ${range(MR).map((r) => `(local $row${r} i32)`).join(" ")} ${PACK_LOCALS}
    (local.set $kc2 (i32.and (i32.add (local.get $kc) (i32.const 1)) (i32.const -2)))
    (if (i32.eq (local.get $mr) (i32.const ${MR})) (then
      (if (i32.eq (local.get $sak) (i32.const 4))
        (then
          ;; rows contiguous along k: 4 values of k from each row, transposed in registers
          ${
    range(MR).map((r) =>
      `(local.set $row${r} (i32.add (local.get $a) (i32.mul (local.get $sai) (i32.const ${r}))))`
    ).join("\n          ")
  }
          (block $vd (loop $vl
            (br_if $vd (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $kc)))
            ${
    range(MR).map((r) => `(local.set $v${r} (v128.load (local.get $row${r})))`).join(
      "\n            ",
    )
  }
            ${transpose4(["$v0", "$v1", "$v2", "$v3"], ["$v0", "$v1", "$v2", "$v3"])}
            (local.set $v6 ${lanes("(local.get $v4)", "(local.get $v5)", [0, 4, 1, 5])})
            (local.set $v7 ${lanes("(local.get $v4)", "(local.get $v5)", [2, 6, 3, 7])})
            ${
    range(4).map((j) =>
      `(v128.store offset=${j * MR * 4} (local.get $dst) (local.get $v${j}))
            (v128.store64_lane offset=${j * MR * 4 + 16} ${j % 2} (local.get $dst) (local.get $v${
        6 + (j >> 1)
      }))`
    ).join("\n            ")
  }
            ${
    range(MR).map((r) => `(local.set $row${r} (i32.add (local.get $row${r}) (i32.const 16)))`).join(
      "\n            ",
    )
  }
            (local.set $dst (i32.add (local.get $dst) (i32.const ${4 * MR * 4})))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $vl)))
          (local.set $a (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2)))))
        (else (if (i32.eq (local.get $sai) (i32.const 4)) (then
          ;; transposed A: the tile's ${MR} values of one k are contiguous
          (block $cd (loop $cl
            (br_if $cd (i32.ge_u (local.get $k) (local.get $kc)))
            (v128.store (local.get $dst) (v128.load (local.get $a)))
            (i64.store offset=16 (local.get $dst) (i64.load offset=16 (local.get $a)))
            (local.set $dst (i32.add (local.get $dst) (i32.const ${MR * 4})))
            (local.set $a (i32.add (local.get $a) (local.get $sak)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $cl)))))))))
    ;; what is left (a partial tile, the last values of k, the zero row): one by one
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $k) (local.get $kc2)))
      (local.set $src (local.get $a))
      (local.set $r (i32.const 0))
      (loop $rl
        (f32.store (local.get $dst)
          (if (result f32) (i32.and (i32.lt_u (local.get $r) (local.get $mr))
                                    (i32.lt_u (local.get $k) (local.get $kc)))
            (then (f32.load (local.get $src))) (else (f32.const 0))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (local.get $sai)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $rl (i32.lt_u (local.get $r) (i32.const ${MR}))))
      (local.set $a (i32.add (local.get $a) (local.get $sak)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kl))))

  ;; Pack B (B[k, j] at b + k·sbk + j·sbj) for panels p0 ≤ p < p1: panel p holds kpad
  ;; rows of ${NR} floats at dst + p·kpad·${NR * 4}, zero past column n and past row kk.
  (func (export "packB") (param $b i32) (param $sbk i32) (param $sbj i32) (param $n i32)
      (param $kk i32) (param $dst i32) (param $p0 i32) (param $p1 i32)
    (local $p i32) (local $k i32) (local $j i32) (local $col i32) (local $kpad i32) (local $out i32)
    (local $src i32) ${PACK_LOCALS}
    (local.set $kpad (i32.and (i32.add (local.get $kk) (i32.const 1)) (i32.const -2)))
    (local.set $p (local.get $p0))
    (block $pd (loop $pl
      (br_if $pd (i32.ge_u (local.get $p) (local.get $p1)))
      (local.set $out (i32.add (local.get $dst) (i32.mul (i32.mul (local.get $p) (local.get $kpad)) (i32.const ${
    NR * 4
  }))))
      (local.set $k (i32.const 0))
      (if (i32.and (i32.eq (local.get $sbk) (i32.const 4))
                   (i32.le_u (i32.mul (i32.add (local.get $p) (i32.const 1)) (i32.const ${NR})) (local.get $n)))
        (then
          ;; transposed B (columns contiguous along k), full panel: 4 values of k from each
          ;; of the ${NR} columns, transposed in registers
          (local.set $src (i32.add (local.get $b) (i32.mul (i32.mul (local.get $p) (i32.const ${NR})) (local.get $sbj))))
          (block $vd (loop $vl
            (br_if $vd (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $kk)))
            ${
    range(8).map((j) =>
      `(local.set $v${j} (v128.load (i32.add (local.get $src) (i32.mul (local.get $sbj) (i32.const ${j})))))`
    ).join("\n            ")
  }
            ${transpose4(["$v0", "$v1", "$v2", "$v3"], ["$v0", "$v1", "$v2", "$v3"])}
            ${transpose4(["$v4", "$v5", "$v6", "$v7"], ["$v4", "$v5", "$v6", "$v7"])}
            ${
    range(4).map((t) =>
      `(v128.store offset=${t * NR * 4} (local.get $out) (local.get $v${t}))
            (v128.store offset=${t * NR * 4 + 16} (local.get $out) (local.get $v${t + 4}))`
    ).join("\n            ")
  }
            (local.set $out (i32.add (local.get $out) (i32.const ${4 * NR * 4})))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $vl)))))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_u (local.get $k) (local.get $kpad)))
        (if (i32.and (i32.eq (local.get $sbj) (i32.const 4))
                     (i32.and (i32.lt_u (local.get $k) (local.get $kk))
                              (i32.le_u (i32.mul (i32.add (local.get $p) (i32.const 1)) (i32.const ${NR})) (local.get $n))))
          (then
            ;; a full row of the panel, contiguous in B: ${NR / 4} vector copies
            (local.set $src (i32.add (local.get $b) (i32.add (i32.mul (local.get $k) (local.get $sbk))
                                                             (i32.mul (local.get $p) (i32.const ${
    NR * 4
  })))))
            ${
    range(NR / 4).map((v) =>
      `(v128.store offset=${v * 16} (local.get $out) (v128.load offset=${v * 16} (local.get $src)))`
    ).join("\n            ")
  }
            (local.set $out (i32.add (local.get $out) (i32.const ${NR * 4}))))
          (else
            (local.set $j (i32.const 0))
            (loop $jl
              (local.set $col (i32.add (i32.mul (local.get $p) (i32.const ${NR})) (local.get $j)))
              (f32.store (local.get $out)
                (if (result f32) (i32.and (i32.lt_u (local.get $col) (local.get $n))
                                          (i32.lt_u (local.get $k) (local.get $kk)))
                  (then (f32.load (i32.add (local.get $b) (i32.add
                    (i32.mul (local.get $k) (local.get $sbk)) (i32.mul (local.get $col) (local.get $sbj))))))
                  (else (f32.const 0))))
              (local.set $out (i32.add (local.get $out) (i32.const 4)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br_if $jl (i32.lt_u (local.get $j) (i32.const ${NR}))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pl))))

  ;; Copy an mr × nc block between C (rows ldc bytes apart) and the scratch tile (rows of
  ;; ${NR} floats); toTile = 1 copies C → tile (zeros when load = 0), 0 copies tile → C.
  (func $edge (param $c i32) (param $ldc i32) (param $tile i32) (param $mr i32) (param $nc i32)
      (param $toTile i32) (param $load i32)
    (local $r i32) (local $j i32) (local $cp i32) (local $tp i32)
    (loop $rl
      (local.set $j (i32.const 0))
      (loop $jl
        (local.set $cp (i32.add (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc)))
                                (i32.shl (local.get $j) (i32.const 2))))
        (local.set $tp (i32.add (local.get $tile) (i32.shl (i32.add (i32.mul (local.get $r) (i32.const ${NR})) (local.get $j)) (i32.const 2))))
        (if (local.get $toTile)
          (then (f32.store (local.get $tp)
            (if (result f32) (i32.and (local.get $load) (i32.and (i32.lt_u (local.get $r) (local.get $mr))
                                                                 (i32.lt_u (local.get $j) (local.get $nc))))
              (then (f32.load (local.get $cp))) (else (f32.const 0)))))
          (else (if (i32.and (i32.lt_u (local.get $r) (local.get $mr)) (i32.lt_u (local.get $j) (local.get $nc)))
            (then (f32.store (local.get $cp) (f32.load (local.get $tp)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $jl (i32.lt_u (local.get $j) (i32.const ${NR}))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $rl (i32.lt_u (local.get $r) (i32.const ${MR})))))

  ;; C[row0..row1, ${NR}·p0..min(${NR}·p1, n)] = A · B, B packed by packB (kk rows); C rows
  ;; are n floats. scratch: ${SCRATCH_BYTES} bytes private to the calling thread.
  (func (export "gemm") (param $a i32) (param $sai i32) (param $sak i32) (param $bp i32)
      (param $c i32) (param $n i32) (param $kk i32) (param $row0 i32) (param $row1 i32)
      (param $p0 i32) (param $p1 i32) (param $scratch i32)
    (local $k0 i32) (local $kc i32) (local $kc2 i32) (local $kpad i32) (local $i i32) (local $mr i32)
    (local $p i32) (local $nc i32) (local $ldc i32) (local $load i32) (local $ap i32) (local $cp i32)
    (local $bpp i32)
    (local.set $ldc (i32.shl (local.get $n) (i32.const 2)))
    (local.set $kpad (i32.and (i32.add (local.get $kk) (i32.const 1)) (i32.const -2)))
    (local.set $ap (i32.add (local.get $scratch) (i32.const ${MR * NR * 4})))
    (block $kd (loop $kl
      (br_if $kd (i32.ge_u (local.get $k0) (local.get $kk)))
      (local.set $kc (i32.sub (local.get $kk) (local.get $k0)))
      (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
      (local.set $kc2 (i32.shr_u (i32.add (local.get $kc) (i32.const 1)) (i32.const 1)))
      (local.set $load (i32.ne (local.get $k0) (i32.const 0)))
      (local.set $i (local.get $row0))
      (block $id (loop $il
        (br_if $id (i32.ge_u (local.get $i) (local.get $row1)))
        (local.set $mr (i32.sub (local.get $row1) (local.get $i)))
        (if (i32.gt_u (local.get $mr) (i32.const ${MR})) (then (local.set $mr (i32.const ${MR}))))
        (call $packA
          (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $sai))
                                           (i32.mul (local.get $k0) (local.get $sak))))
          (local.get $sai) (local.get $sak) (local.get $mr) (local.get $kc) (local.get $ap))
        (local.set $p (local.get $p0))
        (block $pd (loop $pl
          (br_if $pd (i32.ge_u (local.get $p) (local.get $p1)))
          (local.set $bpp (i32.add (local.get $bp)
            (i32.mul (i32.add (i32.mul (local.get $p) (local.get $kpad)) (local.get $k0)) (i32.const ${
    NR * 4
  }))))
          (local.set $cp (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc))
                                                          (i32.mul (local.get $p) (i32.const ${
    NR * 4
  })))))
          (local.set $nc (i32.sub (local.get $n) (i32.mul (local.get $p) (i32.const ${NR}))))
          (if (i32.and (i32.eq (local.get $mr) (i32.const ${MR})) (i32.ge_u (local.get $nc) (i32.const ${NR})))
            (then (call $tile (local.get $ap) (local.get $bpp) (local.get $cp) (local.get $ldc)
                    (local.get $kc2) (local.get $load)))
            (else
              (call $edge (local.get $cp) (local.get $ldc) (local.get $scratch) (local.get $mr)
                (local.get $nc) (i32.const 1) (local.get $load))
              (call $tile (local.get $ap) (local.get $bpp) (local.get $scratch) (i32.const ${
    NR * 4
  })
                (local.get $kc2) (i32.const 1))
              (call $edge (local.get $cp) (local.get $ldc) (local.get $scratch) (local.get $mr)
                (local.get $nc) (i32.const 0) (i32.const 0))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $pl)))
        (local.set $i (i32.add (local.get $i) (local.get $mr)))
        (br $il)))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
      (br $kl))))
)
`;
}
