#!/usr/bin/env bash
# Regenerates the README's screenshots from the bundled demo with `promptscope --screenshot` (offscreen).
# Usage: scripts/screenshots.sh   (builds first; writes docs/screenshots/*.png)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
bin=build/dev/app/promptscope
out=docs/screenshots
mkdir -p "$out"
export QT_QPA_PLATFORM=offscreen
"$bin" --screenshot "$out/overview.png" --size 1600x1000
"$bin" --screenshot "$out/overview-support-errors.png" --size 1600x1000 --query "feature:support_chatbot error"
"$bin" --screenshot "$out/overview-llm-calls.png" --size 1600x1000 --grain generation --query "version:43"
"$bin" --screenshot "$out/overview-full.png" --size 1600x2200
"$bin" --screenshot "$out/versions.png" --size 1600x1000 --page versions
"$bin" --screenshot "$out/versions-full.png" --size 1600x2000 --page versions
"$bin" --screenshot "$out/outliers.png" --size 1600x1000 --page outliers
"$bin" --screenshot "$out/quality.png" --size 1600x1000 --page quality
# A support_chatbot trace of the demo whose crm_account_lookup tool call took a second.
"$bin" --screenshot "$out/traces.png" --size 1600x1000 --page traces --trace 3349f343b3c88cf6bab7ae13d12c4de1
# One agent trace of 100,000 spans, zoomed out (generated once into build/bench).
big=build/bench/bigtrace-100000.otlp.jsonl
mkdir -p build/bench
[ -f "$big" ] || build/dev/app/tracegen --traces 1 --spans-per-trace 100000 --seed 7 --format otlp --out "$big"
"$bin" --screenshot "$out/traces-100k.png" --size 1600x1000 --page traces "$big"
# The review queue as a new user sees it: a fresh workspace, not the one of whoever runs this.
workspace_dir=$(mktemp -d)
trap 'rm -rf "$workspace_dir"' EXIT
"$bin" --screenshot "$out/review.png" --size 1600x1000 --page review --workspace "$workspace_dir/workspace.sqlite"
