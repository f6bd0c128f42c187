#!/usr/bin/env bash
# Compares `promptscope report --format json` with tests/tools/report_reference.py on one OTLP/JSON Lines file:
# counts, errors and token sums must be equal, latency percentiles equal to 6 decimals. Exit 0 when identical.
# Usage: tests/tools/compare_report.sh FILE [path/to/promptscope]
set -euo pipefail
file=$1
bin=${2:-$(dirname "$0")/../../build/dev/app/promptscope}
here=$(dirname "$0")
ours=$(mktemp)
theirs=$(mktemp)
trap 'rm -f "$ours" "$theirs"' EXIT
"$bin" report --format json "$file" | python3 -c '
import json, sys
r = json.load(sys.stdin)
for g in r["groups"]:
    l = g["latency_ms"]
    print("%s count=%d errors=%d input=%d output=%d p50=%.6f p95=%.6f p99=%.6f" % (g["key"], g["count"],
          g["errors"], g["input_tokens"], g["output_tokens"], l["p50"], l["p95"], l["p99"]))' > "$ours"
python3 "$here/report_reference.py" "$file" > "$theirs"
if diff "$theirs" "$ours"; then
  echo "identical: $(wc -l < "$ours") groups"
fi
