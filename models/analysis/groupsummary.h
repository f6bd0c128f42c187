// Per-group summaries of requests or LLM calls: what `promptscope report` prints and the overview shows.
//
// Definitions (quoted in the README):
// - request grain: one row per trace. Latency is the root span's duration; an error when the root span's status
//   is ERROR (kRequestError); a refusal when a model call finished with content_filter/refusal (kRequestRefusal);
//   tokens and cost are the sums over its LLM calls (calls with no known cost add nothing and are counted in
//   costUnknown).
// - generation grain: one row per LLM call span. Latency is that span's duration, an error when its status is
//   ERROR, a refusal when its finish reason is content_filter or refusal; tokens and cost are the call's own.
// - eval pass rate = passed / (passed + failed) eval results over the group's rows (for generations, the evals
//   attached to that span); none when the group has no eval with an outcome.
// - rows without a value for the grouping field form the group "(none)"; groups are ordered by count, then key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "grain.h"
#include "percentile.h"

namespace ps {

struct GroupSummary {
    std::string key;
    uint64_t count = 0;
    uint64_t errors = 0;
    uint64_t refusals = 0;
    double errorRate = kNaN;
    DistributionSummary latencyMs{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, 0};
    uint64_t inputTokens = 0;
    uint64_t outputTokens = 0;
    uint64_t cachedTokens = 0;
    double costUsd = 0;
    uint64_t costUnknown = 0;
    uint64_t evalPass = 0;
    uint64_t evalFail = 0;
    std::optional<double> evalPassRate;
};

struct Report {
    Grain grain = Grain::Request;
    GroupField groupBy = GroupField::PromptVersion;
    GroupSummary total;
    std::vector<GroupSummary> groups;
    uint64_t issueCount = 0;
    std::vector<ParseIssue> firstIssues;
};

// rows: the rows of the grain to summarise (null: all of them).
Report buildReport(const Dataset& data, GroupField field, Grain grain, const std::vector<uint32_t>* rows = nullptr,
                   size_t maxIssues = 10);

}  // namespace ps
