#include "spantiming.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace ps {
namespace {

int64_t endOf(const Dataset& d, uint32_t row) {
    return d.spans.startNs[row] + std::max<int64_t>(d.spans.durationNs[row], 0);
}

// Children are stored after their parent within the trace's rows; a parent link to a row outside the trace
// counts as none, as in the waterfall.
template <typename Fn>
void forEachChild(const Dataset& d, uint32_t row, Fn&& fn) {
    const RequestIndex r = d.requestOfSpan(SpanIndex{row});
    if (!r.isValid()) {
        return;
    }
    const uint32_t end = d.spanEnd(r);
    for (uint32_t c = row + 1; c < end; ++c) {
        if (d.spans.parent[c] == row) {
            fn(c);
        }
    }
}

}  // namespace

int64_t selfTimeNs(const Dataset& d, SpanIndex span) {
    if (span.value >= d.spanCount()) {
        return 0;
    }
    const uint32_t row = span.value;
    const int64_t s = d.spans.startNs[row];
    const int64_t e = endOf(d, row);
    std::vector<std::pair<int64_t, int64_t>> children;
    forEachChild(d, row, [&](uint32_t c) {
        children.emplace_back(std::clamp(d.spans.startNs[c], s, e), std::clamp(endOf(d, c), s, e));
    });
    std::sort(children.begin(), children.end());
    int64_t covered = 0;
    int64_t reach = s;
    for (const auto& [cs, ce] : children) {
        const int64_t from = std::max(cs, reach);
        if (ce > from) {
            covered += ce - from;
            reach = ce;
        }
    }
    return std::max<int64_t>(0, (e - s) - covered);
}

uint32_t childCount(const Dataset& d, SpanIndex span) {
    uint32_t n = 0;
    if (span.value < d.spanCount()) {
        forEachChild(d, span.value, [&](uint32_t) { ++n; });
    }
    return n;
}

}  // namespace ps
