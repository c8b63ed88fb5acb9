#!/bin/sh
# shellcheck disable=SC2086 # $PACKAGES and $missing are lists of words, split on purpose
# The system packages a class hub (`deno task hub`) needs on Debian 12 / Ubuntu, on top
# of what the project itself needs (Deno, Jupyter Notebook, nbclient: tools/install.sh).
# One list, used by `tools/install.sh --hub`, hub/Dockerfile and CI; runs alone too:
#
#   hub/install_packages.sh          install what is missing (as root, or with sudo -n)
#   hub/install_packages.sh --list   print the package names, one per line
#
# jupyterhub 3.0 (the hub, its PAM login), node-configurable-http-proxy (its proxy),
# jupyter-notebook (Notebook 6, the learners' front end), python3-nbgitpuller (optional
# git-based lesson links for teachers; `deno task hub update` does not need it).
set -eu
PACKAGES="jupyterhub node-configurable-http-proxy jupyter-notebook python3-nbgitpuller"

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' $PACKAGES
  exit 0
fi

missing=""
for pkg in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $pkg"
done
if [ -z "$missing" ]; then
  echo "hub packages: already installed ($PACKAGES)"
  exit 0
fi

if [ "$(id -u)" = 0 ]; then
  run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run="sudo -n"
else
  echo "hub packages missing:$missing" >&2
  echo "Install them as root, then run the command again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "hub packages missing:$missing — this is not a Debian/Ubuntu system (no apt-get)." >&2
  echo "Install JupyterHub 3+ and configurable-http-proxy: pip install jupyterhub notebook;" >&2
  echo "npm install -g configurable-http-proxy" >&2
  exit 1
fi
echo "hub packages: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$run apt-get update -q
$run apt-get install -y -q --no-install-recommends $missing
