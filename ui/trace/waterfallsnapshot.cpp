#include "waterfallsnapshot.h"

namespace ps::trace {

std::shared_ptr<const WaterfallSnapshot> makeWaterfallSnapshot(const DatasetPtr& data, RequestIndex request,
                                                               const LayoutOptions& options, uint64_t job) {
    auto snapshot = std::make_shared<WaterfallSnapshot>();
    snapshot->job = job;
    auto layout = std::make_shared<TraceLayout>(layoutTrace(*data, request, options));
    snapshot->minimap = minimap(*layout, *data, WaterfallSnapshot::kMinimapBuckets);
    for (uint32_t row = layout->firstRow; row < layout->endRow; ++row) {
        snapshot->kinds |= kindBit(data->spans.kind[row]);
        if ((layout->flags[layout->local(row)] & kSpanError) != 0 &&
            snapshot->errorStarts.size() < WaterfallSnapshot::kMaxErrorMarks) {
            snapshot->errorStarts.push_back(data->spans.startNs[row]);
        }
    }
    snapshot->layout = std::move(layout);
    return snapshot;
}

}  // namespace ps::trace
