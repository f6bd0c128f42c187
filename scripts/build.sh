#!/usr/bin/env bash
# Installs missing Debian packages, then configures and builds the dev preset (optimised, debug info) with Ninja.
# Usage: scripts/build.sh [extra cmake --build arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ ! -f build/dev/build.ninja ]; then
  cmake --preset dev
fi
cmake --build --preset dev "$@"
