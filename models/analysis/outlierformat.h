// Outlier rows as text: the rank phrase the page and the command share ("p99.7 of latency for support_chatbot"),
// and the `promptscope outliers` table and JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "outliers.h"

namespace ps {

// "p99.7": one decimal, or two where one would round to p100.0 or p0.0 (the largest of 2,000 is p99.97).
std::string percentileRankLabel(double percentile);
// What the metric is called in prose: latency, cost, eval score, retries, tool calls, tokens.
std::string_view outlierMetricWords(OutlierKind kind);
// "p99.7 of latency for support_chatbot" ("for requests without a feature" when it has none).
std::string rankPhrase(const Dataset& d, OutlierKind kind, const OutlierRow& row);
// The user signals a request received, by their names: thumbs_up, thumbs_down, correction, follow_up, abandoned.
std::vector<std::string_view> feedbackNames(uint16_t requestFlags);
// "support_answer v43", "v43" without a prompt name, the name alone without a version, "" without either.
std::string promptVersionLabel(const Dataset& d, StringId prompt, StringId version);
// 2026-10-03T14:05:07.250Z
std::string isoTimeUtc(int64_t ns);

// {"metric": "latency", "unit": "ms", "requests": N, "rows": [{"trace_id": "...", "value": X, "percentile": X,
//  "distribution_size": N, "feature": "...", "time": "...", "prompt": "...", "prompt_version": "...",
//  "model": "...", "latency_ms": X, "cost_usd": X, "tokens": N, "tool_calls": N, "eval_failures": N,
//  "feedback": ["thumbs_down", ...]}, ...]}
std::string formatOutliersJson(const Dataset& d, const OutlierTable& table, uint64_t requests);
// Aligned columns for a terminal, worst first.
std::string formatOutliersTable(const Dataset& d, const OutlierTable& table, uint64_t requests);

}  // namespace ps
