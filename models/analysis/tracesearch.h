// Finding requests by what an engineer pastes from a log line or a ticket: a trace id (whole, or its first
// characters, in any case), a request id (request logs use it as the trace id), a session id or a user id.
// Searches only the hot columns; text inside inputs and outputs is searched from the sources
// (contentsearch.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dataset.h"

namespace ps {

// The rows (kept in their order) whose trace id starts with `query` ignoring ASCII case, or whose session or
// user is exactly `query`. Leading and trailing spaces of the query are ignored; an empty query matches
// nothing. Returns what was found so far when cancelled.
std::vector<uint32_t> findTracesById(const Dataset& d, std::span<const uint32_t> rows, std::string_view query,
                                     const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
