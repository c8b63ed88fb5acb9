"""Execute one notebook through a real Jupyter kernel with Jupyter's own client.

Used by tools/notebooks.ts (the `lessons` task and the notebook tests); not meant to
be called by hand, but it can be:

    /usr/bin/python3 tools/nbexec.py IN.ipynb --out OUT.ipynb --html OUT.html \
        --kernel tfjs-training --timeout 600 --grace 0.5

Deno's kernel can publish `status: idle` before the last outputs of a cell. Stock
nbclient stops reading a cell's messages at `idle`, so those outputs are silently
lost. This client keeps reading for `--grace` seconds after each `idle`, puts every
late output into the cell it belongs to, and reports it, so the caller can tell a
notebook whose outputs would have been dropped from one that is robust.

Prints one JSON object on stdout: cells, outputs per cell, errors, late outputs,
seconds. Writes --out and --html atomically (temp file + rename), and only then.
"""

import argparse
import asyncio
import json
import os
import queue
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError, DeadKernelError
from nbclient.util import ensure_async

OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error", "update_display_data"}


class DrainingClient(NotebookClient):
    """nbclient's NotebookClient that does not drop outputs sent after `idle`."""

    def __init__(self, nb, grace: float, **kw):
        super().__init__(nb, **kw)
        self.grace = grace
        self.cells_by_msg = {}
        self.late = []
        code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        self.last_code_cell = code[-1] if code else -1

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        self.cells_by_msg[parent_msg_id] = (cell, cell_index)
        loop = asyncio.get_running_loop()
        deadline = None
        while True:
            timeout = None if deadline is None else max(0.0, deadline - loop.time())
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=timeout))
            except queue.Empty:
                return
            pid = msg["parent_header"].get("msg_id")
            if pid not in self.cells_by_msg:
                continue
            owner, owner_index = self.cells_by_msg[pid]
            is_late = pid != parent_msg_id or deadline is not None
            if is_late and msg["msg_type"] in OUTPUT_TYPES:
                self.late.append({"cell": owner_index, "type": msg["msg_type"]})
            try:
                self.process_message(msg, owner, owner_index)
            except CellExecutionComplete:
                if pid != parent_msg_id or deadline is not None:
                    continue
                if cell_index != self.last_code_cell:
                    return  # late outputs of this cell are collected while the next one runs
                deadline = loop.time() + self.grace


def atomic_write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def count_outputs(cell) -> int:
    return len(cell.get("outputs", []))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("notebook")
    p.add_argument("--out")
    p.add_argument("--html")
    p.add_argument("--kernel", required=True)
    p.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    p.add_argument("--grace", type=float, default=0.5, help="seconds to keep reading after idle")
    p.add_argument("--cwd", help="working directory of the kernel (default: the notebook's folder)")
    args = p.parse_args()

    try:
        nb = nbformat.read(args.notebook, as_version=4)
    except Exception as e:  # unreadable file, invalid JSON, not a notebook
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        sys.stderr.write(f"{args.notebook} is not a readable notebook: {first}\n")
        return 2
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.notebook))
    client = DrainingClient(
        nb,
        grace=args.grace,
        kernel_name=args.kernel,
        timeout=args.timeout,
        resources={"metadata": {"path": cwd}},
        record_timing=False,
    )
    errors = []
    started = time.monotonic()
    try:
        client.execute()
    except CellExecutionError:
        pass  # the failing cell's error output is collected below
    except DeadKernelError as e:
        errors.append({"cell": None, "ename": "DeadKernelError", "evalue": str(e)})
    except Exception as e:  # kernel failed to start, timeout, ...
        errors.append({"cell": None, "ename": type(e).__name__, "evalue": str(e)})
    seconds = time.monotonic() - started

    code_cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code_cells.append(index)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append({
                    "cell": index,
                    "ename": out.get("ename", ""),
                    "evalue": out.get("evalue", ""),
                    "source": cell.source,
                })

    if args.out:
        atomic_write(args.out, nbformat.writes(nb))
    if args.html:
        from nbconvert import HTMLExporter

        html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
        atomic_write(args.html, html)

    summary = {
        "notebook": args.notebook,
        "seconds": round(seconds, 3),
        "cells": len(code_cells),
        "executed": sum(1 for i in code_cells if nb.cells[i].get("execution_count")),
        "outputs": [count_outputs(nb.cells[i]) for i in code_cells],
        "errors": errors,
        "late": client.late,
    }
    json.dump(summary, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
