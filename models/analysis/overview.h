// Everything the overview page shows for one Filter and grain, computed in one go on a worker thread:
// KPI tiles with the change against the previous period of equal length and sparklines, time series (volume,
// error rate by class, latency percentiles, cost, tokens), log-binned latency and cost histograms, token totals,
// and breakdowns by model, feature, prompt version, tenant and environment.
//
// Rows are requests (one per trace) or generations (one per LLM call of the selected requests); definitions as in
// groupsummary.h. Percentiles are type 7 (percentile.h), exact on the rows.
//
// The work is split between the calling thread (time series, sparklines, KPIs, the latency histogram, the previous
// period) and the side thread (breakdowns, tokens, the cost histogram), each one pass over the selection (the time
// buckets' quantiles a second one), reading the grain's OverviewIndex.
#pragma once

#include <array>
#include <atomic>
#include <string>
#include <vector>

#include "filter.h"
#include "grain.h"
#include "selection.h"

namespace ps {

struct OverviewIndex;

enum class Kpi { Volume, ErrorRate, RefusalRate, P95Latency, P95Cost, EvalPassRate, ThumbsDownRate };
inline constexpr size_t kKpiCount = 7;

struct KpiValue {
    double current = kNaN;
    double previous = kNaN;       // the same measure over the previous period of equal length
    std::vector<double> spark;    // one value per time bucket
};

struct TimeSeries {
    int64_t firstBucketNs = 0;
    int64_t bucketNs = 60LL * 1000000000;
    std::vector<double> count;
    std::array<std::vector<double>, kErrorClassCount> errorRate;  // per ErrorClass (None unused): share of rows
    std::vector<double> p50, p95, p99;                            // latency, ms; NaN for an empty bucket
    std::vector<double> costUsd;
    std::vector<double> inputTokens, outputTokens;
    [[nodiscard]] size_t size() const { return count.size(); }
};

struct Histogram {
    std::vector<double> edges;  // log-spaced, size = counts + 1
    std::vector<uint64_t> counts;
    double p50 = kNaN, p95 = kNaN, p99 = kNaN;
    uint64_t total = 0;
};

struct BreakdownRow {
    std::string key;  // "(none)" for rows without a value
    uint64_t count = 0;
    double errorRate = kNaN;
    double p95LatencyMs = kNaN;
    double costUsd = 0;
};

struct Breakdown {
    GroupField field;
    std::vector<BreakdownRow> rows;  // by count, at most kMaxBreakdownRows
};
inline constexpr size_t kMaxBreakdownRows = 50;

struct TokenSummary {
    uint64_t input = 0, output = 0, cached = 0;
    double efficiency = kNaN;  // output / input
    std::vector<std::pair<std::string, uint64_t>> topPrompts;  // "prompt vN" -> input + output tokens
};

struct OverviewResult {
    Grain grain = Grain::Request;
    uint64_t rows = 0;
    int64_t beginNs = 0;  // the period shown: the filter's time range or the selection's
    int64_t endNs = 0;
    std::array<KpiValue, kKpiCount> kpis;
    TimeSeries series;
    Histogram latencyMs;
    Histogram costUsd;
    TokenSummary tokens;
    std::vector<Breakdown> breakdowns;
    bool cancelled = false;
};

// The bucket width for a range: the smallest of 1, 5, 15 minutes, 1, 3, 6 hours and 1 day that gives at most
// 300 buckets (1 day beyond).
int64_t bucketFor(int64_t rangeNs);

// The edges of a log-binned histogram of values from minPositive (the smallest value above 0) to max: quarter
// decades rounded outwards, 8 bins a decade, between 8 and maxBins bins; {0, 1} when max is not above 0. A value
// v falls in bin b when edges[b] <= v < edges[b + 1] (the first and last bins take what lies beyond).
std::vector<double> logHistogramEdges(double minPositive, double max, size_t maxBins);

// selection: selectRequests() for filter. The previous period is selected here (same filter, time shifted).
// rows: buildOverviewIndex(d, index, grain), built once per data set and grain.
OverviewResult computeOverview(const Dataset& d, const FacetIndex& index, const OverviewIndex& rows,
                               const Filter& filter, const Selection& selection,
                               const std::atomic<bool>* cancel = nullptr);
// The same for a one-off overview: builds the grain's OverviewIndex first (a pass over the data set and a few
// counting sorts: keep the index instead when recomputing).
OverviewResult computeOverview(const Dataset& d, const FacetIndex& index, const Filter& filter,
                               const Selection& selection, Grain grain, const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
