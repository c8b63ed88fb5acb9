// deno-lint-ignore-file no-console -- the load step prints what it measured
/**
 * `deno task hub` end to end, on loopback: N simulated learners (HUB_TEST_LEARNERS,
 * default 8) log in and run lesson 00 through their own server's kernel; learners cannot
 * reach each other's servers or files; a teacher's update keeps a learner's edits;
 * stopping the hub leaves no process behind; a restart loses nothing a learner wrote.
 * bench/hub_load.ts measures the same load with timings.
 */
import assert from "node:assert/strict";
import { ROOT } from "../../tools/notebooks.ts";
import type { Notebook } from "../../tools/notebooks.ts";
import {
  KernelConnection,
  type LearnerRun,
  type LearnerSession,
  login,
  request,
  serverUrl,
  simulateLearner,
  startServer,
} from "../../hub/learner_client.ts";
import {
  accountsWithPrefix,
  hubStatus,
  processesOf,
  removeAccounts,
  startTestHub,
  type TestHub,
} from "../../hub/test_hub.ts";
import { LESSONS_FOLDER } from "../../hub/learner_config.ts";
import { skipWithoutHub } from "./_gate.ts";
import { runHubTask } from "./_hub_cli.ts";

const N = Number(Deno.env.get("HUB_TEST_LEARNERS") ?? 8);
const LESSON = `${LESSONS_FOLDER}/00_setup.ipynb`;

async function contents(learner: LearnerSession, path: string, owner = learner.name) {
  return await request(serverUrl(learner, `api/contents/${path}`, owner), learner.token);
}

async function readNotebook(learner: LearnerSession, path: string): Promise<string> {
  const res = await contents(learner, path);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return JSON.stringify(body.content);
}

function withMarkdown(nb: Notebook, text: string): Notebook {
  return {
    ...nb,
    cells: [...nb.cells, {
      cell_type: "markdown",
      id: crypto.randomUUID(),
      metadata: {},
      source: text,
    }],
  };
}

Deno.test({
  name: "deno task hub: a class of learners runs lesson 00, kept apart, edits kept, nothing left",
  ignore: skipWithoutHub,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const lesson = JSON.parse(await Deno.readTextFile(`${ROOT}/notebooks/00_setup.ipynb`));
    let hub: TestHub | undefined = await startTestHub();
    const { state, lessons, prefix, password } = hub;
    const names = Array.from({ length: Math.max(N, 2) }, (_, i) => `learner${i + 1}`);
    const learners = new Map<string, LearnerSession>();
    try {
      await t.step(`${names.length} learners log in, start servers and run lesson 00`, async () => {
        const runs = await Promise.allSettled(
          names.map((name) => simulateLearner(hub!.url, name, password, lesson)),
        );
        const failures = runs.flatMap((r, i) =>
          r.status === "rejected" ? [`${names[i]}: ${r.reason}`] : []
        );
        assert.deepEqual(failures, [], hub!.output().slice(-4000));
        const results: LearnerRun[] = [];
        for (const r of runs) {
          if (r.status !== "fulfilled") continue;
          learners.set(r.value.run.name, r.value.learner);
          results.push(r.value.run);
        }
        for (const run of results) {
          assert.deepEqual(run.errors, [], `${run.name}: ${run.errors.join("\n")}`);
          assert.equal(run.lost, 0, `${run.name} lost outputs`);
          const model = run.cells.find((c) => c.id === "model")!;
          const text = JSON.stringify(model.outputs);
          assert.match(text, /learned w = 2\.0\d\d, b = -1\.0\d\d/, `${run.name}: ${text}`);
          const curve = run.cells.find((c) => c.id === "curve")!;
          assert.ok(
            curve.outputs.some((o) => o.data?.["application/vnd.plotly.v1+json"]),
            `${run.name}'s curve cell shows a Plotly figure`,
          );
        }
        const late = results.reduce((n, r) => n + r.late, 0);
        console.log(`${results.length} learners: 0 failures, 0 lost outputs, ${late} late (kept)`);
      });

      const [a, b] = [learners.get(names[0])!, learners.get(names[1])!];

      await t.step(
        "a learner's token reads, writes and runs nothing in another's server",
        async () => {
          const { connection } = await KernelConnection.open(b, LESSON);
          try {
            const attempts: [string, Promise<Response>][] = [
              ["read B's lessons", contents(a, LESSONS_FOLDER, b.name)],
              [
                "write B's file",
                request(serverUrl(a, `api/contents/${LESSONS_FOLDER}/x.ipynb`, b.name), a.token, {
                  method: "PUT",
                  body: JSON.stringify({ type: "notebook", content: lesson }),
                }),
              ],
              [
                "start a kernel in B's server",
                request(serverUrl(a, "api/sessions", b.name), a.token, {
                  method: "POST",
                  body: JSON.stringify({
                    path: LESSON,
                    type: "notebook",
                    kernel: { name: "tfjs-training" },
                  }),
                }),
              ],
              [
                "read B's kernel",
                request(serverUrl(a, `api/kernels/${connection.kernelId}`, b.name), a.token),
              ],
            ];
            for (const [what, attempt] of attempts) {
              const res = await attempt;
              await res.body?.cancel();
              assert.equal(res.status, 403, `${what} with A's token: HTTP ${res.status}`);
            }
            // The hub's own API answers 404, not 403: it does not say whether B exists.
            for (
              const [method, path] of [["GET", ""], ["DELETE", "/server"], ["POST", "/tokens"]]
            ) {
              const url = `${a.hub}hub/api/users/${b.name}${path}`;
              const res = await request(url, a.token, { method });
              await res.body?.cancel();
              assert.ok([403, 404].includes(res.status), `${method} ${url}: ${res.status}`);
            }
            const ws = new WebSocket(
              serverUrl(a, `api/kernels/${connection.kernelId}/channels?token=${a.token}`, b.name)
                .replace(/^http/, "ws"),
            );
            const opened = await new Promise<boolean>((resolve) => {
              ws.onopen = () => resolve(true);
              ws.onerror = () => resolve(false);
            });
            if (opened) ws.close();
            assert.equal(opened, false, "A's token opened B's kernel WebSocket");
          } finally {
            await connection.close(b);
          }
        },
      );

      await t.step("nothing is reachable without logging in", async () => {
        const anonymous: [string, RequestInit?][] = [
          [`hub/api/users`],
          [`hub/api/users/${a.name}`],
          [`hub/api/users/${a.name}/server`, { method: "POST" }],
          [`hub/api/users/${a.name}/tokens`, { method: "POST", body: "{}" }],
          [`user/${a.name}/api/contents/${LESSONS_FOLDER}`],
          [`user/${a.name}/api/kernels`],
          [`user/${a.name}/api/sessions`, { method: "POST", body: "{}" }],
          [`user/${a.name}/tree/${LESSONS_FOLDER}`],
          [`user/${a.name}/files/${LESSON}`],
          [`hub/home`],
          [`hub/admin`],
          [`hub/spawn`],
        ];
        for (const [path, init] of anonymous) {
          // Follow redirects by hand (no cookies): each must end at 401/403 or the login page.
          let url = `${a.hub}${path}`;
          let res = await request(url, null, init);
          const hops = [`${res.status} ${path}`];
          for (let i = 0; i < 5 && res.status === 302; i++) {
            await res.body?.cancel();
            url = new URL(res.headers.get("location")!, url).href;
            if (new URL(url).pathname === "/hub/login") break;
            res = await request(url, null);
            hops.push(`${res.status} ${new URL(url).pathname}`);
          }
          const body = res.bodyUsed ? "" : await res.text();
          const atLogin = new URL(url).pathname === "/hub/login";
          assert.ok(
            atLogin || res.status === 403 || res.status === 401,
            `${path} without login: ${hops.join(" → ")} ${body.slice(0, 200)}`,
          );
          assert.doesNotMatch(body, /00_setup|learned w/, `${path} leaked content`);
        }
      });

      await t.step(
        "each learner's files are theirs alone; the course and cache are read-only",
        async () => {
          const accounts = new Map((await accountsWithPrefix(prefix)).map((x) => [x.name, x.uid]));
          const home = `${state}/home/${a.name}`;
          const info = await Deno.stat(home);
          assert.equal(info.uid, accounts.get(`${prefix}${a.name}`));
          assert.equal(info.mode! & 0o777, 0o700);
          const asB = async (...cmd: string[]) =>
            (await new Deno.Command("runuser", {
              args: ["-u", `${prefix}${b.name}`, "--", ...cmd],
              stdout: "null",
              stderr: "null",
            }).output()).success;
          assert.equal(await asB("cat", `${home}/${LESSON}`), false, "B read A's lesson");
          assert.equal(await asB("touch", `${home}/${LESSONS_FOLDER}/b-was-here`), false);
          assert.equal(await asB("touch", `${state}/course/lib/mod.ts`), false);
          assert.equal(await asB("touch", `${state}/deno_dir/written-by-a-learner`), false);
          assert.equal(
            await asB("cat", `${state}/course/lib/mod.ts`),
            true,
            "B can read the course",
          );
        },
      );

      const mine = withMarkdown(lesson, "My own notes on lesson 00.");
      await t.step(
        "the teacher's update keeps a learner's edited lesson and updates the rest",
        async () => {
          const put = await request(serverUrl(a, `api/contents/${LESSON}`), a.token, {
            method: "PUT",
            body: JSON.stringify({ type: "notebook", content: mine }),
          });
          assert.equal(put.status, 200, await put.text());
          const created = await request(
            serverUrl(a, `api/contents/${LESSONS_FOLDER}/mine.ipynb`),
            a.token,
            {
              method: "PUT",
              body: JSON.stringify({ type: "notebook", content: mine }),
            },
          );
          assert.equal(created.status, 201, await created.text());

          for (const name of ["00_setup.ipynb", "01_sgd_regression.ipynb"]) {
            const nb = JSON.parse(await Deno.readTextFile(`${lessons}/${name}`));
            await Deno.writeTextFile(
              `${lessons}/${name}`,
              JSON.stringify(withMarkdown(nb, "Teacher's update, week 2."), null, 1),
            );
          }
          const update = await runHubTask(["update", `--state=${state}`, `--lessons=${lessons}`]);
          assert.equal(update.code, 0, update.text);
          assert.match(update.text, new RegExp(`${names.length} learners updated`));

          const aLesson = await readNotebook(a, LESSON);
          assert.match(aLesson, /My own notes/);
          assert.doesNotMatch(aLesson, /Teacher's update/);
          assert.match(
            await readNotebook(a, `${LESSONS_FOLDER}/00_setup.updated.ipynb`),
            /Teacher's update/,
          );
          assert.match(
            await readNotebook(a, `${LESSONS_FOLDER}/01_sgd_regression.ipynb`),
            /Teacher's update/,
          );
          assert.match(await readNotebook(a, `${LESSONS_FOLDER}/mine.ipynb`), /My own notes/);
          assert.match(await readNotebook(b, LESSON), /Teacher's update/);
        },
      );

      await t.step(
        "bad input: an invalid learner name, a port in use, a hub already running",
        async () => {
          const bad = await request(`${a.hub}hub/login`, null, {
            method: "POST",
            body: new URLSearchParams({ username: "Ada Lovelace!", password }),
          });
          const page = await bad.text();
          assert.equal(bad.status, 400);
          assert.match(page, /Ada Lovelace!.{0,12} is not a valid learner name/);
          assert.match(page, /for example .{0,12}ada-lovelace/);

          const other = await Deno.makeTempDir({ prefix: "hub-state-" });
          try {
            const busy = await runHubTask([`--state=${other}`, `--port=${hub!.port}`]);
            assert.equal(busy.code, 1);
            assert.match(busy.text, new RegExp(`Port ${hub!.port} on 127.0.0.1 is already in use`));
            assert.match(busy.text, /--port=\d+/);
          } finally {
            await Deno.remove(other, { recursive: true });
          }
          const twice = await runHubTask([`--state=${state}`, `--port=${hub!.port + 1}`]);
          assert.equal(twice.code, 1);
          assert.match(
            twice.text,
            /already running \(pid \d+\)\. Stop it first: deno task hub stop/,
          );
        },
      );

      await t.step(
        "stopping the hub stops every server, kernel and thread it started",
        async () => {
          // One kernel left running, as a learner who walks away would.
          const { connection } = await KernelConnection.open(a, LESSON);
          const running = await hubStatus(state);
          const uids = (await accountsWithPrefix(prefix)).map((x) => x.uid);
          const threads = running.reduce((n, p) => n + p.threads, 0);
          console.log(`before stop: ${running.length} processes, ${threads} threads`);
          assert.ok(running.length >= names.length + 3, running.map((p) => p.command).join("\n"));
          assert.ok(running.some((p) => / jupyter --kernel/.test(p.command)), "a kernel runs");
          const code = await hub!.stop();
          const said = hub!.output();
          hub = undefined;
          assert.equal(code, 0);
          // JupyterHub stopped them all itself: the wrapper's sweep found nothing to kill.
          assert.doesNotMatch(said, /outlived JupyterHub/);
          await connection.close(a).catch(() => {});
          assert.deepEqual(await hubStatus(state), []);
          assert.deepEqual(await processesOf(uids), []);
        },
      );

      await t.step("a restarted hub gives learners back everything they wrote", async () => {
        hub = await startTestHub({ state, lessons, prefix });
        const again = await login(hub.url, a.name, password);
        await startServer(again);
        const lesson00 = await readNotebook(again, LESSON);
        assert.match(lesson00, /My own notes/);
        assert.match(await readNotebook(again, `${LESSONS_FOLDER}/mine.ipynb`), /My own notes/);
        const code = await hub.stop();
        hub = undefined;
        assert.equal(code, 0);
        assert.deepEqual(await hubStatus(state), []);
      });
    } finally {
      if (hub) await hub.stop();
      await removeAccounts(prefix);
      await Deno.remove(state, { recursive: true }).catch(() => {});
      await Deno.remove(lessons, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "deno task hub --idle-timeout: an idle learner's server is shut down",
  ignore: skipWithoutHub,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const hub = await startTestHub({ args: ["--idle-timeout=1"] });
    try {
      const learner = await login(hub.url, "idle", hub.password);
      await startServer(learner);
      // The Notebook server checks once a minute; the hub notices within its poll interval.
      const deadline = Date.now() + 150_000;
      let servers: Record<string, unknown> = { "": {} };
      while (servers[""] && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 2000));
        const res = await request(`${hub.url}hub/api/users/idle`, learner.token);
        servers = (await res.json()).servers;
      }
      assert.equal(servers[""], undefined, "the idle server still runs after 150 s");
    } finally {
      await hub.stop();
      await removeAccounts(hub.prefix);
      await Deno.remove(hub.state, { recursive: true }).catch(() => {});
      await Deno.remove(hub.lessons, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name:
    "deno task hub --auth=pam: system users log in with their own password; --config loads last",
  ignore: skipWithoutHub,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const prefix = `p${crypto.getRandomValues(new Uint16Array(1))[0].toString(16)}-`;
    const account = `${prefix}ada`;
    const homes = await Deno.makeTempDir({ prefix: "hub-homes-" });
    const extra = `${homes}/extra_config.py`;
    await Deno.chmod(homes, 0o755);
    await Deno.writeTextFile(
      extra,
      'c.JupyterHub.template_vars = {"announcement_login": "Welcome to week 1"}\n',
    );
    const useradd = await new Deno.Command("useradd", {
      args: ["--create-home", "--home-dir", `${homes}/ada`, account],
    }).output();
    assert.ok(useradd.success, "useradd");
    const chpasswd = new Deno.Command("chpasswd", { stdin: "piped" }).spawn();
    const writer = chpasswd.stdin.getWriter();
    await writer.write(new TextEncoder().encode(`${account}:ada-pam-password\n`));
    await writer.close();
    assert.ok((await chpasswd.status).success, "chpasswd");
    const hub = await startTestHub({ prefix, args: ["--auth=pam", `--config=${extra}`] });
    try {
      const page = await (await fetch(`${hub.url}hub/login`)).text();
      assert.match(page, /Welcome to week 1/);
      assert.doesNotMatch(page, /Demo mode/);
      await assert.rejects(login(hub.url, account, "wrong password"), /HTTP 200, not a redirect/);
      await assert.rejects(login(hub.url, "root", "anything"), /not a redirect/);
      const ada = await login(hub.url, account, "ada-pam-password");
      await startServer(ada);
      const info = await Deno.stat(`${homes}/ada/${LESSON}`);
      const uid = (await accountsWithPrefix(prefix))[0].uid;
      assert.equal(info.uid, uid, "the lesson copy belongs to the learner's own account");
      const status = await hubStatus(hub.state);
      const server = status.find((p) => /jupyterhub-singleuser/.test(p.command));
      assert.equal(server?.uid, uid, "the server runs as the learner");
    } finally {
      await hub.stop();
      await removeAccounts(prefix);
      await Deno.remove(homes, { recursive: true }).catch(() => {});
      await Deno.remove(hub.state, { recursive: true }).catch(() => {});
      await Deno.remove(hub.lessons, { recursive: true }).catch(() => {});
    }
  },
});
