"""Run cells in a Deno Jupyter kernel and print every IOPub output message as JSON.

Usage: python3 _kernel_run.py KERNEL_NAME CELL [CELL...]
Prints one JSON list per cell: [{type, display_id, text}], read until `idle` plus a
1 s grace period (Deno's kernel can send outputs after idle).
"""
import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

name, cells = sys.argv[1], sys.argv[2:]
km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)
results = []
for code in cells:
    msg_id = kc.execute(code)
    out, idle_at, t0 = [], None, time.time()
    while time.time() - t0 < 120:
        if idle_at is not None and time.time() - idle_at > 1.0:
            break
        try:
            m = kc.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        t = m["msg_type"]
        if t == "status" and m["content"]["execution_state"] == "idle":
            idle_at = time.time()
        elif t in ("display_data", "update_display_data", "execute_result"):
            out.append({
                "type": t,
                "display_id": m["content"].get("transient", {}).get("display_id"),
                "text": m["content"]["data"].get("text/plain"),
            })
        elif t == "stream":
            out.append({"type": "stream", "text": m["content"]["text"]})
        elif t == "error":
            out.append({"type": "error", "text": m["content"]["ename"] + ": " + m["content"]["evalue"]})
    results.append(out)
km.shutdown_kernel(now=True)
print(json.dumps(results))
