// Filter -> Selection: the request rows a Filter keeps, and for the sidebar, how many requests each value of each
// dimension would give if chosen (counts under all the other filters, so that choosing a second value shows
// what it adds). Pure and thread-safe: runs on the thread pool on an immutable Dataset.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "dataset.h"
#include "filter.h"

namespace ps {

struct FacetValue {
    StringId value;  // empty id: requests without a value ("(none)")
    uint32_t count = 0;
};

struct Selection {
    std::vector<uint32_t> requests;  // request rows kept, ascending (= by start time)
    // Per dimension, its values with their counts under the other filters, most frequent first (at most
    // kMaxFacetValues; valueCount says how many there are in all).
    std::array<std::vector<FacetValue>, kDimensionCount> facets;
    std::array<uint32_t, kDimensionCount> valueCount{};
    std::array<uint32_t, 3> statusCounts{};  // any (= requests passing the other filters), ok, error
    int64_t dataBeginNs = 0;  // the dataset's first and last request start, for the time controls
    int64_t dataEndNs = 0;
    bool cancelled = false;
    // The free-text filter's verdict per request (1 = matches), when the filter has text: a second selection
    // with the same text (the previous period) reuses it instead of searching again.
    std::shared_ptr<const std::vector<uint8_t>> textMatch;
};

inline constexpr size_t kMaxFacetValues = 200;

// Each request's value of each dimension as a small dense code (0..values-1), built once per Dataset so that
// filtering and counting are array lookups. About 50 bytes per request.
struct FacetIndex {
    std::array<std::vector<uint32_t>, kDimensionCount> code;      // per request
    std::array<std::vector<StringId>, kDimensionCount> valueOf;   // per code
    // The same for model calls' own model and prompt version (generation grain).
    std::vector<uint32_t> callModel, callVersion, callPrompt;     // per generation
    std::vector<StringId> callModelOf, callVersionOf, callPromptOf;  // per code
    // Per model call, derived once: failed / refused (CallFlag bits), its error class, its evals' outcomes.
    std::vector<uint8_t> callFlags;
    std::vector<ErrorClass> callErrorClass;
    std::vector<uint8_t> callEvalPass, callEvalFail;

    // For the sidebar's counts: dimensions with few values packed together, so that a request passing every
    // filter costs one count per pack instead of one per dimension. A pack's code is the mixed-radix number of
    // its dimensions' codes (first dimension fastest); dimensions with too many values are counted on their own.
    struct Pack {
        std::vector<uint8_t> dims;  // Dimension values
        std::vector<uint32_t> radix;  // values per dimension
        uint32_t size = 1;            // product of radix
        std::vector<uint16_t> code;   // per request
    };
    std::vector<Pack> packs;
    std::vector<uint8_t> loneDims;  // dimensions in no pack
};
enum CallFlag : uint8_t { kCallError = 1, kCallRefusal = 2 };
FacetIndex buildFacetIndex(const Dataset& d);

// The tier of each request's tenant (from the tenant records), as a column aligned with the requests.
std::vector<StringId> tenantTierColumn(const Dataset& d);

// cancel: checked every few thousand rows; a cancelled selection is incomplete and marked so.
// countFacets = false skips the sidebar counts (for a second selection such as the previous period).
// textMatch: the verdicts of an earlier selection of the same data with the same text, or null.
Selection selectRequests(const Dataset& d, const FacetIndex& index, const Filter& filter,
                         const std::atomic<bool>* cancel = nullptr, bool countFacets = true,
                         std::shared_ptr<const std::vector<uint8_t>> textMatch = nullptr);

}  // namespace ps
