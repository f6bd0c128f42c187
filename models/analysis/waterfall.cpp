#include "waterfall.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "textsearch.h"

namespace ps {
namespace {

int64_t endOf(const Dataset& data, uint32_t row) {
    return data.spans.startNs[row] + std::max<int64_t>(data.spans.durationNs[row], 0);
}

// Depth, subtree end and the trace's time range. A parent link that does not point to an earlier row of the same
// trace (which depth-first storage guarantees) is treated as no parent.
void measureTree(const Dataset& data, TraceLayout& out) {
    const uint32_t first = out.firstRow;
    const size_t n = out.spanCount();
    out.depth.assign(n, 0);
    out.subtreeEnd.resize(n);
    int64_t begin = std::numeric_limits<int64_t>::max();
    int64_t end = std::numeric_limits<int64_t>::min();
    for (size_t i = 0; i < n; ++i) {
        const auto row = static_cast<uint32_t>(first + i);
        const uint32_t p = data.spans.parent[row];
        if (p != SpanIndex::kInvalid && p >= first && p < row) {
            out.depth[i] = out.depth[p - first] + 1;
            out.maxDepth = std::max(out.maxDepth, out.depth[i]);
        }
        out.subtreeEnd[i] = row + 1;
        begin = std::min(begin, data.spans.startNs[row]);
        end = std::max(end, endOf(data, row));
    }
    out.beginNs = begin;
    out.endNs = end;
    // Children come after their parent, so walking backwards finishes every subtree before its parent reads it.
    for (size_t i = n; i-- > 1;) {
        const auto row = static_cast<uint32_t>(first + i);
        const uint32_t p = data.spans.parent[row];
        if (p != SpanIndex::kInvalid && p >= first && p < row) {
            uint32_t& e = out.subtreeEnd[p - first];
            e = std::max(e, out.subtreeEnd[i]);
        }
    }
}

// Self time of every span: a sweep over its children's intervals clipped to the span. Children are stored by
// start time, so clipped starts ascend too; a list that is not sorted (data written by hand) is sorted first.
void measureSelfTime(const Dataset& data, TraceLayout& out) {
    const uint32_t first = out.firstRow;
    const size_t n = out.spanCount();
    out.selfNs.assign(n, 0);
    std::vector<std::pair<int64_t, int64_t>> scratch;
    for (size_t i = 0; i < n; ++i) {
        const auto row = static_cast<uint32_t>(first + i);
        const int64_t s = data.spans.startNs[row];
        const int64_t e = endOf(data, row);
        const uint32_t stop = out.subtreeEnd[i];
        int64_t covered = 0;
        int64_t reach = s;  // the union so far ends here
        bool sorted = true;
        int64_t lastStart = std::numeric_limits<int64_t>::min();
        scratch.clear();
        for (uint32_t c = row + 1; c < stop; c = out.subtreeEnd[c - first]) {
            const int64_t cs = std::clamp(data.spans.startNs[c], s, e);
            const int64_t ce = std::clamp(endOf(data, c), s, e);
            sorted = sorted && cs >= lastStart;
            lastStart = cs;
            scratch.emplace_back(cs, ce);
        }
        if (!sorted) {
            std::sort(scratch.begin(), scratch.end());
        }
        for (const auto& [cs, ce] : scratch) {
            const int64_t from = std::max(cs, reach);
            if (ce > from) {
                covered += ce - from;
                reach = ce;
            }
        }
        out.selfNs[i] = std::max<int64_t>(0, (e - s) - covered);
    }
}

// Evals are stored grouped by request in request order, so the trace's evals are one binary-searched range.
void markFailedEvals(const Dataset& data, TraceLayout& out) {
    const auto& ev = data.evals;
    const auto [lo, hi] = std::equal_range(ev.request.begin(), ev.request.end(), out.request.value);
    for (auto it = lo; it != hi; ++it) {
        const auto e = static_cast<size_t>(it - ev.request.begin());
        if (ev.outcome[e] != EvalOutcome::Fail) {
            continue;
        }
        const uint32_t span = ev.span[e];
        const uint32_t row = span >= out.firstRow && span < out.endRow ? span : out.firstRow;
        out.flags[row - out.firstRow] |= kSpanFailedEval;
    }
}

void markSlowestAndCriticalPath(const Dataset& data, TraceLayout& out) {
    const uint32_t first = out.firstRow;
    int64_t longest = -1;
    for (uint32_t row = first + 1; row < out.endRow; ++row) {
        if (data.spans.durationNs[row] > longest) {
            longest = data.spans.durationNs[row];
            out.slowestRow = row;
        }
    }
    if (out.slowestRow != SpanIndex::kInvalid) {
        out.flags[out.slowestRow - first] |= kSpanSlowest;
    }
    // A stack of (span, the time up to which it matters) instead of recursion: chains can be a million deep.
    std::vector<std::pair<uint32_t, int64_t>> pending{{first, endOf(data, first)}};
    std::vector<uint32_t> children;
    while (!pending.empty()) {
        const auto [at, limit] = pending.back();
        pending.pop_back();
        out.flags[at - first] |= kSpanCriticalPath;
        children.clear();
        bool endsAscending = true;
        for (uint32_t c = at + 1; c < out.subtreeEnd[at - first]; c = out.subtreeEnd[c - first]) {
            endsAscending = endsAscending && (children.empty() || endOf(data, children.back()) < endOf(data, c));
            children.push_back(c);
        }
        // Latest end first; ties: the longer span, then the earlier row. Children stored by start usually end in
        // the same order (a sequential run): without ties, reversing them is the sort.
        auto later = [&](uint32_t a, uint32_t b) {
            const int64_t ea = endOf(data, a);
            const int64_t eb = endOf(data, b);
            if (ea != eb) {
                return ea > eb;
            }
            if (data.spans.durationNs[a] != data.spans.durationNs[b]) {
                return data.spans.durationNs[a] > data.spans.durationNs[b];
            }
            return a < b;
        };
        if (endsAscending) {
            std::reverse(children.begin(), children.end());
        } else {
            std::sort(children.begin(), children.end(), later);
        }
        int64_t cursor = std::min(endOf(data, at), limit);
        for (uint32_t c : children) {
            if (data.spans.startNs[c] >= cursor) {
                continue;
            }
            pending.emplace_back(c, cursor);
            cursor = data.spans.startNs[c];
        }
    }
    for (uint32_t row = first; row < out.endRow; ++row) {
        if ((out.flags[row - first] & kSpanCriticalPath) != 0) {
            out.criticalPath.push_back(row);
        }
    }
}

void markVisible(const Dataset& data, const LayoutOptions& options, TraceLayout& out) {
    const uint32_t first = out.firstRow;
    for (uint32_t row : options.collapsed) {
        if (row >= first && row < out.endRow && out.subtreeEnd[row - first] > row + 1) {
            out.flags[row - first] |= kSpanCollapsed;
        }
    }
    const std::string& needle = options.hideName;
    std::unordered_map<uint32_t, bool> nameHidden;  // by name id: few distinct names, many spans
    auto hiddenByName = [&](StringId name) {
        auto [it, inserted] = nameHidden.try_emplace(name.value, false);
        if (inserted) {
            it->second = containsNoCase(data.str(name), needle);
        }
        return it->second;
    };
    const bool byKind = (options.kinds & kAllSpanKinds) != kAllSpanKinds;
    for (uint32_t row = first; row < out.endRow;) {
        const size_t i = row - first;
        const bool hidden = out.depth[i] > 0 &&
                            (data.spans.durationNs[row] < options.minDurationNs ||
                             (byKind && (options.kinds & kindBit(data.spans.kind[row])) == 0) ||
                             (!needle.empty() && hiddenByName(data.spans.name[row])));
        if (hidden) {
            out.flags[i] |= kSpanHiddenByRule;
            row = out.subtreeEnd[i];
            continue;
        }
        out.flags[i] |= kSpanVisible;
        out.visibleRows.push_back(row);
        out.visibleDepth.push_back(out.depth[i]);
        row = (out.flags[i] & kSpanCollapsed) != 0 ? out.subtreeEnd[i] : row + 1;
    }
}

// Column of time t in a view of width px starting at begin and spanning range (> 0) nanoseconds.
double columnOf(int64_t t, int64_t begin, double range, int widthPx) {
    return static_cast<double>(t - begin) / range * widthPx;
}

}  // namespace

size_t TraceLayout::displayIndexOf(uint32_t row) const {
    const auto it = std::lower_bound(visibleRows.begin(), visibleRows.end(), row);
    if (it == visibleRows.end() || *it != row) {
        return SIZE_MAX;
    }
    return static_cast<size_t>(it - visibleRows.begin());
}

TraceLayout layoutTrace(const Dataset& data, RequestIndex request, const LayoutOptions& options) {
    TraceLayout out;
    out.request = request;
    if (!request.isValid() || request.value >= data.requestCount()) {
        return out;
    }
    out.firstRow = data.requests.firstSpan[request.value];
    out.endRow = data.spanEnd(request);
    if (out.endRow <= out.firstRow) {
        out.endRow = out.firstRow;
        return out;
    }
    out.flags.assign(out.spanCount(), 0);
    for (uint32_t row = out.firstRow; row < out.endRow; ++row) {
        if (data.spans.status[row] == SpanStatus::Error) {
            out.flags[row - out.firstRow] |= kSpanError;
        }
    }
    markFailedEvals(data, out);
    measureTree(data, out);
    measureSelfTime(data, out);
    markSlowestAndCriticalPath(data, out);
    markVisible(data, options, out);
    return out;
}

std::vector<BarRun> barsForPixels(const TraceLayout& layout, const Dataset& data, int64_t viewBeginNs,
                                  int64_t viewEndNs, int widthPx, size_t firstVisibleRow, size_t rowCount) {
    std::vector<BarRun> bars;
    if (widthPx <= 0 || viewEndNs <= viewBeginNs || firstVisibleRow >= layout.visibleRows.size()) {
        return bars;
    }
    const size_t last = firstVisibleRow + std::min(rowCount, layout.visibleRows.size() - firstVisibleRow);
    const auto range = static_cast<double>(viewEndNs - viewBeginNs);
    bars.reserve(last - firstVisibleRow);
    for (size_t d = firstVisibleRow; d < last; ++d) {
        const uint32_t row = layout.visibleRows[d];
        const int64_t s = data.spans.startNs[row];
        const int64_t e = endOf(data, row);
        const bool meets = s < viewEndNs && (e > viewBeginNs || (s == e && s >= viewBeginNs));
        if (!meets) {
            continue;
        }
        BarRun bar;
        bar.row = row;
        bar.displayIndex = static_cast<uint32_t>(d);
        bar.depth = layout.visibleDepth[d];
        bar.flags = layout.flags[layout.local(row)];
        bar.clippedLeft = s < viewBeginNs;
        bar.clippedRight = e > viewEndNs;
        const double x0 = columnOf(std::max(s, viewBeginNs), viewBeginNs, range, widthPx);
        const double x1 = columnOf(std::min(e, viewEndNs), viewBeginNs, range, widthPx);
        // left <= widthPx - 1 and right <= widthPx, so the widened bar still ends inside the view.
        const int32_t left = std::clamp(static_cast<int32_t>(std::floor(x0)), 0, widthPx - 1);
        const int32_t right = std::clamp(static_cast<int32_t>(std::ceil(x1)), 0, widthPx);
        bar.x = left;
        bar.width = std::max(1, right - left);
        bars.push_back(bar);
    }
    return bars;
}

std::vector<uint32_t> minimap(const TraceLayout& layout, const Dataset& data, int widthPx) {
    std::vector<uint32_t> columns;
    if (widthPx <= 0) {
        return columns;
    }
    columns.assign(static_cast<size_t>(widthPx), 0);
    if (layout.spanCount() == 0) {
        return columns;
    }
    const int64_t range = layout.endNs - layout.beginNs;
    for (uint32_t row = layout.firstRow; row < layout.endRow; ++row) {
        int32_t x = 0;
        if (range > 0) {
            const double at = columnOf(data.spans.startNs[row], layout.beginNs, static_cast<double>(range), widthPx);
            x = std::clamp(static_cast<int32_t>(at), 0, widthPx - 1);
        }
        ++columns[static_cast<size_t>(x)];
    }
    return columns;
}

}  // namespace ps
