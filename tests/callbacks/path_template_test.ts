import assert from "node:assert/strict";
import { formatPath, templateKeys } from "../../lib/callbacks/path_template.ts";

Deno.test("formatPath() fills Keras-style fields", () => {
  assert.equal(
    formatPath("ckpt/epoch-{epoch:02d}-{val_loss:.3f}", { epoch: 3, val_loss: 0.12345 }),
    "ckpt/epoch-03-0.123",
  );
  assert.equal(formatPath("{epoch}", { epoch: 12 }), "12");
  assert.equal(formatPath("{loss:.2e}", { loss: 0.00153 }), "1.53e-03");
  assert.equal(formatPath("{loss:g}", { loss: 0.25 }), "0.25");
  assert.equal(formatPath("{epoch:4d}|{epoch:04d}", { epoch: 7 }), "   7|0007");
  assert.equal(formatPath("{{literal}}-{epoch}", { epoch: 1 }), "{literal}-1");
});

Deno.test("formatPath() names a missing key and lists the available ones", () => {
  assert.throws(
    () => formatPath("c/{val_acc:.2f}", { epoch: 1, loss: 0.5 }, "modelCheckpoint"),
    /modelCheckpoint: path template "c\/\{val_acc:\.2f\}" uses \{val_acc\}, which is not in the logs; available keys: epoch, loss/,
  );
});

Deno.test("templateKeys() lists fields and rejects malformed templates", () => {
  assert.deepEqual(templateKeys("a/{epoch:02d}/{val_loss:.3f}"), ["epoch", "val_loss"]);
  assert.throws(() => templateKeys("a/{epoch"), /unclosed "\{"/);
  assert.throws(() => templateKeys("a/{epoch:%d}"), /cannot read field \{epoch:%d\}/);
  assert.throws(() => templateKeys("a}b"), /single "\}"/);
});
