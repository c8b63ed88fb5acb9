"""Kernel launcher: makes Jupyter's stop button (interrupt) safe for Deno's kernel.

The `tfjs-training` kernelspec starts this script instead of `deno jupyter --kernel`:

    python3 kernel_launcher.py --deno /path/to/deno CONNECTION_FILE

It starts Deno's kernel as a child and stays out of the way: Jupyter's messages go
straight to Deno (the launcher is on no message path, so cells run as fast as without
it). It acts on the interrupt only. Jupyter interrupts a kernelspec with
`interrupt_mode: "signal"` by sending SIGINT to the kernel's process group; Deno's
kernel, in a process group of its own, never sees it (a SIGINT kills it). The launcher
gets it and, measured against Deno 2.9.6's kernel, does what works for the cell at hand:

1. It asks two things at once. The shell channel: `kernel_info_request`, which Deno's
   kernel answers at once only when no cell runs (it handles shell requests one at a
   time). And `@lib`, if a notebook imported it: the library connects to the launcher
   (TCP on 127.0.0.1, with a token; see lib/callbacks/interrupt.ts) and is sent
   `interrupt N`. Its event loop runs while a cell awaits, so it answers within ASK_S:
   `fit` (training stops at the next batch), `loop` (a hand-written loop stops at its
   next step) or `wait` (nothing of the library's runs).
2. Kernel answered: no cell runs; nothing to do. `wait` and a busy kernel: the cell
   awaits something else (a promise that never settles, a timer chain); the library is
   told `abandon N`: it clears pending timers and collects garbage, and the cell's
   promise, no longer reachable, is collected, which Deno's kernel reports as the end of
   the cell ("Promise was collected").
3. No answer from the library: JavaScript runs synchronously (or `@lib` is not imported
   and the process is busy, by its CPU time). Unless training (a fit, a loop asking
   interruptRequested()) said it is alive within TRAINING_LEASE_S: then the launcher
   waits for its next batch or step (a loaded machine can delay the answer, and
   terminating tfjs mid-step can leave a model unusable). The launcher sends Jupyter's
   `interrupt_request` on the control channel; Deno turns it into V8's
   TerminateExecution. A synchronous cell ends there. If the terminated code was the tail
   of an awaited cell, the cell would never end: the launcher watches IOPub for its
   `idle` and, if none comes within ENDED_S, has the library abandon it as in 2.
   Without `@lib` and with the process idle (an await), nothing is done: terminating an
   idle kernel wedges the awaited cell for good.

A second SIGINT while one is handled is ignored. SIGTERM/SIGHUP are passed to Deno; the
launcher exits with Deno's exit status, and Deno is killed when the launcher dies, even
by SIGKILL (Linux: PR_SET_PDEATHSIG), so a restart leaves no process behind.

Every decision goes to stderr (Jupyter's server log), one line each.
"""

import argparse
import json
import os
import secrets
import select
import signal
import socket
import subprocess
import sys
import time

# How long a free kernel takes at most to answer kernel_info on the shell channel, and the
# library to acknowledge an interrupt while its event loop runs (both are asked at once).
ASK_S = 0.4
# How long to wait for a terminated cell's `idle` before abandoning its awaited work.
ENDED_S = 0.35
# How long an abandoned cell may take to end before the library is told it is stuck.
ABANDONED_S = 1.5
# How long to wait for an interrupted cell's `idle` when asked whether it still runs.
CELL_S = 0.05
# How long a hand-written loop given the interrupt may take to ask for it (the library
# abandons the cell after 1 s; see LOOP_GRACE_MS in lib/callbacks/interrupt.ts).
LOOP_S = 1.5
# Training that said it is alive this recently is waited for (it stops at its next batch
# or step); terminating it could leave tfjs in the middle of a step.
TRAINING_LEASE_S = 2.0
# Without the library: CPU share of one core above which the kernel counts as computing.
BUSY_SHARE = 0.05
# Environment variable that tells the library where to connect: "HOST:PORT:TOKEN".
ENV = "TFJS_TRAINING_INTERRUPT"


def log(message):
    sys.stderr.write(f"[tfjs-training launcher] {message}\n")
    sys.stderr.flush()


def child_setup():
    """In Deno's process, before exec: own process group; die with the launcher."""
    os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)


def cpu_seconds(pid):
    """User + system CPU seconds of a process (Linux /proc), or None where unknown."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class Jupyter:
    """The launcher's own sockets to Deno's kernel, opened on the first interrupt."""

    def __init__(self, connection):
        import zmq
        from jupyter_client.session import Session

        self.zmq = zmq
        self.context = zmq.Context()
        self.session = Session(
            key=connection["key"].encode(),
            signature_scheme=connection.get("signature_scheme", "hmac-sha256"),
            username="tfjs-training-launcher",
        )
        base = f"{connection.get('transport', 'tcp')}://{connection['ip']}:"
        self.control = self.context.socket(zmq.DEALER)
        self.control.linger = 0
        self.control.connect(base + str(connection["control_port"]))
        self.shell = self.context.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.connect(base + str(connection["shell_port"]))
        self.iopub_address = base + str(connection["iopub_port"])
        self.iopub = None
        self.probe_id = None

    def probe(self):
        """Send kernel_info_request on shell; answered at once only by a free kernel."""
        msg = self.session.msg("kernel_info_request", {})
        self.probe_id = msg["header"]["msg_id"]
        self.session.send(self.shell, msg)

    def probe_answered(self):
        """Drain shell replies; whether the latest probe was answered."""
        answered = False
        while self.shell.poll(0):
            _, msg = self.session.recv(self.shell, mode=self.zmq.NOBLOCK)
            if msg and msg["parent_header"].get("msg_id") == self.probe_id:
                answered = True
        return answered

    def watch_iopub(self):
        if self.iopub is None:
            self.iopub = self.context.socket(self.zmq.SUB)
            self.iopub.linger = 0
            self.iopub.setsockopt(self.zmq.SUBSCRIBE, b"")
            self.iopub.connect(self.iopub_address)

    def unwatch_iopub(self):
        if self.iopub is not None:
            self.iopub.close()
            self.iopub = None

    def cell_ended(self):
        """Drain IOPub; whether an execute_request reached `idle` since the last call."""
        ended = False
        while self.iopub is not None and self.iopub.poll(0):
            frames = self.iopub.recv_multipart(self.zmq.NOBLOCK)
            try:
                _, frames = self.session.feed_identities(frames, copy=True)
                msg = self.session.deserialize(frames, content=True, copy=True)
            except Exception:  # noqa: BLE001 - a malformed frame is not ours to judge
                continue
            parent = msg.get("parent_header", {})
            if (
                msg["header"]["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
                and parent.get("msg_type") == "execute_request"
            ):
                ended = True
        return ended

    def interrupt_request(self):
        self.session.send(self.control, self.session.msg("interrupt_request", {}))

    def close(self):
        self.unwatch_iopub()
        self.control.close()
        self.shell.close()
        self.context.term()


class Library:
    """The connection from `@lib` inside the kernel (line-based, on 127.0.0.1)."""

    def __init__(self):
        self.token = secrets.token_hex(16)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.conn = None
        self.buffer = b""
        self.greeted = False

    @property
    def address(self):
        return f"127.0.0.1:{self.port}:{self.token}"

    def fds(self):
        return [self.listener] + ([self.conn] if self.conn else [])

    def accept(self):
        conn, _ = self.listener.accept()
        if self.conn is not None:  # one library per kernel; the newest wins
            self.conn.close()
        self.conn, self.buffer, self.greeted = conn, b"", False

    def read(self):
        """Lines received since the last call (after a valid `hello TOKEN`)."""
        try:
            data = self.conn.recv(4096)
        except OSError:
            data = b""
        if not data:
            self.conn.close()
            self.conn, self.greeted = None, False
            return []
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        words = []
        for line in lines:
            parts = line.decode(errors="replace").split()
            if not self.greeted:
                if parts[:2] == ["hello", self.token]:
                    self.greeted = True
                else:
                    log("refused a connection without the token")
                    self.conn.close()
                    self.conn = None
                    return []
            elif parts:
                words.append(parts)
        return words

    @property
    def connected(self):
        return self.conn is not None and self.greeted

    def send(self, *words):
        if self.connected:
            try:
                self.conn.sendall((" ".join(str(w) for w in words) + "\n").encode())
            except OSError:
                pass


class Launcher:
    def __init__(self, deno, connection_file):
        with open(connection_file) as f:
            self.connection = json.load(f)
        self.library = Library()
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        self.wake_w.setblocking(False)
        self.pending_signals = []
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, self.on_signal)
        signal.set_wakeup_fd(self.wake_w.fileno(), warn_on_full_buffer=False)
        env = dict(os.environ, **{ENV: self.library.address})
        self.child = subprocess.Popen(
            [deno, "jupyter", "--kernel", "--conn", connection_file],
            env=env,
            preexec_fn=child_setup,
        )
        self.jupyter = None
        self.connect_jupyter()  # while Deno starts, so the first interrupt waits for nothing
        self.seq = 0
        self.state = None  # the step of the interrupt being handled, or None
        self.deadline = 0.0
        self.cpu_at_start = None
        self.library_free = False
        self.cell_watch = None  # an interrupted cell that goes on, watched until it ends
        self.training_seen = -TRAINING_LEASE_S  # when the library last said training runs

    def connect_jupyter(self):
        if self.jupyter is None:
            try:
                self.jupyter = Jupyter(self.connection)
            except Exception as e:  # noqa: BLE001 - say why; the kernel runs on regardless
                log(f"cannot open the kernel's channels ({e}); interrupts are ignored")
        return self.jupyter is not None

    def on_signal(self, signum, _frame):
        self.pending_signals.append(signum)

    # -- the interrupt, one step at a time --------------------------------------------

    def start_interrupt(self):
        if self.state is not None:
            log(f"interrupt {self.seq}: another press while it is handled; ignored")
            return
        self.seq += 1
        self.cell_watch = None
        if not self.connect_jupyter():
            log(f"interrupt {self.seq}: ignored (no channels to the kernel)")
            return
        self.jupyter.watch_iopub()
        self.jupyter.probe()
        self.cpu_at_start = cpu_seconds(self.child.pid)
        self.library_free = False
        # Asked at the same time as the probe. The deadline (wall clock, ms; half the wait)
        # lets the library ignore an interrupt it reads too late, after the launcher has
        # decided to terminate the code instead.
        deadline_ms = int((time.time() + ASK_S / 2) * 1000)
        self.library.send("interrupt", self.seq, deadline_ms)
        self.step("asking", ASK_S)

    def step(self, state, seconds):
        self.state, self.deadline = state, time.monotonic() + seconds

    def finish(self, outcome, cell_goes_on=False):
        """The interrupt is handled. If the cell goes on (a stopped fit returns, the code
        after it runs), keep watching IOPub and tell the library when the cell ends:
        until then every fit or loop it starts stops at once (■ stops the cell)."""
        log(f"interrupt {self.seq}: {outcome}")
        self.state = None
        self.cell_watch = self.seq if cell_goes_on else None
        if not cell_goes_on and self.jupyter is not None:
            self.jupyter.unwatch_iopub()

    def terminate(self):
        self.jupyter.interrupt_request()
        self.step("terminated", ENDED_S)

    def abandon(self):
        self.library.send("abandon", self.seq)
        self.step("abandoning", ABANDONED_S)

    def on_timeout(self):
        if self.state == "asking":
            # The probe got no answer: a cell is running.
            if self.library_free:
                self.abandon()
            elif self.library.connected and time.monotonic() - self.training_seen < TRAINING_LEASE_S:
                self.step("asking", ASK_S)  # training runs: its next batch sees the interrupt
            elif self.library.connected:
                self.terminate()  # the library could not answer: code runs synchronously
            else:
                used = cpu_seconds(self.child.pid)
                if used is None or self.cpu_at_start is None or used - self.cpu_at_start > BUSY_SHARE * ASK_S:
                    self.terminate()
                else:
                    self.finish(
                        "the cell is waiting, not computing, and @lib is not imported: "
                        "left running (terminating it would wedge the kernel)"
                    )
        elif self.state == "terminated":
            if self.library.connected:
                self.abandon()
            else:
                self.finish("terminated; the cell did not end (it awaited, and @lib is not imported)")
        elif self.state == "loop":
            self.finish("the loop given the interrupt did not answer")
        elif self.state == "abandoning":
            self.library.send("stuck", self.seq)
            self.finish("the abandoned cell is still waiting (work that cannot be cancelled)")

    def on_probe_answered(self):
        if self.state == "asking":
            self.library.send("idle", self.seq)
            self.finish("no cell is running; nothing to stop")

    def on_iopub(self):
        if not self.jupyter.cell_ended():
            return
        if self.state is None and self.cell_watch is not None:
            log(f"interrupt {self.cell_watch}: its cell ended")
            self.library.send("done", self.cell_watch)
            self.cell_watch = None
            self.jupyter.unwatch_iopub()
        elif self.state == "asking":
            self.library.send("idle", self.seq)
            self.finish("the cell ended by itself")
        elif self.state == "terminated":
            self.library.send("ended", self.seq)
            self.finish("synchronous code terminated; the cell ended")
        elif self.state == "loop":
            self.finish("the hand-written loop stopped; the cell ended")
        elif self.state == "abandoning":
            self.finish("awaited work abandoned; the cell ended")

    def on_library(self, words):
        for word in words:
            if word[0] in ("alive", "rest"):
                self.training_seen = time.monotonic() if word[0] == "alive" else -TRAINING_LEASE_S
                continue
            if len(word) < 2 or (word[1] != str(self.seq) and word[0] != "cell"):
                continue
            kind, how = word[0], (word[2] if len(word) > 2 else "")
            if kind == "ack" and self.state == "asking":
                if how == "fit":
                    self.finish("training stops at the next batch (@lib)", cell_goes_on=True)
                elif how == "loop":
                    self.step("loop", LOOP_S)
                else:
                    self.library_free = True  # nothing of the library's runs: abandon, if busy
            elif kind == "abandoned" and self.state in ("abandoning", "loop"):
                self.step("abandoning", ABANDONED_S)
            elif kind == "cell":
                self.answer_cell(word[1])
            elif kind == "taken" and self.state == "loop":
                self.finish("the hand-written loop stopped at its next step", cell_goes_on=True)

    def answer_cell(self, seq):
        """Is the cell that interrupt `seq` stopped a fit in still running? (The library asks
        before a fit or loop starts.) Deno publishes a cell's `idle` before it starts the
        next cell, so if the cell has ended the `idle` is here or arrives within moments."""
        if self.cell_watch is not None and str(self.cell_watch) == seq:
            deadline = time.monotonic() + CELL_S
            while self.cell_watch is not None and time.monotonic() < deadline:
                if self.jupyter.iopub.poll(max(1, int((deadline - time.monotonic()) * 1000))):
                    self.on_iopub()
        if self.cell_watch is not None and str(self.cell_watch) == seq:
            self.library.send("running", seq)
        else:
            self.library.send("done", seq)

    # -- the main loop --------------------------------------------------------------

    def run(self):
        while True:
            for signum in self.pending_signals:
                if signum == signal.SIGINT:
                    self.start_interrupt()
                elif signum in (signal.SIGTERM, signal.SIGHUP):
                    self.stop_child(signum)
            self.pending_signals.clear()
            code = self.child.poll()
            if code is not None:
                return code
            readers = [self.wake_r] + self.library.fds()
            zmq_sockets = []
            if self.jupyter is not None:
                zmq_sockets = [self.jupyter.shell] + ([self.jupyter.iopub] if self.jupyter.iopub else [])
            timeout = max(0.0, self.deadline - time.monotonic()) if self.state else 5.0
            ready = self.poll(readers, zmq_sockets, timeout)
            for item in ready:
                if item is self.wake_r:
                    try:
                        self.wake_r.recv(4096)
                    except BlockingIOError:
                        pass
                elif item is self.library.listener:
                    self.library.accept()
                elif item is self.library.conn:
                    self.on_library(self.library.read())
                elif self.jupyter is not None and item is self.jupyter.shell:
                    if self.jupyter.probe_answered():
                        self.on_probe_answered()
                elif self.jupyter is not None and item is self.jupyter.iopub:
                    self.on_iopub()
            if self.state and time.monotonic() >= self.deadline:
                self.on_timeout()

    def poll(self, readers, zmq_sockets, timeout):
        if not zmq_sockets:
            ready, _, _ = select.select(readers, [], [], timeout)
            return ready
        poller = self.jupyter.zmq.Poller()
        for r in readers:
            poller.register(r, self.jupyter.zmq.POLLIN)
        for s in zmq_sockets:
            poller.register(s, self.jupyter.zmq.POLLIN)
        by_fd = {r.fileno(): r for r in readers}
        ready = []
        for item, _ in poller.poll(timeout * 1000):
            ready.append(by_fd.get(item, item) if isinstance(item, int) else item)
        return ready

    def stop_child(self, signum):
        log(f"signal {signum}: stopping the kernel")
        try:
            self.child.send_signal(signal.SIGTERM)
            self.child.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.child.kill()
        except ProcessLookupError:
            pass

    def close(self):
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        if self.jupyter is not None:
            self.jupyter.close()
        self.library.listener.close()
        if self.library.conn is not None:
            self.library.conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--deno", required=True, help="the deno executable")
    parser.add_argument("connection_file")
    args = parser.parse_args()
    launcher = Launcher(args.deno, args.connection_file)
    try:
        code = launcher.run()
    finally:
        launcher.close()
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
