// Similar failures of a selection grouped together, so that a hundred timeouts read as one line: by error type
// and message (numbers, ids, UUIDs and quoted values stripped), by failing eval, and by failing tool.
//
// - Error groups count the spans where a failure started: failing spans with no failing descendant (a root span
//   that fails because a child failed repeats the child's error). A failing call inside a request that succeeded
//   afterwards (a retried rate limit) counts too.
// - Eval groups count requests with a failed eval of that name; tool groups requests with a failing tool span of
//   that name ("execute_tool crm_lookup" is the GenAI conventions' span name of the tool crm_lookup).
// - A request counts once per group; share = the group's requests / the selected requests.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dataset.h"
#include "selection.h"

namespace ps {

enum class FailureGroupKind : uint8_t { Error, Eval, Tool };

inline constexpr size_t kFailureSamples = 5;

struct FailureGroup {
    FailureGroupKind kind = FailureGroupKind::Error;
    std::string errorType;  // Error groups: the span's error type, or its error class when the data has no type
    std::string key;        // Error: the normalised message; Eval: the eval name; Tool: the tool name
    std::string example;    // Error: the latest raw message; Eval: the latest explanation; Tool: the latest message
    uint64_t requests = 0;
    double share = 0;
    int64_t firstNs = 0;  // start of the earliest and latest request in the group
    int64_t lastNs = 0;
    std::vector<RequestIndex> samples;  // the most recent first, at most kFailureSamples
};

// Numbers -> <n> (with a unit: 30s -> <n>s), UUIDs -> <uuid>, hex ids (0x..., or 8+ hex digits with a digit)
// and other long ids (8+ letters and digits mixed) -> <id>, quoted values ('...', "...", `...`) -> <str>.
// Whitespace is kept as it is.
std::string normaliseErrorMessage(std::string_view message);

// The tool a tool span ran: its name without the GenAI conventions' "execute_tool " prefix.
std::string_view toolNameOfSpan(std::string_view spanName);

// Error groups first, then eval groups, then tool groups; within a kind, most requests first.
std::vector<FailureGroup> groupFailures(const Dataset& d, const Selection& selection,
                                        const std::atomic<bool>* cancel = nullptr);

}  // namespace ps
