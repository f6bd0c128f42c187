// The overview's log-binned histograms (latency, cost) of a subset of rows, with their p50, p95 and p99, read from
// the subset's counts per value code: a histogram bin takes a code's count whole unless the code straddles one of
// its edges. member(row) and value(row) as for CodeCounts.
#pragma once

#include <cmath>

#include "overview.h"
#include "valuecodes.h"

namespace ps {

inline constexpr size_t kHistogramBins = 40;

template <typename Member, typename Value>
Histogram histogramOf(const CodeCounts& counts, const ValueCodes& codes, Member member, Value value) {
    Histogram h;
    h.total = counts.total();
    if (h.total == 0) {
        return h;
    }
    static constexpr double kQs[] = {0.50, 0.95, 0.99};
    double q[3];
    counts.quantiles(codes, kQs, q, member, value);
    h.p50 = q[0];
    h.p95 = q[1];
    h.p99 = q[2];
    double lo = INFINITY;
    double hi = -INFINITY;
    counts.extremes(codes, &lo, &hi, member, value);
    h.edges = logHistogramEdges(lo, hi, kHistogramBins);
    if (!(hi > 0)) {  // all zero (or below)
        h.counts = {h.total};
        return h;
    }
    h.counts.assign(h.edges.size() - 1, 0);
    counts.binCounts(codes, LogBins(h.edges), h.counts, member, value);
    return h;
}

}  // namespace ps
