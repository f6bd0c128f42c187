// The order of the trace list: request rows sorted by one column, for millions of rows, off the GUI thread.
// Each column has a 64-bit key per request that orders like the column's values; the rows are then put in key
// order by a stable radix sort, so equal values keep the order the rows came in (by start time). String
// columns sort by the byte order of their text through a rank per StringId, computed once per Dataset.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "dataset.h"

namespace ps {

// The trace list's columns, in display order. TraceListModel's Column enum mirrors this one.
enum class TraceColumn : uint8_t {
    TraceId,
    Time,
    Feature,
    PromptVersion,  // prompt name, then version
    Models,         // the request's model, then how many other models its calls used
    Duration,
    Cost,    // requests without a known cost sort last, in both directions
    Tokens,  // input + output
    Status,  // ok, refusal, then errors by class
    FailedEvals,
    Feedback,  // thumbs down, none (or both), thumbs up
};
inline constexpr int kTraceColumnCount = 11;

// Position of every string of the pool in byte order (std::string_view's order): rank[id.value]. Strings of a
// pool are distinct, so ranks are too. Empty when cancelled.
std::vector<uint32_t> rankStrings(const StringPool& pool, const std::atomic<bool>* cancel = nullptr);

// Whether sorting by the column needs rankStrings' table.
bool sortNeedsStringRanks(TraceColumn column);

// How many distinct models other than the request's own its model calls used (the "+N" of the models column).
uint32_t otherModelCount(const Dataset& d, RequestIndex r);

// Ordinal of the status column: 0 ok, 1 refusal, 2 + ErrorClass for errors (an error outranks a refusal).
uint32_t statusOrdinal(const Dataset& d, RequestIndex r);

// -1 thumbs down only, +1 thumbs up only, 0 neither or both.
int feedbackOf(const Dataset& d, RequestIndex r);

struct TraceOrder {
    std::vector<uint32_t> rows;  // request rows in display order
    bool cancelled = false;
};

// `rows` sorted by the column (stable: ties keep their order in `rows`). Descending reverses the values but
// still puts requests without a cost last. `ranks` is rankStrings(d.strings) when
// sortNeedsStringRanks(column), else may be empty. Polls `cancel` between passes.
TraceOrder sortTraceRows(const Dataset& d, std::span<const uint32_t> rows, TraceColumn column,
                         bool descending, const std::vector<uint32_t>& ranks,
                         const std::atomic<bool>* cancel = nullptr);

// The second buffers a radix sort moves elements into. Kept between sorts by the caller (fresh memory costs a
// page fault per 4 KB, more than the sort itself at millions of rows).
struct RadixScratch {
    std::vector<uint64_t> keys;
    std::vector<uint32_t> payloads;
};

// Stable sort of payloads by 64-bit keys (least significant digit first radix sort over the bits that vary).
// keys and payloads have the same size; both are permuted (their buffers may be exchanged with the
// scratch's). Exposed for the string ranking and for tests. False when cancelled.
bool radixSortByKey(std::vector<uint64_t>& keys, std::vector<uint32_t>& payloads, RadixScratch& scratch,
                    const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
