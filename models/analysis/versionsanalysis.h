// Everything the Versions page shows for one choice of what to compare, computed in one go on a worker thread:
// the sides (one per version, environment, model, or before/after a deployment), each later side compared with
// the first (the baseline), overlaid latency and cost distributions, and the release timeline.
#pragma once

#include <atomic>
#include <vector>

#include "comparisonplan.h"
#include "comparisonside.h"
#include "distributionoverlay.h"
#include "releasetimeline.h"
#include "selection.h"
#include "versioncomparison.h"

namespace ps {

struct VersionsAnalysis {
    ComparisonSpec spec;
    Filter base;
    std::vector<ComparisonArm> arms;
    std::vector<ComparisonSide> sides;           // one per arm
    std::vector<VersionComparison> comparisons;  // side i against side 0, for i = 1..
    OverlaidDistributions latency;
    OverlaidDistributions cost;
    ReleaseTimeline timeline;
    bool cancelled = false;
};

// At most this many versions get their own line in the timeline; the rest count in the shares' totals only.
inline constexpr size_t kMaxTimelineGroups = 8;

VersionsAnalysis analyseVersions(const Dataset& d, const FacetIndex& index, const ComparisonSpec& spec,
                                 const Filter& base, const ComparisonOptions& options = {},
                                 const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
