#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: generates a ~1 GB OTLP/JSON export (250,000 requests) and a ~4 GB one (1,000,000
# requests) with tracegen, once, in build/bench; then runs the ingest benchmark, `promptscope report`, the
# dashboard's recompute benchmark, the outliers and quality computations, the time to the first painted overview,
# the trace waterfall layout, the version comparison, the trace list, the review queue and loading log databases.
# Usage: scripts/bench.sh [requests for the ingest file, default 250000]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
requests=${1:-250000}
mkdir -p build/bench
file=build/bench/bench-${requests}.otlp.jsonl
big=build/bench/bench-1000000.otlp.jsonl
for f in "$file" "$big"; do
  if [ ! -f "$f" ]; then
    n=$(basename "$f" | sed 's/bench-\([0-9]*\).*/\1/')
    echo "bench: generating $f"
    build/dev/app/tracegen --requests "$n" --seed 11 --format otlp --out "$f" --no-records
  fi
done
ls -l "$file" "$big"
cat "$file" > /dev/null  # warm the page cache: the benchmark measures parsing, not the disk
PROMPTSCOPE_BENCH_FILE="$file" build/dev/tests/benchmarks/bench_ingest --benchmark_counters_tabular=true
echo "bench: promptscope report --format json (wall time, peak memory):"
/usr/bin/time -f "  %e s wall, %M KB peak RSS" build/dev/app/promptscope report --format json "$file" > /dev/null
echo "bench: dashboard recompute after a filter change (1,000,000 requests):"
PROMPTSCOPE_BENCH_ANALYSIS_FILE="$big" build/dev/tests/benchmarks/bench_analysis --benchmark_counters_tabular=true
echo "bench: the Outliers and Quality pages' computations (1,000,000 requests):"
PROMPTSCOPE_BENCH_ANALYSIS_FILE="$big" build/dev/tests/benchmarks/bench_outliers --benchmark_counters_tabular=true \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "bench: time from start to the first painted overview ($file):"
QT_QPA_PLATFORM=offscreen build/dev/app/promptscope --screenshot build/bench/first-overview.png "$file" 2>/dev/null
echo "bench: trace waterfall layout (generated 100,000- and 1,000,000-span traces, and a tracegen file of one):"
trace=build/bench/bigtrace-1000000.otlp.jsonl
if [ ! -f "$trace" ]; then
  build/dev/app/tracegen --traces 1 --spans-per-trace 1000000 --seed 7 --format otlp --out "$trace"
fi
PROMPTSCOPE_BENCH_TRACE_FILE="$trace" build/dev/tests/benchmarks/bench_waterfall --benchmark_counters_tabular=true \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "bench: version comparison (two versions, 100,000 and 1,000,000 requests built in memory):"
build/dev/tests/benchmarks/bench_versions --benchmark_counters_tabular=true
echo "bench: trace list (5,000,000 synthetic requests; content search in the demo):"
PROMPTSCOPE_BENCH_CONTENT_FILE=build/dev/demo/demo.otlp.jsonl build/dev/tests/benchmarks/bench_tracelist \
  --benchmark_counters_tabular=true --benchmark_min_time=2 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true
echo "bench: review rules and queue (100,000 and 1,000,000 requests built in memory) and one committed label:"
build/dev/tests/benchmarks/bench_review --benchmark_counters_tabular=true --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true
echo "bench: loading a 1,000,000-row LiteLLM spend-log table from SQLite and PostgreSQL (a throwaway cluster):"
if [ -z "${PROMPTSCOPE_TEST_PG_URI:-}" ] && cluster=$(scripts/pgcluster.sh start); then
  eval "$cluster"
  trap 'scripts/pgcluster.sh stop' EXIT
fi
build/dev/tests/benchmarks/bench_database --benchmark_counters_tabular=true
