#!/usr/bin/env python3
"""A second, deliberately simple computation of `promptscope report --format json` (request grain, grouped by
prompt version) for OTLP/JSON Lines files, using only Python's standard library. Used to check the report on large
tracegen exports:  tests/tools/report_reference.py FILE | diff - <(promptscope report --format json FILE | ...)
Prints per group: count, errors, input/output tokens, and type-7 latency percentiles in ms."""
import json
import statistics
import sys
from collections import defaultdict


def attrs(span):
    out = {}
    for a in span.get("attributes", []):
        v = a["value"]
        out[a["key"]] = next(iter(v.values())) if v else None
    return out


def main(path):
    roots = {}
    tokens = defaultdict(lambda: [0, 0])
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            for rs in json.loads(line).get("resourceSpans", []):
                for ss in rs.get("scopeSpans", []):
                    for s in ss.get("spans", []):
                        a = attrs(s)
                        if not s.get("parentSpanId"):
                            ns = int(s["endTimeUnixNano"]) - int(s["startTimeUnixNano"])
                            err = s.get("status", {}).get("code") == 2
                            roots[s["traceId"]] = (a.get("prompt.version") or "(none)", ns / 1e6, err)
                        t = tokens[s["traceId"]]
                        for k_in, k_out in (("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"),
                                            ("gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens"),
                                            ("llm.token_count.prompt", "llm.token_count.completion")):
                            if k_in in a:
                                t[0] += int(a[k_in])
                                t[1] += int(a.get(k_out, 0))
                                break
    groups = defaultdict(lambda: {"count": 0, "errors": 0, "input": 0, "output": 0, "lat": []})
    for trace, (version, ms, err) in roots.items():
        g = groups[version]
        g["count"] += 1
        g["errors"] += err
        g["input"] += tokens[trace][0]
        g["output"] += tokens[trace][1]
        g["lat"].append(ms)
    for version, g in sorted(groups.items(), key=lambda kv: (-kv[1]["count"], kv[0])):
        q = statistics.quantiles(g["lat"], n=100, method="inclusive")  # type 7
        print(f'{version} count={g["count"]} errors={g["errors"]} input={g["input"]} output={g["output"]} '
              f'p50={statistics.median(g["lat"]):.6f} p95={q[94]:.6f} p99={q[98]:.6f}')


if __name__ == "__main__":
    main(sys.argv[1])
