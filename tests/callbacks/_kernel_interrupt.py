"""Drive Deno's Jupyter kernel for the interrupt test (called by stop_on_kernel_test.ts).

Usage: python3 _kernel_interrupt.py KERNEL_NAME SETUP_CODE LONG_CODE AFTER_CODE DELAY_S

Runs SETUP_CODE, starts LONG_CODE, interrupts the kernel after DELAY_S seconds,
waits for the long cell to finish, then runs AFTER_CODE. Prints one JSON object:
{setup, long: {finished, seconds, outputs}, alive, after: {finished, outputs}}.
"""
import json
import queue
import sys
import time

from jupyter_client.manager import start_new_kernel

name, setup, long_code, after_code, delay = sys.argv[1:6]
km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)


def collect(msg_id, timeout):
    outputs, t0 = [], time.time()
    while time.time() - t0 < timeout:
        try:
            m = kc.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        t = m["msg_type"]
        if t == "status" and m["content"]["execution_state"] == "idle":
            return {"finished": True, "seconds": time.time() - t0, "outputs": outputs}
        if t == "stream":
            outputs.append(m["content"]["text"])
        elif t == "error":
            outputs.append("ERROR " + m["content"]["ename"] + ": " + m["content"]["evalue"])
        elif t in ("display_data", "update_display_data", "execute_result"):
            outputs.append(t + ": " + str(m["content"]["data"].get("text/plain")))
    return {"finished": False, "seconds": time.time() - t0, "outputs": outputs}


result = {"setup": collect(kc.execute(setup), 60)}
long_id = kc.execute(long_code)
time.sleep(float(delay))
t0 = time.time()
km.interrupt_kernel()
result["long"] = collect(long_id, 20)
result["long"]["after_interrupt"] = time.time() - t0
result["alive"] = km.is_alive()
result["after"] = collect(kc.execute(after_code), 20) if result["alive"] else None
km.shutdown_kernel(now=True)
print(json.dumps(result))
