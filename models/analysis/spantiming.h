// Timing facts about one span that the span details show without laying out the whole trace.
#pragma once

#include <cstdint>

#include "dataset.h"

namespace ps {

// The span's duration minus the time covered by its direct children (their intervals merged and clipped to
// the span), never below zero: the time the span spent on its own work. The waterfall uses the same
// definition.
int64_t selfTimeNs(const Dataset& d, SpanIndex span);

// How many direct children the span has.
uint32_t childCount(const Dataset& d, SpanIndex span);

}  // namespace ps
