// A problem found while reading a source, with where it was found. Readers keep going after one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace ps {

struct ParseIssue {
    std::string file;
    uint64_t line = 0;  // 1-based; 0 when the issue concerns the whole file
    std::string message;
};

// Called with the fraction done (0..1). Returning false asks the caller to stop as soon as it can.
using ProgressFn = std::function<bool(double)>;

}  // namespace ps
