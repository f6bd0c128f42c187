#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, and runs every test (GUI tests offscreen).
# It shares the build folder with scripts/run.sh, so nothing is compiled twice. Tests that need PostgreSQL get a
# throwaway cluster on 127.0.0.1 (scripts/pgcluster.sh), stopped and removed when the tests end.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export QT_QPA_PLATFORM=offscreen
if cluster=$(scripts/pgcluster.sh start); then
  eval "$cluster"
  trap 'scripts/pgcluster.sh stop' EXIT
else
  echo "test: no PostgreSQL cluster could be started; the tests that need one will fail" >&2
fi
ctest --preset dev --parallel 2 "$@"
