/**
 * A simulated learner, for the hub's test and load benchmark: logs in, gets a token
 * through JupyterHub's REST API, starts their server, opens a kernel through the
 * server's own API (a session on their copy of a lesson, as the browser does) and runs
 * the lesson's code cells over the kernel's WebSocket.
 *
 * Outputs are collected the way tools/nbexec.py collects them: an output that arrives
 * after its cell's `idle` is kept and counted as late, and the connection keeps
 * listening for `graceMs` after the last cell. An output is lost when a cell shows fewer
 * outputs than its `await show(…)` / `await plot(…)` / `await display(…)` calls promise.
 *
 * @module
 */
import type { Notebook, NotebookOutput } from "../tools/notebooks.ts";
import { KERNEL_NAME } from "../tools/jupyter.ts";
import { LESSONS_FOLDER } from "./learner_config.ts";

/** A learner known to the hub, with a token for its REST API and their server. */
export interface LearnerSession {
  hub: string;
  name: string;
  token: string;
}

/** `fetch` with the learner's token (or none), never following redirects. */
export function request(
  url: string,
  token: string | null,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `token ${token}`);
  return fetch(url, { ...init, headers, redirect: "manual" });
}

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/**
 * Log in at the hub's login form (which creates the learner's hub account) and get an
 * API token with the same name and password from the REST API.
 *
 * @param hub The hub's URL, ending in `/`.
 */
export async function login(hub: string, name: string, password: string): Promise<LearnerSession> {
  const form = new URLSearchParams({ username: name, password });
  const res = await request(`${hub}hub/login`, null, { method: "POST", body: form });
  await res.body?.cancel();
  if (res.status !== 302) throw new Error(`login of ${name}: HTTP ${res.status}, not a redirect`);
  const tokenRes = await request(`${hub}hub/api/users/${name}/tokens`, null, {
    method: "POST",
    body: JSON.stringify({ auth: { username: name, password }, note: "simulated learner" }),
  });
  const { token } = await json<{ token: string }>(tokenRes, `token for ${name}`);
  return { hub, name, token };
}

/** Start the learner's server and wait until the hub says it is ready and it answers. */
export async function startServer(learner: LearnerSession, timeoutMs = 180_000): Promise<void> {
  const { hub, name, token } = learner;
  const res = await request(`${hub}hub/api/users/${name}/server`, token, { method: "POST" });
  const body = await res.text();
  if (res.status !== 201 && res.status !== 202 && res.status !== 400) {
    throw new Error(`starting ${name}'s server: HTTP ${res.status} ${body}`);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const user = await json<{ servers: Record<string, { ready: boolean }> }>(
      await request(`${hub}hub/api/users/${name}`, token),
      `${name}'s hub record`,
    );
    if (user.servers[""]?.ready) {
      const status = await request(`${hub}user/${name}/api/status`, token);
      await status.body?.cancel();
      if (status.ok) return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name}'s server was not ready after ${timeoutMs / 1000} s`);
}

/** Stop the learner's server (the hub waits for it to exit). */
export async function stopServer(learner: LearnerSession): Promise<void> {
  const { hub, name, token } = learner;
  const res = await request(`${hub}hub/api/users/${name}/server`, token, { method: "DELETE" });
  await res.body?.cancel();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const user = await json<{ servers: Record<string, unknown> }>(
      await request(`${hub}hub/api/users/${name}`, token),
      `${name}'s hub record`,
    );
    if (!user.servers[""]) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name}'s server did not stop within 60 s`);
}

/** The URL of a path in the learner's own server, e.g. `api/contents/…`. */
export function serverUrl(learner: LearnerSession, path: string, owner = learner.name): string {
  return `${learner.hub}user/${owner}/${path}`;
}

/** A Jupyter message as the Notebook server's WebSocket carries it. */
interface Message {
  header: { msg_id: string; msg_type: string; session?: string };
  parent_header: { msg_id?: string };
  content: Record<string, unknown>;
  channel: string;
  metadata?: Record<string, unknown>;
}

/** What one code cell produced. */
export interface CellRun {
  id: string;
  outputs: NotebookOutput[];
  /** Outputs that arrived after the cell's `idle` (kept in `outputs`). */
  late: number;
  status: string;
  /** ms from the notebook's first `execute_request` to this cell's first output. */
  firstOutputMs: number | null;
}

/** What running a notebook through a kernel connection produced. */
export interface NotebookResult {
  /** ms from opening the session to the kernel's `kernel_info_reply`. */
  kernelStartMs: number;
  /** ms from the first `execute_request` to the first output of any cell. */
  firstOutputMs: number | null;
  /** ms from the first `execute_request` to the last cell's reply and `idle`. */
  completeMs: number;
  cells: CellRun[];
  /** Outputs that arrived after their cell's `idle`. */
  late: number;
  /** Outputs a cell's code promises that never arrived. */
  lost: number;
  /** Cells that raised, or did not finish. */
  errors: string[];
}

/** How many outputs a cell's source promises: one per awaited `show`, `plot` or `display`. */
export function promisedOutputs(source: string): number {
  return source.match(/\bawait\s+(show|plot|display)\s*\(/g)?.length ?? 0;
}

const OUTPUT_TYPES = new Set([
  "stream",
  "display_data",
  "execute_result",
  "error",
  "update_display_data",
]);

/** Decode the Notebook server's binary frame: count, offsets, JSON message, buffers. */
function decodeBinary(data: ArrayBuffer): Message {
  const view = new DataView(data);
  const n = view.getUint32(0);
  const start = view.getUint32(4);
  const end = n > 1 ? view.getUint32(8) : data.byteLength;
  return JSON.parse(new TextDecoder().decode(new Uint8Array(data, start, end - start)));
}

/** A kernel opened through the learner's server (a session on one of their notebooks). */
export class KernelConnection {
  #socket: WebSocket;
  #session = crypto.randomUUID();
  #handlers = new Map<string, (msg: Message) => void>();
  #closed: Promise<void>;

  private constructor(socket: WebSocket, readonly kernelId: string, readonly sessionId: string) {
    this.#socket = socket;
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => {
      const msg = typeof event.data === "string"
        ? JSON.parse(event.data) as Message
        : decodeBinary(event.data as ArrayBuffer);
      const parent = msg.parent_header?.msg_id;
      if (parent) this.#handlers.get(parent)?.(msg);
    };
    this.#closed = new Promise((resolve) => socket.onclose = () => resolve());
  }

  /**
   * Open a session on `notebook` (a path in the learner's server, e.g.
   * `tfjs-training/00_setup.ipynb`): the server starts the kernel in the notebook's
   * folder, where the learner's `deno.json` is.
   */
  static async open(
    learner: LearnerSession,
    notebook = `${LESSONS_FOLDER}/00_setup.ipynb`,
    kernel = KERNEL_NAME,
  ): Promise<{ connection: KernelConnection; kernelStartMs: number }> {
    const started = performance.now();
    const res = await request(serverUrl(learner, "api/sessions"), learner.token, {
      method: "POST",
      body: JSON.stringify({
        path: notebook,
        type: "notebook",
        name: "",
        kernel: { name: kernel },
      }),
    });
    const session = await json<{ id: string; kernel: { id: string } }>(res, "opening a session");
    const ws = serverUrl(
      learner,
      `api/kernels/${session.kernel.id}/channels?token=${learner.token}`,
    ).replace(/^http/, "ws");
    const socket = new WebSocket(ws);
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = (e) =>
        reject(new Error(`kernel WebSocket: ${(e as ErrorEvent).message ?? "failed"}`));
    });
    const connection = new KernelConnection(socket, session.kernel.id, session.id);
    await connection.#request("kernel_info_request", {}, 120_000);
    return { connection, kernelStartMs: performance.now() - started };
  }

  #send(msgType: string, content: Record<string, unknown>): string {
    const msgId = crypto.randomUUID();
    const msg = {
      header: {
        msg_id: msgId,
        msg_type: msgType,
        session: this.#session,
        username: "learner",
        version: "5.3",
        date: new Date().toISOString(),
      },
      parent_header: {},
      metadata: {},
      content,
      channel: "shell",
      buffers: [],
    };
    this.#socket.send(JSON.stringify(msg));
    return msgId;
  }

  /** Send a shell request and wait for its reply. */
  #request(msgType: string, content: Record<string, unknown>, timeoutMs: number) {
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${msgType}: no reply in ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      const id = this.#send(msgType, content);
      this.#handlers.set(id, (msg) => {
        if (msg.channel === "shell") {
          clearTimeout(timer);
          this.#handlers.delete(id);
          resolve(msg);
        }
      });
    });
  }

  /**
   * Run every code cell of `nb` in order, as a learner pressing Shift+Enter would.
   *
   * @param graceMs How long to keep listening after the last cell's `idle`.
   * @param cellTimeoutMs How long one cell may run.
   */
  async run(nb: Notebook, { graceMs = 1000, cellTimeoutMs = 600_000 } = {}): Promise<
    Omit<NotebookResult, "kernelStartMs">
  > {
    const t0 = performance.now();
    const cells: CellRun[] = [];
    const errors: string[] = [];
    for (const cell of nb.cells) {
      if (cell.cell_type !== "code") continue;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      const run: CellRun = {
        id: cell.id ?? String(cells.length),
        outputs: [],
        late: 0,
        status: "pending",
        firstOutputMs: null,
      };
      cells.push(run);
      let idle = false;
      let replied = false;
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`cell ${run.id} did not finish in ${cellTimeoutMs / 1000} s`));
        }, cellTimeoutMs);
        const id = this.#send("execute_request", {
          code: source,
          silent: false,
          store_history: true,
          user_expressions: {},
          allow_stdin: false,
          stop_on_error: true,
        });
        this.#handlers.set(id, (msg) => {
          const type = msg.header.msg_type;
          if (msg.channel === "shell" && type === "execute_reply") {
            replied = true;
            run.status = String(msg.content.status);
          } else if (type === "status" && msg.content.execution_state === "idle") {
            idle = true;
          } else if (OUTPUT_TYPES.has(type)) {
            if (idle) run.late++;
            run.firstOutputMs ??= performance.now() - t0;
            // An update redraws an output in place (live curves); it adds none.
            if (type !== "update_display_data") {
              run.outputs.push({ output_type: type, ...msg.content } as NotebookOutput);
            }
          }
          if (idle && replied) {
            clearTimeout(timer);
            resolve(); // the handler stays: late outputs are still collected
          }
        });
      });
      try {
        await done;
      } catch (e) {
        errors.push((e as Error).message);
        break;
      }
      if (run.status !== "ok") {
        const error = run.outputs.find((o) => o.output_type === "error");
        errors.push(`cell ${run.id}: ${error?.ename ?? run.status}: ${error?.evalue ?? ""}`);
        break;
      }
    }
    const completeMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, graceMs));
    const byId = new Map(nb.cells.map((c) => [c.id, c]));
    let lost = 0;
    for (const run of cells) {
      const cell = byId.get(run.id);
      const source = Array.isArray(cell?.source) ? cell.source.join("") : cell?.source ?? "";
      lost += Math.max(0, promisedOutputs(source) - run.outputs.length);
    }
    const firsts = cells.map((c) => c.firstOutputMs).filter((t): t is number => t !== null);
    return {
      firstOutputMs: firsts.length ? Math.min(...firsts) : null,
      completeMs,
      cells,
      late: cells.reduce((n, c) => n + c.late, 0),
      lost,
      errors,
    };
  }

  /** Close the WebSocket and shut the kernel down through the server's API. */
  async close(learner: LearnerSession): Promise<void> {
    this.#socket.close();
    await this.#closed;
    const res = await request(serverUrl(learner, `api/sessions/${this.sessionId}`), learner.token, {
      method: "DELETE",
    });
    await res.body?.cancel();
  }
}

/** Everything one simulated learner measured, login to last output. */
export interface LearnerRun extends NotebookResult {
  name: string;
  /** ms from the login request to the server answering through the proxy. */
  readyMs: number;
}

/**
 * One learner's whole session: log in, start the server, open lesson `notebook` from
 * their copy, run it through the kernel, close the kernel (the server keeps running).
 */
export async function simulateLearner(
  hub: string,
  name: string,
  password: string,
  nb: Notebook,
  notebook = `${LESSONS_FOLDER}/00_setup.ipynb`,
): Promise<{ learner: LearnerSession; run: LearnerRun }> {
  const t0 = performance.now();
  const learner = await login(hub, name, password);
  await startServer(learner);
  const readyMs = performance.now() - t0;
  const { connection, kernelStartMs } = await KernelConnection.open(learner, notebook);
  try {
    const result = await connection.run(nb);
    return { learner, run: { name, readyMs, kernelStartMs, ...result } };
  } finally {
    await connection.close(learner);
  }
}
