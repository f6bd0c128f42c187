// What the overview reads for each row of one grain, prepared once per data set and grain (the AnalysisEngine keeps
// it next to the FacetIndex) so that a recompute after a filter change is one pass over the selection on each of
// two threads:
//  - latency and cost as ValueCodes: the quantiles and log histograms of the selection, of the previous period and
//    of each time bucket come from counts per code instead of copies and selections of the values;
//  - per breakdown, the grain's rows ordered by group and then by latency code: a group's p95 is read from the top
//    of its rows, keeping the selected ones, instead of from a second pass over the selection;
//  - for model calls, each one's request and start time (no detour through the span columns).
// GrainRows<G> reads the columns of one grain for the passes (the grain is a template argument, so that the hot
// loops are compiled once per grain without a branch per row).
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "grain.h"
#include "selection.h"
#include "valuecodes.h"

namespace ps {

// The overview's breakdowns, in the order of OverviewResult::breakdowns.
inline constexpr std::array<std::pair<GroupField, Dimension>, 5> kBreakdownFields = {{
    {GroupField::Model, Dimension::Model},
    {GroupField::Feature, Dimension::Feature},
    {GroupField::PromptVersion, Dimension::PromptVersion},
    {GroupField::Tenant, Dimension::Tenant},
    {GroupField::Environment, Dimension::Environment},
}};
inline constexpr size_t kBreakdownCount = kBreakdownFields.size();

// A row's status as the overview counts it, in one byte: its error class + 1 when it failed (0 when not), and the
// refusal and feedback bits. Counting rows per kind (64 of them) replaces counting each property apart.
inline constexpr uint8_t kKindErrorMask = 7;
inline constexpr uint8_t kKindRefusal = 8;
inline constexpr uint8_t kKindThumbsUp = 16;
inline constexpr uint8_t kKindThumbsDown = 32;
inline constexpr size_t kKinds = 64;

struct OverviewIndex {
    Grain grain = Grain::Request;
    std::vector<uint8_t> kind;  // per row of the grain
    ValueCodes ms;    // latency, per row of the grain
    ValueCodes cost;  // cost, NaN (no code) when unknown
    std::vector<uint32_t> request;    // model calls: each one's request
    std::vector<int64_t> startNs;     // model calls: each one's start
    std::vector<uint32_t> callBegin;  // model calls: request r's are [callBegin[r], callBegin[r + 1])
    struct GroupOrder {
        std::vector<uint32_t> rows;   // the grain's rows by group code, then by latency code
        std::vector<uint32_t> begin;  // per group, and one more
    };
    std::array<GroupOrder, kBreakdownCount> byGroup;
};

OverviewIndex buildOverviewIndex(const Dataset& d, const FacetIndex& index, Grain grain);

template <Grain G>
struct GrainRows {
    static constexpr bool kCalls = G == Grain::Generation;

    const Dataset& d;
    const FacetIndex& index;
    const OverviewIndex& oi;

    [[nodiscard]] size_t size() const { return kCalls ? d.generationCount() : d.requestCount(); }
    // Every row of the given requests (their model calls at the generation grain): fn(row, request).
    template <typename Fn>
    void forEach(const std::vector<uint32_t>& requests, Fn fn) const {
        if constexpr (kCalls) {
            const uint32_t* begin = oi.callBegin.data();
            for (uint32_t r : requests) {
                const uint32_t end = begin[r + 1];
                for (uint32_t k = begin[r]; k < end; ++k) {
                    fn(k, r);
                }
            }
        } else {
            for (uint32_t r : requests) {
                fn(r, r);
            }
        }
    }
    [[nodiscard]] uint32_t requestOf(uint32_t row) const {
        if constexpr (kCalls) {
            return oi.request[row];
        } else {
            return row;
        }
    }
    [[nodiscard]] int64_t time(uint32_t row) const { return kCalls ? oi.startNs[row] : d.requests.startNs[row]; }
    [[nodiscard]] double ms(uint32_t row) const {
        return static_cast<double>(kCalls ? d.spans.durationNs[d.generations.span[row]] : d.requests.durationNs[row]) /
               1e6;
    }
    [[nodiscard]] double cost(uint32_t row) const {
        if constexpr (kCalls) {
            return d.generations.costSource[row] == CostSource::None ? kNaN : d.generations.costUsd[row];
        } else {
            return (d.requests.flags[row] & kRequestCostUnknown) && d.requests.costUsd[row] == 0 ? kNaN
                                                                                                 : d.requests.costUsd[row];
        }
    }
    // The row's kind (kKindErrorMask...), from the columns (the index keeps it as OverviewIndex::kind).
    [[nodiscard]] uint8_t kindOf(uint32_t row, uint32_t request) const {
        const uint16_t f = d.requests.flags[request];
        auto kind = static_cast<uint8_t>(((f & kRequestThumbsUp) ? kKindThumbsUp : 0) |
                                         ((f & kRequestThumbsDown) ? kKindThumbsDown : 0));
        bool error = false;
        bool refusal = false;
        ErrorClass errorClass = ErrorClass::None;
        if constexpr (kCalls) {
            error = index.callFlags[row] & kCallError;
            refusal = index.callFlags[row] & kCallRefusal;
            errorClass = index.callErrorClass[row];
        } else {
            error = f & kRequestError;
            refusal = f & kRequestRefusal;
            errorClass = d.requests.errorClass[row];
        }
        if (error) {
            kind |= static_cast<uint8_t>(static_cast<uint8_t>(errorClass) + 1);
        }
        return static_cast<uint8_t>(kind | (refusal ? kKindRefusal : 0));
    }
    [[nodiscard]] uint32_t input(uint32_t row) const {
        return kCalls ? d.generations.inputTokens[row] : d.requests.inputTokens[row];
    }
    [[nodiscard]] uint32_t output(uint32_t row) const {
        return kCalls ? d.generations.outputTokens[row] : d.requests.outputTokens[row];
    }
    [[nodiscard]] uint32_t cached(uint32_t row) const {
        return kCalls ? d.generations.cachedTokens[row] : d.requests.cachedTokens[row];
    }
    [[nodiscard]] uint32_t evalPass(uint32_t row) const {
        return kCalls ? index.callEvalPass[row] : d.requests.evalPass[row];
    }
    [[nodiscard]] uint32_t evalFail(uint32_t row) const {
        return kCalls ? index.callEvalFail[row] : d.requests.evalFail[row];
    }
    // The group codes of breakdown b (kBreakdownFields), per row (byCall) or per request. At the generation grain a
    // call's own model and prompt version count, the rest its request's.
    [[nodiscard]] const std::vector<uint32_t>& groupCodes(size_t b, bool* byCall) const {
        const Dimension dim = kBreakdownFields[b].second;
        *byCall = kCalls && (dim == Dimension::Model || dim == Dimension::PromptVersion);
        if (*byCall) {
            return dim == Dimension::Model ? index.callModel : index.callVersion;
        }
        return index.code[static_cast<size_t>(dim)];
    }
    [[nodiscard]] const std::vector<StringId>& groupValues(size_t b) const {
        const Dimension dim = kBreakdownFields[b].second;
        if (kCalls && dim == Dimension::Model) {
            return index.callModelOf;
        }
        if (kCalls && dim == Dimension::PromptVersion) {
            return index.callVersionOf;
        }
        return index.valueOf[static_cast<size_t>(dim)];
    }
};

}  // namespace ps
