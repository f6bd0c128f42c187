// Layout of one trace's waterfall: the tree measures of every span (depth, subtree, self time), which spans are
// shown under the viewer's options, the slowest span and the critical path, and the bars and minimap for a given
// pixel width. Pure functions over a Dataset, no Qt; the painting widget only draws what these return.
//
// Spans of a request are stored depth-first (root first, children by start time), so a subtree is the row range
// [row, subtreeEnd) and the display order of the waterfall is the storage order with hidden subtrees skipped.
// Every pass is a loop over rows (no recursion), so a 1,000,000-deep chain is as safe as a flat trace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dataset.h"

namespace ps {

constexpr uint32_t kindBit(SpanKind kind) { return 1u << static_cast<unsigned>(kind); }
constexpr uint32_t kAllSpanKinds = (1u << kSpanKindCount) - 1;

// What the viewer hides. A span that is hidden hides its whole subtree: a waterfall row without its parent would
// float at a depth with nothing above it. Depth-0 spans (the root and any orphan whose parent is not in the data)
// are never hidden by the duration, kind or name rules, so the waterfall always keeps its anchors; they can still
// be collapsed.
struct LayoutOptions {
    std::vector<uint32_t> collapsed;  // absolute span rows: the span stays shown, its descendants are hidden
    int64_t minDurationNs = 0;        // spans shorter than this are hidden
    uint32_t kinds = kAllSpanKinds;   // kindBit() set: spans of any other kind are hidden
    std::string hideName;             // non-empty: spans whose name contains it (ASCII case-insensitive) are hidden
};

// Bits of TraceLayout::flags.
enum WaterfallFlag : uint8_t {
    kSpanVisible = 1u << 0,
    kSpanCollapsed = 1u << 1,      // listed in LayoutOptions::collapsed and has children
    kSpanHiddenByRule = 1u << 2,   // fails the duration, kind or name rule itself (its descendants are hidden too)
    kSpanCriticalPath = 1u << 3,
    kSpanSlowest = 1u << 4,
    kSpanError = 1u << 5,          // status Error
    kSpanFailedEval = 1u << 6,     // an eval of this span failed; evals about the whole request mark the root
};

struct TraceLayout {
    RequestIndex request;
    uint32_t firstRow = 0;  // absolute row of the root
    uint32_t endRow = 0;    // one past the trace's last row

    // Per span of the trace, indexed by row - firstRow.
    std::vector<uint32_t> depth;       // 0 for a span without a parent in the trace
    std::vector<uint32_t> subtreeEnd;  // absolute, exclusive: the subtree of row r is [r, subtreeEnd)
    std::vector<int64_t> selfNs;       // duration minus the union of the children's intervals clipped to the span
    std::vector<uint8_t> flags;        // WaterfallFlag bits

    // The rows shown, in display order (ascending absolute rows), and the depth each is drawn at.
    std::vector<uint32_t> visibleRows;
    std::vector<uint32_t> visibleDepth;

    // The span with the largest duration other than the root (first of equals); kInvalid for a one-span trace.
    uint32_t slowestRow = SpanIndex::kInvalid;
    // The spans the trace's end waited on, ascending rows: the root, then within each span on the path, walking
    // back from its end, the child that ends last before the cursor (ties: the longer one, then the earlier row),
    // the cursor moving to that child's start, and so on; children that start at or after the cursor ran in
    // parallel with a later step and did not hold the trace up. Each child taken is examined the same way up to
    // the cursor it was taken at. A sequential agent run is all on the path; of parallel tool calls only the one
    // that finished last is. Computed on the whole tree, whatever is hidden.
    std::vector<uint32_t> criticalPath;

    // Earliest start and latest end over all the trace's spans; children may start before their parent or end
    // after it (clock skew between services), so this is not always the root's interval.
    int64_t beginNs = 0;
    int64_t endNs = 0;
    uint32_t maxDepth = 0;

    [[nodiscard]] size_t spanCount() const { return endRow - firstRow; }
    [[nodiscard]] size_t local(uint32_t row) const { return row - firstRow; }
    [[nodiscard]] bool isVisible(uint32_t row) const { return (flags[local(row)] & kSpanVisible) != 0; }
    // Position of a row in visibleRows, or SIZE_MAX when the row is not shown. Binary search.
    [[nodiscard]] size_t displayIndexOf(uint32_t row) const;
};

// An empty layout (spanCount() == 0) for an invalid request or one without spans.
TraceLayout layoutTrace(const Dataset& data, RequestIndex request, const LayoutOptions& options);

// One row's bar in pixels of a view showing [viewBeginNs, viewEndNs) across widthPx columns.
struct BarRun {
    uint32_t row = 0;           // absolute span row
    uint32_t displayIndex = 0;  // position in TraceLayout::visibleRows
    uint32_t depth = 0;
    int32_t x = 0;              // first column, 0 <= x < widthPx
    int32_t width = 1;          // at least 1; x + width <= widthPx
    uint8_t flags = 0;          // WaterfallFlag bits of the span
    bool clippedLeft = false;   // the span starts before the view
    bool clippedRight = false;  // the span ends after the view
};

// Bars of the shown rows [firstVisibleRow, firstVisibleRow + rowCount) of visibleRows, one per row, in display
// order. A bar covers the columns its interval touches (floor of the start, ceiling of the end) clipped to the
// view; a bar narrower than a pixel is widened to one. A row whose span does not meet the view gets no bar (a
// zero-length span meets it when viewBeginNs <= start < viewEndNs). Empty for an empty view or widthPx <= 0.
std::vector<BarRun> barsForPixels(const TraceLayout& layout, const Dataset& data, int64_t viewBeginNs,
                                  int64_t viewEndNs, int widthPx, size_t firstVisibleRow, size_t rowCount);

// Number of span starts in each of widthPx columns spread over [beginNs, endNs] of the whole trace (all spans,
// shown or not); the last column also takes the spans starting at endNs. Empty for widthPx <= 0.
std::vector<uint32_t> minimap(const TraceLayout& layout, const Dataset& data, int widthPx);

}  // namespace ps
