#!/usr/bin/env bash
# The one install script: README (through `deno task setup`, which `lessons`, `test` and
# `notebook` run first), ./denow, .ci/run, the class image and Binder all use it. It installs
# only what is missing and ends with one line saying what it did. `tools/install.sh --help`
# says how to call it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DENO_VERSION="$(tr -d ' \t\r\n' <"$ROOT/.dvmrc")"
DENO_VERSION="${DENO_VERSION#v}"
LOCAL_DENO_DIR="$ROOT/.tools/deno-$DENO_VERSION" # project-local Deno, from npm
KERNEL_NAME="tfjs-training"                      # tools/jupyter.ts KERNEL_NAME
# What "Jupyter is there" means: the modules tools/jupyter.ts findJupyterPython() imports.
JUPYTER_MODULES="nbclient, nbconvert, jupyter_client, nbformat"
JUPYTER_APT=(jupyter-notebook jupyter-nbconvert python3-nbclient)
JUPYTER_PIP=(notebook nbclient nbconvert)
TEST_APT=(chromium mesa-vulkan-drivers)
# The class hub's packages: one list, in hub/install_packages.sh (also used by hub/Dockerfile).
mapfile -t HUB_APT < <("$ROOT/hub/install_packages.sh" --list)
STAMP="$ROOT/node_modules/.install-sh-stamp" # what `deno install` last installed from

# The commands that install Jupyter on this OS by hand, for when this script cannot.
jupyter_commands() {
  if [ "$is_debian" = 1 ]; then
    if [ -n "${JUPYTER_PYTHON:-}" ]; then echo "  unset JUPYTER_PYTHON"; fi
    echo "  sudo apt-get update"
    echo "  sudo apt-get install -y ${JUPYTER_APT[*]}"
  else
    echo "  python3 -m venv ~/.venvs/jupyter"
    echo "  ~/.venvs/jupyter/bin/pip install ${JUPYTER_PIP[*]}"
    echo "  export JUPYTER_PYTHON=~/.venvs/jupyter/bin/python"
  fi
}

usage() {
  cat <<EOF
Usage: tools/install.sh [OPTION]...

Install what this project needs and is missing, then say in one line what was done
("install: nothing to install ..." when everything is there):
  - Deno $DENO_VERSION (pinned in .dvmrc): the \`deno\` on PATH when it is that version, else
    installed from npm into .tools/deno-$DENO_VERSION/ (needs Node.js and npm);
  - Jupyter with its headless client ($JUPYTER_MODULES):
    apt-get as root or through \`sudo -n\`, else \`pip install --user\` where pip exists,
    else it stops and prints the commands to run on this OS;
  - the npm packages of deno.json's import map, into node_modules/ (\`deno install\`);
  - the "Deno ($KERNEL_NAME)" Jupyter kernelspec, for the Deno above (tools/setup.ts).

Options:
  --test-extras  also what only the tests need: ${TEST_APT[*]} (apt)
  --hub          also the class server: ${HUB_APT[*]} (apt)
  --no-kernel    do not install the kernelspec
  --check        install nothing; report what is missing
                 (exit status 0: nothing is missing, 1: something would be installed)
  --deno-path    only make sure the pinned Deno is there and print its path (./denow uses this)
  -h, --help     show this help

Environment:
  JUPYTER_PYTHON  the Python whose Jupyter to use and install into (default: /usr/bin/python3,
                  then python3, python: the first that has Jupyter)

Exit status: 0 done, 1 something is missing that this script could not install (it prints the
commands to run), 2 bad usage.
EOF
}

say() { echo "install: $*" >&2; }
join() { # join SEPARATOR WORD...: the words, separated
  local sep="$1" out=""
  shift
  for w in "$@"; do out+="${out:+$sep}$w"; done
  printf '%s' "$out"
}

check=0 extras=0 hub=0 kernel=1 deno_path_only=0
for arg in "$@"; do
  case "$arg" in
  --test-extras) extras=1 ;;
  --hub) hub=1 ;;
  --no-kernel) kernel=0 ;;
  --check) check=1 ;;
  --deno-path) deno_path_only=1 ;;
  -h | --help)
    usage
    exit 0
    ;;
  *)
    echo "install: unknown option '$arg'. Options: --test-extras, --hub, --no-kernel, --check, --deno-path, --help." >&2
    echo "Run tools/install.sh --help for what each does." >&2
    exit 2
    ;;
  esac
done

# --- Deno -------------------------------------------------------------------------------

deno_version_of() { "$1" --version 2>/dev/null | sed -n '1s/^deno \([^ ]*\).*/\1/p'; }

# The pinned Deno: the one on PATH when it is the pinned version (so `deno` and ./denow run
# the same binary), else the project-local one. Prints its path; fails when there is none.
find_deno() {
  local onpath
  onpath="$(command -v deno || true)"
  if [ -n "$onpath" ] && [ "$(deno_version_of "$onpath")" = "$DENO_VERSION" ]; then
    echo "$onpath"
  elif [ -x "$LOCAL_DENO_DIR/bin/deno" ]; then
    echo "$LOCAL_DENO_DIR/bin/deno"
  else
    return 1
  fi
}

deno_missing_why() {
  local onpath
  onpath="$(command -v deno || true)"
  if [ -n "$onpath" ]; then
    echo "the deno on PATH ($onpath) is $(deno_version_of "$onpath" || echo "unknown"), not $DENO_VERSION"
  else
    echo "no deno on PATH"
  fi
}

deno_install_commands() {
  cat >&2 <<EOF
install: Deno $DENO_VERSION is missing ($(deno_missing_why)), and npm, which this script installs it with, is not on PATH.
Install npm (Debian/Ubuntu; this script then installs Deno with it) or Deno itself, then run
this command again:
  sudo apt-get install -y npm
or
  curl -fsSL https://deno.land/install.sh | sh -s v$DENO_VERSION
EOF
}

# npm's `deno` package carries the binary in a per-platform optional dependency
# (@deno/linux-x64-glibc, ...); --ignore-scripts skips its postinstall, which only copies it.
install_deno() {
  local partial="$LOCAL_DENO_DIR.partial" bin
  say "installing Deno $DENO_VERSION from npm into ${LOCAL_DENO_DIR#"$ROOT/"}/ ($(deno_missing_why))"
  rm -rf "$partial"
  mkdir -p "$partial"
  if ! npm install --prefix "$partial" --no-save --no-audit --no-fund --no-update-notifier --ignore-scripts \
    --loglevel=error "deno@$DENO_VERSION" >&2; then
    say "npm could not install deno@$DENO_VERSION (see npm's error above)."
    exit 1
  fi
  bin=""
  for candidate in "$partial"/node_modules/@deno/*/deno; do
    [ -x "$candidate" ] && bin="$candidate" && break
  done
  if [ -z "$bin" ]; then
    say "npm's deno@$DENO_VERSION has no binary for $(uname -sm) (npm installed no @deno/* package)."
    say "Install Deno $DENO_VERSION from https://deno.com instead, then run this again."
    exit 1
  fi
  mkdir -p "$partial/bin"
  ln -s "../${bin#"$partial/"}" "$partial/bin/deno"
  rm -rf "$LOCAL_DENO_DIR"
  mv "$partial" "$LOCAL_DENO_DIR"
  if [ "$(deno_version_of "$LOCAL_DENO_DIR/bin/deno")" != "$DENO_VERSION" ]; then
    say "$LOCAL_DENO_DIR/bin/deno does not run or is not $DENO_VERSION."
    exit 1
  fi
}

if [ "$deno_path_only" = 1 ]; then
  if deno="$(find_deno)"; then
    echo "$deno"
    exit 0
  fi
  if [ "$check" = 1 ]; then
    say "--check: would install Deno $DENO_VERSION from npm ($(deno_missing_why))"
    exit 1
  fi
  command -v npm >/dev/null || {
    deno_install_commands
    exit 1
  }
  install_deno
  echo "$LOCAL_DENO_DIR/bin/deno"
  exit 0
fi

# --- The plan: what is there, what is missing, how it would be installed --------------------

have=()    # what is already there, for the summary line
todo=()    # what will be (or, with --check, would be) installed
apt_pkgs=() # system packages to install with apt-get

as_root=() # how to run apt-get: directly as root, through `sudo -n`, or not at all
apt_ok=0
if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt_ok=1
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    apt_ok=1 as_root=(sudo -n)
  fi
fi
is_debian=0
if [ -r /etc/os-release ] && grep -Eq '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; then
  is_debian=1
fi

dpkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Deno.
deno=""
if deno="$(find_deno)"; then
  have+=("Deno $DENO_VERSION (${deno#"$ROOT/"})")
else
  deno=""
  if ! command -v npm >/dev/null; then
    deno_install_commands
    exit 1
  fi
  todo+=("Deno $DENO_VERSION (npm, into ${LOCAL_DENO_DIR#"$ROOT/"}/)")
fi

# Jupyter, in the Python that tools/jupyter.ts will use.
find_jupyter_python() {
  local py
  if [ -n "${JUPYTER_PYTHON:-}" ]; then set -- "$JUPYTER_PYTHON"; else set -- /usr/bin/python3 python3 python; fi
  for py in "$@"; do
    if "$py" -c "import $JUPYTER_MODULES" >/dev/null 2>&1; then
      echo "$py"
      return 0
    fi
  done
  return 1
}
pip_python="" # the Python that `pip install` will put Jupyter into, when that is the way
jupyter_how=""
if jupyter_python="$(find_jupyter_python)"; then
  have+=("Jupyter ($jupyter_python)")
else
  # apt-get installs into Debian's /usr/bin/python3 only.
  if [ "${JUPYTER_PYTHON:-/usr/bin/python3}" = /usr/bin/python3 ] && [ "$apt_ok" = 1 ] &&
    [ "$is_debian" = 1 ]; then
    apt_pkgs+=("${JUPYTER_APT[@]}")
    jupyter_how="apt-get"
  else
    if [ -n "${JUPYTER_PYTHON:-}" ]; then set -- "$JUPYTER_PYTHON"; else set -- /usr/bin/python3 python3 python; fi
    for py in "$@"; do
      if "$py" -m pip --version >/dev/null 2>&1; then
        pip_python="$py"
        break
      fi
    done
    [ -n "$pip_python" ] && jupyter_how="pip, into $pip_python"
  fi
  if [ -z "$jupyter_how" ]; then
    {
      if [ -n "${JUPYTER_PYTHON:-}" ]; then
        echo "install: Jupyter's headless client is missing: JUPYTER_PYTHON=$JUPYTER_PYTHON cannot import $JUPYTER_MODULES, and has no pip to install them with."
      else
        echo "install: Jupyter's headless client is missing (no /usr/bin/python3, python3 or python can import $JUPYTER_MODULES), and this script cannot install it: $(
          [ "$(id -u)" = 0 ] || echo "not root, no passwordless sudo, "
        )no pip."
      fi
      echo "Run these, then run this command again:"
      jupyter_commands
    } >&2
    exit 1
  fi
  todo+=("Jupyter ($jupyter_how)")
fi

# System packages only some uses need.
extra_names=()
[ "$extras" = 1 ] && extra_names+=("${TEST_APT[@]}")
[ "$hub" = 1 ] && extra_names+=("${HUB_APT[@]}")
if [ "${#extra_names[@]}" -gt 0 ]; then
  if ! command -v dpkg-query >/dev/null; then
    say "cannot check or install ${extra_names[*]}: this is not a Debian-like system (no dpkg)."
    say "Install their equivalents with this system's package manager, then run this again."
    exit 1
  fi
  missing_extras=()
  for pkg in "${extra_names[@]}"; do
    if dpkg_installed "$pkg"; then have+=("$pkg"); else missing_extras+=("$pkg"); fi
  done
  if [ "${#missing_extras[@]}" -gt 0 ]; then
    if [ "$apt_ok" = 0 ]; then
      {
        echo "install: ${missing_extras[*]} missing, and this script cannot run apt-get (not root, no passwordless sudo)."
        echo "Run these, then run this command again:"
        echo "  sudo apt-get update"
        echo "  sudo apt-get install -y ${missing_extras[*]}"
      } >&2
      exit 1
    fi
    apt_pkgs+=("${missing_extras[@]}")
    todo+=("${missing_extras[@]}")
  fi
fi

# npm packages: current when the stamp matches deno.json and deno.lock.
deps_key() { cat "$ROOT/deno.json" "$ROOT/deno.lock" 2>/dev/null | cksum; }
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(deps_key)" ]; then
  have+=("npm packages")
else
  todo+=("npm packages (deno install)")
fi

# Kernelspec: tools/setup.ts --check knows what a current one is; it needs Deno and Jupyter.
if [ "$kernel" = 1 ]; then
  if [ -n "$deno" ] && [ -n "$jupyter_python" ] &&
    (cd "$ROOT" && NO_COLOR=1 "$deno" run -A tools/setup.ts --check >/dev/null 2>&1); then
    have+=("kernelspec $KERNEL_NAME")
  else
    todo+=("kernelspec $KERNEL_NAME")
  fi
fi

if [ "${#todo[@]}" -eq 0 ]; then
  say "nothing to install: $(join ", " "${have[@]}") are there"
  exit 0
fi
if [ "$check" = 1 ]; then
  say "--check: would install $(join ", " "${todo[@]}")${have:+; already there: $(join ", " "${have[@]}")}"
  exit 1
fi

# --- Installing ---------------------------------------------------------------------------

if [ "${#apt_pkgs[@]}" -gt 0 ]; then
  say "installing ${apt_pkgs[*]} with ${as_root[*]:+${as_root[*]} }apt-get"
  # sudo resets the environment: DEBIAN_FRONTEND goes through env.
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${apt_pkgs[@]}" >&2
fi

if [ -n "$pip_python" ]; then
  user_flag=(--user) # not inside a virtual environment, where --user is refused
  "$pip_python" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)' && user_flag=()
  say "installing ${JUPYTER_PIP[*]} with $pip_python -m pip install ${user_flag[*]}"
  if ! "$pip_python" -m pip install "${user_flag[@]}" "${JUPYTER_PIP[@]}" >&2; then
    {
      echo "install: pip could not install Jupyter (see its error above). Run these, then run this again:"
      jupyter_commands
    } >&2
    exit 1
  fi
fi
if [ -z "$jupyter_python" ] && ! jupyter_python="$(find_jupyter_python)"; then
  say "Jupyter was installed ($jupyter_how) but no Python can import $JUPYTER_MODULES yet."
  exit 1
fi

if [ -z "$deno" ]; then
  install_deno
  deno="$LOCAL_DENO_DIR/bin/deno"
fi

if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$(deps_key)" ]; then
  say "installing the npm packages of deno.json into node_modules/ (deno install)"
  (cd "$ROOT" && NO_COLOR=1 "$deno" install --quiet)
  deps_key >"$STAMP"
fi

if [ "$kernel" = 1 ] && [[ " ${todo[*]} " == *" kernelspec $KERNEL_NAME "* ]]; then
  (cd "$ROOT" && NO_COLOR=1 "$deno" run -A tools/setup.ts --quiet)
fi

say "installed $(join ", " "${todo[@]}")${have:+; already there: $(join ", " "${have[@]}")}"
