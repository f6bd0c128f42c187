// Quantiles of every group at once (the p95 latency of each model, feature, tenant... in the breakdowns; p50, p95
// and p99 of each time bucket), exact and with the type-7 definition of percentile.h, without sorting or copying
// the values by group.
//
// Two passes over the rows: a small histogram per group of each value's top key bits (all groups' histograms
// together stay within the first-level caches), which tells the bins holding the wanted ranks; then only the
// values in those bins are collected and finished by a selection. Far fewer bytes move than with a counting sort
// of all values by group followed by selections per group.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ps {

// Rows whose group is kSkipRow take no part (a NaN cost, for instance).
inline constexpr uint32_t kSkipRow = UINT32_MAX;

// Working memory kept by the caller between calls (no fresh memory to fault in on each recompute).
struct GroupedQuantileScratch {
    std::vector<uint32_t> hist;  // per group and bin: counts, then the member slot (+1) of wanted bins
    std::vector<uint64_t> rank, before;
    std::vector<uint32_t> slotOf;
    std::vector<std::vector<double>> members;  // per wanted (group, bin)
};

// The smallest and largest order key of the values, skipped rows and NaN left out: computed once for several
// calls over the same values.
struct KeyRange {
    uint64_t lo = UINT64_MAX;
    uint64_t hi = 0;
};
KeyRange keyRangeOf(std::span<const double> values);

// out[g * qs.size() + j] = the type-7 quantile qs[j] of the values[i] with group[i] == g, NaN for a group without
// values. group[i] < groups or kSkipRow; values of rows not skipped must not be NaN. An empty group span means one
// group (groups = 1) of every value but NaN. Falls back to copies by group when there are too many groups for
// small histograms (more than 4,096).
void groupedQuantiles(std::span<const double> values, KeyRange range, std::span<const uint32_t> group,
                      size_t groups, std::span<const double> qs, std::span<double> out,
                      GroupedQuantileScratch& scratch);

// One quantile per group.
void groupedQuantile(std::span<const double> values, KeyRange range, std::span<const uint32_t> group, size_t groups,
                     double q, std::span<double> out, GroupedQuantileScratch& scratch);
void groupedQuantile(std::span<const double> values, std::span<const uint32_t> group, size_t groups, double q,
                     std::span<double> out, GroupedQuantileScratch& scratch);

}  // namespace ps
