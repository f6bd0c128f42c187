// The requests that stand out in a selection, for the Outliers page and `promptscope outliers`: the slowest, the
// most expensive, the lowest-scoring, the most retried, the longest agent loops and the largest token users, each
// with where it sits in its feature's distribution, and how the tail of each feature and tenant tier compares
// with its median.
//
// Definitions (also in the README):
// - Percentile rank of a value v within a distribution of n values: the mid-rank
//   (count below v + 0.5 * count equal to v) / n * 100. The largest of 1,000 distinct values ranks 99.95, a value
//   shared by every request 50. The distribution of a row is its feature's requests in the selection that have a
//   value for the metric (cost: known cost; score: a scored eval).
// - Score: each eval's numeric score put on 0..1 by the lowest and highest score of that eval name in the whole
//   data set (a 1-5 judge: (s - 1) / 4; a 0/1 rule as is; names with a single score value are left out), averaged
//   over the request's scored evals. Lower is worse; ties go to the request with more failed evals.
// - Retries (see retryCounts()): model calls retried inside the request after failing, plus earlier attempts at
//   the same input in the same session within the window.
// - Top-N selection keeps a bounded heap: O(n log N) for n requests. Ties go to the earlier request.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dataset.h"
#include "selection.h"

namespace ps {

enum class OutlierKind : uint8_t {
    Slowest,
    MostExpensive,
    LowestScoring,
    MostRetried,
    LongestAgentLoops,
    LargestTokenUsers,
};
inline constexpr size_t kOutlierKindCount = 6;

// The metric's name on the command line and in the rank text: latency, cost, score, retries, tool_calls, tokens.
std::string_view outlierMetricName(OutlierKind kind);
// latency, cost, tokens, score, retries, tool_calls.
bool parseOutlierMetric(std::string_view text, OutlierKind* out);

struct OutlierRow {
    RequestIndex request;
    double value = kNaN;       // ms, USD, score 0..1, retries, tool calls or tokens
    double percentile = kNaN;  // mid-rank 0..100 within its feature's distribution
    uint32_t distributionSize = 0;  // n of that distribution
};

struct OutlierTable {
    OutlierKind kind = OutlierKind::Slowest;
    std::vector<OutlierRow> rows;  // worst first
    uint64_t candidates = 0;       // selected requests that have a value (and, for counts, a non-zero one)
};

// How heavy a feature's tail is for one tenant tier: p99 against p50 (type 7, percentile.h).
struct TailRow {
    StringId feature;
    StringId tier;  // empty: no tier known
    uint64_t count = 0;
    double p50 = kNaN, p95 = kNaN, p99 = kNaN, max = kNaN;
    [[nodiscard]] double ratio() const { return p99 / p50; }
};
inline constexpr uint64_t kMinTailCount = 30;  // fewer requests than this: listed after the others

struct OutlierOptions {
    size_t limit = 50;
    int64_t retryWindowNs = 10LL * 60 * 1000000000;
};

struct OutlierResult {
    std::array<OutlierTable, kOutlierKindCount> tables;
    // Per metric with a tail (latency, cost, tokens: the first, second and last kinds), feature x tenant tier
    // groups, heaviest tail (p99 / p50) first among groups of at least kMinTailCount requests.
    std::array<std::vector<TailRow>, kOutlierKindCount> tails;
    uint64_t requests = 0;
    bool cancelled = false;
};

// The request's value of a metric, NaN when it has none (unknown cost, no scored eval). `scores` and `retries`
// are the per-request columns from requestScores() and retryCounts(); others may pass empty vectors.
double outlierValue(const Dataset& d, OutlierKind kind, uint32_t request, const std::vector<double>& scores,
                    const std::vector<uint32_t>& retries);

// Per request of the data set: the score defined above, NaN without a scored eval.
std::vector<double> requestScores(const Dataset& d);

// Per request of the data set (zero outside the selection): how many times its input was retried.
// - Inside the request: a model call that failed and is followed by a later call with the same prompt name counts
//   one retry (whatever the model: fallbacks and request/response model names differ; calls without a prompt
//   name match by model).
// - Across requests: two requests have the same input when they share session, feature, prompt name and the input
//   tokens of their first model call that reports any (a retry sends the same messages, so the same number of
//   tokens; a different question within minutes almost never tokenises to the same count). Requests without a
//   session or without input tokens are never matched. Requests with the same input form a chain while each
//   starts within `windowNs` of the previous; each request counts the earlier attempts of its chain.
// lastOfChain, when given, is set per request: 1 when no later request of the selection retries its input.
std::vector<uint32_t> retryCounts(const Dataset& d, const Selection& selection, int64_t windowNs,
                                  std::vector<uint8_t>* lastOfChain = nullptr);

// Mid-rank percentile as defined above; NaN for n = 0.
double midRankPercentile(uint64_t below, uint64_t equal, uint64_t n);

// One table: the `limit` worst selected requests by `kind` with their ranks.
// index: buildFacetIndex(d) (features and tenant tiers as dense codes).
OutlierTable computeOutlierTable(const Dataset& d, const FacetIndex& index, const Selection& selection,
                                 OutlierKind kind, const OutlierOptions& options);

// Every table and the tails; cancel is checked between tables.
OutlierResult computeOutliers(const Dataset& d, const FacetIndex& index, const Selection& selection,
                              const OutlierOptions& options, const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
