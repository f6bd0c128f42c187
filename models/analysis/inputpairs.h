// Like-for-like pairs between two sides of a comparison: a baseline request and a candidate request that got the
// same user input (the same question replayed on both versions, or asked again). Their traces side by side show
// what the version changed for that input. The input text comes from a provider (read from the sources on
// demand), so this stays free of any reader.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dataset.h"

namespace ps {

struct InputPair {
    uint32_t a = 0;  // baseline request row
    uint32_t b = 0;  // candidate request row
    std::string input;
};

struct InputPairs {
    std::vector<InputPair> pairs;  // by the candidate's start time
    size_t readA = 0;              // requests whose input was read on each side
    size_t readB = 0;
    bool cancelled = false;
};

using UserInputProvider = std::function<std::string(RequestIndex)>;

// Every candidate request whose input equals a baseline request's is paired with the baseline request closest to
// it in time. Requests with no input text are not paired. At most maxPerSide requests of each side are read (the
// most recent), since reading inputs goes back to the sources; progress(done, total) may cancel by returning false.
InputPairs sameInputPairs(const Dataset& d, const std::vector<uint32_t>& a, const std::vector<uint32_t>& b,
                          const UserInputProvider& inputOf, size_t maxPerSide = 20000,
                          const std::function<bool(size_t, size_t)>& progress = {});

}  // namespace ps
