// Two sides compared metric by metric (side a is the baseline, b the candidate): both values, the difference b - a
// (absolute and relative) with a 95% confidence interval, a p-value from the test that fits the metric, a verdict
// and how many more requests would settle the effect observed so far.
//
// Tests (models/analysis/stats):
// - rates (error, refusal, failure, eval pass, user signals): two-proportion z-test, Fisher's exact test when an
//   expected count is under 5; Newcombe's interval for the difference.
// - distributions (latency, cost, tokens, token efficiency): Mann-Whitney U; the difference is the
//   Hodges-Lehmann shift with its distribution-free interval; the values shown are the medians.
// - percentiles (latency p50/p95/p99, cost p50/p95, type 7): bootstrap of the difference, percentile interval.
// - mean judge score per eval: Welch's t-test.
//
// Verdicts: "not enough data" when a side has fewer than minRows rows, or, for a percentile p, fewer than
// minTail rows beyond it (n min(p, 1 - p) < minTail: the p99 of 300 requests rests on 3 of them). The p-values of
// the metrics tested are adjusted together (Benjamini-Hochberg, multipletesting.h) and a metric differs when its
// adjusted p-value is below alpha; then it is "better" or "worse" by the metric's direction, or "higher" /
// "lower" for metrics with no better direction (tokens). Otherwise "no detectable difference".
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "comparisonside.h"
#include "interval.h"

namespace ps {

enum class MetricUnit : uint8_t { Count, Fraction, DurationMs, Usd, Tokens, Ratio, Score };
enum class BetterWhen : uint8_t { Lower, Higher, Neither };
enum class Verdict : uint8_t { Better, Worse, Higher, Lower, NoDifference, NotEnoughData, NotTested };
enum class StatTest : uint8_t { None, TwoProportionZ, FisherExact, MannWhitneyNormal, MannWhitneyExact, Bootstrap, WelchT };

// "better", "worse", "higher", "lower", "no_difference", "not_enough_data", "not_tested" (command-line JSON).
std::string_view verdictKey(Verdict v);
// "better", "worse", "higher", "lower", "no detectable difference", "not enough data", "not tested".
std::string_view verdictText(Verdict v);
// For people: "z-test", "Fisher's exact", "Mann-Whitney U", "Mann-Whitney U (exact)", "bootstrap", "Welch's t";
// "" for none.
std::string_view statTestName(StatTest t);
// For JSON: "z_test", "fisher_exact", "mann_whitney_u", "mann_whitney_u_exact", "bootstrap", "welch_t", "none".
std::string_view statTestKey(StatTest t);

// Which requests of a side a metric counts, for drill-down: all of them, or those with the event it rates.
enum class MetricEvent : uint8_t { None, Error, Refusal, Failure, EvalFail, ThumbsDown, Correction, Abandoned };

struct SideSummary {  // the distribution of a numeric metric on one side
    uint64_t n = 0;
    double p50 = kNaN, p95 = kNaN, p99 = kNaN, mean = kNaN;
};

struct MetricComparison {
    std::string key;    // stable name: "error_rate", "latency_p95_ms", "eval_pass_rate:correctness", ...
    std::string label;  // for people: "Error rate", "p95 latency", "Eval pass rate: correctness"
    MetricUnit unit = MetricUnit::Count;
    BetterWhen better = BetterWhen::Lower;
    double a = kNaN;  // the value of each side (rate, median, percentile or mean)
    double b = kNaN;
    uint64_t nA = 0;  // rows behind each value (requests, eval results, requests with feedback)
    uint64_t nB = 0;
    uint64_t eventsA = 0;  // rates: the events counted
    uint64_t eventsB = 0;
    double diff = kNaN;      // b - a; distributions: the Hodges-Lehmann shift
    double relative = kNaN;  // diff / a
    int direction = 0;       // distributions: +1 when b tends to exceed a (U), -1 the other way; else from diff
    stats::Interval ci;      // 95% interval of diff
    double pValue = kNaN;
    double pAdjusted = kNaN;  // Benjamini-Hochberg over the metrics tested
    StatTest test = StatTest::None;
    Verdict verdict = Verdict::NotTested;
    // Extra requests (both sides, at the current split) to settle the effect: for 80% power, and at least enough
    // for both sides to reach the minimum of a verdict; 0 settled, inf no effect observed.
    double moreRequests = kNaN;
    double percentile = kNaN;    // percentile metrics: p (0..1)
    MetricEvent event = MetricEvent::None;
    SideSummary summaryA, summaryB;  // numeric metrics
};

struct ComparisonOptions {
    double alpha = 0.05;
    double power = 0.80;
    int resamples = 2000;
    uint64_t seed = 0x5EEDBA5EULL;
    uint64_t minRows = 20;
    uint64_t minTail = 10;
};

struct VersionComparison {
    std::string labelA;
    std::string labelB;
    uint64_t requestsA = 0;
    uint64_t requestsB = 0;
    std::vector<MetricComparison> metrics;
    bool cancelled = false;

    [[nodiscard]] const MetricComparison* find(std::string_view key) const;
};

VersionComparison compareSides(const ComparisonSide& a, const ComparisonSide& b, const ComparisonOptions& options = {},
                               const std::atomic<bool>* cancel = nullptr);

// The request rows of one side behind a metric: those with the metric's event, or, for percentile metrics, those
// at or above the side's value; all of the side's rows otherwise.
std::vector<uint32_t> requestsBehind(const Dataset& d, const ComparisonSide& side, const MetricComparison& m,
                                     bool sideB);

}  // namespace ps
