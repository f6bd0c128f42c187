// What the waterfall computes once per layout, off the GUI thread for large traces: the layout itself, the
// minimap's span counts in fixed buckets (resampled to any width when painted), where failed spans start (marks
// on the minimap) and which span kinds occur (the legend lists only those).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "waterfall.h"

namespace ps::trace {

struct WaterfallSnapshot {
    static constexpr int kMinimapBuckets = 2048;
    static constexpr size_t kMaxErrorMarks = 20000;

    uint64_t job = 0;  // which request of the view this answers
    std::shared_ptr<const TraceLayout> layout;
    std::vector<uint32_t> minimap;
    std::vector<int64_t> errorStarts;
    uint32_t kinds = 0;  // kindBit() set
};

std::shared_ptr<const WaterfallSnapshot> makeWaterfallSnapshot(const DatasetPtr& data, RequestIndex request,
                                                               const LayoutOptions& options, uint64_t job);

}  // namespace ps::trace
