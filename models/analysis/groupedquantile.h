// One quantile of every group at once (the p95 latency of each model, feature, tenant... in the breakdowns),
// exact and with the type-7 definition of percentile.h, without sorting or copying the values by group.
//
// Two passes over the rows: a small histogram per group of each value's top key bits (a few kilobytes per group,
// so it stays in the first-level cache), which tells the bin holding each wanted rank; then only the values in
// those bins are collected and finished by a selection. Far fewer bytes move than with a counting sort of all
// values by group followed by a selection per group.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ps {

// Working memory kept by the caller between calls (no fresh memory to fault in on each recompute).
struct GroupedQuantileScratch {
    std::vector<uint32_t> hist;
    std::vector<uint32_t> target;  // per group: the bins of ranks floor(h) and floor(h)+1
    std::vector<uint64_t> before;  // per group and target: values of the group in lower bins
    std::vector<std::vector<double>> members;  // per group and target
};

// The smallest and largest value's order keys, which groupedQuantile needs: computed once for several calls over
// the same values.
struct KeyRange {
    uint64_t lo = UINT64_MAX;
    uint64_t hi = 0;
};
KeyRange keyRangeOf(std::span<const double> values);

// out[g] = the type-7 quantile q of the values[i] with group[i] == g, NaN for a group without values. values
// must hold no NaN; group[i] < groups. Falls back to a counting sort when there are too many groups for small
// histograms (more than 4,096).
void groupedQuantile(std::span<const double> values, std::span<const uint32_t> group, size_t groups, double q,
                     std::span<double> out, GroupedQuantileScratch& scratch);
void groupedQuantile(std::span<const double> values, KeyRange range, std::span<const uint32_t> group, size_t groups,
                     double q, std::span<double> out, GroupedQuantileScratch& scratch);

}  // namespace ps
