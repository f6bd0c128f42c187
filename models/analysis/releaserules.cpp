#include "releaserules.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ps {
namespace {

std::string number(const char* format, double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

std::string percent(double fraction) {
    return number("%.1f%%", fraction * 100);
}

// "2x", "1.5x", "2.25x": the threshold as typed, without trailing zeros.
std::string factor(double f) {
    std::string s = number("%.2f", f);
    while (s.back() == '0') {
        s.pop_back();
    }
    if (s.back() == '.') {
        s.pop_back();
    }
    return s + "x";
}

RuleResult failureRatio(const VersionComparison& c, const ReleaseRuleSettings& s) {
    RuleResult r{ReleaseRule::FailureRatio,
                 "Failure rate below " + factor(s.failureRatio) + " the baseline's (judged after " +
                     std::to_string(s.failureMinRequests) + " requests)",
                 {}, true, false};
    const MetricComparison* m = c.find("failure_rate");
    if (!m || std::isnan(m->a) || std::isnan(m->b)) {
        r.detail = "no requests on one side";
        return r;
    }
    const double ratio = m->a > 0 ? m->b / m->a : (m->b > 0 ? INFINITY : 1.0);
    r.detail = percent(m->b) + " vs " + percent(m->a) + " = " +
               (std::isinf(ratio) ? std::string("no failures before") : number("%.2fx", ratio)) + " (" +
               std::to_string(c.requestsB) + " requests)";
    if (c.requestsB < s.failureMinRequests) {
        r.waiting = true;
        r.detail += ", waiting for " + std::to_string(s.failureMinRequests);
        return r;
    }
    r.passed = ratio < s.failureRatio;
    return r;
}

RuleResult costP95(const VersionComparison& c, const ReleaseRuleSettings& s) {
    RuleResult r{ReleaseRule::CostP95,
                 "p95 cost per request under +" + number("%.0f", s.costP95Increase * 100) + "% of the baseline's", {},
                 true, false};
    const MetricComparison* m = c.find("cost_p95_usd");
    if (!m || std::isnan(m->a) || std::isnan(m->b)) {
        r.detail = "no cost data";
        return r;
    }
    const double change = m->a > 0 ? m->b / m->a - 1 : 0;
    r.detail = number("$%.4f", m->b) + " vs " + number("$%.4f", m->a) + " (" + (change >= 0 ? "+" : "") +
               percent(change) + ")";
    r.passed = !(m->a > 0 && m->b >= m->a * (1 + s.costP95Increase));
    return r;
}

RuleResult evalPass(const VersionComparison& c, const ReleaseRuleSettings& s) {
    RuleResult r{ReleaseRule::EvalPassRate, "Eval pass rate at least " + percent(s.minEvalPassRate), {}, true, false};
    const MetricComparison* m = c.find("eval_pass_rate");
    if (!m || m->nB == 0) {
        r.detail = "no eval results";
        return r;
    }
    r.detail = percent(m->b) + " of " + std::to_string(m->nB) + " eval results";
    r.passed = m->b >= s.minEvalPassRate;
    return r;
}

}  // namespace

std::vector<RuleResult> checkReleaseRules(const VersionComparison& c, const ReleaseRuleSettings& settings) {
    std::vector<RuleResult> out;
    if (settings.failureRatioOn) {
        out.push_back(failureRatio(c, settings));
    }
    if (settings.costP95On) {
        out.push_back(costP95(c, settings));
    }
    if (settings.evalPassOn) {
        out.push_back(evalPass(c, settings));
    }
    return out;
}

bool anyRuleFailed(const std::vector<RuleResult>& results) {
    return std::any_of(results.begin(), results.end(), [](const RuleResult& r) { return !r.passed; });
}

}  // namespace ps
