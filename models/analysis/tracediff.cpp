#include "tracediff.h"

#include <cmath>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace ps {
namespace {

constexpr uint32_t kNone = SpanIndex::kInvalid;

// One trace of the comparison: its tree measures and, per span, its generation row.
class AlignedTrace {
public:
    AlignedTrace(const Dataset& data, RequestIndex request)
        : data_(data), layout_(layoutTrace(data, request, LayoutOptions{})) {
        generationOf_.assign(layout_.spanCount(), kNone);
        if (layout_.spanCount() == 0) {
            return;
        }
        for (uint32_t g = data.requests.firstGeneration[request.value]; g < data.generationEnd(request); ++g) {
            const uint32_t span = data.generations.span[g];
            if (span >= layout_.firstRow && span < layout_.endRow) {
                generationOf_[span - layout_.firstRow] = g;
            }
        }
    }

    [[nodiscard]] const TraceLayout& layout() const { return layout_; }
    [[nodiscard]] std::string_view name(uint32_t row) const { return data_.str(data_.spans.name[row]); }

    // Children of row in storage order; the trace's depth-0 spans for kNone.
    void children(uint32_t row, std::vector<uint32_t>& out) const {
        out.clear();
        const uint32_t first = row == kNone ? layout_.firstRow : row + 1;
        const uint32_t stop = row == kNone ? layout_.endRow : layout_.subtreeEnd[layout_.local(row)];
        for (uint32_t c = first; c < stop; c = layout_.subtreeEnd[layout_.local(c)]) {
            out.push_back(c);
        }
    }

    [[nodiscard]] DiffSpan describe(uint32_t row) const {
        DiffSpan s;
        if (row == kNone) {
            return s;
        }
        s.row = row;
        s.startOffsetNs = data_.spans.startNs[row] - layout_.beginNs;
        s.durationNs = data_.spans.durationNs[row];
        s.kind = data_.spans.kind[row];
        s.status = data_.spans.status[row];
        const uint32_t g = generationOf_[layout_.local(row)];
        if (g != kNone) {
            const auto& gen = data_.generations;
            s.isGeneration = true;
            s.inputTokens = gen.inputTokens[g];
            s.outputTokens = gen.outputTokens[g];
            s.costUsd = gen.costUsd[g];
        }
        return s;
    }

    void totals(int64_t* tokens, double* cost) const {
        *tokens = 0;
        *cost = 0;
        for (uint32_t g : generationOf_) {
            if (g == kNone) {
                continue;
            }
            *tokens += static_cast<int64_t>(data_.generations.inputTokens[g]) + data_.generations.outputTokens[g];
            if (!std::isnan(data_.generations.costUsd[g])) {
                *cost += data_.generations.costUsd[g];
            }
        }
    }

private:
    const Dataset& data_;
    TraceLayout layout_;
    std::vector<uint32_t> generationOf_;
};

using Pair = std::pair<uint32_t, uint32_t>;

// Pairs two child lists by name and order among equal names (the first two entries forced together when
// pairFirst), then orders the result: A's children in order, each B-only child after the B child it follows.
void alignChildren(const AlignedTrace& sa, const std::vector<uint32_t>& ca, const AlignedTrace& sb,
                   const std::vector<uint32_t>& cb, bool pairFirst, std::vector<Pair>& out) {
    out.clear();
    std::vector<uint32_t> partnerOfA(ca.size(), kNone);
    std::vector<bool> takenB(cb.size(), false);
    size_t from = 0;
    if (pairFirst && !ca.empty() && !cb.empty()) {
        partnerOfA[0] = 0;
        takenB[0] = true;
        from = 1;
    }
    if (cb.size() <= 16) {
        // Few siblings: a scan beats building a map.
        for (size_t i = from; i < ca.size(); ++i) {
            const std::string_view name = sa.name(ca[i]);
            for (size_t j = 0; j < cb.size(); ++j) {
                if (!takenB[j] && sb.name(cb[j]) == name) {
                    partnerOfA[i] = static_cast<uint32_t>(j);
                    takenB[j] = true;
                    break;
                }
            }
        }
    } else {
        std::unordered_map<std::string_view, std::vector<uint32_t>> byName;
        for (size_t j = cb.size(); j-- > 0;) {
            if (!takenB[j]) {
                byName[sb.name(cb[j])].push_back(static_cast<uint32_t>(j));  // reversed: pop_back takes the first
            }
        }
        for (size_t i = from; i < ca.size(); ++i) {
            auto it = byName.find(sa.name(ca[i]));
            if (it != byName.end() && !it->second.empty()) {
                partnerOfA[i] = it->second.back();
                takenB[it->second.back()] = true;
                it->second.pop_back();
            }
        }
    }
    size_t nextB = 0;
    for (size_t i = 0; i < ca.size(); ++i) {
        const uint32_t j = partnerOfA[i];
        if (j != kNone) {
            for (; nextB < j; ++nextB) {
                if (!takenB[nextB]) {
                    out.emplace_back(kNone, cb[nextB]);
                }
            }
            nextB = std::max<size_t>(nextB, j + 1);
            out.emplace_back(ca[i], cb[j]);
        } else {
            out.emplace_back(ca[i], kNone);
        }
    }
    for (; nextB < cb.size(); ++nextB) {
        if (!takenB[nextB]) {
            out.emplace_back(kNone, cb[nextB]);
        }
    }
}

}  // namespace

int64_t TraceDiffRow::durationDeltaNs() const {
    return side == DiffSide::Both ? b.durationNs - a.durationNs : 0;
}

int64_t TraceDiffRow::tokenDelta() const {
    return side == DiffSide::Both ? (b.inputTokens + b.outputTokens) - (a.inputTokens + a.outputTokens) : 0;
}

double TraceDiffRow::costDelta() const {
    return side == DiffSide::Both ? b.costUsd - a.costUsd : kNaN;
}

TraceDiff diffTraces(const Dataset& a, RequestIndex requestA, const Dataset& b, RequestIndex requestB) {
    TraceDiff diff;
    diff.requestA = requestA;
    diff.requestB = requestB;
    const AlignedTrace sa(a, requestA);
    const AlignedTrace sb(b, requestB);
    if (sa.layout().spanCount() == 0 || sb.layout().spanCount() == 0) {
        return diff;
    }
    diff.durationA = sa.layout().endNs - sa.layout().beginNs;
    diff.durationB = sb.layout().endNs - sb.layout().beginNs;
    sa.totals(&diff.tokensA, &diff.costA);
    sb.totals(&diff.tokensB, &diff.costB);
    // At most one row per span of either side; reserving avoids copying a million rows while growing.
    diff.rows.reserve(sa.layout().spanCount() + sb.layout().spanCount());

    struct Pending {
        uint32_t rowA;
        uint32_t rowB;
        uint32_t depth;
    };
    std::vector<Pending> stack;
    std::vector<uint32_t> ca;
    std::vector<uint32_t> cb;
    std::vector<Pair> pairs;
    auto pushChildren = [&](uint32_t rowA, uint32_t rowB, uint32_t depth, bool top) {
        if (top || rowA != kNone) {
            sa.children(rowA, ca);
        } else {
            ca.clear();
        }
        if (top || rowB != kNone) {
            sb.children(rowB, cb);
        } else {
            cb.clear();
        }
        alignChildren(sa, ca, sb, cb, top, pairs);
        for (auto it = pairs.rbegin(); it != pairs.rend(); ++it) {
            stack.push_back({it->first, it->second, depth});
        }
    };
    pushChildren(kNone, kNone, 0, true);
    while (!stack.empty()) {
        const Pending at = stack.back();
        stack.pop_back();
        TraceDiffRow row;
        row.depth = at.depth;
        row.a = sa.describe(at.rowA);
        row.b = sb.describe(at.rowB);
        if (row.a.present() && row.b.present()) {
            row.side = DiffSide::Both;
            ++diff.matched;
        } else if (row.a.present()) {
            row.side = DiffSide::OnlyA;
            ++diff.onlyA;
        } else {
            row.side = DiffSide::OnlyB;
            ++diff.onlyB;
        }
        diff.rows.push_back(row);
        pushChildren(at.rowA, at.rowB, at.depth + 1, false);
    }
    return diff;
}

}  // namespace ps
