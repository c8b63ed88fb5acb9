import assert from "node:assert/strict";
import {
  HubUsageError,
  learnerNamePattern,
  learnerNameProblem,
  parseHubArgs,
} from "../../hub/options.ts";

const defaults = { state: "/srv/hub", lessons: "/repo/notebooks" };

Deno.test("parseHubArgs() defaults: start, loopback, port 8000, demo login, idle culling after 1 h", () => {
  const o = parseHubArgs([], defaults);
  assert.equal(o.command, "start");
  assert.equal(o.ip, "127.0.0.1");
  assert.equal(o.port, 8000);
  assert.equal(o.auth, "demo");
  assert.equal(o.idleTimeout, 3600);
  assert.equal(o.state, "/srv/hub");
  assert.equal(o.lessons, "/repo/notebooks");
  assert.equal(o.userPrefix, "tfjs-");
  assert.deepEqual(o.admins, []);
});

Deno.test("parseHubArgs() reads commands and options", () => {
  const o = parseHubArgs(
    [
      "update",
      "--port=9100",
      "--admin=ada,grace",
      "--admin=alan",
      "--idle-timeout=0",
      "--auth=pam",
    ],
    defaults,
  );
  assert.equal(o.command, "update");
  assert.equal(o.port, 9100);
  assert.deepEqual(o.admins, ["ada", "grace", "alan"]);
  assert.equal(o.idleTimeout, 0);
  assert.equal(o.auth, "pam");
});

Deno.test("parseHubArgs() rejects what it cannot use, naming it and the fix", () => {
  const cases: [string[], RegExp][] = [
    [["--port=http"], /--port=http is not a whole number from 1 to 65535/],
    [["--port=70000"], /--port=70000/],
    [["--idle-timeout=-5"], /--idle-timeout=-5/],
    [["--auth=ldap"], /--auth=ldap is not a mode: use --auth=demo .* --auth=pam .*--config=FILE/],
    [
      ["--admin=Ada Lovelace"],
      /--admin: "Ada Lovelace" is not a valid learner name.*"ada-lovelace"/,
    ],
    [["--user-prefix=Class"], /--user-prefix=Class cannot start a Linux user name/],
    [["--password=short"], /at least 8 characters/],
    [["restart"], /Unknown command "restart"/],
    [["--colour=blue"], /Unknown option '--colour'/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseHubArgs(args, defaults), (e: Error) => {
      assert.ok(e instanceof HubUsageError, String(e));
      assert.match(e.message, message);
      return true;
    });
  }
});

Deno.test("learnerNameProblem() accepts Linux-style names and explains the rule otherwise", () => {
  for (const ok of ["alice", "a", "bob_2", "mary-jane", "x".repeat(27)]) {
    assert.equal(learnerNameProblem(ok, "tfjs-"), null, ok);
  }
  for (const bad of ["Alice", "2pac", "-x", "a b", "a.b", "", "x".repeat(28), "émile", "root\n"]) {
    const problem = learnerNameProblem(bad, "tfjs-");
    assert.ok(problem, `${JSON.stringify(bad)} should be refused`);
    assert.match(problem, /is not a valid learner name: use a lowercase letter/);
    assert.match(problem, /at most 27 characters/);
  }
  assert.match(learnerNameProblem("Grace Hopper", "tfjs-")!, /for example "grace-hopper"/);
  // Without a prefix (pam mode) a name may use all of useradd's 32 characters.
  assert.equal(learnerNameProblem("x".repeat(32), ""), null);
  assert.equal(learnerNamePattern("tfjs-"), "^[a-z][a-z0-9_-]{0,26}$");
});
