// What the user has narrowed the data to: a time range, chosen values per dimension, status and thresholds,
// and free text. Plain values (strings, not StringIds) so that a Filter outlives datasets, goes into the filter
// history and settings, and round-trips through the query line. applyFilter() resolves it against a Dataset.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace ps {

// Request dimensions the sidebar and the query line filter on.
enum class Dimension : uint8_t {
    Feature,
    PromptName,
    PromptVersion,
    Model,
    Provider,
    Environment,
    Tenant,
    TenantTier,
    User,
    Session,
    FinishReason,
};
inline constexpr size_t kDimensionCount = 11;

// Query-line key and sidebar label: feature, prompt, version, model, provider, env, tenant, tier, user, session,
// finish.
std::string_view dimensionKey(Dimension d);
std::string_view dimensionLabel(Dimension d);
bool parseDimensionKey(std::string_view key, Dimension* out);

enum class StatusFilter : uint8_t { Any, Ok, Error };

struct Filter {
    static constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::min();

    int64_t beginNs = kNoLimit;  // requests starting at or after (kNoLimit: no bound)
    int64_t endNs = kNoLimit;    // requests starting before (kNoLimit: no bound)
    // Values chosen per dimension; a request matches a dimension when its value is any of them (none: all).
    std::array<std::vector<std::string>, kDimensionCount> values;
    StatusFilter status = StatusFilter::Any;
    bool refusalsOnly = false;
    double minLatencyMs = -1;  // < 0: no bound
    double maxLatencyMs = -1;
    double minCostUsd = -1;
    double maxCostUsd = -1;
    std::string text;  // case-insensitive substring of the trace id, root span name, error message or user

    [[nodiscard]] bool isEmpty() const { return *this == Filter{}; }
    [[nodiscard]] const std::vector<std::string>& of(Dimension d) const { return values[static_cast<size_t>(d)]; }
    std::vector<std::string>& of(Dimension d) { return values[static_cast<size_t>(d)]; }
    bool operator==(const Filter&) const = default;
};

}  // namespace ps
