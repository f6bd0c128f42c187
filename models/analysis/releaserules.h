// Release gates from the field, checked on a comparison (a = the version in production, b = the candidate), with
// thresholds the user can edit:
// - failure rate: b fails at least `failureRatio` times as often as a (errors or failed evals), judged once b has
//   `failureMinRequests` requests (before that the rule waits and does not fail);
// - p95 cost: b's p95 cost per request is at least `costP95Increase` above a's (+50%: 1.5x);
// - eval pass rate: b's eval pass rate is below `minEvalPassRate`.
// A rule with nothing to judge (no evals, no costs) passes and says why. `promptscope compare` exits with 2 when
// a rule fails.
#pragma once

#include <string>
#include <vector>

#include "versioncomparison.h"

namespace ps {

struct ReleaseRuleSettings {
    bool failureRatioOn = true;
    double failureRatio = 2.0;
    uint64_t failureMinRequests = 200;
    bool costP95On = true;
    double costP95Increase = 0.5;
    bool evalPassOn = true;
    double minEvalPassRate = 0.92;
};

enum class ReleaseRule : uint8_t { FailureRatio, CostP95, EvalPassRate };

struct RuleResult {
    ReleaseRule rule;
    std::string name;    // with the thresholds: "Failure rate below 2x the baseline (after 200 requests)"
    std::string detail;  // what was measured: "17.2% vs 8.1% = 2.12x (243 requests)"
    bool passed = true;
    bool waiting = false;  // not judged yet (too few requests); counts as passed
};

// The rules switched on, in the order above.
std::vector<RuleResult> checkReleaseRules(const VersionComparison& c, const ReleaseRuleSettings& settings);
bool anyRuleFailed(const std::vector<RuleResult>& results);

}  // namespace ps
