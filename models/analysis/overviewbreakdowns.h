// The overview's parts that do not look at time, computed together in one pass over the selection: the breakdowns
// (count, error rate, p95 latency and cost per model, feature, prompt version, tenant and environment), the token
// summary, and the cost histogram with its p50, p95 and p99. The side thread's share of a recompute, while
// computeOverview does the time series, the latency histogram and the KPIs.
//
// A group's p95 comes from the top of its rows in OverviewIndex::byGroup, walked down until the wanted ranks are
// passed, keeping the rows of the selection (a bit set filled by the pass): about a twentieth of the data set per
// breakdown, whatever the selection's size. A selection smaller than that has its values gathered per group instead.
#pragma once

#include <atomic>
#include <vector>

#include "overview.h"
#include "overviewindex.h"

namespace ps {

// Fills out.breakdowns, out.tokens and out.costUsd.
void computeBreakdowns(const Dataset& d, const FacetIndex& index, const OverviewIndex& rows, const Selection& selection,
                       OverviewResult& out, const std::atomic<bool>* cancel);

}  // namespace ps
