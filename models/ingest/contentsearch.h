// Search inside the inputs and outputs of requests: the messages are cold data, so every span's record is
// read back from its source. A record whose raw bytes cannot hold the text is skipped without parsing it; the
// rest are parsed into their conversation and searched there, so a hit is always in a message, never in an id
// or attribute name. Runs on a worker thread, reports progress, can be cancelled, stops at a number of hits.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dataset.h"

namespace ps {

struct ContentSearchResult {
    std::vector<uint32_t> rows;  // matching request rows, in the order of the rows searched
    size_t searched = 0;         // requests looked at
    bool capped = false;         // stopped at maxHits
    bool cancelled = false;
    std::string error;  // the first record that could not be read (the search goes on without it)
};

// Called every few requests with (searched, total, hits); returning false cancels.
using ContentSearchProgress = std::function<bool(size_t searched, size_t total, size_t hits)>;

// Requests among `rows` with a message containing `text` (ASCII letters in any case).
ContentSearchResult searchRequestContent(const DatasetPtr& data, std::span<const uint32_t> rows,
                                         std::string_view text, size_t maxHits,
                                         const ContentSearchProgress& progress = {});

// Whether `haystack` contains `foldedNeedle` (already in ASCII lower case), ignoring ASCII case.
bool containsIgnoringCase(std::string_view haystack, std::string_view foldedNeedle);

}  // namespace ps
