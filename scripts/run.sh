#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and opens PromptScope on the bundled demo data.
# Any arguments are passed to promptscope (files, folders, or a subcommand such as `report`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/dev/app/promptscope "$@"
