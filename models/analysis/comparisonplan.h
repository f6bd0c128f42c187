// What to compare, as sides built from Filters: versions of a prompt, the requests before and after a deployment,
// two environments (canary vs baseline), two models, or two saved filters. Each side is the caller's base filter
// (the sidebar's) with the side's own condition on top: its value replaces whatever the base chose for that
// dimension, and a deployment's time narrows the base's time range. A saved filter is a whole filter of its own
// (its query text), so the base does not apply to it. The first side is the baseline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dataset.h"
#include "filter.h"

namespace ps {

enum class CompareBy : uint8_t { PromptVersion, Deployment, Environment, Model, SavedFilter };

struct ComparisonSpec {
    CompareBy by = CompareBy::PromptVersion;
    std::string prompt;               // PromptVersion, Deployment; optional for Environment and Model
    std::vector<std::string> values;  // versions, environments or models (two or more); the first is the baseline
    int64_t splitNs = 0;              // Deployment: before / at-or-after this time
    std::vector<std::string> queries;  // SavedFilter: each side's query text (values holds their names)

    bool operator==(const ComparisonSpec&) const = default;
};

struct ComparisonArm {
    std::string label;  // "v42", "before" / "after" (a deployment), "canary", "gpt-4.1"
    Filter filter;
};

std::vector<ComparisonArm> comparisonArms(const ComparisonSpec& spec, const Filter& base);

// Prompts with a version, by request count (most first).
std::vector<std::string> promptsWithVersions(const Dataset& d);
// The versions of a prompt seen in requests, newest first: by the version record's or the first deployment's
// time when the data has one, else by the version's first request; ties by numeric value, then text.
std::vector<std::string> versionsNewestFirst(const Dataset& d, std::string_view prompt);
// The values of a dimension seen in requests, by request count (most first); for environments and models.
std::vector<std::string> valuesByCount(const Dataset& d, Dimension dimension);
// The deployment records, optionally of one prompt only (empty: all), in time order.
std::vector<DeploymentRecord> deploymentsOf(const Dataset& d, std::string_view prompt = {});

// The default comparison for a data set: the two most recent versions of the prompt with the most requests
// (older first, as the baseline); an empty spec (no values) when no prompt has two versions.
ComparisonSpec defaultComparison(const Dataset& d);

}  // namespace ps
