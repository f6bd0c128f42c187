#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, and runs every test (GUI tests offscreen).
# It shares the build folder with scripts/run.sh, so nothing is compiled twice.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export QT_QPA_PLATFORM=offscreen
ctest --preset dev --parallel 2 "$@"
