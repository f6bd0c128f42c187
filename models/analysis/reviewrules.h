// The rules that fill the review queue: which requests of a selection a person should look at, and why. A
// request is a candidate when any enabled rule matches it; each candidate carries every rule that matched (a
// bit set), so the queue can say why it is there. Pure and thread-safe: runs on the thread pool on an
// immutable Dataset.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dataset.h"

namespace ps {

enum ReviewRule : uint32_t {
    kRuleFailedEval = 1u << 0,        // an eval on the request failed
    kRuleThumbsDown = 1u << 1,        // negative explicit feedback
    kRuleLowJudgeScore = 1u << 2,     // a judge eval scored below the threshold
    kRuleCanary = 1u << 3,            // canary environment or a chosen prompt version
    kRuleHighRiskFeature = 1u << 4,   // a feature on the chosen list
    kRuleManyToolCalls = 1u << 5,     // more tool calls than the limit (agent loops)
};
inline constexpr int kReviewRuleCount = 6;
inline constexpr uint32_t kAllReviewRules = (1u << kReviewRuleCount) - 1;

// Stable keys (stored in the workspace's queue) and titles for people, per single rule bit.
std::string_view reviewRuleKey(ReviewRule rule);    // failed_eval, thumbs_down, low_judge_score, canary, ...
std::string_view reviewRuleTitle(ReviewRule rule);  // Failed eval, Thumbs down, ...
// The keys of every rule in a set, in bit order, separated by commas; and back (unknown keys are ignored).
std::string reviewRuleKeys(uint32_t rules);
uint32_t parseReviewRuleKeys(std::string_view keys);

struct PromptVersionKey {
    std::string prompt;   // empty: any prompt
    std::string version;
    bool operator==(const PromptVersionKey&) const = default;
};

struct ReviewRuleSettings {
    uint32_t enabled = kAllReviewRules;
    // Low judge score: a request matches when one of these evals scored strictly below the threshold.
    std::vector<std::string> judgeEvals;
    double judgeScoreBelow = 3.0;
    // Canary: the environment is named "canary" (any case), or the request runs one of these prompt versions.
    std::vector<PromptVersionKey> canaryVersions;
    std::vector<std::string> highRiskFeatures;
    // Many tool calls: strictly more than this many.
    uint32_t maxToolCalls = 5;
};

struct ReviewCandidate {
    RequestIndex request;
    uint32_t rules = 0;  // ReviewRule bits that matched
    bool operator==(const ReviewCandidate&) const = default;
};

// The requests of the selection (ascending rows) that match an enabled rule. Order: more rules matched first,
// then the most recent request first (higher row: requests are sorted by start), so the same inputs always
// give the same queue. cancel is checked every few thousand rows; a cancelled call returns an empty list.
std::vector<ReviewCandidate> applyReviewRules(const Dataset& d, const std::vector<uint32_t>& selection,
                                              const ReviewRuleSettings& settings,
                                              const std::atomic<bool>* cancel = nullptr);

// Eval names that look like judge scores: their source mentions a judge, or they score beyond the 0..1 of
// pass/fail checks somewhere in the data. Sorted by name. The default for ReviewRuleSettings::judgeEvals.
std::vector<std::string> judgeEvalNames(const Dataset& d);

// Prompt versions whose latest deployment record sends them less than 100% of the traffic (canaries), sorted.
// The default for ReviewRuleSettings::canaryVersions.
std::vector<PromptVersionKey> canaryPromptVersions(const Dataset& d);

}  // namespace ps
