import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadCars } from "../../lib/data/cars.ts";

Deno.test("loadCars() reads cars.json from vega-datasets and drops rows missing a value", async () => {
  const cars = await loadCars();
  assert.deepEqual(cars.x.shape, [392, 1]);
  assert.deepEqual(cars.y.shape, [392, 1]);
  assert.equal(cars.rows.length + cars.dropped.length, 406);
  assert.ok(cars.dropped.every((r) => r.Horsepower === null || r.Miles_per_Gallon === null));
  assert.equal(cars.rows[0].Name, "chevrolet chevelle malibu");
  assert.deepEqual([cars.x.dataSync()[0], cars.y.dataSync()[0]], [130, 18]);
  tf.dispose([cars.x, cars.y]);
});

Deno.test("loadCars() takes features and target, and can refuse missing values", async () => {
  const cars = await loadCars({ features: ["Weight_in_lbs"], target: "Acceleration" });
  assert.deepEqual(cars.x.shape, [406, 1]);
  assert.equal(cars.dropped.length, 0);
  tf.dispose([cars.x, cars.y]);
  await assert.rejects(() => loadCars({ missing: "error" }), /14 cars miss a value/);
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    () => loadCars({ features: ["Colour" as any] }),
    /unknown column "Colour"/,
  );
});
