// Several sides' distributions of one metric (latency, cost) on a shared logarithmic axis, for overlaid charts:
// normalised histograms (the share of each side's rows per bin, so a 5% canary and its baseline are comparable)
// and empirical CDFs. Values at or below zero have no place on a log axis and are counted in the first bin and
// at the ECDF's left end.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "dataset.h"

namespace ps {

struct OverlaidDistributions {
    std::vector<std::string> groups;
    std::vector<double> edges;                                // bins + 1 log-spaced edges, shared by all groups
    std::vector<std::vector<double>> share;                   // [group][bin]: share of the group's rows
    std::vector<std::vector<std::pair<double, double>>> ecdf;  // [group]: (value, share of rows <= value)
    std::vector<uint64_t> counts;                             // rows per group
    std::vector<double> p50, p95;                             // per group, type 7
    double lowest = kNaN;   // the axis range: smallest positive value and the largest value
    double highest = kNaN;
};

// samples: per group, sorted ascending (NaN-free). The ECDF is taken at `ecdfPoints` log-spaced values.
OverlaidDistributions overlayDistributions(std::vector<std::string> groups,
                                           const std::vector<const std::vector<double>*>& samples, size_t bins = 40,
                                           size_t ecdfPoints = 200);

}  // namespace ps
