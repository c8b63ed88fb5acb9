#!/bin/sh
# A learner's server, as JupyterHub starts it (c.Spawner.cmd), run as the learner.
# First brings ~/tfjs-training up to date with the course (hub/lesson_sync.ts: new
# lessons copied, untouched ones updated, edited ones kept), then becomes the server.
# Needs TFJS_COURSE (the course folder) and TFJS_DENO (the Deno to run); the hub sets both.
set -eu
"${TFJS_DENO:-deno}" run --quiet --no-config --allow-read --allow-write="$HOME" --allow-env=HOME \
  "$TFJS_COURSE/hub/lesson_sync.ts" "$TFJS_COURSE" ||
  echo "tfjs-training: could not update the lessons in $HOME (see above); starting anyway." >&2
exec jupyterhub-singleuser "$@"
