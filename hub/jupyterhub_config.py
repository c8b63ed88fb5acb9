"""JupyterHub configuration for a class on the tfjs-training lessons.

Started by `deno task hub` (tools/hub.ts), which writes the settings this file reads
(STATE/hub/settings.json, named by $TFJS_HUB_SETTINGS) and prepares the state folder
(hub/prepare.ts). Written for JupyterHub 3.0 as Debian 12 ships it, with the classic
Notebook 6 as the learners' front end.

What it sets up:
- the hub, its proxy and every learner's server on the addresses `deno task hub` chose
  (loopback unless --ip says otherwise); nothing is served without a login;
- demo mode: DemoAuthenticator (one shared password, any valid name; every page says it
  is a demo) and one throw-away system account per learner (`tfjs-NAME`, home
  STATE/home/NAME, mode 0700), so learners' files and processes are kept apart by Unix;
- pam mode: JupyterHub's PAMAuthenticator and the learners' own system accounts;
- each server starts with hub/singleuser.sh, which gives the learner their copy of the
  lessons (hub/lesson_sync.ts) and then runs jupyterhub-singleuser;
- the learners' kernelspec and read-only Deno cache (JUPYTER_PATH, DENO_DIR);
- idle culling by the Notebook server's own timers (jupyterhub-idle-culler is not
  packaged in Debian 12): an idle kernel is shut down after --idle-timeout seconds, and
  a server with no kernel and no request for that long stops itself;
- the file named by --config, loaded last, can change any of this.
"""
import asyncio
import getpass
import json
import os
import pwd
import re

from jupyterhub.auth import DummyAuthenticator
from jupyterhub.spawner import LocalProcessSpawner
from tornado import web

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

with open(os.environ["TFJS_HUB_SETTINGS"], encoding="utf-8") as f:
    S = json.load(f)

DEMO = S["auth"] == "demo"
AS_ROOT = os.geteuid() == 0
NAME_PATTERN = re.compile(S["username_pattern"])

# --- Network: the public address, and internal ports on loopback --------------------
c.JupyterHub.bind_url = S["bind_url"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{S['hub_port']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(S["hub_dir"], "proxy.pid")
c.JupyterHub.pid_file = os.path.join(S["hub_dir"], "jupyterhub.pid")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(S["hub_dir"], "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(S["hub_dir"], "jupyterhub_cookie_secret")
# Stopping the hub stops every learner's server (and so every kernel) and the proxy.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.template_vars = {}

# --- Authentication --------------------------------------------------------------------


def name_problem(name):
    """Why `name` cannot be a learner's name (the same rule as hub/options.ts), or None."""
    if NAME_PATTERN.fullmatch(name):
        return None
    suggestion = re.sub(r"^[^a-z]+", "", re.sub(r"[^a-z0-9_-]+", "-", name.lower()))
    return (
        f'"{name}" is not a valid learner name: use a lowercase letter, then lowercase '
        f'letters, digits, "-" or "_", at most {S["max_name_length"]} characters '
        f'(for example "{suggestion[: S["max_name_length"]] or "alice"}").'
    )


class DemoAuthenticator(DummyAuthenticator):
    """One shared password, any valid learner name. For trying the hub out, not a class."""

    async def authenticate(self, handler, data):
        typed = (data or {}).get("username", "").strip()
        name = self.normalize_username(typed)
        if name_problem(name):
            raise web.HTTPError(400, name_problem(typed))
        if self.password and (data or {}).get("password") == self.password:
            return name
        return None


if DEMO:
    c.JupyterHub.authenticator_class = DemoAuthenticator
    c.DummyAuthenticator.password = S["demo_password"]
    banner = (
        "<strong>Demo mode</strong>: one shared password, any learner name, throw-away "
        "accounts. For a real class, start the hub with <code>--auth=pam</code> or another "
        "authenticator (see the README)."
    )
    c.JupyterHub.template_vars = {"announcement": banner, "announcement_login": banner}
else:
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.blocked_users = {"root"}
c.Authenticator.username_pattern = S["username_pattern"]
c.Authenticator.admin_users = set(S["admins"])

# --- Learners' servers -----------------------------------------------------------------


async def run(*cmd):
    proc = await asyncio.create_subprocess_exec(
        *cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {out.decode(errors='replace')}")


class LearnerSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that runs demo learners under throw-away accounts `PREFIXname`.

    As root, each learner's server runs as their own account. Not as root, every server
    runs as the hub's user (one account for all: their homes are separate, their code is
    not kept apart); `deno task hub` says so when it starts.
    """

    @property
    def account(self):
        if not AS_ROOT:
            return getpass.getuser()
        return S["user_prefix"] + self.user.name if DEMO else self.user.name

    @property
    def home(self):
        if DEMO:
            return os.path.join(S["homes"], self.user.name)
        return pwd.getpwnam(self.account).pw_dir

    async def ensure_demo_account(self):
        home = self.home
        if AS_ROOT:
            try:
                pwd.getpwnam(self.account)
            except KeyError:
                await run(
                    "useradd", "--no-create-home", "--home-dir", home, "--shell",
                    "/usr/sbin/nologin", "--user-group", "--comment",
                    f"tfjs-training hub learner {self.user.name}", self.account,
                )
        os.makedirs(home, mode=0o700, exist_ok=True)
        if AS_ROOT:
            entry = pwd.getpwnam(self.account)
            if os.stat(home).st_uid != entry.pw_uid:
                # the account was made again with a new uid: give the learner their files back
                await run("chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", home)
            os.chmod(home, 0o700)

    def record(self):
        """Remember this learner for `deno task hub update` (STATE/learners/NAME.json)."""
        os.makedirs(S["learners"], mode=0o755, exist_ok=True)
        path = os.path.join(S["learners"], self.user.name + ".json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump({"name": self.user.name, "account": self.account, "home": self.home}, f)
        os.replace(path + ".tmp", path)

    async def start(self):
        if DEMO:
            await self.ensure_demo_account()
        self.record()
        return await super().start()

    def make_preexec_fn(self, name):
        if AS_ROOT:
            return super().make_preexec_fn(self.account)
        home = self.home

        def preexec():
            os.chdir(home)

        return preexec

    def user_env(self, env):
        env["USER"] = self.account
        env["HOME"] = self.home
        env["SHELL"] = "/bin/sh"
        return env


c.JupyterHub.spawner_class = LearnerSpawner
c.Spawner.cmd = [os.path.join(S["course"], "hub", "singleuser.sh")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/tree/" + S["lessons_folder"]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.poll_interval = S["poll_interval"]
c.Spawner.environment = {
    "PATH": S["path"],
    "DENO_DIR": S["deno_dir"],
    "DENO_NO_UPDATE_CHECK": "1",
    "JUPYTER_PATH": S["jupyter_path"],
    "JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp",
    "NO_COLOR": "1",
    "TFJS_COURSE": S["course"],
    "TFJS_DENO": S["deno"],
    S["marker_env"]: S["state"],
}
args = []
if S["idle_timeout"] > 0:
    t = S["idle_timeout"]
    args += [
        f"--MappingKernelManager.cull_idle_timeout={t}",
        f"--MappingKernelManager.cull_interval={max(5, min(300, t // 2))}",
        f"--NotebookApp.shutdown_no_activity_timeout={t}",
    ]
if DEMO:
    args.append("--NotebookApp.terminals_enabled=False")  # demo accounts have no shell
c.Spawner.args = args

if S.get("extra_config"):
    load_subconfig(S["extra_config"])  # noqa: F821 (defined by traitlets' config loader)
    # Another authenticator (OAuth, LDAP, …) with demo mode's throw-away accounts: the
    # login is not a demo any more, so the banner goes (unless the file set its own).
    if DEMO and c.JupyterHub.authenticator_class is not DemoAuthenticator:
        if c.JupyterHub.template_vars.get("announcement") == banner:
            c.JupyterHub.template_vars = {}
