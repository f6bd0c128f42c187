// Depth-first ordering of one trace's spans from their id/parent links, robust to what real exports contain:
// parents that are not in the file, duplicate span ids, and parent links that form cycles.
#pragma once

#include <cstdint>
#include <vector>

namespace ps {

struct TraceOrderInput {
    uint64_t spanId;
    uint64_t parentSpanId;  // 0 = none
    int64_t startNs;
    int64_t durationNs;
};

struct TraceOrderResult {
    std::vector<uint32_t> order;      // input positions in depth-first pre-order; roots by start, children by start
    std::vector<uint32_t> parentPos;  // for each output position, its parent's output position, or kNoParent
    uint32_t orphans = 0;             // spans naming a parent that is not in the trace
    uint32_t duplicateIds = 0;
    uint32_t cycleBreaks = 0;
};

constexpr uint32_t kNoParent = UINT32_MAX;

// Scratch buffers are reused between calls to avoid allocating per trace.
class TraceOrderer {
public:
    const TraceOrderResult& order(const std::vector<TraceOrderInput>& spans);

private:
    TraceOrderResult result_;
    std::vector<uint32_t> parentLocal_;
    std::vector<std::pair<uint64_t, uint32_t>> byId_;
    std::vector<uint32_t> byStart_;
    std::vector<uint32_t> childBegin_;
    std::vector<uint32_t> children_;
    std::vector<uint32_t> cursor_;
    std::vector<uint32_t> outPos_;
    std::vector<uint32_t> stack_;
    std::vector<uint8_t> visited_;
};

}  // namespace ps
