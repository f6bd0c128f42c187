// Two traces aligned span by span (say the same input under prompt v42 and v43): which steps both made and how
// their durations, tokens and cost changed, and which steps only one of them made. Pure functions, no Qt.
//
// Alignment: the two roots are paired whatever their names (the traces are what is being compared); below a
// pair, children are paired by name and by their order among the siblings of that name (the 2nd `llm_call` of A
// with the 2nd `llm_call` of B). A child without a partner is a structural difference, shown with its whole
// subtree on its side. This is linear in the number of spans, unlike a longest-common-subsequence alignment of
// every child list, which is quadratic in a parent's child count (100,000 children in a flat agent trace).
#pragma once

#include <cstdint>
#include <vector>

#include "waterfall.h"

namespace ps {

enum class DiffSide : uint8_t { Both, OnlyA, OnlyB };

// One side of an aligned row. For a row absent on this side, row is kInvalid and the numbers are zero or NaN.
struct DiffSpan {
    uint32_t row = SpanIndex::kInvalid;  // absolute span row in that side's Dataset
    int64_t startOffsetNs = 0;           // from that trace's earliest start
    int64_t durationNs = 0;
    SpanKind kind = SpanKind::Other;
    SpanStatus status = SpanStatus::Unset;
    bool isGeneration = false;           // an LLM call with a GenerationColumns row
    int64_t inputTokens = 0;
    int64_t outputTokens = 0;
    double costUsd = kNaN;               // NaN when not a generation or when its cost is unknown

    [[nodiscard]] bool present() const { return row != SpanIndex::kInvalid; }
};

struct TraceDiffRow {
    DiffSide side = DiffSide::Both;
    uint32_t depth = 0;  // in the aligned tree: one more than the aligned parent row
    DiffSpan a;
    DiffSpan b;

    // B minus A; zero unless both sides are present.
    [[nodiscard]] int64_t durationDeltaNs() const;
    [[nodiscard]] int64_t tokenDelta() const;  // input + output tokens
    [[nodiscard]] double costDelta() const;    // NaN when either side's cost is unknown
    [[nodiscard]] bool statusChanged() const { return side == DiffSide::Both && a.status != b.status; }
};

struct TraceDiff {
    RequestIndex requestA;
    RequestIndex requestB;
    // Pre-order of the aligned tree: a row's subtree follows it; children in A's order, with B-only children
    // placed after the B child they follow.
    std::vector<TraceDiffRow> rows;
    uint32_t matched = 0;
    uint32_t onlyA = 0;
    uint32_t onlyB = 0;
    int64_t durationA = 0;  // each trace's earliest start to latest end
    int64_t durationB = 0;
    int64_t tokensA = 0;    // input + output over each trace's generations
    int64_t tokensB = 0;
    double costA = 0;       // sum of the known costs
    double costB = 0;
};

// The traces may come from one Dataset or two (two files). Empty rows if either request is invalid or empty.
TraceDiff diffTraces(const Dataset& a, RequestIndex requestA, const Dataset& b, RequestIndex requestB);

}  // namespace ps
