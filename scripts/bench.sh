#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: generates a ~1 GB OTLP/JSON export with tracegen (once, in build/bench), then runs the
# ingest benchmark and times `promptscope report` on it. Usage: scripts/bench.sh [requests, default 250000 (about 1 GB)]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
requests=${1:-250000}
mkdir -p build/bench
file=build/bench/bench-${requests}.otlp.jsonl
if [ ! -f "$file" ]; then
  echo "bench: generating $file"
  build/dev/app/tracegen --requests "$requests" --seed 11 --format otlp --out "$file" --no-records
fi
ls -l "$file"
cat "$file" > /dev/null  # warm the page cache: the benchmark measures parsing, not the disk
PROMPTSCOPE_BENCH_FILE="$file" build/dev/tests/benchmarks/bench_ingest --benchmark_counters_tabular=true
echo "bench: promptscope report --format json (wall time, peak memory):"
/usr/bin/time -f "  %e s wall, %M KB peak RSS" build/dev/app/promptscope report --format json "$file" > /dev/null
