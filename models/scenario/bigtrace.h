// Very large agent traces for the waterfall: a root agent run whose steps nest LLM calls, tool calls, retrievals
// and sub-agents, children always inside their parents in time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "traffic.h"

namespace ps::scenario {

// Calls emit(spans) with batches of at most `batch` spans of trace `t`; returns the trace id.
std::string generateBigTrace(uint64_t seed, uint64_t t, uint64_t spanCount, int64_t startNs, size_t batch,
                             const std::function<void(const std::vector<Span>&, const std::string&)>& emit);

}  // namespace ps::scenario
